"""Deal model from cue words in both languages."""
from __future__ import annotations

import pytest

from extractors.deal_type import classify_deal


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
