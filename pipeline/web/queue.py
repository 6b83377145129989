"""The review queue: deals still waiting for a reviewer's decision, least confident first, with filters.

A deal leaves the queue once a reviewer accepted, rejected or corrected it (it has an override); the
`reviewed` filter shows those too. Each entry carries what `pharmadeals review --deal` shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, aliased

from pharmadeals.models.tables import (
    Article,
    Company,
    Deal,
    DealAmount,
    DealChange,
    DealMention,
    Override,
    Source,
)
from pharmadeals.pipeline.review import deal_header, mention_view

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilters:
    """What the reviewer narrowed the queue to (None or False: no filter)."""

    run: int | None = None
    source: str | None = None
    language: str | None = None
    conflict: bool = False
    company_review: bool = False
    reviewed: bool = False


def _filtered(stmt: Select[Any], filters: QueueFilters) -> Select[Any]:
    if filters.run is not None:
        stmt = stmt.where(exists().where(DealChange.deal_id == Deal.id, DealChange.run_id == filters.run))
    if filters.source or filters.language:
        article = select(DealMention.id).join(Article, Article.id == DealMention.article_id).where(
            DealMention.deal_id == Deal.id)
        if filters.source:
            article = article.join(Source, Source.id == Article.source_id).where(Source.name == filters.source)
        if filters.language:
            article = article.where(Article.language == filters.language)
        stmt = stmt.where(article.exists())
    if filters.conflict:
        stmt = stmt.where(exists().where(DealAmount.deal_id == Deal.id, DealAmount.conflict.is_(True)))
    if filters.company_review:
        licensor, licensee = aliased(Company), aliased(Company)
        stmt = stmt.where(or_(
            exists().where(licensor.id == Deal.licensor_id, licensor.needs_review.is_(True)),
            exists().where(licensee.id == Deal.licensee_id, licensee.needs_review.is_(True))))
    if not filters.reviewed:
        stmt = stmt.where(~exists().where(Override.deal_id == Deal.id))
    return stmt


def review_queue(session: Session, filters: QueueFilters, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """Active deals matching the filters, least confident first, each with its articles' marked evidence."""
    stmt = _filtered(select(Deal).where(Deal.status == "active"), filters)
    deals = session.scalars(stmt.order_by(Deal.confidence, Deal.id).limit(limit)).all()
    out = []
    for deal in deals:
        rows = session.execute(select(DealMention, Article).join(Article, Article.id == DealMention.article_id)
                               .where(DealMention.deal_id == deal.id)
                               .order_by(Article.published_on, DealMention.id)).all()
        out.append({**deal_header(session, deal), "articles": [mention_view(session, m, a) for m, a in rows],
                    "reviewed": session.scalar(select(exists().where(Override.deal_id == deal.id)))})
    return out


def filter_choices(session: Session) -> dict[str, list[Any]]:
    """Values the filter menus offer: runs, sources and languages present in the database."""
    return {"runs": list(session.scalars(select(DealChange.run_id).where(DealChange.run_id.is_not(None))
                                         .distinct().order_by(DealChange.run_id.desc()))),
            "sources": list(session.scalars(select(Source.name).order_by(Source.name))),
            "languages": list(session.scalars(select(Article.language).distinct().order_by(Article.language)))}
