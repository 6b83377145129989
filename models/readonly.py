"""Read-only SQL for `pharmadeals query`: a read-only connection plus an authorizer, so no statement
(DELETE, DROP, ATTACH, writing PRAGMAs...) can change anything, whatever the SQL says."""
from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from pharmadeals.models.base import is_sqlite, sqlite_path
from pharmadeals.models.errors import DatabaseError, QueryError, ReadOnlyQueryError

_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
_READ_ONLY_ARGS = {"postgresql": {"options": "-c default_transaction_read_only=on"}}
# Pragmas that only describe the schema; their argument is a table or index name, never a setting.
_READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
                 "database_list", "table_list"}


def _authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
    if action in _ALLOWED:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def run_query(url: str, sql: str, busy_timeout: float = 30.0) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one statement read-only and return (columns, rows)."""
    if is_sqlite(url):
        return _sqlite_query(url, sql, busy_timeout)
    return _server_query(url, sql)


def _server_query(url: str, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """PostgreSQL (and other servers): every transaction of the connection is read-only by default, the
    statement's own transaction is SET READ ONLY, and with psycopg the statement goes through the extended
    protocol, which refuses `COMMIT; DELETE ...` style multi-statement strings outright."""
    try:
        engine = create_engine(url, connect_args=_READ_ONLY_ARGS.get(make_url(url).get_backend_name(), {}))
    except SQLAlchemyError as exc:
        raise DatabaseError(f"database.url {url!r} is not a valid SQLAlchemy URL", "fix database.url") from exc
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None  # an open connection always has its DBAPI connection
            cursor = raw.cursor()
            try:
                cursor.execute("SET TRANSACTION READ ONLY")
                if type(raw).__module__.split(".")[0] == "psycopg":  # psycopg 3: one statement only
                    cursor.execute(sql, prepare=True)  # type: ignore[call-arg]  # psycopg's execute takes prepare=
                else:
                    cursor.execute(sql)
                columns = [d[0] for d in cursor.description or ()]
                return columns, [tuple(r) for r in cursor.fetchall()] if cursor.description else []
            finally:
                cursor.close()
                raw.rollback()
    except DBAPIError as exc:
        raise _classify(exc.orig) from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(str(exc).splitlines()[0], "check the SQL") from exc
    except Exception as exc:  # the driver's own errors (raw cursor): psycopg.Error and friends
        if type(exc).__module__.split(".")[0] in ("psycopg", "psycopg2", "pymysql", "MySQLdb"):
            raise _classify(exc) from exc
        raise
    finally:
        engine.dispose()


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
    if "one statement at a time" in lowered or "multiple commands" in lowered:
        return ReadOnlyQueryError(f"query refused: {message}", "pass a single statement")
    if _is_bad_sql(exc, lowered):
        return QueryError(f"query failed: {message}", "check the SQL (views: deal_summary, deal_sources, ingest_log)")
    return DatabaseError(f"query failed: {message}", "check that the database is reachable and not damaged")


_BAD_SQL_WORDS = ("syntax error", "no such table", "no such column", "no such function", "ambiguous column",
                  "incomplete input", "unrecognized token", "wrong number of arguments",
                  "misuse of aggregate", "must appear in the group by")


def _is_bad_sql(exc: BaseException | None, lowered: str) -> bool:
    """A mistake in the statement (the user's to fix, exit 2), not a database failure (exit 4). PostgreSQL says
    so with SQLSTATE class 42 (syntax error or access rule violation) or 22 (data exception)."""
    state = str(getattr(exc, "sqlstate", "") or "")
    return state[:2] in ("42", "22") or any(word in lowered for word in _BAD_SQL_WORDS)
