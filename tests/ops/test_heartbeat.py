"""Heartbeat and abandoned runs, on both backends: a live run keeps beating past the timeout and stays
`running`; a run killed with SIGKILL goes silent and is shown as `abandoned` (review, review --runs, the
run_summary view) once its timeout has passed; the next run proceeds and closes the killed run's row."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database
from opskit import cli, pages, start_cli, write_files
from sqlalchemy import text

from pharmadeals.models.base import make_engine
from pharmadeals.models.errors import ConfigError
from pharmadeals.models.migrate import upgrade
from pharmadeals.models.repository import Repository
from pharmadeals.pipeline.config import settings_from_mapping

PAGES = 400  # a run of well over HEARTBEAT + ABANDON seconds
HEARTBEAT, ABANDON = 0.25, 3.0


def config(tmp_path: Path, url: str, pages_dir: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"database: {{url: '{url}'}}\narchive: {{enabled: false}}\n"
                    f"logging: {{file: '{tmp_path / 'run.log.jsonl'}'}}\n"
                    f"runs: {{heartbeat_seconds: {HEARTBEAT}, abandon_after_seconds: {ABANDON}}}\n"
                    f"extract: {{workers: 1}}\n"
                    f"sources:\n  - {{name: saved, type: files, path: '{pages_dir}', max_items: 100000}}\n",
                    encoding="utf-8")
    return path


def scalar(url: str, sql: str) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    except Exception:  # noqa: BLE001 - the schema may not exist yet while the run starts
        return None
    finally:
        engine.dispose()


def when(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def wait_for(url: str, sql: str, proc: object, at_least: int = 1) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = scalar(url, sql)
        if isinstance(found, int) and found >= at_least:
            return
        assert proc.poll() is None, proc.communicate()  # type: ignore[attr-defined]
        time.sleep(0.1)
    raise AssertionError(f"{sql} did not reach {at_least}")


@pytest.mark.timeout(600)
@pytest.mark.parametrize("backend", BACKENDS)
def test_killed_run_is_abandoned_after_its_timeout_and_the_next_run_proceeds(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        cfg = config(tmp_path, url, write_files(tmp_path / "pages", pages(PAGES)))
        victim = start_cli("ingest", "--config", str(cfg), cwd=tmp_path)
        wait_for(url, "SELECT COUNT(*) FROM articles", victim, 5)
        time.sleep(ABANDON + 1)  # alive and beating past its timeout: not abandoned
        assert victim.poll() is None, "the run must still be going for this test to mean anything"
        assert scalar(url, "SELECT status FROM run_summary WHERE run_id = 1") == "running"
        started, beat = (when(scalar(url, f"SELECT {c} FROM runs WHERE id = 1")) for c in ("started_at", "heartbeat_at"))
        assert beat - started > timedelta(seconds=ABANDON)

        victim.kill()
        victim.communicate(timeout=60)
        assert scalar(url, "SELECT status FROM run_summary WHERE run_id = 1") == "running"  # silent, not for long yet
        time.sleep(ABANDON + 1)
        review = cli("review", "--config", str(cfg), cwd=tmp_path)
        assert review.returncode == 0, review.stderr
        assert "Run 1 (ingest, abandoned)" in review.stdout and "no heartbeat since" in review.stdout
        listed = cli("review", "--runs", "--format", "json", "--config", str(cfg), cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert [(r["run_id"], r["status"], r["finished_at"]) for r in json.loads(listed.stdout)] == [(1, "abandoned", None)]
        query = cli("query", "--format", "json", "SELECT status FROM run_summary", "--config", str(cfg), cwd=tmp_path)
        assert json.loads(query.stdout) == [{"status": "abandoned"}], query.stderr
        assert scalar(url, "SELECT status FROM runs WHERE id = 1") == "running"  # the view judges; nothing wrote

        rerun = cli("ingest", "--config", str(cfg), cwd=tmp_path)
        assert rerun.returncode == 0, rerun.stderr
        assert scalar(url, "SELECT COUNT(*) FROM articles") == PAGES
        # SQLite: the run lock proves the killed run gone (interrupted); a server database: its silence (abandoned)
        closed = "interrupted" if backend == "sqlite" else "abandoned"
        assert scalar(url, "SELECT status FROM runs WHERE id = 1") == closed
        assert scalar(url, "SELECT status FROM run_summary WHERE run_id = 1") == closed
        assert scalar(url, "SELECT COUNT(*) FROM runs WHERE id = 1 AND finished_at IS NULL") == 1
        assert scalar(url, "SELECT status FROM run_summary WHERE run_id = 2") == "ok"
        log = (tmp_path / "run.log.jsonl").read_text()
        assert "closed 1 run(s) left 'running' by a killed process" in log
        if backend == "sqlite":
            assert "taking over a stale run lock" in log


@pytest.mark.parametrize("backend", BACKENDS)
def test_only_silent_runs_are_closed_on_a_server_database(backend: str, tmp_path: Path) -> None:
    """A run on another host that still beats is left running; one silent past its own timeout is not."""
    with fresh_database(backend, tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        repo = Repository(engine)
        silent, live = repo.begin_run("ingest", 0.5), repo.begin_run("ingest", 600)
        time.sleep(1.0)
        repo.beat(live)
        with engine.connect() as conn:
            shown = dict(conn.execute(text("SELECT run_id, status FROM run_summary")).all())
        assert shown == {silent: "abandoned", live: "running"}
        closed = repo.close_abandoned_runs()
        with engine.connect() as conn:
            stored = dict(conn.execute(text("SELECT id, status FROM runs")).all())
        if backend == "sqlite":  # called under the run lock there: every 'running' row is a dead run
            assert closed == [silent, live] and stored == {silent: "interrupted", live: "interrupted"}
        else:
            assert closed == [silent] and stored == {silent: "abandoned", live: "running"}
        repo.finish_run(live, "ok", 0, {})
        repo.beat(live)  # a beat after the end changes nothing
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM run_summary WHERE run_id = :i"), {"i": live}).scalar() == "ok"
        engine.dispose()


@pytest.mark.parametrize("runs, ok", [({}, True), ({"heartbeat_seconds": 5, "abandon_after_seconds": 10}, True),
                                      ({"heartbeat_seconds": 30, "abandon_after_seconds": 45}, False),
                                      ({"heartbeat_seconds": 0}, False), ({"abandon_after_seconds": -1}, False)])
def test_runs_settings_are_validated(runs: dict[str, float], ok: bool) -> None:
    if ok:
        settings = settings_from_mapping({"runs": runs})
        assert settings.runs.abandon_after_seconds >= 2 * settings.runs.heartbeat_seconds
    else:
        with pytest.raises(ConfigError, match="runs"):
            settings_from_mapping({"runs": runs})
