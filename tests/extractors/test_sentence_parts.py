"""A sentence that names several deals is read in parts (issue 12): segments after a colon, "including" or "以及",
comma clauses that leave their subject to the sentence, a unit named under its group ("X旗下的Y"), one-side pairs
joined by a deal word, and the names real articles give partners without a corporate word. Every text here is new."""
from __future__ import annotations

from datetime import date

import pytest

from pharmadeals.extractors.amounts import extract_amounts
from pharmadeals.extractors.deal_type import classify_deal
from pharmadeals.extractors.deals import _sentences, extract_deals
from pharmadeals.extractors.nlp import pipeline
from pharmadeals.extractors.pairing import named_parts
from pharmadeals.models.records import Article


def _deals(text: str, lang: str = "en", published: date = date(2025, 6, 1)) -> dict[frozenset[str], dict[str, int]]:
    article = Article(url="https://example.org/a", source="test", title=text.split("\n")[0], text=text,
                      language=lang, published=published)
    return {frozenset((d.licensor.mention, d.licensee.mention)): {r: int(m.value) for r, m in d.amounts().items()}
            for d in extract_deals(article)}


def _pairs(sentence: str, lang: str) -> list[tuple[str, str]]:
    (parsed,) = _sentences(pipeline(lang)(sentence), None)
    return [(a.mention, b.mention) for a, b, _, _ in named_parts(parsed)]


def test_a_clause_that_leaves_its_subject_to_the_sentence_pairs_with_that_subject() -> None:
    text = ("Lilly licenses Innovent's obesity antibody\n\n"
            "Eli Lilly will pay Innovent Biologics $60 million upfront for rights outside China to an obesity antibody.\n\n"
            "Merck, for its part, had earlier signed a pact worth up to $1.9 billion for Hansoh Pharma's oral GLP-1 pill, "
            "and it bought rights to an ADC from China's LaNova in an agreement valued at up to $3.1 billion.")
    deals = _deals(text)
    assert deals[frozenset(("Merck", "LaNova"))] == {"total": 3_100_000_000}
    assert deals[frozenset(("Merck", "Hansoh Pharma"))] == {"total": 1_900_000_000}


def test_segments_after_including_and_yiji_give_each_pair_its_own_figure() -> None:
    sentence = ("该交易有望超越近期多宗减重药交易，包括辉瑞以逾90亿美元收购新创公司Metsera，"
                "以及罗氏以48亿美元与丹麦Zealand Pharma达成的授权合作。")
    assert _pairs(sentence, "zh") == [("辉瑞", "Metsera"), ("罗氏", "Zealand Pharma")]
    deals = _deals("石药集团再签减重药授权\n\n" + sentence, "zh")
    assert deals[frozenset(("辉瑞", "Metsera"))] == {"total": 9_000_000_000}
    assert deals[frozenset(("罗氏", "Zealand Pharma"))] == {"total": 4_800_000_000}


def test_after_a_colon_the_pair_is_read_alone() -> None:
    sentence = ("默沙东、诺华等跨国药企加码中国资产，其中自免成为新焦点：默沙东支付6亿美元首付款，"
                "拿下同润生物的双抗项目，补强其管线。")
    assert _pairs(sentence, "zh") == [("默沙东", "同润生物")]


def test_a_unit_named_under_its_group_is_the_party() -> None:
    sentence = "维立志博将一款双抗在大中华区以外的权益授权给美国诺华旗下的Dianthus Therapeutics，交易总额达9亿美元。"
    assert _pairs(sentence, "zh") == [("维立志博", "Dianthus Therapeutics")]


