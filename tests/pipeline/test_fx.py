"""Currency conversion: dated ECB rates offline, overrides, and no silent 1:1."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pharmadeals.models.records import Money
from pharmadeals.pipeline.normalize.fx import FxSettings, lookup_rate, to_usd


@pytest.mark.parametrize("currency, low, high", [
    ("CNY", 6.8, 7.4), ("HKD", 7.7, 7.9), ("EUR", 0.85, 0.98), ("GBP", 0.72, 0.82), ("JPY", 135, 165),
    ("CHF", 0.78, 0.92), ("KRW", 1250, 1500),
])
def test_ecb_rates_for_mid_2025_are_plausible(currency: str, low: float, high: float) -> None:
    rate = lookup_rate(currency, date(2025, 7, 15), FxSettings())
    assert rate is not None and low <= float(rate.per_usd) <= high
    assert rate.on == date(2025, 7, 1) and "ECB" in rate.source


def test_conversion_records_rate_date_and_source() -> None:
    money = to_usd(Money(Decimal("2000000000"), "CNY"), date(2025, 7, 3), FxSettings())
    assert money.value == Decimal("2000000000") and money.currency == "CNY"
    assert 270e6 < float(money.usd) < 290e6
    assert money.rate_date == date(2025, 7, 1) and money.rate_source


def test_override_wins_and_month_specific_beats_plain() -> None:
    fx = FxSettings(overrides={"CNY": 8.0, "CNY:2025-07": 7.0})
    assert to_usd(Money(Decimal("70"), "CNY"), date(2025, 7, 9), fx).usd == Decimal("10.00")
    assert to_usd(Money(Decimal("80"), "CNY"), date(2024, 1, 9), fx).usd == Decimal("10.00")


def test_unknown_currency_gets_no_usd_value_and_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    money = to_usd(Money(Decimal("100"), "TWD"), date(2025, 7, 3), FxSettings())
    assert money.usd is None and money.rate is None
    assert "TWD" in caplog.text
