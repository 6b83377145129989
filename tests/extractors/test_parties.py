"""Company mentions from the registry and from name patterns, with country and self-references."""
from __future__ import annotations

import pytest

from pharmadeals.extractors.companies import company_index, find_companies
from pharmadeals.extractors.parties import clean_name
from pharmadeals.extractors.places import infer_country


def names(text: str) -> list[tuple[str, str, str | None]]:
    return [(h.mention, h.name, h.country) for h in find_companies(company_index(), text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Jiangsu Hengrui Pharmaceuticals Co., Ltd. and GSK signed",
     [("Jiangsu Hengrui Pharmaceuticals Co., Ltd.", "Jiangsu Hengrui Pharmaceuticals", "CN"), ("GSK", "GSK", "GB")]),
    ("恒瑞医药与GSK签署协议", [("恒瑞医药", "Jiangsu Hengrui Pharmaceuticals", "CN"), ("GSK", "GSK", "GB")]),
    ("三生制药授予辉瑞独家许可", [("三生制药", "3SBio", "CN"), ("辉瑞", "Pfizer", "US")]),
    ("百利天恒与百时美施贵宝合作", [("百利天恒", "Sichuan Biokin Pharmaceutical", "CN"),
                                 ("百时美施贵宝", "Bristol Myers Squibb", "US")]),
    ("GlaxoSmithKline Intellectual Property (No.3) Limited", [
        ("GlaxoSmithKline Intellectual Property (No.3) Limited", "GSK", "GB")]),
])
def test_registry_companies(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Shanghai-based Zenith Biotherapeutics licensed it", "Zenith Biotherapeutics", "CN"),
    ("Boston-based Acme Therapeutics Inc. will pay", "Acme Therapeutics", "US"),
    ("总部位于苏州的星云生物与辉瑞", "星云生物", "CN"),
])
def test_unknown_companies_by_pattern(text: str, name: str, country: str) -> None:
    found = [(h.name, h.country) for h in find_companies(company_index(), text) if h.company_id is None]
    assert (name, country) in found


@pytest.mark.parametrize("text", [
    "Hong Kong Exchanges and Clearing Limited take no responsibility",
    "中国创新药企业正在出海",
    "The Phase 3 trial met its endpoint",
])
def test_no_company_invented(text: str) -> None:
    assert [h for h in find_companies(company_index(), text) if h.company_id is None] == []


def test_self_reference_and_short_form() -> None:
    text = "Summit Therapeutics signed with Akeso. Summit will pay. The Company said so."
    hits = find_companies(company_index(), text)
    assert [h.mention for h in hits if h.name == hits[0].name] == ["Summit Therapeutics", "Summit", "The Company"]


@pytest.mark.parametrize(("before", "country"), [("a Shanghai-based ", "CN"), ("总部位于苏州的", "CN"),
                                                 ("the Boston-based ", "US"), ("the ", None)])
def test_infer_country(before: str, country: str | None) -> None:
    assert infer_country(before + "X", len(before)) == country


@pytest.mark.parametrize(("raw", "clean"), [("Acme Therapeutics, Inc.", "Acme Therapeutics"),
                                            ("苏州星云生物科技股份有限公司", "苏州星云生物科技")])
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def unknown(text: str) -> list[tuple[str, str, str | None]]:
    return [(h.mention, h.name, h.country) for h in find_companies(company_index(), text) if h.company_id is None]


