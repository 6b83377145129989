"""Turn a fetched Page (HTML, text, Markdown or PDF) into a clean Article with title, date and language."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta

from bs4 import BeautifulSoup

from pharmadeals.models.errors import ItemError
from pharmadeals.models.records import Article, Language, Page
from pharmadeals.scrapers.decode import decode_body, looks_binary
from pharmadeals.scrapers.pdftext import pdf_text

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]")
LATIN = re.compile(r"[A-Za-z]")
ZH_RATIO = 0.25  # share of CJK among letters; a Chinese text with English names stays well above it
WHITESPACE = re.compile(r"\s+")
BLANK_LINES = re.compile(r"\n\s*\n+")
MIN_TEXT_CHARS = 20
EARLIEST_DATE = date(1990, 1, 1)
FUTURE_SLACK = timedelta(days=2)
TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
HTML_TYPES = ("text/html", "application/xhtml+xml")
DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg")
BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/zip", "application/gzip",
                "application/x-gzip", "application/vnd.", "application/msword")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_trafilatura = None


def _extractor():
    global _trafilatura
    if _trafilatura is None:
        import trafilatura

        _trafilatura = trafilatura
    return _trafilatura


def detect_language(text: str) -> Language:
    """'zh' when CJK characters make up a real share of the letters, else 'en'."""
    sample = text[:20_000]
    cjk = len(CJK.findall(sample))
    latin = len(LATIN.findall(sample))
    return "zh" if cjk and cjk / (cjk + latin) >= ZH_RATIO else "en"


def normalise(text: str) -> str:
    """The form hashed for duplicate detection: NFKC, case-folded, whitespace collapsed."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _clean(text: str) -> str:
    lines = (WHITESPACE.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _plausible(day: date | None) -> date | None:
    today = datetime.now(UTC).date()
    if day is None or day < EARLIEST_DATE or day > today + FUTURE_SLACK:
        return None
    return day


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return _plausible(date.fromisoformat(value[:10]))
    except ValueError:
        return None


def _soup_text(html: str) -> tuple[str, str | None]:
    """Fallback when trafilatura finds nothing: visible text of the page minus chrome."""
    soup = BeautifulSoup(html, "lxml")
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    for tag in soup(DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    return _clean(body.get_text("\n")), title


def html_parts(html: str, url: str) -> tuple[str, str | None, date | None]:
    """(main text, title, date) of an HTML page."""
    doc = None
    try:
        doc = _extractor().bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                           include_tables=True, favor_recall=True)
    except (ValueError, TypeError, AttributeError, RecursionError):
        doc = None
    text = _clean(doc.text or "") if doc is not None else ""
    title = (doc.title or None) if doc is not None else None
    day = _parse_day(doc.date) if doc is not None else None
    if len(text) < MIN_TEXT_CHARS:
        text, soup_title = _soup_text(html)
        title = title or soup_title
    return text, title, day


def _text_parts(text: str, markdown: bool) -> tuple[str, str | None]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", None
    first = MD_HEADING.sub("", lines[0]).strip() if markdown else lines[0].strip()
    return _clean(text), first or None


def _kind_of(page: Page) -> str:
    ctype = page.content_type.split(";")[0].strip().lower()
    path = page.url.split("?")[0].lower()
    declared_text = ctype in TEXT_TYPES or ctype in HTML_TYPES  # a saved .txt of a PDF url is still text
    if ctype == "application/pdf" or page.body.lstrip()[:5] == b"%PDF-" or (path.endswith(".pdf")
                                                                            and not declared_text):
        return "pdf"
    if ctype in ("text/markdown", "text/x-markdown") or path.endswith(".md"):
        return "markdown"
    if ctype == "text/plain" or path.endswith(".txt"):
        return "text"
    if ctype in HTML_TYPES or ctype.startswith("text/") or not ctype:
        return "html"
    if ctype.startswith(BINARY_TYPES) or looks_binary(page.body):
        raise ItemError("binary", f"unsupported content type {ctype}")
    return "html"


def _parts(page: Page) -> tuple[str, str | None, date | None]:
    kind = _kind_of(page)
    if kind == "pdf":
        text, title = pdf_text(page.body)
        return _clean(text), title, None
    decoded = decode_body(page.body, page.content_type)
    if kind == "html":
        return html_parts(decoded, page.url)
    text, title = _text_parts(decoded, markdown=kind == "markdown")
    return text, title, None


def page_to_article(page: Page) -> Article:
    """Decode and extract a page; raises ItemError for empty, binary, undecodable or broken input."""
    if not page.body.strip():
        raise ItemError("empty", f"empty body from {page.url}")
    text, title, day = _parts(page)
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise ItemError("empty", f"no main text found in {page.url}")
    item = page.item
    if item is not None and item.title:
        title = item.title
    if item is not None and item.published is not None:
        day = _plausible(item.published.date()) or day
    title = WHITESPACE.sub(" ", title or text.split("\n", 1)[0][:200]).strip()
    language = detect_language(f"{title}\n{text}")
    return Article(url=page.url, source=page.source, title=title, text=text, language=language,
                   published=day, content_hash=content_hash(text),
                   kind=item.kind if item is not None else "news")
