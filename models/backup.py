"""Consistent copies of a live SQLite database with sqlite3's online backup API (safe while a run writes)."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pharmadeals.models.base import sqlite_path
from pharmadeals.models.dberrors import explain
from pharmadeals.models.errors import DatabaseError, InputError

PARTIAL_SUFFIX = ".partial"
COUNTED_TABLES = ("articles", "deals")


@dataclass(frozen=True)
class BackupResult:
    source: Path
    dest: Path
    size: int
    counts: dict[str, int]


def backup_target(source: Path, dest: Path) -> Path:
    """DEST itself, or a time-stamped file inside DEST when it is a folder; never an existing file."""
    if dest.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        dest = dest / f"{source.stem}-{stamp}{source.suffix or '.db'}"
    if dest.exists():
        raise InputError(f"backup destination {dest} already exists", "choose a new file name or a folder")
    if not dest.parent.is_dir():
        raise InputError(f"folder {dest.parent} does not exist", "create it first or pass another DEST")
    return dest


def backup_database(url: str, dest: Path, busy_timeout: float = 30.0) -> BackupResult:
    """Copy the database at `url` to `dest` in one consistent snapshot, check it, then move it into place."""
    source = sqlite_path(url)
    if source is None:
        raise InputError(f"`db backup` copies SQLite files; {url.split('@')[-1]} is not one",
                         "for PostgreSQL use pg_dump")
    if not source.is_file():
        raise DatabaseError(f"database {source} does not exist", "check database.url, or run `pharmadeals ingest`")
    target = backup_target(source, dest)
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    try:
        counts = _copy(source, partial, busy_timeout)
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise explain(exc, url, busy_timeout) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(source, target, target.stat().st_size, counts)


def _copy(source: Path, partial: Path, busy_timeout: float) -> dict[str, int]:
    src = sqlite3.connect(str(source), timeout=busy_timeout)
    dst = sqlite3.connect(str(partial))
    try:
        src.backup(dst)  # pages=-1: the whole database in one step, so the copy is one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file, no -wal beside it
        verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise DatabaseError(f"the backup copy failed its integrity check: {verdict}",
                                "the source may be damaged; run `PRAGMA integrity_check` on it")
        tables = {row[0] for row in dst.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {name: dst.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                for name in COUNTED_TABLES if name in tables}
    finally:
        dst.close()
        src.close()
