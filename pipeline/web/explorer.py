"""The SQL explorer: the README cookbook as canned queries, facet counts, and Datasette over SQLite.

Datasette (read-only, mounted at /datasette) explores a SQLite database with the cookbook queries and
facets by deal type, direction, territory and licensee; on PostgreSQL, which Datasette cannot open, the
explorer's own page runs the same canned queries through the read-only `pharmadeals query` path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pharmadeals.models.base import sqlite_path
from pharmadeals.models.readonly import run_query

README = Path(__file__).resolve().parents[2] / "README.md"
FACETS = ("deal_type", "direction", "territory", "licensee")
DATASETTE_PREFIX = "/datasette/"
_SECTION = re.compile(r"^## SQL cookbook\n(.*?)(?=^## )", re.DOTALL | re.MULTILINE)
_QUERY = re.compile(r"^### (.+?)\n```sql\n(.*?)```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class CannedQuery:
    slug: str
    title: str
    sql: str


def cookbook(readme: Path = README) -> list[CannedQuery]:
    """Every query of the README's "SQL cookbook" (none when the README is not beside the code)."""
    if not readme.is_file():
        return []
    section = _SECTION.search(readme.read_text(encoding="utf-8"))
    if section is None:
        return []
    return [CannedQuery(re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60], title.strip(), sql.strip())
            for title, sql in _QUERY.findall(section.group(1))]


def facet_counts(url: str, busy_timeout: float) -> dict[str, list[tuple[Any, int]]]:
    """Deals per value of each facet column of deal_summary, largest first (top 10)."""
    out = {}
    for column in FACETS:
        _, rows = run_query(url, f"SELECT {column}, COUNT(*) AS deals FROM deal_summary GROUP BY {column} "
                                 f"ORDER BY COUNT(*) DESC, {column} LIMIT 10", busy_timeout)
        out[column] = [(row[0], int(row[1])) for row in rows]
    return out


def datasette_app(url: str) -> Any | None:
    """Datasette over the SQLite file, read-only, with the cookbook and facets; None on other backends."""
    path = sqlite_path(url)
    if path is None:
        return None
    from datasette.app import Datasette

    name = path.stem
    metadata = {"title": "pharmadeals SQL explorer",
                "description": "Read-only. The public views are deal_summary, deal_sources and ingest_log.",
                "databases": {name: {
                    "queries": {q.slug: {"title": q.title, "sql": q.sql} for q in cookbook()},
                    "tables": {"deal_summary": {"facets": list(FACETS)}}}}}
    datasette = Datasette([str(path)], metadata=metadata,
                          settings={"base_url": DATASETTE_PREFIX, "allow_download": False})
    return datasette.app()
