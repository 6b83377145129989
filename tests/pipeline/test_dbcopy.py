"""`db copy` moves a whole database SQLite -> PostgreSQL -> SQLite with every row of every table intact."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from backends import VIEW_ORDER, fresh_database, pg_server_url, plain_rows, settings_for, store_scenario
from sqlalchemy import select, text, update

from pharmadeals.models.base import Base, make_engine
from pharmadeals.models.errors import DatabaseError
from pharmadeals.models.records import Article
from pharmadeals.models.tables import Company, Override, UrlState, WarcFile
from pharmadeals.pipeline.dbcopy import copy_database
from pharmadeals.pipeline.normalize.store import Storage

ROOT = Path(__file__).resolve().parents[2]


def filled_sqlite(tmp_path: Path, name: str = "source") -> str:
    """A SQLite database with the storage scenario plus a merged company, an override, url state, a WARC row."""
    url = f"sqlite:///{tmp_path / name}.db"
    store_scenario(url, tmp_path)
    engine = make_engine(url)
    with engine.begin() as conn:
        ids = conn.execute(select(Company.id).order_by(Company.id)).scalars().all()
        conn.execute(update(Company).where(Company.id == ids[0]).values(merged_into=ids[-1]))  # forward reference
        conn.execute(Override.__table__.insert().values(deal_id=1, field="territory", value="global",
                                                        reviewer="ana", reason="press release says worldwide",
                                                        created_at=datetime(2025, 7, 1, 9, 30, 15, 123456)))
        conn.execute(UrlState.__table__.insert().values(url="https://news.example/feed", etag='"abc"',
                                                        last_modified="Mon, 02 Jun 2025 08:00:00 GMT"))
        conn.execute(WarcFile.__table__.insert().values(sha256="f" * 64, path="archive/a.warc.gz", run_id=1,
                                                        pages=7, articles=6, deals=3, errors=0,
                                                        processed_at=datetime(2025, 7, 2)))
    engine.dispose()
    return url


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (by primary key) and of every view, as comparable plain values."""
    engine = make_engine(url)
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            out[table.name] = plain_rows(conn.execute(select(table).order_by(*table.primary_key.columns)).all())
        for view, order in VIEW_ORDER.items():
            out[view] = plain_rows(conn.execute(text(f"SELECT * FROM {view} ORDER BY {order}")).all())
    engine.dispose()
    return out


def test_sqlite_to_postgresql_and_back_is_lossless(tmp_path: Path) -> None:
    pg_server_url()
    source = filled_sqlite(tmp_path)
    original = dump(source)
    assert all(original[name] for name in ("articles", "companies", "deals", "overrides", "url_state", "warc_files"))
    with fresh_database("postgresql", tmp_path, "copy") as pg:
        report = copy_database(source, pg, batch=2)  # small batches: several per table
        assert report.counts["articles"] == len(original["articles"])
        assert dump(pg) == original
        back = f"sqlite:///{tmp_path / 'back'}.db"
        copy_database(pg, back)
        assert dump(back) == original
        # sequences moved past the copied ids: a new article gets a fresh id on PostgreSQL
        storage = Storage(make_engine(pg), settings_for(pg, tmp_path))
        run_id = storage.begin_run()
        assert run_id == max(r[0] for r in original["runs"]) + 1
        new = Article(url="https://news.example/later", source="wire", title="later", text="Nothing new.",
                      language="en", content_hash="0" * 64)
        assert storage.store_article(run_id, "feed", new, []).status == "no_deal"
        storage.engine.dispose()


def test_cli_copies_sqlite_to_sqlite_and_refuses_a_filled_destination(tmp_path: Path) -> None:
    source = filled_sqlite(tmp_path)
    dest = f"sqlite:///{tmp_path / 'dest'}.db"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "db", "copy", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    done = cli(source, dest, "--batch-size", "3")
    assert done.returncode == 0, done.stderr
    assert "row counts verified" in done.stdout
    assert dump(dest) == dump(source)
    again = cli(source, dest)
    assert again.returncode == 4 and "already holds rows" in again.stderr
    missing = cli(f"sqlite:///{tmp_path / 'nope'}.db", f"sqlite:///{tmp_path / 'other'}.db")
    assert missing.returncode == 4 and "does not exist" in missing.stderr
    assert not (tmp_path / "nope.db").exists()


def test_copy_refuses_a_source_behind_the_current_schema(tmp_path: Path) -> None:
    from alembic import command

    from pharmadeals.models.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old'}.db"
    engine = make_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    with pytest.raises(DatabaseError, match="is at revision 0001") as caught:
        copy_database(url, f"sqlite:///{tmp_path / 'new'}.db")
    assert "pharmadeals db upgrade" in caught.value.hint
