"""Amount reconciliation: one value per deal and kind, chosen by weighted support across mentions.

Agreeing values (within 1%, compared in USD across currencies) support each other, and the most
authoritative of them is kept. Support weights favour official
announcements over press releases over news; the winner goes to deal_amounts and any disagreement
sets `conflict` (and is logged) so reviewers and SQL users can find it.
"""
from __future__ import annotations

import logging
from collections import Counter
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


def agrees(a: Reported, b: Reported) -> bool:
    """Whether two reports give the same figure (within 1%, in USD across currencies)."""
    if a.currency != b.currency:
        if a.usd is None or b.usd is None:
            return False
        return abs(a.usd - b.usd) <= AGREE_TOLERANCE * max(abs(a.usd), abs(b.usd))
    return abs(a.value - b.value) <= AGREE_TOLERANCE * max(abs(a.value), abs(b.value))


def reconcile(values: list[Reported], deal_id: int, kind: str, quiet: bool = False) -> Reconciled | None:
    """Group agreeing values; the group with the most weighted support wins (earliest on ties).

    "Earliest" is the place in `values`, which callers give in a canonical order (article URL, then the
    mention's ordinal), never by row id: ids only say in which order articles happened to be stored."""
    if not values:
        return None
    place = {id(v): i for i, v in enumerate(values)}
    groups: list[list[Reported]] = []
    for value in values:
        for group in groups:
            if agrees(group[0], value):
                group.append(value)
                break
        else:
            groups.append([value])

    def weight(group: list[Reported]) -> tuple[int, int]:
        return sum(SOURCE_WEIGHT.get(v.source_kind, 1) for v in group), -min(place[id(v)] for v in group)

    best = max(groups, key=weight)
    conflict = len(groups) > 1
    if conflict and not quiet:
        log.warning("deal %s: conflicting %s amounts %s; keeping %s %s", deal_id, kind,
                    [f"{g[0].value} {g[0].currency}" for g in groups], best[0].value, best[0].currency)
    return Reconciled(chosen=_representative(best, place), support=len(best), conflict=conflict)


def _representative(group: list[Reported], place: dict[int, int]) -> Reported:
    """The value that speaks for an agreeing group: the most authoritative source's ('$1.67 billion' in the
    press release, not a trade story's '€1.53 billion' that converts to about the same), then the form most
    of those sources give, then the earliest."""
    top = max(SOURCE_WEIGHT.get(v.source_kind, 1) for v in group)
    leading = [v for v in group if SOURCE_WEIGHT.get(v.source_kind, 1) == top]
    forms = Counter((v.value, v.currency) for v in leading)
    return min(leading, key=lambda v: (-forms[(v.value, v.currency)], place[id(v)]))
