"""Throughput against the libraries alone, paired in one run: ingest vs trafilatura, extract vs jieba.

Run: .venv/bin/python benchmarks/bench_throughput.py [--aeb DIR] [--rounds 3] [--workers 2] [--json FILE]

Every figure is a whole program in a fresh process (interpreter start and imports included), timed by wall
clock, and each pair runs back to back in every round so machine load hits both alike:

- ingest: `pharmadeals ingest` of the 181 real pages of the article-extraction benchmark (--aeb, default
  ../shared/bench/aeb beside the project, or $PHARMADEALS_BENCH_AEB) as a `files` source into a fresh SQLite
  file, in one process (extract.workers: 1) and with the worker pool, against a program that only runs
  `trafilatura.extract` over the same pages. Ratio = trafilatura's time / ingest's time (1.0: as fast).
- extract: `pharmadeals extract` over every article of tests/corpora/*/ (.txt and .html) against a program
  that only runs `jieba.lcut` over the text of the same articles. Ratio = jieba's time / extract's time.
- cold start: `pharmadeals extract` of the shortest English and the shortest Chinese corpus article, from nothing
  loaded to the answer (a Chinese one also loads jieba's dictionary, about 0.5 s of it).
- peak RSS of the largest process (the writer or one worker), and the main-text F1 of what ingest stored
  against the benchmark's ground truth (its token-shingle measure, n=4), with trafilatura's own for scale.

Each ratio is reported as the median over the rounds with its spread (lowest-highest).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_AEB = ROOT.parent / "shared" / "bench" / "aeb"
CORPORA = ROOT / "tests" / "corpora"
TRAFILATURA_ALONE = """
import sys
from pathlib import Path
import trafilatura
for path in sorted(Path(sys.argv[1]).glob("*.html")):
    trafilatura.extract(path.read_bytes())
"""
JIEBA_ALONE = """
import json, logging, sys
import jieba
jieba.setLogLevel(logging.WARNING)
for line in open(sys.argv[1], encoding="utf-8"):
    jieba.lcut(json.loads(line))
"""
TOKEN = re.compile(r"\w+", re.UNICODE)


def aeb_folder(given: str | None) -> Path:
    """The benchmark pages, or exit 2 with what to do when they are not there."""
    folder = Path(given or os.environ.get("PHARMADEALS_BENCH_AEB") or DEFAULT_AEB)
    if not (folder / "ground-truth.json").is_file() or not list((folder / "html").glob("*.html.gz")):
        sys.exit(f"error: no article-extraction benchmark pages in {folder} (html/*.html.gz and ground-truth.json); "
                 "pass --aeb DIR or set PHARMADEALS_BENCH_AEB to a copy of ScrapingHub's "
                 "article-extraction-benchmark")
    return folder


def timed(args: list[str], cwd: Path) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KB of its largest process, stdout) of one program run to its end. wait4
    gives this run's own usage; its workers, reaped by it, count in (Linux reports the largest one)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if child.returncode not in (0, 1):
            sys.exit(f"error: {' '.join(args[:6])}... exited {child.returncode}:\n{err.read()[-3000:]}")
        return seconds, usage.ru_maxrss, out.read()


def unpack_pages(aeb: Path, target: Path) -> list[str]:
    target.mkdir()
    names = []
    for packed in sorted((aeb / "html").glob("*.html.gz")):
        name = packed.name.removesuffix(".gz")
        (target / name).write_bytes(gzip.decompress(packed.read_bytes()))
        names.append(name.removesuffix(".html"))
    return names


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPORA.glob("*/**/*") if p.suffix in (".txt", ".html") and p.is_file())


def article_texts(files: list[Path], out: Path) -> int:
    """The text each article gives the extractor (title and main text), one JSON string a line."""
    from pharmadeals.pipeline.commands.extract import read_input
    from pharmadeals.pipeline.config import Settings
    from pharmadeals.scrapers.article import page_to_article

    settings, chars = Settings(), 0
    with out.open("w", encoding="utf-8") as fh:
        for path in files:
            article = page_to_article(read_input(str(path), settings))
            text = f"{article.title}\n\n{article.text}"
            chars += len(text)
            fh.write(json.dumps(text, ensure_ascii=False) + "\n")
    return chars


def write_config(folder: Path, workers: int) -> Path:
    folder.mkdir(exist_ok=True)
    config = folder / "config.yaml"
    config.write_text(f"database:\n  url: sqlite:///{folder / 'pd.db'}\nlogging:\n  file: null\n"
                      f"archive:\n  directory: {folder / 'warc'}\nextract:\n  workers: {workers}\n")
    return config


def ingest(config: Path, pages: Path) -> tuple[float, int, str]:
    (config.parent / "pd.db").unlink(missing_ok=True)
    return timed([sys.executable, "-m", "pharmadeals.pipeline.cli", "ingest", "--config", str(config),
                  "--files", str(pages)], config.parent)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def shingle_f1(truth: dict[str, str], predicted: dict[str, str]) -> float:
    """The benchmark's measure: per page, shingle true/false positives and false negatives as shares of the
    page's total, summed over pages; F1 of those sums."""
    tp = fp = fn = 0.0
    for key, body in truth.items():
        true, pred = shingles(body), shingles(predicted.get(key, ""))
        t = sum((true & pred).values())
        p, f = sum((pred - true).values()), sum((true - pred).values())
        total = t + p + f
        if total:
            tp, fp, fn = tp + t / total, fp + p / total, fn + f / total
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


