"""How much a corpus's score owes to the company registry: score it again with the companies its gold labels
name taken out of the registry.

Run: .venv/bin/python scripts/registry_ablation.py [CORPUS ...] [--countries CN,TW,HK | --countries all]

The registry was grown while the tuned corpora were read, so their companies are in it, while an unseen
article names companies it has never seen. Removing the gold parties (by default the Greater-China ones, whose
short names no name pattern can see) from a copy of the registry and scoring the corpus with that copy
($PHARMADEALS_REGISTRY) shows, on tuned text, how the extractor reads companies it does not know. A rule for
unknown names can be judged that way without reading a sealed corpus. Every figure is printed beside the
score with the full registry.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpora"
REGISTRY = ROOT / "extractors" / "data" / "companies.yaml"
SHOWN = ("deal_f1", "deal_precision", "deal_recall", "amount_f1", "roles", "found_main", "found_side",
         "found_roundup")


def gold_parties(corpus: Path) -> set[str]:
    names: set[str] = set()
    for gold in corpus.glob("gold*.jsonl"):
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                for deal in json.loads(line)["deals"]:
                    names |= {deal[side]["name"] for side in ("licensor", "licensee") if deal.get(side)}
    return names


def ablated(entries: list[dict[str, Any]], names: set[str], countries: set[str] | None) -> list[dict[str, Any]]:
    """The registry without the named companies (of those countries); links to removed groups are dropped."""
    kept = [e for e in entries if not (e["name"] in names and (countries is None or e.get("country") in countries))]
    ids = {e["id"] for e in kept}
    return [{k: v for k, v in e.items() if not (k == "parent" and v not in ids)} for e in kept]


def score(corpus: Path, registry: Path | None) -> dict[str, Any]:
    env = {**os.environ}
    if registry is not None:
        env["PHARMADEALS_REGISTRY"] = str(registry)
    done = subprocess.run([sys.executable, str(CORPORA / "score.py"), str(corpus), "--json"], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"error: scoring {corpus.name} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)[corpus.name]["all"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=["realnews"], help="corpus folder names (default realnews)")
    parser.add_argument("--countries", default="CN,TW,HK", help="countries whose gold parties go (or 'all')")
    args = parser.parse_args()
    countries = None if args.countries == "all" else set(args.countries.split(","))
    entries = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.corpora:
            corpus = CORPORA / name
            if not list(corpus.glob("gold*.jsonl")):
                sys.exit(f"error: {corpus} holds no gold*.jsonl; name a folder of tests/corpora")
            kept = ablated(entries, gold_parties(corpus), countries)
            registry = Path(scratch) / f"{name}-registry.yaml"
            registry.write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")
            full, without = score(corpus, None), score(corpus, registry)
            print(f"## {name}: {len(entries) - len(kept)} of {len(entries)} registry companies removed")
            for key in SHOWN:
                print(f"{key:16} {full[key]!s:>9}  ->  {without[key]!s:>9}")


if __name__ == "__main__":
    main()
