"""The one HTTP seam: builds the client and fetches politely (limits, delays, retries, size and redirect checks)."""
from __future__ import annotations

import asyncio
import importlib.util
import random
import sys
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from pharmadeals.models.errors import ItemError
from pharmadeals.scrapers.inflate import BudgetDecoder
from pharmadeals.scrapers.settings import FetchSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
ALLOWED_SCHEMES = frozenset({"http", "https"})
# Bodies we can turn into articles; anything else (images, video, zip) is refused before download.
ARTICLE_TYPES = ("text/", "application/xhtml", "application/pdf", "application/xml", "application/octet-stream",
                 "binary/octet-stream", "application/x-pdf")
LISTING_TYPES = ("text/", "application/xml", "application/rss", "application/atom", "application/rdf",
                 "application/json", "application/javascript", "application/x-javascript",
                 "application/x-gzip", "application/gzip", "application/octet-stream")
ACCEPT_ENCODING = "gzip, deflate"
# httpcore tries `import sniffio` several times per request; when it is not installed each failed import
# scans sys.path (measured: about half of the fetch path's CPU). Record the absence once.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]
UNRESOLVED = "cannot resolve host"
DNS_FAILURES = ("Name or service not known", "Temporary failure in name resolution", "nodename nor servname",
                "No address associated", "getaddrinfo failed", "Name does not resolve")
RobotsCheck = Callable[[str], Awaitable[ItemError | None]]  # the refusal for a URL, or None to go ahead


