"""Deal membership as a pure function of the reports: which stored mentions of one company pair are one deal.

Writing a report used to attach it to the first matching deal and patch that deal, so the deals depended on
which articles came first (and on which were stored together before a killed run). Here the mentions of a
pair are clustered again from scratch in a canonical order that no storage order can change: signings by
date, then most authoritative source, then article URL and ordinal; follow-up events after every signing.
Each mention is matched against the clusters built so far with the deal identity rule of dedup.py (shared
asset, agreeing amount, no conflicting terms, nearest in time), where a cluster's date, assets and amounts
are derived from its members only. Mentions naming one company are attached afterwards to that company's
deals sharing an asset.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from pharmadeals.models.records import asset_key
from pharmadeals.pipeline.normalize.dedup import AGREE_TOLERANCE, CONFLICT_RATIO, EVENT_LOOKBACK_DAYS
from pharmadeals.pipeline.normalize.reconcile import SOURCE_WEIGHT, Reported, reconcile

FAR = 10**6  # the distance of an undated deal: matched last


@dataclass(frozen=True)
class Member:
    """One stored mention as the membership rule sees it (no ids but its own and its companies')."""

    mention_id: int
    article_id: int
    url: str
    ordinal: int
    licensor: int | None
    licensee: int | None
    stated: date | None  # the date the report gives the deal
    published: date | None  # the article's date
    source_kind: str
    confidence: float
    event: str | None = None
    assets: tuple[str, ...] = ()
    amounts: tuple[tuple[str, Decimal, str, Decimal | None], ...] = ()  # (kind, value, currency, usd)
    deal_type: str = "license"
    territory: str | None = None
    direction: str = "other"
    royalties: bool = False
    licensor_mention: str = ""
    licensee_mention: str = ""
    recalled: bool = False  # an older deal named in passing: the article's date is not the deal's

    @property
    def day(self) -> date | None:
        return self.stated or self.published

    @property
    def announced(self) -> date | None:
        """The deal's date by this report: its stated date, else the article's unless the deal is recalled."""
        return self.stated or (None if self.recalled else self.published)

    @property
    def key(self) -> tuple[str, int]:
        """The canonical identity of a mention: its article's URL and its place in the article."""
        return self.url, self.ordinal

    @property
    def weight(self) -> int:
        return SOURCE_WEIGHT.get(self.source_kind, 1)

    def pair(self) -> frozenset[int]:
        return frozenset(i for i in (self.licensor, self.licensee) if i is not None)


def canonical_order(member: Member) -> tuple[object, ...]:
    """Signings first, by date (undated last), the most authoritative source first, then URL and ordinal."""
    day = member.day
    return member.event is not None, day is None, day or date.min, -member.weight, member.url, member.ordinal


def authority_order(member: Member) -> tuple[object, ...]:
    """Which report speaks for a deal: signings before follow-ups, official before press release before news,
    the more confident, then URL and ordinal."""
    return member.event is not None, -member.weight, -member.confidence, member.url, member.ordinal


@dataclass
class Cluster:
    """The mentions of one deal; its date, assets and amounts come from them alone."""

    members: list[Member] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)  # mention id -> why it joined

    def add(self, member: Member, reason: str) -> None:
        self.members.append(member)
        self.reasons[member.mention_id] = reason

    def signings(self) -> list[Member]:
        return [m for m in self.members if m.event is None] or self.members

    def day(self) -> date | None:
        """The date most reports agree on (source weighted), the earliest on ties (as reconcile_date)."""
        votes: dict[date, int] = {}
        for m in self.signings():
            if m.day is not None:
                votes[m.day] = votes.get(m.day, 0) + m.weight
        return max(votes, key=lambda d: (votes[d], -d.toordinal())) if votes else None

    def asset_keys(self) -> set[str]:
        return {asset_key(a) for m in self.signings() for a in m.assets}

    def amounts(self) -> dict[str, tuple[Decimal, str]]:
        out = {}
        for kind in {k for m in self.signings() for k, *_ in m.amounts}:
            values = [Reported(v, cur, usd, m.source_kind, m.mention_id)
                      for m in sorted(self.signings(), key=lambda m: m.key) for k, v, cur, usd in m.amounts if k == kind]
            chosen = reconcile(values, 0, kind, quiet=True)
            if chosen is not None:
                out[kind] = (chosen.chosen.value, chosen.chosen.currency)
        return out

    def companies(self) -> set[int]:
        return {i for m in self.members for i in m.pair()}


