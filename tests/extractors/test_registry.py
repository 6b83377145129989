"""Tests for the company registry: bundled data coverage, alias resolution and file validation."""
from __future__ import annotations

from pathlib import Path

import pytest

from pharmadeals.extractors.registry import (
    AMBIGUOUS_ALIASES,
    DATA_FILE,
    RegistryError,
    get_registry,
    is_chinese,
    load_registry,
    normalize_alias,
    normalize_ticker,
)
from pharmadeals.models.errors import EXIT_CONFIG

# Every company of the dev corpus deal table: canonical name, English mentions, Chinese mentions.
DEAL_COMPANIES = [
    ("Jiangsu Hengrui Pharmaceuticals", ["Hengrui", "Jiangsu Hengrui Medicine Co., Ltd."], ["恒瑞医药", "恆瑞醫藥"]),
    ("GSK", ["GSK", "GlaxoSmithKline"], ["葛兰素史克", "葛蘭素史克"]),
    ("3SBio", ["3SBio", "3SBio Inc."], ["三生制药", "三生製藥"]),
    ("Pfizer", ["Pfizer", "Pfizer Inc."], ["辉瑞", "輝瑞"]),
    ("Innovent Biologics", ["Innovent", "Innovent Biologics, Inc."], ["信达生物", "信達生物"]),
    ("Takeda", ["Takeda", "Takeda Pharmaceutical Company Limited"], ["武田", "武田制药"]),
    ("Merck & Co.", ["Merck & Co.", "MSD", "Merck"], ["默沙东", "默沙東"]),
    ("Kailera Therapeutics", ["Kailera Therapeutics", "Hercules CM NewCo"], []),
    ("Hansoh Pharmaceutical", ["Hansoh", "Hansoh Pharmaceutical Group Co., Ltd."], ["翰森制药", "翰森製藥"]),
    ("Regeneron", ["Regeneron", "Regeneron Pharmaceuticals"], ["再生元"]),
    ("CSPC Pharmaceutical Group", ["CSPC", "CSPC Pharmaceutical Group Limited"], ["石药集团", "石藥集團"]),
    ("AstraZeneca", ["AstraZeneca", "AstraZeneca PLC"], ["阿斯利康"]),
    ("Sichuan Biokin Pharmaceutical", ["Biokin", "SystImmune"], ["百利天恒", "百利天恆"]),
    ("Bristol Myers Squibb", ["Bristol-Myers Squibb", "BMS"], ["百时美施贵宝", "百時美施貴寶"]),
    ("Harbour BioMed", ["Harbour BioMed", "HBM Holdings"], ["和铂医药", "和鉑醫藥"]),
    ("LaNova Medicines", ["LaNova", "LaNova Medicines Limited"], ["礼新医药", "禮新醫藥"]),
    ("Roche", ["Roche", "F. Hoffmann-La Roche Ltd"], ["罗氏", "羅氏"]),
    ("IDEAYA Biosciences", ["IDEAYA", "Ideaya Biosciences"], []),
    ("Simcere Pharmaceutical", ["Simcere", "Simcere Pharmaceutical Group"], ["先声药业", "先聲藥業"]),
    ("AbbVie", ["AbbVie", "AbbVie Inc."], ["艾伯维", "艾伯維"]),
    ("RemeGen", ["RemeGen", "RemeGen Co., Ltd."], ["荣昌生物", "榮昌生物"]),
    ("Vor Bio", ["Vor Bio", "Vor Biopharma"], []),
    ("Mabwell Bioscience", ["Mabwell", "Mabwell (Shanghai) Bioscience Co., Ltd."], ["迈威生物", "邁威生物"]),
    ("Calico Life Sciences", ["Calico Life Sciences", "Calico Life Sciences LLC"], []),
    ("The United Laboratories International", ["The United Laboratories", "TUL"], ["联邦制药", "聯邦製藥"]),
    ("Novo Nordisk", ["Novo Nordisk", "Novo Nordisk A/S"], ["诺和诺德", "諾和諾德"]),
    ("Earendil Labs", ["Earendil Labs", "Helixon"], ["圆壹智慧", "圓壹智慧"]),
    ("Sanofi", ["Sanofi", "Sanofi S.A."], ["赛诺菲", "賽諾菲"]),
    ("HUTCHMED", ["HUTCHMED", "Hutchison China MediTech"], ["和黄医药", "和黃醫藥"]),
    ("Akeso", ["Akeso", "Akeso, Inc."], ["康方生物"]),
    ("Summit Therapeutics", ["Summit Therapeutics", "Summit Therapeutics Inc."], []),
    ("Duality Biologics", ["DualityBio", "Duality Biologics"], ["映恩生物"]),
    ("BioNTech", ["BioNTech", "BioNTech SE"], ["百欧恩泰"]),
    ("Sichuan Kelun-Biotech", ["Kelun-Biotech", "Kelun Biotech"], ["科伦博泰", "科倫博泰"]),
    ("Sino Biopharmaceutical", ["Sino Biopharm", "Sino Biopharmaceutical Limited"], ["中国生物制药", "中國生物製藥"]),
    ("Karuna Therapeutics", ["Karuna Therapeutics", "Karuna"], []),
    ("Zai Lab", ["Zai Lab", "Zai Lab Limited"], ["再鼎医药", "再鼎醫藥"]),
    ("Braveheart Bio", ["Braveheart Bio"], []),
]

