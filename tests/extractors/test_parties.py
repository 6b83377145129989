"""Company mentions from the registry and from name patterns, with country and self-references."""
from __future__ import annotations

import pytest

from extractors.parties import clean_name, company_index, find_companies, infer_country


def names(text: str) -> list[tuple[str, str, str | None]]:
    return [(h.mention, h.name, h.country) for h in find_companies(company_index(), text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Jiangsu Hengrui Pharmaceuticals Co., Ltd. and GSK signed",
     [("Jiangsu Hengrui Pharmaceuticals Co., Ltd.", "Jiangsu Hengrui Pharmaceuticals", "CN"), ("GSK", "GSK", "GB")]),
    ("恒瑞医药与GSK签署协议", [("恒瑞医药", "Jiangsu Hengrui Pharmaceuticals", "CN"), ("GSK", "GSK", "GB")]),
    ("三生制药授予辉瑞独家许可", [("三生制药", "3SBio", "CN"), ("辉瑞", "Pfizer", "US")]),
    ("百利天恒与百时美施贵宝合作", [("百利天恒", "Sichuan Biokin Pharmaceutical", "CN"),
                                 ("百时美施贵宝", "Bristol Myers Squibb", "US")]),
    ("GlaxoSmithKline Intellectual Property (No.3) Limited", [
        ("GlaxoSmithKline Intellectual Property (No.3) Limited", "GSK", "GB")]),
])
def test_registry_companies(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Shanghai-based Zenith Biotherapeutics licensed it", "Zenith Biotherapeutics", "CN"),
    ("Boston-based Acme Therapeutics Inc. will pay", "Acme Therapeutics", "US"),
    ("总部位于苏州的星云生物与辉瑞", "星云生物", "CN"),
])
def test_unknown_companies_by_pattern(text: str, name: str, country: str) -> None:
    found = [(h.name, h.country) for h in find_companies(company_index(), text) if h.company_id is None]
    assert (name, country) in found


@pytest.mark.parametrize("text", [
    "Hong Kong Exchanges and Clearing Limited take no responsibility",
    "中国创新药企业正在出海",
    "The Phase 3 trial met its endpoint",
])
def test_no_company_invented(text: str) -> None:
    assert [h for h in find_companies(company_index(), text) if h.company_id is None] == []


def test_self_reference_and_short_form() -> None:
    text = "Summit Therapeutics signed with Akeso. Summit will pay. The Company said so."
    hits = find_companies(company_index(), text)
    assert [h.mention for h in hits if h.name == hits[0].name] == ["Summit Therapeutics", "Summit", "The Company"]


@pytest.mark.parametrize(("before", "country"), [("a Shanghai-based ", "CN"), ("总部位于苏州的", "CN"),
                                                 ("the Boston-based ", "US"), ("the ", None)])
def test_infer_country(before: str, country: str | None) -> None:
    assert infer_country(before + "X", len(before)) == country


@pytest.mark.parametrize(("raw", "clean"), [("Acme Therapeutics, Inc.", "Acme Therapeutics"),
                                            ("苏州星云生物科技股份有限公司", "苏州星云生物科技")])
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean
