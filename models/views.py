"""The stable SQL interface: views that SQL users, dashboards and reports read.

Columns only ever get added. The SQL is portable between SQLite and PostgreSQL, so both backends
return the same rows (run_summary, whose idea of "now" is spelled per dialect, is built by
run_summary_sql). Migrations create these views by name from VIEWS at their revision.
"""
from __future__ import annotations

_TRUE = "TRUE"  # SQLite (>= 3.23) and PostgreSQL both read TRUE as a boolean literal
# first_url: the earliest report, ties by URL (an article id only says in which order articles were stored).
FIRST_URL_ORDER = "ar.published_on, ar.url"
FIRST_URL_BY_ID = "ar.published_on, ar.id"  # before migration 0004
_AMOUNT = "(SELECT a.usd_value FROM deal_amounts a WHERE a.deal_id = d.id AND a.kind = '{kind}')"

# Added by migration 0002 (appended, so older columns keep their positions).
HAS_CONFLICT = f""",
       (SELECT CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END FROM deal_amounts a
         WHERE a.deal_id = d.id AND a.conflict = {_TRUE}) AS has_conflict"""

DEAL_SUMMARY = f"""
CREATE VIEW deal_summary AS
SELECT d.id AS deal_id,
       d.announced_on AS announced_on,
       lc.name AS licensor,
       lc.country AS licensor_country,
       le.name AS licensee,
       le.country AS licensee_country,
       d.direction AS direction,
       d.deal_type AS deal_type,
       d.territory AS territory,
       d.assets AS assets,
       d.royalties AS royalties,
       {_AMOUNT.format(kind="upfront")} AS upfront_usd,
       {_AMOUNT.format(kind="milestones")} AS milestones_usd,
       {_AMOUNT.format(kind="total")} AS total_usd,
       {_AMOUNT.format(kind="equity")} AS equity_usd,
       d.currency AS currency,
       d.confidence AS confidence,
       (SELECT COUNT(DISTINCT m.article_id) FROM deal_mentions m WHERE m.deal_id = d.id) AS article_count,
       (SELECT ar.url FROM deal_mentions m JOIN articles ar ON ar.id = m.article_id
         WHERE m.deal_id = d.id
         ORDER BY CASE WHEN ar.published_on IS NULL THEN 1 ELSE 0 END, {FIRST_URL_ORDER}
         LIMIT 1) AS first_url{HAS_CONFLICT}
FROM deals d
LEFT JOIN companies lc ON lc.id = d.licensor_id
LEFT JOIN companies le ON le.id = d.licensee_id
WHERE d.status <> 'rejected'
"""

DEAL_SOURCES = """
CREATE VIEW deal_sources AS
SELECT m.deal_id AS deal_id,
       ar.url AS url,
       ar.title AS title,
       ar.published_on AS published_on,
       ar.language AS language,
       m.evidence AS evidence,
       m.confidence AS confidence
FROM deal_mentions m
JOIN articles ar ON ar.id = m.article_id
JOIN deals d ON d.id = m.deal_id
WHERE d.status <> 'rejected'
"""

INGEST_LOG = """
CREATE VIEW ingest_log AS
SELECT e.run_id AS run_id,
       r.started_at AS started_at,
       e.source AS source,
       e.url AS url,
       e.status AS status,
       e.reason AS reason,
       e.deals_found AS deals_found
FROM ingest_entries e
JOIN runs r ON r.id = e.run_id
"""

# Added by migration 0005. Whether a silent run is abandoned needs "now" in UTC, which SQLite and PostgreSQL
# spell differently, so this view's SQL is chosen per dialect (the rows are the same on both).
SILENT_SECONDS = {
    "sqlite": "(julianday('now') - julianday(COALESCE(r.heartbeat_at, r.started_at))) * 86400.0",
    "postgresql": "EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP AT TIME ZONE 'UTC') - COALESCE(r.heartbeat_at, r.started_at))",
}
RUN_SUMMARY = """
CREATE VIEW run_summary AS
SELECT r.id AS run_id,
       r.command AS command,
       CASE WHEN r.status = 'running' AND r.abandon_after_seconds IS NOT NULL
                 AND {silent} > r.abandon_after_seconds
            THEN 'abandoned' ELSE r.status END AS status,
       r.started_at AS started_at,
       r.finished_at AS finished_at,
       r.heartbeat_at AS heartbeat_at,
       r.exit_code AS exit_code
FROM runs r
"""


def run_summary_sql(dialect: str) -> str:
    """CREATE VIEW run_summary for `dialect` (any other dialect gets the PostgreSQL spelling)."""
    return RUN_SUMMARY.format(silent=SILENT_SECONDS.get(dialect, SILENT_SECONDS["postgresql"]))


VIEWS: dict[str, str] = {"deal_summary": DEAL_SUMMARY, "deal_sources": DEAL_SOURCES, "ingest_log": INGEST_LOG}

# Documented columns, checked against the live views by the test suite and the README.
VIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "deal_summary": ("deal_id", "announced_on", "licensor", "licensor_country", "licensee", "licensee_country",
                     "direction", "deal_type", "territory", "assets", "royalties", "upfront_usd",
                     "milestones_usd", "total_usd", "equity_usd", "currency", "confidence", "article_count",
                     "first_url", "has_conflict"),
    "deal_sources": ("deal_id", "url", "title", "published_on", "language", "evidence", "confidence"),
    "ingest_log": ("run_id", "started_at", "source", "url", "status", "reason", "deals_found"),
    "run_summary": ("run_id", "command", "status", "started_at", "finished_at", "heartbeat_at", "exit_code"),
}
