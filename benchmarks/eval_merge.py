"""Ingest labelled corpora as `files` sources and measure how reports merge into deals (distinct deals,
purity, total value) against their gold labels. Prints the table for the README.

Usage: python benchmarks/eval_merge.py [CORPUS ...]
With no arguments: the dev corpus alone (the issue's measure), each held-out corpus alone, and all of them
in one database (the same real deals recur across corpora, written by different people)."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pharmadeals.pipeline.config import settings_from_mapping  # noqa: E402
from pharmadeals.pipeline.merge_eval import MergeReport, evaluate_merge  # noqa: E402
from pharmadeals.pipeline.run import ingest, open_storage  # noqa: E402

CORPORA_DIR = ROOT / "tests" / "corpora"
# every held-out corpus, in the order they were written (holdout, holdout2, …, holdout10)
HELD_OUT = sorted((p.name for p in CORPORA_DIR.glob("holdout*") if (p / "en").is_dir()),
                  key=lambda name: int(name.removeprefix("holdout") or 1))


def measure(corpora: list[str]) -> tuple[MergeReport, int, float]:
    """One fresh database holding every article of `corpora` (their en/ and zh/ folders, so a corpus's
    README is not read as news)."""
    sources = [{"name": f"{name}-{lang}", "type": "files", "path": str(CORPORA_DIR / name / lang)}
               for name in corpora for lang in ("en", "zh") if (CORPORA_DIR / name / lang).is_dir()]
    gold = [str(path) for name in corpora for path in sorted((CORPORA_DIR / name).glob("gold*.jsonl"))]
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_from_mapping({"database": {"url": f"sqlite:///{tmp}/merge.db"}, "logging": {"file": None},
                                          "archive": {"enabled": False}, "sources": sources})
        started = time.perf_counter()
        report = ingest(settings)
        seconds = time.perf_counter() - started
        merged = evaluate_merge(open_storage(settings).engine, gold)
    return merged, report.counters.total("fetched"), seconds


def main() -> None:
    runs = [[name] for name in sys.argv[1:]] if sys.argv[1:] else (
        [["corpus"]] + [[name] for name in HELD_OUT] + [["corpus", *HELD_OUT]])
    print("| corpora | articles | deals stored / gold | purity | split real deals | total_usd stored / gold |")
    print("|---|---|---|---|---|---|")
    for corpora in runs:
        merged, articles, seconds = measure(corpora)
        rows = dict(merged.rows())
        print(f"| {' + '.join(corpora)} | {articles} | {rows['distinct deals (stored / gold)']} | "
              f"{merged.purity:.3f} | {merged.fragmented} | {rows['sum of total_usd (stored / gold)']} |",
              flush=True)
        print(f"<!-- {seconds:.1f}s, {merged.unmatched_mentions} mentions matching no gold deal -->", flush=True)


if __name__ == "__main__":
    main()
