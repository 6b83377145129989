"""Drug codes and INN names, and target names that are not assets."""
from __future__ import annotations

import pytest

from pharmadeals.extractors.assets import find_assets, unique_assets


@pytest.mark.parametrize(("text", "assets"), [
    ("GSK licensed HRS-9821 and SHR-A1811", ["HRS-9821", "SHR-A1811"]),
    ("the PD-1/VEGF bispecific SSGJ-707", ["SSGJ-707"]),
    ("IBI363, IBI343 and BL-B01D1", ["IBI363", "IBI343", "BL-B01D1"]),
    ("9MW1911 is an ST2 antibody", ["9MW1911"]),
    ("ivonescimab and fruquintinib and telitacicept", ["ivonescimab", "fruquintinib", "telitacicept"]),
    ("将SSGJ-707授权给辉瑞", ["SSGJ-707"]),
    ("授权呋喹替尼的海外权益", ["呋喹替尼"]),
    ("與Summit訂立依沃西單抗許可協議", ["依沃西單抗"]),
    ("康方生物依沃西单抗", ["依沃西单抗"]),
    ("双抗依沃西单抗", ["依沃西单抗"]),
])
def test_assets_found(text: str, assets: list[str]) -> None:
    assert [name for _, _, name in find_assets(text)] == assets


@pytest.mark.parametrize("text", ["a PD-1/VEGF bispecific", "GLP-1 and HER2 and B7-H3 and DLL3", "COVID-19",
                                  "in H1 2025", "stock code 600276", "双抗和ADC药物", "一款长效单抗",
                                  "抗纖維化單抗", "人源化单抗"])
def test_no_assets(text: str) -> None:
    assert find_assets(text) == []


def test_unique_assets_merges_spellings() -> None:
    assert unique_assets(["HRS9531", "HRS-9531", "HRS-7535"]) == ("HRS9531", "HRS-7535")
