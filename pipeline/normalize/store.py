"""The one per-article write transaction: duplicate check, article row, company and deal identity,
mentions, reconciled amounts and the ingest log row, committed together or not at all, so a killed
run never leaves half an article behind. Ingest, backfill and the reviewer commands write through here.
"""
from __future__ import annotations

import logging
import random
import time

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from pharmadeals.models.records import Article as ArticleRecord
from pharmadeals.models.records import DealMention
from pharmadeals.models.repository import Repository, StoreOutcome, utcnow
from pharmadeals.models.tables import Article, IngestEntry
from pharmadeals.models.upsert import lock_identity, retryable
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.deal_writer import write_mention

log = logging.getLogger(__name__)
STORE_ATTEMPTS = 6  # one article transaction, retried when another writer won a race


class Storage(Repository):
    """The repository plus the deal rules: what the pipeline and the reviewer commands write through."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        super().__init__(engine)
        self.settings = settings

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
        dup = self.duplicate_of(session, article)
        if dup is not None:
            return dup
        article_id = self.insert_article(session, article, source_type)
        if article_id is None:  # another writer committed it since the check above
            return self.duplicate_of(session, article) or StoreOutcome("duplicate", "stored by a concurrent run")
        row = session.get(Article, article_id)
        assert row is not None
        outcome = StoreOutcome("deal" if deals else "no_deal",
                               f"{len(deals)} deal(s)" if deals else "no licensing deal found")
        if deals:
            lock_identity(session)
        for ordinal, mention in enumerate(deals):
            deal_id, created = write_mention(session, self.settings, run_id, row, ordinal, mention)
            outcome.deal_ids.append(deal_id)
            if created:
                outcome.created.append(deal_id)
        return outcome
