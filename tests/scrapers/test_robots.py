"""robots.txt: RFC 9309 matching, 4xx allows all, 5xx/unreachable denies all, one fetch per host per run."""
from __future__ import annotations

import asyncio

import pytest
from sitekit import Site, fast_fetch, run_crawl

from pharmadeals.scrapers.events import Fetched, Skipped, SourceDone
from pharmadeals.scrapers.robots import RobotsCache, agent_token, rules_for
from pharmadeals.scrapers.sources.feed import FeedSource

ROBOTS = b"""User-agent: *
Disallow: /private/
Allow: /private/press/
Crawl-delay: 2

User-agent: pharmadeals-test
Disallow: /members/
"""
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Public licence story</title><link>{base}/news/ok.html</link></item>
<item><title>Members licence story</title><link>{base}/members/deal.html</link></item>
</channel></rss>"""
PAGE = b"<html><body><article><p>" + b"A licence deal was signed for rights outside China. " * 3 + b"</p></article></body></html>"


@pytest.mark.parametrize("status, body, path, allowed", [
    (200, ROBOTS, "/news/a.html", True),
    (200, ROBOTS, "/members/a.html", False),       # the group naming our agent wins over *
    (200, ROBOTS, "/private/a.html", True),         # ... so the * group's rules do not apply to us
    (404, b"", "/anything", True),
    (403, b"", "/anything", True),
    (500, b"", "/anything", False),
    (503, b"", "/anything", False),
])
def test_rules(status: int, body: bytes, path: str, allowed: bool) -> None:
    rules = rules_for(status, body)
    assert rules.can_fetch("https://site.example" + path, "pharmadeals-test") is allowed


def test_longest_match_and_allow_wins_for_star_group() -> None:
    rules = rules_for(200, ROBOTS)
    assert rules.can_fetch("https://s.example/private/press/x", "otherbot") is True
    assert rules.can_fetch("https://s.example/private/x", "otherbot") is False


def test_agent_token() -> None:
    assert agent_token("pharmadeals/0.1 (+https://x; contact: a@b.c)") == "pharmadeals"


def test_unreachable_host_denies_and_is_cached() -> None:
    calls: list[str] = []

    async def getter(url: str) -> tuple[int, bytes]:
        from pharmadeals.models.errors import ItemError
        calls.append(url)
        raise ItemError("fetch", "connection refused")

    async def go() -> tuple[bool, bool]:
        cache = RobotsCache("pharmadeals/1", getter)
        return await cache.allowed("https://down.example/a"), await cache.allowed("https://down.example/b")
    assert asyncio.run(go()) == (False, False)
    assert calls == ["https://down.example/robots.txt"]


def test_crawl_obeys_robots_and_fetches_robots_once(site: Site) -> None:
    site.add("/robots.txt", ROBOTS, content_type="text/plain")
    site.add("/feed.xml", FEED.format(base=site.base), content_type="application/rss+xml")
    site.add("/news/ok.html", PAGE)
    site.add("/members/deal.html", PAGE)
    events = run_crawl([FeedSource(name="f", type="feed", url=site.url("/feed.xml"))],
                       fetch=fast_fetch(obey_robots=True))
    assert [e.page.url for e in events if isinstance(e, Fetched)] == [site.url("/news/ok.html")]
    skipped = [e for e in events if isinstance(e, Skipped)]
    assert len(skipped) == 1 and "robots.txt" in skipped[0].reason
    assert site.hits["/members/deal.html"] == 0 and site.hits["/robots.txt"] == 1


def test_robots_5xx_stops_the_listing(site: Site) -> None:
    site.add("/robots.txt", b"", status=503)
    site.add("/feed.xml", FEED.format(base=site.base), content_type="application/rss+xml")
    events = run_crawl([FeedSource(name="f", type="feed", url=site.url("/feed.xml"))],
                       fetch=fast_fetch(obey_robots=True, max_retries=0))
    done = next(e for e in events if isinstance(e, SourceDone))
    assert done.error and "robots.txt" in done.error and "HTTP 503" in done.error and "unreadable" in done.error
    assert site.hits["/feed.xml"] == 0


def test_unreachable_host_says_so() -> None:
    events = run_crawl([FeedSource(name="f", type="feed", url="http://127.0.0.1:9/feed.xml")],
                       fetch=fast_fetch(obey_robots=True, max_retries=0))
    done = next(e for e in events if isinstance(e, SourceDone))
    assert done.error and "cannot connect to 127.0.0.1:9" in done.error and "unreadable" in done.error


def test_unresolvable_host_fails_fast_without_retries() -> None:
    import time
    started = time.monotonic()
    events = run_crawl([FeedSource(name="f", type="feed", url="http://no-such-host.invalid/feed.xml")],
                       fetch=fast_fetch(obey_robots=True, max_retries=4, backoff_base=1.0))
    done = next(e for e in events if isinstance(e, SourceDone))
    assert done.error and "cannot resolve host no-such-host.invalid" in done.error
    assert time.monotonic() - started < 3.0  # retrying with backoff_base 1.0 would take 7 s or more
