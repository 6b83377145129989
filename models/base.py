"""Engine and session factory: SQLite with WAL, foreign keys and a busy timeout; any other URL as given."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from pharmadeals.models.errors import DatabaseError


class Base(DeclarativeBase):
    """Declarative base for every table."""


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for in-memory or other backends)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str, busy_timeout: float = 30.0, read_only: bool = False) -> Engine:
    """Build the engine; for SQLite create the folder and set the pragmas on every connection."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse text
        raise DatabaseError(f"database.url {url!r} is not a valid SQLAlchemy URL",
                            "use e.g. sqlite:///data/pharmadeals.db") from exc
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    path = sqlite_path(url)
    if read_only:
        if path is None or not path.exists():
            raise DatabaseError(f"database {url} does not exist", "run `pharmadeals ingest` or `db upgrade` first")
        uri = f"file:{path.resolve()}?mode=ro"
        engine = create_engine("sqlite://", creator=lambda: _sqlite_ro(uri, busy_timeout), future=True)
    else:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def _sqlite_ro(uri: str, busy_timeout: float):  # type: ignore[no-untyped-def]
    import sqlite3

    return sqlite3.connect(uri, uri=True, timeout=busy_timeout, check_same_thread=False)


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)