@pytest.mark.parametrize("sentence", [
    "Regeneron said it had licensed an obesity drug from China's Hansoh Pharmaceutical, paying $70 million upfront "
    "as it tries to keep pace with Novo Nordisk and Eli Lilly in the weight-loss market.",
    "Thorncastle Pharmaceuticals plc (LSE: TCPH) said it will buy Zhuhai Weilan Biosciences Co., Ltd., which trades "
    "abroad under the name Nimbrel Bio, for $300 million.",
])
def test_rivals_named_together_and_a_colon_inside_brackets_make_no_pair(sentence: str) -> None:
    pairs = _pairs(sentence, "en")
    assert ("Novo Nordisk", "Eli Lilly") not in pairs
    assert not any("Nimbrel Bio" in pair and "Zhuhai Weilan Biosciences Co., Ltd." in pair for pair in pairs)


def test_the_company_as_a_later_subject_recalls_an_older_deal_of_the_story_company() -> None:
    text = ("百利天恒预计全年亏损\n\n"
            "百利天恒发布业绩预告，预计2025年归母净利润为负。\n\n"
            "回看2024年，公司收到百时美施贵宝就BL-B01D1合作支付的8亿美元首付款，当年实现盈利。")
    deals = _deals(text, "zh", date(2026, 1, 20))
    assert deals[frozenset(("百利天恒", "百时美施贵宝"))] == {"upfront": 800_000_000}


def test_an_amendment_keeps_the_older_signing_of_the_same_pair_as_a_deal_of_its_own() -> None:
    text = ("康方生物与Summit签补充许可协议 扩大依沃西授权区域\n\n"
            "2024年6月3日，康方生物宣布与Summit Therapeutics签订补充许可协议，Summit将支付7000万美元首付款。\n\n"
            "新增区域包括拉丁美洲、中东和非洲。Summit将负责上述市场的开发与商业化。\n\n"
            "两家公司的合作始于2022年。\n\n"
            "2022年12月，康方生物宣布将依沃西在美国、欧洲和日本的权益授予Summit。\n\n"
            "根据协议，康方生物将获得5亿美元首付款，交易总额最高可达50亿美元。")
    article = Article(url="https://example.org/a", source="test", title=text.split("\n")[0], text=text,
                      language="zh", published=date(2024, 6, 4))
    upfronts = sorted(int(d.upfront.value) for d in extract_deals(article) if d.upfront)
    assert upfronts == [70_000_000, 500_000_000]


@pytest.mark.parametrize(("sentence", "lang", "name"), [
    ("Mabwell sold the ex-China rights to 9MW3011 to Disc Medicine in a deal valued at up to $412 million.", "en",
     "Disc Medicine"),
    ("Coherent Biopharma signed an exclusive licence with US-based MultiValent Biotherapies for $20 million upfront.",
     "en", "MultiValent Biotherapies"),
    ("The group paid $150 million for rights to an immunotherapy from the biotechnology company OncoC4.", "en", "OncoC4"),
    ("2025年1月，启德医药与韩国AimedBio签订合作协议，交易总金额超过130亿美元。", "zh", "AimedBio"),
])
def test_partners_named_without_a_registry_entry_are_found(sentence: str, lang: str, name: str) -> None:
    (parsed,) = _sentences(pipeline(lang)(sentence), None)
    assert name in [h.mention for h in parsed.hits]