ALIAS_TABLE = [
    # traditional and full-width forms
    ("江蘇恒瑞醫藥股份有限公司", "Jiangsu Hengrui Pharmaceuticals"),
    ("江苏恒瑞医药股份有限公司", "Jiangsu Hengrui Pharmaceuticals"),
    ("ＧＳＫ", "GSK"),
    ("ｐｆｉｚｅｒ", "Pfizer"),
    ("PFIZER INC", "Pfizer"),
    ("恒瑞医药公司", "Jiangsu Hengrui Pharmaceuticals"),
    ("Akeso Inc", "Akeso"),
    ("嬌生", "Johnson & Johnson"),
    ("Johnson and Johnson", "Johnson & Johnson"),
    ("Eli Lilly", "Eli Lilly"),
    ("Lilly", "Eli Lilly"),
    ("Merck's", "Merck & Co."),
    ("Dr. Reddy's Laboratories", "Dr. Reddy's Laboratories"),
    # subsidiaries resolve to their parent
    ("Shenyang Sunshine Pharmaceutical", "3SBio"),
    ("沈阳三生制药有限责任公司", "3SBio"),
    ("瀋陽三生製藥有限責任公司", "3SBio"),
    ("GlaxoSmithKline Intellectual Property (No.3) Limited", "GSK"),
    ("SystImmune, Inc.", "Sichuan Biokin Pharmaceutical"),
    ("Genentech", "Roche"),
    ("基因泰克", "Roche"),
    ("Janssen", "Johnson & Johnson"),
    ("Celgene", "Bristol Myers Squibb"),
    ("苏州盛迪亚生物医药有限公司", "Jiangsu Hengrui Pharmaceuticals"),
    ("江苏豪森药业集团有限公司", "Hansoh Pharmaceutical"),
    # entries with their own record keep their own name
    ("正大天晴", "Chia Tai Tianqing Pharmaceutical Group"),
    ("Kelun Pharmaceutical", "Sichuan Kelun Pharmaceutical"),
    ("Chugai", "Chugai Pharmaceutical"),
    ("Seagen", "Seagen"),
    # Merck & Co. and Merck KGaA stay apart
    ("Merck KGaA", "Merck KGaA"),
    ("EMD Serono", "Merck KGaA"),
    ("德国默克", "Merck KGaA"),
    ("美国默克", "Merck & Co."),
    ("科兴制药", "Kexing Biopharm"),
    ("北京科兴", "Sinovac Biotech"),
    # tickers in the forms news and filings use
    ("600276.SH", "Jiangsu Hengrui Pharmaceuticals"),
    ("SH600276", "Jiangsu Hengrui Pharmaceuticals"),
    ("600276", "Jiangsu Hengrui Pharmaceuticals"),
    ("1276.HK", "Jiangsu Hengrui Pharmaceuticals"),
    ("01276.HK", "Jiangsu Hengrui Pharmaceuticals"),
    ("HKEX: 1276", "Jiangsu Hengrui Pharmaceuticals"),
    ("(1530.HK)", "3SBio"),
    ("688506.SH", "Sichuan Biokin Pharmaceutical"),
    ("002422.SZ", "Sichuan Kelun Pharmaceutical"),
    ("SZ002422", "Sichuan Kelun Pharmaceutical"),
    ("6990.HK", "Sichuan Kelun-Biotech"),
    ("NASDAQ: ZLAB", "Zai Lab"),
    ("9688.HK", "Zai Lab"),
    ("NYSE: PFE", "Pfizer"),
    ("PFE", "Pfizer"),
    ("0013.HK", "HUTCHMED"),
    ("4502.T", "Takeda"),
    ("TSE: 4502", "Takeda"),
    ("068270.KS", "Celltrion"),
    ("6446.TWO", "PharmaEssentia"),
    ("藥華藥", "PharmaEssentia"),
]

