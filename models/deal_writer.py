"""Write one deal mention: resolve companies, join or create the deal, store amounts, reconcile."""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.overrides import apply_overrides
from models.repository import record_change, utcnow
from models.tables import Article, Deal, DealAmount, DealEvent, DealMention, DealParty, MentionAmount
from pipeline.config import Settings
from pipeline.normalize.companies import linked_companies, resolve_company
from pipeline.normalize.dedup import Match, find_deal, renamed_party, split_assets
from pipeline.normalize.fx import to_usd
from pipeline.normalize.reconcile import SOURCE_WEIGHT, Reported, reconcile
from pipeline.records import DealMention as MentionRecord
from pipeline.records import Money, PartyMention
from pipeline.serialize import deal_to_json

AMOUNT_KINDS = ("upfront", "milestones", "total", "equity")
FUTURE_SLACK = timedelta(days=2)  # time zones and embargoed releases; later than this is not a real date
log = logging.getLogger(__name__)


def _f(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _convert(mention: MentionRecord, settings: Settings, on,  # type: ignore[no-untyped-def]
             url: str = "") -> MentionRecord:
    converted: dict[str, Money | None] = {kind: to_usd(money, on, settings.fx)
                                          for kind, money in mention.amounts().items()}
    limit = Decimal(str(settings.extract.max_amount_usd))
    for kind, money in converted.items():
        usd = money.usd if money is not None and money.usd is not None else None
        if usd is not None and usd > limit:  # e.g. "$1.2 trillion upfront": a typo, never a real deal term
            log.warning("dropped %s amount %r (%s USD) from %s: above extract.max_amount_usd %s",
                        kind, money.text or str(money.value), usd, url, settings.extract.max_amount_usd)
            converted[kind] = None
    return replace(mention, **converted)


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
    extra = [a for a in mention.assets if a.upper().replace(" ", "") not in assets]
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


def _reconcile_amounts(session: Session, deal: Deal) -> list[str]:
    rows = session.execute(
        select(MentionAmount, Article.kind, DealMention.id)
        .join(DealMention, DealMention.id == MentionAmount.mention_id)
        .join(Article, Article.id == DealMention.article_id)
        .where(DealMention.deal_id == deal.id, DealMention.event.is_(None))).all()
    stored = {a.kind: a for a in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id))}
    changed = []
    for kind in AMOUNT_KINDS:
        values = [Reported(Decimal(m.value_text), m.currency, Decimal(str(m.usd_value)) if m.usd_value is not None
                           else None, source_kind, mention_id) for m, source_kind, mention_id in rows if m.kind == kind]
        result = reconcile(values, deal.id, kind)
        if result is None:
            continue
        row = stored.get(kind) or DealAmount(deal_id=deal.id, kind=kind)
        new_value = str(result.chosen.value)
        if row.value_text != new_value or row.currency != result.chosen.currency:
            changed.append(kind)
        mention_amount = next(m for m, _, mid in rows if mid == result.chosen.mention_id and m.kind == kind)
        row.value_text, row.value, row.currency = new_value, float(result.chosen.value), result.chosen.currency
        row.usd_value = mention_amount.usd_value
        row.support, row.conflict = result.support, result.conflict
        session.add(row)
    session.flush()
    fresh = {a.kind: a for a in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id))}
    currencies = [fresh[k].currency for k in ("total", "upfront", "milestones", "equity") if k in fresh]
    deal.currency = currencies[0] if currencies else None
    return changed


def _reconcile_date(session: Session, deal: Deal) -> list[str]:
    """The announcement date most reports agree on, weighting official > press release > news;
    ties go to the earliest (a deal dates from its first report; one misdated roundup cannot move it)."""
    rows = session.execute(
        select(DealMention.payload, Article.kind, Article.published_on)
        .join(Article, Article.id == DealMention.article_id)
        .where(DealMention.deal_id == deal.id, DealMention.event.is_(None))).all()
    votes: dict[date, int] = {}
    for payload, kind, published in rows:
        stated = json.loads(payload).get("announced")
        day = date.fromisoformat(stated) if stated else published
        if day is not None:
            votes[day] = votes.get(day, 0) + SOURCE_WEIGHT.get(kind, 1)
    if not votes:
        return []
    best = max(votes, key=lambda d: (votes[d], -d.toordinal()))
    if best == deal.announced_on:
        return []
    deal.announced_on = best
    return ["announced_on"]


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
        from pipeline.normalize.identity_fixes import merge_companies

        source, target, _ = merge_companies(session, str(other), str(company_id), settings, origin="auto")
        log.info("company %r is %r (named together in one report); merged", source.name, target.name)
    return company_id


def refresh_deal(session: Session, deal: Deal, settings: Settings) -> list[str]:
    """Reconcile a deal again from all its reports (after reports moved in from a folded duplicate): amounts,
    date, their conversion at the deal's month, then the reviewer's overrides."""
    changed = _reconcile_amounts(session, deal) + _reconcile_date(session, deal)
    for row in session.scalars(select(DealAmount).where(DealAmount.deal_id == deal.id)):
        money = to_usd(Money(Decimal(row.value_text), row.currency), deal.announced_on, settings.fx)
        row.usd_value, row.fx_rate, row.fx_date, row.fx_source = (_f(money.usd), _f(money.rate), money.rate_date,
                                                                  money.rate_source)
    apply_overrides(session, deal, settings)
    return changed


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
            from pipeline.normalize.identity_fixes import merge_companies

            source, target, _ = merge_companies(session, str(mine), str(theirs), settings, origin="auto")
            licensor, licensee = (theirs if c == mine else c for c in (licensor, licensee))
            match = Match(deal_found.id, f"same deal and asset; {source.name!r} is another name of {target.name!r}")
    created = match.deal_id is None
    deal = _new_deal(session, mention, licensor, licensee, announced) if created else session.get(Deal, match.deal_id)
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
    changed += _reconcile_amounts(session, deal)
    changed += _reconcile_date(session, deal)
    _store_fx_details(session, deal.id, mention)
    record_change(session, deal.id, run_id, what="created" if created else "joined", article=article.url,
                  reason=match.reason, fields=changed)
    apply_overrides(session, deal, settings)  # reviewer overrides win over any extraction
    return deal.id, created
