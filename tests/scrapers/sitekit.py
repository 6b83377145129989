"""Test helpers: a real HTTP server on 127.0.0.1 with a route table, a dict-backed CrawlState, PDF bytes."""
from __future__ import annotations

import asyncio
import gzip
import io
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from pharmadeals.scrapers.crawl import crawl
from pharmadeals.scrapers.settings import ArchiveSettings, FetchSettings

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
TYPES = {".html": "text/html", ".htm": "text/html", ".xml": "application/xml", ".json": "application/json",
         ".txt": "text/plain", ".pdf": "application/pdf", ".rss": "application/rss+xml", ".gz": "application/gzip"}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0        # seconds before answering (timeouts)
    reset: bool = False       # drop the connection without answering
    drip: float = 0.0         # seconds between 64-byte pieces of the body (a slow-loris server)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Handler = Callable[[Request], Reply]


class Site:
    """Route table served by a ThreadingHTTPServer; counts hits per path (query included)."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.log: list[Request] = []
        self.server: ThreadingHTTPServer | None = None
        self.base = ""

    def add(self, path: str, body: bytes | str = b"", status: int = 200, content_type: str | None = "text/html",
            headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        extra = dict(headers or {})
        if content_type is not None:
            extra.setdefault("Content-Type", content_type)
        self.routes[path] = lambda req: Reply(status, data, dict(extra))

    def handler(self, path: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.routes[path] = fn
            return fn
        return register

    def add_file(self, path: str, fixture: str, content_type: str | None = None) -> None:
        file = SITES / fixture
        self.add(path, file.read_bytes(), content_type=content_type or TYPES.get(file.suffix, "text/html"))

    def url(self, path: str) -> str:
        return self.base + path

    def find(self, raw_path: str) -> Handler | None:
        return self.routes.get(raw_path) or self.routes.get(urlsplit(raw_path).path)


def _make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            req = Request(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
            site.hits[self.path] += 1
            site.log.append(req)
            fn = site.find(self.path)
            reply = fn(req) if fn else Reply(404, b"not found", {"Content-Type": "text/plain"})
            if reply.delay:
                time.sleep(reply.delay)
            if reply.reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.connection.close()
                self.close_connection = True
                return
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                try:
                    pieces = [reply.body[i:i + 64] for i in range(0, len(reply.body), 64)] if reply.drip else [reply.body]
                    for piece in pieces:
                        self.wfile.write(piece)
                        time.sleep(reply.drip)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        do_GET = do_POST = do_HEAD = _serve

    return H


def start(site: Site) -> Site:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(site))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.server = server
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    return site


class DictState:
    """CrawlState kept in dicts, standing in for the database between runs."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.stored: dict[str, tuple[str | None, str | None]] = {}
        self.cursors: dict[str, str] = {}

    def is_known(self, url: str) -> bool:
        return url in self.known

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        return self.stored.get(url)

    def cursor(self, source: str) -> str | None:
        return self.cursors.get(source)

    def set_cursor(self, source: str, value: str) -> None:
        self.cursors[source] = value

    def record_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.stored[url] = (etag, last_modified)

    def remember(self, events: list[Any]) -> None:
        """What the pipeline would store after a run: fetched URLs and their validators."""
        for event in events:
            page = getattr(event, "page", None)
            if page is not None:
                self.known.add(page.url)
                self.stored[page.url] = (page.etag, page.last_modified)


def fast_fetch(**overrides: Any) -> FetchSettings:
    values: dict[str, Any] = {"per_host_delay": 0, "backoff_base": 0.01, "backoff_max": 2.0, "timeout": 2.0,
                              "max_retries": 2, "obey_robots": False,
                              "user_agent": "pharmadeals-test/0.1 (contact: tests@pharmadeals.dev)"}
    values.update(overrides)
    return FetchSettings(**values)


def run_crawl(sources: list[Any], state: DictState | None = None, fetch: FetchSettings | None = None,
              archive: ArchiveSettings | None = None, **kwargs: Any) -> list[Any]:
    """Run a crawl to the end and return its events."""
    async def collect() -> list[Any]:
        return [e async for e in crawl(sources, fetch or fast_fetch(), archive or ArchiveSettings(enabled=False),
                                       state or DictState(), **kwargs)]
    return asyncio.run(collect())


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9)


def make_pdf(lines: list[str], password: str | None = None, title: str | None = None) -> bytes:
    """A one-page PDF whose text layer holds `lines` (ASCII), optionally encrypted with a user password."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 740 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if title:
        writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fill(text: str, site: Site) -> str:
    """Fixture placeholders: the server base URL and dates relative to today."""
    today = datetime.now(UTC).date()
    return (text.replace("{{BASE}}", site.base).replace("{{TODAY}}", str(today))
            .replace("{{YESTERDAY}}", str(today - timedelta(days=1)))
            .replace("{{OLD}}", str(today - timedelta(days=40))))


def add_template(site: Site, path: str, fixture: str, content_type: str | None = None, gz: bool = False) -> None:
    file = SITES / fixture
    body = fill(file.read_text(encoding="utf-8"), site).encode("utf-8")
    site.add(path, gzip_bytes(body) if gz else body,
             content_type=content_type or ("application/x-gzip" if gz else TYPES.get(file.suffix, "text/html")))


def fetch_one(url: str, fetch: FetchSettings | None = None, **kwargs: Any) -> Any:
    """One Fetcher.request against the live server: the Response, or the ItemError it raised."""
    from pharmadeals.models.errors import ItemError
    from pharmadeals.scrapers.http import Fetcher, build_client

    async def go() -> Any:
        async with build_client(fetch or fast_fetch()) as client:
            try:
                return await Fetcher(fetch or fast_fetch(), client).request(url, **kwargs)
            except ItemError as exc:
                return exc
    return asyncio.run(go())
