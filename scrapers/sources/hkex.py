"""The `hkex` source: HKEXnews latest-announcement JSON and the title-search servlet (double-encoded JSON)."""
from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from pharmadeals.models.records import DiscoveredItem, Language
from pharmadeals.scrapers.sources.base import (
    Discovered,
    SourceContext,
    SourceError,
    clean_text,
    official_kind,
    require,
    require_int,
)
from pharmadeals.scrapers.sources.dates import HKT, parse_hkex, utc_now
from pharmadeals.scrapers.sources.settings import HkexSource

SETTINGS = HkexSource  # registers this adapter's source type (see registry.py)

LATEST_PATH = "/ncms/json/eds/lci{board}{window}relsd{lang}_{page}.json"
SEARCH_PATH = "/search/titleSearchServlet.do"
MAX_LATEST_PAGES = 30
ROW_RANGE = 500
MAX_ROW_RANGE = 5000
SEARCH_LANG = {"e": "EN", "c": "ZH"}
LANGUAGE: dict[str, Language] = {"e": "en", "c": "zh"}


def _code(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits.zfill(5) if digits else value.strip()


def _item(settings: HkexSource, url: str, title: str, when: str, stocks: list[tuple[str, str]], lang: str
          ) -> DiscoveredItem | None:
    wanted = {_code(c) for c in settings.stock_codes}
    if wanted and not wanted & {_code(code) for code, _ in stocks}:
        return None
    summary = "; ".join(f"{code} {name}".strip() for code, name in stocks) or None
    return DiscoveredItem(url=url, source=settings.name, title=clean_text(title), published=parse_hkex(when),
                          summary=clean_text(summary), language=LANGUAGE[lang], kind=official_kind(settings))


def latest_items(data: Mapping[str, Any], settings: HkexSource, lang: str, where: str) -> list[DiscoveredItem]:
    """Items of one latest-announcements JSON page; titles must contain one of settings.titles."""
    items: list[DiscoveredItem] = []
    for row in require(data, "newsInfoLst", where) or []:
        title = str(require(row, "title", where)).replace("\n", " ")
        if settings.titles and not any(t.casefold() in title.casefold() for t in settings.titles):
            continue
        stocks = [(html.unescape(str(require(s, "sc", where))), html.unescape(str(require(s, "sn", where))))
                  for s in require(row, "stock", where) or []]
        url = settings.base_url + str(require(row, "webPath", where))
        item = _item(settings, url, title, str(require(row, "relTime", where)), stocks, lang)
        if item is not None:
            items.append(item)
    return items


def search_rows(data: Mapping[str, Any], where: str) -> list[Mapping[str, Any]]:
    """Rows of a title search: `result` is a JSON array encoded as a string, or the string "null"."""
    result = require(data, "result", where)
    if result is None or result == "null" or result == "":
        return []
    rows = json.loads(result) if isinstance(result, str) else result
    if not isinstance(rows, list):
        raise SourceError(f"{where}: result is not a list of announcements")
    return rows


def search_items(rows: list[Mapping[str, Any]], settings: HkexSource, lang: str, where: str) -> list[DiscoveredItem]:
    items: list[DiscoveredItem] = []
    for row in rows:
        codes = str(require(row, "STOCK_CODE", where)).split("<br/>")
        names = str(require(row, "STOCK_NAME", where)).split("<br/>")
        stocks = [(html.unescape(c), html.unescape(names[i] if i < len(names) else "")) for i, c in enumerate(codes)]
        url = settings.base_url + str(require(row, "FILE_LINK", where))
        item = _item(settings, url, str(require(row, "TITLE", where)), str(require(row, "DATE_TIME", where)),
                     stocks, lang)
        if item is not None:
            items.append(item)
    return items


async def _latest(settings: HkexSource, ctx: SourceContext) -> AsyncIterator[DiscoveredItem]:
    window = "1" if settings.days <= 1 else "7"
    for board in settings.boards:
        for lang in settings.langs:
            page, last = 1, 1
            while page <= min(last, MAX_LATEST_PAGES):
                url = settings.base_url + LATEST_PATH.format(board=board, window=window, lang=lang, page=page)
                data = await ctx.get_json(url)
                last = require_int(data, "maxNumOfFile", url)
                for item in latest_items(data, settings, lang, url):
                    yield item
                page += 1


def _search_url(settings: HkexSource, title: str, lang: str, row_range: int) -> str:
    today = utc_now().astimezone(HKT).date()
    params = {"sortDir": "0", "sortByOptions": "DateTime", "category": "0", "market": "SEHK", "stockId": "-1",
              "documentType": "-1", "fromDate": (today - timedelta(days=settings.days)).strftime("%Y%m%d"),
              "toDate": today.strftime("%Y%m%d"), "title": title, "searchType": "0", "t1code": "-2",
              "t2Gcode": "-2", "t2code": "-2", "rowRange": str(row_range), "lang": SEARCH_LANG[lang]}
    return f"{settings.base_url}{SEARCH_PATH}?{urlencode(params)}"


async def _title_search(settings: HkexSource, ctx: SourceContext) -> AsyncIterator[DiscoveredItem]:
    for lang in settings.langs:
        for title in settings.titles:
            url = _search_url(settings, title, lang, ROW_RANGE)
            data = await ctx.get_json(url)
            if data.get("hasNextRow") and int(data.get("recordCnt") or 0) > ROW_RANGE:
                url = _search_url(settings, title, lang, min(int(data["recordCnt"]), MAX_ROW_RANGE))
                data = await ctx.get_json(url)
            try:
                rows = search_rows(data, url)
            except json.JSONDecodeError as exc:
                raise SourceError(f"{url}: result is not valid JSON ({exc})") from exc
            for item in search_items(rows, settings, lang, url):
                yield item


async def discover(settings: HkexSource, ctx: SourceContext) -> AsyncIterator[Discovered]:
    produce = _latest if settings.mode == "latest" else _title_search
    async for item in produce(settings, ctx):
        yield item
