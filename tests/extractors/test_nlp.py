"""The spaCy pipelines: jieba keeps registry names and drug codes whole, sentences split where they should."""
from __future__ import annotations

import pytest

from pharmadeals.extractors.nlp import ASSET_SPANS, COMPANIES_ATTR, pipeline


@pytest.mark.parametrize("word", ["百利天恒", "百时美施贵宝", "三生制药", "SSGJ-707"])
def test_zh_tokens_stay_whole(word: str) -> None:
    doc = pipeline("zh")("百利天恒与百时美施贵宝合作，三生制药将SSGJ-707授权给辉瑞。")
    assert word in [t.text for t in doc]


@pytest.mark.parametrize(("lang", "text", "sentences"), [
    ("zh", "康方生物（9926.HK）宣布达成协议。首付款5亿美元；里程碑45亿美元！", 3),
    ("zh", "公司与Vor Biopharma Inc.（以下简称\"Vor Bio\"）签署许可协议。", 1),
    ("en", "Hansoh signed with GlaxoSmithKline Intellectual Property (No. 4) Limited. GSK will pay.", 2),
    ("en", "Title line\n\nMerck & Co., Inc. and Pfizer Inc. agreed. It is done.", 3),
])
def test_sentences(lang: str, text: str, sentences: int) -> None:
    assert len(list(pipeline(lang)(text).sents)) == sentences


def test_entities_and_assets() -> None:
    doc = pipeline("en")("Hengrui granted GSK rights to HRS-9821.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [("Hengrui", "ORG", "hengrui"), ("GSK", "ORG", "gsk")]
    assert [s.text for s in doc.spans[ASSET_SPANS]] == ["HRS-9821"]
    assert len(doc._.get(COMPANIES_ATTR)) == 2


def test_pipelines_load_once() -> None:
    assert pipeline("en") is pipeline("en") and pipeline("zh") is pipeline("zh")