@dataclass(frozen=True)
class Response:
    """A fully read response (body decoded from gzip/deflate, never larger than max_body_bytes)."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...] = ()
    request_body: bytes | None = None

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    @property
    def content_type(self) -> str:
        return self.header("content-type") or ""


@dataclass
class _Call:
    """One hop of a request: what to send and which content types are acceptable."""

    method: str
    url: str
    headers: dict[str, str]
    data: Mapping[str, str] | None
    accept: Sequence[str] | None


def build_client(fetch: FetchSettings, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The only place an httpx.AsyncClient is made; tests pass a transport (or hit a local server)."""
    limits = httpx.Limits(max_connections=fetch.concurrency, max_keepalive_connections=fetch.concurrency)
    return httpx.AsyncClient(
        headers={"User-Agent": fetch.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=httpx.Timeout(fetch.timeout, connect=fetch.connect_timeout), limits=limits, follow_redirects=False,
        transport=transport, trust_env=False)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def host_allowed(host: str, origin: str, allowed: Sequence[str]) -> bool:
    """Same host, its www twin, or a host (or *.domain) the settings list."""
    bare = host.removeprefix("www.")
    if bare == origin.removeprefix("www."):
        return True
    for pattern in allowed:
        pattern = pattern.lower().strip()
        if host == pattern or (pattern.startswith("*.") and (host == pattern[2:] or host.endswith(pattern[1:]))):
            return True
    return False


def transport_reason(exc: httpx.TransportError, url: str) -> str:
    """A short reason for a connection failure; name-resolution failures start with UNRESOLVED."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError) and any(marker in text for marker in DNS_FAILURES):
        return f"{UNRESOLVED} {host_of(url)}"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {urlsplit(url).netloc}: {text}"
    return f"connection error: {type(exc).__name__} {text}".strip()


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """Polite fetching: global and per-host limits, per-host delay, retries, redirects, size checks."""

    def __init__(self, fetch: FetchSettings, client: httpx.AsyncClient, robots: RobotsCheck | None = None,
                 delay_for: Callable[[str], float] | None = None) -> None:
        self.settings = fetch
        self.client = client
        self.robots = robots
        self.delay_for = delay_for
        self._global = asyncio.Semaphore(fetch.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._gates: dict[str, asyncio.Lock] = {}
        self._next_slot: dict[str, float] = {}

    async def request(self, url: str, *, method: str = "GET", data: Mapping[str, str] | None = None,
                      headers: Mapping[str, str] | None = None,
                      validators: tuple[str | None, str | None] | None = None,
                      allowed_hosts: Sequence[str] = (), accept: Sequence[str] | None = None,
                      check_robots: bool = True, check_status: bool = True) -> Response:
        """Fetch url following redirects by hand; raises ItemError with the reason when it cannot."""
        extra = dict(headers or {})
        if validators:
            etag, modified = validators
            if etag:
                extra["If-None-Match"] = etag
            if modified:
                extra["If-Modified-Since"] = modified
        origin = host_of(url)
        allowed = [*self.settings.allowed_hosts, *allowed_hosts]
        call = _Call(method, url, extra, data, accept if check_status else None)
        visited: set[str] = set()
        for _ in range(self.settings.max_redirects + 1):
            self._check_url(call.url, origin, allowed)
            refusal = await self.robots(call.url) if check_robots and self.robots is not None else None
            if refusal is not None:
                raise refusal
            visited.add(call.url)
            resp = await self._with_retries(call)
            if resp.status not in REDIRECTS:
                return self._checked(resp) if check_status else resp
            location = resp.header("location")
            if not location:
                raise ItemError("redirect", f"HTTP {resp.status} without Location from {call.url}")
            target = urljoin(call.url, location.strip())
            if target in visited:
                raise ItemError("redirect", f"redirect loop at {target}")
            if resp.status in (301, 302, 303) and call.method == "POST" or resp.status == 303:
                call.method, call.data = "GET", None
            call.url = target
        raise ItemError("redirect", f"more than {self.settings.max_redirects} redirects, last {call.url}")

    @staticmethod
    def _check_url(url: str, origin: str, allowed: Sequence[str]) -> None:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise ItemError("redirect", f"refusing non-HTTP URL {url}")
        host = (parts.hostname or "").lower()
        if not host or not host_allowed(host, origin, allowed):
            raise ItemError("redirect", f"redirect to host {host or '?'} not allowed for this source ({url})")

    @staticmethod
    def _checked(resp: Response) -> Response:
        if resp.status >= 400:
            raise ItemError("http", f"HTTP {resp.status} from {resp.url}")
        return resp

    @staticmethod
    def _check_type(resp: httpx.Response, accept: Sequence[str] | None) -> None:
        """Refuse an unwanted body (video, images...) on its headers, before downloading it."""
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if accept is not None and 200 <= resp.status_code < 300 and ctype and not ctype.startswith(tuple(accept)):
            raise ItemError("content_type", f"unexpected content type {ctype} from {resp.url}")

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_base * (2 ** attempt)
        return min(self.settings.backoff_max, base * random.uniform(0.5, 1.5))

    async def _with_retries(self, call: _Call) -> Response:
        attempts = self.settings.max_retries + 1
        reason = ""
        transport_failures = 0
        for attempt in range(attempts):
            wait = self._backoff(attempt)
            try:
                resp = await self._polite(call)
            except (httpx.TimeoutException, TimeoutError, httpx.TransportError) as exc:
                reason = self._transport_failure(exc, call.url)
                transport_failures += 1
                if transport_failures > self.settings.transport_retries:
                    raise ItemError("unreachable", f"{reason} after {attempt + 1} attempt(s)") from exc
            else:
                if resp.status not in RETRY_STATUSES:
                    return resp
                reason = f"HTTP {resp.status}"
                asked = retry_after(resp.header("retry-after"))
                if asked is not None and asked > self.settings.backoff_max:
                    raise ItemError("fetch", f"{reason} asking to wait {asked:.0f}s; giving up")
                wait = asked if asked is not None else wait
            if attempt + 1 < attempts:
                await asyncio.sleep(wait)
        raise ItemError("unreachable" if transport_failures == attempts else "fetch", f"{reason} after {attempts} attempt(s)")

    def _transport_failure(self, exc: BaseException, url: str) -> str:
        """The reason of a failed connection; raises at once when the name does not resolve (retrying cannot help)."""
        if isinstance(exc, httpx.ConnectTimeout):
            return f"no connection to {urlsplit(url).netloc} within {self.settings.connect_timeout:g}s"
        if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
            return f"timed out after {self.settings.timeout:g}s"
        assert isinstance(exc, httpx.TransportError)
        reason = transport_reason(exc, url)
        if reason.startswith(UNRESOLVED):  # no DNS (offline, or a typo)
            raise ItemError("unreachable", reason) from exc
        return reason

    async def _polite(self, call: _Call) -> Response:
        host = host_of(call.url)
        host_sem = self._hosts.setdefault(host, asyncio.Semaphore(self.settings.per_host_concurrency))
        async with self._global, host_sem:
            await self._wait_turn(host)
            async with asyncio.timeout(self.settings.timeout * 2):
                return await self._stream(call)

    async def _wait_turn(self, host: str) -> None:
        delay = max(self.settings.per_host_delay, self.delay_for(host) if self.delay_for else 0.0)
        if delay <= 0:
            return
        async with self._gates.setdefault(host, asyncio.Lock()):
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + delay
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _stream(self, call: _Call) -> Response:
        limit = self.settings.max_body_bytes
        request = self.client.build_request(call.method, call.url, headers=call.headers, data=call.data)
        resp = await self.client.send(request, stream=True)
        try:
            body = b""
            if resp.status_code not in REDIRECTS and resp.status_code != 304:
                self._check_type(resp, call.accept)
                body = await self._read(resp, limit)
        finally:
            await resp.aclose()
        kept = tuple((k, v) for k, v in resp.headers.items()
                     if k.lower() not in ("content-encoding", "transfer-encoding", "content-length"))
        return Response(url=call.url, status=resp.status_code, headers=kept + (("Content-Length", str(len(body))),),
                        body=body, method=call.method, request_headers=tuple(request.headers.items()),
                        request_body=request.content or None)

    @staticmethod
    async def _read(resp: httpx.Response, limit: int) -> bytes:
        declared = resp.headers.get("content-length", "")
        encoding = resp.headers.get("content-encoding")
        if declared.isdigit() and not encoding and int(declared) > limit:
            raise ItemError("too_large", f"body of {int(declared)} bytes exceeds max_body_bytes {limit}")
        if resp.is_stream_consumed:  # an in-memory response (httpx.MockTransport): already decoded
            if len(resp.content) > limit:
                raise ItemError("too_large", f"body exceeds max_body_bytes {limit}")
            return resp.content
        decoder = BudgetDecoder(encoding)
        chunks: list[bytes] = []
        total = 0
        try:
            async for raw in resp.aiter_raw():
                out = decoder.feed(raw, limit - total)
                total += len(out)
                if total > limit:
                    raise ItemError("too_large", f"body exceeds max_body_bytes {limit} (decoded)")
                chunks.append(out)
        except zlib.error as exc:
            raise ItemError("encoding", f"broken {encoding} body: {exc}") from exc
        return b"".join(chunks)
