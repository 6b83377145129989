"""The `html_list` source: a listing page read with CSS selectors for links, titles and dates, with pagination."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timezone
from typing import cast
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from pharmadeals.models.errors import ItemError
from pharmadeals.models.records import DiscoveredItem
from pharmadeals.scrapers.decode import decode_body
from pharmadeals.scrapers.sources.base import Discovered, SourceContext, SourceError, clean_text
from pharmadeals.scrapers.sources.dates import CST, parse_loose, parse_w3c
from pharmadeals.scrapers.sources.settings import HtmlListSource

SETTINGS = HtmlListSource  # registers this adapter's source type (see registry.py)

ANCESTOR_LEVELS = 4  # how far up from a link to look for its title/date elements (the item card)
HTML_ONLY = ("text/html", "application/xhtml", "text/plain")


def _near(link: Tag, selector: str | None, link_selector: str) -> Tag | None:
    """The element matching selector closest to link, searching up its item card (an ancestor holding
    no other listed link), so one card's date is never given to the next."""
    if not selector:
        return None
    node: Tag | None = link
    for _ in range(ANCESTOR_LEVELS + 1):
        if node is None or (node is not link and len(node.select(link_selector)) > 1):
            return None
        found = node.select_one(selector)
        if found is not None:
            return found
        node = node.parent if isinstance(node.parent, Tag) else None
    return None


def _date(tag: Tag | None, zone: timezone | ZoneInfo) -> datetime | None:
    if tag is None:
        return None
    machine = tag.get("datetime") or tag.get("content")
    if isinstance(machine, str) and (parsed := parse_w3c(machine)) is not None:
        return parsed
    return parse_loose(tag.get_text(" ", strip=True), zone)


def parse_listing(html: str, page_url: str, settings: HtmlListSource) -> tuple[list[DiscoveredItem], str | None]:
    """(items, next page URL) of one listing page."""
    soup = BeautifulSoup(html, "lxml")
    zone = CST if settings.language == "zh" else UTC
    try:
        links = soup.select(settings.link_selector)
        next_tag = soup.select_one(settings.next_selector) if settings.next_selector else None
    except SelectorSyntaxError as exc:
        raise SourceError(f"bad CSS selector: {exc}") from exc
    items: list[DiscoveredItem] = []
    seen: set[str] = set()
    for node in links:
        anchor = node if node.name == "a" else node.find("a")
        if not isinstance(anchor, Tag):
            continue
        href = anchor.get("href")
        if not isinstance(href, str) or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(page_url, href.strip())
        if url in seen:
            continue
        seen.add(url)
        title_tag = _near(anchor, settings.title_selector, settings.link_selector)
        title = clean_text((title_tag or anchor).get_text(" ", strip=True)) or clean_text(cast("str | None", anchor.get("title")))
        published = _date(_near(anchor, settings.date_selector, settings.link_selector), zone)
        items.append(DiscoveredItem(url=url, source=settings.name, title=title, published=published,
                                    language=settings.language, kind=settings.kind))
    nxt = next_tag.get("href") if next_tag is not None else None
    return items, urljoin(page_url, nxt) if isinstance(nxt, str) and nxt.strip() else None


async def discover(settings: HtmlListSource, ctx: SourceContext) -> AsyncIterator[Discovered]:
    url: str | None = settings.url
    visited: set[str] = set()
    for number in range(settings.max_pages):
        if url is None or url in visited:
            return
        visited.add(url)
        resp = await ctx.get(url, accept=HTML_ONLY)
        try:
            html = decode_body(resp.body, resp.content_type)
        except ItemError as exc:
            raise SourceError(f"listing {url}: {exc.reason}") from exc
        items, url = parse_listing(html, resp.url, settings)
        if not items and number == 0:
            raise SourceError(f"{settings.url}: selector {settings.link_selector!r} matched no links "
                              "(did the page layout change?)")
        for item in items:
            yield item
        if items and all(ctx.is_known(item.url) for item in items):
            return  # everything on this page is stored already; older pages will be too
