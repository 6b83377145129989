"""Re-run the current extractor over stored articles and rebuild the deals, keeping ids and overrides.

A staged rebuild in ONE transaction (all or nothing): the old deals are hidden (parties unset) and stripped
of their mentions, every stored article is extracted again and written through the normal write path, then each
rebuilt deal is matched back to the old deal it continues (shared articles, then same parties, then same
first article) and takes over the old id, so reviewer overrides, history and ids users wrote down stay
attached. Old deals nothing matched are removed; rebuilt deals nothing matched are added.
"""
from __future__ import annotations

import json
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pharmadeals.models.records import Article as ArticleRecord
from pharmadeals.models.records import DealMention as MentionRecord
from pharmadeals.models.repository import add_log_entry, clear_extraction, move_deal_rows, record_change, utcnow
from pharmadeals.models.tables import (
    Article,
    Deal,
    DealMention,
    IngestEntry,
    Override,
    Run,
    Source,
)
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.deal_writer import write_mention
from pharmadeals.pipeline.normalize.overrides import FIELDS, apply_overrides, current_value
from pharmadeals.pipeline.normalize.store import Storage
from pharmadeals.pipeline.pool import Extracted, OrderedPool, extract_article, worker_count

log = logging.getLogger(__name__)
Extractor = Callable[[ArticleRecord], list[MentionRecord]]
Progress = Callable[[str], None]
DEAL_COLUMNS = ("announced_on", "licensor_id", "licensee_id", "direction", "deal_type", "territory", "assets",
                "royalties", "currency", "confidence")


@dataclass
class OldDeal:
    deal_id: int
    status: str
    parties: frozenset[int]
    articles: set[int]
    first_url: str | None
    values: dict[str, str | None]
    overrides: int


@dataclass
class ReextractReport:
    run_id: int
    articles: int = 0
    mentions: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    kept: int = 0
    overrides_kept: int = 0
    dry_run: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def same_value(field: str, old: str | None, new: str | None) -> bool:
    """Whether a field kept its value; assets are a set shown as a list, so another order is no change."""
    if field == "assets":
        return {a for a in (old or "").split(", ") if a} == {a for a in (new or "").split(", ") if a}
    return old == new


def _values(session: Session, deal: Deal) -> dict[str, str | None]:
    return {f: current_value(session, deal, f) for f in FIELDS}


def _articles_of(session: Session, deal_id: int) -> set[int]:
    return set(session.scalars(select(DealMention.article_id).where(DealMention.deal_id == deal_id)))


def _first_url(session: Session, deal_id: int) -> str | None:
    return session.scalar(select(Article.url).join(DealMention, DealMention.article_id == Article.id)
                          .where(DealMention.deal_id == deal_id).order_by(Article.published_on, Article.id).limit(1))


def snapshot(session: Session) -> dict[int, OldDeal]:
    """Every deal as it stands before the rebuild."""
    out = {}
    for deal in session.scalars(select(Deal).order_by(Deal.id)):
        overrides = len(list(session.scalars(select(Override.id).where(Override.deal_id == deal.id))))
        out[deal.id] = OldDeal(deal.id, deal.status, frozenset(i for i in (deal.licensor_id, deal.licensee_id) if i),
                               _articles_of(session, deal.id), _first_url(session, deal.id), _values(session, deal),
                               overrides)
    return out


def _record(session: Session, row: Article) -> ArticleRecord:
    source = session.get(Source, row.source_id) if row.source_id else None
    return ArticleRecord(url=row.url, source=source.name if source else "stored", title=row.title, text=row.text,
                         language=row.language, published=row.published_on, content_hash=row.content_hash,  # type: ignore[arg-type]
                         kind=row.kind)  # type: ignore[arg-type]


def _rebuild(session: Session, settings: Settings, run_id: int, extract: Extractor | None, report: ReextractReport,
             progress: Progress | None) -> None:
    rows = session.scalars(select(Article).order_by(Article.published_on, Article.id)).all()
    records = [_record(session, row) for row in rows]
    pool: OrderedPool[ArticleRecord, Extracted] = OrderedPool(
        _injected(extract) if extract else partial(extract_article, settings=settings.extract),
        1 if extract else worker_count(settings.extract.workers))
    try:
        for row, record, extracted in zip(rows, records, pool.map(records)):
            if _write(session, settings, run_id, row, record, extracted, report) and progress:
                progress(row.url)
    finally:
        pool.close(cancel=True)
    session.flush()


def _injected(extract: Extractor) -> Callable[[ArticleRecord], Extracted]:
    """A caller's extractor (tests) in the shape the pool returns, run in this process."""
    def run(article: ArticleRecord) -> Extracted:
        try:
            return Extracted(article, tuple(extract(article)))
        except Exception as exc:  # noqa: BLE001 - one bad article is logged and counted, the rebuild goes on
            return Extracted(article, error_kind="extract", error_reason=repr(exc), trace=traceback.format_exc())
    return run


