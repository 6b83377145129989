"""Extraction speed on one core: start-up cost (registry, spaCy, jieba) and articles per second from article text.

Run: .venv/bin/python benchmarks/bench_extract.py [--rounds 5] [--corpus tests/corpora/corpus]
Articles are decoded once up front (HTML/text extraction is not timed); only `extract_many` is.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target is stated


def load_articles(corpus: Path) -> list:
    from pharmadeals.pipeline.commands.extract import read_input
    from pharmadeals.pipeline.config import Settings
    from pharmadeals.scrapers.article import page_to_article

    settings = Settings()
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".html"))
    return [page_to_article(read_input(str(p), settings)) for p in files]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="tests/corpora/corpus")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    articles = load_articles(Path(args.corpus))

    start = time.perf_counter()
    from pharmadeals.extractors.deals import extract_deals
    from pharmadeals.extractors.nlp import pipeline

    pipeline("en"), pipeline("zh")
    extract_deals(articles[0])  # registry regexes and jieba dictionary are built on first use
    startup = time.perf_counter() - start

    from pharmadeals.extractors.deals import extract_many

    done, deals = 0, 0
    start = time.perf_counter()
    for _ in range(args.rounds):
        for result in extract_many(articles):
            done += 1
            deals += len(result.deals)
    elapsed = time.perf_counter() - start
    chars = sum(len(a.text) for a in articles) * args.rounds
    en = sum(a.language == "en" for a in articles)
    print(f"start-up (registry + spaCy en/zh + jieba, once per process): {startup:.2f} s")
    print(f"articles: {len(articles)} ({en} en, {len(articles) - en} zh) x {args.rounds} rounds = {done}")
    print(f"throughput: {done / elapsed:.1f} articles/s, {chars / elapsed / 1000:.0f} k chars/s, "
          f"{elapsed / done * 1000:.1f} ms/article, {deals // args.rounds} deals per round")


if __name__ == "__main__":
    main()
