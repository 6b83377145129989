"""Deal model from cue words in both languages."""
from __future__ import annotations

import pytest

from pharmadeals.extractors.deal_type import classify_deal


@pytest.mark.parametrize(("text", "deal_type"), [
    ("Hengrui grants GSK an exclusive license to HRS-9821.", "license"),
    ("恒瑞医药与GSK达成独家许可协议。", "license"),
    ("AbbVie gains an exclusive option to license SIM0500.", "option"),
    ("艾伯维获得SIM0500的独家选择权。", "option"),
    ("GSK gets an exclusive license to HRS-9821 plus options on 11 programmes; an exclusive license.", "license"),
    ("The companies will co-develop and co-commercialize BL-B01D1 in the US.", "co_development"),
    ("双方将共同开发并共同商业化该产品。", "co_development"),
    ("Hengrui contributes three GLP-1 assets to a NewCo in exchange for equity.", "newco"),
    ("恒瑞将三款资产的海外权益注入新公司。", "newco"),
    ("The companies formed a joint venture to develop the asset outside China.", "newco"),
    ("双方成立合资公司推进该产品的海外开发。", "newco"),
    ("CSPC and AstraZeneca enter a research collaboration for AI-enabled drug discovery.",
     "research_collaboration"),
    ("石药集团与阿斯利康达成研究合作。", "research_collaboration"),
    ("Sino Biopharmaceutical agreed to acquire LaNova Medicines for about $951 million.", "acquisition"),
    ("中国生物制药以约9.51亿美元收购礼新医药100%股权。", "acquisition"),
    ("Pfizer acquires global rights to SSGJ-707.", "license"),
    ("辉瑞获得SSGJ-707的全球权益。", "license"),
])
def test_deal_type(text: str, deal_type: str) -> None:
    assert classify_deal(text) == deal_type


# Wider wording: Hong Kong press acquisitions, NewCos described as newly created companies or spin-outs, an
# option whose object is a future licence, an outright licence beside a side option, and a generic "new company".
@pytest.mark.parametrize(("text", "deal_type"), [
    ("BioNTech同意收購總部位於珠海的普米斯生物技術（Biotheus）全部股權。", "acquisition"),
    ("BioNTech斥最多9.5億美元收購珠海普米斯", "acquisition"),
    ("drug developers that send assets abroad through newly created US companies", "newco"),
    ("Keymed spins two asthma antibodies into US startup Belenos", "newco"),
    ("Duoyuan granted the Company an exclusive option (the \"Option\") to obtain an exclusive license to DY-301.",
     "option"),
    ("Meridell entered into an Option and License Agreement with Duoyuan.", "option"),
    ("恒瑞将SHR-A1811的权益有偿许可给默克，并授予其SHR-A1904的独家选择权。", "license"),
    ("美国新公司用一轮A轮的钱就能搭起一条管线。药明生物与Candid签署独家许可协议。", "license"),
    ("Pfizer will take a stake in 3SBio and receives an exclusive license.", "license"),
])
def test_deal_type_wider_wording(text: str, deal_type: str) -> None:
    assert classify_deal(text) == deal_type


@pytest.mark.parametrize(("text", "deal_type"), [
    ("董事會認為，透過新公司模式推進海外開發。", "newco"),
    ("Belenos由一家美國投資機構為此項交易專門成立。", "newco"),
    ("該公司去年成立，並與本公司訂立獨家授權協議。", "license"),
])
def test_newco_in_filings(text: str, deal_type: str) -> None:
    assert classify_deal(text) == deal_type


# A licence the partner "may acquire" later is what the option buys, not a licence granted now.
@pytest.mark.parametrize(("text", "deal_type"), [
    ("The biotech entered into an option agreement with a partner under which the partner may acquire an exclusive "
     "license to the drug.", "option"),
    ("双方签署选择权协议，合作方可选择获得独家许可协议项下的全部权利。", "option"),
    ("The partner received an exclusive license to the drug and may buy more rights under a separate option "
     "agreement.", "license"),
    ("合作方与公司签署独家许可协议，并另就两个项目签署选择权协议。", "license"),
])
def test_conditional_license_is_option(text: str, deal_type: str) -> None:
    assert classify_deal(text) == deal_type


# A research agreement, a discovery platform or co-developing not-yet-made "next-generation" drugs is research work.
@pytest.mark.parametrize(("text", "deal_type"), [
    ("The two signed a research collaboration agreement to co-develop oral candidates from the biotech's drug "
     "discovery platform.", "research_collaboration"),
    ("双方签署研究合作协议，将共同开发针对多个靶点的候选药物。", "research_collaboration"),
    ("双方将共同开发新一代多特异性抗体疗法。", "research_collaboration"),
    ("The companies agreed to co-develop the late-stage antibody and split research costs.", "co_development"),
    ("双方将共同开发该三期产品并共同商业化。", "co_development"),
])
def test_research_agreement_beats_co_develop(text: str, deal_type: str) -> None:
    assert classify_deal(text) == deal_type


# "buys out" a partner or "buying X outright" is an acquisition; buying rights to a drug is still a licence.
@pytest.mark.parametrize(("text", "deal_type"), [
    ("The German company buys out its Chinese partner Halvern Bio.", "acquisition"),
    ("Buying Halvern outright hands the company global rights to the antibody.", "acquisition"),
    ("拜恩泰科将全资收购普米斯，获得该双抗的全球权益。", "acquisition"),
    ("The company bought global rights to the antibody outright.", "license"),
    ("辉瑞买下SSGJ-707的全球权益。", "license"),
])
def test_buyout_wording_is_an_acquisition(text: str, deal_type: str) -> None:
    assert classify_deal(text) == deal_type