# Unknown companies named the way independent writers name them: more corporate words, names glued to Chinese
# text, place words opening the name, and the country the surrounding words give.
@pytest.mark.parametrize(("text", "name", "country"), [
    ("Ardent Ophthalmics, Inc. signed the deal", "Ardent Ophthalmics", None),
    ("Pelham Immunology will pay", "Pelham Immunology", None),
    ("Corla Neuro, a Boston-based biotech, will pay", "Corla Neuro", "US"),
    ("Xiamen Tianyu Biotech Co., Ltd. granted the option", "Xiamen Tianyu Biotech", "CN"),
    ("Fennel Dermatology (NASDAQ: FNDL), the U.S. company, agreed", "Fennel Dermatology", "US"),
    ("Lintel Biotech Co., Ltd., a company organized under the laws of the People's Republic of China, granted",
     "Lintel Biotech", "CN"),
    ("与总部位于美国旧金山的Quarry Immunology签署协议", "Quarry Immunology", "US"),
    ("授权予美国皮肤科新药公司Ostrava Dermatology。", "Ostrava Dermatology", "US"),
    ("新藥公司台灣泓瑞生技股份有限公司昨日宣布", "台灣泓瑞生技", "TW"),
    ("南京明澜生物科技有限公司还有权获得里程碑付款", "南京明澜生物科技", "CN"),
    ("日本桜庭製藥斥資收購", "桜庭製藥", "JP"),  # '日' of 日本 is not a date character here
    ("日本森川製藥斥39億港元收購港川生物\n", "港川生物", "CN"),  # the price and the verb are not the name
    ("授權給日本Kasumi Pharma（霞製藥）。", "Kasumi Pharma", "JP"),
])
def test_unknown_companies_generalise(text: str, name: str, country: str | None) -> None:
    assert (name, country) in [(n, c) for _, n, c in unknown(text)]


@pytest.mark.parametrize("text", [
    "The World Health Organization said",
    "Shanghai Biotech is a growing sector",
    "Duality Biologics (Suzhou) Co. Ltd. and BioNTech signed",
    "美国生物科技行业正在复苏",
])
def test_no_company_from_place_or_legal_words(text: str) -> None:
    assert all(n not in ("World Health", "Shanghai Biotech", "Co.", "Co. Ltd.") for _, n, _ in unknown(text))


def test_a_name_made_of_trade_words_is_no_company() -> None:
    """The tail of a name the patterns could not see whole ('--Ulmera Therapeutics AG') is not a company."""
    assert "Therapeutics" not in [n for _, n, _ in unknown("WIRE)--Ulmera Therapeutics AG, a clinical-stage company")]


# A short name the text defines for a company refers to it everywhere.
@pytest.mark.parametrize(("text", "alias", "name"), [
    ('Wenling Biotech Co., Ltd. ("Wenling") granted rights. Wenling will receive $5 million.', "Wenling",
     "Wenling Biotech"),
    ("Pavo Neuro (hereinafter \"Pavo\") agreed. Pavo pays.", "Pavo", "Pavo Neuro"),
    ("苏州启明生物科技有限公司（以下简称“启明生物”）宣布。启明生物将获得首付款。", "启明生物", "苏州启明生物科技"),
    ("明德醫藥有限公司公告。本公司一間全資附屬公司（「被授權方」）訂立協議。被授權方將支付首付款。", "被授權方",
     "明德醫藥"),
])
def test_defined_aliases(text: str, alias: str, name: str | None) -> None:
    hits = find_companies(company_index(), text)
    used = [h for h in hits if h.mention == alias]
    assert len(used) >= 2 and (name is None or all(h.name == name for h in used))


@pytest.mark.parametrize("text", [
    '本公司之附屬公司瀋陽三生製藥有限責任公司（「瀋陽三生」）與Pfizer Inc.（「輝瑞」）訂立許可協議。輝瑞將支付。',
    'Acme Therapeutics Inc. (the "Agreement") signed. The Agreement runs.',
])
def test_definition_never_steals_a_later_company(text: str) -> None:
    hits = find_companies(company_index(), text)
    assert not any(h.mention == "輝瑞" and h.company_id != "pfizer" for h in hits)
    assert not any(h.mention == "Agreement" for h in hits)


@pytest.mark.parametrize(("text", "short", "full"), [
    ("上海耀华生物医药有限公司今日宣布。耀华生物将获得首付款。", "耀华生物", "上海耀华生物医药"),
    ("杭州泽森生物医药有限公司宣布，泽森生物与Kerris Bio合作。", "泽森生物", "杭州泽森生物医药"),
])
def test_chinese_short_name_joins_full_name(text: str, short: str, full: str) -> None:
    hits = find_companies(company_index(), text)
    assert any(h.mention == short and h.name == full for h in hits)


def test_unrelated_chinese_names_stay_apart() -> None:
    hits = find_companies(company_index(), "上海耀华生物医药有限公司与南京康泰生物宣布合作。")
    assert len({h.name for h in hits}) == 2


