"""Territory from the rights wording in both languages."""
from __future__ import annotations

import pytest

from pharmadeals.extractors.territory import classify_territory


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


# Greater China spelled out as the granted territory beats "the rest of the world" the licensor keeps; what the
# licensor keeps in China, or an 'outside'/'以外' list, stays ex-China; added regions make it regional.
@pytest.mark.parametrize(("text", "territory"), [
    ("Nhwa receives rights in mainland China, Hong Kong, Macau and Taiwan. Nuvelis keeps all rights in the rest of "
     "the world.", "China"),
    ("Nuvelis授予公司在中国大陆、香港、澳门及台湾地区开发NVL-202的独家许可。", "China"),
    ("Corvant向被授權方授出於中國內地、香港、澳門及台灣開發CVT-110的獨家權利。", "China"),
    ("Hansoh keeps the molecule in mainland China, Hong Kong and Macau, and Regeneron gets the rest of the world.",
     "ex-China"),
    ("授予其在中国大陆、香港、澳门及台湾以外地区的独家许可", "ex-China"),
    ("Pfizer gains rights in the rest of the world.", "ex-China"),
    ("許可地區由中國大陸、香港、澳門及台灣擴大至另外包括韓國及東南亞國家", "regional"),
])
def test_greater_china_granted_or_kept(text: str, territory: str) -> None:
    assert classify_territory(text) == territory


@pytest.mark.parametrize(("text", "territory"), [
    ("授予其北美地區權利", "regional"),
    ("Orion takes North American rights to the drug", "regional"),
    ("北美洲是全球最大的医药市场", None),
])
def test_north_america(text: str, territory: str | None) -> None:
    assert classify_territory(text) == territory


# Sharing global profits and losses splits the whole world between the partners; reported profits say nothing.
@pytest.mark.parametrize(("text", "territory"), [
    ("The two companies will split development costs and share global profits and losses equally.", "global"),
    ("双方将平分全球利润与亏损。", "global"),
    ("The company reported global profits of $2 billion.", None),
    ("公司全球利润增长20%。", None),
])
def test_global_profit_split_is_global(text: str, territory: str | None) -> None:
    assert classify_territory(text) == territory


# Markets a drug is hoped to enter are ambitions, not the licence: a stated 'outside China' wins over them, and
# they count as the territory only when nothing else is said.
@pytest.mark.parametrize(("text", "territory"), [
    ("和黄医药将呋喹替尼在中国以外（不含港澳）的独家权利授予武田。武田的网络能帮助该药更快进入美国、欧洲和日本市场。",
     "ex-China"),
    ("Takeda gets rights in all countries outside mainland China. The partner hopes to reach the US, European and "
     "Japanese markets within two years.", "ex-China"),
    ("该药有望借此进入美国、欧洲和日本市场。", "regional"),
    ("授予对方在美国、欧洲和日本的商业化权利，公司保留中国权益。", "regional"),
])
def test_market_ambitions_do_not_beat_a_stated_territory(text: str, territory: str) -> None:
    assert classify_territory(text) == territory
