"""Fold duplicate deals together after two company rows turn out to be one company.

Reports of one deal filed under two names of a company ('杭州明澈生物医药' before an article said it is
'Clearwell Therapeutics') become two deals. Once the companies are merged, the deals between the same
pair are compared with the deal identity rule and duplicates are folded into the oldest one: its reports,
events, overrides and history move over, and amounts and date are reconciled again.
"""
from __future__ import annotations

from itertools import combinations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from pharmadeals.models.repository import record_change
from pharmadeals.models.tables import Company, Deal, DealAmount, DealChange, DealEvent, DealMention, DealParty, Override
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.companies import placed_apart
from pharmadeals.pipeline.normalize.company_merge import repoint_company
from pharmadeals.pipeline.normalize.deal_state import refresh_deal
from pharmadeals.pipeline.normalize.dedup import same_deal, split_assets
from pharmadeals.pipeline.normalize.romanise import romanised_core


def _move_rows(session: Session, source: Deal, target: Deal) -> None:
    for table in (DealMention, Override, DealChange):
        session.execute(update(table).where(table.deal_id == source.id).values(deal_id=target.id))
    have = {(e.kind, e.article_id) for e in session.scalars(select(DealEvent).where(DealEvent.deal_id == target.id))}
    for event in list(session.scalars(select(DealEvent).where(DealEvent.deal_id == source.id))):
        if (event.kind, event.article_id) in have:
            session.delete(event)
        else:
            event.deal_id = target.id
    for owned in (DealAmount, DealParty):
        session.execute(delete(owned).where(owned.deal_id == source.id))
    session.flush()


def fold_deal(session: Session, source: Deal, target: Deal, reason: str, settings: Settings) -> None:
    """Move everything of `source` into `target`, reconcile, and delete `source`."""
    extra = [a for a in source.assets.split(", ") if a and a not in target.assets.split(", ")]
    if extra:
        target.assets = ", ".join([a for a in target.assets.split(", ") if a] + extra)
    if target.territory is None:
        target.territory = source.territory
    target.royalties = target.royalties or source.royalties
    _move_rows(session, source, target)
    record_change(session, target.id, None, what="deals folded", folded=source.id, reason=reason)
    session.delete(source)
    session.flush()
    refresh_deal(session, target, settings)


def _deals_of(session: Session, company_id: int) -> list[Deal]:
    return list(session.scalars(select(Deal).where(or_(Deal.licensor_id == company_id,
                                                       Deal.licensee_id == company_id)).order_by(Deal.id)))


def _renamed_counterpart(session: Session, company_id: int) -> tuple[int, int] | None:
    """Two deals of this company on a shared asset whose other parties are two rows for one company (new
    companies whose names read the same, '和屿医药' and 'Guangzhou Heyu Pharmaceutical'): (row, row to keep)."""
    deals = _deals_of(session, company_id)
    for kept, other in combinations(deals, 2):
        a = kept.licensee_id if kept.licensor_id == company_id else kept.licensor_id
        b = other.licensee_id if other.licensor_id == company_id else other.licensor_id
        if a is None or b is None or a == b or not (split_assets(kept.assets) & split_assets(other.assets)):
            continue
        ca, cb = session.get(Company, a), session.get(Company, b)
        if ca is None or cb is None or ca.registry_id or cb.registry_id or placed_apart(ca.country, cb.country):
            continue
        core = romanised_core(ca.name)
        if core and core == romanised_core(cb.name):
            return b, a
    return None


def consolidate(session: Session, company_id: int, settings: Settings) -> list[tuple[int, int, str]]:
    """Fold duplicate deals of one company; returns (folded deal, kept deal, reason) for each fold."""
    while (renamed := _renamed_counterpart(session, company_id)) is not None:
        repoint_company(session, str(renamed[0]), str(renamed[1]), origin="auto")
    deals = _deals_of(session, company_id)
    folded: list[tuple[int, int, str]] = []
    gone: set[int] = set()
    for kept, other in combinations(deals, 2):
        if kept.id in gone or other.id in gone:
            continue
        if {kept.licensor_id, kept.licensee_id} != {other.licensor_id, other.licensee_id}:
            continue
        reason = same_deal(session, kept, other, settings.dedup.window_days)
        if reason:
            fold_deal(session, other, kept, reason, settings)
            gone.add(other.id)
            folded.append((other.id, kept.id, reason))
    return folded