def stored_texts(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, text FROM articles").fetchall()
    return {url.rsplit("/", 1)[-1].removesuffix(".html"): text for url, text in rows}


def trafilatura_texts(pages: Path) -> dict[str, str]:
    import trafilatura

    return {p.stem: trafilatura.extract(p.read_bytes()) or "" for p in sorted(pages.glob("*.html"))}


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", help=f"article-extraction benchmark folder (default {DEFAULT_AEB})")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="workers of the pooled ingest")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    aeb = aeb_folder(args.aeb)
    with tempfile.TemporaryDirectory(prefix="pd-bench-throughput-") as tmp:
        work = Path(tmp)
        names = unpack_pages(aeb, work / "pages")
        files = corpus_files()
        chars = article_texts(files, work / "texts.jsonl")
        one, pooled = write_config(work / "one", 1), write_config(work / "pooled", args.workers)
        short_en = min((p for p in files if p.suffix == ".txt" and "/en/" in p.as_posix()), key=lambda p: p.stat().st_size)
        short_zh = min((p for p in files if p.suffix == ".txt" and "/zh/" in p.as_posix()), key=lambda p: p.stat().st_size)
        extract_args = [sys.executable, "-m", "pharmadeals.pipeline.cli", "extract", "--config", str(one),
                        "--format", "jsonl"]
        runs: dict[str, list[float]] = {k: [] for k in ("trafilatura", "ingest_one", "ingest_pool", "jieba",
                                                          "extract", "cold", "cold_zh")}
        rss: dict[str, int] = {}
        for round_ in range(args.rounds):
            for key, run in (("trafilatura", lambda: timed([sys.executable, "-c", TRAFILATURA_ALONE,
                                                             str(work / "pages")], work)),
                             ("ingest_one", lambda: ingest(one, work / "pages")),
                             ("ingest_pool", lambda: ingest(pooled, work / "pages")),
                             ("jieba", lambda: timed([sys.executable, "-c", JIEBA_ALONE,
                                                      str(work / "texts.jsonl")], work)),
                             ("extract", lambda: timed([*extract_args, *map(str, files)], work)),
                             ("cold", lambda: timed([*extract_args, str(short_en)], work)),
                             ("cold_zh", lambda: timed([*extract_args, str(short_zh)], work))):
                seconds, peak, _ = run()
                runs[key].append(seconds)
                rss[key] = max(rss.get(key, 0), peak)
            print(f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in runs.items()), file=sys.stderr)
        truth = {k: v["articleBody"] for k, v in json.loads((aeb / "ground-truth.json").read_text()).items()}
        f1_stored = shingle_f1(truth, stored_texts(work / "pooled" / "pd.db"))
        f1_trafilatura = shingle_f1(truth, trafilatura_texts(work / "pages"))
    pairs = {
        "ingest_one_vs_trafilatura": [t / i for t, i in zip(runs["trafilatura"], runs["ingest_one"])],
        "ingest_pool_vs_trafilatura": [t / i for t, i in zip(runs["trafilatura"], runs["ingest_pool"])],
        "extract_vs_jieba": [j / e for j, e in zip(runs["jieba"], runs["extract"])],
    }
    report = {"pages": len(names), "articles": len(files), "article_chars": chars, "rounds": args.rounds,
              "workers": args.workers, "seconds": runs, "ratios": pairs,
              "cold_start_seconds": statistics.median(runs["cold"]),
              "cold_start_zh_seconds": statistics.median(runs["cold_zh"]),
              "main_text_f1": {"stored": round(f1_stored, 4), "trafilatura": round(f1_trafilatura, 4)}}
    print(f"{len(names)} bench pages, {len(files)} corpus articles ({chars / 1e6:.1f} M chars), "
          f"{args.rounds} rounds; median (lowest-highest)")
    print("| pair | seconds (median) | ratio (speed of the pair's first / second) |")
    print("|---|---|---|")
    print(f"| ingest, one process / trafilatura alone | {statistics.median(runs['ingest_one']):.1f} / "
          f"{statistics.median(runs['trafilatura']):.1f} | {spread(pairs['ingest_one_vs_trafilatura'])} |")
    print(f"| ingest, {args.workers} workers / trafilatura alone | {statistics.median(runs['ingest_pool']):.1f} / "
          f"{statistics.median(runs['trafilatura']):.1f} | {spread(pairs['ingest_pool_vs_trafilatura'])} |")
    print(f"| extract / jieba.lcut alone | {statistics.median(runs['extract']):.1f} / "
          f"{statistics.median(runs['jieba']):.1f} | {spread(pairs['extract_vs_jieba'])} |")
    print(f"cold start, extract of one short article: English {spread(runs['cold'])} s, "
          f"Chinese {spread(runs['cold_zh'])} s")
    print("peak RSS of the largest process (MB): "
          + ", ".join(f"{k} {v / 1024:.0f}" for k, v in rss.items()))
    print(f"main-text F1 on the bench pages: stored by ingest {f1_stored:.3f}, trafilatura.extract {f1_trafilatura:.3f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
