"""Schema upgrades keep data: a database at the first revision, filled with real ingested rows, upgrades to head
unchanged; `db upgrade` is idempotent; the upgraded database keeps working."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from opskit import cli, files_config, pages, write_files

from pharmadeals.models.migrate import head_revision

FIRST_REVISION = "0001"


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT IN ('alembic_version', 'sqlite_sequence') ORDER BY name")]


def _columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _content(db: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        return {t: [tuple(r) for r in conn.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1")]
                for t, cols in columns.items()}


def _fill_first_revision(old: Path, filled: Path) -> dict[str, list[str]]:
    """Copy every row the first schema can hold from a filled head database; returns the columns copied."""
    copied: dict[str, list[str]] = {}
    conn = sqlite3.connect(old)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("ATTACH DATABASE ? AS filled", (str(filled),))
        for table in _tables(conn):
            common = [c for c in _columns(conn, table) if c in _columns(conn, table, "filled")]
            conn.execute(f"INSERT INTO main.{table} ({', '.join(common)}) "
                         f"SELECT {', '.join(common)} FROM filled.{table}")
            copied[table] = common
        conn.commit()
        conn.execute("DETACH DATABASE filled")
    finally:
        conn.close()
    return copied


def test_upgrade_from_first_revision_keeps_data_and_is_idempotent(tmp_path: Path) -> None:
    pages_dir = write_files(tmp_path / "pages", pages(40))
    filled = tmp_path / "filled.db"
    ingest = cli("ingest", "--config", str(files_config(tmp_path, filled, pages_dir)), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr

    old_dir = tmp_path / "old"
    old_dir.mkdir()
    old = old_dir / "pd.db"
    config = files_config(old_dir, old, pages_dir)
    made = cli("db", "upgrade", "--config", str(config), "--revision", FIRST_REVISION, cwd=old_dir)
    assert made.returncode == 0 and FIRST_REVISION in made.stdout, made.stderr
    columns = _fill_first_revision(old, filled)
    before = _content(old, columns)
    assert len(before["articles"]) == 40 and before["deals"] and before["deal_amounts"] and before["deal_mentions"]

    upgraded = cli("db", "upgrade", "--config", str(config), cwd=old_dir)
    assert upgraded.returncode == 0, upgraded.stderr
    current = cli("db", "current", "--config", str(config), cwd=old_dir)
    assert f"current {head_revision()}" in current.stdout
    assert _content(old, columns) == before  # every row and value of the first schema survives

    with sqlite3.connect(old) as conn:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    again = cli("db", "upgrade", "--config", str(config), cwd=old_dir)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
        summary = conn.execute("SELECT COUNT(*) FROM deal_summary").fetchone()[0]
    assert _content(old, columns) == before
    assert summary == len(before["deals"])

    rerun = cli("ingest", "--config", str(config), cwd=old_dir)  # the upgraded database keeps working
    assert rerun.returncode == 0, rerun.stderr
    assert "fetched=0" in rerun.stdout and "deals=0" in rerun.stdout  # all 40 are known: skipped
    assert _content(old, {t: c for t, c in columns.items() if t not in ("runs", "ingest_entries", "sources")}) == \
        {t: v for t, v in before.items() if t not in ("runs", "ingest_entries", "sources")}


def test_downgrade_past_mention_parties_keeps_mention_amounts(tmp_path: Path) -> None:
    """0004's downgrade on SQLite recreates deal_mentions; the copy's DROP TABLE must not cascade into its amounts."""
    from pharmadeals.models.base import make_engine
    from pharmadeals.models.migrate import downgrade

    pages_dir = write_files(tmp_path / "pages", pages(20))
    db = tmp_path / "pd.db"
    ingest = cli("ingest", "--config", str(files_config(tmp_path, db, pages_dir)), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    kept = {"deal_mentions": ["id", "deal_id", "article_id"], "mention_amounts": ["id", "mention_id", "kind", "value", "currency"]}
    before = _content(db, kept)
    assert before["mention_amounts"]

    engine = make_engine(f"sqlite:///{db}")
    assert downgrade(engine, "0003") == "0003"
    engine.dispose()
    assert _content(db, kept) == before
    with sqlite3.connect(db) as conn:
        assert "licensor_id" not in _columns(conn, "deal_mentions")