def _distance(cluster: Cluster, day: date | None) -> int:
    mine = cluster.day()
    return abs((mine - day).days) if mine is not None and day is not None else FAR


def _within(cluster: Cluster, day: date | None, back: int, ahead: int) -> bool:
    mine = cluster.day()
    return mine is None or day is None or day - timedelta(days=back) <= mine <= day + timedelta(days=ahead)


def _verdict(cluster: Cluster, member: Member) -> str | None:
    """'agree:<kind>' when a stated amount matches the cluster's, 'conflict:<kind>' when one clearly differs."""
    stored = cluster.amounts()
    verdict = None
    for kind, value, currency, _ in member.amounts:
        have = stored.get(kind)
        if have is None or have[1] != currency or not value:
            continue
        diff = abs(have[0] - value) / max(abs(have[0]), abs(value))
        if diff <= AGREE_TOLERANCE:
            return f"agree:{kind}"
        if diff > CONFLICT_RATIO:
            verdict = f"conflict:{kind}"
    return verdict


def pick(member: Member, candidates: list[Cluster]) -> tuple[Cluster | None, str]:
    """The nearest candidate sharing an asset or an amount, else the nearest with no conflicting terms
    (dedup._pick applied to clusters; equal distances go to the cluster begun first in canonical order)."""
    mine = {asset_key(a) for a in member.assets}
    fallback: list[Cluster] = []
    for cluster in sorted(candidates, key=lambda c: _distance(c, member.day)):  # stable: canonical on ties
        theirs = cluster.asset_keys()
        if theirs & mine:
            return cluster, f"same companies and asset {sorted(theirs & mine)[0]}"
        verdict = _verdict(cluster, member)
        if verdict and verdict.startswith("agree"):
            return cluster, f"same companies and same {verdict.split(':')[1]} amount"
        if verdict is None and not (theirs and mine):
            fallback.append(cluster)
    if fallback:
        return fallback[0], "same companies, near in time, no conflicting terms"
    return None, "new deal: same companies but different assets or terms" if candidates else "new deal"


def _place_signing(member: Member, clusters: list[Cluster], window: int) -> None:
    if member.stated is None:  # an older deal recalled in passing: any deal of the pair signed before
        earlier = [c for c in clusters if _within(c, member.day, EVENT_LOOKBACK_DAYS, window)]
        found, reason = pick(member, earlier)
        if found is not None:
            found.add(member, reason)
            return
    found, reason = pick(member, [c for c in clusters if _within(c, member.day, window, window)])
    if found is None:
        clusters.append(cluster := Cluster())
        found = cluster
    found.add(member, reason)


def _place_event(member: Member, clusters: list[Cluster]) -> None:
    reported = max(0, (member.published - member.day).days) if member.published and member.day else 0
    earlier = [c for c in clusters if _within(c, member.day, EVENT_LOOKBACK_DAYS, 7 + reported)]
    if earlier:
        best = min(earlier, key=lambda c: _distance(c, member.day))
        best.add(member, f"follow-up event ({member.event}) of deal between the same companies")
    else:
        clusters.append(cluster := Cluster())
        cluster.add(member, "new deal")


def cluster_pair(members: Iterable[Member], window: int) -> list[Cluster]:
    """Split the mentions of one company pair into deals; the result depends only on the set of mentions."""
    clusters: list[Cluster] = []
    for member in sorted(members, key=canonical_order):
        if member.event is None:
            _place_signing(member, clusters, window)
        else:
            _place_event(member, clusters)
    return clusters


def attach_single(members: Iterable[Member], clusters: list[Cluster], company: int, window: int) -> list[Cluster]:
    """Place mentions naming only `company` (the other party unread): a deal of that company sharing an asset
    within the window, else a deal of their own; returns the clusters of their own."""
    own: list[Cluster] = []
    for member in sorted(members, key=canonical_order):
        mine = {asset_key(a) for a in member.assets}
        near = [c for c in clusters + own if company in c.companies() and c.asset_keys() & mine
                and _within(c, member.day, window, window)]
        found, reason = pick(member, near)
        if found is None:
            own.append(cluster := Cluster())
            found = cluster
        found.add(member, reason)
    return own
