"""Test databases on both backends: a SQLite file in tmp_path, or a fresh database on the PostgreSQL
server named by PHARMADEALS_TEST_PG_URL (scripts/pg-test-server starts one; .ci/run does)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL_ENV = "PHARMADEALS_TEST_PG_URL"
PG_SKIP = (f"PostgreSQL run skipped: {PG_URL_ENV} is not set "
           "(start a server with `scripts/pg-test-server start DIR` and export the URL it prints)")
BACKENDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]


def pg_server_url() -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(PG_SKIP)
    return url


@contextmanager
def fresh_database(backend: str, tmp_path: Path, name: str = "pd") -> Iterator[str]:
    """The URL of an empty database that is thrown away afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / name}.db"
        return
    server = make_url(pg_server_url())
    dbname = f"pdtest_{name}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    try:
        yield server.set(database=dbname).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend in turn (PostgreSQL skipped, saying why, without a server)."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


def plain(value: Any) -> Any:
    """One Python value for what the two drivers return differently (dates as text on SQLite, bools)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        return value.replace("T", " ")  # SQLite datetime text
    return value


def plain_rows(rows: list[tuple[Any, ...]] | list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(plain(v) for v in row) for row in rows]
