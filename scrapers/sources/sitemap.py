"""The `sitemap` source: sitemap indexes (recursively, .xml.gz too) and Google-News sitemaps, newest first."""
from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from pharmadeals.models.records import DiscoveredItem
from pharmadeals.scrapers.inflate import BudgetDecoder
from pharmadeals.scrapers.sources.base import Discovered, SourceContext, SourceError, clean_text
from pharmadeals.scrapers.sources.dates import parse_w3c, utc_now
from pharmadeals.scrapers.sources.settings import SitemapSource
from pharmadeals.scrapers.sources.xmlsafe import local, parse_xml

SETTINGS = SitemapSource  # registers this adapter's source type (see registry.py)

MAX_DEPTH = 3
MAX_CHILD_SITEMAPS = 50
FALLBACK_PATHS = ("/news-sitemap.xml", "/sitemap_news.xml", "/sitemap.xml")


@dataclass(frozen=True)
class Entry:
    loc: str
    when: datetime | None
    title: str | None = None


def gunzip(body: bytes, limit: int, where: str) -> bytes:
    """Inflate a .xml.gz body without ever holding more than `limit` bytes (gzip bombs)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        out = BudgetDecoder("gzip").feed(body, limit)
    except zlib.error as exc:
        raise SourceError(f"{where}: broken gzip ({exc})") from exc
    if len(out) > limit:
        raise SourceError(f"{where}: sitemap inflates beyond max_body_bytes {limit}")
    return out


def _child(node: Element, name: str) -> Element | None:
    return next((c for c in node if local(c.tag) == name), None)


def _text(node: Element | None, name: str) -> str | None:
    found = _child(node, name) if node is not None else None
    return found.text.strip() if found is not None and found.text else None


def parse_sitemap(root: Element) -> tuple[list[Entry], list[Entry]]:
    """(pages, child sitemaps) of a urlset or sitemapindex."""
    kind = local(root.tag)
    if kind == "sitemapindex":
        return [], [Entry(loc, parse_w3c(_text(node, "lastmod")))
                    for node in root if local(node.tag) == "sitemap" and (loc := _text(node, "loc"))]
    if kind != "urlset":
        raise SourceError(f"not a sitemap (root element <{kind}>)")
    pages: list[Entry] = []
    for node in root:
        loc = _text(node, "loc") if local(node.tag) == "url" else None
        if not loc:
            continue
        news = _child(node, "news")
        when = parse_w3c(_text(news, "publication_date")) or parse_w3c(_text(node, "lastmod"))
        pages.append(Entry(loc, when, clean_text(_text(news, "title"))))
    return pages, []


async def _roots(settings: SitemapSource, ctx: SourceContext) -> list[str]:
    """The sitemap URL given, or for a bare site: robots.txt Sitemap lines, then the usual paths."""
    parts = urlsplit(settings.url)
    if parts.path not in ("", "/"):
        return [settings.url]
    try:
        robots = (await ctx.get(urljoin(settings.url, "/robots.txt"))).body.decode("utf-8", "replace")
    except SourceError:
        robots = ""
    listed = [line.split(":", 1)[1].strip() for line in robots.splitlines()
              if line.lower().startswith("sitemap:")]
    return listed or [urljoin(settings.url, p) for p in FALLBACK_PATHS]


async def _collect(url: str, ctx: SourceContext, since: datetime, depth: int, out: list[Entry]) -> None:
    resp = await ctx.get(url)
    root = parse_xml(gunzip(resp.body, ctx.fetch.max_body_bytes, url), url)
    pages, children = parse_sitemap(root)
    out.extend(pages)
    if children and depth >= MAX_DEPTH:
        raise SourceError(f"{url}: sitemap indexes nested deeper than {MAX_DEPTH}")
    fresh = [c for c in children if c.when is None or c.when >= since]
    fresh.sort(key=lambda c: c.when or since, reverse=True)
    for child in fresh[:MAX_CHILD_SITEMAPS]:
        await _collect(urljoin(url, child.loc), ctx, since, depth + 1, out)


async def discover(settings: SitemapSource, ctx: SourceContext) -> AsyncIterator[Discovered]:
    since = utc_now() - timedelta(days=settings.days)
    entries: list[Entry] = []
    roots = await _roots(settings, ctx)
    errors: list[str] = []
    for root in roots:
        try:
            await _collect(root, ctx, since, 1, entries)
        except SourceError as exc:
            errors.append(str(exc))
    if errors and (len(errors) == len(roots) or not entries):
        raise SourceError("; ".join(errors))
    wanted = [e for e in entries if (e.when is None or e.when >= since)
              and (not settings.url_contains or any(part in e.loc for part in settings.url_contains))]
    wanted.sort(key=lambda e: e.when or since, reverse=True)
    for entry in wanted:
        yield DiscoveredItem(url=entry.loc, source=settings.name, title=entry.title, published=entry.when,
                             language=settings.language, kind=settings.kind)
