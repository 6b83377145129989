"""Write one deal mention: resolve companies, join or create the deal, store its amounts, reconcile the deal."""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pharmadeals.models.records import DealMention as MentionRecord
from pharmadeals.models.records import PartyMention, asset_key
from pharmadeals.models.repository import record_change, utcnow
from pharmadeals.models.tables import Article, Deal, DealAmount, DealEvent, DealMention, DealParty, MentionAmount
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.companies import linked_companies, resolve_company
from pharmadeals.pipeline.normalize.deal_state import reconcile_amounts, reconcile_date
from pharmadeals.pipeline.normalize.dedup import Match, find_deal, renamed_party, split_assets
from pharmadeals.pipeline.normalize.fx import to_usd
from pharmadeals.pipeline.normalize.identity_fixes import merge_companies
from pharmadeals.pipeline.normalize.overrides import apply_overrides
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


def _new_deal(session: Session, mention: MentionRecord, licensor: int | None, licensee: int | None,
              announced) -> Deal:  # type: ignore[no-untyped-def]
    now = utcnow()
    deal = Deal(announced_on=announced, licensor_id=licensor, licensee_id=licensee, direction=mention.direction,
                deal_type=mention.deal_type, territory=mention.territory, assets=", ".join(mention.assets),
                royalties=mention.royalties, confidence=mention.confidence, status="active",
                created_at=now, updated_at=now)
    session.add(deal)
    session.flush()
    for role, company_id, party in (("licensor", licensor, mention.licensor), ("licensee", licensee, mention.licensee)):
        if company_id is not None and party is not None:
            session.add(DealParty(deal_id=deal.id, company_id=company_id, role=role, mention=party.mention))
    return deal


def _merge_into(deal: Deal, mention: MentionRecord) -> list[str]:
    """Fill what the deal lacks from a joining mention; returns the fields changed."""
    changed = []
    assets = split_assets(deal.assets)
    extra = [a for a in mention.assets if asset_key(a) not in assets]
    if extra and mention.event is None:
        deal.assets = ", ".join([a for a in deal.assets.split(", ") if a] + extra)
        changed.append("assets")
    if deal.territory is None and mention.territory is not None:
        deal.territory = mention.territory
        changed.append("territory")
    if mention.royalties and not deal.royalties:
        deal.royalties = True
        changed.append("royalties")
    if mention.confidence > deal.confidence:
        deal.confidence = mention.confidence
    deal.updated_at = utcnow()
    return changed


def _store_fx_details(session: Session, deal_id: int, mention: MentionRecord) -> None:
    for kind, money in mention.amounts().items():
        row = session.scalar(select(DealAmount).where(DealAmount.deal_id == deal_id, DealAmount.kind == kind))
        if row is not None and row.value_text == str(money.value) and row.currency == money.currency:
            row.fx_rate, row.fx_date, row.fx_source = _f(money.rate), money.rate_date, money.rate_source


def _company(session: Session, settings: Settings, party: PartyMention | None) -> int | None:
    """The party's company; rows this report shows to be the same company are merged into it first (their
    deals folded together), so one company never keeps two rows once a text has linked its names."""
    if party is None:
        return None
    company_id = resolve_company(session, party, settings.dedup.fuzzy_company_threshold)[0]
    for other in linked_companies(session, party, company_id):
        source, target, _ = merge_companies(session, str(other), str(company_id), settings, origin="auto")
        log.info("company %r is %r (named together in one report); merged", source.name, target.name)
    return company_id


def write_mention(session: Session, settings: Settings, run_id: int, article: Article, ordinal: int,
                  mention: MentionRecord) -> tuple[int, bool]:
    """Attach `mention` (from `article`) to its deal; returns (deal id, whether the deal is new)."""
    licensor = _company(session, settings, mention.licensor)
    licensee = _company(session, settings, mention.licensee)
    announced = _announced(mention, article.url) or article.published_on
    match = find_deal(session, mention, licensor, licensee, announced, settings.dedup.window_days,
                      article.published_on)
    if match.deal_id is None and mention.event is None:
        renamed = renamed_party(session, mention, licensor, licensee, announced, settings.dedup.window_days)
        if renamed is not None:
            deal_found, mine, theirs = renamed
            source, target, _ = merge_companies(session, str(mine), str(theirs), settings, origin="auto")
            licensor, licensee = (theirs if c == mine else c for c in (licensor, licensee))
            match = Match(deal_found.id, f"same deal and asset; {source.name!r} is another name of {target.name!r}")
    created = match.deal_id is None
    # an older deal recalled without a date stays undated: the article's publication date is not its date
    dated = None if mention.recalled and mention.announced is None else announced
    deal = _new_deal(session, mention, licensor, licensee, dated) if created else session.get(Deal, match.deal_id)
    assert deal is not None  # find_deal matches only existing deals
    mention = _convert(mention, settings, deal.announced_on or announced, article.url)
    changed = [] if created else _merge_into(deal, mention)
    row = DealMention(deal_id=deal.id, article_id=article.id, ordinal=ordinal,
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
    if mention.event is not None:
        session.add(DealEvent(deal_id=deal.id, kind=mention.event, happened_on=announced, article_id=article.id))
    session.flush()
    changed += reconcile_amounts(session, deal)
    changed += reconcile_date(session, deal)
    _store_fx_details(session, deal.id, mention)
    record_change(session, deal.id, run_id, what="created" if created else "joined", article=article.url,
                  reason=match.reason, fields=changed)
    apply_overrides(session, deal, settings)  # reviewer overrides win over any extraction
    return deal.id, created
