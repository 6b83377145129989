"""Reviewer overrides: corrections stored with who, when and why, re-applied after every write so they win.

An override names a deal field and its corrected value (as text). `apply_overrides` runs at the end of
every mention write and after `reextract`, so no later extraction can undo a reviewer's decision; the
latest override per field wins. Amounts are written "VALUE CUR" (e.g. "500000000 USD") or "none".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import get_args

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pharmadeals.extractors.registry import get_registry
from pharmadeals.models.errors import InputError
from pharmadeals.models.records import (
    AMOUNT_ROLES,
    CURRENCY_PRECEDENCE,
    DealType,
    Direction,
    Money,
    PartyMention,
    Territory,
)
from pharmadeals.models.repository import record_change, utcnow
from pharmadeals.models.tables import Company, Deal, DealAmount, DealParty, Override
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.companies import find_company, resolve_company
from pharmadeals.pipeline.normalize.fx import to_usd

PARTY_FIELDS = ("licensor", "licensee")
FIELDS = ("deal_type", "territory", "direction", "announced_on", "assets", "royalties", *PARTY_FIELDS,
          *AMOUNT_ROLES, "status")
STATUSES = ("active", "rejected")
_TRUE, _FALSE = ("true", "yes", "1", "y"), ("false", "no", "0", "n")
_NONE = ("none", "null", "")
_AMOUNT = re.compile(r"^\s*([0-9][0-9_,]*(?:\.[0-9]+)?)\s+([A-Za-z]{3})\s*$")


# deal_summary's USD columns, as a SQL user sees them: `upfront_usd=12345` is the upfront in US dollars.
USD_COLUMNS = {f"{role}_usd": role for role in AMOUNT_ROLES}


def parse_assignment(text: str) -> tuple[str, str]:
    """'field=value' -> (field, value), with deal_summary column names accepted ('upfront_usd=12345')."""
    field, sep, value = text.partition("=")
    field, value = field.strip(), value.strip()
    if not sep:
        raise InputError(f"{text!r} is not field=value", f"fields: {', '.join(FIELDS)}")
    if field in USD_COLUMNS:
        role = USD_COLUMNS[field]
        return role, value if value.lower() in _NONE else f"{value} USD"
    if field not in FIELDS:
        raise InputError(f"unknown field {field!r}",
                         f"fields: {', '.join(FIELDS)} (or {', '.join(USD_COLUMNS)} for amounts in US dollars)")
    return field, value


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> str | None:
    if field == "territory" and value.lower() in _NONE:
        return None
    if value not in allowed:
        raise InputError(f"{field}={value!r} is not allowed", f"use one of {', '.join(allowed)}")
    return value


def normalise(field: str, value: str) -> str | None:
    """Check one override and return the text stored for it (None clears the field)."""
    choices = {"deal_type": get_args(DealType), "territory": get_args(Territory),
               "direction": get_args(Direction), "status": STATUSES}
    if field in choices:
        return _choice(field, value, choices[field])
    if field == "announced_on":
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise InputError(f"announced_on={value!r} is not a date", "use YYYY-MM-DD") from None
    if field == "royalties":
        if value.lower() not in _TRUE + _FALSE:
            raise InputError(f"royalties={value!r} is not yes/no", "use true or false")
        return "true" if value.lower() in _TRUE else "false"
    if field in AMOUNT_ROLES:
        if value.lower() in _NONE:
            return None
        match = _AMOUNT.match(value)
        try:
            amount = Decimal(match.group(1).replace(",", "").replace("_", "")) if match else None
        except InvalidOperation:
            amount = None
        if amount is None or match is None:
            raise InputError(f"{field}={value!r} is not an amount", 'write "VALUE CUR", e.g. "500000000 USD", or none')
        return f"{amount} {match.group(2).upper()}"
    if field in PARTY_FIELDS or field == "assets":
        if not value:
            raise InputError(f"{field} cannot be empty", "give a company name" if field != "assets" else "list assets")
        return value
    raise InputError(f"unknown field {field!r}", f"fields: {', '.join(FIELDS)}")


def add_overrides(session: Session, settings: Settings, deal_id: int, changes: list[tuple[str, str]],
                  reviewer: str, reason: str = "", run_id: int | None = None, new_company: bool = False) -> list[str]:
    """Store reviewer overrides for a deal and apply them; returns the fields that changed. A party
    name no company is known by is refused unless `new_company`."""
    deal = session.get(Deal, deal_id)
    if deal is None:
        raise InputError(f"deal {deal_id} does not exist", "find ids with `pharmadeals query \"SELECT deal_id FROM deal_summary\"`")
    if not changes:
        raise InputError("nothing to correct", "give field=value pairs or --reject")
    if not reviewer:
        raise InputError("no reviewer name", "pass --reviewer NAME")
    normalised = [(field, normalise(field, value)) for field, value in changes]
    if not new_company:
        check_parties(session, settings, [(f, v) for f, v in normalised if v is not None])
    for field, value in normalised:
        old = current_value(session, deal, field)
        session.add(Override(deal_id=deal_id, field=field, value=value, reviewer=reviewer, reason=reason,
                             created_at=utcnow()))
        record_change(session, deal_id, run_id, what="corrected", field=field, old=old, new=value,
                      reviewer=reviewer, reason=reason)
    session.flush()
    return apply_overrides(session, deal, settings)


@dataclass(frozen=True)
class Correction:
    """One field of a reviewer's correction: what it showed before and after, and whether it changed."""

    field: str
    before: str | None
    after: str | None
    changed: bool


