"""page_to_article: charsets (GBK, Big5, Shift-JIS), HTML main text, text/Markdown, PDF, and bad input."""
from __future__ import annotations

import gzip
from datetime import UTC, date, datetime

import pytest
from sitekit import SITES, make_pdf

from pharmadeals.models.errors import ItemError
from pharmadeals.models.records import DiscoveredItem, Page
from pharmadeals.scrapers.article import content_hash, detect_language, page_to_article
from pharmadeals.scrapers.decode import decode_body


def page_of(fixture: str, content_type: str, url: str = "https://news.example.cn/a.html",
            item: DiscoveredItem | None = None) -> Page:
    return Page(url=url, source="t", body=(SITES / fixture).read_bytes(), content_type=content_type, item=item)


@pytest.mark.parametrize("fixture, content_type, must_contain, language", [
    ("news_zh/gbk-meta.html", "text/html", "7500万美元首付款", "zh"),
    ("news_zh/gbk-meta.html", "text/html; charset=ISO-8859-1", "7500万美元首付款", "zh"),  # wrong default header
    ("news_zh/gb2312-nometa.html", "text/html", "最高可达12亿美元", "zh"),                     # no charset anywhere
    ("news_zh/gb2312-nometa.html", "text/html; charset=gb2312", "最高可达12亿美元", "zh"),
    ("news_zh/gb2312-nometa.html", "text/html; charset=utf-8", "最高可达12亿美元", "zh"),     # header lies
    ("news_zh/utf8.html", "text/html", "大中华区以外", "zh"),
    ("news_zh/big5-httpequiv.html", "text/html", "五千萬美元首付款", "zh"),
    ("news_zh/big5-nometa.html", "text/html", "最高八億美元", "zh"),
    ("news_zh/big5-nometa.html", "text/html; charset=big5", "最高八億美元", "zh"),
    ("news_zh/sjis-meta.html", "text/html", "契約一時金は五千万ドル", "zh"),
    ("news_zh/utf8-bom.txt", "text/plain", "首付款7500万美元", "zh"),
    ("news_en/licence-deal.html", "text/html", "75 million dollars upfront", "en"),
])
def test_decodes_and_extracts(fixture: str, content_type: str, must_contain: str, language: str) -> None:
    article = page_to_article(page_of(fixture, content_type))
    assert must_contain in article.text
    assert article.language == language
    assert "\ufffd" not in article.text and "\ufeff" not in article.text


def test_html_drops_navigation_and_finds_title_and_date() -> None:
    article = page_to_article(page_of("news_en/licence-deal.html", "text/html"))
    assert article.title.startswith("Hengrui licenses PD-1 bispecific")
    assert article.published == date(2026, 11, 20)
    assert "Subscribe to our newsletter" not in article.text
    assert "About us" not in article.text


def test_soup_fallback_when_main_text_is_tiny() -> None:
    article = page_to_article(page_of("news_en/no-article.html", "text/html"))
    assert "Chinese biotech companies rose" in article.text


def test_item_title_and_date_win() -> None:
    item = DiscoveredItem(url="https://x/a", source="t", title="Feed title",
                          published=datetime(2026, 11, 1, 3, 0, tzinfo=UTC), kind="official")
    article = page_to_article(page_of("news_en/second.html", "text/html", item=item))
    assert (article.title, article.published, article.kind) == ("Feed title", date(2026, 11, 1), "official")


@pytest.mark.parametrize("body, content_type, url, title", [
    (b"Licence news\n\nAcme out-licensed its antibody to Beta for ex-China rights.", "text/plain", "f.txt",
     "Licence news"),
    (b"# Deal roundup\n\nZai Lab in-licensed a drug for Greater China with 30 million upfront.", "text/markdown",
     "f.md", "Deal roundup"),
])
def test_text_and_markdown_first_line_is_title(body: bytes, content_type: str, url: str, title: str) -> None:
    article = page_to_article(Page(url=f"file:///tmp/{url}", source="t", body=body, content_type=content_type))
    assert article.title == title
    assert article.language == "en"


