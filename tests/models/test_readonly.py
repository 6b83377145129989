"""`pharmadeals query` reads only: every writing statement is refused and the file is unchanged."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pharmadeals.models.errors import ReadOnlyQueryError
from pharmadeals.models.readonly import run_query
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.store import Storage


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("sql", [
    "DELETE FROM articles", "DROP TABLE articles", "DROP VIEW deal_summary",
    "INSERT INTO sources(name, type) VALUES ('x', 'y')", "UPDATE deals SET status = 'rejected'",
    "CREATE TABLE t(x)", "ATTACH DATABASE '/tmp/pd-attack.db' AS other", "PRAGMA journal_mode=DELETE",
    "PRAGMA user_version=5", "VACUUM", "REINDEX",
])
def test_writes_are_refused(storage: Storage, settings: Settings, sql: str) -> None:
    path = Path(settings.database.url.removeprefix("sqlite:///"))
    storage.engine.dispose()
    before = digest(path)
    with pytest.raises(ReadOnlyQueryError):
        run_query(settings.database.url, sql)
    assert digest(path) == before
    assert not Path("/tmp/pd-attack.db").exists()


def test_reads_work(storage: Storage, settings: Settings) -> None:
    columns, rows = run_query(settings.database.url, "SELECT name FROM sqlite_master WHERE type='view' ORDER BY name")
    assert columns == ["name"] and [r[0] for r in rows] == ["deal_sources", "deal_summary", "ingest_log",
                                                                 "run_summary"]
