"""Concurrency-safe writes for several writers on one database: INSERT ... ON CONFLICT DO NOTHING,
a PostgreSQL advisory lock around deal/company identity, and which failures mean "retry the article".

Unique keys (articles.url, articles.content_hash, companies.registry_id, company_aliases.alias_key,
sources.name) stop duplicates at the database; the identity lock makes two writers resolve companies
and deals one after the other, so the second sees the first's committed deal and joins it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

IDENTITY_LOCK_KEY = 0x70686465616C  # "phdeal": pg_advisory_xact_lock key for company + deal identity
RETRY_SQLSTATES = {"40001", "40P01", "23505"}  # serialization failure, deadlock, unique violation
RETRY_SQLITE_WORDS = ("database is locked", "unique constraint failed", "busy")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def insert_ignore(session: Session, model: type[Any], values: dict[str, Any]) -> int | None:
    """Insert one row unless it clashes with a unique key; returns the new id, or None on a clash."""
    name = _dialect(session)
    if name == "postgresql":
        stmt: Any = postgresql.insert(model).values(**values).on_conflict_do_nothing()
    elif name == "sqlite":
        stmt = sqlite.insert(model).values(**values).on_conflict_do_nothing()
    else:  # other backends: plain insert; a clash raises IntegrityError and the caller retries
        stmt = model.__table__.insert().values(**values)
    return session.execute(stmt.returning(model.__table__.c.id)).scalar()


def lock_identity(session: Session) -> None:
    """On PostgreSQL, serialise company/deal identity across writers until this transaction ends."""
    if _dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IDENTITY_LOCK_KEY})


def retryable(exc: BaseException) -> bool:
    """A failure another writer caused (unique clash, deadlock, busy SQLite): run the transaction again."""
    if not isinstance(exc, (IntegrityError, OperationalError, DBAPIError)):
        return False
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state is not None:
        return state in RETRY_SQLSTATES
    return any(word in str(orig).lower() for word in RETRY_SQLITE_WORDS)
