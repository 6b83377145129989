"""Deal identity: decide whether a new mention reports a deal we already hold.

The rule, in order (the first that applies wins, and its wording is stored as the join reason):
1. Candidates are deals between the same two companies (roles in either order) announced within
   `dedup.window_days` before or after the mention (a roundup months later, or a press release read
   after the news, still meets its deal); follow-up events (closing, option exercise, amendment,
   termination) look back three years instead.
2. A follow-up event joins the closest earlier candidate (earlier than the story reporting it: the
   original may be known under a date a little after the one the follow-up recalls).
3. Shared asset -> same deal.
4. A stated amount agreeing within 1% with the candidate's -> same deal (a misread asset list does
   not split a deal whose figures agree).
5. Both sides name assets and none is shared -> a different deal (new assets added to an earlier
   collaboration are a new deal); amounts of one kind differing by more than 50% -> a different deal.
6. Otherwise the closest candidate in time joins (same parties, same window, no conflicting terms).
7. A report of the signing with no candidate joins a deal between the same companies known so far only
   from a later follow-up (a termination read before the original news), within three years.

Stored deals are not built by attaching each new report to what was there: after every write the
mentions of the pair are clustered again with these rules in a canonical order (membership.py) and the
deals rebuilt from their members (regroup.py), so the result does not depend on the order of reports.
`find_deal` still answers for one report against stored deals (a renamed party is looked for only when
it finds none).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from pharmadeals.models.records import DealMention, asset_key
from pharmadeals.models.tables import Company, Deal, DealAmount
from pharmadeals.models.tables import DealMention as MentionRow
from pharmadeals.pipeline.normalize.companies import placed_apart
from pharmadeals.pipeline.normalize.romanise import romanised_core

EVENT_LOOKBACK_DAYS = 3 * 365
AGREE_TOLERANCE = Decimal("0.01")
CONFLICT_RATIO = Decimal("0.5")


@dataclass(frozen=True)
class Match:
    deal_id: int | None
    reason: str


def split_assets(text: str) -> set[str]:
    return {asset_key(a) for a in text.split(",") if a.strip()}


def asset_keys(mention: DealMention) -> set[str]:
    return {asset_key(a) for a in mention.assets}


def _candidates(session: Session, licensor: int | None, licensee: int | None, announced: date | None,
                lookback: int, lookahead: int) -> list[Deal]:
    ids = [i for i in (licensor, licensee) if i is not None]
    if not ids:
        return []
    if len(ids) == 2:
        pair = or_(and_(Deal.licensor_id == ids[0], Deal.licensee_id == ids[1]),
                   and_(Deal.licensor_id == ids[1], Deal.licensee_id == ids[0]))
    else:
        pair = or_(Deal.licensor_id == ids[0], Deal.licensee_id == ids[0])
    stmt = select(Deal).where(pair)  # a rejected deal still absorbs its reports, so they stay hidden too
    if announced is not None:
        stmt = stmt.where(or_(Deal.announced_on.is_(None),
                              and_(Deal.announced_on >= announced - timedelta(days=lookback),
                                   Deal.announced_on <= announced + timedelta(days=lookahead))))
    return list(session.scalars(stmt))


def _amount_verdict(session: Session, deal: Deal, mention: DealMention) -> str | None:
    """'agree:<kind>' when a stated amount matches, 'conflict:<kind>' when one clearly differs."""
    stored = {a.kind: a for a in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id))}
    verdict = None
    for kind, money in mention.amounts().items():
        have = stored.get(kind)
        if have is None or have.currency != money.currency or not money.value:
            continue
        old = Decimal(have.value_text)
        diff = abs(old - money.value) / max(abs(old), abs(money.value))
        if diff <= AGREE_TOLERANCE:
            return f"agree:{kind}"
        if diff > CONFLICT_RATIO:
            verdict = f"conflict:{kind}"
    return verdict


def _distance(deal: Deal, announced: date | None) -> int:
    if deal.announced_on is None or announced is None:
        return 10**6
    return abs((deal.announced_on - announced).days)


def _known_only_from_follow_ups(session: Session, licensor: int | None, licensee: int | None,
                                announced: date | None) -> list[Deal]:
    """Deals between the same companies, dated up to three years after `announced`, that no report of the
    signing itself has reached yet."""
    if licensor is None or licensee is None or announced is None:
        return []
    later = [d for d in _candidates(session, licensor, licensee, announced, 0, EVENT_LOOKBACK_DAYS)
             if d.announced_on is not None and d.announced_on >= announced]
    signed = exists().where(MentionRow.deal_id == Deal.id, MentionRow.event.is_(None))
    ids = [d.id for d in later]
    unsigned = set(session.scalars(select(Deal.id).where(Deal.id.in_(ids), ~signed))) if ids else set()
    return [d for d in later if d.id in unsigned]


def find_deal(session: Session, mention: DealMention, licensor: int | None, licensee: int | None,
              announced: date | None, window_days: int, published: date | None = None) -> Match:
    """Pick the existing deal this mention reports, or say why it is a new one. A report that gives the deal no
    date (an older deal recalled in passing) may be of any deal of the pair signed before it was published."""
    if mention.announced is None and mention.event is None and licensor is not None and licensee is not None:
        earlier = _candidates(session, licensor, licensee, announced, EVENT_LOOKBACK_DAYS, window_days)
        if earlier and (match := _pick(session, mention, earlier, announced)).deal_id is not None:
            return match
    if mention.event is not None:
        reported = max(0, (published - announced).days) if published and announced else 0
        earlier = _candidates(session, licensor, licensee, announced, EVENT_LOOKBACK_DAYS, 7 + reported)
        if earlier:
            best = min(earlier, key=lambda d: _distance(d, announced))
            return Match(best.id, f"follow-up event ({mention.event}) of deal between the same companies")
    candidates = _candidates(session, licensor, licensee, announced, window_days, window_days)
    if licensor is None or licensee is None:
        candidates = [d for d in candidates if split_assets(d.assets) & asset_keys(mention)]
    match = _pick(session, mention, candidates, announced)
    if match.deal_id is not None or candidates:
        return match
    if mention.event is None:
        followed = _known_only_from_follow_ups(session, licensor, licensee, announced)
        if followed:
            best = min(followed, key=lambda d: _distance(d, announced))
            return Match(best.id, "same companies: the signing of a deal first seen through its follow-up")
    return Match(None, "new deal")


def _pick(session: Session, mention: DealMention, candidates: list[Deal], announced: date | None) -> Match:
    """The nearest candidate sharing an asset or an amount, else one with no conflicting terms."""
    mine = asset_keys(mention)
    fallback: list[Deal] = []
    for deal in sorted(candidates, key=lambda d: _distance(d, announced)):
        theirs = split_assets(deal.assets)
        shared = theirs & mine
        if shared:
            return Match(deal.id, f"same companies and asset {sorted(shared)[0]}")
        verdict = _amount_verdict(session, deal, mention)
        if verdict and verdict.startswith("agree"):
            return Match(deal.id, f"same companies and same {verdict.split(':')[1]} amount")
        if verdict is None and not (theirs and mine):
            fallback.append(deal)
    if fallback:
        return Match(fallback[0].id, "same companies, near in time, no conflicting terms")
    return Match(None, "new deal: same companies but different assets or terms" if candidates else "new deal")


def renamed_party(session: Session, mention: DealMention, licensor: int | None, licensee: int | None,
                  announced: date | None, window_days: int) -> tuple[Deal, int, int] | None:
    """A deal this mention reports under another name for one party: the same counterpart, a shared asset,
    the same window, and a name that reads the same ('和屿医药' and 'Guangzhou Heyu Pharmaceutical' both come
    down to 'heyu', too short to match on its own). A differently named party is not merged on the deal's
    evidence alone: a misread roundup pairing would then merge two real companies for good. Returns the
    deal, the company row this mention created or found, and the deal's row for that party."""
    mine = asset_keys(mention)
    if not mine or licensor is None or licensee is None:
        return None
    for fixed, loose in ((licensor, licensee), (licensee, licensor)):
        for deal in _candidates(session, fixed, None, announced, window_days, window_days):
            other = deal.licensee_id if deal.licensor_id == fixed else deal.licensor_id
            if other in (None, loose, fixed) or not (split_assets(deal.assets) & mine):
                continue
            a, b = session.get(Company, loose), session.get(Company, other)
            if a is None or b is None or a.registry_id or b.registry_id or placed_apart(a.country, b.country):
                continue
            core_a, core_b = romanised_core(a.name), romanised_core(b.name)
            if core_a and core_a == core_b:
                return deal, loose, other
    return None
