"""Backfill throughput: WARC pages per second with 1, 2 and 4 Dask worker processes on this machine.

Run: .venv/bin/python benchmarks/bench_backfill.py [--pages 2000] [--files 8] [--workers 1 2 4] [--db-url URL]
Pages are the dev corpus (tests/corpora/corpus, English and Chinese) repeated with a numbered line so every
page is a distinct article; they are written to WARC files with the app's own archive writer. Each run
uses a fresh database (a SQLite file unless --db-url names an empty PostgreSQL database) and a warm
LocalCluster (models loaded on every worker before the clock starts); the time is the whole backfill:
hashing, extraction on the workers and writing through Storage in this process. "writer s" is the time
this process spent storing (the single writer); "load" is the 1-minute load average after the run, since
other work on the machine skews the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpora" / "corpus"


def corpus_pages() -> list[tuple[str, str, str, bytes, str]]:
    """(slug, title, published, body, content type) of every corpus article with a sidecar."""
    pages = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".txt", ".html") or not path.with_suffix(".json").exists():
            continue
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        ctype = "text/html; charset=utf-8" if path.suffix == ".html" else "text/plain; charset=utf-8"
        pages.append((path.stem, meta.get("title") or path.stem, meta.get("published") or "2025-01-01",
                      path.read_bytes(), ctype))
    return pages


MARKET = ("Shares of {co} rose {pct}% in Hong Kong on {day} as investors weighed quarterly results.",
          "{co} reported revenue of {num} million yuan for the quarter, up {pct}% from a year earlier.",
          "Analysts at a regional broker kept a neutral rating on {co}, citing pricing pressure.",
          "The company said enrolment in its phase {ph} trial of {drug} was on schedule.",
          "Trading volume was {pct} times the three-month average, exchange data showed.",
          "{co} plans to present updated data on {drug} at a medical meeting later this year.",
          "The benchmark index ended the session {pct}% lower, dragged down by property stocks.")
COMPANIES = ("Fosun Pharma", "Sino Biopharm", "Luye Pharma", "Hutchmed", "Ascentage", "InnoCare", "Everest Medicines")


def market_page(i: int) -> tuple[str, str, str, bytes, str]:
    """A no-deal news page (most of a real archive): market and trial chatter, numbered to stay distinct."""
    co = COMPANIES[i % len(COMPANIES)]
    lines = [MARKET[(i + k) % len(MARKET)].format(co=co, pct=(i * 7 + k) % 19 + 1, day="Monday", num=100 + i % 900,
                                                 ph=1 + (i + k) % 3, drug=f"XL-{100 + (i + k) % 50}")
             for k in range(9)]
    body = f"{co} market update {i}\n\n" + "\n\n".join(lines) + f"\n\nArchive item {i}.\n"
    return f"market-{i}", f"{co} market update {i}", "2025-05-12", body.encode(), "text/plain; charset=utf-8"


def write_warcs(folder: Path, n_pages: int, n_files: int, deal_share: float = 1.0) -> list[str]:
    from pharmadeals.models.records import DiscoveredItem, Page
    from pharmadeals.scrapers.archive import WarcArchive
    from pharmadeals.scrapers.settings import ArchiveSettings

    pages = corpus_pages()
    paths = []
    for f in range(n_files):
        tmp = folder / f"tmp{f}"
        archive = WarcArchive(ArchiveSettings(directory=str(tmp)))
        for i in range(f, n_pages, n_files):
            if (i * 7919) % 1000 >= deal_share * 1000:
                slug, title, day, body, ctype = market_page(i)
            else:
                slug, title, day, body, ctype = pages[i % len(pages)]
            stamp = f"\n\nArchive item {i}.\n".encode()
            body = body.replace(b"</body>", stamp + b"</body>") if b"</body>" in body else body + stamp
            url = f"https://archive.example/{i}/{slug}"
            item = DiscoveredItem(url=url, source="archive", title=title,
                                  published=datetime.fromisoformat(day[:10]))
            archive.write_page(Page(url=url, source="archive", body=body, content_type=ctype, item=item))
        archive.close()
        target = folder / f"part-{f:03d}.warc.gz"
        shutil.move(str(archive.path), target)
        shutil.rmtree(tmp)
        paths.append(str(target))
    return paths


def warm() -> None:
    """Load what a task needs (spaCy en/zh, jieba, registry) once per worker, before timing."""
    from datetime import date

    from pharmadeals.extractors.deals import extract_deals
    from pharmadeals.extractors.nlp import pipeline
    from pharmadeals.models.records import Article, Page
    from pharmadeals.scrapers.article import page_to_article

    pipeline("en"), pipeline("zh")
    page_to_article(Page(url="https://x.example/a", source="x", content_type="text/html",
                         body=b"<html><body><article><p>" + b"Warm-up text for the HTML extractor. " * 5
                         + b"</p></article></body></html>"))
    for lang, text in (("en", "Hengrui licensed a drug to Merck for $10 million upfront."),
                       ("zh", "恒瑞医药将药物授权给默沙东，首付款1000万美元。")):
        extract_deals(Article(url="x", source="x", title="x", text=text, language=lang, published=date(2025, 1, 1)))


def one_run(paths: list[str], workers: int, db_url: str) -> dict[str, float]:
    from dask.distributed import Client, LocalCluster

    from pharmadeals.pipeline.backfill import Writer, run_backfill
    from pharmadeals.pipeline.config import settings_from_mapping
    from pharmadeals.pipeline.run import open_storage

    settings = settings_from_mapping({"database": {"url": db_url}, "archive": {"enabled": False},
                                      "logging": {"file": None, "level": "WARNING"}})
    storage = open_storage(settings)
    task_seconds: list[float] = []
    write_seconds = [0.0]
    write = Writer.write

    def timed_write(self, result):  # type: ignore[no-untyped-def]
        begin = time.perf_counter()
        write(self, result)
        write_seconds[0] += time.perf_counter() - begin

    Writer.write = timed_write  # measure the single writer's share (this process only)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(warm)
        run_id = storage.begin_run("backfill")
        report = run_backfill(settings, storage, run_id, paths, client,
                              on_file=lambda result, done, total: task_seconds.append(result.seconds))
        storage.finish_run(run_id, report.status, report.exit_code, report.counters.as_dict())
    storage.engine.dispose()
    Writer.write = write
    return {"workers": workers, "load_avg_1m": round(os.getloadavg()[0], 1), "pages": report.pages, "seconds": round(report.seconds, 2),
            "pages_per_s": round(report.pages_per_second, 1),
            "task_pages_per_s_per_worker": round(report.pages / sum(task_seconds), 1),
            "writer_seconds": round(write_seconds[0], 2), "deals": report.counters.total("deals")}


def fresh_db(base: str | None, folder: Path, workers: int) -> str:
    if base is None:
        return f"sqlite:///{folder / f'bench-{workers}.db'}"
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as conn:  # empty the given PostgreSQL database between runs
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--deal-share", type=float, default=1.0,
                        help="share of pages taken from the deal-heavy corpus; the rest are no-deal market news")
    parser.add_argument("--db-url", default=None, help="an EMPTY PostgreSQL database (it is wiped between runs)")
    args = parser.parse_args()
    import logging

    logging.getLogger("distributed").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        paths = write_warcs(folder, args.pages, args.files, args.deal_share)
        print(f"wrote {args.pages} pages in {len(paths)} WARC files ({sum(os.path.getsize(p) for p in paths):,} "
              f"bytes) in {time.perf_counter() - started:.1f}s; CPUs: {os.cpu_count()}; "
              f"database: {'SQLite file' if args.db_url is None else 'PostgreSQL'}; corpus share {args.deal_share}")
        rows = [one_run(paths, n, fresh_db(args.db_url, folder, n)) for n in args.workers]
    print(f"{'workers':>7} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'task pages/s/worker':>20} "
          f"{'writer s':>9} {'deals':>6} {'load':>5}")
    for r in rows:
        print(f"{r['workers']:>7} {r['pages']:>6} {r['seconds']:>8} {r['pages_per_s']:>8} "
              f"{r['task_pages_per_s_per_worker']:>20} {r['writer_seconds']:>9} {r['deals']:>6} {r['load_avg_1m']:>5}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
