"""The feed adapter: RSS 2.0/1.0/Atom, Fierce quirks, hostile and malformed XML, fallback feeds."""
from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sitekit import SITES, Site, add_template, fill, run_crawl

from pharmadeals.scrapers.events import Fetched, SourceDone
from pharmadeals.scrapers.sources.base import SourceError
from pharmadeals.scrapers.sources.feed import FeedSource, parse_feed


def source(**extra: Any) -> FeedSource:
    return FeedSource(name="f", type="feed", url="http://127.0.0.1/feed", **extra)


def parsed(fixture: str, site: Site, **extra: Any) -> tuple[str, list[Any]]:
    body = fill((SITES / fixture).read_text(encoding="utf-8"), site).encode("utf-8")
    return parse_feed(body, source(**extra), fixture)


def test_rss2_with_fierce_quirks(site: Site) -> None:
    title, items = parsed("feeds/fierce.xml", site, exclude_url=["/sponsored/"])
    assert title == "Example Biotech Daily"
    assert [i.title for i in items] == ["Hengrui licenses PD-1 bispecific to Boston start-up",
                                        "Innovent signs option deal for ADC",
                                        "Quarterly earnings beat expectations at a US medtech"]
    # "Nov 20, 2026 8:30am" is US Eastern time
    assert items[0].published == datetime(2026, 11, 20, 13, 30, tzinfo=UTC)
    assert items[1].published == datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
    assert items[0].summary and "75 million dollars upfront" in items[0].summary
    assert all(i.inline_body is None for i in items)


@pytest.mark.parametrize("fixture, count, first_title", [
    ("feeds/atom.xml", 1, "8-K - Acme Bio Inc (0001234567) Item 1.01 licence agreement"),
    ("feeds/rdf.xml", 1, "Innovent option on ADC licence"),
    ("feeds/zh-36kr.xml", 2, "恒瑞医药与美国公司签署独家许可协议"),
    ("feeds/rss091.xml", 1, "Licence deal signed in Zürich"),
])
def test_atom_rss1_and_chinese(site: Site, fixture: str, count: int, first_title: str) -> None:
    _title, items = parsed(fixture, site)
    assert len(items) == count and items[0].title == first_title
    assert items[0].published is not None or fixture.endswith("rss091.xml")  # 0.91 items carry no date


def test_gb2312_feed(site: Site) -> None:
    body = (SITES / "feeds/zh-gb2312.xml").read_bytes().replace(b"{{BASE}}", site.base.encode())
    title, items = parse_feed(body, source(), "gb2312 feed")
    assert title == "示例医药资讯" and items[0].title == "恒瑞医药与美国公司签署独家许可协议"


def test_inline_bodies_when_pages_are_not_fetched(site: Site) -> None:
    _title, items = parsed("feeds/fierce.xml", site, fetch_body=False)
    assert b"20 million dollars" in items[1].inline_body
    assert items[0].inline_content_type == "text/html"


@pytest.mark.parametrize("fixture, message", [
    ("feeds/billion-laughs.xml", "hostile XML"),
    ("feeds/external-entity.xml", "hostile XML"),
    ("feeds/malformed.xml", "malformed XML"),
])
def test_hostile_and_malformed_feeds_are_refused(site: Site, fixture: str, message: str) -> None:
    started = time.monotonic()
    with pytest.raises(SourceError, match=message):
        parsed(fixture, site)
    assert time.monotonic() - started < 1


def test_html_page_instead_of_feed_is_refused() -> None:
    with pytest.raises(SourceError):
        parse_feed(b"<html><body><p>Sign in</p></body></html>", source(), "login page")


def test_fallback_feed_with_unexpected_title_fails_the_source(site: Site) -> None:
    add_template(site, "/prn.rss", "feeds/prn-fallback.xml")
    events = run_crawl([FeedSource(name="prn", type="feed", url=site.url("/prn.rss"),
                                   expect_title="Contracts")])
    done = next(e for e in events if isinstance(e, SourceDone))
    assert done.error and "channel title" in done.error
    assert site.hits["/news/picnic.html"] == 0


def test_hostile_feed_in_a_crawl_is_a_source_error(site: Site) -> None:
    add_template(site, "/evil.xml", "feeds/billion-laughs.xml")
    done = next(e for e in run_crawl([FeedSource(name="evil", type="feed", url=site.url("/evil.xml"))])
            if isinstance(e, SourceDone))
    assert done.error and "hostile XML" in done.error


def test_chinese_feed_with_zh_keywords(site: Site) -> None:
    add_template(site, "/36kr.xml", "feeds/zh-36kr.xml")
    site.add_file("/zh/gbk-meta.html", "news_zh/gbk-meta.html", content_type="text/html")
    events = run_crawl([FeedSource(name="kr", type="feed", url=site.url("/36kr.xml"), keywords=["许可", "授权"])])
    fetched = [e.page for e in events if isinstance(e, Fetched)]
    assert [p.url for p in fetched] == [site.url("/zh/gbk-meta.html")]  # ?f=rss tracking parameter dropped
    assert site.hits["/zh/ev.html?f=rss"] == 0 and site.hits["/zh/ev.html"] == 0
