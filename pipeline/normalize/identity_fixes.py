"""Reviewer fixes to company identity: merge two companies, or pin an alias to a company.

Fixes are stored as `manual` aliases, which win over the registry and fuzzy matching on every later
run, and deals are re-pointed at once so deal_summary shows the fix immediately.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pharmadeals.models.tables import Company, CompanyAlias
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.companies import add_alias, canonical, normalise_name
from pharmadeals.pipeline.normalize.company_merge import find_company, repoint_company
from pharmadeals.pipeline.normalize.consolidate import consolidate


def merge_companies(session: Session, source_ref: str, target_ref: str, settings: Settings | None = None,
                    origin: str = "manual") -> tuple[Company, Company, int]:
    """Merge `source` into `target`; returns both and the number of deals re-pointed. With `settings`, deals
    that become duplicates (one deal filed under both names) are folded together."""
    source, target, moved = repoint_company(session, source_ref, target_ref, origin)
    if settings is not None:
        consolidate(session, target.id, settings)
    return source, target, moved


def pin_alias(session: Session, name: str, company_ref: str, settings: Settings | None = None) -> Company:
    """Make `name` always resolve to the company; re-point deals whose party was that name."""
    target = find_company(session, company_ref)
    key = normalise_name(name)
    previous = session.scalar(select(CompanyAlias.company_id).where(CompanyAlias.alias_key == key))
    add_alias(session, name, target.id, "manual")
    if previous is not None and canonical(session, previous) != target.id:
        old = session.get(Company, previous)
        if old is not None and normalise_name(old.name) == key:  # the old row was just this misread name: fold it in
            merge_companies(session, str(old.id), str(target.id), settings)
    return target
