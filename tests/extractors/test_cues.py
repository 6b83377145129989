"""Sentence cues: triggers, background mentions, aggregates, follow-up events, royalties, datelines."""
from __future__ import annotations

from datetime import date

import pytest

from pharmadeals.extractors import cues

PUBLISHED = date(2025, 7, 28)


@pytest.mark.parametrize(("sentence", "background"), [
    ("The deal follows Merck's $588 million pact with LaNova last year.", True),
    ("In 2022, Kelun licensed SKB264 to Merck.", True),
    ("此前，礼新医药曾以5.88亿美元首付款将LM-299授权给默沙东。", True),
    ("去年，恒瑞把三款资产授权给Kailera。", True),
    ("Hengrui granted GSK an exclusive license today.", False),
    ("2025年7月27日，恒瑞医药宣布与GSK签署协议。", False),
])
def test_background(sentence: str, background: bool) -> None:
    assert cues.is_background(sentence, PUBLISHED) is background


@pytest.mark.parametrize(("text", "event"), [
    ("GSK completes the Hengrui agreement after antitrust clearance", "closing"),
    ("葛兰素史克与恒瑞医药的协议完成交割", "closing"),
    ("Pfizer exercises its option for China rights to SSGJ-707", "option_exercise"),
    ("辉瑞行使SSGJ-707中国权益选择权", "option_exercise"),
    ("Summit and Akeso expand license to Latin America", "amendment"),
    ("康方生物与Summit扩大许可区域", "amendment"),
    ("Novartis terminates its tislelizumab agreement", "termination"),
    ("百济神州与诺华终止合作", "termination"),
    ("Hengrui grants GSK a licence", None),
    ("Ashcombe将在交割时支付2.6亿美元现金", None),  # paid at closing: a term of the deal, not its closing
    ("收購已於昨日完成交割", "closing"),
    ("If Takeda exercises the option, the licence covers all territories outside China", None),
    ("倘武田行使選擇權，本公司有權收取行權費", None),
    ("Takeda exercised its option on olverembatinib on Monday", "option_exercise"),
])
def test_events(text: str, event: str | None) -> None:
    assert cues.detect_event(text) == event


@pytest.mark.parametrize(("text", "day"), [
    ("SHANGHAI, July 27, 2025 /PRNewswire/ -- Hengrui", date(2025, 7, 27)),
    ("on 20 October 2024, the Company", date(2024, 10, 20)),
    ("2025年7月27日，恒瑞医药宣布", date(2025, 7, 27)),
    ("no date here", None),
    ("6月26日晚间，荣昌生物发布公告", date(2025, 6, 26)),
    ("COPENHAGEN, March 24 (Reuters) - Novo Nordisk", date(2025, 3, 24)),
    ("12月18日，翰森制药宣布", date(2024, 12, 18)),  # after publication: the year before
])
def test_dateline(text: str, day: date | None) -> None:
    assert cues.dateline(text, PUBLISHED) == day


@pytest.mark.parametrize(("text", "hit"), [("plus tiered royalties", True), ("并获得销售提成", True),
                                           ("特許權使用費", True), ("no more payments", False)])
def test_royalties(text: str, hit: bool) -> None:
    assert bool(cues.ROYALTY.search(text)) is hit


@pytest.mark.parametrize(("text", "hit"), [("deals worth a combined $60 billion in the first half", True),
                                           ("上半年中国药企对外授权交易总额", True), ("GSK will pay $500 million", False)])
def test_aggregate(text: str, hit: bool) -> None:
    assert bool(cues.AGGREGATE.search(text)) is hit


def test_headline_event_wins_over_lead() -> None:
    title = "恒瑞医药：与GSK许可协议已完成交割"
    lead = "后续能否收到里程碑付款取决于GSK是否行使各项目的选择权。"
    assert cues.detect_event(title, lead) == "closing"
    assert cues.detect_event("Hengrui gets option exercise fees", "") is None


def test_follow_up_names_the_original_date() -> None:
    text = "9月12日晚间公告，公司与GSK于今年7月27日签署的许可协议已完成交割。"
    assert cues.earliest_date(text, date(2025, 9, 13)) == date(2025, 7, 27)