UNRESOLVED = ["默克", "药明", "Bio", "Pharma", "Acme Therapeutics", "", "   ", "999999", "pfe", "Merck Group"]


@pytest.fixture(scope="module")
def registry():
    return get_registry()


def test_counts(registry) -> None:
    companies = registry.companies
    chinese = [c for c in companies if c.is_chinese]
    assert len(companies) >= 300
    assert len(companies) - len(chinese) >= 60
    assert len(chinese) >= 200


def test_registry_is_loaded_once(registry) -> None:
    assert get_registry() is registry


@pytest.mark.parametrize(("canonical", "english", "chinese"), DEAL_COMPANIES, ids=[d[0] for d in DEAL_COMPANIES])
def test_deal_companies_resolve(registry, canonical: str, english: list[str], chinese: list[str]) -> None:
    assert registry.lookup(canonical).name == canonical
    for mention in english + chinese:
        found = registry.lookup(mention)
        assert found is not None and found.name == canonical, mention


@pytest.mark.parametrize(("text", "canonical"), ALIAS_TABLE)
def test_alias_table(registry, text: str, canonical: str) -> None:
    found = registry.lookup(text)
    assert found is not None, text
    assert found.name == canonical


@pytest.mark.parametrize("text", UNRESOLVED)
def test_unresolved(registry, text: str) -> None:
    assert registry.lookup(text) is None


@pytest.mark.parametrize(
    ("child", "group"),
    [("lanova", "sino_biopharm"), ("cttq", "sino_biopharm"), ("karuna", "bms"), ("kelun_biotech", "kelun"),
     ("chugai", "roche"), ("hengrui", "hengrui")],
)
def test_parent_chain(registry, child: str, group: str) -> None:
    assert registry.parent(registry.get(child)).id == group


@pytest.mark.parametrize(
    ("text", "expected"),
    [("600276.SH", "600276.SH"), ("600276.ss", "600276.SH"), ("sh600276", "600276.SH"), ("01276.HK", "1276.HK"),
     ("HKEX: 01276", "1276.HK"), ("HKEX：1276", "1276.HK"), ("1276 HK", "1276.HK"), ("NASDAQ:BGNE", "BGNE.US"),
     ("NOVO-B.CO", "NOVO-B.CO"), ("6446.TWO", "6446.TW"), ("Pfizer", None), ("Eisai Co.", None), ("1276.XX", None)],
)
def test_normalize_ticker(text: str, expected: str | None) -> None:
    assert normalize_ticker(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Merck & Co., Inc.", "merck and co inc"), ("ＧＳＫ　plc", "gsk plc"), ("默沙东（中国）投资有限公司", "默沙东中国投资有限公司"),
     ("三星 Bioepis", "三星bioepis"), ("Dr. Reddy's", "dr reddy"), ("Pfizer’s", "pfizer")],
)
def test_normalize_alias(text: str, expected: str) -> None:
    assert normalize_alias(text) == expected