@pytest.mark.parametrize(("text", "mention", "name"), [
    ("Novartis bets on RNAi. The Swiss group said it would pay Argo.", "The Swiss group", "Novartis"),
    ("BioNTech will pay $800 million, the Mainz-based company said.", "the Mainz-based company", "BioNTech"),
])
def test_described_company_is_the_last_named_from_there(text: str, mention: str, name: str) -> None:
    assert any(h.mention == mention and h.name == name for h in find_companies(company_index(), text))


def test_description_without_a_named_company_from_there_is_nothing() -> None:
    hits = find_companies(company_index(), "Hengrui said the Swiss group would pay.")
    assert not any(h.mention.startswith("the Swiss") for h in hits)


# A group acquiring a company the registry lists among its subsidiaries: the target is its own party.
@pytest.mark.parametrize(("text", "target"), [
    ("Novartis to buy Tourmaline Bio for $1.4 billion. Tourmaline shares jumped.", "Tourmaline Bio"),
    ("BioNTech拟以最高9.5亿美元收购普米斯生物。", "普米斯生物"),
])
def test_acquired_subsidiary_is_a_party(text: str, target: str) -> None:
    hits = find_companies(company_index(), text)
    assert any(h.name == target and h.company_id is None for h in hits)
    assert any(h.company_id and h.name != target for h in hits)


@pytest.mark.parametrize("text", [
    "Sichuan Biokin said its subsidiary SystImmune will co-develop the drug; BMS may acquire rights later.",
    "三生制药之附属公司沈阳三生与辉瑞订立许可协议，辉瑞将收购股份。",
])
def test_own_subsidiary_stays_with_group(text: str) -> None:
    hits = find_companies(company_index(), text)
    assert all(h.company_id for h in hits if h.subsidiary)


@pytest.mark.parametrize(("text", "name", "country"), [
    ("BioNTech to buy China's Biotheus.", "Biotheus", "CN"),
    ("Novartis licenses Japan's Kestrel Bio drug.", "Kestrel Bio", "JP"),
])
def test_possessive_country(text: str, name: str, country: str) -> None:
    assert any(h.name == name and h.country == country for h in find_companies(company_index(), text))


@pytest.mark.parametrize("text", ["中国AI制药公司与跨国药企签订平台合作", "Novartis bets on Chinese RNAi developer",
                                  "多家MNC公司加码中国"])
def test_technology_words_are_not_companies(text: str) -> None:
    assert not any(h.mention in ("AI", "RNAi", "MNC") for h in find_companies(company_index(), text))


@pytest.mark.parametrize(("text", "name"), [
    ("YT-1102采用耀华生物自主开发的载荷。", "耀华生物"),
    ("公司旗下康泽生物与Lindell Bio合作。", "康泽生物"),
    ("Take Nanjing Kanglin Biotech Co., Ltd., which employs 120 people.", "Nanjing Kanglin Biotech"),
    ("Meet Corla Neuro, a small biotech.", "Corla Neuro"),
])
def test_leading_verbs_are_not_part_of_names(text: str, name: str) -> None:
    assert name in [n for _, n, _ in unknown(text)]


@pytest.mark.parametrize(("text", "short", "name"), [
    ("Nanjing Kanglin Biotech Co., Ltd. signed. Kanglin is eligible for milestones.", "Kanglin",
     "Nanjing Kanglin Biotech"),
    ("Hangzhou Duoyuan Biotech agreed. Duoyuan will receive $10 million.", "Duoyuan", "Hangzhou Duoyuan Biotech"),
])
def test_short_form_skips_the_place_word(text: str, short: str, name: str) -> None:
    assert any(h.mention == short and h.name == name for h in find_companies(company_index(), text))


def test_place_word_alone_is_no_short_form() -> None:
    hits = find_companies(company_index(), "Nanjing Kanglin Biotech signed. Nanjing is a big city.")
    assert not any(h.mention == "Nanjing" for h in hits)


@pytest.mark.parametrize(("text", "first", "second"), [
    ("BioNTech拟收购普米斯生物（Biotheus）。普米斯生物将成为全资子公司，Biotheus员工留任。", "普米斯生物", "Biotheus"),
    ("Lindell Bio 林德生物 signed. 林德生物 will receive $5 million.", "Lindell Bio", "林德生物"),
])
def test_names_in_both_scripts_side_by_side_are_one_company(text: str, first: str, second: str) -> None:
    hits = find_companies(company_index(), text)
    assert len({h.key for h in hits if h.mention in (first, second)}) == 1


