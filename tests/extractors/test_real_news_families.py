"""Phrasing families seen in real roundups, tables, filings and background paragraphs (tests/corpora/realnews),
each written here in new words: a row's bare figure, a table header's column roles, a filing's "(in thousands)",
a price after "for", money the licensor "will be paid", and a group never dealing with its own subsidiary."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pharmadeals.extractors.amounts import extract_amounts
from pharmadeals.extractors.cue_tables import load_phrases, load_role_cues
from pharmadeals.extractors.deals import extract_deals
from pharmadeals.extractors.rows import classify_lines
from pharmadeals.models.errors import InputError
from pharmadeals.models.records import Article


def _deals(text: str, lang: str = "en", published: date = date(2025, 3, 1)) -> list[tuple[str, str, dict[str, int]]]:
    article = Article(url="https://example.org/a", source="test", title=text.split("\n")[0], text=text,
                      language=lang, published=published)
    out = []
    for deal in extract_deals(article):
        amounts = {role: int(money.value) for role, money in deal.amounts().items()}
        out.append((deal.licensor.name, deal.licensee.name, amounts))
    return sorted(out)


def _roles(sentence: str, thousands: bool = False) -> list[tuple[str, int]]:
    return [(a.role, int(a.money.value)) for a in extract_amounts(sentence, thousands)]


def test_bullets_of_a_weekly_roundup_are_deals_each_with_its_own_figure() -> None:
    text = ("This week in China biotech deals\n\n"
            "  • Hengrui handed Merck the rights outside China to a heart drug under a pact pegged at $2 billion;\n"
            "  • Akeso granted Summit Therapeutics rights to a bispecific in an agreement worth as much as $5 billion;\n")
    found = _deals(text)
    assert [(a, b, amounts.get("total")) for a, b, amounts in found] == [
        ("Akeso", "Summit Therapeutics", 5_000_000_000), ("Jiangsu Hengrui Pharmaceuticals", "Merck & Co.", 2_000_000_000)]


def test_a_flattened_table_takes_its_columns_roles_from_the_header() -> None:
    text = ("Licensor | Licensee | Asset | Upfront | Total\n"
            "Hengrui | GSK | HRS-9821 | $500M | $12.5B\n")
    rows = classify_lines(text)
    (row,) = rows.values()
    assert row.column_roles == (None, None, None, "upfront", "total")
    ((licensor, licensee, amounts),) = _deals("China out-licensing, the big ones\n\n" + text)
    assert amounts == {"upfront": 500_000_000, "total": 12_500_000_000}


def test_a_list_of_one_deals_terms_is_not_a_list_of_deals() -> None:
    text = "1、公司将向嵯峨野制药支付首付款30亿日元（按协议签署日汇率约合人民币1.44亿元）；\n"
    assert _roles(text.strip()) == [("upfront", 3_000_000_000), ("none", 144_000_000)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Under the agreement the Group paid Tesaro an upfront payment of $15,000.", [("upfront", 15_000_000)]),
    ("The Company may receive up to $1.3 million in milestones.", [("milestones", 1_300_000)]),
])
def test_a_filing_that_counts_in_thousands_scales_bare_figures(sentence: str, expected: list[tuple[str, int]]) -> None:
    assert _roles(sentence, thousands=True) == expected
    assert ("million" in sentence) == (_roles(sentence) == expected)  # a magnitude word is never scaled again


@pytest.mark.parametrize(("sentence", "expected"), [
    ("In December the UK drugmaker bought Gracell for $1 billion.", [("total", 1_000_000_000)]),
    ("HUTCHMED will shortly be paid US$400 million and may receive up to US$730 million more in milestones.",
     [("upfront", 400_000_000), ("milestones", 730_000_000)]),
    ("Radiance | KY-0301 | $15M upfront + up to $1.2B | 2025", [("upfront", 15_000_000), ("milestones", 1_200_000_000)]),
    ("Kelun can earn development and sales milestone payments of up to $9.3 billion in total.",
     [("milestones", 9_300_000_000)]),
    ("Hengrui received an upfront payment of $110 million and an equity stake of about 20%.",
     [("upfront", 110_000_000)]),
    ("信达生物与武田就三款产品签下114亿美元的合作。", [("total", 11_400_000_000)]),
])
def test_money_role_families(sentence: str, expected: list[tuple[str, int]]) -> None:
    assert _roles(sentence) == expected


def test_a_group_never_deals_with_the_subsidiary_the_text_names_as_its_own() -> None:
    text = ("科伦博泰与默沙东签署独占许可协议\n\n"
            "12月22日，科伦药业发布公告称，控股子公司科伦博泰已与默沙东签订独占许可协议，首付款1.75亿美元。\n"
            "该协议须获得科伦药业及科伦博泰股东大会批准后方能生效，科伦药业可获得4700万美元首付款。")
    pairs = {(a, b) for a, b, _ in _deals(text, "zh", date(2022, 12, 23))}
    assert not any({"Kelun Pharmaceutical", "Sichuan Kelun-Biotech"} <= {a, b} for a, b in pairs), pairs


def test_cue_tables_are_checked_when_loaded(tmp_path: Path) -> None:
    assert set(load_role_cues()) == {"upfront", "milestones", "total", "equity", "none"}
    bad = tmp_path / "roles.yaml"
    bad.write_text("upfront: [first payment]\n", encoding="utf-8")
    with pytest.raises(InputError, match="roles must be exactly"):
        load_role_cues(bad)
    bad.write_text("- pegged at\n- 7\n", encoding="utf-8")
    with pytest.raises(InputError, match="list of non-empty phrases"):
        load_phrases(bad)


@pytest.mark.parametrize("text", [
    "China biotech outbound licensing tops estimates\n\nOutbound licensing by Chinese drugmakers reached about $60 "
    "billion this year, led by Hengrui-GSK, 3SBio-Pfizer and Innovent-Takeda.\n",
    "创新药出海再创新高\n\n中国创新药今年对外授权总额约600亿美元，恒瑞与GSK、三生与辉瑞领衔。\n",
])
def test_a_years_total_led_by_a_list_of_pairs_is_no_deal(text: str) -> None:
    """Issue 12: a roundup's $60B estimate of a year's outbound deals became a $60B deal for the first pair."""
    assert _deals(text, "zh" if "创新药" in text else "en") == []


def test_describing_words_may_stand_between_a_figure_and_its_deal() -> None:
    assert _roles("辉瑞与三生制药的60亿美元抗癌药合作是规模最大的单笔交易。") == [("total", 6_000_000_000)]
    assert _roles("WuXi and Candid signed a $925M trispecific agreement.") == [("total", 925_000_000)]


def test_a_recalled_deal_that_leaves_its_subject_to_the_sentence_before() -> None:
    text = ("Merck licenses a heart drug from Hengrui\n\n"
            "Merck agreed a licensing deal worth up to $2 billion with Jiangsu Hengrui Pharmaceuticals on Tuesday.\n"
            "Last year Merck licensed an obesity pill from Hansoh Pharma for up to $2 billion. It also picked up rights "
            "to a cancer drug from China's LaNova in a deal worth up to $3.3 billion.\n")
    found = {(a, b): amounts.get("total") for a, b, amounts in _deals(text)}
    assert found[("LaNova Medicines", "Merck & Co.")] == 3_300_000_000
    assert found[("Jiangsu Hengrui Pharmaceuticals", "Merck & Co.")] == 2_000_000_000  # not the recalled $3.3B


def test_an_object_is_not_the_subject_a_later_sentence_leaves_out() -> None:
    text = ("映恩生物再牵手GSK\n\n映恩生物宣布与GSK就DB-1324达成独家授权协议，GSK将支付3000万美元首付款。\n"
            "2023年4月，映恩生物将两款ADC授权给BioNTech，首付款1.7亿美元；同年7月，又把一款临床前ADC授权予百济神州，"
            "潜在交易总额约13亿美元。\n")
    pairs = {(a, b) for a, b, _ in _deals(text, "zh", date(2023, 8, 1))}
    with_biontech = [pair for pair in pairs if "BioNTech" in pair]
    assert with_biontech and all("Dual" in a + b for a, b in with_biontech), pairs  # only Duality deals with it


def test_a_tables_header_gives_bare_numbers_their_currency_and_scale() -> None:
    text = ("Top licensing deals of the half\n\n"
            "No. | Licensor | Licensee | Asset | Total Value (USD mm) | Announced\n"
            "1 | Hengrui | Merck | HRS-5346 | 1,970 | 25/03/2025\n")
    ((licensor, licensee, amounts),) = _deals(text)
    assert amounts == {"total": 1_970_000_000}


def test_a_tables_party_columns_give_the_roles() -> None:
    text = ("In-licensing into China, first half\n\n"
            "No. | Licensor | Licensee | Asset | Total Value (USD mm)\n"
            "1 | Acorda Therapeutics | Chance Pharmaceuticals | INBRIJA | 141\n")
    ((licensor, licensee, amounts),) = _deals(text)
    assert (licensor, licensee, amounts) == ("Acorda Therapeutics", "Chance Pharmaceuticals", {"total": 141_000_000})


def test_a_filers_own_line_names_it_after_the_counterparty_line() -> None:
    text = ("本公司與Sandoz AG簽訂生物相似藥EG12014授權銷售合約\n\n股市公告 > 上櫃 > 台康生技(6589)\n\n"
            "本公司與Sandoz AG簽訂授權銷售合約，本公司可取得簽約金美金500萬元。\n")
    ((licensor, licensee, amounts),) = _deals(text, "zh", date(2019, 4, 29))
    assert (licensor, licensee) == ("EirGenix", "Sandoz") and amounts == {"upfront": 5_000_000}
