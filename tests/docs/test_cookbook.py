"""Every SQL block of README's "SQL cookbook" section runs on a fixture database and returns rows with the
columns its first line promises, on SQLite and on PostgreSQL; pasted as it stands into `pharmadeals query`
(leading comment included) it runs too."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import reportkit
from backends import db_url  # noqa: F401  (fixture: an empty database per backend)
from sqlalchemy import text
from suitekit import make_settings

from pharmadeals.models.base import make_engine
from pharmadeals.pipeline.run import open_storage

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
_BLOCK = re.compile(r"```sql\n(.*?)```", re.DOTALL)
_COLUMNS = re.compile(r"^--\s*columns:\s*(.+)$", re.MULTILINE)


def sql_blocks(markdown: str) -> list[tuple[str, str]]:
    """(title, sql) for every ```sql block; the title is the last non-empty line before the block."""
    out = []
    for match in _BLOCK.finditer(markdown):
        before = [line for line in markdown[:match.start()].splitlines() if line.strip()]
        out.append((before[-1].lstrip("#").strip() if before else "", match.group(1)))
    return out


def readme_cookbook() -> str:
    """README's "SQL cookbook" section, up to the next heading of the same or higher level."""
    if not README.exists():
        return ""
    text_ = README.read_text(encoding="utf-8")
    match = re.search(r"^(#+) SQL cookbook.*?$", text_, re.MULTILINE)
    if not match:
        return ""
    level = len(match.group(1))
    rest = text_[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


QUERIES = [pytest.param(sql, id=f"README: {title}") for title, sql in sql_blocks(readme_cookbook())]


def test_the_cookbook_has_at_least_eight_titled_queries() -> None:
    blocks = sql_blocks(readme_cookbook())
    assert len(blocks) >= 8
    assert all(title and _COLUMNS.search(sql) for title, sql in blocks)


@pytest.fixture
def fixture_db(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]  # noqa: F811
    storage = open_storage(make_settings(tmp_path, database={"url": db_url}))
    reportkit.build(storage, errors=1)
    yield storage.engine
    storage.engine.dispose()


@pytest.mark.parametrize("sql", QUERIES)
def test_cookbook_query_returns_rows_with_its_columns(fixture_db, sql: str) -> None:  # type: ignore[no-untyped-def]
    header = _COLUMNS.search(sql)
    assert header, "each cookbook query starts with a `-- columns: a, b, c` line naming what it returns"
    promised = [c.strip() for c in header.group(1).split(",")]
    with fixture_db.connect() as conn:
        result = conn.execute(text(sql.replace(":", r"\:")))
        columns, rows = list(result.keys()), result.all()
    assert columns == promised
    assert rows, "the query returned no rows on the fixture database"


def test_cookbook_runs_through_the_read_only_query_path(tmp_path: Path) -> None:
    from pharmadeals.models.readonly import run_query

    storage = open_storage(make_settings(tmp_path))
    reportkit.build(storage, errors=1)
    for title, sql in sql_blocks(readme_cookbook()):
        columns, rows = run_query(storage.settings.database.url, sql)
        assert rows and columns, title
    make_engine(storage.settings.database.url).dispose()
