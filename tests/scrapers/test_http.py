"""Polite fetching against a real local server: retries, Retry-After, faults, size limits, redirects."""
from __future__ import annotations

import asyncio
import time
import zlib

import httpx
import pytest
from sitekit import Reply, Request, Site, fast_fetch, fetch_one, gzip_bytes

from pharmadeals.models.errors import ItemError
from pharmadeals.scrapers.http import Fetcher, Response, build_client, host_allowed, retry_after

PAGE = b"<html><body><p>licence</p></body></html>"


def sequence(*replies: Reply):
    script = list(replies)

    def handle(_req: Request) -> Reply:
        return script.pop(0) if len(script) > 1 else script[0]
    return handle


def test_503_then_success(site: Site) -> None:
    site.routes["/flaky"] = sequence(Reply(503), Reply(503), Reply(200, PAGE, {"Content-Type": "text/html"}))
    resp = fetch_one(site.url("/flaky"))
    assert isinstance(resp, Response) and resp.body == PAGE
    assert site.hits["/flaky"] == 3


def test_429_honours_retry_after(site: Site) -> None:
    site.routes["/limited"] = sequence(Reply(429, b"slow down", {"Retry-After": "1"}), Reply(200, PAGE))
    started = time.monotonic()
    resp = fetch_one(site.url("/limited"), fetch_fast := fast_fetch(backoff_base=0.0))
    assert isinstance(resp, Response) and resp.status == 200
    assert time.monotonic() - started >= 0.95
    assert fetch_fast.backoff_base == 0.0 and site.hits["/limited"] == 2


def test_retry_after_beyond_backoff_max_gives_up_at_once(site: Site) -> None:
    site.add("/banned", b"", status=429, headers={"Retry-After": "600"})
    err = fetch_one(site.url("/banned"))
    assert isinstance(err, ItemError) and err.kind == "fetch" and "600" in err.reason
    assert site.hits["/banned"] == 1


def test_attempts_are_bounded(site: Site) -> None:
    site.add("/down", b"", status=500)
    err = fetch_one(site.url("/down"), fast_fetch(max_retries=3))
    assert isinstance(err, ItemError) and "after 4 attempt" in err.reason
    assert site.hits["/down"] == 4


def test_404_is_not_retried(site: Site) -> None:
    err = fetch_one(site.url("/missing"))
    assert isinstance(err, ItemError) and err.kind == "http" and "404" in err.reason
    assert site.hits["/missing"] == 1


def test_timeout_is_retried_then_reported(site: Site) -> None:
    site.routes["/slow"] = lambda req: Reply(200, PAGE, delay=1.0)
    err = fetch_one(site.url("/slow"), fast_fetch(timeout=0.2, max_retries=1))
    assert isinstance(err, ItemError) and "timed out" in err.reason and "after 2 attempt(s)" in err.reason


def test_slow_drip_body_hits_the_total_time_limit(site: Site) -> None:
    site.routes["/drip"] = lambda req: Reply(200, PAGE * 20, {"Content-Type": "text/html"}, drip=0.1)
    started = time.monotonic()
    err = fetch_one(site.url("/drip"), fast_fetch(timeout=0.3, max_retries=0))
    assert isinstance(err, ItemError) and "timed out" in err.reason
    assert time.monotonic() - started < 2


def test_crawl_delay_from_robots_spaces_requests(site: Site) -> None:
    from sitekit import run_crawl

    from pharmadeals.scrapers.sources.feed import FeedSource

    site.add("/robots.txt", b"User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain")
    items = "".join(f"<item><title>licence {n}</title><link>{site.base}/p{n}</link></item>" for n in range(3))
    site.add("/feed.xml", f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>",
             content_type="application/rss+xml")
    for n in range(3):
        site.add(f"/p{n}", PAGE)
    started = time.monotonic()
    run_crawl([FeedSource(name="f", type="feed", url=site.url("/feed.xml"))], fetch=fast_fetch(obey_robots=True))
    assert time.monotonic() - started >= 0.9  # feed + three pages, 0.3 s apart


