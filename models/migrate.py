"""Apply the Alembic migrations (the only way the schema is created or changed).

Several processes may start on an empty or outdated database at the same moment (cron on two hosts, four
replays at once), so the check-and-upgrade runs under a database-level lock: a PostgreSQL transaction
advisory lock on MIGRATION_LOCK_KEY, or SQLite's write lock taken with BEGIN IMMEDIATE. Whoever gets the
lock second re-reads the revision and finds nothing left to do.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from pharmadeals.models.dberrors import explain
from pharmadeals.models.errors import DatabaseError

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed 64-bit number, the same in every pharmadeals process: "pharmdea" as ASCII.
MIGRATION_LOCK_KEY = 0x7068_6172_6D64_6561


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def lock_schema(conn: Connection) -> None:
    """Hold the database's migration lock until `conn`'s transaction ends (waits for another migrator)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # pysqlite opens no transaction before DDL; an explicit BEGIN IMMEDIATE takes the write lock now
        # (waiting up to the busy timeout) and makes the whole migration one transaction.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Upgrade the database to `revision`; returns the revision it is at afterwards."""
    if current_revision(engine) == head_revision() and revision == "head":
        return revision
    with _migrating(engine) as (conn, cfg):
        if revision == "head" and MigrationContext.configure(conn).get_current_revision() == head_revision():
            return revision  # another process migrated while this one waited for the lock
        command.upgrade(cfg, revision)
    return current_revision(engine)


def downgrade(engine: Engine, revision: str) -> str | None:
    """Downgrade the database to `revision` under the same lock; returns the revision it is at afterwards."""
    with _migrating(engine) as (_conn, cfg):
        command.downgrade(cfg, revision)
    return current_revision(engine)


@contextmanager
def _migrating(engine: Engine) -> Iterator[tuple[Connection, Config]]:
    """One migration transaction holding the schema lock, SQLite foreign keys off around it, database errors
    turned into messages that say what to do."""
    cfg = alembic_config(str(engine.url))
    try:
        with engine.connect() as conn:
            _foreign_keys(conn, on=False)
            try:
                with conn.begin():
                    lock_schema(conn)
                    cfg.attributes["connection"] = conn
                    yield conn, cfg
            finally:
                _foreign_keys(conn, on=True)
    except OperationalError as exc:
        raise explain(exc, str(engine.url)) from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(f"migration failed on {engine.url!r}: {exc}", "restore from backup and report it") from exc


def _foreign_keys(conn: Connection, on: bool) -> None:
    """SQLite rebuilds a table to alter it (batch mode); with foreign keys on, dropping the old copy would cascade
    into the rows that reference it, so migrations run with them off (the pragma only works outside a transaction)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        conn.commit()
