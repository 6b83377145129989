"""Territory from the rights wording in both languages."""
from __future__ import annotations

import pytest

from extractors.territory import classify_territory


@pytest.mark.parametrize(("text", "territory"), [
    ("rights to develop HRS-9821 outside Greater China", "ex-China"),
    ("in all territories other than mainland China, Hong Kong, Macau and Taiwan", "ex-China"),
    ("an exclusive worldwide licence, excluding mainland China, Hong Kong, Macau and Taiwan", "ex-China"),
    ("在大中华区以外的独家权利", "ex-China"),
    ("在中国大陆、香港、澳门及台湾以外的全球范围内", "ex-China"),
    ("在全球（不包括中國內地）開發", "ex-China"),
    ("rights in the United States, Canada, Europe and Japan", "regional"),
    ("在美国、加拿大、欧洲和日本的开发和商业化权利", "regional"),
    ("exclusive rights in Greater China", "China"),
    ("获得该药在中国大陆、香港、澳门及台湾地区的独家权益", "China"),
    ("Kyowa Kirin takes U.S. rights to the drug", "regional"),
    ("获得该产品在日本的独家商业化权利", "regional"),
    ("获得该产品在大中华区的独家权益", "China"),
    ("an exclusive global license to HS-10535", "global"),
    ("获得全球独家开发权益", "global"),
    ("Merck, known as MSD outside the United States and Canada, gets an exclusive global license", "global"),
])
def test_territory(text: str, territory: str) -> None:
    assert classify_territory(text) == territory


@pytest.mark.parametrize("text", ["a global pharma company signed a deal", "全球领先的药企", "the Phase 3 trial"])
def test_territory_silent(text: str) -> None:
    assert classify_territory(text) is None