def test_two_companies_in_different_scripts_apart_stay_two() -> None:
    hits = find_companies(company_index(), "Lindell Bio与南京康泽生物签署协议。")
    assert len({h.key for h in hits}) == 2


def test_bilingual_name_with_trade_words_between() -> None:
    hits = find_companies(company_index(), "BioNTech同意收購珠海普米斯生物技術（Biotheus）全部股權。Biotheus將成為子公司。")
    assert len({h.key for h in hits if h.mention in ("普米斯生物", "Biotheus")}) == 1


# Names without a corporate word, introduced by a listing code or a "X, a … biotech" apposition.
@pytest.mark.parametrize(("text", "name"), [
    ("Kestrel (NASDAQ: KSTL) will pay $45 million.", "Kestrel"),
    ("Candid, a clinical-stage biopharmaceutical company, said", "Candid"),
    ("Halvern, a Boston-based biotech, will pay.", "Halvern"),
    ("公司与Corvant（纳斯达克：CRVT）订立协议", "Corvant"),
])
def test_introduced_names(text: str, name: str) -> None:
    assert name in [n for _, n, _ in unknown(text)]


@pytest.mark.parametrize("text", ["In March, a company said it would cut jobs.", "On Monday, a Boston biotech said",
                                  "However, a startup could still win.", "The FDA (NASDAQ: none) said"])
def test_clause_openers_are_not_introduced_names(text: str) -> None:
    assert unknown(text) == []


@pytest.mark.parametrize(("text", "mention", "name"), [
    ("Take Nanjing Kanglin Biotech Co., Ltd., a small firm. Last Tuesday the company agreed to license KL-107.",
     "the company", "Nanjing Kanglin Biotech"),
    ("南京康泽生物科技有限公司成立于2019年。该公司已完成B轮融资。", "该公司", "南京康泽生物科技"),
])
def test_the_company_is_the_company_named_just_before(text: str, mention: str, name: str) -> None:
    assert any(h.mention == mention and h.name == name for h in find_companies(company_index(), text))


def test_the_company_far_from_any_name_is_nobody() -> None:
    text = "Hengrui signed. " + "Filler words. " * 40 + "The trial showed the company had data."
    assert not any(h.mention == "the company" for h in find_companies(company_index(), text))


@pytest.mark.parametrize(("text", "name", "country"), [
    ("杭州泽森生物与Northway Neuro签约", "Northway Neuro", None),
    ("总部位于美国旧金山的Northway Neuro签约", "Northway Neuro", "US"),
])
def test_place_before_a_conjunction_does_not_place_the_next_name(text: str, name: str, country: str | None) -> None:
    assert (name, country) in [(n, c) for _, n, c in unknown(text)]


def test_longest_chinese_form_names_the_company() -> None:
    hits = find_companies(company_index(), "杭州泽森生物与X签约。杭州泽森生物科技有限公司宣布。")
    assert {h.name for h in hits if "泽森" in h.mention} == {"杭州泽森生物科技"}


# A Chinese name without a trade word, right after a describing noun.
@pytest.mark.parametrize(("text", "name", "country"), [
    ("苏州生物科技公司明澜康泰与美国Ardent Bio达成协议", "明澜康泰", "CN"),
    ("美国生物科技公司凯瑞斯与恒瑞医药签署协议", "凯瑞斯", "US"),
    ("創新藥企星漢智藥宣布完成融資", "星漢智藥", "CN"),
])
def test_chinese_names_after_a_describing_noun(text: str, name: str, country: str) -> None:
    assert (name, country) in [(n, c) for _, n, c in unknown(text)]


@pytest.mark.parametrize("text", ["跨国药企纷纷与中国药企合作", "多家药企正在寻求出海", "国内药企今年已达成多笔交易",
                                  "頭部藥企陸續與海外公司簽署協議"])
def test_describing_noun_without_a_name(text: str) -> None:
    assert unknown(text) == []


