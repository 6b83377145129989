"""Database faults give one clear line and the right exit code; `db backup` copies a live database consistently."""
from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from opskit import cli, count, files_config, pages, start_cli, write_files

from pharmadeals.models.errors import EXIT_CONFIG, EXIT_FATAL


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, Path]:
    pages_dir = write_files(tmp_path / "pages", pages(12))
    config = files_config(tmp_path, tmp_path / "pd.db", pages_dir)
    first = cli("ingest", "--config", str(config), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    return config, tmp_path / "pd.db"


def test_locked_database_is_a_clear_error_not_a_hang(tmp_path: Path, filled: tuple[Path, Path]) -> None:
    _, db = filled
    text = (tmp_path / "config.yaml").read_text().replace(f"url: 'sqlite:///{db}'",
                                                         f"url: 'sqlite:///{db}', busy_timeout_seconds: 0.5")
    (tmp_path / "busy.yaml").write_text(text)
    blocker = sqlite3.connect(db)
    blocker.execute("BEGIN EXCLUSIVE")  # another program holding a write transaction
    try:
        started = time.monotonic()
        done = cli("ingest", "--config", str(tmp_path / "busy.yaml"), cwd=tmp_path, timeout=60)
        elapsed = time.monotonic() - started
    finally:
        blocker.rollback()
        blocker.close()
    assert done.returncode == EXIT_FATAL
    assert f"database {db} is locked" in done.stderr and "busy_timeout_seconds" in done.stderr
    assert "Traceback" not in done.stderr and elapsed < 30


def test_read_only_database_is_a_clear_error(tmp_path: Path, filled: tuple[Path, Path]) -> None:
    _, db = filled
    before = db.read_bytes()
    if os.geteuid() == 0:  # root ignores file modes: open the file read-only through SQLite itself
        url = f"sqlite:///file:{db}?mode=ro&uri=true"
    else:
        db.chmod(0o444)
        db.parent.chmod(0o555)
        url = f"sqlite:///{db}"
    text = (tmp_path / "config.yaml").read_text().replace(f"sqlite:///{db}", url)
    text = text.replace(f"file: '{tmp_path / 'run.log.jsonl'}'", "file: null")
    (tmp_path / "ro.yaml").write_text(text)
    try:
        extra = write_files(tmp_path / "more", pages(20)[12:])
        done = cli("ingest", "--config", str(tmp_path / "ro.yaml"), "--files", str(extra), cwd=tmp_path)
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)
    assert done.returncode == EXIT_FATAL, done.stderr
    assert f"database {db} is read-only" in done.stderr and "writable" in done.stderr
    assert "Traceback" not in done.stderr
    assert db.read_bytes() == before


def test_backup_of_a_live_database_is_consistent(tmp_path: Path) -> None:
    pages_dir = write_files(tmp_path / "pages", pages(300))
    db = tmp_path / "pd.db"
    config = files_config(tmp_path, db, pages_dir)
    run = start_cli("ingest", "--config", str(config), cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not (db.exists() and _articles(db) >= 10):
            assert run.poll() is None and time.monotonic() < deadline, run.communicate()
            time.sleep(0.1)
        (tmp_path / "backups").mkdir()
        made = cli("db", "backup", "--config", str(config), str(tmp_path / "backups"), cwd=tmp_path)
        assert run.poll() is None, made  # the backup really ran while the ingest was writing
    finally:
        run.send_signal(signal.SIGTERM)
        run.communicate(timeout=120)
    assert made.returncode == 0 and "integrity ok" in made.stdout, made
    [copy] = list((tmp_path / "backups").glob("pd-*.db"))
    assert not list((tmp_path / "backups").glob("*-wal")) and not list((tmp_path / "backups").glob("*.partial"))
    with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        logged = conn.execute("SELECT COUNT(*) FROM ingest_log WHERE status IN ('deal', 'no_deal')").fetchone()[0]
        conn.execute("SELECT * FROM deal_summary").fetchall()
    assert 10 <= stored < 300 and logged == stored, (stored, logged)  # a snapshot between two articles
    assert f"{stored} articles" in made.stdout
    again = cli("db", "backup", "--config", str(config), str(copy), cwd=tmp_path)
    assert again.returncode == EXIT_CONFIG and "already exists" in again.stderr


def _articles(db: Path) -> int:
    try:
        return count(db, "articles")
    except sqlite3.Error:
        return 0


def test_backup_refuses_a_non_sqlite_database(tmp_path: Path) -> None:
    (tmp_path / "pg.yaml").write_text("database: {url: 'postgresql+psycopg://pd:pw@127.0.0.1:1/pd'}\n"
                                      "logging: {file: null}\n")
    done = cli("db", "backup", "--config", str(tmp_path / "pg.yaml"), str(tmp_path / "x.db"), cwd=tmp_path)
    assert done.returncode == EXIT_CONFIG and "pg_dump" in done.stderr and "pw" not in done.stderr
