"""The `cninfo` source: CNINFO (巨潮资讯) announcement query by keyword (POST form), PDFs on the static host."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from typing import Any

from pharmadeals.models.records import DiscoveredItem
from pharmadeals.scrapers.sources.base import (
    Discovered,
    SourceContext,
    SourceError,
    clean_text,
    official_kind,
    require,
    require_int,
)
from pharmadeals.scrapers.sources.dates import CST, parse_epoch_ms, utc_now
from pharmadeals.scrapers.sources.settings import CninfoSource

SETTINGS = CninfoSource  # registers this adapter's source type (see registry.py)

QUERY_PATH = "/new/hisAnnouncement/query"
REFERER_PATH = "/new/commonUrl/pageOfSearch?url=disclosure/list/search"
HIGHLIGHT = re.compile(r"</?em>", re.IGNORECASE)


def _headers(settings: CninfoSource) -> dict[str, str]:
    return {"Referer": settings.base_url + REFERER_PATH, "Origin": settings.base_url,
            "X-Requested-With": "XMLHttpRequest",
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}


def query_form(settings: CninfoSource, searchkey: str, page: int) -> dict[str, str]:
    today = utc_now().astimezone(CST).date()
    window = f"{today - timedelta(days=settings.days)}~{today}"
    return {"pageNum": str(page), "pageSize": str(settings.page_size), "column": settings.column,
            "tabName": "fulltext", "plate": settings.plate, "stock": "", "searchkey": searchkey, "secid": "",
            "category": "", "trade": "", "seDate": window, "sortName": "", "sortType": "", "isHLtitle": "true"}


def announcement_items(data: Mapping[str, Any], settings: CninfoSource, where: str) -> list[DiscoveredItem]:
    """Items of one result page; `announcements` may be null (no results), but must be present."""
    items: list[DiscoveredItem] = []
    for row in require(data, "announcements", where) or []:
        adjunct = require(row, "adjunctUrl", where)
        if not adjunct:
            continue
        raw_title = HIGHLIGHT.sub("", str(require(row, "announcementTitle", where)))
        published = parse_epoch_ms(require(row, "announcementTime", where))
        if published is None:
            raise SourceError(f"{where}: announcementTime {row.get('announcementTime')!r} is not epoch ms")
        company = f"{row.get('secCode') or ''} {row.get('secName') or ''}".strip()
        items.append(DiscoveredItem(
            url=f"{settings.static_url.rstrip('/')}/{str(adjunct).lstrip('/')}", source=settings.name,
            title=clean_text(raw_title), published=published, summary=clean_text(company) or None,
            language=settings.language or "zh", kind=official_kind(settings)))
    return items


async def _pages(settings: CninfoSource, ctx: SourceContext, searchkey: str) -> AsyncIterator[DiscoveredItem]:
    url = settings.base_url + QUERY_PATH
    for page in range(1, settings.max_pages + 1):
        data = await ctx.get_json(url, method="POST", data=query_form(settings, searchkey, page),
                                  headers=_headers(settings))
        where = f"{url} searchkey={searchkey} page {page}"
        total = require_int(data, "totalAnnouncement", where)
        items = announcement_items(data, settings, where)
        for item in items:
            yield item
        if not items or page * settings.page_size >= total or data.get("hasMore") is False:
            return


async def discover(settings: CninfoSource, ctx: SourceContext) -> AsyncIterator[Discovered]:
    for searchkey in settings.searchkeys:
        async for item in _pages(settings, ctx, searchkey):
            yield item
