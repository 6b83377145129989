"""The extraction pool: ingest and reextract with worker processes store exactly what one process stores."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from suitekit import write_config

from pharmadeals.pipeline.pool import WARM_UP_ITEMS, OrderedPool, worker_count

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
# A merge exam: a dozen deals reported three to five times each, in English and Chinese, text and HTML.
MIXED = CORPORA / "holdout5"
VIEWS = {"deal_summary": "SELECT * FROM deal_summary ORDER BY deal_id",
         "deal_sources": "SELECT * FROM deal_sources ORDER BY 1, 2, 3",
         "ingest_log": "SELECT id, source, url, status, reason, deals_found, article_id FROM ingest_entries ORDER BY id",
         "articles": "SELECT id, url, title, language, published_on, content_hash FROM articles ORDER BY id"}


def _config(tmp_path: Path, name: str, workers: int, folder: Path) -> tuple[Path, Path]:
    db = tmp_path / name / "pd.db"
    db.parent.mkdir()
    config = write_config(db.parent, f"""
database: {{url: "sqlite:///{db}"}}
archive: {{enabled: false}}
logging: {{file: "{db.parent / 'run.jsonl'}"}}
extract: {{workers: {workers}}}
sources:
  - {{name: saved, type: files, path: "{folder}"}}
""")
    return config, db


def _rows(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in VIEWS.items()}


def _pool_started(log_file: Path) -> bool:
    lines = [json.loads(line) for line in log_file.read_text().splitlines() if line.strip()]
    return any("extraction pool started" in line.get("msg", "") for line in lines)


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "pages"
    shutil.copytree(MIXED, folder, ignore=shutil.ignore_patterns("*.jsonl", "*.md"))
    return folder


def test_the_mixed_corpus_is_long_enough_to_reach_the_pool(mixed_folder: Path) -> None:
    pages = [p for p in mixed_folder.rglob("*") if p.suffix in (".txt", ".html")]
    languages = {p.parent.name for p in pages}
    assert len(pages) > 3 * WARM_UP_ITEMS and languages == {"en", "zh"}


def test_ingest_with_workers_stores_what_one_process_stores(tmp_path: Path, run_cli, mixed_folder: Path) -> None:
    single_config, single_db = _config(tmp_path, "single", 1, mixed_folder)
    pooled_config, pooled_db = _config(tmp_path, "pooled", 2, mixed_folder)
    single = run_cli("ingest", "--config", str(single_config))
    pooled = run_cli("ingest", "--config", str(pooled_config))
    assert single.returncode == 0, single.stderr
    assert pooled.returncode == 0, pooled.stderr
    assert _pool_started(pooled_db.parent / "run.jsonl")
    assert not _pool_started(single_db.parent / "run.jsonl")
    single_rows, pooled_rows = _rows(single_db), _rows(pooled_db)
    assert len(single_rows["deal_summary"]) >= 10
    assert pooled_rows == single_rows
    assert pooled.stdout.split("seconds=")[0] == single.stdout.split("seconds=")[0]  # the same counters


def test_reextract_with_workers_rebuilds_what_one_process_rebuilds(tmp_path: Path, run_cli,
                                                                   mixed_folder: Path) -> None:
    config, db = _config(tmp_path, "store", 1, mixed_folder)
    assert run_cli("ingest", "--config", str(config)).returncode == 0
    pooled_db = db.parent.parent / "pooled.db"
    shutil.copy(db, pooled_db)
    pooled_config = write_config(tmp_path, f"""
database: {{url: "sqlite:///{pooled_db}"}}
archive: {{enabled: false}}
logging: {{file: "{tmp_path / 'pooled.jsonl'}"}}
extract: {{workers: 2}}
""")
    single = run_cli("reextract", "--config", str(config), "--format", "json")
    pooled = run_cli("reextract", "--config", str(pooled_config), "--format", "json")
    assert single.returncode == 0, single.stderr
    assert pooled.returncode == 0, pooled.stderr
    assert _pool_started(tmp_path / "pooled.jsonl")
    drop = ("seconds", "run_id")
    assert ({k: v for k, v in json.loads(pooled.stdout).items() if k not in drop}
            == {k: v for k, v in json.loads(single.stdout).items() if k not in drop})
    assert _rows(pooled_db)["deal_summary"] == _rows(db)["deal_summary"]
    assert _rows(pooled_db)["deal_sources"] == _rows(db)["deal_sources"]


def _square_or_fail(n: int) -> int:
    if n == 13:
        raise ValueError("thirteen")
    return n * n


def test_ordered_pool_returns_results_in_input_order_across_workers() -> None:
    pool = OrderedPool(abs, workers=2, warm_up=3)
    try:
        assert list(pool.map(range(-40, 0))) == list(range(40, 0, -1))
    finally:
        pool.close()


def test_ordered_pool_raises_a_work_error_at_its_own_item() -> None:
    pool = OrderedPool(_square_or_fail, workers=2, warm_up=0)
    results = pool.map(range(20))
    try:
        assert [next(results) for _ in range(13)] == [n * n for n in range(13)]
        with pytest.raises(ValueError, match="thirteen"):
            next(results)
    finally:
        pool.close(cancel=True)


@pytest.mark.parametrize(("configured", "expected"), [(1, 1), (3, 3)])
def test_worker_count_takes_the_configured_number(configured: int, expected: int) -> None:
    assert worker_count(configured) == expected


def test_worker_count_defaults_to_the_cores_this_process_may_use() -> None:
    import os

    assert worker_count(None) == max(1, min(len(os.sched_getaffinity(0)), 8))


def test_workers_end_with_a_killed_writer(tmp_path: Path, mixed_folder: Path) -> None:
    """SIGKILL gives the writer no chance to stop its workers: they notice and exit, so nothing is left holding
    the run's pipes (a caller reading its output sees the end at once) or burning a core."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "pages"
    for copy in range(4):  # long enough that the run is still going when it is killed
        shutil.copytree(mixed_folder, folder / f"copy{copy}")
    config, db = _config(tmp_path, "killed", 2, folder)
    env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
    proc = subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", "ingest", "--config", str(config)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    log_file = db.parent / "run.jsonl"
    deadline = time.monotonic() + 120
    while not (log_file.exists() and _pool_started(log_file)) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, "the run ended before its pool started"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # returns only once every process holding the pipes is gone
    assert proc.returncode == -signal.SIGKILL
