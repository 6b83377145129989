"""The `feed` source: RSS 0.9x/1.0/2.0 and Atom via feedparser, fed bytes we fetched and screened with defusedxml."""
from __future__ import annotations

import calendar
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import feedparser

from pharmadeals.models.records import DiscoveredItem
from pharmadeals.scrapers.events import Failed
from pharmadeals.scrapers.sources.base import Discovered, SourceContext, SourceError, as_utc, clean_text
from pharmadeals.scrapers.sources.settings import FeedSource
from pharmadeals.scrapers.sources.xmlsafe import parse_xml

SETTINGS = FeedSource  # registers this adapter's source type (see registry.py)

# pubDate formats feedparser cannot read (Fierce: "Jul 31, 2026 8:59am", US Eastern time).
LOOSE_DATES = (("%b %d, %Y %I:%M%p", "America/New_York"), ("%Y-%m-%d %H:%M:%S", "Asia/Shanghai"),
               ("%Y-%m-%d %H:%M", "Asia/Shanghai"))


def entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)  # plain dict access: avoids feedparser's deprecated key aliasing
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    raw = (entry.get("published") or entry.get("updated") or "").strip()
    for fmt, zone in LOOSE_DATES:
        try:
            return as_utc(datetime.strptime(raw.upper(), fmt)
                          .replace(tzinfo=ZoneInfo(zone)))
        except ValueError:
            continue
    return None


def inline_body(entry: Any) -> bytes | None:
    """content:encoded (or the summary) wrapped as HTML, for sources whose pages are not fetched."""
    content = entry.get("content") or []
    html = content[0].get("value") if content else entry.get("summary")
    if not html:
        return None
    title = entry.get("title") or ""
    return f"<html><head><title>{title}</title></head><body><article>{html}</article></body></html>".encode()


def parse_feed(body: bytes, settings: FeedSource, where: str) -> tuple[str, list[Discovered]]:
    """(channel title, items) of a feed body; hostile or unreadable feeds raise SourceError."""
    parse_xml(body, where)
    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.entries and not parsed.feed.get("title"):
        raise SourceError(f"{where}: not an RSS or Atom feed")
    items: list[Discovered] = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            items.append(Failed(where, settings.name, "feed", f"entry {entry.get('title')!r} has no link"))
            continue
        if any(part in link for part in settings.exclude_url):
            continue
        body_html = None if settings.fetch_body else inline_body(entry)
        items.append(DiscoveredItem(
            url=link, source=settings.name, title=clean_text(entry.get("title")), published=entry_date(entry),
            summary=clean_text(entry.get("summary")), language=settings.language, kind=settings.kind,
            inline_body=body_html, inline_content_type="text/html" if body_html else None))
    return clean_text(parsed.feed.get("title")) or "", items


async def discover(settings: FeedSource, ctx: SourceContext) -> AsyncIterator[Discovered]:
    resp = await ctx.get(settings.url, conditional=True)
    if resp.status == 304:
        return  # unchanged since the last complete run
    title, items = parse_feed(resp.body, settings, settings.url)
    if settings.expect_title and settings.expect_title.casefold() not in title.casefold():
        raise SourceError(f"{settings.url}: channel title {title!r} is not {settings.expect_title!r} "
                          "(the site may serve a fallback feed for an unknown path)")
    for item in items:
        yield item
