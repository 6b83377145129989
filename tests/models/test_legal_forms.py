"""The one table of legal forms and the one routine that cuts them, as each caller uses it."""
from __future__ import annotations

import pytest

from pharmadeals.extractors.parties import clean_name
from pharmadeals.extractors.registry import strip_legal_suffix
from pharmadeals.models.legal_forms import is_legal_form, legal_words, strip_legal_forms
from pharmadeals.pipeline.normalize.companies import normalise_name
from pharmadeals.pipeline.normalize.romanise import english_words


@pytest.mark.parametrize("name, stripped", [
    ("Jiangsu Hengrui Pharmaceuticals Co., Ltd.", "Jiangsu Hengrui Pharmaceuticals"),
    ("Daiichi Sankyo Co. Ltd", "Daiichi Sankyo"),
    ("GSK plc", "GSK"),
    ("Akeso, Inc.", "Akeso"),
    ("Eli Lilly and Company", "Eli Lilly"),
    ("Novo Nordisk A/S", "Novo Nordisk"),
    ("Sanofi S.A.", "Sanofi"),
    ("Sanofi SA", "Sanofi"),
    ("Recordati S.p.A.", "Recordati"),
    ("Roche Holding AG", "Roche Holding"),
    ("上海恒润达生生物科技股份有限公司", "上海恒润达生生物科技"),
    ("中国生物制药集团", "中国生物制药"),
    ("恒瑞公司", "恒瑞"),
    ("Kestrel Bio", "Kestrel Bio"),          # nothing to cut
    ("Corvant Therapeutics", "Corvant Therapeutics"),
    ("Inc.", "Inc."),                        # never cut to nothing
    ("Seaside", "Seaside"),                  # a form must stand as its own word: no 'Seasi'
    ("Merck & Co.", "Merck & Co."),          # these forms tell two Mercks apart
    ("Merck KGaA", "Merck KGaA"),
])
def test_strip_legal_forms(name: str, stripped: str) -> None:
    assert strip_legal_forms(name) == stripped


def test_group_words_only_when_asked_and_repeated_cuts() -> None:
    assert strip_legal_forms("CSPC Holdings Co., Ltd.") == "CSPC Holdings"
    assert strip_legal_forms("CSPC Holdings Co., Ltd.", groups=True) == "CSPC"
    assert strip_legal_forms("恒瑞集团", min_left=3) == "恒瑞集团"  # too short a rest for a display name
    assert strip_legal_forms("恒瑞集团") == "恒瑞"


@pytest.mark.parametrize("text, verdict", [("Ltd.", True), ("co ltd", True), ("有限公司", True), ("AG", True),
                                           ("Hengrui", False), ("Bio", False)])
def test_is_legal_form(text: str, verdict: bool) -> None:
    assert is_legal_form(text) is verdict


def test_every_caller_uses_the_same_forms() -> None:
    """Display names, registry keys, alias keys and word comparison all drop the same legal form."""
    assert clean_name("Kailera Therapeutics, Inc.") == "Kailera Therapeutics"
    assert strip_legal_suffix("kailera therapeutics inc") == "kailera therapeutics"
    assert normalise_name("Kailera Therapeutics, Inc.") == normalise_name("Kailera Therapeutics")
    assert english_words("Kailera Therapeutics Inc") == english_words("Kailera Therapeutics")
    assert {"co", "ltd", "inc", "plc", "gmbh", "kk"} <= legal_words()
    assert "and" not in legal_words()
