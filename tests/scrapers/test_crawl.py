"""crawl(): incremental runs, 304s, one article through two sources, stop, limits and loud source failures."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sitekit import SITES, DictState, Reply, Request, Site, add_template, fast_fetch, run_crawl

from pharmadeals.scrapers import crawl as crawl_module
from pharmadeals.scrapers.crawl import crawl
from pharmadeals.scrapers.events import Failed, Fetched, NotModified, Skipped, SourceDone
from pharmadeals.scrapers.settings import ArchiveSettings
from pharmadeals.scrapers.sources.feed import FeedSource
from pharmadeals.scrapers.sources.html_list import HtmlListSource
from pharmadeals.scrapers.sources.sitemap import SitemapSource

ARTICLES = ("/news/licence-deal.html", "/news/second.html", "/news/earnings.html", "/news/archive/zai-lab.html")


def serve_news(site: Site) -> None:
    """The feed, sitemaps and article pages of one site; pages answer 304 to a matching ETag."""
    add_template(site, "/feed.xml", "feeds/fierce.xml", "application/rss+xml; charset=utf-8")
    add_template(site, "/sitemaps/news.xml", "sitemaps/news.xml")
    body = (SITES / "news_en/licence-deal.html").read_bytes()
    for path in ARTICLES:
        etag = f'"{abs(hash(path))}"'

        def handle(req: Request, etag: str = etag) -> Reply:
            if req.headers.get("If-None-Match") == etag:
                return Reply(304, headers={"ETag": etag})
            return Reply(200, body, {"Content-Type": "text/html; charset=utf-8", "ETag": etag})
        site.routes[path] = handle


def feed(site: Site, **extra: Any) -> FeedSource:
    return FeedSource(name="fierce", type="feed", url=site.url("/feed.xml"), exclude_url=["/sponsored/"], **extra)


def of(events: list[Any], kind: type) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


def article_hits(site: Site) -> int:
    return sum(n for path, n in site.hits.items() if path.startswith("/news/"))


def test_first_run_fetches_and_second_run_fetches_nothing_new(site: Site) -> None:
    serve_news(site)
    state = DictState()
    first = run_crawl([feed(site)], state=state)
    assert len(of(first, Fetched)) == 3
    assert of(first, SourceDone) == [SourceDone("fierce", 3, None)]
    state.remember(first)
    hits = article_hits(site)
    second = run_crawl([feed(site)], state=state)
    assert of(second, Fetched) == [] and article_hits(site) == hits
    assert {e.reason for e in of(second, Skipped)} == {"already stored"}


def test_tracking_parameters_are_dropped_from_urls(site: Site) -> None:
    serve_news(site)
    urls = {e.page.url for e in of(run_crawl([feed(site)]), Fetched)}
    assert site.url("/news/licence-deal.html") in urls and not any("utm_" in u for u in urls)


def test_304_on_second_run_for_pages_not_stored(site: Site) -> None:
    serve_news(site)
    state = DictState()
    first = run_crawl([feed(site)], state=state)
    for event in of(first, Fetched):  # validators kept, but no article stored (e.g. it had no deal text)
        state.stored[event.page.url] = (event.page.etag, event.page.last_modified)
    second = run_crawl([feed(site)], state=state)
    assert len(of(second, NotModified)) == 3 and of(second, Fetched) == []


def serve_feed_with_etag(site: Site) -> None:
    body = (SITES / "feeds/fierce.xml").read_text(encoding="utf-8").replace("{{BASE}}", site.base).encode()

    def handle(req: Request) -> Reply:
        if req.headers.get("If-None-Match") == '"feed-v1"':
            return Reply(304, headers={"ETag": '"feed-v1"'})
        return Reply(200, body, {"Content-Type": "application/rss+xml", "ETag": '"feed-v1"'})
    site.routes["/feed.xml"] = handle


def test_unchanged_feed_answers_304_after_a_complete_run(site: Site) -> None:
    serve_news(site)
    serve_feed_with_etag(site)
    state = DictState()
    first = run_crawl([feed(site)], state=state)
    state.remember(first)
    assert state.validators(site.url("/feed.xml")) == ('"feed-v1"', None)
    second = run_crawl([feed(site)], state=state)
    assert second == [SourceDone("fierce", 0, None)]
    assert site.log[-1].headers.get("If-None-Match") == '"feed-v1"'


def test_feed_validators_not_kept_when_an_item_failed(site: Site) -> None:
    serve_news(site)
    serve_feed_with_etag(site)
    site.add("/news/earnings.html", b"", status=500)
    state = DictState()
    state.remember(run_crawl([feed(site)], state=state))
    assert state.validators(site.url("/feed.xml")) is None
    second = run_crawl([feed(site)], state=state)
    assert [e.kind for e in of(second, Failed)] == ["fetch"]  # the failed item is tried again


def test_same_article_through_two_sources_is_fetched_once(site: Site) -> None:
    serve_news(site)
    sitemap = SitemapSource(name="news_sitemap", type="sitemap", url=site.url("/sitemaps/news.xml"))
    events = run_crawl([feed(site), sitemap])
    fetched = [e.page.url for e in of(events, Fetched)]
    assert len(fetched) == len(set(fetched)) == 3
    assert site.hits["/news/licence-deal.html"] == 1 and site.hits["/news/second.html"] == 1
    taken = [e for e in of(events, Skipped) if "already taken this run" in e.reason]
    assert len(taken) == 2
    assert {d.source for d in of(events, SourceDone)} == {"fierce", "news_sitemap"}


def test_keywords_filter_on_title_and_summary(site: Site) -> None:
    serve_news(site)
    events = run_crawl([feed(site, keywords=["LICENS", "option"])])
    assert sorted(e.page.url.rsplit("/", 1)[1] for e in of(events, Fetched)) == ["licence-deal.html", "second.html"]
    assert [e.reason for e in of(events, Skipped)] == ["no keyword in title or summary"]


def test_failed_article_is_reported_and_run_goes_on(site: Site) -> None:
    serve_news(site)
    site.add("/news/earnings.html", b"", status=500)
    events = run_crawl([feed(site)])
    assert [(e.kind, e.url.rsplit("/", 1)[1]) for e in of(events, Failed)] == [("fetch", "earnings.html")]
    assert len(of(events, Fetched)) == 2


def test_broken_listing_fails_the_source_loudly_and_others_continue(site: Site) -> None:
    serve_news(site)
    broken = FeedSource(name="gone", type="feed", url=site.url("/no-such-feed.xml"))
    events = run_crawl([broken, feed(site)])
    done = {d.source: d for d in of(events, SourceDone)}
    assert done["gone"].error and "404" in done["gone"].error and done["gone"].discovered == 0
    assert done["fierce"].error is None and len(of(events, Fetched)) == 3


def test_cursor_saved_after_success_only(site: Site) -> None:
    serve_news(site)
    state = DictState()
    run_crawl([feed(site), FeedSource(name="gone", type="feed", url=site.url("/nope.xml"))], state=state)
    assert state.cursors["fierce"].startswith("2026-11-20")  # the newest item's date
    assert "gone" not in state.cursors


def test_max_items_and_stop(site: Site) -> None:
    serve_news(site)
    assert len(of(run_crawl([feed(site, max_items=1)]), Fetched)) == 1
    events = run_crawl([feed(site)], stop=lambda: True)
    assert of(events, Fetched) == [] and len(of(events, SourceDone)) == 1


def test_adapter_bug_is_a_source_error(monkeypatch: pytest.MonkeyPatch, site: Site) -> None:
    class Broken:
        @staticmethod
        async def discover(settings: Any, ctx: Any):
            raise KeyError("surprise")
            yield  # pragma: no cover

    monkeypatch.setattr(crawl_module, "adapter_for", lambda _type: Broken)
    done = of(run_crawl([feed(site)]), SourceDone)
    assert done[0].error and "internal error" in done[0].error and "surprise" in done[0].error


def test_disabled_sources_are_not_run(site: Site) -> None:
    serve_news(site)
    assert run_crawl([feed(site, enabled=False)]) == []


def test_consumer_can_stop_early(site: Site) -> None:
    serve_news(site)

    async def first_event() -> Any:
        gen = crawl([feed(site)], fast_fetch(), ArchiveSettings(enabled=False), DictState())
        event = await gen.__anext__()
        await gen.aclose()
        return event
    assert asyncio.run(first_event()) is not None


def test_consumer_leaving_with_a_full_queue_does_not_hang(site: Site) -> None:
    items = "".join(f"<item><title>licence {n}</title><link>{site.base}/p{n}</link></item>" for n in range(60))
    site.add("/many.xml", f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>",
             content_type="application/rss+xml")
    for n in range(60):
        site.add(f"/p{n}", (SITES / "news_en/second.html").read_bytes())

    async def take_one() -> Any:
        gen = crawl([FeedSource(name="many", type="feed", url=site.url("/many.xml"), max_items=60)],
                    fast_fetch(concurrency=2), ArchiveSettings(enabled=False), DictState())
        first = await gen.__anext__()
        await asyncio.sleep(0.5)  # let the queue fill up
        await asyncio.wait_for(gen.aclose(), timeout=5)
        return first
    assert isinstance(asyncio.run(take_one()), Fetched)


def test_listing_pages_paginate_and_stop_at_known_items(site: Site) -> None:
    serve_news(site)
    site.add_file("/listing/page1.html", "listing/page1.html")
    site.add_file("/listing/page2.html", "listing/page2.html")
    source = HtmlListSource(name="deals", type="html_list", url=site.url("/listing/page1.html"),
                            link_selector="ul.news a", date_selector="span.date", next_selector="a.next",
                            max_pages=5)
    state = DictState()
    first = run_crawl([source], state=state)
    assert len(of(first, Fetched)) == 3 and site.hits["/listing/page2.html"] == 1
    state.remember(first)
    run_crawl([source], state=state)
    assert site.hits["/listing/page2.html"] == 1  # page 1 was all known, so page 2 was not read again