def correct_deal(session: Session, settings: Settings, deal_id: int, assignments: list[str], reject: bool,
                 reviewer: str, reason: str = "", new_company: bool = False) -> list[Correction]:
    """`pharmadeals correct` and the web review: parse field=value texts (plus status=rejected when `reject`),
    store them as overrides and say what each field showed before and after. A party name no company is
    known by is refused unless `new_company`."""
    pairs = [parse_assignment(text) for text in assignments]
    if reject:
        pairs.append(("status", "rejected"))
    deal = session.get(Deal, deal_id)
    before = {field: current_value(session, deal, field) for field, _ in pairs} if deal else {}
    changed = add_overrides(session, settings, deal_id, pairs, reviewer, reason, new_company=new_company)
    assert deal is not None  # add_overrides refused a missing deal
    return [Correction(field, before[field], current_value(session, deal, field), field in changed)
            for field, _ in pairs]


def active_overrides(session: Session, deal_id: int) -> dict[str, Override]:
    """The latest override per field."""
    rows = session.scalars(select(Override).where(Override.deal_id == deal_id).order_by(Override.created_at, Override.id))
    return {row.field: row for row in rows}


def current_value(session: Session, deal: Deal, field: str) -> str | None:
    """A field of the deal as override text, for history and reports of what changed."""
    if field in AMOUNT_ROLES:
        row = session.scalar(select(DealAmount).where(DealAmount.deal_id == deal.id, DealAmount.kind == field))
        return f"{row.value_text} {row.currency}" if row else None
    if field in PARTY_FIELDS:
        company = session.get(Company, getattr(deal, f"{field}_id")) if getattr(deal, f"{field}_id") else None
        return company.name if company else None
    value = getattr(deal, field)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else value


def _holds(session: Session, deal: Deal, field: str, value: str | None) -> bool:
    """Whether the deal already shows the override (parties: the override's name on that role)."""
    if field in PARTY_FIELDS:
        party = session.scalar(select(DealParty).where(DealParty.deal_id == deal.id, DealParty.role == field))
        return party is not None and party.mention == value and party.company_id == getattr(deal, f"{field}_id")
    if field in AMOUNT_ROLES and value is not None:  # a reviewer's figure also settles any conflict
        row = session.scalar(select(DealAmount).where(DealAmount.deal_id == deal.id, DealAmount.kind == field))
        return row is not None and f"{row.value_text} {row.currency}" == value and not row.conflict
    return current_value(session, deal, field) == value


def apply_overrides(session: Session, deal: Deal, settings: Settings | None = None) -> list[str]:
    """Re-apply every stored override to the deal row and its amounts; returns the fields that changed."""
    settings = settings or Settings()
    changed = []
    for field, row in active_overrides(session, deal.id).items():
        if _holds(session, deal, field, row.value):
            continue
        if field in AMOUNT_ROLES:
            _set_amount(session, deal, field, row.value, settings)
        elif field in PARTY_FIELDS:
            _set_party(session, deal, field, row.value or "", settings)
        elif field == "announced_on":
            deal.announced_on = date.fromisoformat(row.value) if row.value else None
        elif field == "royalties":
            deal.royalties = row.value == "true"
        else:
            setattr(deal, field, row.value)
        changed.append(field)
    if changed:
        deal.updated_at = utcnow()
        session.flush()
    return changed


def _set_amount(session: Session, deal: Deal, kind: str, value: str | None, settings: Settings) -> None:
    row = session.scalar(select(DealAmount).where(DealAmount.deal_id == deal.id, DealAmount.kind == kind))
    if value is None:
        if row is not None:
            session.delete(row)
    else:
        number, currency = value.split()
        money = to_usd(Money(Decimal(number), currency), deal.announced_on, settings.fx)
        row = row or DealAmount(deal_id=deal.id, kind=kind)
        row.value_text, row.value, row.currency = number, float(money.value), currency
        row.usd_value = float(money.usd) if money.usd is not None else None
        row.fx_rate = float(money.rate) if money.rate is not None else None
        row.fx_date, row.fx_source = money.rate_date, money.rate_source
        row.support, row.conflict = 0, False  # a reviewer's figure settles any disagreement
        session.add(row)
    session.flush()
    kinds = {a.kind: a.currency for a in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id))}
    deal.currency = next((kinds[k] for k in CURRENCY_PRECEDENCE if k in kinds), None)


def party_named(name: str) -> PartyMention:
    """A reviewer's company name read as extraction reads it: a registry name or alias in either script
    ('GlaxoSmithKline', '葛兰素史克', '默沙东') is that registry company."""
    company = get_registry().lookup(name)
    if company is None:
        return PartyMention(name=name, mention=name)
    return PartyMention(name=company.name, mention=name, country=company.country, registry_id=company.id)


def check_parties(session: Session, settings: Settings, changes: list[tuple[str, str]]) -> None:
    """Refuse a party name that neither the registry nor any stored company knows (no silent new company)."""
    for field, value in changes:
        if field in PARTY_FIELDS and value and \
                find_company(session, party_named(value), settings.dedup.fuzzy_company_threshold) is None:
            raise InputError(f"{field}={value!r}: no known company has that name",
                             "check the spelling (registry names and aliases work in either script), "
                             "or pass --new-company to create it")


def _set_party(session: Session, deal: Deal, role: str, name: str, settings: Settings) -> None:
    company_id, _ = resolve_company(session, party_named(name), settings.dedup.fuzzy_company_threshold)
    setattr(deal, f"{role}_id", company_id)
    session.execute(delete(DealParty).where(DealParty.deal_id == deal.id, DealParty.role == role))
    session.add(DealParty(deal_id=deal.id, company_id=company_id, role=role, mention=name))
    session.flush()
