"""Fold duplicate deals together after two company rows turn out to be one company.

Reports of one deal filed under two names of a company ('杭州明澈生物医药' before an article said it is
'Clearwell Therapeutics') become two deals. Once the companies are merged, every deal of the company is
recomputed from all of its mentions (regroup.py): duplicates fold into the deal holding most of their
reports, and overrides and history move with them.
"""
from __future__ import annotations

from itertools import combinations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pharmadeals.models.tables import Company, Deal
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.companies import placed_apart
from pharmadeals.pipeline.normalize.company_merge import repoint_company
from pharmadeals.pipeline.normalize.dedup import split_assets
from pharmadeals.pipeline.normalize.regroup import pairs_of, regroup
from pharmadeals.pipeline.normalize.romanise import romanised_core


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
            keep, drop = sorted((ca, cb), key=lambda c: (c.name, c.id))  # never by which deal came first
            return drop.id, keep.id
    return None


def consolidate(session: Session, company_id: int, settings: Settings) -> list[tuple[int, int, str]]:
    """Recompute the deals of one company from all their mentions after its rows were merged; returns
    (folded deal, kept deal, reason) for each deal that turned out to be another's duplicate."""
    while (renamed := _renamed_counterpart(session, company_id)) is not None:
        repoint_company(session, str(renamed[0]), str(renamed[1]), origin="auto")
    scope = {frozenset((company_id,)), *pairs_of(session, company_id)}
    return [(folded, kept, "same deal once the companies were merged")
            for folded, kept in regroup(session, settings, scope)]
