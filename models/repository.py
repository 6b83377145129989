"""All writes to the database go through here: runs, crawl state, and one transaction per article.

`store_article` is the heart: duplicate check, article row, company identity, deal identity,
mentions, amounts (reconciled across mentions) and the ingest log row, committed together or not
at all, so a killed run never leaves half an article behind.
"""
from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from models.base import session_factory
from models.tables import Article, DealChange, IngestEntry, Run, Source, UrlState
from models.upsert import insert_ignore, lock_identity, retryable
from pipeline.config import Settings
from pipeline.records import Article as ArticleRecord
from pipeline.records import DealMention

log = logging.getLogger(__name__)
STORE_ATTEMPTS = 6  # one article transaction, retried when another writer won a race


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class StoreOutcome:
    status: str  # deal|no_deal|duplicate|error
    reason: str = ""
    deal_ids: list[int] = field(default_factory=list)
    created: list[int] = field(default_factory=list)


class Storage:
    """The one write path; also the crawl state the scrapers read (CrawlState protocol)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.sessions = session_factory(engine)

    # runs ---------------------------------------------------------------
    def begin_run(self, command: str = "ingest") -> int:
        with self.sessions.begin() as session:
            run = Run(started_at=utcnow(), command=command, status="running", counters="{}")
            session.add(run)
            session.flush()
            return run.id

    def close_abandoned_runs(self) -> list[int]:
        """Mark runs still 'running' as interrupted: called under the run lock, so their process was killed.

        Only SQLite has that lock; on a server database other hosts may be running right now, so their
        runs are left alone (a killed run there keeps status 'running' with no finished_at)."""
        if self.engine.dialect.name != "sqlite":
            return []
        with self.sessions.begin() as session:
            runs = list(session.scalars(select(Run).where(Run.status == "running")))
            for run in runs:
                run.status = "interrupted"  # finished_at stays empty: the run never finished
            return [run.id for run in runs]

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

    def store_article(self, run_id: int, source_type: str, article: ArticleRecord,
                      deals: list[DealMention]) -> StoreOutcome:
        """Store one article with its deal mentions in a single transaction.

        A transaction that lost a race with another writer (unique clash, deadlock, busy SQLite) is
        run again from the start: the second attempt sees the other writer's article (a duplicate)
        or its companies and deal (joined, not duplicated).
        """
        for attempt in range(1, STORE_ATTEMPTS + 1):
            try:
                with self.sessions.begin() as session:
                    outcome = self._store(session, run_id, source_type, article, deals)
                    session.add(IngestEntry(run_id=run_id, source=article.source, url=article.url,
                                            status=outcome.status, reason=outcome.reason,
                                            deals_found=len(outcome.deal_ids), created_at=utcnow(),
                                            article_id=None))
                    return outcome
            except (IntegrityError, OperationalError) as exc:
                if not retryable(exc) or attempt == STORE_ATTEMPTS:
                    if isinstance(exc, IntegrityError):
                        log.info("duplicate on insert for %s: %s", article.url, exc.orig)
                        self.log_item(run_id, article.source, article.url, "duplicate",
                                      "stored by a concurrent run")
                        return StoreOutcome("duplicate", "stored by a concurrent run")
                    raise
                log.info("retrying %s after a concurrent write (attempt %d): %s", article.url, attempt, exc.orig)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    def _store(self, session: Session, run_id: int, source_type: str, article: ArticleRecord,
               deals: list[DealMention]) -> StoreOutcome:
        dup = self._duplicate_of(session, article)
        if dup is not None:
            return dup
        source = self._source(session, article.source, source_type)
        article_id = insert_ignore(session, Article, dict(
            url=article.url, content_hash=article.content_hash, source_id=source.id, title=article.title,
            published_on=article.published, language=article.language, kind=article.kind, text=article.text,
            fetched_at=utcnow()))
        if article_id is None:  # another writer committed it since the check above
            return self._duplicate_of(session, article) or StoreOutcome("duplicate", "stored by a concurrent run")
        row = session.get(Article, article_id)
        outcome = StoreOutcome("deal" if deals else "no_deal",
                               f"{len(deals)} deal(s)" if deals else "no licensing deal found")
        if deals:
            lock_identity(session)
        for ordinal, mention in enumerate(deals):
            from models.deal_writer import write_mention  # deal_writer imports record_change from here

            deal_id, created = write_mention(session, self.settings, run_id, row, ordinal, mention)
            outcome.deal_ids.append(deal_id)
            if created:
                outcome.created.append(deal_id)
        return outcome

    @staticmethod
    def _duplicate_of(session: Session, article: ArticleRecord) -> StoreOutcome | None:
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
        return row


def record_change(session: Session, deal_id: int, run_id: int | None, **change: object) -> None:
    session.add(DealChange(deal_id=deal_id, run_id=run_id, change=json.dumps(change, default=str,
                                                                              ensure_ascii=False),
                           created_at=utcnow()))