def test_pdf_text_and_title() -> None:
    body = make_pdf(["VOLUNTARY ANNOUNCEMENT", "EXCLUSIVE LICENCE AGREEMENT",
                     "The Company will receive an upfront payment of US$50 million."], title="Licence announcement")
    article = page_to_article(Page(url="https://www1.example.hk/a.pdf", source="hkex", body=body,
                                   content_type="application/pdf"))
    assert "upfront payment of US$50 million" in article.text
    assert article.title == "Licence announcement"


def test_pdf_served_as_octet_stream_is_sniffed() -> None:
    body = make_pdf(["A licence agreement was signed today between two companies for Asia."])
    article = page_to_article(Page(url="https://static.example.cn/finalpage/1", source="c", body=body,
                                   content_type="application/octet-stream"))
    assert "licence agreement was signed" in article.text


@pytest.mark.parametrize("body, content_type, kind", [
    (b"", "text/html", "empty"),
    (b"   \n\t ", "text/html", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "text/html", "binary"),
    (gzip.compress(b"<html>" + b"x" * 1000), "text/html", "binary"),
    (b"\x00\x01\x02\x03" * 500, "text/html", "binary"),
    (b"%PDF-1.4\n garbage garbage \n%%EOF", "application/pdf", "corrupt"),
    (b"not a pdf at all, just words", "application/pdf", "corrupt"),
    (b"<html><body><p>Hi</p></body></html>", "text/html", "empty"),
    (bytes(range(128, 256)) * 40, "image/jpeg", "binary"),
])
def test_bad_input_raises_item_error(body: bytes, content_type: str, kind: str) -> None:
    with pytest.raises(ItemError) as err:
        page_to_article(Page(url="https://x.example/p", source="t", body=body, content_type=content_type))
    assert err.value.kind == kind
    assert err.value.reason


def test_encrypted_pdf_is_reported() -> None:
    body = make_pdf(["secret licence terms"], password="s3cret")
    with pytest.raises(ItemError) as err:
        page_to_article(Page(url="https://x/a.pdf", source="t", body=body, content_type="application/pdf"))
    assert err.value.kind == "encrypted"


def test_truncated_html_still_gives_text() -> None:
    html = (SITES / "news_en/licence-deal.html").read_bytes()
    article = page_to_article(Page(url="https://x/t", source="t", body=html[: len(html) * 2 // 3],
                                   content_type="text/html"))
    assert "75 million dollars upfront" in article.text


@pytest.mark.parametrize("text, language", [
    ("Hengrui signs an exclusive licence with Merck for 1.2 billion dollars", "en"),
    ("恒瑞医药与默沙东签署独家许可协议，首付款1亿美元", "zh"),
    ("百济神州 BeiGene 宣布与 Novartis 就 tislelizumab 达成合作与许可协议", "zh"),
    ("", "en"),
])
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_content_hash_ignores_spacing_and_width() -> None:
    assert content_hash("Upfront  US$50\nmillion") == content_hash("upfront ＵＳ＄５０ million")
    assert content_hash("upfront 50") != content_hash("upfront 60")


@pytest.mark.parametrize("body, content_type, expected", [
    # migrated to UTF-8 but the template still says gb2312
    ('<meta charset="gb2312"><p>许可协议首付款</p>'.encode(), "text/html; charset=gbk", "许可协议首付款"),
    ('<?xml version="1.0" encoding="gb2312"?><html><p>许可协议</p></html>'.encode("gbk"), "application/xhtml+xml",
     "许可协议"),
    ("<p>Café licence</p>".encode("cp1252"), "text/html; charset=iso-8859-1", "Café licence"),
])
def test_decode_edge_cases(body: bytes, content_type: str, expected: str) -> None:
    assert expected in decode_body(body, content_type)


def test_decode_rejects_mostly_garbage() -> None:
    with pytest.raises(ItemError):
        decode_body(b"\x00" * 10 + b"abc", "text/html")