def test_connection_reset_then_success(site: Site) -> None:
    site.routes["/reset"] = sequence(Reply(reset=True), Reply(200, PAGE))
    resp = fetch_one(site.url("/reset"))
    assert isinstance(resp, Response) and resp.body == PAGE


def test_connection_refused_is_reported() -> None:
    err = fetch_one("http://127.0.0.1:9/nothing-listens-here", fast_fetch(max_retries=1))
    assert isinstance(err, ItemError) and "cannot connect to 127.0.0.1:9" in err.reason


@pytest.mark.parametrize("declared", [True, False])
def test_oversized_body_is_refused(site: Site, declared: bool) -> None:
    big = b"x" * 300_000
    headers = {} if declared else {"Content-Length": str(len(big))}
    site.add("/big", big, headers=headers)
    err = fetch_one(site.url("/big"), fast_fetch(max_body_bytes=100_000))
    assert isinstance(err, ItemError) and err.kind == "too_large"


def test_gzip_bomb_counts_decoded_bytes(site: Site) -> None:
    bomb = gzip_bytes(b"\0" * 50_000_000)  # ~50 KB on the wire, 50 MB inflated
    assert len(bomb) < 100_000
    site.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    err = fetch_one(site.url("/bomb"), fast_fetch(max_body_bytes=1_000_000))
    assert isinstance(err, ItemError) and err.kind == "too_large" and "decoded" in err.reason


@pytest.mark.parametrize("encoding, encode", [
    ("gzip", gzip_bytes),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
])
def test_compressed_bodies_are_decoded(site: Site, encoding: str, encode) -> None:
    site.add("/z", encode(PAGE * 100), headers={"Content-Encoding": encoding})
    resp = fetch_one(site.url("/z"))
    assert isinstance(resp, Response) and resp.body == PAGE * 100


def test_redirect_loop(site: Site) -> None:
    site.add("/a", status=302, headers={"Location": "/b"})
    site.add("/b", status=301, headers={"Location": "/a"})
    err = fetch_one(site.url("/a"))
    assert isinstance(err, ItemError) and err.kind == "redirect" and "loop" in err.reason


