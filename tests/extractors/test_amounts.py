"""Amount roles from cue words, in English and Chinese, and figures that are no deal terms."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pharmadeals.extractors.amounts import deal_terms, extract_amounts


def roles(sentence: str) -> list[tuple[Decimal, str, str]]:
    return [(a.money.value, a.money.currency, a.role) for a in extract_amounts(sentence)]


B, M = 10**9, 10**6


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Hengrui will receive an upfront payment of $500 million and up to $11.5 billion in milestone payments, "
     "for a total potential value of about $12 billion.",
     [(500 * M, "USD", "upfront"), (Decimal("11.5") * B, "USD", "milestones"), (12 * B, "USD", "total")]),
    ("Pfizer will pay $1.25 billion upfront and up to $4.8 billion in development, regulatory and commercial "
     "milestones, and will make a $100 million equity investment in 3SBio.",
     [(Decimal("1.25") * B, "USD", "upfront"), (Decimal("4.8") * B, "USD", "milestones"),
      (100 * M, "USD", "equity")]),
    ("The deal has a total potential deal value of up to $6.05 billion.", [(Decimal("6.05") * B, "USD", "total")]),
    ("Innovent gets $1.2 billion upfront, including a $100 million equity investment.",
     [(Decimal("1.2") * B, "USD", "upfront"), (100 * M, "USD", "equity")]),
    ("GSK will pay $500 million upfront (about RMB 3.6 billion).",
     [(500 * M, "USD", "upfront"), (Decimal("3.6") * B, "CNY", "none")]),
    ("根据协议，恒瑞医药将获得5亿美元首付款，以及最高约115亿美元的里程碑付款，交易总金额约120亿美元。",
     [(500 * M, "USD", "upfront"), (115 * 10**8, "USD", "milestones"), (120 * 10**8, "USD", "total")]),
    ("首付款5亿美元，里程碑付款最高115亿美元，总金额约120亿美元。",
     [(500 * M, "USD", "upfront"), (115 * 10**8, "USD", "milestones"), (120 * 10**8, "USD", "total")]),
    ("辉瑞将支付12.5亿美元（约合人民币90亿元）首付款。",
     [(125 * 10**7, "USD", "upfront"), (90 * 10**8, "CNY", "none")]),
    ("輝瑞將認購1億美元股份。", [(10**8, "USD", "equity")]),
    ("Vor Bio将向公司支付合计1.25亿美元首付款。", [(125 * 10**6, "USD", "upfront")]),
    ("GSK will make an upfront payment totaling $500 million.", [(500 * M, "USD", "upfront")]),
    ("首付款总额为5亿美元，里程碑付款总额最高115亿美元。",
     [(500 * M, "USD", "upfront"), (115 * 10**8, "USD", "milestones")]),
    ("It adds $1.25 billion upfront and $4.8 billion in milestones, bringing the total to $6.05 billion.",
     [(Decimal("1.25") * B, "USD", "upfront"), (Decimal("4.8") * B, "USD", "milestones"),
      (Decimal("6.05") * B, "USD", "total")]),
    ("Novo paid $200 million upfront in a deal worth about $2 billion.",
     [(200 * M, "USD", "upfront"), (2 * B, "USD", "total")]),
    ("The upfront sum includes 100 million U.S. dollars that Takeda will invest in Innovent's shares.",
     [(100 * M, "USD", "equity")]),
    ("Akeso is eligible for milestone payments of up to $4.5 billion, for a total deal value of up to $5 billion.",
     [(Decimal("4.5") * B, "USD", "milestones"), (5 * B, "USD", "total")]),
    ("2、里程碑付款：公司有资格获得相关里程碑付款，合计最高可达17.7亿美元；", [(177 * 10**7, "USD", "milestones")]),
    ("包括選擇權費在內的總金額最高可達10.5億美元。", [(105 * 10**7, "USD", "total")]),
    ("輝瑞將支付選擇權行權費1.5億美元。", [(150 * M, "USD", "upfront")]),
    ("Takeda will pay up to $1.2 billion, including $100 million upfront.",
     [(Decimal("1.2") * B, "USD", "total"), (100 * M, "USD", "upfront")]),
    ("GSK signed a $12 billion pact with Hengrui.", [(12 * B, "USD", "total")]),
    ("Hengrui gets $500 million upfront, with up to $11.5 billion in option exercise fees and milestones.",
     [(500 * M, "USD", "upfront"), (Decimal("11.5") * B, "USD", "milestones")]),
    ("The upfront is $80 million; milestones could add another $1.93 billion.",
     [(80 * M, "USD", "upfront"), (Decimal("1.93") * B, "USD", "milestones")]),
    ("Sanofi pays $125 million upfront, with $1.6 billion in biobucks on the line.",
     [(125 * M, "USD", "upfront"), (Decimal("1.6") * B, "USD", "milestones")]),
    ("荣昌生物与Vor Bio达成42.3亿美元的授权交易。", [(423 * 10**7, "USD", "total")]),
    ("该交易金额最高12亿美元，其中首付款1亿美元。", [(12 * 10**8, "USD", "total"), (10**8, "USD", "upfront")]),
    ("It pays $45 million in cash and warrants to purchase shares of its common stock with a value of "
     "$80 million.", [(45 * M, "USD", "none"), (80 * M, "USD", "none")]),
])
def test_deal_roles(sentence: str, expected: list[tuple[int, str, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), c, r) for v, c, r in expected]


@pytest.mark.parametrize("sentence", [
    "The company reported revenue of RMB 10 billion, up 30%.",
    "China's licensing market could reach a market size of $100 billion by 2030.",
    "The biotech raised $200 million in a Series B financing.",
    "Its shares closed at HK$38.75.",
    "公司上半年营业收入达到100亿元，同比增长30%。",
    "该公司完成2亿美元C轮融资。",
    "公司研发投入达到50亿元。",
    "市值一度突破1000亿港元。",
])
def test_not_deal_terms(sentence: str) -> None:
    assert {role for _, _, role in roles(sentence)} == {"none"}


def test_deal_terms_sum_tranches_and_derive_total() -> None:
    sentence = ("AstraZeneca pays $110 million upfront, up to $1.62 billion in development milestones and up to "
                "$3.6 billion in sales milestones.")
    terms = deal_terms([(sentence, extract_amounts(sentence))])
    assert {role: money.value for role, money in terms.items()} == {
        "upfront": Decimal(110 * M), "milestones": Decimal(522 * 10**7), "total": Decimal(533 * 10**7)}


def test_deal_terms_prefer_strong_total_and_drop_impossible_total() -> None:
    first = "Hengrui gets $65 million upfront and equity valued at $32.5 million."
    second = "Milestones could reach $948 million."
    terms = deal_terms([(s, extract_amounts(s)) for s in (first, second)])
    assert terms["total"].value == Decimal(1_013 * M)  # the $32.5 million 'valued at' figure is no total
    zh = "交易总金额最高可达42.3亿美元，其中首付款1.25亿美元。"
    assert deal_terms([(zh, extract_amounts(zh))])["total"].value == Decimal(423 * 10**7)


# Upfront money bundled with near-term payments, and Taiwan's '簽約金' (signing fee), are the upfront term.
@pytest.mark.parametrize(("sentence", "expected"), [
    ("启辰生物将获得首付款及近期里程碑合计3500万美元。", [(35 * M, "USD", "upfront")]),
    ("晶豐生技將取得簽約金1,500萬美元。", [(15 * M, "USD", "upfront")]),
    ("Lumen will receive $40 million in upfront and near-term payments.", [(40 * M, "USD", "upfront")]),
    ("It will pay a license fee of $12 million.", [(12 * M, "USD", "upfront")]),
    ("Under the terms, the partner will pay $100 million as an option payment.", [(100 * M, "USD", "upfront")]),
    ("对方将向公司支付选择权付款2000万美元。", [(20 * M, "USD", "upfront")]),
    ("The company made $30 million in lease payments last year.", [(30 * M, "USD", "none")]),
    ("公司去年支付租金付款3000万美元。", [(30 * M, "USD", "none")]),
    ("公司今年营收达到3500万美元。", [(35 * M, "USD", "none")]),
    ("The group reported $12 million in net sales of the product.", [(12 * M, "USD", "none")]),
])
def test_upfront_cue_variants(sentence: str, expected: list[tuple[int, str, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), c, r) for v, c, r in expected]


# Wider amount wording: milestones spread "across" programmes, a bracketed all-in aside, exercise fees bundled
# with milestones, "total up to", money spent subscribing for shares, and market-wide figures still none.
@pytest.mark.parametrize(("sentence", "expected"), [
    ("Trevara is eligible for up to $620 million across research, development and commercial milestones.",
     [(620 * M, "USD", "milestones")]),
    ("Leads gets up to $579.5 million in development and sales milestones (that's up to $614.5 million all-in).",
     [(Decimal("579.5") * M, "USD", "milestones"), (Decimal("614.5") * M, "USD", "total")]),
    ("倘武田行使選擇權，本集團有權收取最高約12億美元的行權費及潛在里程碑付款。", [(12 * 10**8, "USD", "milestones")]),
    ("The aggregate potential payments, including the option fee and exercise fee, total up to $655.0 million.",
     [(655 * M, "USD", "total")]),
    ("武田同意以總代價約7,500萬美元認購本公司新股份。", [(75 * M, "USD", "equity")]),
    ("中国生物制药将以约9.51亿美元的总代价收购礼新医药100%股权。", [(951 * M, "USD", "total")]),
    ("Deals across all Chinese licensors reached $60 billion.", [(60 * B, "USD", "none")]),
    ("Earendil stands to earn up to $1.6 billion in development and commercial milestones, bringing the headline "
     "value to roughly $1.8 billion.", [(Decimal("1.6") * B, "USD", "milestones"), (Decimal("1.8") * B, "USD", "total")]),
    ("Counting development and commercial milestones, the deal could reach as much as $11.4 billion.",
     [(Decimal("11.4") * B, "USD", "total")]),
    ("日本森川製藥將以現金收購港川生物全部已發行股份，交易作價約39億港元。", [(39 * 10**8, "HKD", "total")]),
    ("Fujimori will pay 52 billion yen at closing, and up to an additional 18 billion yen in contingent "
     "consideration.", [(52 * B, "JPY", "upfront"), (18 * B, "JPY", "milestones")]),
])
def test_amount_roles_wider_wording(sentence: str, expected: list[tuple[int, str, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), c, r) for v, c, r in expected]


def test_stated_milestone_sum_beats_the_rows_before_it() -> None:
    rows = ["Development milestones | up to $125 million", "Sales milestones | up to $660 million",
            "Total milestones | up to $970 million"]
    terms = deal_terms([(row, extract_amounts(row)) for row in rows])
    assert terms["milestones"].value == 970 * M


# An amended term: the figure it changed from is history, the figure it changed to carries the role. A
# threshold ("larger than $100 million") is no term.
@pytest.mark.parametrize(("sentence", "expected"), [
    ("里程碑付款總額上限由9,600萬美元上調至1.2億美元。", [(96 * M, "USD", "none"), (120 * M, "USD", "milestones")]),
    ("The milestone payments increased from $96 million to $120 million.",
     [(96 * M, "USD", "none"), (120 * M, "USD", "milestones")]),
    ("Few deals carried an upfront payment larger than $100 million.", [(100 * M, "USD", "none")]),
    ("GSK pays $500 million upfront and up to $11.5 billion in milestones.",
     [(500 * M, "USD", "upfront"), (Decimal("11.5") * B, "USD", "milestones")]),
])
def test_changed_terms_and_thresholds(sentence: str, expected: list[tuple[int, str, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), c, r) for v, c, r in expected]


@pytest.mark.parametrize(("sentences", "total"), [
    (["Boehringer is paying an undisclosed upfront fee.", "Trevara is eligible for up to $620 million in milestones."],
     620 * M),
    (["首付款金额未披露。", "康泽生物有权获得最高3亿美元的里程碑付款。"], 300 * M),
    (["Trevara is eligible for up to $620 million in milestones."], None),
])
def test_total_when_only_milestones_are_disclosed(sentences: list[str], total: int | None) -> None:
    terms = deal_terms([(s, extract_amounts(s)) for s in sentences])
    assert (terms["total"].value if "total" in terms else None) == total


def test_worth_up_to_in_the_body_beats_a_rounded_headline_figure() -> None:
    sentences = ["Ipsen inks $1bn deal for Chinese biotech's ADC",
                 "Ipsen has struck a deal worth up to $1.06 billion with Baili-Bio for rights outside China.",
                 "The French drugmaker will pay $45 million upfront."]
    terms = deal_terms([(s, extract_amounts(s)) for s in sentences])
    assert (terms["total"].value, terms["upfront"].value) == (Decimal("1.06") * B, 45 * M)


# A ceiling followed by "including" its parts is the whole deal, even when the parts name a role but no figure.
@pytest.mark.parametrize(("sentence", "expected"), [
    ("The seller could receive as much as $1.05 billion, including an upfront payment and option fee that were not "
     "disclosed.", [(1050 * M, "USD", "total")]),
    ("公司最高可获得12亿美元，其中包括未披露的首付款。", [(12 * 10**8, "USD", "total")]),
    ("The seller could receive up to $900 million, including $50 million upfront.",
     [(900 * M, "USD", "total"), (50 * M, "USD", "upfront")]),
    ("The buyer will pay $50 million upfront, including near-term payments.", [(50 * M, "USD", "upfront")]),
    ("公司将收取首付款5000万美元，其中包括近期付款。", [(50 * M, "USD", "upfront")]),
])
def test_ceiling_with_its_parts_is_the_total(sentence: str, expected: list[tuple[int, str, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), c, r) for v, c, r in expected]


# "交易總值" (deal value, Taiwan/HK wording) names the total even after a list of milestone kinds.
@pytest.mark.parametrize(("sentence", "expected"), [
    ("若加計後續的選擇權費用、開發與銷售里程碑，交易總值最高可達52億美元。", [(52 * 10**8, "USD", "total")]),
    ("若加计后续的开发与销售里程碑，交易总值最高可达52亿美元。", [(52 * 10**8, "USD", "total")]),
    ("Adding option fees and development and sales milestones, the total deal value could reach $5.2 billion.",
     [(5200 * M, "USD", "total")]),
    ("公司资产总值达5亿美元。", [(5 * 10**8, "USD", "none")]),
    ("The company's total assets reached $500 million.", [(500 * M, "USD", "none")]),
])
def test_deal_total_value_wording(sentence: str, expected: list[tuple[int, str, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), c, r) for v, c, r in expected]
