"""Recompute the deals a change touches from ALL of their mentions: membership, then every derived field.

After a mention is written, re-extracted or moved by a company merge, the stored mentions of the company
pairs involved are clustered again (membership.py) and each resulting deal is rebuilt from its members:
parties and roles, deal type, direction, territory, royalties, confidence, assets in a canonical order,
events, then the reconciled amounts and date and the reviewer's overrides on top (deal_state.refresh_deal).
Nothing is patched incrementally, so the stored deals are the same whatever order, batches or killed runs
the articles came through. Clusters keep the id of the deal already holding most of their mentions (the
oldest on ties); a deal left without mentions is folded into the one that took them (overrides and history
move with them).
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pharmadeals.models.records import asset_key
from pharmadeals.models.repository import record_change, utcnow
from pharmadeals.models.tables import (
    Article,
    Deal,
    DealChange,
    DealEvent,
    DealMention,
    DealParty,
    MentionAmount,
    Override,
)
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.deal_state import refresh_deal
from pharmadeals.pipeline.normalize.membership import Cluster, Member, attach_single, authority_order, cluster_pair


def _members(session: Session, condition: ColumnElement[bool]) -> list[Member]:
    rows = session.execute(select(DealMention, Article.url, Article.published_on, Article.kind)
                           .join(Article, Article.id == DealMention.article_id).where(condition)).all()
    ids = [row[0].id for row in rows]
    amounts: dict[int, list[tuple[str, Decimal, str, Decimal | None]]] = {}
    if ids:
        for a in session.scalars(select(MentionAmount).where(MentionAmount.mention_id.in_(ids))
                                 .order_by(MentionAmount.kind)):
            usd = Decimal(str(a.usd_value)) if a.usd_value is not None else None
            amounts.setdefault(a.mention_id, []).append((a.kind, Decimal(a.value_text), a.currency, usd))
    out = []
    for row, url, published, kind in rows:
        payload = json.loads(row.payload)
        stated = payload.get("announced")
        out.append(Member(
            mention_id=row.id, article_id=row.article_id, url=url, ordinal=row.ordinal, licensor=row.licensor_id, licensee=row.licensee_id,
            stated=_date(stated), published=published, source_kind=kind, confidence=row.confidence,
            event=row.event, assets=tuple(payload.get("assets") or ()), amounts=tuple(amounts.get(row.id, ())),
            deal_type=payload.get("deal_type") or "license", territory=payload.get("territory"),
            direction=payload.get("direction") or "other", royalties=bool(payload.get("royalties")),
            licensor_mention=row.licensor_mention, licensee_mention=row.licensee_mention,
            recalled=bool(payload.get("recalled"))))
    return out


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _of_pair(pair: frozenset[int]) -> ColumnElement[bool]:
    a, b = sorted(pair)
    return or_(and_(DealMention.licensor_id == a, DealMention.licensee_id == b),
               and_(DealMention.licensor_id == b, DealMention.licensee_id == a))


def _single(company: int) -> ColumnElement[bool]:
    return or_(and_(DealMention.licensor_id == company, DealMention.licensee_id.is_(None)),
               and_(DealMention.licensee_id == company, DealMention.licensor_id.is_(None)))


def pairs_of(session: Session, company: int) -> set[frozenset[int]]:
    rows = session.execute(select(DealMention.licensor_id, DealMention.licensee_id).distinct()
                           .where(or_(DealMention.licensor_id == company, DealMention.licensee_id == company))).all()
    return {frozenset((a, b)) for a, b in rows if a is not None and b is not None and a != b}


def _clusters(session: Session, settings: Settings, scope: set[frozenset[int]]) -> list[Cluster]:
    """Cluster every pair in scope; a company of the scope with one-party mentions brings all of its pairs in,
    since those mentions may join any deal of the company."""
    window = settings.dedup.window_days
    companies = {c for pair in scope for c in pair}
    singles = {c: _members(session, _single(c)) for c in sorted(companies)}
    pairs = {p for p in scope if len(p) == 2}
    for company, found in singles.items():
        if found:
            pairs |= pairs_of(session, company)
    clusters = [c for pair in sorted(pairs, key=sorted) for c in cluster_pair(_members(session, _of_pair(pair)), window)]
    for company, found in singles.items():
        if found:
            clusters += attach_single(found, clusters, company, window)
    return clusters


def regroup(session: Session, settings: Settings, scope: set[frozenset[int]], run_id: int | None = None,
            fresh: set[int] | None = None) -> list[tuple[int, int]]:
    """Re-cluster the mentions of `scope` (company pairs, or one company for its one-party mentions) and rebuild
    their deals; returns (folded deal, deal it went into) for deals left without mentions. `fresh` deals were
    made for this write only and vanish silently when their mention joins another deal."""
    clusters = _clusters(session, settings, scope)
    members = [m for c in clusters for m in c.members]
    holder = dict(session.execute(select(DealMention.id, DealMention.deal_id)
                                  .where(DealMention.id.in_([m.mention_id for m in members]))).all()) if members else {}
    taken: dict[int, Cluster] = {}
    for cluster in sorted(clusters, key=lambda c: min(m.key for m in c.members)):
        counts = Counter(holder[m.mention_id] for m in cluster.members)
        free = [d for d in counts if d not in taken]
        deal_id = min(free, key=lambda d: (-counts[d], d)) if free else _new_deal(session)
        taken[deal_id] = cluster
    into = {m.mention_id: d for d, c in taken.items() for m in c.members}
    for deal_id, cluster in taken.items():
        for member in cluster.members:  # a report that stays keeps the reason it joined for
            if holder[member.mention_id] != deal_id:
                session.execute(update(DealMention).where(DealMention.id == member.mention_id)
                                .values(deal_id=deal_id, join_reason=cluster.reasons[member.mention_id]))
    session.flush()
    folds = _fold_emptied(session, settings, holder, into, run_id, fresh or set())
    if taken:  # events are rebuilt from the members below
        session.execute(delete(DealEvent).where(DealEvent.deal_id.in_(list(taken)), DealEvent.article_id.is_not(None)))
    for deal_id, cluster in sorted(taken.items()):
        deal = session.get(Deal, deal_id)
        assert deal is not None  # a deal of the scope or one made above
        rebuild(session, settings, deal, cluster)
    return folds


def _new_deal(session: Session) -> int:
    now = utcnow()
    deal = Deal(status="active", created_at=now, updated_at=now)
    session.add(deal)
    session.flush()
    return deal.id


def _fold_emptied(session: Session, settings: Settings, holder: dict[int, int], into: dict[int, int],
                  run_id: int | None, fresh: set[int]) -> list[tuple[int, int]]:
    """Deals that lost all their mentions go into the deal that took most of them, with overrides and history."""
    before: dict[int, Counter[int]] = {}
    for mention_id, deal_id in holder.items():
        before.setdefault(deal_id, Counter())[into[mention_id]] += 1
    folds = []
    for deal_id, went in sorted(before.items()):
        if deal_id in into.values() or session.get(Deal, deal_id) is None:
            continue
        if session.scalar(select(DealMention.id).where(DealMention.deal_id == deal_id).limit(1)) is not None:
            continue  # still holds mentions outside the scope
        target = min(went, key=lambda d: (-went[d], d))
        if deal_id not in fresh:
            for table in (Override, DealChange):
                session.execute(update(table).where(table.deal_id == deal_id).values(deal_id=target))
            record_change(session, target, run_id, what="deals folded", folded=deal_id,
                          reason="its reports belong to this deal")
            folds.append((deal_id, target))
        session.execute(delete(DealEvent).where(DealEvent.deal_id == deal_id))
        session.execute(delete(DealParty).where(DealParty.deal_id == deal_id))
        session.delete(session.get(Deal, deal_id))
    session.flush()
    return folds


def rebuild(session: Session, settings: Settings, deal: Deal, cluster: Cluster) -> list[str]:
    """Every field of the deal from its members alone, then amounts, date, conversion and overrides."""
    before = _fields(deal)
    ranked = sorted(cluster.members, key=authority_order)
    two = [m for m in ranked if m.licensor is not None and m.licensee is not None]
    lead = (two or ranked)[0]
    signings = [m for m in ranked if m.event is None] or ranked
    deal.licensor_id, deal.licensee_id = lead.licensor, lead.licensee
    deal.deal_type, deal.direction = lead.deal_type, lead.direction
    deal.territory = next((m.territory for m in signings if m.territory is not None), None)
    deal.royalties = any(m.royalties for m in ranked)
    deal.confidence = max(m.confidence for m in ranked)
    deal.assets = ", ".join(_assets(signings))
    deal.announced_on = min((m.announced for m in ranked if m.announced is not None), default=None)  # reconciled below
    _parties(session, deal, ranked)
    _events(session, deal, cluster)
    session.flush()
    changed = refresh_deal(session, deal, settings)
    if changed or _fields(deal) != before:  # a rebuild that changes nothing leaves the row as it was
        deal.updated_at = utcnow()
    return changed


REBUILT_FIELDS = ("licensor_id", "licensee_id", "deal_type", "direction", "territory", "royalties", "confidence",
                  "assets", "announced_on")


def _fields(deal: Deal) -> tuple[object, ...]:
    return tuple(getattr(deal, name) for name in REBUILT_FIELDS)


def _assets(members: list[Member]) -> list[str]:
    """The assets of the deal, once each, spelt and ordered as the most authoritative report gives them."""
    seen: dict[str, str] = {}
    for member in members:
        for asset in member.assets:
            seen.setdefault(asset_key(asset), asset)
    return list(seen.values())


def _parties(session: Session, deal: Deal, ranked: list[Member]) -> None:
    """The deal's party rows; rows already as wanted are kept untouched (a rebuild rewrites nothing it need not)."""
    wanted = []
    for role, company in (("licensor", deal.licensor_id), ("licensee", deal.licensee_id)):
        if company is None:
            continue
        names = [m.licensor_mention if m.licensor == company else m.licensee_mention for m in ranked
                 if company in (m.licensor, m.licensee)]
        wanted.append((company, role, names[0] if names else ""))
    stored = session.scalars(select(DealParty).where(DealParty.deal_id == deal.id).order_by(DealParty.id)).all()
    if sorted((p.company_id, p.role, p.mention) for p in stored) == sorted(wanted):
        return
    session.execute(delete(DealParty).where(DealParty.deal_id == deal.id))
    for company, role, mention in wanted:
        session.add(DealParty(deal_id=deal.id, company_id=company, role=role, mention=mention))


def _events(session: Session, deal: Deal, cluster: Cluster) -> None:
    """The deal's follow-up events are those its members report."""
    seen: set[tuple[str, int]] = set()
    for member in sorted(cluster.members, key=lambda m: m.key):
        if member.event is not None and (member.event, member.article_id) not in seen:
            seen.add((member.event, member.article_id))
            session.add(DealEvent(deal_id=deal.id, kind=member.event, happened_on=member.day,
                                  article_id=member.article_id))


def rebuild_alone(session: Session, settings: Settings, deal: Deal) -> list[str]:
    """Rebuild a deal no company pair reaches (its reports name no company) from its own mentions."""
    cluster = Cluster()
    for member in _members(session, DealMention.deal_id == deal.id):
        cluster.add(member, "new deal")
    return rebuild(session, settings, deal, cluster)