def test_too_many_redirects(site: Site) -> None:
    for i in range(10):
        site.add(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    err = fetch_one(site.url("/r0"), fast_fetch(max_redirects=3))
    assert isinstance(err, ItemError) and "more than 3 redirects" in err.reason


@pytest.mark.parametrize("location, fragment", [
    ("file:///etc/passwd", "non-HTTP"),
    ("ftp://127.0.0.1/x", "non-HTTP"),
    ("http://evil.example/steal", "evil.example"),
    ("http://localhost:1/x", "localhost"),
])
def test_redirects_to_bad_schemes_and_hosts_are_refused(site: Site, location: str, fragment: str) -> None:
    site.add("/go", status=302, headers={"Location": location})
    err = fetch_one(site.url("/go"))
    assert isinstance(err, ItemError) and err.kind == "redirect" and fragment in err.reason


def test_redirect_to_allowed_host_and_303_post(site: Site) -> None:
    site.add("/form", status=303, headers={"Location": site.url("/done")})
    site.routes["/done"] = lambda req: Reply(200, req.method.encode(), {"Content-Type": "text/plain"})
    resp = fetch_one(site.url("/form"), method="POST", data={"q": "1"})
    assert isinstance(resp, Response) and resp.body == b"GET"


@pytest.mark.parametrize("host, origin, allowed, ok", [
    ("www.example.com", "example.com", [], True),
    ("example.com", "www.example.com", [], True),
    ("endpoints.news", "endpts.com", ["endpoints.news"], True),
    ("static.cninfo.com.cn", "www.cninfo.com.cn", ["*.cninfo.com.cn"], True),
    ("cninfo.com.cn.evil.io", "www.cninfo.com.cn", ["*.cninfo.com.cn"], False),
    ("other.com", "example.com", [], False),
])
def test_host_allowed(host: str, origin: str, allowed: list[str], ok: bool) -> None:
    assert host_allowed(host, origin, allowed) is ok


def test_content_type_check(site: Site) -> None:
    site.add("/img", b"\x89PNG....", content_type="image/png")
    err = fetch_one(site.url("/img"), accept=("text/",))
    assert isinstance(err, ItemError) and err.kind == "content_type"


def test_unwanted_type_is_refused_before_download(site: Site) -> None:
    site.routes["/video"] = lambda req: Reply(200, b"v" * 6400, {"Content-Type": "video/mp4"}, drip=0.05)
    started = time.monotonic()
    err = fetch_one(site.url("/video"), accept=("text/", "application/pdf"))
    assert isinstance(err, ItemError) and err.kind == "content_type"
    assert time.monotonic() - started < 1.5  # streaming all of it would take 5 s


def test_conditional_request_gets_304(site: Site) -> None:
    def handle(req: Request) -> Reply:
        if req.headers.get("If-None-Match") == '"abc"':
            return Reply(304)
        return Reply(200, PAGE, {"ETag": '"abc"', "Last-Modified": "Fri, 20 Nov 2026 08:00:00 GMT"})
    site.routes["/cond"] = handle
    first = fetch_one(site.url("/cond"))
    assert first.header("etag") == '"abc"'
    second = fetch_one(site.url("/cond"), validators=(first.header("etag"), first.header("last-modified")))
    assert second.status == 304 and second.body == b""
    assert site.log[-1].headers["If-Modified-Since"] == "Fri, 20 Nov 2026 08:00:00 GMT"


def test_user_agent_and_headers_sent(site: Site) -> None:
    site.add("/ua", PAGE)
    fetch_one(site.url("/ua"), headers={"Referer": "https://ref.example/"})
    sent = site.log[-1].headers
    assert sent["User-Agent"].startswith("pharmadeals-test/") and sent["Referer"] == "https://ref.example/"


@pytest.mark.parametrize("value, low, high", [("5", 5, 5), ("0", 0, 0), ("soon", None, None), (None, None, None),
                                              ("Wed, 21 Oct 2015 07:28:00 GMT", 0, 0)])
def test_retry_after_parsing(value: str | None, low: float | None, high: float | None) -> None:
    got = retry_after(value)
    assert got == low if low is None else low <= got <= high


def test_per_host_concurrency_and_delay(site: Site) -> None:
    active = {"now": 0, "peak": 0}

    def handle(_req: Request) -> Reply:
        active["now"] += 1
        active["peak"] = max(active["peak"], active["now"])
        time.sleep(0.2)
        active["now"] -= 1
        return Reply(200, PAGE)
    site.routes["/p"] = handle

    async def run(settings) -> float:
        async with build_client(settings) as client:
            fetcher = Fetcher(settings, client)
            started = time.monotonic()
            await asyncio.gather(*(fetcher.request(site.url("/p")) for _ in range(6)))
            return time.monotonic() - started

    asyncio.run(run(fast_fetch(concurrency=8, per_host_concurrency=2)))
    assert active["peak"] == 2
    elapsed = asyncio.run(run(fast_fetch(concurrency=8, per_host_concurrency=8, per_host_delay=0.1)))
    assert elapsed >= 0.5  # six requests to one host, at least 0.1 s apart


def test_mock_transport_is_accepted() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=PAGE,
                                                                   headers={"Content-Type": "text/html"}))

    async def go() -> Response:
        async with build_client(fast_fetch(), transport) as client:
            return await Fetcher(fast_fetch(), client).request("https://news.example.com/x")
    assert asyncio.run(go()).body == PAGE