# Reported speech ("said it had agreed") and comparative "earlier" ("earlier stages") are today's news.
@pytest.mark.parametrize(("sentence", "background"), [
    ("The Swiss group said on Thursday it had agreed to pay Argo $160 million upfront.", False),
    ("The company said that had signed the licence on Monday.", False),
    ("Rights cover BW-00112 plus two programmes at earlier stages.", False),
    ("Novartis had licensed the drug from Argo.", True),
    ("The pact follows an earlier deal with Hansoh.", True),
    ("公司表示已于本周签署协议。", False),
    ("此前，该公司曾与默沙东签署协议。", True),
])
def test_background_reported_speech(sentence: str, background: bool) -> None:
    assert cues.is_background(sentence, PUBLISHED) is background


# An amount that begins like a year is no year: "2000万美元" must not make a 2025 sentence background.
@pytest.mark.parametrize(("sentence", "background"), [
    ("根据协议，耀泰生物将获得2000万美元首付款。", False),
    ("Halvern will pay $2010 million in milestones.", False),
    ("The partner pays 2,020 shares.", False),
    ("2019年，该公司将产品授权给默沙东。", True),
    ("In 2021, Kelun licensed SKB264 to Merck.", True),
])
def test_amounts_are_not_years(sentence: str, background: bool) -> None:
    assert cues.is_background(sentence, PUBLISHED) is background


@pytest.mark.parametrize(("text", "hit"), [
    ("据36氪不完全统计，2025年以来，中国AI制药公司签订的平台合作总金额已超过60亿美元。", True),
    ("Chinese licensors have signed $40 billion of deals since the start of the year.", True),
    ("The aggregate potential payments under the Agreement total up to $655.0 million.", False),
    ("启辰生物将获得首付款3500万美元。", False),
])
def test_aggregate_wider_wording(text: str, hit: bool) -> None:
    assert bool(cues.AGGREGATE.search(text)) is hit


# "since launching with $370 million last year" / "自去年成立以来" is the company's history, not an older deal.
@pytest.mark.parametrize(("sentence", "background"), [
    ("The biotech has in-licensed an antibody from Hengrui, its third deal since launching with $370 million last "
     "year.", False),
    ("自去年成立以来，该公司已从恒瑞医药引进三款抗体。", False),
    ("The biotech in-licensed an antibody from Hengrui last year.", True),
    ("该公司去年从恒瑞医药引进一款抗体。", True),
])
def test_company_history_since_launch_is_not_background(sentence: str, background: bool) -> None:
    assert cues.is_background(sentence, PUBLISHED) is background


# A bare day before the news verb ("9日公告") is that day of the publication month; "昨日公布"/"said yesterday" the day
# before publication; a bare day with no news verb, or a percentage, is no date.
@pytest.mark.parametrize(("text", "published", "day"), [
    ("新藥開發商禾曜生技9日公告，與德國公司簽署授權協議", date(2025, 6, 10), date(2025, 6, 9)),
    ("上海舶望製藥28日宣布，與諾華簽署協議", date(2025, 7, 2), date(2025, 6, 28)),
    ("港晴生物昨日收市後公布授權協議", date(2025, 10, 14), date(2025, 10, 13)),
    ("Halvern Bio said yesterday it licensed the antibody.", date(2025, 10, 14), date(2025, 10, 13)),
    ("公司将于15日起停牌", date(2025, 6, 10), None),
    ("公司营收增长9%。", date(2025, 6, 10), None),
    ("Yesterday's trial data impressed investors.", date(2025, 6, 10), None),
])
def test_day_only_and_yesterday_datelines(text: str, published: date, day: date | None) -> None:
    assert cues.dateline(text, published) == day


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Sorvane said on Tuesday it will pay Nanjing Lanpai $65 million.", date(2025, 3, 13), date(2025, 3, 11)),
    ("The companies announced Wednesday that they signed.", date(2025, 3, 13), date(2025, 3, 12)),  # a Thursday
    ("Boehringer has ended the pact, the startup said Monday.", date(2026, 9, 8), date(2026, 9, 7)),
    ("公司周二晚间公告，与对方签署许可协议。", date(2025, 11, 13), date(2025, 11, 11)),
    ("Shares fell 5% in Tuesday trading.", date(2025, 3, 13), None),
])
def test_a_weekday_dates_the_news_in_its_publication_week(text: str, published: date, expected: date | None) -> None:
    assert cues.dateline(text, published) == expected
