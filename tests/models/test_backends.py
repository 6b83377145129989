"""SQLite and PostgreSQL behave alike: same migrations, same stored deals, same view rows, read-only query."""
from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from backends import BACKENDS, VIEW_ORDER, db_url, fresh_database, pg_server_url, store_scenario  # noqa: F401
from sqlalchemy import inspect, text

from pharmadeals.models.base import make_engine
from pharmadeals.models.errors import ReadOnlyQueryError
from pharmadeals.models.migrate import alembic_config, current_revision, head_revision, upgrade
from pharmadeals.models.readonly import run_query
from pharmadeals.models.views import VIEW_COLUMNS


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_reach_head_and_back(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        engine = make_engine(url)
        assert current_revision(engine) is None
        assert upgrade(engine) == head_revision()
        names = set(inspect(engine).get_view_names())
        assert set(VIEW_COLUMNS) <= names
        for view, columns in VIEW_COLUMNS.items():
            with engine.connect() as conn:
                assert tuple(conn.execute(text(f"SELECT * FROM {view}")).keys()) == columns
        uniques = {tuple(i["column_names"]) for i in inspect(engine).get_indexes("articles") if i["unique"]}
        assert ("content_hash",) in uniques
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        assert current_revision(engine) == "0001"
        assert "warc_files" not in inspect(engine).get_table_names()
        assert upgrade(engine) == head_revision()
        engine.dispose()


def test_scenario_stores_the_same_deals_on_each_backend(db_url: str, tmp_path: Path) -> None:
    statuses, views = store_scenario(db_url, tmp_path)
    assert statuses == ["deal", "deal", "deal", "duplicate", "no_deal", "deal"]
    summary = {row[0]: row for row in views["deal_summary"]}
    assert len(summary) == 2  # the Chinese report and the termination joined the first deal
    first, second = sorted(summary.values(), key=lambda r: r[1])
    assert (first[2], first[4], first[9], first[11]) == ("Jiangsu Hengrui Pharmaceuticals", "Acme Therapeutics",
                                                         "HRS-1234", 100000000.0)
    assert first[17] == 3 and first[18] == "https://news.example/hengrui-acme"
    assert (second[7], second[11]) == ("option", 35000000.0)
    assert [r[1] for r in views["deal_sources"] if r[0] == first[0]] == [
        "https://news.example/hengrui-acme", "https://news.example/hengrui-acme-ends",
        "https://news.example/hengrui-acme-zh"]
    log_status = {r[3]: r[4] for r in views["ingest_log"]}
    assert log_status["https://news.example/hengrui-acme-copy"] == "duplicate"


def test_views_return_the_same_rows_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    pg_server_url()
    results = {}
    for backend in ("sqlite", "postgresql"):
        with fresh_database(backend, tmp_path, name=f"same_{backend}") as url:
            results[backend] = store_scenario(url, tmp_path)
    sqlite_statuses, sqlite_views = results["sqlite"]
    pg_statuses, pg_views = results["postgresql"]
    assert sqlite_statuses == pg_statuses
    for view in VIEW_ORDER:
        if view == "ingest_log":  # started_at is the clock of each run: compare all other columns
            assert [r[:1] + r[2:] for r in sqlite_views[view]] == [r[:1] + r[2:] for r in pg_views[view]]
        else:
            assert sqlite_views[view] == pg_views[view], view


@pytest.mark.parametrize("sql", ["DELETE FROM articles", "DROP TABLE articles",
                                 "INSERT INTO runs (started_at, command, status, counters) "
                                 "VALUES ('2025-01-01', 'x', 'ok', '{}')",
                                 "UPDATE deals SET status = 'rejected'",
                                 "COMMIT; DELETE FROM articles",
                                 "END; BEGIN READ WRITE; DELETE FROM articles; COMMIT",
                                 "SELECT 1; DELETE FROM articles"])
def test_query_refuses_writes(db_url: str, tmp_path: Path, sql: str) -> None:
    store_scenario(db_url, tmp_path)
    with pytest.raises(ReadOnlyQueryError):
        run_query(db_url, sql)
    columns, rows = run_query(db_url, "SELECT COUNT(*) AS n FROM articles")
    assert columns == ["n"] and rows[0][0] == 5
    _, deals = run_query(db_url, "SELECT status FROM deals")
    assert {r[0] for r in deals} == {"active"}
