"""Ingest throughput and memory: pages per second and peak RSS of a real `pharmadeals ingest` of 1k and 20k pages.

Run: .venv/bin/python benchmarks/bench_ingest.py [--pages 1000 20000] [--json results.json]
Pages are generated deal reports and market notes (tests/ops/opskit.py: invented deals between real company
names, every page distinct) saved as HTML files with sidecars and read through a `files` source, so the
numbers cover the whole pipeline (decode, main text, extraction, normalisation, one SQLite transaction per
article) without network waits. Each size runs in a fresh process on a fresh database; throughput is also
reported for the first and last fifth of the run, to show whether it stays steady as the database grows.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "ops"))
sys.path.insert(0, str(ROOT))

from opskit import files_config, measure_ingest, pages, rate_between, write_files  # noqa: E402


def bench(n: int, work: Path) -> dict[str, object]:
    folder = work / f"n{n}"
    folder.mkdir()
    made = time.monotonic()
    pages_dir = write_files(folder / "pages", pages(n))
    config = files_config(folder, folder / "pd.db", pages_dir)
    print(f"{n} pages written in {time.monotonic() - made:.1f}s; ingesting...", file=sys.stderr)
    run = measure_ingest(config, folder, folder / "pd.db", every=1.0 if n <= 2000 else 5.0)
    if run["exit"] != 0:
        raise SystemExit(f"ingest of {n} pages failed ({run['exit']}): {str(run['stderr'])[-2000:]}")
    samples = run["samples"]
    stored = samples[-1][1] if samples else 0  # type: ignore[index]
    seconds = float(run["seconds"])  # type: ignore[arg-type]
    return {"pages": n, "stored": stored, "seconds": round(seconds, 1), "pages_per_s": round(n / seconds, 1),
            "rate_first_fifth": round(rate_between(samples, 0.05, 0.25), 1),  # type: ignore[arg-type]
            "rate_last_fifth": round(rate_between(samples, 0.75, 0.95), 1),  # type: ignore[arg-type]
            "peak_rss_mb": round(int(run["peak_rss_kb_sampled"]) / 1024, 1),  # type: ignore[arg-type]
            "rss_mb_at_half": round(_rss_at(samples, 0.5) / 1024, 1),  # type: ignore[arg-type]
            "db_mb": round((folder / "pd.db").stat().st_size / 2**20, 1),
            "summary": str(run["stdout"]).strip()}


def _rss_at(samples: list[tuple[float, int, int]], fraction: float) -> int:
    total = samples[-1][1] if samples else 0
    return next((rss for _, stored, rss in samples if stored >= fraction * total and rss), 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pd-bench-ingest-"))
    try:
        rows = [bench(n, work) for n in args.pages]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| pages | seconds | pages/s | first fifth | last fifth | peak RSS MB | RSS at half MB | db MB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['pages']} | {r['seconds']} | {r['pages_per_s']} | {r['rate_first_fifth']} | "
              f"{r['rate_last_fifth']} | {r['peak_rss_mb']} | {r['rss_mb_at_half']} | {r['db_mb']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
