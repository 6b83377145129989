"""Company identity: one row per real company, whatever name, language or legal form the text used.

Order of authority: a reviewer's manual alias, then the registry, then a known alias, then a fuzzy
match (rapidfuzz, above `dedup.fuzzy_company_threshold`), else a new company flagged for review.
"""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import Company, CompanyAlias
from models.upsert import insert_ignore
from pipeline.records import PartyMention

LEGAL_SUFFIXES = (
    "co., ltd.", "co., ltd", "co. ltd", "co ltd", "company limited", "limited", "ltd.", "ltd", "inc.", "inc",
    "corporation", "corp.", "corp", "plc", "llc", "l.l.c.", "ag", "s.a.", "sa", "gmbh", "n.v.", "b.v.",
    "holdings", "holding", "group", "(group)", "股份有限公司", "有限责任公司", "有限公司", "集团", "控股",
)
_PUNCT = re.compile(r"[\s\.,'’\"()（）\-–—·&/]+")
_SUFFIX_RE = re.compile(
    r"(?:[\s,]+|(?<=[\u4e00-\u9fff]))(?:" + "|".join(re.escape(s) for s in
                                                     sorted(LEGAL_SUFFIXES, key=len, reverse=True)) + r")\s*$",
    re.IGNORECASE)


def normalise_name(name: str) -> str:
    """Case, width, punctuation and legal suffixes folded away: the key aliases are stored under."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    for _ in range(3):  # "X Holdings Co., Ltd." loses both suffixes
        stripped = _SUFFIX_RE.sub("", text).strip()
        if stripped == text or not stripped:
            break
        text = stripped
    return _PUNCT.sub("", text)


def canonical(session: Session, company_id: int) -> int:
    """Follow merges to the surviving company."""
    seen = set()
    while company_id not in seen:
        seen.add(company_id)
        target = session.get(Company, company_id)
        if target is None or target.merged_into is None:
            return company_id
        company_id = target.merged_into
    return company_id


def _alias_company(session: Session, key: str, origin: str | None = None) -> int | None:
    stmt = select(CompanyAlias.company_id).where(CompanyAlias.alias_key == key)
    if origin:
        stmt = stmt.where(CompanyAlias.origin == origin)
    found = session.scalar(stmt)
    return canonical(session, found) if found is not None else None


def add_alias(session: Session, alias: str, company_id: int, origin: str) -> None:
    """Record `alias` for a company; a manual alias replaces whatever the key pointed to."""
    key = normalise_name(alias)
    if not key:
        return
    row = session.scalar(select(CompanyAlias).where(CompanyAlias.alias_key == key))
    if row is None:  # ON CONFLICT DO NOTHING: a concurrent writer's alias for the key wins
        insert_ignore(session, CompanyAlias, dict(alias_key=key, alias=alias, company_id=company_id, origin=origin))
    elif origin == "manual" or row.origin not in ("manual", "registry"):
        row.company_id, row.origin, row.alias = company_id, origin, alias
    session.flush()


def _registry_company(session: Session, party: PartyMention) -> int:
    company_id = session.scalar(select(Company.id).where(Company.registry_id == party.registry_id))
    if company_id is None:  # ON CONFLICT DO NOTHING, then read whichever writer's row won
        insert_ignore(session, Company, dict(registry_id=party.registry_id, name=party.name,
                                             country=party.country, needs_review=False))
        company_id = session.scalar(select(Company.id).where(Company.registry_id == party.registry_id))
    return canonical(session, company_id)


def _fuzzy_company(session: Session, key: str, threshold: float) -> int | None:
    rows = session.execute(select(CompanyAlias.alias_key, CompanyAlias.company_id)).all()
    if not rows:
        return None
    keys = {row[0]: row[1] for row in rows}
    best = process.extractOne(key, list(keys), scorer=fuzz.ratio, score_cutoff=threshold)
    return canonical(session, keys[best[0]]) if best else None


def resolve_company(session: Session, party: PartyMention, threshold: float) -> tuple[int, str]:
    """The company id for a party mention, and how it was matched."""
    keys = [k for k in (normalise_name(party.mention), normalise_name(party.name)) if k]
    for key in keys:
        manual = _alias_company(session, key, origin="manual")
        if manual is not None:
            return manual, "manual alias"
    if party.registry_id:
        company_id = _registry_company(session, party)
        for alias in {party.name, party.mention}:
            add_alias(session, alias, company_id, "registry")
        return company_id, "registry"
    for key in keys:
        known = _alias_company(session, key)
        if known is not None:
            return known, "known alias"
    fuzzy = _fuzzy_company(session, keys[0], threshold) if keys else None
    if fuzzy is not None:
        add_alias(session, party.mention, fuzzy, "fuzzy")
        return fuzzy, "fuzzy match"
    company = Company(name=party.name or party.mention, country=party.country, needs_review=True)
    session.add(company)
    session.flush()
    for alias in {party.name, party.mention}:
        add_alias(session, alias, company.id, "auto")
    return company.id, "new company (needs review)"