@pytest.mark.parametrize(("text", "name", "country"), [
    ("台灣新藥公司泰宇生技簽署授權協議", "泰宇生技", "TW"),
    ("美國藥廠凱瑞斯生技與公司簽約", "凱瑞斯生技", "US"),
])
def test_taiwan_company_words_place_the_name(text: str, name: str, country: str) -> None:
    assert (name, country) in [(n, c) for _, n, c in unknown(text)]


@pytest.mark.parametrize(("text", "mention"), [
    ("Ascentage Pharma call transcript. CFO: Takeda paid us US$100 million for an option.", "us"),
    ("Ascentage Pharma call transcript. If Takeda exercises, we are eligible for up to US$1.2 billion.", "we"),
    ("亚盛医药业绩会。我们将获得1亿美元首付款。", "我们"),
])
def test_first_person_deal_wording_is_the_issuer(text: str, mention: str) -> None:
    hits = find_companies(company_index(), text)
    assert any(h.mention == mention and h.key == hits[0].key for h in hits)


@pytest.mark.parametrize("text", ["Ascentage Pharma call. We think the market is large.",
                                  "Ascentage Pharma call. Let us move on to the next question."])
def test_first_person_without_deal_wording_is_nobody(text: str) -> None:
    assert not any(h.mention.lower() in ("we", "us") for h in find_companies(company_index(), text))


# "生物科技股X" / "biotech stock X": a sector label before a name is not a company; "X股价" still names X.
@pytest.mark.parametrize(("text", "expected"), [
    ("本地生物科技股港晴生物昨日公布授權協議。", ["港晴生物"]),
    ("生物科技股安澜生物今日宣布授权协议。", ["安澜生物"]),
    ("安澜生物股价大涨。", ["安澜生物"]),
    ("安澜生物股东大会通过决议。", ["安澜生物"]),
    ("Local biotech stock Halvern Bio said it licensed the drug.", ["Halvern Bio"]),
    ("Halvern Bio stock rose after the deal.", ["Halvern Bio"]),
])
def test_sector_stock_label_is_no_company(text: str, expected: list[str]) -> None:
    assert [m for m, _, _ in unknown(text)] == expected


# A dateline right after a name ("X12月1日宣布") ends the name; a bare number after a trade word does not.
@pytest.mark.parametrize(("text", "expected"), [
    ("广州安澜生物12月1日宣布签署许可协议。", ["广州安澜生物"]),
    ("港晴生物3月5日公布授權協議。", ["港晴生物"]),
    ("安澜生物1号楼投入使用。", []),
    ("Halvern Bio on Dec. 1 said it signed a license.", ["Halvern Bio"]),
])
def test_date_right_after_a_chinese_name(text: str, expected: list[str]) -> None:
    assert [m for m, _, _ in unknown(text)] == expected


# A full word ending in a full stop ends a sentence, so a name never runs across it; "Corp." and "Co." stay inside.
@pytest.mark.parametrize(("text", "expected"), [
    ("Kestrel and Yunding. Kestrel Immunology, a Boston startup, licensed rights.", ["Kestrel", "Kestrel Immunology"]),
    ("Acme Pharma Co. Ltd. signed the deal.", ["Acme Pharma Co. Ltd."]),
    ("瑞安与港晴。港晴生物将获得首付款。", ["港晴生物"]),
])
def test_english_name_never_spans_a_sentence_end(text: str, expected: list[str]) -> None:
    assert [m for m, _, _ in unknown(text)] == expected


# A security named after a country ("American Depositary Share", "美国存托股") is not a company.
@pytest.mark.parametrize(("text", "expected"), [
    ("The buyer will pay $10.00 per American Depositary Share at closing.", []),
    ("The buyer pays $2.00 per share, or $10.00 per American Depositary Shares, to Halvern Bio.", ["Halvern Bio"]),
    ("对价为每股美国存托股10美元，安澜生物股东将收取现金。", ["安澜生物"]),
    ("American biotech Halvern Bio will pay the fee.", ["Halvern Bio"]),
])
def test_depositary_shares_are_no_company(text: str, expected: list[str]) -> None:
    assert [m for m, _, _ in unknown(text)] == expected


