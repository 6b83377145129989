"""WARC archive of every response of a run (warcio), and replay of WARC files as pages with no network.

Each archived response (or inline body, as a `resource` record) is followed by a `metadata` record
holding the source name, the role (article or listing) and the discovered item as JSON, so a replay
gives back the same Page objects. Foreign WARCs without those records replay as article pages too.
"""
from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pharmadeals.models.errors import InputError
from pharmadeals.models.records import DiscoveredItem, Page
from pharmadeals.scrapers.events import CrawlEvent, Failed, Fetched
from pharmadeals.scrapers.http import Response
from pharmadeals.scrapers.settings import ArchiveSettings

SOURCE_HEADER = "WARC-Source-Name"
ROLE_HEADER = "WARC-Pharmadeals-Role"
REPLAY_SOURCE = "replay"
REPLAY_TYPES = ("text/html", "application/xhtml", "text/plain", "text/markdown", "application/pdf")
STATUS_LINES = {200: "200 OK", 203: "203 Non-Authoritative Information"}


class WarcArchive:
    """One gzip WARC file per run under the archive directory, opened at the first write."""

    def __init__(self, settings: ArchiveSettings) -> None:
        self.directory = Path(settings.directory)
        self.path: Path | None = None
        self._fh: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.failed: str | None = None  # set when the disk refused a write; archiving then stops
        self._unreported: str | None = None

    def _ensure(self) -> WARCWriter:
        if self._writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            self.path = self.directory / f"pharmadeals-{stamp}-{os.getpid()}.warc.gz"
            self._fh = open(self.path, "xb")  # noqa: SIM115 - stays open for the whole run; close() ends it
            self._writer = WARCWriter(self._fh, gzip=True)
            self._writer.write_record(self._writer.create_warcinfo_record(
                self.path.name, {"software": "pharmadeals", "format": "WARC File Format 1.1"}))
        return self._writer

    def write_response(self, resp: Response, source: str, role: str, item: DiscoveredItem | None = None) -> None:
        self._guarded(self._write_response, resp, source, role, item)

    def write_page(self, page: Page, role: str = "article") -> None:
        """Archive a body that came without HTTP (a local file, a feed's inline content)."""
        self._guarded(self._write_page, page, role)

    def take_error(self) -> str | None:
        """The write failure not yet reported (once), so the run can log it and go on without archiving."""
        error, self._unreported = self._unreported, None
        return error

    def _guarded(self, write: Any, *args: Any) -> None:
        if self.failed is not None:
            return
        try:
            write(*args)
        except OSError as exc:
            self.failed = self._unreported = (f"cannot write the WARC archive in {self.directory}: "
                                              f"{exc.strerror or exc}; archiving stopped for this run")

    def _write_response(self, resp: Response, source: str, role: str, item: DiscoveredItem | None) -> None:
        writer = self._ensure()
        status = STATUS_LINES.get(resp.status, f"{resp.status} -")
        http = StatusAndHeaders(status, list(resp.headers), protocol="HTTP/1.1")
        extra = {SOURCE_HEADER: source, ROLE_HEADER: role}
        record = writer.create_warc_record(resp.url, "response", payload=io.BytesIO(resp.body),
                                           http_headers=http, warc_headers_dict=extra)
        writer.write_record(record)
        parts = urlsplit(resp.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_http = StatusAndHeaders(f"{resp.method} {target} HTTP/1.1", list(resp.request_headers),
                                    protocol="HTTP/1.1", is_http_request=True)
        request = writer.create_warc_record(resp.url, "request", payload=io.BytesIO(resp.request_body or b""),
                                            http_headers=req_http, warc_headers_dict=extra)
        request.rec_headers.add_header("WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(request)
        self._metadata(writer, record, source, role, item)

    def _write_page(self, page: Page, role: str) -> None:
        writer = self._ensure()
        extra = {SOURCE_HEADER: page.source, ROLE_HEADER: role}
        record = writer.create_warc_record(page.url, "resource", payload=io.BytesIO(page.body),
                                           warc_content_type=page.content_type or "application/octet-stream",
                                           warc_headers_dict=extra)
        writer.write_record(record)
        self._metadata(writer, record, page.source, role, page.item)

    @staticmethod
    def _metadata(writer: WARCWriter, record: Any, source: str, role: str, item: DiscoveredItem | None) -> None:
        payload = json.dumps({"source": source, "role": role, "item": _item_json(item)}, ensure_ascii=False)
        meta = writer.create_warc_record(record.rec_headers.get_header("WARC-Target-URI"), "metadata",
                                         payload=io.BytesIO(payload.encode("utf-8")),
                                         warc_content_type="application/json",
                                         warc_headers_dict={SOURCE_HEADER: source, ROLE_HEADER: role})
        meta.rec_headers.add_header("WARC-Refers-To", record.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(meta)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh, self._writer = None, None


def _item_json(item: DiscoveredItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    data = asdict(item)
    data.pop("inline_body", None)
    data["published"] = item.published.isoformat() if item.published else None
    return data


def _item_from(data: dict[str, Any] | None, body: bytes | None) -> DiscoveredItem | None:
    if not data:
        return None
    fields = dict(data)
    if fields.get("published"):
        fields["published"] = datetime.fromisoformat(fields["published"])
    known = set(DiscoveredItem.__dataclass_fields__)
    item = DiscoveredItem(**{k: v for k, v in fields.items() if k in known})
    if item.inline_content_type is not None and body is not None:
        item = DiscoveredItem(**{**{k: getattr(item, k) for k in known}, "inline_body": body})
    return item


def _page_of(record: Any) -> Page:
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    source = record.rec_headers.get_header(SOURCE_HEADER) or REPLAY_SOURCE
    body = record.content_stream().read()
    if record.rec_type == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
        return Page(url=uri, source=source, body=body, content_type=ctype)
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http else 0
    headers = tuple(http.headers) if http else ()
    ctype = http.get_header("Content-Type") or "" if http else ""
    return Page(url=uri, source=source, body=body, content_type=ctype, status=status, headers=headers,
                etag=http.get_header("ETag") if http else None,
                last_modified=http.get_header("Last-Modified") if http else None)


def _is_article(page: Page, role: str | None) -> bool:
    if role is not None:
        return role == "article"
    ctype = page.content_type.split(";")[0].strip().lower()
    return page.status in (0, 200) and ctype.startswith(REPLAY_TYPES)


def _replay_file(path: str) -> Iterator[CrawlEvent]:
    pending: tuple[str, Page, str | None] | None = None
    records = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            records += 1
            if record.format != "warc":
                raise ValueError(f"not a WARC file (looks like {record.format})")
            if record.rec_type in ("response", "resource"):
                if pending is not None and _is_article(pending[1], pending[2]):
                    yield Fetched(pending[1])
                page = _page_of(record)
                pending = (record.rec_headers.get_header("WARC-Record-ID"), page,
                           record.rec_headers.get_header(ROLE_HEADER))
            elif record.rec_type == "metadata" and pending is not None and \
                    record.rec_headers.get_header("WARC-Refers-To") == pending[0]:
                meta = json.loads(record.content_stream().read().decode("utf-8"))
                page = pending[1]
                item = _item_from(meta.get("item"), page.body)
                page = Page(**{**{k: getattr(page, k) for k in Page.__dataclass_fields__},
                               "source": meta.get("source") or page.source,
                               "url": item.url if item else page.url, "item": item})
                if _is_article(page, meta.get("role")):
                    yield Fetched(page)
                pending = None
    if pending is not None and _is_article(pending[1], pending[2]):
        yield Fetched(pending[1])
    if records == 0:
        raise ValueError("no WARC records found")


def replay(paths: Sequence[str]) -> Iterator[CrawlEvent]:
    """Fetched events for the article pages archived in WARC files, in file order; no network."""
    for path in paths:
        if not Path(path).is_file():
            raise InputError(f"WARC file {path} not found", "pass an existing .warc or .warc.gz file")
        try:
            yield from _replay_file(path)
        except (ArchiveLoadFailed, OSError, ValueError, json.JSONDecodeError) as exc:
            yield Failed(url=path, source=REPLAY_SOURCE, kind="replay", reason=f"unreadable WARC {path}: {exc}")