@pytest.mark.parametrize(("sentence", "expected"), [
    # a milestone already triggered or received is money paid, not the milestone cap
    ("百济神州表示，该研究启动已触发一笔4500万美元的临床里程碑付款。", [("none", 45_000_000)]),
    ("The biotech said it received a $30 million milestone payment from Novartis in March.", [("none", 30_000_000)]),
    # ...but a ceiling is the cap, whatever verb comes with it
    ("公司累计可收取不超过9亿美元的里程碑付款。", [("milestones", 900_000_000)]),
    # money one named side will pay the other is the upfront; "a total of $X in upfront payments" too
    ("Regor will pay Hengrui Medicine $45 million as part of the partnership.", [("upfront", 45_000_000)]),
    ("Harbour BioMed will receive a total of USD52m in upfront and near-term payments.", [("upfront", 52_000_000)]),
    # a headline figure that counts the milestones in is the deal's total
    ("The deal's total potential value reaches as much as $3 billion once regulatory and sales milestone payments "
     "are included.", [("total", 3_000_000_000)]),
])
def test_paid_milestones_and_totals_that_count_milestones_in(sentence: str, expected: list[tuple[str, int]]) -> None:
    assert [(a.role, int(a.money.value)) for a in extract_amounts(sentence)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("AstraZeneca signed a license and option agreement with Nona Biosciences for two antibodies; should it exercise "
     "options on further programs, more payments follow.", "license"),
    ("科伦博泰签订《独占许可及合作协议》，将多个ADC项目以独占许可或独占许可选择权的方式授予默沙东。", "license"),
    ("禾川生物与Veridia签署独家期权及许可协议，Veridia将获得HY-702的全球独家许可期权。", "option"),
    ("先声药业与艾伯维达成独家选择权许可协议，艾伯维获得在特定条件下独家许可SIM0500的选择权。", "option"),
    ("晶泰控股将运用其端到端药物发现平台，为DoveTree发现并开发候选药物。", "research_collaboration"),
    ("the $6B XtalPi–DoveTree platform alliance", "research_collaboration"),
    ("和铂医药与阿斯利康将联合开发新一代多特异性抗体。", "research_collaboration"),
    ("信达生物与武田将在全球共同开发新一代IO疗法IBI363，并在美国共同商业化。", "co_development"),
])
def test_licences_with_options_options_and_platform_deals(text: str, expected: str) -> None:
    assert classify_deal(text) == expected


def test_a_party_column_names_companies_without_a_corporate_word() -> None:
    text = ("China oncology out-licensing, the table\n\n"
            "China Company | Partner | Asset | Deal Type | Size (public) | When\n"
            "Novatim | Radiance (US) | KY-0301 | Overseas exclusive | $15M upfront + milestones | 2025\n"
            "Gracell | AstraZeneca (UK) | GC012F | M&A | Up to about $1.2B | 2024\n")
    article = Article(url="https://example.org/t", source="test", title="China oncology out-licensing, the table",
                      text=text, language="en", published=date(2025, 6, 1))
    found = {(d.licensor.mention, d.licensee.mention): (d.deal_type, {r: int(m.value) for r, m in d.amounts().items()})
             for d in extract_deals(article)}
    assert found[("Novatim", "Radiance")] == ("license", {"upfront": 15_000_000})
    assert found[("Gracell", "AstraZeneca")] == ("acquisition", {"total": 1_200_000_000})


@pytest.mark.parametrize("sentence", [
    "同润生物、恒瑞医药等11家企业的单笔首付款也都超过1亿美元。",
    "今年上半年,艾伯維、默克及再生元等美國藥廠亦與中國藥廠簽下數十億美元的授權合作協議。",
])
def test_companies_listed_on_one_side_are_no_pair_and_the_lists_figure_no_term(sentence: str) -> None:
    assert _deals("中国创新药BD盘点\n\n" + sentence, "zh") == {}


def test_a_market_reaction_is_no_aggregate_and_related_headlines_are_other_stories() -> None:
    text = ("Chinese drugs go global\n\n"
            "In May, Shenyang 3SBio said it had granted Pfizer worldwide rights, excluding the Chinese mainland, to "
            "SSGJ-707. The upfront payment of $1.25 billion was a record and drew a strong market reaction.\n\n"
            "Recommended reading\n- Hengrui and Merck sign $2 billion pact\n- Akeso licenses to Summit for $500 million\n")
    article = Article(url="https://example.org/r", source="test", title="Chinese drugs go global", text=text,
                      language="en", published=date(2025, 7, 10))
    found = {(d.licensor.mention, d.licensee.mention): {r: int(m.value) for r, m in d.amounts().items()}
             for d in extract_deals(article)}
    assert found == {("3SBio", "Pfizer"): {"upfront": 1_250_000_000}}


