"""What every source adapter gets: listing fetches (polite, archived), JSON/XML helpers, state and filters."""
from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pharmadeals.models.errors import ItemError
from pharmadeals.models.records import DiscoveredItem
from pharmadeals.scrapers.archive import WarcArchive
from pharmadeals.scrapers.events import CrawlState, Failed
from pharmadeals.scrapers.http import LISTING_TYPES, Fetcher, Response
from pharmadeals.scrapers.settings import FetchSettings

TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|spm|f)$", re.IGNORECASE)
TAGS = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")
Discovered = DiscoveredItem | Failed


class SourceError(Exception):
    """The listing of a source failed or changed shape: reported on SourceDone, never read as 'no news'.
    `unreachable` says the host never answered (refused, timed out, unresolved)."""

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class SourceSkipped(Exception):
    """A source that cannot run as configured and is left out of this run (one warning, not a failure)."""


class Adapter(Protocol):
    def discover(self, settings: Any, ctx: SourceContext) -> AsyncIterator[Discovered]: ...


def canonical_url(url: str) -> str:
    """Drop the fragment and tracking parameters so one article reached two ways has one URL."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def clean_text(value: str | None) -> str | None:
    """Tags stripped and whitespace collapsed; None for empty strings."""
    if value is None:
        return None
    text = SPACES.sub(" ", html.unescape(TAGS.sub(" ", str(value)))).strip()
    return text or None


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def require(row: Mapping[str, Any], field: str, where: str) -> Any:
    """A field an API promised; its absence means the API changed, which must fail the source loudly."""
    if not isinstance(row, Mapping) or field not in row:
        raise SourceError(f"{where}: field {field!r} missing from the API response (did the API change?)")
    return row[field]


def require_int(row: Mapping[str, Any], field: str, where: str) -> int:
    """An integer field (counts, page totals); a missing or non-numeric value fails the source loudly."""
    value = require(row, field, where)
    try:
        return int(value or 0)
    except (TypeError, ValueError) as exc:
        raise SourceError(f"{where}: field {field!r} is {value!r}, not a number") from exc


def official_kind(settings: Any) -> Any:
    """Disclosure platforms file their items as 'official' unless the config says otherwise."""
    return settings.kind if "kind" in settings.model_fields_set else "official"


# Where a saved page came from says what kind of source it is: exchange filings are official, wire services
# carry companies' press releases. Used for saved files whose sidecar and source config name no kind.
OFFICIAL_HOSTS = ("hkexnews.hk", "cninfo.com.cn", "sec.gov", "sse.com.cn", "szse.cn", "bse.cn", "twse.com.tw",
                  "tpex.org.tw")
PRESS_RELEASE_HOSTS = ("prnewswire.com", "businesswire.com", "globenewswire.com", "prnasia.com", "newswire.ca",
                       "accessnewswire.com", "einpresswire.com")


def kind_from_url(url: str) -> str | None:
    """'official' for exchange and regulator filings, 'press_release' for wire services, else None."""
    host = (urlsplit(url).hostname or "").lower()
    for kind, hosts in (("official", OFFICIAL_HOSTS), ("press_release", PRESS_RELEASE_HOSTS)):
        if any(host == h or host.endswith("." + h) for h in hosts):
            return kind
    return None


def matches_keywords(keywords: Sequence[str], *texts: str | None) -> bool:
    if not keywords:
        return True
    haystack = " ".join(t for t in texts if t).casefold()
    return any(k.casefold() in haystack for k in keywords)


@dataclass
class SourceContext:
    """Per-source services handed to an adapter's discover()."""

    name: str
    fetch: FetchSettings
    fetcher: Fetcher | None
    state: CrawlState
    archive: WarcArchive | None = None
    headers: Mapping[str, str] | None = None
    allowed_hosts: Sequence[str] = ()
    # ETag/Last-Modified of listings fetched conditionally; saved only once the whole source succeeded.
    listing_validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    @property
    def cursor(self) -> str | None:
        return self.state.cursor(self.name)

    def is_known(self, url: str) -> bool:
        return self.state.is_known(url)

    async def get(self, url: str, *, method: str = "GET", data: Mapping[str, str] | None = None,
                  headers: Mapping[str, str] | None = None, accept: Sequence[str] | None = LISTING_TYPES,
                  conditional: bool = False) -> Response:
        """Fetch a listing (feed, sitemap, API page); any failure is a SourceError.

        With conditional=True the last run's validators are sent and a 304 response (empty body)
        is returned: the listing did not change, so it holds nothing new."""
        if self.fetcher is None:
            raise SourceError(f"{self.name}: this source needs HTTP but no client was given")
        merged = {**(self.headers or {}), **(headers or {})}
        try:
            resp = await self.fetcher.request(url, method=method, data=data, headers=merged,
                                              allowed_hosts=self.allowed_hosts, accept=accept,
                                              validators=self.state.validators(url) if conditional else None)
        except ItemError as exc:
            raise SourceError(f"listing {url}: {exc.reason}", unreachable=exc.kind == "unreachable") from exc
        if conditional and (resp.header("etag") or resp.header("last-modified")) and resp.status != 304:
            self.listing_validators[url] = (resp.header("etag"), resp.header("last-modified"))
        if self.archive is not None and resp.status != 304:
            self.archive.write_response(resp, self.name, "listing")
        return resp

    async def get_json(self, url: str, **kwargs: Any) -> dict[str, Any]:
        """A JSON object from an API; anything else (a list, HTML, a login page) is a SourceError."""
        resp = await self.get(url, **kwargs)
        data = parse_json(resp.body, url)
        if not isinstance(data, dict):
            raise SourceError(f"{url}: expected a JSON object, got {type(data).__name__}")
        return data


def parse_json(body: bytes, where: str) -> Any:
    """JSON that may carry a BOM or be served as text/html (HKEX)."""
    try:
        return json.loads(body.decode("utf-8-sig").strip())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{where}: response is not JSON ({exc})") from exc
