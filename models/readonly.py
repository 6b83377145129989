"""Read-only SQL for `pharmadeals query`: a read-only connection plus an authorizer, so no statement
(DELETE, DROP, ATTACH, writing PRAGMAs...) can change anything, whatever the SQL says."""
from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from models.base import is_sqlite, make_engine, sqlite_path
from pipeline.errors import DatabaseError, ReadOnlyQueryError

_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
_READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "foreign_key_list", "database_list"}


def _authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
    if action in _ALLOWED:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS and arg2 is None:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def run_query(url: str, sql: str, busy_timeout: float = 30.0) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one statement read-only and return (columns, rows)."""
    if is_sqlite(url):
        return _sqlite_query(url, sql, busy_timeout)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            result = conn.execute(text(sql))
            return list(result.keys()), [tuple(r) for r in result]
    except DBAPIError as exc:
        raise _classify(exc.orig) from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(str(exc).splitlines()[0], "check the SQL") from exc


def _sqlite_query(url: str, sql: str, busy_timeout: float) -> tuple[list[str], list[tuple[Any, ...]]]:
    path = sqlite_path(url)
    if path is None or not path.exists():
        raise DatabaseError(f"database {url} does not exist", "run `pharmadeals ingest` first")
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=busy_timeout)
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.set_authorizer(_authorizer)
        cursor = conn.execute(sql)
        columns = [d[0] for d in cursor.description or ()]
        return columns, cursor.fetchall()
    except sqlite3.Error as exc:
        raise _classify(exc) from exc
    finally:
        conn.close()


def _classify(exc: BaseException | None) -> DatabaseError:
    message = str(exc)
    lowered = message.lower()
    if any(word in lowered for word in ("not authorized", "authorization denied", "readonly", "read-only", "read only", "query_only")):
        return ReadOnlyQueryError(f"query refused: {message}", "`pharmadeals query` only reads; nothing was changed")
    if "one statement at a time" in lowered:
        return ReadOnlyQueryError(f"query refused: {message}", "pass a single statement")
    return DatabaseError(f"query failed: {message}", "check the SQL (views: deal_summary, deal_sources, ingest_log)")
