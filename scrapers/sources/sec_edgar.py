"""The `sec_edgar` source: EDGAR full-text search hits turned into Archives document URLs (8-K/6-K exhibits)."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from pharmadeals.models.records import DiscoveredItem
from pharmadeals.scrapers.sources.base import (
    Discovered,
    SourceContext,
    SourceError,
    SourceSkipped,
    clean_text,
    official_kind,
    require,
    require_int,
)
from pharmadeals.scrapers.sources.dates import parse_w3c, utc_now
from pharmadeals.scrapers.sources.settings import SecEdgarSource

SETTINGS = SecEdgarSource  # registers this adapter's source type (see registry.py)

PAGE_SIZE = 100  # efts pages hold 100 hits; `from` steps by this
CONTACT = re.compile(r"[A-Za-z0-9._%+-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
PLACEHOLDER_DOMAINS = re.compile(r"(^|\.)(example\.(org|com|net)|localhost|test|invalid)$", re.IGNORECASE)


def contact_agent(settings: SecEdgarSource, default: str) -> str:
    """The User-Agent EDGAR requires ('Company admin@domain'). Without a real contact (the shipped fallback
    ops@example.org, or none) the source is skipped for the run: EDGAR blocks such agents, and a scheduled run
    must not fail on every night for it."""
    agent = settings.user_agent or default
    match = CONTACT.search(agent)
    if match is None or PLACEHOLDER_DOMAINS.search(match["domain"]):
        raise SourceSkipped("SEC EDGAR needs a real contact e-mail in its User-Agent; export "
                            "PHARMADEALS_CONTACT=you@your-domain (or set user_agent on the source)")
    return agent


def search_url(settings: SecEdgarSource, query: str, offset: int) -> str:
    today = utc_now().date()
    params = {"q": query, "dateRange": "custom", "startdt": str(today - timedelta(days=settings.days)),
              "enddt": str(today), "forms": ",".join(settings.forms), "from": str(offset)}
    return f"{settings.search_url}?{urlencode(params)}"


def document_url(settings: SecEdgarSource, hit: Mapping[str, Any], where: str) -> str:
    source = require(hit, "_source", where)
    ciks = require(source, "ciks", where)
    adsh = str(require(source, "adsh", where))
    hit_id = str(require(hit, "_id", where))
    if not ciks or ":" not in hit_id:
        raise SourceError(f"{where}: hit {hit_id!r} has no CIK or no document name")
    return f"{settings.archive_url.rstrip('/')}/{int(ciks[0])}/{adsh.replace('-', '')}/{hit_id.split(':', 1)[1]}"


def hit_items(data: Mapping[str, Any], settings: SecEdgarSource, where: str) -> tuple[int, list[DiscoveredItem]]:
    """(total hits, items) of one search page."""
    hits = require(data, "hits", where)
    total = require_int(require(hits, "total", where), "value", where)
    items: list[DiscoveredItem] = []
    for hit in require(hits, "hits", where):
        source = require(hit, "_source", where)
        names = source.get("display_names") or []
        form = require(source, "form", where)
        kind = " ".join(str(x) for x in (source.get("file_type"), source.get("file_description")) if x)
        title = f"{names[0] if names else 'Unknown filer'}: {form} {kind}".strip()
        items_listed = source.get("items") or []
        summary = f"Items {', '.join(items_listed)}" if items_listed else None
        items.append(DiscoveredItem(
            url=document_url(settings, hit, where), source=settings.name, title=clean_text(title),
            published=parse_w3c(str(require(source, "file_date", where))), summary=summary,
            language=settings.language or "en", kind=official_kind(settings)))
    return total, items


async def discover(settings: SecEdgarSource, ctx: SourceContext) -> AsyncIterator[Discovered]:
    headers = {"User-Agent": contact_agent(settings, ctx.fetch.user_agent)}
    for query in settings.queries:
        for page in range(settings.max_pages):
            url = search_url(settings, query, page * PAGE_SIZE)
            total, items = hit_items(await ctx.get_json(url, headers=headers), settings, url)
            for item in items:
                yield item
            if not items or (page + 1) * PAGE_SIZE >= total:
                break
