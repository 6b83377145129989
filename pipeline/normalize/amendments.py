"""Which figures a deal shows when follow-up reports (closing, option exercise, amendment, termination) state
amounts, and the amount history an amendment leaves behind.

The rule, kind by kind (upfront, milestones, total, equity):

1. An amendment (an expanded or amended agreement) that states a figure changes the deal's figure: the
   latest amendment wins (by its announcement date, then the most authoritative source, then url, so the
   result does not depend on the order articles arrived in). The figure it replaces stays visible as a
   `deal_amount_history` row, beside one row per amendment report.
2. Otherwise the reports of the deal itself (no event) are reconciled as always (reconcile.py).
3. A deal known only from follow-ups (the closing or termination story is the first we have) takes the
   figures those state, reconciled the same way; once a report of the deal itself is stored, its figures
   win, because a closing story usually recalls the original terms.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pharmadeals.models.repository import utcnow
from pharmadeals.models.tables import Article, DealAmountHistory, DealMention, MentionAmount
from pharmadeals.pipeline.normalize.reconcile import SOURCE_WEIGHT, Reconciled, Reported, agrees, reconcile

AMENDING_EVENTS = frozenset({"amendment"})


@dataclass(frozen=True)
class Stated:
    """One report's figure for one amount kind, with the report's event and date."""

    kind: str
    reported: Reported
    value_text: str
    usd_value: float | None
    event: str | None
    on: date | None
    url: str
    ordinal: int
    article_id: int

    def order(self) -> tuple[date, int, str, int]:
        """Later, then more authoritative, then by url and place in the article (never by row id, which only
        says when it was stored): the last of a sorted list is the one that counts."""
        return (self.on or date.min, SOURCE_WEIGHT.get(self.reported.source_kind, 1), self.url, -self.ordinal)


def stated_amounts(session: Session, deal_id: int) -> list[Stated]:
    """Every figure any report of the deal states, follow-ups included."""
    rows = session.execute(
        select(MentionAmount, Article.kind, DealMention.id, DealMention.event, DealMention.payload,
               Article.published_on, Article.url, DealMention.ordinal, Article.id)
        .join(DealMention, DealMention.id == MentionAmount.mention_id)
        .join(Article, Article.id == DealMention.article_id)
        .where(DealMention.deal_id == deal_id)
        .order_by(Article.url, DealMention.ordinal)).all()  # canonical: reconcile's ties follow this order
    out = []
    for m, source_kind, mention_id, event, payload, published, url, ordinal, article_id in rows:
        announced = json.loads(payload or "{}").get("announced")
        usd = Decimal(str(m.usd_value)) if m.usd_value is not None else None
        out.append(Stated(m.kind, Reported(Decimal(m.value_text), m.currency, usd, source_kind, mention_id),
                          m.value_text, m.usd_value, event,
                          date.fromisoformat(announced) if announced else published, url, ordinal, article_id))
    return out


def choose_amount(stated: list[Stated], deal_id: int, kind: str) -> Reconciled | None:
    """The deal's figure of `kind` by the rule in this module's docstring (None: no report states one)."""
    of_kind = [s for s in stated if s.kind == kind]
    amending = sorted((s for s in of_kind if s.event in AMENDING_EVENTS), key=Stated.order)
    if amending:
        latest = amending[-1]
        return Reconciled(chosen=latest.reported, support=sum(agrees(latest.reported, s.reported) for s in amending), conflict=False)
    own = [s.reported for s in of_kind if s.event is None]
    return reconcile(own or [s.reported for s in of_kind], deal_id, kind)


def amount_history(stated: list[Stated], deal_id: int, kind: str) -> list[tuple[Stated, bool]]:
    """(figure, is current) in date order: the deal's own figure, then each amendment report; empty without
    an amendment stating `kind`."""
    of_kind = [s for s in stated if s.kind == kind]
    amending = sorted((s for s in of_kind if s.event in AMENDING_EVENTS), key=Stated.order)
    if not amending:
        return []
    own = reconcile([s.reported for s in of_kind if s.event is None], deal_id, kind)
    base = [s for s in of_kind if own is not None and s.reported == own.chosen]
    return [(s, s is amending[-1]) for s in base[:1] + amending]


def record_history(session: Session, deal_id: int, stated: list[Stated], kinds: tuple[str, ...]) -> None:
    """Make the deal's deal_amount_history rows what its reports imply; unchanged rows keep recorded_at."""
    wanted = {(s.kind, s.reported.mention_id): (s, current)
              for kind in kinds for s, current in amount_history(stated, deal_id, kind)}
    existing = {(r.kind, r.mention_id): r for r in session.scalars(
        select(DealAmountHistory).where(DealAmountHistory.deal_id == deal_id))}
    stale = [r.id for key, r in existing.items() if key not in wanted]
    if stale:
        session.execute(delete(DealAmountHistory).where(DealAmountHistory.id.in_(stale)))
    for key, (s, current) in wanted.items():
        row = existing.get(key) or DealAmountHistory(deal_id=deal_id, kind=s.kind, mention_id=s.reported.mention_id,
                                                     recorded_at=utcnow())
        row.value_text, row.value, row.currency = s.value_text, float(s.reported.value), s.reported.currency
        row.usd_value, row.event, row.effective_on = s.usd_value, s.event, s.on
        row.article_id, row.current = s.article_id, current
        session.add(row)
    session.flush()
