"""Write one deal mention: resolve its companies, store it with its amounts, recompute the deals it touches."""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pharmadeals.models.records import DealMention as MentionRecord
from pharmadeals.models.records import PartyMention
from pharmadeals.models.repository import record_change, utcnow
from pharmadeals.models.tables import Article, Company, Deal, DealMention, MentionAmount
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.companies import canonical, linked_companies, resolve_company
from pharmadeals.pipeline.normalize.dedup import Match, find_deal, renamed_party
from pharmadeals.pipeline.normalize.fx import to_usd
from pharmadeals.pipeline.normalize.identity_fixes import merge_companies
from pharmadeals.pipeline.normalize.regroup import rebuild_alone, regroup
from pharmadeals.pipeline.serialize import deal_to_json

FUTURE_SLACK = timedelta(days=2)  # time zones and embargoed releases; later than this is not a real date
log = logging.getLogger(__name__)


def _f(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _convert(mention: MentionRecord, settings: Settings, on,  # type: ignore[no-untyped-def]
             url: str = "") -> MentionRecord:
    converted = {kind: to_usd(money, on, settings.fx) for kind, money in mention.amounts().items()}
    limit = Decimal(str(settings.extract.max_amount_usd))
    for kind, money in list(converted.items()):
        usd = money.usd
        if usd is not None and usd > limit:  # e.g. "$1.2 trillion upfront": a typo, never a real deal term
            log.warning("dropped %s amount %r (%s USD) from %s: above extract.max_amount_usd %s",
                        kind, money.text or str(money.value), usd, url, settings.extract.max_amount_usd)
            del converted[kind]
    return replace(mention, upfront=converted.get("upfront"), milestones=converted.get("milestones"),
                   total=converted.get("total"), equity=converted.get("equity"))


def _announced(mention: MentionRecord, url: str) -> date | None:
    """The mention's own date unless it lies in the future (a typo or a mis-read date), which is logged."""
    day = mention.announced
    if day is not None and day > datetime.now(UTC).date() + FUTURE_SLACK:
        log.warning("ignored announcement date %s from %s: more than %d days in the future",
                    day, url, FUTURE_SLACK.days)
        return None
    return day


def _provisional_deal(session: Session) -> Deal:
    """A deal row for a mention until regroup decides where it belongs (it vanishes if it joins another)."""
    now = utcnow()
    deal = Deal(status="active", created_at=now, updated_at=now)
    session.add(deal)
    session.flush()
    return deal


def _survivor(session: Session, a: int, b: int) -> tuple[str, str]:
    """(row merged away, row kept) for two rows of one company: a registry company is kept, else the row
    whose name sorts first, so the result never depends on which name was read first."""
    ca, cb = session.get(Company, a), session.get(Company, b)
    assert ca is not None and cb is not None  # both resolved in this session

    def rank(c: Company) -> tuple[bool, str, int]:
        return c.registry_id is None, c.name, c.id
    keep, drop = sorted((ca, cb), key=rank)
    return str(drop.id), str(keep.id)


def _company(session: Session, settings: Settings, party: PartyMention | None) -> int | None:
    """The party's company; rows this report shows to be the same company are merged first (their deals
    recomputed together), so one company never keeps two rows once a text has linked its names."""
    if party is None:
        return None
    company_id = resolve_company(session, party, settings.dedup.fuzzy_company_threshold)[0]
    for other in linked_companies(session, party, company_id):
        if canonical(session, other) == canonical(session, company_id):
            continue
        source, target, _ = merge_companies(session, *_survivor(session, other, canonical(session, company_id)),
                                            settings, origin="auto")
        log.info("company %r is %r (named together in one report); merged", source.name, target.name)
    return canonical(session, company_id)


def write_mention(session: Session, settings: Settings, run_id: int, article: Article, ordinal: int,
                  mention: MentionRecord) -> tuple[int, bool]:
    """Store `mention` (from `article`) and recompute the deals of its companies from all their mentions
    (regroup.py); returns (its deal's id, whether that deal is new)."""
    licensor = _company(session, settings, mention.licensor)
    licensee = _company(session, settings, mention.licensee)
    announced = _announced(mention, article.url) or article.published_on
    match = find_deal(session, mention, licensor, licensee, announced, settings.dedup.window_days,
                      article.published_on)
    if match.deal_id is None and mention.event is None:
        renamed = renamed_party(session, mention, licensor, licensee, announced, settings.dedup.window_days)
        if renamed is not None:
            found, mine, theirs = renamed
            source, target, _ = merge_companies(session, *_survivor(session, mine, theirs), settings, origin="auto")
            licensor, licensee = (canonical(session, c) if c is not None else None for c in (licensor, licensee))
            match = Match(found.id, f"same deal and asset; {source.name!r} is another name of {target.name!r}")
    known = set(session.scalars(select(Deal.id)))
    # Where the report joins for now (and why, as the join reason); regroup then decides from all mentions.
    deal = session.get(Deal, match.deal_id) if match.deal_id is not None else None
    created = deal is None
    deal = deal or _provisional_deal(session)
    mention = _convert(mention, settings, announced, article.url)  # at the report's own date: no order in it
    row = DealMention(deal_id=deal.id, article_id=article.id, ordinal=ordinal, licensor_id=licensor,
                      licensee_id=licensee,
                      licensor_mention=mention.licensor.mention if mention.licensor else "",
                      licensee_mention=mention.licensee.mention if mention.licensee else "",
                      payload=json.dumps(deal_to_json(mention), ensure_ascii=False),
                      evidence="\n".join(mention.evidence), confidence=mention.confidence,
                      event=mention.event, join_reason=match.reason, created_at=utcnow())
    session.add(row)
    session.flush()
    for kind, money in mention.amounts().items():
        session.add(MentionAmount(mention_id=row.id, kind=kind, value_text=str(money.value), value=float(money.value),
                                  currency=money.currency, usd_value=_f(money.usd), span=money.text))
    session.flush()
    scope = frozenset(c for c in (licensor, licensee) if c is not None)
    if scope:
        regroup(session, settings, {scope}, run_id, fresh={deal.id} if created else set())
    else:  # no company read: a deal of its own
        rebuild_alone(session, settings, deal)
    session.refresh(row)
    created = row.deal_id not in known
    record_change(session, row.deal_id, run_id, what="created" if created else "joined", article=article.url,
                  reason=row.join_reason)
    return row.deal_id, created