# Nordic and other European legal forms (A/S, ASA, Oy, SE) end a name: "X A/S" and "X" are one company.
@pytest.mark.parametrize(("text", "mention", "name"), [
    ("Nordvik Therapeutics A/S said it signed.", "Nordvik Therapeutics A/S", "Nordvik Therapeutics"),
    ("丹麦Nordvik Therapeutics A/S与苏州安澜生物签署许可协议。", "Nordvik Therapeutics A/S", "Nordvik Therapeutics"),
    ("Halvern Bio SE signed the deal.", "Halvern Bio SE", "Halvern Bio"),
])
def test_european_legal_forms_end_a_name(text: str, mention: str, name: str) -> None:
    assert (mention, name) in [(m, n) for m, n, _ in unknown(text)]


@pytest.mark.parametrize(("raw", "clean"), [
    ("Halvern Bio Oy", "Halvern Bio"), ("Kestrel Pharma ASA", "Kestrel Pharma"), ("Absolute Bio", "Absolute Bio"),
    ("Oyster Pharma", "Oyster Pharma"), ("Sesen Bio", "Sesen Bio"),
])
def test_legal_form_letters_inside_a_word_stay(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


# "The autoimmune-focused biotech has in-licensed…": a described "the … biotech" is the company named just before.
@pytest.mark.parametrize(("text", "mention"), [
    ("Halvern Bio is shopping again. The autoimmune-focused biotech has in-licensed an antibody.",
     "The autoimmune-focused biotech"),
    ("Halvern Bio is shopping again. Later the clinical-stage company in-licensed an antibody.",
     "the clinical-stage company"),
    ("港晴生物宣布再度出手。该公司已引进一款抗体。", "该公司"),
])
def test_described_anaphor_is_the_company_before(text: str, mention: str) -> None:
    assert mention in [m for m, n, _ in names(text) if n in ("Halvern Bio", "港晴生物")]


def test_described_anaphor_without_a_company_before_is_nobody() -> None:
    assert names("The autoimmune-focused biotech has in-licensed an antibody.") == []


@pytest.mark.parametrize(("text", "brand", "legal"), [
    ("Ivybridge signed with Dalian Haiyun Biotech Co., Ltd., which does business as Candora Bio, for HY-1208.",
     "Candora Bio", "Dalian Haiyun Biotech"),
    ("Kastell will buy Chengdu Jingyao Biotech Co., Ltd., which operates internationally as Alderpoint Bio.",
     "Alderpoint Bio", "Chengdu Jingyao Biotech"),
    ("Kastell closed its purchase of Chengdu Jingyao Biotech Co., Ltd. (Alderpoint Bio) today.",
     "Alderpoint Bio", "Chengdu Jingyao Biotech"),
])
def test_a_trade_name_the_text_gives_is_the_same_company(text: str, brand: str, legal: str) -> None:
    hits = {h.mention: h.key for h in find_companies(company_index(), text)}
    legal_mention = next(m for m in hits if m.startswith(legal))
    assert hits[brand] == hits[legal_mention]


def test_two_trade_name_statements_keep_one_name_for_the_company() -> None:
    """'Alderpoint Bio' first, then 'Jingyao, which operates as Alderpoint Bio': one identity, not swapped."""
    text = ("Kastell to acquire Alderpoint Bio (Chengdu Jingyao Biotech Co., Ltd.)\n"
            "Kastell will buy Chengdu Jingyao Biotech Co., Ltd., which operates internationally as Alderpoint Bio.")
    assert len({h.key for h in find_companies(company_index(), text) if not h.mention.startswith("Kastell")}) == 1


def test_a_japanese_kabushiki_kaisha_name_and_its_english_name_are_one_company() -> None:
    text = "公司与日本嵯峨野制药株式会社（Sagano Pharmaceutical Co., Ltd.，以下简称“嵯峨野制药”）签署许可协议。"
    hits = {h.mention: (h.key, h.country) for h in find_companies(company_index(), text)}
    assert hits["嵯峨野制药株式会社"][0] == hits["Sagano Pharmaceutical Co., Ltd."][0]
    assert hits["嵯峨野制药株式会社"][1] == "JP"


def test_a_title_case_headline_does_not_invent_companies() -> None:
    text = ("Pellucid Therapeutics Launches with $300 Million Series A to Develop Incretin Medicines\n\n"
            "Pellucid Therapeutics will develop two incretin medicines licensed from Suzhou Xinghe Biopharma.")
    assert "Develop Incretin Medicines" not in {h.name for h in find_companies(company_index(), text)}


@pytest.mark.parametrize(("text", "name"), [
    ("Boston biotech Sorvane Therapeutics is paying Nanjing Lanpai $65 million upfront.", "Nanjing Lanpai"),
    ("财联社电，和屿医药（02593.HK）午间公告，与日本如月制药达成独家许可协议。", "和屿医药"),
    ("财联社电，和屿医药午间公告，与日本如月制药达成独家许可协议。", "如月制药"),
])
def test_names_with_a_city_only_or_a_stop_character_inside(text: str, name: str) -> None:
    assert name in {h.name for h in find_companies(company_index(), text)}


@pytest.mark.parametrize("text", ["It opened a plant in Suzhou Industrial Park last year.",
                                  "Shares rose on the Shanghai Stock Exchange."])
def test_a_city_before_an_ordinary_word_is_no_company(text: str) -> None:
    assert not [h for h in find_companies(company_index(), text) if h.company_id is None]


def test_an_english_name_and_its_trade_word_form_are_one_company_in_a_text() -> None:
    text = "Suzhou Kangrui Biopharmaceutical licensed KR-0901. Suzhou Kangrui will receive $10 million upfront."
    assert len({h.key for h in find_companies(company_index(), text)}) == 1


@pytest.mark.parametrize(("text", "name"), [
    ("公司已与美国纳斯达克上市公司Aurelis达成独家许可协议。", "Aurelis"),
    ("公司与德国药企Valtheim达成协议。", "Valtheim"),
    ("授予美国新成立的生物技术公司Cobaltine。", "Cobaltine"),
])
def test_a_latin_name_after_a_chinese_describing_noun_is_a_company(text: str, name: str) -> None:
    assert name in {h.name for h in find_companies(company_index(), text)}


@pytest.mark.parametrize("text", ["公司AI平台", "公司BD团队", "药企GLP-1管线"])
def test_a_latin_term_after_a_describing_noun_is_no_company(text: str) -> None:
    assert not [h for h in find_companies(company_index(), text) if h.company_id is None]


def test_listed_under_another_name_is_the_same_company() -> None:
    text = ("Aurelis pays Driftmoor Therapeutics $45 million. Driftmoor, which is listed in Hong Kong under the name "
            "Hangzhou Tuolan Biopharmaceutical, runs the trial.")
    hits = {h.mention: h.key for h in find_companies(company_index(), text)}
    assert hits["Driftmoor"] == hits["Hangzhou Tuolan Biopharmaceutical"]


@pytest.mark.parametrize(("text", "a", "b"), [
    ("Montclair Bio and Ironleaf Therapeutics, the trading name of Chengdu Yuling Pharmaceutical Co., Ltd., signed.",
     "Ironleaf Therapeutics", "Chengdu Yuling Pharmaceutical"),
    ("Vellicor pays Zhenlu Biopharma, the Shanghai drugmaker that markets itself abroad as Solunar Therapeutics.",
     "Zhenlu Biopharma", "Solunar Therapeutics"),
])
def test_more_ways_of_giving_a_trade_name(text: str, a: str, b: str) -> None:
    hits = {h.mention: h.key for h in find_companies(company_index(), text)}
    assert hits[a] == next(k for m, k in hits.items() if m.startswith(b))


def test_a_chinese_statement_of_an_overseas_brand_links_it() -> None:
    text = "4月8日晚间，苏州云栀生物医药（海外品牌名Silvercove Bio）公告称，将双抗授予Ravelle Therapeutics。"
    hits = {h.mention: h.key for h in find_companies(company_index(), text)}
    assert hits["Silvercove Bio"] == next(k for m, k in hits.items() if m.startswith("苏州云栀"))


def test_a_name_with_its_city_in_front_is_the_same_company() -> None:
    text = "Shanghai Zhenlu Biopharma granted Vellicor rights. Zhenlu Biopharma will receive $65 million upfront."
    assert len({h.key for h in find_companies(company_index(), text) if h.name.endswith("Biopharma")}) == 1
