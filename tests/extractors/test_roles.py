"""Licensor and licensee from the wording, in English and Chinese, with the country fallback."""
from __future__ import annotations

import pytest

from pharmadeals.extractors.companies import company_index, find_companies
from pharmadeals.extractors.roles import assign_roles, role_votes


def licensor_licensee(sentence: str) -> tuple[str, str, bool]:
    hits = find_companies(company_index(), sentence)
    distinct = list({h.key: h for h in hits}.values())
    a, b = distinct[0], distinct[1]
    licensor, licensee, decided = assign_roles(a, b, role_votes(sentence, hits))
    return licensor.name, licensee.name, decided


@pytest.mark.parametrize(("sentence", "licensor", "licensee"), [
    ("Hengrui granted GSK an exclusive license to HRS-9821.", "Jiangsu Hengrui Pharmaceuticals", "GSK"),
    ("GSK in-licenses HRS-9821 from Hengrui.", "Jiangsu Hengrui Pharmaceuticals", "GSK"),
    ("Pfizer acquires global rights to 3SBio's SSGJ-707.", "3SBio", "Pfizer"),
    ("Zai Lab obtains exclusive rights in Greater China to KarXT from Karuna Therapeutics.", "Karuna Therapeutics",
     "Zai Lab"),
    ("Sino Biopharmaceutical agreed to acquire LaNova Medicines.", "LaNova Medicines", "Sino Biopharmaceutical"),
    ("Summit Therapeutics will pay Akeso $500 million upfront.", "Akeso", "Summit Therapeutics"),
    ("恒瑞医药将HRS-9821的独家权利有偿许可给葛兰素史克。", "Jiangsu Hengrui Pharmaceuticals", "GSK"),
    ("再鼎医药与Karuna Therapeutics达成许可协议，获得KarXT在大中华区的独家权利。", "Karuna Therapeutics", "Zai Lab"),
    ("默沙东将向恒瑞医药支付2亿美元首付款。", "Jiangsu Hengrui Pharmaceuticals", "Merck & Co."),
    ("中国生物制药宣布收购礼新医药。", "LaNova Medicines", "Sino Biopharmaceutical"),
    ('The agreement between Zai Lab ("Licensor") and GSK ("Licensee") was signed.', "Zai Lab", "GSK"),
    ("辉瑞（以下简称“许可方”）与再鼎医药（以下简称“被许可方”）签署协议。", "Pfizer", "Zai Lab"),
    ("Biohaven in-licensed the rights to SHR-0302 from Jiangsu Hengrui Medicine Co.", "Jiangsu Hengrui Pharmaceuticals",
     "Biohaven"),
    ("科伦博泰向默沙东授予一款ADC的独家权利。", "Sichuan Kelun-Biotech", "Merck & Co."),
    ("Novartis hands back tislelizumab rights to BeiGene.", "BeOne Medicines", "Novartis"),
    ("BMS and BioNTech agreed to co-develop BNT327, with BioNTech receiving $1.5 billion upfront.", "BioNTech",
     "Bristol Myers Squibb"),
    ("诺华将替雷利珠单抗的权利交还给百济神州。", "BeOne Medicines", "Novartis"),
    ("葛兰素史克将获得恒瑞医药HRS-9821的全球权益。", "Jiangsu Hengrui Pharmaceuticals", "GSK"),
    ("GSK's deal with Hengrui covers HRS-9821, and GSK will pay upfront.", "Jiangsu Hengrui Pharmaceuticals", "GSK"),
    # families seen in the real-news corpus (tests/corpora/realnews), each in new words
    ("三生製藥與輝瑞簽訂獨家許可協議，授權輝瑞在全球開發SSGJ-707，三生製藥保留中國權利。", "3SBio", "Pfizer"),
    ("Ascentage said it will receive a license fee of $100 million from Takeda.", "Ascentage Pharma", "Takeda"),
    ("Roche struck a $1 billion deal with China's MediLink, gaining exclusive rights to YL211.", "MediLink Therapeutics",
     "Roche"),
    ("阿斯利康宣布與中國石藥集團 (CSPC Pharmaceuticals) 簽訂協議，取得多款藥物的海外權利。", "CSPC Pharmaceutical Group",
     "AstraZeneca"),
])
def test_roles_from_wording(sentence: str, licensor: str, licensee: str) -> None:
    assert licensor_licensee(sentence)[:2] == (licensor, licensee)


