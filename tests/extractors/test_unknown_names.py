"""Companies the registry does not know: names written with a stock code, and trade words such as BioMed."""
from __future__ import annotations

from pharmadeals.extractors.companies import company_index, find_companies

TEXT = ("《异动股》松科生物(02233)升5% 与阿斯利康订独家授权\n\n"
        "港股松科生物(02233)早盘走高。公告显示，松科生物将获得1亿美元首付款。")


def unknown_names(text: str) -> list[str]:
    return [h.name for h in find_companies(company_index(), text) if h.company_id is None]


def test_the_coded_name_and_its_later_uses() -> None:
    names = unknown_names(TEXT)
    assert names.count("松科生物") >= 3
    assert "港股松科生物" not in names  # the market word in front is not part of the name


def test_a_registry_company_keeps_its_registry_identity() -> None:
    text = "恒瑞医药(600276)与默沙东签署许可协议。恒瑞医药将获得首付款。"
    hits = [h for h in find_companies(company_index(), text) if h.mention == "恒瑞医药"]
    assert hits and all(h.company_id is not None for h in hits)


def test_a_name_run_glued_to_earlier_text_is_not_cut_out() -> None:
    # the run of Han characters before the code is longer than a name: no guess at where the name starts
    assert company_index().ticker_spans("今天下午消息称东方某某某某集团(01234)表示") == []
    assert company_index().ticker_spans("消息称，东方某集团(01234)表示") != []


def test_an_english_name_with_a_market_code() -> None:
    from pharmadeals.extractors.parties import en_introduced

    text = "Shares of Kestrelbio (9926.HK) rose after it licensed a bispecific to a US partner."
    assert [text[a:b] for a, b in en_introduced(text)] == ["Kestrelbio"]
    assert en_introduced("The index (2025.HK) fell.") == []  # "The" opens no name


def test_biomed_names_a_company() -> None:
    from pharmadeals.extractors.parties import en_unknown

    text = "Kestrel BioMed has unveiled a research collaboration with a large drugmaker."
    assert "Kestrel BioMed" in [text[a:b] for a, b in en_unknown(text)]
