"""Records to JSON: the `extract` contract shared by the CLI, the scorer and stored mention payloads."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pharmadeals.models.records import DealMention, Money, PartyMention


def number(value: Decimal | None) -> int | float | None:
    """Decimal to the plainest JSON number (integers stay integers)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def money_to_json(money: Money | None) -> dict[str, Any] | None:
    if money is None:
        return None
    return {"value": number(money.value), "currency": money.currency, "usd": number(money.usd)}


def party_to_json(party: PartyMention | None) -> dict[str, Any] | None:
    if party is None:
        return None
    return {"name": party.name, "mention": party.mention, "country": party.country,
            "other_names": list(party.other_names)}


def deal_to_json(deal: DealMention) -> dict[str, Any]:
    """One deal in the documented `pharmadeals extract --format json` shape."""
    return {
        "licensor": party_to_json(deal.licensor),
        "licensee": party_to_json(deal.licensee),
        "assets": list(deal.assets),
        "deal_type": deal.deal_type,
        "territory": deal.territory,
        "direction": deal.direction,
        "royalties": deal.royalties,
        "upfront": money_to_json(deal.upfront),
        "milestones": money_to_json(deal.milestones),
        "total": money_to_json(deal.total),
        "equity": money_to_json(deal.equity),
        "announced": deal.announced.isoformat() if deal.announced else None,
        "confidence": round(float(deal.confidence), 3),
        "evidence": list(deal.evidence),
        "event": deal.event,
        "recalled": deal.recalled,
    }
