"""Row operations with no business rules: runs, crawl state, the ingest log, article and source rows,
deal history. What a deal is and how reports merge is decided in pipeline/normalize, which writes
through these operations (pipeline/normalize/store.py holds the one per-article transaction).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, or_, select, text, update
from sqlalchemy.orm import Session

from pharmadeals.models.base import session_factory
from pharmadeals.models.records import Article as ArticleRecord
from pharmadeals.models.tables import (
    Article,
    Deal,
    DealAmount,
    DealChange,
    DealEvent,
    DealMention,
    DealParty,
    IngestEntry,
    MentionAmount,
    Run,
    Source,
    UrlState,
)
from pharmadeals.models.upsert import insert_ignore

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class StoreOutcome:
    status: str  # deal|no_deal|duplicate|error
    reason: str = ""
    deal_ids: list[int] = field(default_factory=list)
    created: list[int] = field(default_factory=list)


class Repository:
    """Runs, crawl state (the CrawlState protocol the scrapers read) and the rows an article write needs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    # runs ---------------------------------------------------------------
    def begin_run(self, command: str = "ingest", abandon_after: float | None = None) -> int:
        """Open a `running` row; `abandon_after` is the silence (seconds) after which it counts as abandoned."""
        with self.sessions.begin() as session:
            now = utcnow()
            run = Run(started_at=now, command=command, status="running", counters="{}", heartbeat_at=now,
                      abandon_after_seconds=abandon_after)
            session.add(run)
            session.flush()
            return run.id

    def beat(self, run_id: int) -> None:
        """Stamp the run's heartbeat (only while it is `running`: a closed row keeps its last beat)."""
        with self.sessions.begin() as session:
            session.execute(update(Run).where(Run.id == run_id, Run.status == "running")
                            .values(heartbeat_at=utcnow()))

    def close_abandoned_runs(self) -> list[int]:
        """Close the rows of runs whose process is gone; returns their ids.

        On SQLite this is called under the run lock, so every run still 'running' was killed: it becomes
        'interrupted'. On a server database other hosts may be running right now, so only a run silent for
        longer than its abandon_after_seconds (as the run_summary view judges it) becomes 'abandoned'.
        finished_at stays empty either way: the run never finished."""
        with self.sessions.begin() as session:
            if self.engine.dialect.name == "sqlite":
                runs = list(session.scalars(select(Run).where(Run.status == "running")))
                for run in runs:
                    run.status = "interrupted"
                return [run.id for run in runs]
            silent = [row[0] for row in session.execute(
                text("SELECT run_id FROM run_summary WHERE status = 'abandoned' ORDER BY run_id"))]
            if not silent:
                return []
            closed = session.scalars(update(Run).where(Run.id.in_(silent), Run.status == "running")
                                     .values(status="abandoned").returning(Run.id))
            return sorted(closed)  # a run that beat again since the view was read is left alone

    def finish_run(self, run_id: int, status: str, exit_code: int, counters: dict) -> None:
        with self.sessions.begin() as session:
            run = session.get(Run, run_id)
            if run is not None:
                run.finished_at, run.status, run.exit_code = utcnow(), status, exit_code
                run.counters = json.dumps(counters, sort_keys=True)

    # crawl state ---------------------------------------------------------
    def is_known(self, url: str) -> bool:
        with self.sessions() as session:
            return session.scalar(select(Article.id).where(Article.url == url)) is not None

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        with self.sessions() as session:
            row = session.get(UrlState, url)
            return (row.etag, row.last_modified) if row else None

    def record_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        with self.sessions.begin() as session:
            row = session.get(UrlState, url) or UrlState(url=url)
            row.etag, row.last_modified, row.checked_at = etag, last_modified, utcnow()
            session.merge(row)

    def cursor(self, source: str) -> str | None:
        with self.sessions() as session:
            return session.scalar(select(Source.cursor).where(Source.name == source))

    def set_cursor(self, source: str, value: str) -> None:
        with self.sessions.begin() as session:
            row = self._source(session, source, "unknown")
            row.cursor, row.updated_at = value, utcnow()

    # per item -------------------------------------------------------------
    def log_item(self, run_id: int, source: str, url: str, status: str, reason: str = "") -> None:
        with self.sessions.begin() as session:
            session.add(IngestEntry(run_id=run_id, source=source, url=url, status=status, reason=reason[:2000],
                                    deals_found=0, created_at=utcnow()))

    def insert_article(self, session: Session, article: ArticleRecord, source_type: str) -> int | None:
        """The article row (None when another writer committed the same article first)."""
        source = self._source(session, article.source, source_type)
        return insert_ignore(session, Article, dict(
            url=article.url, content_hash=article.content_hash, source_id=source.id, title=article.title,
            published_on=article.published, language=article.language, kind=article.kind, text=article.text,
            fetched_at=utcnow()))

    @staticmethod
    def duplicate_of(session: Session, article: ArticleRecord) -> StoreOutcome | None:
        dup = session.scalar(select(Article).where(or_(Article.url == article.url,
                                                      Article.content_hash == article.content_hash)))
        if dup is None:
            return None
        return StoreOutcome("duplicate", "same url" if dup.url == article.url else f"same content as {dup.url}")

    @staticmethod
    def _source(session: Session, name: str, source_type: str) -> Source:
        row = session.scalar(select(Source).where(Source.name == name))
        if row is None:
            insert_ignore(session, Source, dict(name=name, type=source_type, updated_at=utcnow()))
            row = session.scalar(select(Source).where(Source.name == name))
            assert row is not None  # inserted just now, or by the writer that won the race
        return row


def add_log_entry(session: Session, run_id: int, source: str, url: str, status: str, reason: str = "",
                  deals_found: int = 0, article_id: int | None = None) -> None:
    """One ingest_log row inside the caller's transaction."""
    session.add(IngestEntry(run_id=run_id, source=source, url=url, status=status, reason=reason[:2000],
                            deals_found=deals_found, article_id=article_id, created_at=utcnow()))


def clear_extraction(session: Session, deal_ids: list[int]) -> None:
    """Drop what extraction produced for these deals (mentions, amounts, parties, events) and unset their
    parties; the deal rows, overrides and history stay."""
    mention_ids = select(DealMention.id).where(DealMention.deal_id.in_(deal_ids))
    session.execute(delete(MentionAmount).where(MentionAmount.mention_id.in_(mention_ids)))
    for table in (DealMention, DealAmount, DealParty, DealEvent):
        session.execute(delete(table).where(table.deal_id.in_(deal_ids)))
    session.execute(update(Deal).where(Deal.id.in_(deal_ids)).values(licensor_id=None, licensee_id=None))
    session.flush()


def move_deal_rows(session: Session, source_id: int, target_id: int, drop_history_of_run: int | None = None) -> None:
    """Re-point every child row of one deal at another (history of `drop_history_of_run` is dropped first)."""
    if drop_history_of_run is not None:
        session.execute(delete(DealChange).where(DealChange.deal_id == source_id,
                                                 DealChange.run_id == drop_history_of_run))
    for table in (DealMention, DealAmount, DealParty, DealEvent, DealChange):
        session.execute(update(table).where(table.deal_id == source_id).values(deal_id=target_id))


def record_change(session: Session, deal_id: int, run_id: int | None, **change: object) -> None:
    session.add(DealChange(deal_id=deal_id, run_id=run_id, change=json.dumps(change, default=str,
                                                                              ensure_ascii=False),
                           created_at=utcnow()))

