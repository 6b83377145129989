"""Company identity: one row per real company, whatever name, language or legal form the text used.

Order of authority: a reviewer's manual alias, then the registry, then a known alias (including the
names the same article gives the company in the other script), then the same name in the other script
(pinyin, see romanise.py), then a fuzzy match (rapidfuzz, above `dedup.fuzzy_company_threshold`), else a
new company flagged for review.
"""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from pharmadeals.models.legal_forms import strip_legal_forms
from pharmadeals.models.records import GREATER_CHINA, PartyMention
from pharmadeals.models.tables import Company, CompanyAlias
from pharmadeals.models.upsert import insert_ignore
from pharmadeals.pipeline.normalize.romanise import (
    KEY_PREFIX,
    matching_keys,
    romanised_key,
    romanised_keys,
    same_english_company,
)

_PUNCT = re.compile(r"[\s\.,'’\"()（）\-–—·&/]+")
def normalise_name(name: str) -> str:
    """Case, width, punctuation and legal suffixes folded away: the key aliases are stored under."""
    text = strip_legal_forms(unicodedata.normalize("NFKC", name).strip().lower(), groups=True)
    return _PUNCT.sub("", text)


# Words that point at a company without naming it: 'the company', 'The Japanese pharma', '本公司', '被授權方'.
# They resolve through the name the extractor gave them, and are never stored as anybody's alias.
_REFERENCE = re.compile(r"^(?i:the|this|its|our|that)\b.*\b[a-z][a-z-]*$|^(?i:the|this|its|our)\s+\w+$|"
                        r"^(?:本|该|該|此|这|這|对|對)?(?:公司|集团|集團|企业|企業|方)$|^本(?:公司|集团|集團)|"
                        r"^(?:被)?(?:授权|授權|许可|許可|被许可|被許可|合作|交易)(?:方|对方|對方)$")


def is_reference(text: str) -> bool:
    """A pointer such as 'the company' or '本公司' rather than a name."""
    return bool(_REFERENCE.match(unicodedata.normalize("NFKC", text).strip()))


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
        assert company_id is not None  # inserted just now, or by the writer that won the race
    return canonical(session, company_id)


def _add_romanised(session: Session, name: str, company_id: int) -> None:
    for key in romanised_keys(name):
        if session.scalar(select(CompanyAlias.id).where(CompanyAlias.alias_key == key)) is None:
            insert_ignore(session, CompanyAlias, dict(alias_key=key, alias=name, company_id=company_id,
                                                      origin="romanised"))




def placed_apart(a: str | None, b: str | None) -> bool:
    """Two companies placed in different countries (Greater China counts as one)."""
    return bool(a and b and a != b and not {a, b} <= GREATER_CHINA)


def _romanised_company(session: Session, party: PartyMention, names: list[str]) -> int | None:
    """A company first seen under its name in the other script ('Nanjing Kanglin Biotech' for 南京康霖生物科技)
    or under another Chinese form (泓屿生物 for 上海泓屿生物科技), unless the two are placed in different
    countries."""
    for name in names:
        for candidate in dict.fromkeys(k for own in romanised_keys(name) for k in matching_keys(own)):
            found = _alias_company(session, candidate, origin="romanised")
            company = session.get(Company, found) if found is not None else None
            if company is not None and not placed_apart(party.country, company.country):
                return found
        key = romanised_key(name)
        if key and ":en:" in key:  # an English short form of an English name seen before
            for row in session.scalars(select(CompanyAlias).where(CompanyAlias.alias_key == key)):
                company = session.get(Company, canonical(session, row.company_id))
                if company is not None and same_english_company(name, row.alias) \
                        and not placed_apart(party.country, company.country):
                    return company.id
    return None


def _fuzzy_company(session: Session, key: str, threshold: float) -> int | None:
    rows = session.execute(select(CompanyAlias.alias_key, CompanyAlias.company_id)
                           .where(~CompanyAlias.alias_key.startswith(KEY_PREFIX))).all()
    if not rows:
        return None
    keys = {row[0]: row[1] for row in rows}
    best = process.extractOne(key, list(keys), scorer=fuzz.ratio, score_cutoff=threshold)
    return canonical(session, keys[best[0]]) if best else None


def _names(party: PartyMention) -> list[str]:
    """Every name the report gives the party (its mention, the extractor's name, its other names), less
    pointers such as 'the company'."""
    return [n for n in dict.fromkeys([party.mention, party.name, *party.other_names]) if not is_reference(n)]


def resolve_company(session: Session, party: PartyMention, threshold: float) -> tuple[int, str]:
    """The company id for a party mention, and how it was matched (a new company when nothing matches)."""
    found = find_company(session, party, threshold)
    if found is not None:
        return found
    company = Company(name=party.name or party.mention, country=party.country, needs_review=True)
    session.add(company)
    session.flush()
    _remember(session, _names(party), company.id)
    return company.id, "new company (needs review)"


def find_company(session: Session, party: PartyMention, threshold: float) -> tuple[int, str] | None:
    """The stored or registry company a party mention names, and how it was matched; None if none does."""
    names = _names(party)
    own = [k for k in (normalise_name(n) for n in (party.mention, party.name) if n in names) if k]
    keys = list(dict.fromkeys(own + [k for k in map(normalise_name, names) if k]))
    for key in keys:
        manual = _alias_company(session, key, origin="manual")
        if manual is not None:
            return manual, "manual alias"
    if party.registry_id:
        company_id = _registry_company(session, party)
        for alias in {party.name, party.mention} & set(names):
            add_alias(session, alias, company_id, "registry")
        return company_id, "registry"
    for key in keys:
        known = _alias_company(session, key)
        if known is not None:
            _remember(session, names, known)
            return known, "known alias"
    romanised = _romanised_company(session, party, names)
    if romanised is not None:
        _remember(session, names, romanised)
        return romanised, "same name in the other script"
    fuzzy = _fuzzy_company(session, own[0], threshold) if own else None
    if fuzzy is not None:
        add_alias(session, party.mention, fuzzy, "fuzzy")
        return fuzzy, "fuzzy match"
    return None


def linked_companies(session: Session, party: PartyMention, company_id: int) -> list[int]:
    """Other company rows this report's names point to. An article that writes '明澈生物（Clearwell
    Therapeutics）' says the two are one company, so a row created earlier under either name is the same
    company. Registry companies are never folded into anything."""
    names = _names(party)
    found: list[int] = []
    for name in names:
        hits = [_alias_company(session, normalise_name(name))]
        hits += [_alias_company(session, k, origin="romanised")
                 for k in dict.fromkeys(k for own in romanised_keys(name) for k in matching_keys(own))]
        for other in hits:
            if other is None:
                continue
            company = session.get(Company, other)
            if company is not None and other != company_id and other not in found and company.registry_id is None \
                    and not placed_apart(party.country, company.country):
                found.append(other)
    return found


def _remember(session: Session, names: list[str], company_id: int) -> None:
    """Every name this report used for the company becomes an alias (an existing one keeps its company)."""
    for name in names:
        if session.scalar(select(CompanyAlias.id).where(CompanyAlias.alias_key == normalise_name(name))) is None:
            add_alias(session, name, company_id, "auto")
        _add_romanised(session, name, company_id)
