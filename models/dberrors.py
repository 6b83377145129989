"""Turn low-level database failures (busy, read-only, missing, damaged) into one-line errors that say what to do."""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from pharmadeals.models.base import sqlite_path
from pharmadeals.models.errors import DatabaseError

# (words in the driver's message, what went wrong, what to do); {db} is the file or URL, {timeout} the busy timeout
PROBLEMS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("database is locked", "database table is locked", "busy"),
     "database {db} is locked: another program held a write transaction for more than {timeout:g}s",
     "find it (e.g. `fuser {db}`) and let it finish or stop it, or raise database.busy_timeout_seconds"),
    (("readonly", "read-only", "read only"),
     "database {db} is read-only for this user",
     "make the file, its folder and any {db}-wal/-shm files writable by this user, or use a writable copy"),
    (("unable to open database", "cannot open"),
     "cannot open database file {db}",
     "check that its folder exists and is writable, and that database.url points where you meant"),
    (("not a database", "malformed", "corrupt"),
     "database {db} is not a SQLite database or is damaged",
     "restore it from a backup (`pharmadeals db backup` makes them) or move it aside to start afresh"),
    (("disk is full", "disk i/o error"),
     "cannot write database {db}: the disk is full or failing",
     "free disk space (or check the disk), then rerun; committed articles are kept"),
)


def _label(url: str) -> str:
    path = sqlite_path(url)
    if path is None:
        return url.split("@")[-1]  # never echo a password from the URL
    return str(path).removeprefix("file:").split("?")[0]  # sqlite:///file:PATH?mode=ro&uri=true


def explain(exc: BaseException, url: str, busy_timeout: float = 30.0) -> DatabaseError:
    """A DatabaseError naming the problem and the fix; unknown failures keep the driver's message."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    message = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    lowered = message.lower()
    db = _label(url)
    for words, what, hint in PROBLEMS:
        if any(word in lowered for word in words):
            error = DatabaseError(what.format(db=db, timeout=busy_timeout), hint.format(db=db))
            break
    else:
        error = DatabaseError(f"database error on {db}: {message}", "rerun with --debug and report it if it persists")
    error.__cause__ = exc
    return error