@pytest.mark.parametrize(("title", "body"), [
    ("上海复星医药(集团)股份有限公司关于控股子公司签订许可协议的公告",
     "本公司董事会及全体董事保证本公告内容不存在任何虚假记载。\n\n重要内容提示:\n\n●协议类型:许可\n\n"
     "一、概述\n\n2025年6月30日,本公司控股子公司复宏汉霖与FBD签署《许可协议》,就FBD在研的HCB101开展合作。"),
    ("Livzon Pharmaceutical: Voluntary announcement on a technology licensing agreement",
     "The board is pleased to announce the following.\n\nThis is made on a voluntary basis.\n\nDetails follow.\n\n"
     "Livzon Pharmaceutical Group Inc. signed a Patent Transfer and Technology Exclusive Licensing Agreement with "
     "TYK Medicines, Inc. on 1 June 2025."),
])
def test_an_exchange_announcement_titled_so_yields_its_deal_without_amounts(title: str, body: str) -> None:
    lang = "en" if title.isascii() else "zh"
    article = Article(url="https://example.org/n", source="test", title=title, text=body, language=lang,
                      published=date(2025, 7, 1))
    assert len(extract_deals(article)) == 1


def test_a_party_that_gives_the_other_the_rights_is_the_licensor() -> None:
    from pharmadeals.extractors.roles import role_votes

    sentence = "Under the Agreement, TYK Medicines agreed to give Livzon Pharmaceutical the exclusive right to develop TY-2136b."
    (parsed,) = _sentences(pipeline("en")(sentence), None)
    votes = role_votes(parsed.text, parsed.hits)
    keys = {h.mention: h.key for h in parsed.hits}
    assert votes[keys["TYK Medicines"]] > votes[keys["Livzon Pharmaceutical"]]


def test_milestone_categories_stated_apart_add_up() -> None:
    from pharmadeals.extractors.amounts import deal_terms

    lines = ["Upfront payment and near-term payment of $90 million,",
             "Development and regulatory milestone payments of up to $150 million,",
             "Sales milestone payments of up to $4.2 billion."]
    terms = deal_terms([(line, extract_amounts(line)) for line in lines])
    assert int(terms["milestones"].value) == 4_350_000_000
    # one figure naming every category is the whole, whatever a breakdown below repeats
    lines = ["Tiancheng may earn up to $640 million in development, regulatory and commercial milestone payments.",
             "Development and regulatory milestones | up to $140 million", "Sales milestones | up to $500 million"]
    terms = deal_terms([(line, extract_amounts(line)) for line in lines])
    assert int(terms["milestones"].value) == 640_000_000


def test_a_group_that_names_its_units_is_the_party_and_never_deals_with_them() -> None:
    sentence = ("Among them, Hansoh Pharmaceutical said that on October 16 its wholly-owned subsidiaries Shanghai Hansoh "
                "Biomedical Co., Ltd. and Jiangsu Hansoh Pharmaceutical Co., Ltd. signed a licence with Roche for "
                "$80 million upfront.")
    pairs = _pairs(sentence, "en")
    assert pairs and all("Roche" in pair for pair in pairs)


def test_a_clause_that_recalls_an_earlier_deal_before_the_subject_is_a_deal_of_its_own() -> None:
    text = ("石药集团授权Madrigal口服GLP-1\n\n"
            "消息方面，继早前与跨国药企阿斯利康签下最高超50亿美元的战略研发合作协议后，"
            "石药集团再与生物制药公司Madrigal订立一份最高20亿美元的独家授权协议。")
    deals = _deals(text, "zh")
    assert deals[frozenset(("石药集团", "阿斯利康"))] == {"total": 5_000_000_000}
    assert deals[frozenset(("石药集团", "Madrigal"))] == {"total": 2_000_000_000}


def test_a_small_upfront_named_as_such_is_kept() -> None:
    from pharmadeals.extractors.amounts import deal_terms

    line = "根据协议，Apogepha将向亿帆支付首付款40万美元，以及最高3850万美元的里程碑付款。"
    terms = deal_terms([(line, extract_amounts(line))])
    assert int(terms["upfront"].value) == 400_000 and int(terms["milestones"].value) == 38_500_000
