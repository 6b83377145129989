"""Rules that keep one real deal one deal across reports: numbered roundups, yardstick comparisons, a bare
overseas name glued into Chinese text, and a subsidiary the text ties to its group."""
from __future__ import annotations

from datetime import date

import pytest

from pharmadeals.extractors.companies import company_index, find_companies
from pharmadeals.extractors.cues import is_background, numbered_items
from pharmadeals.extractors.deals import extract_deals
from pharmadeals.models.records import Article


def article(text: str, lang: str, published: date) -> Article:
    return Article(url="https://example.org/r", source="test", title=text.split("\n")[0], text=text,
                   language=lang, published=published)


def deals_of(text: str, lang: str, published: date = date(2025, 6, 2)) -> list[tuple[str, str, int | None, str]]:
    out = []
    for deal in extract_deals(article(text, lang, published)):
        total = int(deal.total.value) if deal.total else None
        out.append((deal.licensor.name, deal.licensee.name, total, str(deal.announced)))
    return sorted(out)


NUMBERED_ROUNDUP = (
    "雙抗授權三宗交易回顧：首付款合共逾20億美元\n"
    "2025年6月2日 本報記者\n"
    "本報整理近年三宗主要對外授權交易。\n"
    "第一宗是康方生物於2022年12月6日與Summit訂立的許可協議，首付款5億美元，總金額最高50億美元。\n"
    "第二宗是禮新醫藥於2024年11月14日將LM-299的全球權利授予默沙東，首付款5.88億美元，總金額最高33億美元。\n"
    "第三宗即三生製藥於2025年5月20日與輝瑞訂立的協議，首付款12.5億美元，總金額最高60.5億美元。\n"
)


def test_numbered_roundup_reports_every_numbered_deal_with_its_own_date() -> None:
    assert deals_of(NUMBERED_ROUNDUP, "zh") == [
        ("3SBio", "Pfizer", 6_050_000_000, "2025-05-20"),
        ("Akeso", "Summit Therapeutics", 5_000_000_000, "2022-12-06"),
        ("LaNova Medicines", "Merck & Co.", 3_300_000_000, "2024-11-14"),
    ]


def test_one_numbered_sentence_is_not_a_roundup() -> None:
    assert numbered_items(["第一宗交易於2023年完成。", "其後市場轉冷。"]) == set()
    assert numbered_items(["The first deal closed in May.", "The second deal was signed in June."]) == {0, 1}


def test_a_recalled_deal_used_as_a_yardstick_is_background() -> None:
    assert is_background("The upfront is just shy of the $1.25 billion Pfizer paid 3SBio in May.", None)
    assert is_background("此次首付款仅次于辉瑞与三生制药的交易。", None)
    assert not is_background("Takeda will pay Innovent $1.2 billion upfront.", None)
    text = ("Takeda pays $1.2B upfront to Innovent for a bispecific\n"
            "Takeda will pay Innovent Biologics $1.2 billion upfront, and the deal could be worth $11.4 billion.\n"
            "To put that in perspective, the upfront is just shy of the $1.25 billion Pfizer paid 3SBio in May.\n")
    # the yardstick deal names both parties and its amount: LABELING.md lists it too, undated, as a deal of its own
    assert deals_of(text, "en", date(2025, 10, 22)) == [("3SBio", "Pfizer", None, "None"),
                                                        ("Innovent Biologics", "Takeda", 11_400_000_000, "2025-10-22")]


@pytest.mark.parametrize(("text", "mention", "name"), [
    ("康方生物與Summit訂立許可協議。", "Summit", "Summit Therapeutics"),
    ("美國上市的Summit市值大漲。", "Summit", "Summit Therapeutics"),
    ("联邦制药将权利授予Novo，交易金额20亿美元。", "Novo", "Novo Nordisk"),
])
def test_bare_first_word_glued_to_chinese_names_the_overseas_company(text: str, mention: str, name: str) -> None:
    hits = {(h.mention, h.name) for h in find_companies(company_index(), text)}
    assert (mention, name) in hits


@pytest.mark.parametrize("text", [
    "Leaders met at the Summit in Davos to discuss drug pricing.",
    "康方生物出席了Summit 2025 峰会。",  # a space, not a glued name
])
def test_first_word_alone_is_not_a_company_outside_chinese_text(text: str) -> None:
    assert "Summit Therapeutics" not in {h.name for h in find_companies(company_index(), text)}


SUBSIDIARY_EN = (
    "The United Laboratories International Holdings Limited - Licence Agreement with Novo Nordisk\n"
    "The board of The United Laboratories International Holdings Limited (the \"Company\") announces that United "
    "Biotech (Zhuhai) Co., Ltd. (\"United Biotech\"), an indirect non-wholly owned subsidiary of the Company, has "
    "entered into an exclusive licence agreement with Novo Nordisk A/S in respect of UBT251.\n"
    "United Biotech shall receive an upfront payment of US$200 million and milestone payments of up to US$1.8 "
    "billion.\n"
)


def test_subsidiary_called_so_by_the_text_contracts_for_its_group() -> None:
    found = deals_of(SUBSIDIARY_EN, "en", date(2025, 3, 24))
    assert [(a, b) for a, b, _, _ in found] == [("The United Laboratories International", "Novo Nordisk")]
    assert found[0][2] == 2_000_000_000


