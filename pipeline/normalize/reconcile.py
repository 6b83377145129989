"""Amount reconciliation: one value per deal and kind, chosen by weighted support across mentions.

Agreeing values (same currency, within 1%) support each other. Support weights favour official
announcements over press releases over news; the winner goes to deal_amounts and any disagreement
sets `conflict` (and is logged) so reviewers and SQL users can find it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

log = logging.getLogger(__name__)
SOURCE_WEIGHT = {"official": 3, "press_release": 2, "news": 1}
AGREE_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class Reported:
    """One mention's value for one amount kind."""

    value: Decimal
    currency: str
    usd: Decimal | None
    source_kind: str
    mention_id: int


@dataclass(frozen=True)
class Reconciled:
    chosen: Reported
    support: int
    conflict: bool


def _agrees(a: Reported, b: Reported) -> bool:
    if a.currency != b.currency:
        if a.usd is None or b.usd is None:
            return False
        return abs(a.usd - b.usd) <= AGREE_TOLERANCE * max(abs(a.usd), abs(b.usd))
    return abs(a.value - b.value) <= AGREE_TOLERANCE * max(abs(a.value), abs(b.value))


def reconcile(values: list[Reported], deal_id: int, kind: str) -> Reconciled | None:
    """Group agreeing values; the group with the most weighted support wins (earliest on ties)."""
    if not values:
        return None
    groups: list[list[Reported]] = []
    for value in values:
        for group in groups:
            if _agrees(group[0], value):
                group.append(value)
                break
        else:
            groups.append([value])

    def weight(group: list[Reported]) -> tuple[int, int]:
        return sum(SOURCE_WEIGHT.get(v.source_kind, 1) for v in group), -min(v.mention_id for v in group)

    best = max(groups, key=weight)
    conflict = len(groups) > 1
    if conflict:
        log.warning("deal %s: conflicting %s amounts %s; keeping %s %s", deal_id, kind,
                    [f"{g[0].value} {g[0].currency}" for g in groups], best[0].value, best[0].currency)
    chosen = min(best, key=lambda v: v.mention_id)
    return Reconciled(chosen=chosen, support=len(best), conflict=conflict)
