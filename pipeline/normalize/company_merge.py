"""Company rows made one: find a company by any reference, and point one row's deals and aliases at another."""
from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from pharmadeals.models.errors import InputError
from pharmadeals.models.repository import record_change
from pharmadeals.models.tables import Company, CompanyAlias, Deal, DealMention, DealParty
from pharmadeals.pipeline.normalize.companies import add_alias, canonical, normalise_name


def find_company(session: Session, ref: str) -> Company:
    """A company by id, exact name, registry id or any known alias."""
    company = session.get(Company, int(ref)) if ref.isdigit() else None
    if company is None:
        company = session.scalar(select(Company).where(or_(Company.name == ref, Company.registry_id == ref)))
    if company is None:
        alias = session.scalar(select(CompanyAlias).where(CompanyAlias.alias_key == normalise_name(ref)))
        company = session.get(Company, alias.company_id) if alias else None
    if company is None:
        raise InputError(f"no company matches {ref!r}", "use an id or a name from `pharmadeals companies list`")
    return session.get(Company, canonical(session, company.id)) or company


def repoint_company(session: Session, source_ref: str, target_ref: str,
                    origin: str = "manual") -> tuple[Company, Company, int]:
    """Point everything of `source` at `target` (deals, parties, aliases); returns both and the number of deals
    re-pointed. A reviewer's merge ('manual') pins every alias; an automatic one keeps their origin. Deals that
    became duplicates are folded by the caller (pipeline/normalize/consolidate.py)."""
    source, target = find_company(session, source_ref), find_company(session, target_ref)
    if source.id == target.id:
        raise InputError(f"{source_ref!r} and {target_ref!r} are already the same company", "nothing to merge")
    moved = 0
    for column in (Deal.licensor_id, Deal.licensee_id):
        ids = list(session.scalars(select(Deal.id).where(column == source.id)))
        session.execute(update(Deal).where(column == source.id).values({column.key: target.id}))
        for deal_id in ids:
            record_change(session, deal_id, None, what="company merged", old=source.name, new=target.name)
        moved += len(ids)
    session.execute(update(DealParty).where(DealParty.company_id == source.id).values(company_id=target.id))
    for column in (DealMention.licensor_id, DealMention.licensee_id):
        session.execute(update(DealMention).where(column == source.id).values({column.key: target.id}))
    moved_aliases = update(CompanyAlias).where(CompanyAlias.company_id == source.id)
    session.execute(moved_aliases.values(company_id=target.id, origin="manual") if origin == "manual"
                    else moved_aliases.values(company_id=target.id))
    add_alias(session, source.name, target.id, origin)
    source.merged_into = target.id
    if target.country is None:
        target.country = source.country
    target.needs_review = target.needs_review and origin != "manual"
    session.flush()
    return source, target, moved
