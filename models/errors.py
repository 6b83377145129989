"""The small error hierarchy of pharmadeals and the exit codes the CLI maps them to.

    PharmadealsError            exit 4 (fatal)
     +-- ConfigError            exit 2 (bad or missing config; nothing was started)
     +-- DatabaseError          exit 4 (cannot open, migrate or write the database)
     |    +-- ReadOnlyQueryError exit 2 (query tried to write)
     |    +-- QueryError        exit 2 (the SQL itself is wrong: syntax, unknown table or column)
     +-- RunLockedError         exit 3 (another run holds the lock)
     +-- InputError             exit 2 (a bad file, flag or argument on the command line)

Per-item problems (a bad page, a failed fetch) are not raised to the CLI: they are caught,
logged with their reason and counted, and a run that had any ends with exit 1 (partial); a run in
which every source failed without answering ends with exit 5 (no source reachable).
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_CONFIG = 2
EXIT_LOCKED = 3
EXIT_FATAL = 4
EXIT_UNREACHABLE = 5


class PharmadealsError(Exception):
    """Base class: `what` went wrong and `hint` says what to do."""

    exit_code = EXIT_FATAL

    def __init__(self, what: str, hint: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.hint = hint

    def one_line(self) -> str:
        return f"error: {self.what}" + (f"; {self.hint}" if self.hint else "")


class ConfigError(PharmadealsError):
    exit_code = EXIT_CONFIG


class InputError(PharmadealsError):
    exit_code = EXIT_CONFIG


class DatabaseError(PharmadealsError):
    exit_code = EXIT_FATAL


class ReadOnlyQueryError(DatabaseError):
    exit_code = EXIT_CONFIG


class QueryError(DatabaseError):
    exit_code = EXIT_CONFIG


class RunLockedError(PharmadealsError):
    exit_code = EXIT_LOCKED


class ItemError(Exception):
    """A per-item failure: `kind` is the counter it is filed under (fetch, decode, extract, store...)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
