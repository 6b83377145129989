"""Replayed ingest, end to end on one core: build a WARC of N corpus-based pages with a real crawl
(in-process transport, archiving on), then time `ingest --replay` of it into a fresh database."""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pharmadeals.pipeline.config import settings_from_mapping  # noqa: E402
from pharmadeals.pipeline.run import ingest  # noqa: E402

CORPUS = ROOT / "tests" / "corpora" / "corpus"
FEED = "https://bench.example.org/feed.xml"


def corpus_pages() -> list[tuple[bytes, str]]:
    pages = []
    for path in sorted(CORPUS.glob("*/*")):
        if path.suffix in (".txt", ".html"):
            kind = "text/html" if path.suffix == ".html" else "text/plain; charset=utf-8"
            pages.append((path.read_bytes(), kind))
    return pages


def build_archive(tmp: Path, count: int) -> Path:
    pages = corpus_pages()
    routes: dict[str, tuple[bytes, str]] = {}
    for i in range(count):
        body, kind = pages[i % len(pages)]
        # each copy gets its own url and a distinct line, so it is stored, not skipped as a duplicate
        routes[f"https://bench.example.org/a/{i}"] = (body + f"\n\nReference {i}.\n".encode(), kind)
    items = "".join(f"<item><title>item {i}</title><link>{url}</link></item>" for i, url in enumerate(routes))
    routes[FEED] = (f'<rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'.encode(),
                    "application/rss+xml")

    def handler(request: httpx.Request) -> httpx.Response:
        hit = routes.get(str(request.url))
        return httpx.Response(200, content=hit[0], headers={"content-type": hit[1]}) if hit else httpx.Response(404)

    settings = settings_from_mapping({
        "database": {"url": f"sqlite:///{tmp}/build.db"}, "logging": {"file": None},
        "fetch": {"per_host_delay": 0, "concurrency": 16, "per_host_concurrency": 16},
        "archive": {"enabled": True, "directory": str(tmp / "warc")},
        "sources": [{"name": "bench", "type": "feed", "url": FEED, "max_items": count}]})
    ingest(settings, transport=httpx.MockTransport(handler))
    return next((tmp / "warc").glob("*.warc.gz"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        warc = build_archive(tmp, args.pages)
        settings = settings_from_mapping({"database": {"url": f"sqlite:///{tmp}/replay.db"},
                                          "logging": {"file": None}, "archive": {"enabled": False}})
        started = time.perf_counter()
        report = ingest(settings, replay=[str(warc)])
        seconds = time.perf_counter() - started
    fetched = report.counters.total("fetched")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"replayed {fetched} pages in {seconds:.1f}s: {fetched / seconds:.1f} pages/s end to end "
          f"({report.counters.total('deals')} deal mentions); peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
