"""Split a newly labelled corpus into a tuned part and a sealed part, before anyone looks at its misses.

Usage: python tests/corpora/seal.py tests/corpora/NEW tests/corpora/NEW-sealed [--percent 38]

An article is sealed when the SHA-1 of its file stem, read as a number, falls below PERCENT in 100: a rule fixed in
advance that no one can steer toward easy or hard articles. The sealed articles (with their sidecars and gold
lines) move to the second folder; the manifest marks that folder `sealed`. Stdlib only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path


def is_sealed(file: str, percent: int) -> bool:
    return int(hashlib.sha1(Path(file).stem.encode("utf-8")).hexdigest(), 16) % 100 < percent


def seal(source: Path, sealed: Path, percent: int) -> tuple[int, int]:
    """Move the sealed articles of `source` to `sealed`; returns (articles kept, articles sealed)."""
    kept_count = sealed_count = 0
    for gold in sorted(source.glob("gold*.jsonl")):
        kept, moved = [], []
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            (moved if is_sealed(json.loads(line)["file"], percent) else kept).append(line)
        for line in moved:
            article = Path(json.loads(line)["file"])
            for path in (article, article.with_suffix(".json")):
                if (source / path).exists():
                    (sealed / path).parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(source / path, sealed / path)
        if moved:
            sealed.mkdir(parents=True, exist_ok=True)
            (sealed / gold.name).write_text("".join(f"{line}\n" for line in moved), encoding="utf-8")
        gold.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
        kept_count, sealed_count = kept_count + len(kept), sealed_count + len(moved)
    return kept_count, sealed_count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("sealed", type=Path)
    parser.add_argument("--percent", type=int, default=38)
    args = parser.parse_args(argv)
    kept, sealed = seal(args.source, args.sealed, args.percent)
    print(f"{kept} articles stay in {args.source}, {sealed} sealed in {args.sealed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
