"""The sitemap adapter: index recursion, .xml.gz children, Google-News entries, date window, newest first."""
from __future__ import annotations

import gzip
from typing import Any

import pytest
from sitekit import SITES, Site, add_template, fast_fetch, run_crawl

from pharmadeals.scrapers.events import Fetched, SourceDone
from pharmadeals.scrapers.sources.base import SourceError
from pharmadeals.scrapers.sources.sitemap import SitemapSource, gunzip


def serve_sitemaps(site: Site) -> None:
    add_template(site, "/robots.txt", "sitemaps/robots.txt", "text/plain")
    add_template(site, "/sitemaps/index.xml", "sitemaps/index.xml")
    add_template(site, "/sitemaps/news.xml", "sitemaps/news.xml")
    add_template(site, "/sitemaps/archive-month.xml.gz", "sitemaps/archive-month.xml", gz=True)
    add_template(site, "/sitemaps/archive-old.xml.gz", "sitemaps/archive-old.xml", gz=True)
    page = (SITES / "news_en/second.html").read_bytes()
    for path in ("/news/licence-deal.html", "/news/second.html", "/news/archive/zai-lab.html", "/about.html",
                 "/news/too-old.html", "/news/archive/ancient.html"):
        site.add(path, page)


def fetched(events: list[Any]) -> list[str]:
    return [e.page.url.split("/", 3)[3] for e in events if isinstance(e, Fetched)]


def done(events: list[Any]) -> SourceDone:
    return next(e for e in events if isinstance(e, SourceDone))


def test_index_recursion_window_and_order(site: Site) -> None:
    serve_sitemaps(site)
    src = SitemapSource(name="sm", type="sitemap", url=site.url("/sitemaps/index.xml"), days=3,
                        url_contains=["/news/"])
    events = run_crawl([src], fetch=fast_fetch(concurrency=1, per_host_concurrency=1))
    assert fetched(events) == ["news/second.html", "news/archive/zai-lab.html", "news/licence-deal.html"]
    assert site.hits["/sitemaps/archive-old.xml.gz"] == 0  # its lastmod is outside the window
    assert done(events) == SourceDone("sm", 3, None)


def test_news_titles_come_from_the_sitemap(site: Site) -> None:
    serve_sitemaps(site)
    src = SitemapSource(name="sm", type="sitemap", url=site.url("/sitemaps/news.xml"), keywords=["licens"])
    events = run_crawl([src])
    pages = [e.page for e in events if isinstance(e, Fetched)]
    assert [p.item.title for p in pages] == ["Hengrui licenses PD-1 bispecific to Boston start-up"]


def test_site_root_discovers_sitemaps_from_robots(site: Site) -> None:
    serve_sitemaps(site)
    events = run_crawl([SitemapSource(name="sm", type="sitemap", url=site.url("/"), days=3)])
    assert "about.html" in fetched(events) and done(events).error is None


def test_site_root_without_robots_tries_usual_paths(site: Site) -> None:
    serve_sitemaps(site)
    del site.routes["/robots.txt"]
    add_template(site, "/sitemap.xml", "sitemaps/news.xml")
    events = run_crawl([SitemapSource(name="sm", type="sitemap", url=site.url("/"), days=3)])
    assert sorted(fetched(events)) == ["news/licence-deal.html", "news/second.html"]


@pytest.mark.parametrize("body, message", [
    (b"<?xml version='1.0'?><urlset><url><loc>http://x/a</loc></url>", "malformed XML"),
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><urlset/>", "hostile XML"),
    (b"<html><body>not a sitemap</body></html>", "not a sitemap"),
])
def test_bad_sitemaps_fail_the_source(site: Site, body: bytes, message: str) -> None:
    site.add("/bad.xml", body, content_type="application/xml")
    error = done(run_crawl([SitemapSource(name="sm", type="sitemap", url=site.url("/bad.xml"))])).error
    assert error and message in error


def test_gzip_bomb_sitemap_is_refused() -> None:
    bomb = gzip.compress(b" " * 20_000_000)
    with pytest.raises(SourceError, match="beyond max_body_bytes"):
        gunzip(bomb, 1_000_000, "bomb.xml.gz")
    assert gunzip(b"<urlset/>", 100, "plain") == b"<urlset/>"