def test_all_aliases(registry) -> None:
    aliases = registry.all_aliases()
    assert aliases["恒瑞医药"] == "hengrui"
    assert aliases["恆瑞醫藥"] == "hengrui"
    assert aliases["Shenyang Sunshine Pharmaceutical"] == "sansheng"
    assert aliases["Genentech"] == "roche"
    assert not set(aliases) & AMBIGUOUS_ALIASES
    assert "600276.SH" not in aliases  # tickers are looked up, not phrase-matched
    assert len(aliases) > 5 * len(registry.companies)


@pytest.mark.parametrize(("country", "expected"), [("CN", True), ("HK", True), ("tw", True), ("US", False), ("JP", False)])
def test_is_chinese(country: str, expected: bool) -> None:
    assert is_chinese(country) is expected


GOOD = "- {id: alpha, name: Alpha Pharma, country: CN, zh: [阿尔法制药], en: [Alpha], tickers: [1234.HK]}\n"

BAD_FILES = [
    ("duplicate id", GOOD + "- {id: alpha, name: Beta Pharma, country: US}\n", ["duplicate id 'alpha'"]),
    ("shared alias", GOOD + "- {id: beta, name: Beta Pharma, country: US, en: [ALPHA]}\n",
     ["'Alpha'", "'alpha'", "'beta'"]),
    ("shared ticker", GOOD + "- {id: beta, name: Beta Pharma, country: US, tickers: [HKEX:01234]}\n",
     ["ticker '1234.HK'", "'alpha'", "'beta'"]),
    ("unknown country", "- {id: beta, name: Beta Pharma, country: XX}\n", ["unknown country code 'XX'"]),
    ("missing parent", "- {id: beta, name: Beta Pharma, country: US, parent: gamma}\n", ["parent 'gamma'"]),
    ("parent loop", "- {id: a1, name: A One, country: US, parent: b1}\n- {id: b1, name: B One, country: US, parent: a1}\n",
     ["loops"]),
    ("unknown key", "- {id: beta, name: Beta Pharma, country: US, alias: [B]}\n", ["unknown key(s) ['alias']"]),
    ("missing name", "- {id: beta, country: US}\n", ["needs a non-empty 'name'"]),
    ("bad ticker", "- {id: beta, name: Beta Pharma, country: US, tickers: [BETA.ZZ]}\n", ["cannot read ticker 'BETA.ZZ'"]),
    ("ordinary word", "- {id: beta, name: Beta Pharma, country: US, en: [Bio]}\n", ["'Bio' is an ordinary word"]),
    ("unquoted comma", "- {id: beta, name: Beta Pharma, country: CN, subsidiaries: [Beta (Suzhou) Co., Ltd.]}\n",
     ["'Ltd.' is only a legal form"]),
    ("ambiguous", "- {id: beta, name: Beta Pharma, country: DE, zh: [默克]}\n", ["ambiguous"]),
    ("ticker as alias", "- {id: beta, name: Beta Pharma, country: US, en: [600123.SH]}\n", ["looks like a ticker"]),
    ("not a list", "id: beta\nname: Beta\n", ["expected a YAML list"]),
    ("bad yaml", "- {id: beta, name: [unclosed\n", ["not valid YAML"]),
]


@pytest.mark.parametrize(("case", "text", "fragments"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_validation_errors(tmp_path: Path, case: str, text: str, fragments: list[str]) -> None:
    path = tmp_path / f"{case.replace(' ', '_')}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    message = info.value.one_line()
    for fragment in fragments:
        assert fragment in message
    assert info.value.exit_code == EXIT_CONFIG


def test_good_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    registry = load_registry(path)
    assert registry.lookup("阿爾法制藥") is None  # no zh_hant given: traditional needs an explicit form
    assert registry.lookup("阿尔法制药").id == "alpha"
    assert registry.lookup("HKEX: 1234").id == "alpha"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read company registry"):
        load_registry(tmp_path / "nope.yaml")


def test_bundled_file_is_the_default() -> None:
    assert DATA_FILE.name == "companies.yaml" and DATA_FILE.exists()
