"""Every source type's settings class, apart from the adapters, so reading config.yaml imports no HTTP,
HTML or archive library: an adapter module is imported only when its source runs (registry.py)."""
from __future__ import annotations

from typing import Literal, cast

from pydantic import Field

from pharmadeals.scrapers.settings import SourceBase

Board = Literal["sehk", "gem"]
LangCode = Literal["e", "c"]


class FilesSource(SourceBase):
    type: Literal["files"]
    path: str


class FeedSource(SourceBase):
    type: Literal["feed"]
    url: str
    fetch_body: bool = True
    exclude_url: list[str] = Field(default_factory=list)
    expect_title: str | None = None  # PR Newswire serves its all-news feed for unknown paths


class SitemapSource(SourceBase):
    type: Literal["sitemap"]
    url: str
    days: int = Field(2, ge=1)
    url_contains: list[str] = Field(default_factory=list)


class HtmlListSource(SourceBase):
    type: Literal["html_list"]
    url: str
    link_selector: str
    title_selector: str | None = None
    date_selector: str | None = None
    next_selector: str | None = None
    max_pages: int = Field(3, ge=1, le=100)


class HkexSource(SourceBase):
    type: Literal["hkex"]
    base_url: str = "https://www1.hkexnews.hk"
    mode: Literal["latest", "title_search"] = "latest"
    boards: list[Board] = Field(default_factory=lambda: cast("list[Board]", ["sehk"]))
    langs: list[LangCode] = Field(default_factory=lambda: cast("list[LangCode]", ["e", "c"]))
    titles: list[str] = Field(default_factory=lambda: ["LICENCE", "LICENSE", "許可", "授權"])
    stock_codes: list[str] = Field(default_factory=list)
    days: int = Field(7, ge=1, le=7)


class CninfoSource(SourceBase):
    type: Literal["cninfo"]
    base_url: str = "https://www.cninfo.com.cn"
    static_url: str = "https://static.cninfo.com.cn"
    searchkeys: list[str] = Field(default_factory=lambda: ["许可协议", "授权许可", "独家许可", "对外授权"])
    days: int = Field(3, ge=1, le=31)
    page_size: int = Field(30, ge=1, le=50)
    max_pages: int = Field(5, ge=1, le=50)
    column: Literal["szse", "sse", "bse", "hke"] = "szse"  # szse with no stock returned both SZ and SH codes
    plate: str = ""  # e.g. "sz;sh;shkcp" (shkcp = STAR Market)


class SecEdgarSource(SourceBase):
    type: Literal["sec_edgar"]
    search_url: str = "https://efts.sec.gov/LATEST/search-index"
    archive_url: str = "https://www.sec.gov/Archives/edgar/data"
    queries: list[str] = Field(default_factory=lambda: ['"exclusive license" China'])
    forms: list[str] = Field(default_factory=lambda: ["8-K", "6-K"])
    days: int = Field(7, ge=1, le=90)
    max_pages: int = Field(3, ge=1, le=100)
    # EDGAR requires "Company admin@domain"; when unset fetch.user_agent is used (and must carry a real contact).
    user_agent: str | None = None
