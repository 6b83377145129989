"""Concurrent first runs: four `ingest --replay` processes started at once on an empty database all finish
(none dies creating the schema), and the deals stored equal those of one run, on both backends.

On SQLite the run lock lets one ingest through and the others exit 3 ("locked", documented); on
PostgreSQL all four run and store side by side. No run may exit 4.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database

from pharmadeals.models.errors import EXIT_FATAL, EXIT_LOCKED, EXIT_OK, EXIT_PARTIAL

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = ROOT / "samples" / "sample.warc.gz"
RUNS = 4
# deal_id depends on which writer stored a deal first; every other column is a function of the articles
SUMMARY = ("SELECT announced_on, licensor, licensee, direction, deal_type, territory, assets, royalties, "
           "upfront_usd, milestones_usd, total_usd, equity_usd, currency, article_count, first_url "
           "FROM deal_summary")


def config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / f"config-{abs(hash(url))}.yaml"
    path.write_text(f"database:\n  url: \"{url}\"\narchive:\n  enabled: false\nlogging:\n  file: null\n"
                    "sources: []\n", encoding="utf-8")
    return path


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}


def start(tmp_path: Path, cfg: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", *args, "--config", str(cfg)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())


def summary(tmp_path: Path, cfg: Path) -> list[tuple[object, ...]]:
    done = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "query", "--format", "json", SUMMARY,
                           "--config", str(cfg)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env=env())
    assert done.returncode == 0, done.stderr
    return sorted(tuple(str(v) for v in row.values()) for row in json.loads(done.stdout))


@pytest.mark.parametrize("backend", BACKENDS)
def test_four_replays_at_once_on_an_empty_database_equal_one(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path, "one") as one_url, fresh_database(backend, tmp_path, "four") as four_url:
        one_cfg, four_cfg = config(tmp_path, one_url), config(tmp_path, four_url)
        single = start(tmp_path, one_cfg, "ingest", "--replay", str(ARCHIVE))
        _, err = single.communicate(timeout=300)
        assert single.returncode in (EXIT_OK, EXIT_PARTIAL), err

        procs = [start(tmp_path, four_cfg, "ingest", "--replay", str(ARCHIVE)) for _ in range(RUNS)]
        results = [(p, *p.communicate(timeout=600)) for p in procs]
        codes = [p.returncode for p, _, _ in results]
        for p, _, err in results:
            assert p.returncode != EXIT_FATAL, err
            assert p.returncode in (EXIT_OK, EXIT_PARTIAL, EXIT_LOCKED), err
            assert "pg_type_typname_nsp_index" not in err and "already exists" not in err, err
        finished = [c for c in codes if c in (EXIT_OK, EXIT_PARTIAL)]
        if backend == "sqlite":
            assert len(finished) >= 1 and codes.count(EXIT_LOCKED) == RUNS - len(finished), codes
        else:  # no run lock on a server database: every run goes through
            assert len(finished) == RUNS, codes
        assert summary(tmp_path, four_cfg) == summary(tmp_path, one_cfg)
