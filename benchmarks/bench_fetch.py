"""Fetch-path speed: pages/s of crawl() against a local server with many small pages and no delay.

Run: .venv/bin/python benchmarks/bench_fetch.py [--pages 2000] [--concurrency 16] [--archive]
Prints crawl pages/s next to a bare httpx loop against the same server (the server's own ceiling), so
it shows whether the polite fetch path (limits, robots, retries, size checks, WARC) is the bottleneck.
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pharmadeals.scrapers.crawl import crawl
from pharmadeals.scrapers.events import Fetched
from pharmadeals.scrapers.settings import ArchiveSettings, FetchSettings
from pharmadeals.scrapers.sources.feed import FeedSource

PAGE = ("<html><head><meta charset='utf-8'><title>Deal {n}</title></head><body><article><p>"
        + "Company {n} granted exclusive rights outside Greater China for 50 million dollars upfront. " * 8
        + "</p></article></body></html>")


def serve(pages: int, port_out: Any = None) -> ThreadingHTTPServer:
    feed = "".join(f"<item><title>Licence deal {n}</title><link>/p/{n}.html</link></item>" for n in range(pages))
    bodies = {f"/p/{n}.html": PAGE.format(n=n).encode() for n in range(pages)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                base = f"http://{self.headers['Host']}"
                body = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>bench</title>"
                        f"{feed.replace('<link>/', f'<link>{base}/')}</channel></rss>").encode()
                ctype = "application/rss+xml"
            elif self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            else:
                body, ctype = bodies.get(self.path, b""), "text/html; charset=utf-8"
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    if port_out is not None:  # run in a child process so the server does not share our GIL
        port_out.put(server.server_address[1])
        server.serve_forever()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class MemoryState:
    def is_known(self, url: str) -> bool:
        return False

    def validators(self, url: str) -> None:
        return None

    def cursor(self, source: str) -> None:
        return None

    def set_cursor(self, source: str, value: str) -> None:
        pass


async def crawl_rate(base: str, pages: int, concurrency: int, archive_dir: str | None) -> tuple[int, float]:
    fetch = FetchSettings(concurrency=concurrency, per_host_concurrency=min(concurrency, 16), per_host_delay=0,
                          obey_robots=True, user_agent="pharmadeals-bench/0.1 (bench@pharmadeals.dev)")
    archive = ArchiveSettings(enabled=archive_dir is not None, directory=archive_dir or "unused")
    source = FeedSource(name="bench", type="feed", url=f"{base}/feed.xml", max_items=pages)
    started = time.perf_counter()
    count = 0
    async for event in crawl([source], fetch, archive, MemoryState()):
        count += isinstance(event, Fetched)
    return count, time.perf_counter() - started


async def bare_rate(base: str, pages: int, concurrency: int) -> tuple[int, float]:
    limits = httpx.Limits(max_connections=concurrency)
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=limits) as client:
        async def one(n: int) -> int:
            async with sem:
                return len((await client.get(f"{base}/p/{n}.html")).content)
        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(pages)))
        return pages, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--archive", action="store_true", help="also write a WARC (as a real run does)")
    args = parser.parse_args()
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    child = multiprocessing.Process(target=serve, args=(args.pages, ports), daemon=True)
    child.start()
    base = f"http://127.0.0.1:{ports.get(timeout=10)}"
    n, secs = asyncio.run(bare_rate(base, args.pages, args.concurrency))
    print(f"bare httpx loop   : {n} pages in {secs:.2f}s = {n / secs:,.0f} pages/s (server ceiling)")
    with tempfile.TemporaryDirectory() as tmp:
        n, secs = asyncio.run(crawl_rate(base, args.pages, args.concurrency, tmp if args.archive else None))
        label = "crawl() + WARC    " if args.archive else "crawl()           "
        print(f"{label}: {n} pages in {secs:.2f}s = {n / secs:,.0f} pages/s "
              f"(concurrency {args.concurrency}, no delay, robots on)")
    child.terminate()
    child.join()


if __name__ == "__main__":
    main()
