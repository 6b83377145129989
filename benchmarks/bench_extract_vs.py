"""Extraction speed of this tree as a ratio to another revision's, measured in the same run.

Run: .venv/bin/python benchmarks/bench_extract_vs.py [--baseline REV] [--rounds 3] [--repeats 3] [--corpus DIR]...

The baseline revision is checked out into a temporary git worktree and imported in place of this tree (its
four folders laid out as the `pharmadeals` namespace on PYTHONPATH, which wins over the editable install).
Both trees run `bench_extract.py`'s timed loop on the same articles, alternately, so machine load hits both
alike. It prints each tree's median articles/s and the ratio current / baseline (above 1 is faster).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THROUGHPUT = re.compile(r"throughput: ([0-9.]+) articles/s")


def _baseline_path(rev: str, work: Path) -> Path:
    tree = work / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
    namespace = work / "path" / "pharmadeals"
    namespace.mkdir(parents=True)
    for package in ("pipeline", "scrapers", "extractors", "models"):
        (namespace / package).symlink_to(tree / package)
    return work / "path"


def _rate(corpus: str, rounds: int, pythonpath: str | None) -> float:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_extract.py"), "--corpus", corpus,
                          "--rounds", str(rounds)], capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    match = THROUGHPUT.search(out.stdout)
    if match is None:
        sys.exit(f"bench_extract.py printed no throughput:\n{out.stdout}\n{out.stderr}")
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD~1", help="git revision to compare with")
    parser.add_argument("--corpus", action="append", help="folder of articles (repeatable)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    corpora = args.corpus or ["tests/corpora/corpus", "tests/corpora/realnews"]
    with tempfile.TemporaryDirectory() as tmp:
        baseline = str(_baseline_path(args.baseline, Path(tmp)))
        try:
            for corpus in corpora:
                current, before = [], []
                for _ in range(args.repeats):
                    before.append(_rate(corpus, args.rounds, baseline))
                    current.append(_rate(corpus, args.rounds, None))
                now, then = statistics.median(current), statistics.median(before)
                print(f"{corpus}: {args.baseline} {then:.1f} articles/s, this tree {now:.1f} articles/s, "
                      f"ratio {now / then:.2f}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(Path(tmp) / "tree")],
                           check=False)


if __name__ == "__main__":
    main()