def test_chinese_subsidiary_after_its_group_is_the_group() -> None:
    text = "华康制药及其全资子公司华康生物将HK-101的海外权益授予辉瑞，首付款1亿美元。"
    hits = {h.mention: h.name for h in find_companies(company_index(), text)}
    assert hits["华康生物"] == hits["华康制药"]


def test_a_partner_is_not_made_a_subsidiary() -> None:
    text = "Acme Bio and Zenith Therapeutics, a partner of the Company, signed a licence."
    hits = {h.mention: h.name for h in find_companies(company_index(), text)}
    assert hits.get("Zenith Therapeutics") == "Zenith Therapeutics"


AMENDMENT_8K = (
    "Ferrowood Therapeutics, Inc. Form 8-K (February 9, 2026)\n\n"
    "FORM 8-K - CURRENT REPORT\n"
    "Date of Report (Date of earliest event reported): February 9, 2026\n"
    "FERROWOOD THERAPEUTICS, INC.\n"
    "Item 1.01 Entry into a Material Definitive Agreement.\n"
    "As previously disclosed, on April 16, 2024, Ferrowood Therapeutics, Inc. (the \"Company\") entered into a "
    "licence agreement (the \"Original Agreement\") with Nanjing Tiancheng Pharmaceutical Co., Ltd. relating to "
    "TC-3308.\n"
    "On February 9, 2026, the Company and Tiancheng entered into Amendment No. 1 to the Original Agreement, "
    "raising the milestone payments Tiancheng may receive to up to $690 million.\n"
)


def test_a_filing_follow_up_is_read_past_its_form_lines_and_dated_by_the_original_deal() -> None:
    [deal] = extract_deals(article(AMENDMENT_8K, "en", date(2026, 2, 11)))
    assert deal.event == "amendment"
    assert str(deal.announced) == "2024-04-16"


def test_a_wire_dateline_does_not_hide_the_first_name() -> None:
    text = ("Ulmera Therapeutics licenses UL-44 to Shenzhen Qiheng Pharmaceutical\n\n"
            "BASEL, Switzerland--(BUSINESS WIRE)--Ulmera Therapeutics AG today announced that it has granted "
            "Shenzhen Qiheng Pharmaceutical Co., Ltd. an exclusive license to UL-44 in Greater China. Qiheng will "
            "pay Ulmera $12 million upfront and up to $163 million in milestones.\n")
    assert [(a, b) for a, b, _, _ in deals_of(text, "en", date(2025, 4, 22))] == [
        ("Ulmera Therapeutics", "Shenzhen Qiheng Pharmaceutical")]


def test_an_acquisition_price_stated_as_zuojia_is_the_total_not_equity() -> None:
    text = "日本森川製藥斥39億港元收購港川生物\n\n日本森川製藥昨日宣布，將以現金收購港川生物全部已發行股份，交易作價約39億港元。\n"
    [deal] = extract_deals(article(text, "zh", date(2026, 8, 4)))
    assert (deal.licensor.name, deal.licensee.name) == ("港川生物", "森川製藥")
    assert deal.total is not None and deal.total.value == 3_900_000_000 and deal.equity is None


def test_a_trade_name_in_brackets_with_a_listing_keeps_one_sentence_and_the_company_s_country() -> None:
    """'Driftmoor Therapeutics (Hangzhou Tuolan Biopharmaceutical Co., Ltd.; HKEX: 2791) … announced': the
    bracketed legal name places the brand in China, so the pair is a cross-border deal."""
    text = ("Aurelis Pharma and Driftmoor Therapeutics enter a license agreement for TL-216\\n\\n"
            "BOSTON & HANGZHOU, China--(BUSINESS WIRE)--Aurelis Pharma, Inc. (Nasdaq: AURL) and Driftmoor "
            "Therapeutics (Hangzhou Tuolan Biopharmaceutical Co., Ltd.; HKEX: 2791) today announced an exclusive "
            "license agreement under which Aurelis obtains rights to TL-216 outside Greater China. Driftmoor will "
            "receive an upfront payment of $80 million.\\n")
    found = deals_of(text, "en", date(2025, 9, 15))
    assert [(a, b) for a, b, _, _ in found] == [("Driftmoor Therapeutics", "Aurelis Pharma")]


def test_a_described_company_is_never_one_named_after_another_city() -> None:
    """'the Chengdu company' after a Guangzhou firm's item is not that firm, and the item's asset stays out
    of the earlier deal."""
    text = ("Five China deals of the half\n\n"
            "1. Guangzhou Maihe Biologics / Cobaltine Bio (October). Maihe licensed MH-305 to Cobaltine Bio for "
            "$40 million upfront, in a package valued at up to $835 million.\n\n"
            "2. Ironleaf Therapeutics / Montclair Bio (August). Montclair paid $12 million for an option on the "
            "Chengdu company's KRAS G12D inhibitor BY-011, with total potential payments of $522 million.\n\n"
            "3. Hengrui / GSK (July). GSK paid Hengrui $500 million upfront for HRS-9821.\n")
    found = extract_deals(article(text, "en", date(2026, 1, 7)))
    pairs = {(d.licensor.name, d.licensee.name) for d in found}
    assert ("Guangzhou Maihe Biologics", "Montclair Bio") not in pairs
    maihe = next(d for d in found if d.licensor.name == "Guangzhou Maihe Biologics")
    assert "BY-011" not in maihe.assets
