"""Hand-made records for storage and normalisation tests (the real write path, no extractor)."""
from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from pharmadeals.models.records import Article, DealMention, Money, PartyMention


def usd(value: str, currency: str = "USD") -> Money:
    return Money(Decimal(value), currency)


def party(name: str, mention: str | None = None, country: str | None = None,
          registry_id: str | None = None) -> PartyMention:
    return PartyMention(name=name, mention=mention or name, country=country, registry_id=registry_id)


def article(url: str, text: str = "", language: str = "en", published: date | None = date(2025, 7, 28),
            kind: str = "news", source: str = "test") -> Article:
    body = text or f"article at {url}"
    return Article(url=url, source=source, title=url.rsplit("/", 1)[-1], text=body, language=language,  # type: ignore[arg-type]
                   published=published, content_hash=hashlib.sha256(body.encode()).hexdigest(), kind=kind)  # type: ignore[arg-type]


HENGRUI = party("Jiangsu Hengrui Pharmaceuticals", "Hengrui", "CN", "hengrui")
HENGRUI_ZH = party("Jiangsu Hengrui Pharmaceuticals", "恒瑞医药", "CN", "hengrui")
GSK = party("GSK", "GSK plc", "GB", "gsk")
GSK_ZH = party("GSK", "葛兰素史克", "GB", "gsk")


def mention(licensor: PartyMention = HENGRUI, licensee: PartyMention = GSK, *, assets: tuple[str, ...] = ("HRS-9821",),
            upfront: Money | None = None, total: Money | None = None, announced: date | None = date(2025, 7, 27),
            event: str | None = None, deal_type: str = "license") -> DealMention:
    return DealMention(licensor=licensor, licensee=licensee, assets=assets, upfront=upfront, total=total,
                       announced=announced, event=event, deal_type=deal_type, direction="out",  # type: ignore[arg-type]
                       territory="ex-China", confidence=0.8, evidence=("Evidence sentence.",))
