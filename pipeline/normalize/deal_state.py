"""A deal's state recomputed from all of its reports: amounts and date reconciled across mentions, their
conversion at the deal's month, then the reviewer's overrides on top."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pharmadeals.models.records import AMOUNT_ROLES, CURRENCY_PRECEDENCE, Money
from pharmadeals.models.tables import Article, Deal, DealAmount, DealMention
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.amendments import choose_amount, record_history, stated_amounts
from pharmadeals.pipeline.normalize.fx import to_usd
from pharmadeals.pipeline.normalize.overrides import apply_overrides
from pharmadeals.pipeline.normalize.reconcile import SOURCE_WEIGHT


def _f(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def reconcile_amounts(session: Session, deal: Deal) -> list[str]:
    """Each kind's figure from all reports (follow-ups and amendments by the rule in amendments.py)."""
    stated = stated_amounts(session, deal.id)
    stored = {a.kind: a for a in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id))}
    changed: list[str] = []
    for kind in AMOUNT_ROLES:
        result = choose_amount(stated, deal.id, kind)
        if result is None:
            continue
        row = stored.get(kind) or DealAmount(deal_id=deal.id, kind=kind)
        new_value = str(result.chosen.value)
        if row.value_text != new_value or row.currency != result.chosen.currency:
            changed.append(kind)
        row.value_text, row.value, row.currency = new_value, float(result.chosen.value), result.chosen.currency
        row.usd_value = _f(result.chosen.usd)
        row.support, row.conflict = result.support, result.conflict
        session.add(row)
    record_history(session, deal.id, stated, AMOUNT_ROLES)
    session.flush()
    fresh = {a.kind: a for a in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id))}
    currencies = [fresh[k].currency for k in CURRENCY_PRECEDENCE if k in fresh]
    deal.currency = currencies[0] if currencies else None
    return changed


def reconcile_date(session: Session, deal: Deal) -> list[str]:
    """The announcement date most reports agree on, weighting official > press release > news;
    ties go to the earliest (a deal dates from its first report; one misdated roundup cannot move it)."""
    rows = session.execute(
        select(DealMention.payload, Article.kind, Article.published_on)
        .join(Article, Article.id == DealMention.article_id)
        .where(DealMention.deal_id == deal.id, DealMention.event.is_(None))).all()
    votes: dict[date, int] = {}
    for payload, kind, published in rows:
        values = json.loads(payload)
        stated = values.get("announced")
        day = date.fromisoformat(stated) if stated else None if values.get("recalled") else published
        if day is not None:
            votes[day] = votes.get(day, 0) + SOURCE_WEIGHT.get(kind, 1)
    if not votes:
        return []
    best = max(votes, key=lambda d: (votes[d], -d.toordinal()))
    if best == deal.announced_on:
        return []
    deal.announced_on = best
    return ["announced_on"]


def refresh_deal(session: Session, deal: Deal, settings: Settings) -> list[str]:
    """Reconcile a deal again from all its reports (after reports moved in from a folded duplicate): amounts,
    date, their conversion at the deal's month, then the reviewer's overrides."""
    changed = reconcile_amounts(session, deal) + reconcile_date(session, deal)
    for row in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id)):
        money = to_usd(Money(Decimal(row.value_text), row.currency), deal.announced_on, settings.fx)
        row.usd_value, row.fx_rate, row.fx_date, row.fx_source = (_f(money.usd), _f(money.rate), money.rate_date,
                                                                  money.rate_source)
    apply_overrides(session, deal, settings)
    return changed
