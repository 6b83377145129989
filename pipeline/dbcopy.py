"""`db copy`: move a whole pharmadeals database between backends (SQLite <-> PostgreSQL) losslessly.

The destination is migrated to head by the same Alembic migrations, then every table is copied in
foreign-key order, in batches, inside one destination transaction (all or nothing). Self-references
(a company merged into another) are filled in after their table is copied; PostgreSQL sequences are
moved past the copied ids; row counts are compared table by table before commit.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, Table, func, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from pharmadeals.models import tables  # noqa: F401  (registers every table on Base.metadata)
from pharmadeals.models.base import Base, make_engine
from pharmadeals.models.errors import DatabaseError
from pharmadeals.models.migrate import current_revision, head_revision, upgrade

log = logging.getLogger(__name__)
DEFAULT_BATCH = 1000
NOT_COPIED = {"alembic_version"}  # written by the migrations themselves
Progress = Callable[[str, int], None]  # (table, rows copied so far)


@dataclass
class CopyReport:
    source: str
    dest: str
    revision: str
    counts: dict[str, int] = field(default_factory=dict)


def _label(url: str) -> str:
    return url.split("@")[-1]  # never print a password


def _self_refs(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _check_source(engine: Engine, url: str) -> str:
    revision = current_revision(engine)
    if revision != head_revision():
        raise DatabaseError(f"source {_label(url)} is at revision {revision or 'none'}, not {head_revision()}",
                            "run `pharmadeals db upgrade` on it first (db copy never changes the source)")
    extra = set(inspect(engine).get_table_names()) - set(Base.metadata.tables) - NOT_COPIED
    if extra:
        raise DatabaseError(f"source has tables this version does not know: {', '.join(sorted(extra))}",
                            "copy with the pharmadeals version that created them")
    return revision


def _check_empty(conn: Connection, url: str) -> None:
    for table in Base.metadata.sorted_tables:
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise DatabaseError(f"destination {_label(url)} already holds rows in {table.name}",
                                "copy into a new, empty database")


def _copy_table(src: Connection, dst: Connection, table: Table, batch: int, progress: Progress | None) -> int:
    refs = _self_refs(table)
    pk = list(table.primary_key.columns)
    later: list[dict] = []
    copied = 0
    result = src.execution_options(yield_per=batch).execute(select(table).order_by(*pk))
    for chunk in result.partitions(batch):
        rows = [dict(row._mapping) for row in chunk]
        for row in rows:
            if any(row[c] is not None for c in refs):
                later.append({**{c.name: row[c.name] for c in pk}, **{c: row[c] for c in refs}})
                row.update({c: None for c in refs})
        dst.execute(table.insert(), rows)
        copied += len(rows)
        if progress:
            progress(table.name, copied)
    for row in later:
        key = [c == row[c.name] for c in pk]
        dst.execute(update(table).where(*key).values({c: row[c] for c in refs}))
    return copied


def _reset_sequences(dst: Connection) -> None:
    """PostgreSQL only: the next id of every serial column comes after the copied ones."""
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                         f"COALESCE(MAX({pk[0].name}), 1), MAX({pk[0].name}) IS NOT NULL) FROM {table.name}"))


def copy_database(src_url: str, dst_url: str, batch: int = DEFAULT_BATCH,
                  progress: Progress | None = None) -> CopyReport:
    """Copy every row of SRC into the empty DST (migrated to head first); returns the per-table counts."""
    src_engine = make_engine(src_url, read_only=True)  # SQLite: opened mode=ro, a missing file is an error
    dst_engine = make_engine(dst_url)
    try:
        revision = _check_source(src_engine, src_url)
        upgrade(dst_engine)
        report = CopyReport(_label(src_url), _label(dst_url), revision)
        with src_engine.connect() as src, dst_engine.begin() as dst:
            _check_empty(dst, dst_url)
            for table in Base.metadata.sorted_tables:
                report.counts[table.name] = _copy_table(src, dst, table, batch, progress)
            if dst.dialect.name == "postgresql":
                _reset_sequences(dst)
            for name, expected in report.counts.items():
                table = Base.metadata.tables[name]
                got = dst.execute(select(func.count()).select_from(table)).scalar_one()
                if got != expected:
                    raise DatabaseError(f"copy check failed: {name} has {got} rows in the destination, "
                                        f"{expected} in the source", "nothing was committed; report it")
        log.info("copied %s -> %s: %s", report.source, report.dest, report.counts)
        return report
    except SQLAlchemyError as exc:
        raise DatabaseError(f"db copy failed: {str(exc).splitlines()[0]}",
                            "nothing was committed to the destination; fix the cause and rerun") from exc
    finally:
        src_engine.dispose()
        dst_engine.dispose()
