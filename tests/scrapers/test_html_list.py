"""The html_list adapter: CSS selectors for links/titles/dates, GBK listings, pagination, layout changes."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sitekit import SITES, Site, run_crawl

from pharmadeals.scrapers.events import Fetched, SourceDone
from pharmadeals.scrapers.sources.html_list import HtmlListSource, parse_listing


def listing(url: str, **extra: Any) -> HtmlListSource:
    values: dict[str, Any] = {"name": "list", "type": "html_list", "url": url, "link_selector": "ul.news a",
                              "date_selector": "span.date", "next_selector": "a.next"}
    values.update(extra)
    return HtmlListSource(**values)


def test_links_titles_dates_and_next_page() -> None:
    html = (SITES / "listing/page1.html").read_text(encoding="utf-8")
    items, nxt = parse_listing(html, "https://news.example.com/listing/page1.html",
                               listing("https://news.example.com/listing/page1.html"))
    assert [(i.url, i.title) for i in items] == [
        ("https://news.example.com/news/licence-deal.html", "Hengrui licenses PD-1 bispecific"),
        ("https://news.example.com/news/second.html", "Innovent signs option deal"),
    ]
    assert items[0].published == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert nxt == "https://news.example.com/listing/page2.html"


def test_chinese_listing_in_gbk_with_relative_dates(site: Site) -> None:
    site.add_file("/zh/list.html", "listing/zh-gbk.html", content_type="text/html")
    for path, fixture in (("/zh/gbk-meta.html", "news_zh/gbk-meta.html"),
                          ("/zh/big5-nometa.html", "news_zh/big5-nometa.html")):
        site.add_file(path, fixture)
    src = listing(site.url("/zh/list.html"), link_selector="div.event-card h1.title-content a",
                  date_selector="span.spa2", next_selector=None, language="zh")
    events = run_crawl([src])
    items = sorted((e.page.item for e in events if isinstance(e, Fetched)), key=lambda i: i.url)
    assert [i.title for i in items] == ["信达生物签署授权许可协议", "恒瑞医药与美国公司签署独家许可协议"]
    # 2026年11月20日 10:30 is Beijing time
    assert items[1].published == datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
    age = datetime.now(UTC) - items[0].published
    assert timedelta(hours=2, minutes=59) < age < timedelta(hours=3, minutes=1)


def test_pagination_stops_at_page_limit_and_loops(site: Site) -> None:
    site.add_file("/listing/page1.html", "listing/page1.html")
    site.add_file("/listing/page2.html", "listing/page2.html")
    run_crawl([listing(site.url("/listing/page1.html"), max_pages=1)])
    assert site.hits["/listing/page2.html"] == 0
    run_crawl([listing(site.url("/listing/page1.html"), max_pages=10)])
    assert site.hits["/listing/page1.html"] == 2 and site.hits["/listing/page2.html"] == 1  # page2 links back


def test_selector_that_matches_nothing_fails_loudly(site: Site) -> None:
    site.add_file("/listing/page1.html", "listing/page1.html")
    events = run_crawl([listing(site.url("/listing/page1.html"), link_selector="div.renamed-in-redesign a")])
    done = next(e for e in events if isinstance(e, SourceDone))
    assert done.error and "matched no links" in done.error


def test_invalid_selector_is_reported(site: Site) -> None:
    site.add_file("/listing/page1.html", "listing/page1.html")
    done = next(e for e in run_crawl([listing(site.url("/listing/page1.html"), link_selector="ul[[")])
            if isinstance(e, SourceDone))
    assert done.error and "bad CSS selector" in done.error


def test_title_selector_within_the_item_card() -> None:
    html = """<div class="card"><a href="/a1"><img src="x.png"></a><h2 class="t">Licence deal one</h2>
    <time datetime="2026-11-21T09:00:00+08:00">yesterday</time></div>
    <div class="card"><a href="/a2"><img src="y.png"></a><h2 class="t">Licence deal two</h2></div>"""
    src = listing("https://n.example/list", link_selector="div.card > a", title_selector="h2.t",
                  date_selector="time", next_selector=None)
    items, nxt = parse_listing(html, "https://n.example/list", src)
    assert [(i.url, i.title) for i in items] == [("https://n.example/a1", "Licence deal one"),
                                                 ("https://n.example/a2", "Licence deal two")]
    assert items[0].published == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert items[1].published is None and nxt is None
