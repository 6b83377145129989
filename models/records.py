"""Plain typed records passed between stages (discover -> fetch -> article -> deal mention).

Stages never exchange ORM objects: scrapers and extractors only see these frozen dataclasses,
so each stage can be tested, replayed or run in another process (Dask) on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, get_args

Language = Literal["en", "zh"]
SourceKind = Literal["official", "press_release", "news"]
DealType = Literal["license", "option", "co_development", "newco", "research_collaboration", "acquisition"]
Territory = Literal["global", "ex-China", "regional", "China"]
Direction = Literal["out", "in", "other"]
AmountRole = Literal["upfront", "milestones", "total", "equity"]
EventKind = Literal["closing", "option_exercise", "amendment", "termination"]

AMOUNT_ROLES: tuple[AmountRole, ...] = get_args(AmountRole)
# Which amount's currency names the deal's currency: the headline total first.
CURRENCY_PRECEDENCE: tuple[AmountRole, ...] = ("total", "upfront", "milestones", "equity")
# Mainland China, Hong Kong, Macau and Taiwan: 'Chinese' companies for direction, scope and identity.
GREATER_CHINA = frozenset({"CN", "HK", "MO", "TW"})


def asset_key(asset: str) -> str:
    """An asset name folded for comparison: 'HRS 9531' and 'hrs9531' are one asset."""
    return asset.strip().upper().replace(" ", "")


@dataclass(frozen=True)
class DiscoveredItem:
    """An item a source listed (feed entry, sitemap url, announcement row) before it is fetched."""

    url: str
    source: str
    title: str | None = None
    published: datetime | None = None
    summary: str | None = None
    language: Language | None = None
    kind: SourceKind = "news"
    # Body already delivered by the listing (e.g. a feed's content:encoded or a local file).
    inline_body: bytes | None = None
    inline_content_type: str | None = None


@dataclass(frozen=True)
class Page:
    """A fetched response body with what is needed to decode and archive it."""

    url: str
    source: str
    body: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    item: DiscoveredItem | None = None


@dataclass(frozen=True)
class Article:
    """Clean article text ready for extraction."""

    url: str
    source: str
    title: str
    text: str
    language: Language
    published: date | None = None
    content_hash: str = ""
    kind: SourceKind = "news"


@dataclass(frozen=True)
class Money:
    """An exact amount in the currency the text used; `usd` is filled by normalisation."""

    value: Decimal
    currency: str
    usd: Decimal | None = None
    rate: Decimal | None = None
    rate_date: date | None = None
    rate_source: str | None = None
    text: str = ""  # the span as written, e.g. "首付款5亿美元"


@dataclass(frozen=True)
class PartyMention:
    """A company as the text names it, plus its canonical identity when known."""

    name: str
    mention: str
    country: str | None = None
    registry_id: str | None = None
    other_names: tuple[str, ...] = ()  # the article's names for it in the other script ('普米斯生物' for Biotheus)


@dataclass(frozen=True)
class DealMention:
    """One deal as one article reports it."""

    licensor: PartyMention | None
    licensee: PartyMention | None
    deal_type: DealType = "license"
    territory: Territory | None = None
    direction: Direction = "other"
    royalties: bool = False
    upfront: Money | None = None
    milestones: Money | None = None
    total: Money | None = None
    equity: Money | None = None
    assets: tuple[str, ...] = ()
    announced: date | None = None
    confidence: float = 0.5
    evidence: tuple[str, ...] = ()
    event: EventKind | None = None
    # an older deal the article recalls in passing: its date is never the article's publication date
    recalled: bool = False

    def amounts(self) -> dict[str, Money]:
        """The stated amounts by role, skipping the ones the text did not give."""
        pairs = {"upfront": self.upfront, "milestones": self.milestones, "total": self.total,
                 "equity": self.equity}
        return {role: money for role, money in pairs.items() if money is not None}


@dataclass(frozen=True)
class ExtractionResult:
    """What the extractor found in one article."""

    article: Article
    deals: tuple[DealMention, ...] = field(default_factory=tuple)
