"""Money parsing: English scales, Chinese units and numerals, full-width digits, and a render/parse round trip."""
from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmadeals.extractors.numbers import find_money, parse_amount, parse_number, to_halfwidth


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("$1.25 billion", "1250000000", "USD"),
    ("US$1.25bn", "1250000000", "USD"),
    ("USD 1.25 billion", "1250000000", "USD"),
    ("$80M", "80000000", "USD"),
    ("€200 million", "200000000", "EUR"),
    ("RMB 2 billion", "2000000000", "CNY"),
    ("1.5 billion U.S. dollars", "1500000000", "USD"),
    ("up to $4.8 billion", "4800000000", "USD"),
    ("HK$300 million", "300000000", "HKD"),
    ("12.5亿美元", "1250000000", "USD"),
    ("首付款5亿美元", "500000000", "USD"),
    ("最高可达120亿美元", "12000000000", "USD"),
    ("2亿元人民币", "200000000", "CNY"),
    ("人民币2亿元", "200000000", "CNY"),
    ("1800万美元", "18000000", "USD"),
    ("逾10亿美元", "1000000000", "USD"),
    ("１２．５亿美元", "1250000000", "USD"),
    ("十二亿五千万美元", "1250000000", "USD"),
    ("12.5億美元", "1250000000", "USD"),
    ("1,800萬港元", "18000000", "HKD"),
    ("五亿元", "500000000", "CNY"),
    ("人民币伍亿元", "500000000", "CNY"),
    ("美元1.2亿", "120000000", "USD"),
    ("人民幣5億", "500000000", "CNY"),
    ("1.25 billion dollars", "1250000000", "USD"),
    ("US$ 1,250 million", "1250000000", "USD"),
    ("CHF 200 million", "200000000", "CHF"),
])
def test_parse_amount(text: str, value: str, currency: str) -> None:
    money = parse_amount(text)
    assert money is not None
    assert (money.value, money.currency) == (Decimal(value), currency)


@pytest.mark.parametrize("text", [
    "revenue rose 30%", "19.9% stake", "founded in 2019", "Phase 2 trial", "一家公司", "三生制药", "HRS-9821",
    "增长了30%", "stock code 1276",
])
def test_no_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_full_width_keeps_length_and_chinese_punctuation() -> None:
    text = "首付款１２．５亿美元，总额（约）"
    assert len(to_halfwidth(text)) == len(text)
    assert to_halfwidth(text) == "首付款12.5亿美元，总额（约）"


@pytest.mark.parametrize(("text", "value"), [("1,250.5", "1250.5"), ("十二亿五千万", "1250000000"),
                                              ("一点五", "1.5"), ("abc", None)])
def test_parse_number(text: str, value: str | None) -> None:
    assert parse_number(text) == (Decimal(value) if value else None)


def test_find_money_reads_every_figure_in_order() -> None:
    found = find_money("首付款5亿美元，里程碑最高115亿美元，总额约120亿美元")
    assert [m.value for _, _, m in found] == [Decimal(500_000_000), Decimal(11_500_000_000),
                                              Decimal(12_000_000_000)]


def _english(value: Decimal) -> str:
    if value >= 10**9:
        return f"${value / 10**9:f} billion"
    return f"US${value / 10**6:f} million"


def _chinese(value: Decimal, numerals: bool) -> str:
    if numerals and value == value.to_integral_value():
        return f"{cn2an.an2cn(int(value))}美元"
    if value >= 10**8:
        return f"{value / 10**8:f}亿美元"
    return f"{value / 10**4:f}万美元"


amounts = st.integers(min_value=1, max_value=99_999).map(lambda n: Decimal(n) * 10**5)


@settings(max_examples=150, deadline=None)
@given(amounts, st.sampled_from(["en", "zh", "zh_numerals"]))
def test_round_trip(value: Decimal, style: str) -> None:
    text = _english(value) if style == "en" else _chinese(value, style == "zh_numerals")
    money = parse_amount(f"the deal: {text} upfront" if style == "en" else f"首付款{text}")
    assert money is not None, text
    assert money.value == value and money.currency == "USD", text


@pytest.mark.parametrize("text", ["£ 10000000000000000000000000000", "$99999999999999999999 billion",
                                  "１０００００００００００００００００亿元"])
def test_absurd_figures_are_ignored(text: str) -> None:
    assert parse_amount(text) is None
