"""Whole articles in, deal mentions out: single deals, roundups, follow-ups and articles with no deal."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pharmadeals.extractors.deals import extract_deals, extract_many
from pharmadeals.models.records import Article

EN_DEAL = """Hengrui licenses HRS-9821 to GSK

SHANGHAI, July 27, 2025 -- Jiangsu Hengrui Pharmaceuticals said it granted GSK an exclusive license to develop
HRS-9821 outside Greater China. Hengrui will receive an upfront payment of $500 million and is eligible for up
to $11.5 billion in milestone payments, plus tiered royalties. The deal follows Merck's $588 million pact with
LaNova last year."""
ZH_DEAL = """三生制药将SSGJ-707授权给辉瑞

2025年5月20日，三生制药宣布与辉瑞达成协议，将SSGJ-707在中国以外的全球独家权利许可给辉瑞。根据协议，三生制药将获得
12.5亿美元首付款，以及最高48亿美元的里程碑付款，交易总金额最高60.5亿美元。辉瑞还将认购1亿美元三生制药股份，并支付销售提成。"""
ROUNDUP = """H1 review: Chinese drugmakers keep licensing abroad

Chinese companies signed out-licensing deals worth a combined $60 billion in the first half.
3SBio granted Pfizer rights to SSGJ-707 for $1.25 billion upfront.
Hansoh licensed HS-20094 to Regeneron for $80 million upfront and up to $1.93 billion in milestones."""
NEGATIVES = [
    ("en", "FDA accepts Summit's filing for ivonescimab\n\nSummit Therapeutics said the FDA accepted its Biologics "
           "License Application for ivonescimab, the PD-1/VEGF bispecific it licensed from Akeso."),
    ("en", "Zai Lab Q3 revenue rises 20%\n\nZai Lab reported third-quarter revenue of $116 million. Zai Lab markets "
           "Vyvgart under a license from argenx."),
    ("en", "ASCO preview: Chinese ADCs take center stage\n\nAt ASCO, Hengrui, Kelun-Biotech and Duality will present "
           "data on ADCs partnered with Merck, GSK and BioNTech."),
    ("en", "Merck reportedly in talks to license Hengrui asset\n\nMerck is in talks to license a heart drug from "
           "Jiangsu Hengrui, people familiar said. No agreement has been finalized."),
    ("en", "Akeso's ivonescimab beats Keytruda in HARMONi-2\n\nAkeso said the Phase 3 trial met its primary "
           "endpoint. Summit Therapeutics, which licensed the drug from Akeso in 2022, shares rose 20%."),
    ("en", "Hengrui revenue rises\n\nJiangsu Hengrui Pharmaceuticals said revenue rose 30% to RMB 10 billion."),
    ("zh", "市场观察\n\n分析师认为，中国创新药对外授权市场规模可能达到1000亿美元。"),
    ("zh", "恒瑞医药否认传闻\n\n恒瑞医药澄清称，关于与辉瑞达成授权交易的传闻不实。"),
    ("zh", "康方生物公布试验结果\n\n康方生物宣布依沃西单抗三期临床试验达到主要终点。"),
    ("en", "Chinese biotech stocks rally\n\nShares of Hengrui, BeiGene and Innovent rose 5% after Merck and Pfizer "
           "flagged interest in Chinese assets. Analysts said more licensing deals worth billions could come."),
    ("zh", "创新药板块大涨\n\n今日港股创新药板块大涨，恒瑞医药、百济神州、信达生物等个股涨幅超过5%。分析人士认为，"
           "随着跨国药企持续从中国引进创新药，板块估值有望提升。"),
    ("zh", "百济神州上半年营收大增\n\n百济神州公布上半年业绩，总收入达到17.5亿美元，同比增长46%。"
           "公司表示将继续推进与诺华等合作伙伴的合作。"),
]


def article(text: str, lang: str, published: date = date(2025, 7, 28)) -> Article:
    return Article(url="https://example.org/a", source="test", title=text.split("\n")[0], text=text,
                   language=lang, published=published)


def test_english_deal() -> None:
    (deal,) = extract_deals(article(EN_DEAL, "en"))
    assert (deal.licensor.name, deal.licensee.name) == ("Jiangsu Hengrui Pharmaceuticals", "GSK")
    assert (deal.upfront.value, deal.milestones.value) == (Decimal(500_000_000), Decimal(11_500_000_000))
    assert deal.total.value == Decimal(12_000_000_000)  # upfront + milestones: no headline total stated
    assert (deal.territory, deal.direction, deal.royalties) == ("ex-China", "out", True)
    assert deal.announced == date(2025, 7, 27) and deal.assets == ("HRS-9821",)
    assert deal.upfront.usd is None and any("$500 million" in e for e in deal.evidence)


def test_chinese_deal() -> None:
    (deal,) = extract_deals(article(ZH_DEAL, "zh", date(2025, 5, 21)))
    assert (deal.licensor.name, deal.licensee.name, deal.licensor.mention) == ("3SBio", "Pfizer", "三生制药")
    assert [deal.upfront.value, deal.milestones.value, deal.total.value, deal.equity.value] == [
        Decimal(1_250_000_000), Decimal(4_800_000_000), Decimal(6_050_000_000), Decimal(100_000_000)]
    assert (deal.territory, deal.deal_type, deal.royalties, deal.announced) == (
        "ex-China", "license", True, date(2025, 5, 20))


def test_roundup_yields_one_deal_per_pair_and_no_aggregate() -> None:
    deals = extract_deals(article(ROUNDUP, "en"))
    assert [(d.licensor.name, d.licensee.name, d.upfront.value) for d in deals] == [
        ("3SBio", "Pfizer", Decimal(1_250_000_000)), ("Hansoh Pharmaceutical", "Regeneron", Decimal(80_000_000))]
    assert all(d.total is None or d.total.value != Decimal(60_000_000_000) for d in deals)


@pytest.mark.parametrize(("lang", "text"), NEGATIVES)
def test_no_deal(lang: str, text: str) -> None:
    assert extract_deals(article(text, lang, date(2025, 6, 1))) == []


def test_an_older_deal_recalled_with_its_terms_is_a_deal_of_its_own() -> None:
    """LABELING.md: a side mention naming both parties and an amount is listed, dated only by a full date."""
    text = ("Summit, Akeso data lift shares\n\nSummit Therapeutics shares rose after partner Akeso reported data. "
            "Summit licensed the drug from Akeso in December 2022 for $500 million upfront.")
    (deal,) = extract_deals(article(text, "en", date(2025, 6, 1)))
    assert (deal.licensor.name, deal.licensee.name) == ("Akeso", "Summit Therapeutics")
    assert deal.upfront is not None and deal.upfront.value == 500_000_000 and deal.announced is None
    (own,) = extract_deals(article(text.replace("December 2022", "May 2025"), "en", date(2025, 6, 1)))
    assert deal.confidence < own.confidence  # known from one sentence in passing: less sure than its own story


def test_unknown_company_named_by_description() -> None:
    text = ("AstraZeneca signs deal with Chinese biotech Eccogene\n\nAstraZeneca has agreed to pay Shanghai-based "
            "Eccogene $185 million upfront for an exclusive global license, excluding China, to ECC5004. The deal "
            "could be worth up to $2.01 billion including development and commercial milestones.")
    (deal,) = extract_deals(article(text, "en"))
    assert (deal.licensor.name, deal.licensor.country, deal.licensor.registry_id) == ("Eccogene", "CN", None)
    assert (deal.licensee.name, deal.direction, deal.territory) == ("AstraZeneca", "out", "ex-China")
    assert (deal.upfront.value, deal.total.value) == (Decimal(185_000_000), Decimal(2_010_000_000))


def test_in_licensing_in_renminbi() -> None:
    text = ("恒瑞医药引进韩国药企产品\n\n恒瑞医药公告，公司与韩国HLB公司签订许可协议，引进其在研产品在大中华区的独家开发和"
            "商业化权利。公司将支付首付款人民币5亿元及最高人民币15亿元的里程碑付款。")
    (deal,) = extract_deals(article(text, "zh"))
    assert (deal.licensor.name, deal.licensor.country, deal.licensee.name) == ("HLB", "KR",
                                                                               "Jiangsu Hengrui Pharmaceuticals")
    assert (deal.direction, deal.territory) == ("in", "China")
    assert (deal.upfront.value, deal.upfront.currency, deal.total.value) == (
        Decimal(500_000_000), "CNY", Decimal(2_000_000_000))


def test_possessive_owner_is_licensor() -> None:
    text = ("BeiGene to pay Ensem for CDK2 inhibitor\n\nBeiGene said it has licensed global rights to Ensem "
            "Therapeutics' oral CDK2 inhibitor ETX-197. Ensem could earn up to $1.33 billion in milestones.")
    (deal,) = extract_deals(article(text, "en"))
    assert deal.licensor.name == "Ensem Therapeutics" and deal.licensee.mention == "BeiGene"
    assert deal.direction == "in"  # an unplaced company with a Latin name counts as foreign
    assert deal.upfront is None and deal.total is None and deal.milestones.value == Decimal(1_330_000_000)


def test_two_deals_in_one_chinese_sentence() -> None:
    text = ("上半年BD回顾\n\n今年上半年，恒瑞与GSK、三生制药与辉瑞分别达成重磅授权交易。\n"
            "恒瑞获得5亿美元首付款；三生制药获得12.5亿美元首付款。")
    deals = extract_deals(article(text, "zh"))
    assert [(d.licensor.name, d.licensee.name, d.upfront.value) for d in deals] == [
        ("Jiangsu Hengrui Pharmaceuticals", "GSK", Decimal(500_000_000)), ("3SBio", "Pfizer", Decimal(1_250_000_000))]


def test_parties_named_in_different_lead_sentences() -> None:
    text = ("Hengrui inks record licensing deal\n\nThe Chinese drugmaker said GSK will pay $500 million upfront for "
            "rights to HRS-9821 outside China.")
    (deal,) = extract_deals(article(text, "en"))
    assert (deal.licensor.name, deal.licensee.name, deal.upfront.value) == (
        "Jiangsu Hengrui Pharmaceuticals", "GSK", Decimal(500_000_000))


def test_option_exercise_is_a_license_with_its_fee_as_upfront() -> None:
    text = ("三生製藥自願公告：輝瑞行使SSGJ-707中國內地權利選擇權\n\n董事會宣佈，輝瑞已行使選擇權，取得SSGJ-707於中國內地之開發及商業化權利。"
            "就此，輝瑞將向本集團支付選擇權行權費1.5億美元。")
    (deal,) = extract_deals(article(text, "zh"))
    assert (deal.event, deal.deal_type, deal.territory) == ("option_exercise", "license", "China")
    assert deal.upfront.value == Decimal(150_000_000)


def test_termination_keeps_recalled_terms_and_original_roles() -> None:
    text = ("百济神州与诺华终止替雷利珠单抗合作\n\n百济神州宣布与诺华终止合作，诺华将权利交还给百济神州。"
            "回顾这笔合作，2021年1月，百济神州将替雷利珠单抗的海外权益授予诺华，首付款6.5亿美元。")
    (deal,) = extract_deals(article(text, "zh", date(2023, 9, 19)))
    assert (deal.event, deal.licensor.mention, deal.licensee.name) == ("termination", "百济神州", "Novartis")
    assert deal.upfront.value == Decimal(650_000_000)


def test_follow_up_event() -> None:
    text = "GSK completes Hengrui licence deal after antitrust clearance\n\nGSK said its agreement with Hengrui closed."
    (deal,) = extract_deals(article(text, "en"))
    assert deal.event == "closing" and deal.upfront is None


def test_extract_many_keeps_order_across_languages() -> None:
    items = [article(EN_DEAL, "en"), article(NEGATIVES[2][1], "zh"), article(ZH_DEAL, "zh")]
    results = list(extract_many(items, batch_size=2))
    assert [r.article for r in results] == items
    assert [len(r.deals) for r in results] == [1, 0, 1]


@pytest.mark.parametrize(("lang", "text", "licensor"), [
    ("en", "Merck licenses China's Kelun drug for $47 mln upfront\n\nMerck & Co has agreed to pay $47 million upfront "
           "to Kelun-Biotech for rights outside Greater China. Kelun-Biotech could receive up to $1.363 billion in "
           "milestone payments.", "Sichuan Kelun-Biotech"),
])
def test_short_and_full_name_of_one_party_make_one_deal(lang: str, text: str, licensor: str) -> None:
    (deal,) = extract_deals(article(text, lang))
    assert deal.licensor.name == licensor and deal.upfront.value == Decimal(47_000_000)


def test_acquisition_of_a_registered_subsidiary_is_a_deal() -> None:
    text = ("Novartis to buy Tourmaline Bio in $1.4 billion deal\n\nNovartis will acquire U.S. biotech Tourmaline Bio "
            "for about $1.4 billion, the companies said on Tuesday.")
    (deal,) = extract_deals(article(text, "en"))
    assert (deal.licensor.name, deal.licensee.name, deal.deal_type) == ("Tourmaline Bio", "Novartis", "acquisition")


def test_chinese_unknown_company_defined_short_name_and_latin_partner() -> None:
    text = ("康泽生物TL1A单抗授权美国Pinecrest Immunology\n\n今天，南京康泽生物科技有限公司（简称“康泽生物”）与总部位于美国"
            "旧金山的Pinecrest Immunology签署独家许可协议。康泽生物将KZ-107的全球权益授予Pinecrest。Pinecrest将向康泽生物"
            "支付3000万美元首付款；康泽生物还有权获得最高6.7亿美元的里程碑付款。")
    (deal,) = extract_deals(article(text, "zh", date(2025, 11, 4)))
    assert (deal.licensor.name, deal.licensee.name, deal.direction) == ("南京康泽生物科技", "Pinecrest Immunology", "out")
    assert (deal.upfront.value, deal.milestones.value) == (Decimal(30_000_000), Decimal(670_000_000))


@pytest.mark.parametrize(("lang", "text", "pair"), [
    ("en", "Boehringer pens $620M AI pact with Swiss startup Trevara Bio\n\nTrevara Bio is eligible for up to "
           "$620 million in milestones.", {"Boehringer Ingelheim", "Trevara Bio"}),
    ("zh", "罗氏与Lindell Therapeutics签署研究合作协议\n\nLindell Therapeutics将获得2000万美元首付款。",
     {"Roche", "Lindell Therapeutics"}),
])
def test_two_foreign_companies_joined_by_a_deal_word(lang: str, text: str, pair: set[str]) -> None:
    (deal,) = extract_deals(article(text, lang))
    assert {deal.licensor.name, deal.licensee.name} == pair and deal.direction == "other"


def test_two_foreign_companies_merely_listed_make_no_deal() -> None:
    text = "CDK2 race heats up\n\nPfizer, AstraZeneca and Incyte are among the companies chasing CDK2."
    assert extract_deals(article(text, "en")) == []


def test_registry_short_name_beside_the_full_name_of_a_sibling_is_one_deal() -> None:
    text = ("Merck takes a TROP2 ADC from Kelun for $47M upfront\n\nMerck & Co. licensed SKB264 from Sichuan "
            "Kelun-Biotech Biopharmaceutical for $47 million upfront. Kelun-Biotech granted Merck rights outside "
            "Greater China. Analysts said Merck will test it with Keytruda.")
    (deal,) = extract_deals(article(text, "en"))
    assert (deal.licensor.name, deal.licensee.name) == ("Sichuan Kelun-Biotech", "Merck & Co.")


@pytest.mark.parametrize(("lang", "text", "direction"), [
    ("en", "Avenzo in-licenses ARTS-021 from Allorion\n\nAllorion Therapeutics granted Avenzo Therapeutics rights outside "
           "Greater China to ARTS-021 for $40 million upfront. Allorion retains rights in mainland China.", "out"),
    ("zh", "Kairos Pharma授权Zenova Bio\n\nKairos Pharma将KP-7在大中华区的独家权益授予Zenova Bio，Zenova Bio将支付1500万美元首付款。",
     "other"),
    ("en", "Pfizer licenses drug from Velora Bio\n\nVelora Bio granted Pfizer an exclusive global license to VL-1 for "
           "$40 million upfront.", "other"),
])
def test_direction_from_the_territory_an_unplaced_party_keeps(lang: str, text: str, direction: str) -> None:
    (deal,) = extract_deals(article(text, lang))
    assert deal.direction == direction


# A termination story recalls the upfront "received when the license was signed" in a sentence naming one party.
@pytest.mark.parametrize(("text", "lang", "upfront"), [
    ("Halvern Bio hands back Hengrui antibody rights\n\nHalvern Bio will terminate its license to the antibody from "
     "Hengrui, which regains worldwide rights.\n\nHengrui will keep the $20 million upfront it received when the "
     "license was signed in 2023.", "en", Decimal(20_000_000)),
    ("诺华终止与百济神州的合作\n\n诺华宣布终止与百济神州的许可协议，权利交还给百济神州。\n\n百济神州签约时已收取的首付款6.5亿美元无需退还，"
     "该协议于2021年签署。", "zh", Decimal(650_000_000)),
    ("Halvern Bio hands back Hengrui antibody rights\n\nHalvern Bio will terminate its license to the antibody from "
     "Hengrui, which regains worldwide rights.\n\nHengrui earned $20 million from a separate 2023 supply deal.",
     "en", None),
])
def test_termination_recalls_terms_received_at_signing(text: str, lang: str, upfront: Decimal | None) -> None:
    (deal,) = extract_deals(article(text, lang, date(2025, 9, 1)))
    assert deal.event == "termination"
    assert (deal.upfront.value if deal.upfront else None) == upfront


def test_an_asset_of_an_earlier_deal_named_in_passing_is_not_this_deals() -> None:
    text = ("Novartis licenses a bispecific from Argo Biopharma\n\n"
            "Novartis has agreed to pay $160 million upfront for rights outside China to ARO-552, Argo said on "
            "Monday, with up to $4 billion more in milestones.\n\n"
            "The agreement is the pair's second in a year, after Novartis took another Argo drug, ARO-117, in March.")
    deals = extract_deals(article(text, "en", date(2025, 9, 2)))
    main = next(d for d in deals if d.upfront is not None)
    assert main.assets == ("ARO-552",)
