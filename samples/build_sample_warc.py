"""Rebuild samples/sample.warc.gz, the archive `make demo` replays.

It runs a real crawl of two feeds (one English, one Chinese) whose items are pages of our own dev
corpus, served at their sidecar URLs by an in-process httpx transport, with archiving on; the run's
WARC file becomes the sample. Run: .venv/bin/python samples/build_sample_warc.py
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pharmadeals.pipeline.config import settings_from_mapping  # noqa: E402
from pharmadeals.pipeline.run import ingest  # noqa: E402

CORPUS = ROOT / "tests" / "corpora" / "corpus"
FEEDS = {"en": "https://news.example.org/feeds/deals-en.xml", "zh": "https://news.example.org/feeds/deals-zh.xml"}
PICK = {  # a few reports per deal, both languages, plus pages with no deal
    "en": ["hengrui-gsk-pr", "hengrui-gsk-hkex", "3sbio-pfizer-pr", "3sbio-pfizer-wire", "hansoh-gsk-wire",
           "astrazeneca-cspc-ai-trade", "hutchmed-takeda-pr", "harbour-astrazeneca-pr",
           "akeso-ivonescimab-harmoni2-readout", "hengrui-h1-2025-results"],
    "zh": ["hengrui-gsk-yicai", "3sbio-pfizer-cls", "hansoh-gsk-vcbeat", "cspc-astrazeneca-stcn",
           "hutchmed-takeda-yicai", "harbour-astrazeneca-dongmai", "hengrui-kailera-cninfo", "tul-novo-hkex",
           "neg-hengrui-earnings-jiemian", "neg-stock-move-stcn"],
}


def pages() -> dict[str, dict[str, list[tuple[Path, dict]]]]:
    found: dict[str, list[tuple[Path, dict]]] = {}
    for language, stems in PICK.items():
        found[language] = []
        for sidecar in sorted((CORPUS / language).glob("*.json")):
            if sidecar.stem in stems:
                body = next(p for p in sidecar.parent.glob(sidecar.stem + ".*") if p.suffix != ".json")
                found[language].append((body, json.loads(sidecar.read_text(encoding="utf-8"))))
    return found


def rss(language: str, items: list[tuple[Path, dict]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(meta.get('title', body.stem))}</title><link>{escape(meta['url'])}</link>"
        f"<guid>{escape(meta['url'])}</guid><pubDate>{format_datetime(datetime.fromisoformat(meta['published']).replace(tzinfo=UTC))}</pubDate></item>"
        for body, meta in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Sample deals ({language})'
            f"</title><link>https://news.example.org/</link>{entries}</channel></rss>").encode()


def main() -> None:
    chosen = pages()
    routes: dict[str, tuple[bytes, str]] = {FEEDS[lang]: (rss(lang, items), "application/rss+xml")
                                            for lang, items in chosen.items()}
    for items in chosen.values():
        for body, meta in items:
            kind = "text/html; charset=utf-8" if body.suffix in (".html", ".htm") else "text/plain; charset=utf-8"
            routes[meta["url"]] = (body.read_bytes(), kind)

    def handler(request: httpx.Request) -> httpx.Response:
        hit = routes.get(str(request.url))
        if hit is None:
            return httpx.Response(404, text="not found")
        return httpx.Response(200, content=hit[0], headers={"content-type": hit[1]})

    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_from_mapping({
            "database": {"url": f"sqlite:///{tmp}/build.db"}, "logging": {"file": None},
            "fetch": {"per_host_delay": 0, "backoff_base": 0.01},
            "archive": {"enabled": True, "directory": f"{tmp}/warc"},
            "sources": [{"name": f"sample_{lang}", "type": "feed", "url": url, "language": lang}
                        for lang, url in FEEDS.items()]})
        report = ingest(settings, transport=httpx.MockTransport(handler))
        warc = next(Path(tmp, "warc").glob("*.warc.gz"))
        shutil.copy(warc, ROOT / "samples" / "sample.warc.gz")
    print(f"wrote samples/sample.warc.gz: {report.counters.total('fetched')} pages, "
          f"{report.counters.total('deals')} deal mentions")


if __name__ == "__main__":
    main()