@pytest.mark.parametrize(("sentence", "licensor", "licensee"), [
    ("GSK and Hengrui signed an agreement.", "Jiangsu Hengrui Pharmaceuticals", "GSK"),
    ("葛兰素史克与恒瑞医药签署协议。", "Jiangsu Hengrui Pharmaceuticals", "GSK"),
])
def test_silent_wording_falls_back_to_chinese_licensor(sentence: str, licensor: str, licensee: str) -> None:
    assert licensor_licensee(sentence) == (licensor, licensee, False)


# A terminated deal: the company that regains the rights was the licensor.
@pytest.mark.parametrize(("sentence", "licensor", "licensee"), [
    ("Trevara Bio will regain all rights to targets validated in Boehringer Ingelheim's labs.", "Trevara Bio",
     "Boehringer Ingelheim"),
    ("恒瑞医药将收回德国默克的相关权益。", "Jiangsu Hengrui Pharmaceuticals", "Merck KGaA"),
    ("Boehringer Ingelheim will pay Trevara Bio $5 million.", "Trevara Bio", "Boehringer Ingelheim"),
])
def test_regaining_rights_marks_the_licensor(sentence: str, licensor: str, licensee: str) -> None:
    assert licensor_licensee(sentence)[:2] == (licensor, licensee)


# Traditional-Chinese objects ('與美國X') and Taiwan's money words ('取得簽約金') in both directions.
@pytest.mark.parametrize(("sentence", "licensor", "licensee"), [
    ("藥華醫藥今日宣布，與美國Orion Health簽署授權協議，授予其北美地區權利，取得簽約金2,000萬美元。", "PharmaEssentia",
     "Orion Health"),
    ("Orion Health與藥華醫藥簽署協議，藥華醫藥將支付簽約金2,000萬美元。", "Orion Health", "PharmaEssentia"),
])
def test_traditional_chinese_wording(sentence: str, licensor: str, licensee: str) -> None:
    assert licensor_licensee(sentence)[:2] == (licensor, licensee)


def test_company_named_as_owner_after_obtain_is_an_object() -> None:
    sentence = "美商Helio Therapeutics與台灣新藥公司泰宇生技簽署授權協議，泰宇生技取得Helio產品在台灣的獨家權利，將支付簽約金300萬美元。"
    assert licensor_licensee(sentence)[:2] == ("Helio Therapeutics", "泰宇生技")


@pytest.mark.parametrize(("sentence", "licensor", "licensee"), [
    ("Avenzo Therapeutics' CDK2 grab from Allorion Therapeutics: a $1B bet", "Allorion Therapeutics",
     "Avenzo Therapeutics"),
    ("Sagrada Bio buys ex-China rights to a GLP-1 pill from Velora Therapeutics.", "Velora Therapeutics",
     "Sagrada Bio"),
])
def test_headline_verbs_taking_from_a_licensor(sentence: str, licensor: str, licensee: str) -> None:
    assert licensor_licensee(sentence)[:2] == (licensor, licensee)


# "licensed X from Czech company Y" / "从日本公司Y引进": a home word and describing noun after 'from' keep Y the licensor.
@pytest.mark.parametrize(("sentence", "votes"), [
    ("London's Halvern Bio licensed an oral inhibitor from Czech company Kestrel Bio.", {"kestrel bio": 2}),
    ("Halvern Bio licensed the antibody from Boston biotech Kestrel Bio.", {"kestrel bio": 2}),
    ("恒瑞医药从美国公司辉瑞引进该抗体的权益。", {"pfizer": 2}),
    ("Halvern Bio licensed the antibody to Boston biotech Kestrel Bio.", {}),
    ("Halvern Bio sold a plant from its Boston site, a company statement said, and Kestrel Bio bought it.", {}),
])
def test_from_a_described_company_marks_the_licensor(sentence: str, votes: dict[str, int]) -> None:
    got = role_votes(sentence, find_companies(company_index(), sentence))
    assert {k: v for k, v in got.items() if v > 0} == votes
