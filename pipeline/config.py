"""The one typed settings object, loaded from config.yaml and passed down to every stage.

No other module reads config.yaml or os.environ: values written as ``${NAME}`` are taken from
the environment here, so secrets (API keys, EDGAR contact) need not live in the file.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import ConfigError

DEFAULT_CONFIG = "config.yaml"
ENV_CONFIG = "PHARMADEALS_CONFIG"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never silently fall back to a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(Strict):
    url: str = "sqlite:///data/pharmadeals.db"
    busy_timeout_seconds: float = 30.0


class FetchSettings(Strict):
    user_agent: str = "pharmadeals/0.1 (+https://github.com/pharmadeals/pharmadeals; contact: ops@example.org)"
    concurrency: int = Field(8, ge=1, le=64)
    per_host_concurrency: int = Field(2, ge=1, le=16)
    per_host_delay: float = Field(1.0, ge=0)
    timeout: float = Field(30.0, gt=0)
    max_retries: int = Field(4, ge=0, le=10)
    max_body_bytes: int = Field(10_000_000, ge=1024)
    max_redirects: int = Field(5, ge=0, le=20)
    backoff_base: float = Field(1.0, ge=0)
    backoff_max: float = Field(60.0, ge=0)
    obey_robots: bool = True
    allowed_hosts: list[str] = Field(default_factory=list)


class LoggingSettings(Strict):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # JSON-lines run log; relative paths sit beside the SQLite database (or under data/).
    file: str | None = "pharmadeals.log.jsonl"


class ArchiveSettings(Strict):
    enabled: bool = True
    directory: str = "data/warc"


class FxSettings(Strict):
    # Rates as units of currency per 1 USD, keyed "CUR" or "CUR:YYYY-MM"; they win over the bundled ECB history.
    overrides: dict[str, float] = Field(default_factory=dict)


class ExtractSettings(Strict):
    min_confidence: float = Field(0.3, ge=0, le=1)
    max_amount_usd: float = Field(1e11, gt=0)  # above this a figure is treated as a typo and dropped


class DedupSettings(Strict):
    window_days: int = Field(365, ge=1)
    fuzzy_company_threshold: float = Field(90.0, ge=0, le=100)


class SourceBase(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    enabled: bool = True
    keywords: list[str] = Field(default_factory=list)
    kind: Literal["official", "press_release", "news"] = "news"
    language: Literal["en", "zh"] | None = None
    max_items: int = Field(200, ge=1)
    # Extra request headers (browser-like headers for wires, Referer for CNINFO) and hosts a redirect may reach.
    headers: dict[str, str] = Field(default_factory=dict)
    allowed_hosts: list[str] = Field(default_factory=list)


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
    boards: list[Literal["sehk", "gem"]] = Field(default_factory=lambda: ["sehk"])
    langs: list[Literal["e", "c"]] = Field(default_factory=lambda: ["e", "c"])
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


SourceSettings = Annotated[
    FilesSource | FeedSource | SitemapSource | HtmlListSource | HkexSource | CninfoSource | SecEdgarSource,
    Field(discriminator="type"),
]


class Settings(Strict):
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)
    fx: FxSettings = Field(default_factory=FxSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    sources: list[SourceSettings] = Field(default_factory=list)
    source_file: str | None = None  # where these settings came from, for messages

    def source(self, name: str) -> SourceSettings:
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"no source named {name!r} in {self.source_file}", f"known sources: {known}")


def _expand_env(value: Any, where: str) -> Any:
    """Replace ${NAME} / ${NAME:-default} in strings with environment values."""
    if isinstance(value, dict):
        return {k: _expand_env(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        raise ConfigError(f"{where} refers to environment variable {name}, which is not set",
                          f"export {name}=... or give a default as ${{{name}:-value}}")

    return _ENV_REF.sub(substitute, value)


def _describe(error: ValidationError, path: str) -> str:
    first = error.errors()[0]
    loc = ".".join(str(p) for p in first["loc"] if not (isinstance(p, str) and p in _SOURCE_TAGS))
    return f"{path}: {loc or '(top level)'}: {first['msg']}"


_SOURCE_TAGS = {"files", "feed", "sitemap", "html_list", "hkex", "cninfo", "sec_edgar"}


def resolve_config_path(explicit: str | None) -> Path:
    """--config wins, then $PHARMADEALS_CONFIG, then ./config.yaml."""
    return Path(explicit or os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG)


def load_settings(explicit: str | None = None) -> Settings:
    """Read and validate the config file; any problem is a ConfigError naming the file and key.

    Without --config or $PHARMADEALS_CONFIG and with no ./config.yaml, built-in defaults apply (so
    `pharmadeals extract` works from any folder); a file that was named but is missing is an error.
    """
    path = resolve_config_path(explicit)
    if not path.is_file() and explicit is None and ENV_CONFIG not in os.environ and str(path) == DEFAULT_CONFIG:
        return Settings(source_file="(built-in defaults; no config.yaml here)")
    if not path.is_file():
        raise ConfigError(f"config file {path} not found",
                          "pass --config PATH, set PHARMADEALS_CONFIG, or run from the project folder")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid YAML: {str(exc).splitlines()[0]}", "fix the syntax") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} must hold a mapping of sections", "see config.yaml in the project")
    return settings_from_mapping(raw, str(path))


def settings_from_mapping(raw: dict[str, Any], origin: str = "<mapping>") -> Settings:
    raw = _expand_env(raw, "")
    names = [s.get("name") for s in raw.get("sources") or [] if isinstance(s, dict)]
    dupes = sorted({n for n in names if n is not None and names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{origin}: sources: duplicate source name(s) {', '.join(dupes)}",
                          "give every source a unique name")
    try:
        return Settings(**raw, source_file=origin)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, origin), "fix that key (see README 'Configuration')") from exc