def _write(session: Session, settings: Settings, run_id: int, row: Article, record: ArticleRecord,
           extracted: Extracted, report: ReextractReport) -> bool:
    """One article's mentions written through the normal write path (False: its failure logged)."""
    report.articles += 1
    if extracted.error_kind is not None:
        log.error("extractor failed on %s\n%s", row.url, extracted.trace.rstrip())
        reason = f"extract: {extracted.error_reason}"
        report.errors.append({"url": row.url, "reason": reason})
        add_log_entry(session, run_id, record.source, row.url, "error", reason, article_id=row.id)
        return False
    mentions = extracted.deals
    for ordinal, mention in enumerate(mentions):
        write_mention(session, settings, run_id, row, ordinal, mention)
    report.mentions += len(mentions)
    add_log_entry(session, run_id, record.source, row.url, "deal" if mentions else "no_deal",
                  f"{len(mentions)} deal(s)" if mentions else "no licensing deal found",
                  deals_found=len(mentions), article_id=row.id)
    return True


def match(session: Session, old: dict[int, OldDeal], new_ids: list[int]) -> dict[int, int]:
    """new deal id -> old deal id it continues: most shared articles, then same parties, then same first url."""
    taken: set[int] = set()
    pairs = {}
    for new_id in new_ids:
        deal = session.get(Deal, new_id)
        assert deal is not None  # a deal the re-extraction just wrote
        articles = _articles_of(session, new_id)
        parties = frozenset(i for i in (deal.licensor_id, deal.licensee_id) if i)
        first = _first_url(session, new_id)
        scored = [((o.parties == parties, len(o.articles & articles), o.first_url == first), o.deal_id)
                  for o in old.values() if o.deal_id not in taken and o.articles & articles]
        if scored:
            best = max(scored, key=lambda s: (s[0], -s[1]))[1]
            pairs[new_id] = best
            taken.add(best)
    return pairs


def _adopt(session: Session, settings: Settings, run_id: int, new_id: int, prior: OldDeal) -> list[dict[str, Any]]:
    """Move the rebuilt deal onto the old id, re-apply overrides, and say which values changed."""
    new, target = session.get(Deal, new_id), session.get(Deal, prior.deal_id)
    assert new is not None and target is not None  # both ids come from deals in this session
    move_deal_rows(session, new_id, prior.deal_id, drop_history_of_run=run_id)
    for column in DEAL_COLUMNS:
        setattr(target, column, getattr(new, column))
    target.status, target.updated_at = prior.status, utcnow()
    session.flush()
    session.delete(new)
    session.flush()
    apply_overrides(session, target, settings)
    now = _values(session, target)
    diffs = [{"deal_id": prior.deal_id, "field": f, "old": prior.values[f], "new": now[f]}
             for f in FIELDS if not same_value(f, prior.values[f], now[f])]
    if diffs:
        record_change(session, prior.deal_id, run_id, what="reextracted", fields=[d["field"] for d in diffs])
    return diffs


def _settle(session: Session, settings: Settings, run_id: int, old: dict[int, OldDeal],
            report: ReextractReport) -> None:
    """Match rebuilt deals to old ones: kept deals take the old id, the rest are added or removed."""
    new_ids = [i for i in session.scalars(select(Deal.id).order_by(Deal.id)) if i not in old]
    pairs = match(session, old, new_ids)
    for new_id, old_id in pairs.items():
        report.changed += _adopt(session, settings, run_id, new_id, old[old_id])
    report.kept, report.overrides_kept = len(pairs), sum(old[o].overrides for o in pairs.values())
    report.added = [i for i in new_ids if i not in pairs]
    for gone in sorted(set(old) - set(pairs.values())):
        prior = old[gone]
        report.removed.append({"deal_id": gone, "licensor": prior.values["licensor"],
                               "licensee": prior.values["licensee"], "first_url": prior.first_url,
                               "overrides_dropped": prior.overrides})
        session.delete(session.get(Deal, gone))
    session.flush()


def _finish(session: Session, run: Run, report: ReextractReport) -> None:
    with_deals = len(list(session.scalars(select(IngestEntry.id).where(IngestEntry.run_id == run.id,
                                                                       IngestEntry.status == "deal"))))
    run.finished_at, run.status = utcnow(), "partial" if report.errors else "ok"
    run.exit_code = 1 if report.errors else 0
    run.counters = json.dumps({"seconds": report.seconds, "sources": {"reextract": {
        "discovered": report.articles, "fetched": report.articles, "duplicates": 0, "deals": report.mentions,
        "no_deal": report.articles - len(report.errors) - with_deals, "errors": len(report.errors),
        "errors_by_kind": {"extract": len(report.errors)} if report.errors else {}}}})
    session.flush()


def reextract(storage: Storage, settings: Settings, extract: Extractor | None = None, dry_run: bool = False,
              progress: Progress | None = None) -> ReextractReport:
    """Rebuild every deal from the stored articles with the current extractor; see the module docstring."""
    started = time.monotonic()
    session = storage.sessions()
    try:
        run = Run(started_at=utcnow(), command="reextract", status="running", counters="{}")
        session.add(run)
        session.flush()
        report = ReextractReport(run.id, dry_run=dry_run)
        old = snapshot(session)
        clear_extraction(session, list(old))  # old deals without parties are never dedup candidates
        _rebuild(session, settings, run.id, extract, report, progress)
        _settle(session, settings, run.id, old, report)
        report.seconds = round(time.monotonic() - started, 3)
        _finish(session, run, report)
        if dry_run:
            session.rollback()
        else:
            session.commit()
        return report
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
