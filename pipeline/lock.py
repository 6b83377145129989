"""One writer at a time: an exclusive run lock beside the SQLite database, so cron runs never overlap.

The lock is `fcntl.flock` on `<database>.lock` (e.g. data/pharmadeals.db.lock). The kernel drops a
flock when its holder dies, even on SIGKILL, so a lock left by a killed run is simply taken over;
the holder's pid, process start time and command are written into the file so a refused run can
name who holds it, and so a takeover of a stale lock is logged. On filesystems without flock the
recorded pid (checked against its start time, so a reused pid does not count) decides instead.
The file itself is never deleted: deleting a flock'ed file lets two runs lock two different inodes.
"""
from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pharmadeals.models.base import sqlite_path
from pharmadeals.models.errors import DatabaseError, RunLockedError

log = logging.getLogger(__name__)
LOCK_SUFFIX = ".lock"
HOLDER_READ_TRIES = 5  # a new holder writes its pid just after locking; re-read briefly to see it
HOLDER_READ_PAUSE = 0.02
NO_FLOCK = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)


@dataclass(frozen=True)
class Holder:
    """What a lock file says about the run holding (or last holding) it."""

    pid: int
    started_at: str = ""
    proc_start: str | None = None
    command: str = ""
    host: str = ""

    def describe(self) -> str:
        since = f", started {self.started_at}" if self.started_at else ""
        what = f"`pharmadeals {self.command}`" if self.command else "a pharmadeals run"
        return f"{what} (pid {self.pid}{since})"


def lock_path_for(url: str) -> Path | None:
    """`<database file>.lock` for a SQLite file URL; None (no lock) for in-memory or other databases."""
    db = sqlite_path(url)
    if db is None:
        return None
    if str(db).startswith("file:"):  # sqlite:///file:PATH?mode=ro&uri=true
        db = Path(str(db)[len("file:"):].split("?")[0])
    return db.with_name(db.name + LOCK_SUFFIX)


def process_start(pid: int) -> str | None:
    """The kernel's start time of `pid` (clock ticks since boot), to tell a reused pid apart; None if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[19] if len(fields) > 19 and fields[0] != "Z" else None


def pid_alive(pid: int, proc_start: str | None = None) -> bool:
    """True if `pid` runs (not a zombie) and, when its start time was recorded, is the same process."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now_start = process_start(pid)
    if Path("/proc/self/stat").exists():
        if now_start is None:  # zombie, or gone between the two checks
            return False
        if proc_start is not None and now_start != proc_start:
            return False
    return True


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in a lock file, or None when it is empty or unreadable."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        return None
    return Holder(pid=data["pid"], started_at=str(data.get("started_at", "")), proc_start=data.get("proc_start"),
                  command=str(data.get("command", "")), host=str(data.get("host", "")))


class RunLock:
    """An exclusive, non-blocking lock on one file; `acquire` raises RunLockedError when another run has it."""

    def __init__(self, path: Path, command: str = "ingest") -> None:
        self.path = path
        self.command = command
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise DatabaseError(f"cannot create the run lock {self.path}: {exc.strerror or exc}",
                                "make the database folder writable by the user that runs pharmadeals") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise self._locked(self._current_holder()) from None
        except OSError as exc:
            if exc.errno not in NO_FLOCK:
                os.close(fd)
                raise
            self._pid_only(fd)  # filesystem without flock (some network mounts): trust the pid alone
        previous = read_holder(self.path)
        if previous is not None and previous.pid != os.getpid():
            log.warning("taking over a stale run lock %s left by %s, which is no longer running",
                        self.path, previous.describe())
        self._fd = fd
        self._write_holder()

    def _pid_only(self, fd: int) -> None:
        holder = read_holder(self.path)
        if holder is not None and holder.pid != os.getpid() and pid_alive(holder.pid, holder.proc_start):
            os.close(fd)
            raise self._locked(holder)

    def _current_holder(self) -> Holder | None:
        """The live holder's record; it may still show the previous (dead) holder for a moment."""
        holder = None
        for _ in range(HOLDER_READ_TRIES):
            holder = read_holder(self.path)
            if holder is not None and pid_alive(holder.pid, holder.proc_start):
                return holder
            time.sleep(HOLDER_READ_PAUSE)
        return holder

    def _locked(self, holder: Holder | None) -> RunLockedError:
        who = holder.describe() if holder else "another process"
        if holder is not None and not pid_alive(holder.pid, holder.proc_start):
            who += " — that pid is gone, so a process it started still holds the lock"
        return RunLockedError(f"another run holds the lock {self.path}: {who}",
                              "this run did nothing; the next scheduled run will try again "
                              "(wait for it, or stop that process if it is stuck)")

    def _write_holder(self) -> None:
        assert self._fd is not None
        record = {"pid": os.getpid(), "proc_start": process_start(os.getpid()), "command": self.command,
                  "host": socket.gethostname(),
                  "started_at": datetime.now(UTC).isoformat(timespec="seconds")}
        data = (json.dumps(record) + "\n").encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)
        os.fsync(self._fd)

    def release(self) -> None:
        """Empty the file (a clean release leaves no holder behind) and unlock; the file stays."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        finally:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            except OSError:
                pass
            os.close(fd)


@contextmanager
def run_lock(url: str, command: str = "ingest") -> Iterator[RunLock | None]:
    """Hold the run lock of the database at `url` for the duration of the block (no-op if not a SQLite file)."""
    path = lock_path_for(url)
    if path is None:
        yield None
        return
    lock = RunLock(path, command)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()
