"""End to end on both backends: the real CLI with `database.url` on SQLite and on PostgreSQL gives the same rows."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database, pg_server_url

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "corpus"
VIEW_QUERIES = {"deal_summary": "SELECT * FROM deal_summary ORDER BY deal_id",
                "deal_sources": "SELECT * FROM deal_sources ORDER BY deal_id, url",
                "ingest_log": "SELECT run_id, source, url, status, reason, deals_found FROM ingest_log "
                              "ORDER BY run_id, url"}


def saved(tmp_path: Path, limit: int = 12) -> Path:
    """English and Chinese corpus pages (with sidecars) in one folder."""
    folder = tmp_path / "saved"
    folder.mkdir(exist_ok=True)
    for language in ("en", "zh"):
        for sidecar in sorted((CORPUS / language).glob("*.json"))[:limit // 2]:
            for page in sidecar.parent.glob(sidecar.stem + ".*"):
                shutil.copy(page, folder / page.name)
    return folder


def pharmadeals(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / f"config-{abs(hash(url))}.yaml"
    config.write_text(f"database:\n  url: \"{url}\"\narchive:\n  enabled: false\nlogging:\n  file: null\n",
                      encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
    return subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", *args, "--config", str(config)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=env)


def session(tmp_path: Path, url: str) -> dict[str, object]:
    """ingest twice, then read every view with `query --format json`; checks each step on the way."""
    folder = saved(tmp_path)
    first = pharmadeals(tmp_path, url, "ingest", "--files", str(folder))
    assert first.returncode == 0, first.stderr
    second = pharmadeals(tmp_path, url, "ingest", "--files", str(folder))
    assert second.returncode == 0, second.stderr
    out: dict[str, object] = {}
    for view, sql in VIEW_QUERIES.items():
        done = pharmadeals(tmp_path, url, "query", "--format", "json", sql)
        assert done.returncode == 0, done.stderr
        out[view] = json.loads(done.stdout)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_cli_session_on_each_backend(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        views = session(tmp_path, url)
        assert views["deal_summary"], "the corpus pages report deals"
        assert {row["status"] for row in views["ingest_log"]} <= {"deal", "no_deal", "duplicate", "skipped"}
        for sql in ("DELETE FROM articles", "DROP VIEW deal_summary", "UPDATE deals SET confidence = 0"):
            refused = pharmadeals(tmp_path, url, "query", sql)
            assert refused.returncode == 2 and "only reads" in refused.stderr, refused.stderr
        count = pharmadeals(tmp_path, url, "query", "--format", "csv", "SELECT COUNT(*) AS n FROM deal_summary")
        assert count.stdout.splitlines() == ["n", str(len(views["deal_summary"]))]
        for args in (("db", "current"), ("report", "trends", "--period", "year"), ("review",), ("reextract",)):
            done = pharmadeals(tmp_path, url, *args)
            assert done.returncode == 0, (args, done.stderr)


def test_sqlite_and_postgresql_give_the_same_rows(tmp_path: Path) -> None:
    pg_server_url()
    results = {}
    for backend in ("sqlite", "postgresql"):
        with fresh_database(backend, tmp_path, f"cli_{backend}") as url:
            results[backend] = session(tmp_path, url)
    for view in VIEW_QUERIES:
        sqlite_rows, pg_rows = results["sqlite"][view], results["postgresql"][view]
        if view == "deal_summary":  # booleans: 0/1 on SQLite, false/true on PostgreSQL
            for row in pg_rows:
                row["royalties"] = int(row["royalties"])
        assert sqlite_rows == pg_rows, view
