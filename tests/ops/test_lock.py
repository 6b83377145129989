"""The run lock: a second run exits 3 at once naming the holder; a lock left by a killed run is taken over."""
from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from opskit import cli, count, files_config, pages, start_cli, write_files

from pharmadeals.models.errors import EXIT_LOCKED, RunLockedError
from pharmadeals.pipeline.lock import RunLock, lock_path_for, pid_alive, process_start, read_holder, run_lock

PAGES = 150  # enough for a run of several seconds


@pytest.mark.parametrize("url, expected", [
    ("sqlite:///data/pharmadeals.db", "data/pharmadeals.db.lock"),
    ("sqlite:////srv/pd/deals.sqlite", "/srv/pd/deals.sqlite.lock"),
    ("sqlite://", None),
    ("sqlite:///:memory:", None),
    ("postgresql+psycopg://pd:secret@db.example.org/pd", None),
])
def test_lock_path_sits_beside_the_sqlite_file(url: str, expected: str | None) -> None:
    path = lock_path_for(url)
    assert (str(path) if path else None) == expected


def test_second_lock_in_the_same_process_is_refused_and_released_lock_is_free(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pd.db'}"
    with run_lock(url, "ingest"):
        holder = read_holder(tmp_path / "pd.db.lock")
        assert holder is not None and holder.pid == os.getpid() and holder.command == "ingest"
        with pytest.raises(RunLockedError) as refused:
            RunLock(tmp_path / "pd.db.lock").acquire()
        assert f"pid {os.getpid()}" in refused.value.what
    assert (tmp_path / "pd.db.lock").read_text() == ""  # a clean release leaves no holder behind
    with run_lock(url):
        pass


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_pid_check_tells_live_dead_zombie_and_reused_pids_apart() -> None:
    me = os.getpid()
    assert pid_alive(me, process_start(me))
    assert not pid_alive(me, "1")  # same pid, other start time: a reused pid is not the holder
    child = _sleeper()
    assert pid_alive(child.pid, process_start(child.pid))
    child.kill()
    time.sleep(0.3)
    assert not pid_alive(child.pid)  # a zombie (killed, not yet reaped) holds nothing
    child.wait()
    assert not pid_alive(child.pid)


def test_without_flock_the_recorded_pid_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a filesystem without flock, a live recorded holder refuses the lock and a dead one is taken over."""
    def no_flock(_fd: int, _op: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    path = tmp_path / "pd.db.lock"
    child = _sleeper()
    try:
        path.write_text(json.dumps({"pid": child.pid, "proc_start": process_start(child.pid), "command": "ingest"}))
        with pytest.raises(RunLockedError, match=f"pid {child.pid}"):
            RunLock(path).acquire()
    finally:
        child.kill()
        child.wait()
    lock = RunLock(path)
    lock.acquire()
    assert read_holder(path).pid == os.getpid()  # type: ignore[union-attr]
    lock.release()


def _wait_for_holder(lock: Path, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holder = read_holder(lock)
        if holder is not None and holder.pid == proc.pid:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the run never took the lock")


def _wait_for_articles(db: Path, at_least: int, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                if count(db, "articles") >= at_least:
                    return
            except Exception:  # noqa: BLE001 - the schema may not exist yet
                pass
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError(f"fewer than {at_least} articles stored in time")


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    pages_dir = write_files(tmp_path / "pages", pages(PAGES))
    db = tmp_path / "pd.db"
    return files_config(tmp_path, db, pages_dir), db


def test_second_run_exits_3_at_once_naming_the_holder(tmp_path: Path, site: tuple[Path, Path]) -> None:
    config, db = site
    first = start_cli("ingest", "--config", str(config), cwd=tmp_path)
    try:
        _wait_for_holder(tmp_path / "pd.db.lock", first)
        started = time.monotonic()
        second = cli("ingest", "--config", str(config), cwd=tmp_path, timeout=60)
        elapsed = time.monotonic() - started
        assert first.poll() is None, "the first run must still be running for this test to mean anything"
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=120)
    assert second.returncode == EXIT_LOCKED, second.stderr
    assert f"pid {first.pid}" in second.stderr and "holds the lock" in second.stderr
    assert elapsed < 15  # it did not wait for the first run (which takes far longer)
    assert count(db, "runs") == 1  # the refused run left no trace in the database


def test_stale_lock_after_sigkill_is_taken_over(tmp_path: Path, site: tuple[Path, Path]) -> None:
    config, db = site
    victim = start_cli("ingest", "--config", str(config), cwd=tmp_path)
    _wait_for_articles(db, 10, victim)
    victim.kill()
    victim.communicate(timeout=30)
    stale = read_holder(tmp_path / "pd.db.lock")
    assert stale is not None and stale.pid == victim.pid  # the killed run left its record behind
    rerun = cli("ingest", "--config", str(config), cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    log = (tmp_path / "run.log.jsonl").read_text()
    assert "taking over a stale run lock" in log and f"pid {victim.pid}" in log
    assert count(db, "articles") == PAGES
    assert count(db, "runs", "WHERE status = 'running'") == 0  # the killed run's row is closed as interrupted
    assert count(db, "runs", "WHERE status = 'interrupted' AND finished_at IS NULL") == 1
    assert (tmp_path / "pd.db.lock").read_text() == ""
