"""Ingest the whole dev corpus as one `files` source and measure how reports merge into deals
(distinct deals, purity, total value) against the gold labels. Prints the table for the README."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import settings_from_mapping  # noqa: E402
from pipeline.merge_eval import evaluate_merge  # noqa: E402
from pipeline.run import ingest  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_from_mapping({"database": {"url": f"sqlite:///{tmp}/merge.db"}, "logging": {"file": None},
                                          "archive": {"enabled": False},
                                          "sources": [{"name": "corpus", "type": "files", "path": str(CORPUS)}]})
        started = time.perf_counter()
        report = ingest(settings)
        seconds = time.perf_counter() - started
        from pipeline.run import open_storage

        merge = evaluate_merge(open_storage(settings).engine,
                               [str(CORPUS / "gold_en.jsonl"), str(CORPUS / "gold_zh.jsonl")])
    print(f"ingested {report.counters.total('fetched')} articles in {seconds:.1f}s")
    for name, value in merge.rows():
        print(f"{name:45} {value}")


if __name__ == "__main__":
    main()
