"""Company names fold to one key whatever the case, width, punctuation or legal suffix."""
from __future__ import annotations

import pytest

from pharmadeals.pipeline.normalize.companies import normalise_name


@pytest.mark.parametrize("a, b", [
    ("Jiangsu Hengrui Pharmaceuticals Co., Ltd.", "JIANGSU HENGRUI PHARMACEUTICALS"),
    ("Akeso, Inc.", "Akeso"),
    ("ＧＳＫ plc", "GSK"),
    ("Sino Biopharmaceutical Limited", "Sino Biopharmaceutical"),
    ("江苏恒瑞医药股份有限公司", "江苏恒瑞医药"),
    ("三生制药集团", "三生制药"),
    ("Zai Lab Holdings Co., Ltd.", "Zai Lab"),
])
def test_same_company_same_key(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize("a, b", [("Merck & Co.", "Merck KGaA"), ("恒瑞医药", "翰森制药"), ("Roche", "Rocket")])
def test_different_companies_different_keys(a: str, b: str) -> None:
    assert normalise_name(a) != normalise_name(b)
