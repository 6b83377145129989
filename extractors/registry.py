"""Company registry: turns any written name, Chinese or English form, or ticker into one canonical company."""
from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pharmadeals.extractors.cue_tables import YAML_LOADER
from pharmadeals.models.errors import ConfigError
from pharmadeals.models.legal_forms import is_legal_form, strip_legal_forms
from pharmadeals.models.records import GREATER_CHINA

DATA_FILE = Path(__file__).parent / "data" / "companies.yaml"
# Another registry file in place of the bundled one: for experiments that ask how the extractor reads companies
# it does not know (scripts/registry_ablation.py), or a deployment's own registry.
REGISTRY_ENV = "PHARMADEALS_REGISTRY"

KNOWN_COUNTRIES = GREATER_CHINA | frozenset({
    "US", "CA", "GB", "IE", "CH", "DE", "FR", "NL", "BE", "DK", "SE", "NO", "FI", "ES", "IT", "AT",
    "IL", "JP", "KR", "SG", "AU", "NZ", "IN",
})
ENTRY_KEYS = frozenset({"id", "name", "country", "zh", "zh_hant", "en", "tickers", "subsidiaries", "parent", "note"})
LIST_KEYS = ("zh", "zh_hant", "en", "tickers", "subsidiaries")
ID_PATTERN = re.compile(r"^[a-z0-9_]+$")

# Names that belong to more than one company in real text: never resolved, never claimable.
# 默克 is Merck KGaA to most mainland media but Merck & Co. in Taiwan; 药明 is AppTec or Biologics.
AMBIGUOUS_ALIASES = frozenset({"默克", "Merck Group", "药明", "和黄", "华润", "复星", "国药", "科兴"})
# Ordinary words and bare industry terms: an alias equal to one of these would match everywhere.
COMMON_WORDS = frozenset({
    "bio", "biotech", "pharma", "pharmaceutical", "pharmaceuticals", "therapeutics", "biosciences",
    "medicines", "medicine", "biologics", "holdings", "group", "china", "labs", "summit", "calico", "vertex",
    "kite", "shire", "day one", "madrigal", "terns", "novel", "united", "the united",
    "生物", "医药", "制药", "药业", "集团", "中国", "三生", "信达", "先声", "荣昌", "联邦", "华东", "上药",
    "沃森", "参天", "小野", "新基", "杨森", "绿叶", "齐鲁", "扬子江", "白云山", "中国医药", "中国抗体",
})
MIN_LATIN_CHARS = 3
MIN_CJK_CHARS = 2

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE_NEXT_TO_CJK = re.compile(r"(?<=[\u3400-\u9fff]) | (?=[\u3400-\u9fff])")
# Ticker markets: exchange prefixes ("HKEX: 1276") and suffixes ("1276.HK") mapped to one market code.
EXCHANGE_PREFIXES = {
    "HKEX": "HK", "SEHK": "HK", "HK": "HK", "SSE": "SH", "SH": "SH", "SZSE": "SZ", "SZ": "SZ", "BSE": "BJ",
    "BJ": "BJ", "NYSE": "US", "NASDAQ": "US", "NYSE AMERICAN": "US", "US": "US", "TSE": "T", "TYO": "T",
    "KRX": "KS", "KOSPI": "KS", "KOSDAQ": "KQ", "LSE": "L", "AIM": "L", "SIX": "SW", "EPA": "PA",
    "XETRA": "DE", "FRA": "DE", "TWSE": "TW", "TPEX": "TW", "CPH": "CO", "STAR": "SH",
}
TICKER_SUFFIXES = {
    "HK": "HK", "SH": "SH", "SS": "SH", "SZ": "SZ", "BJ": "BJ", "T": "T", "KS": "KS", "KQ": "KQ", "L": "L",
    "SW": "SW", "PA": "PA", "DE": "DE", "CO": "CO", "BR": "BR", "TW": "TW", "TWO": "TW", "US": "US",
}
_PREFIXED = re.compile(r"^(?P<ex>[A-Z][A-Z ]*?)\s*:\s*(?P<code>[A-Z0-9][A-Z0-9.\-]*)$")
_SUFFIXED = re.compile(r"^(?P<code>[A-Z0-9][A-Z0-9\-]*)\.(?P<sfx>[A-Z]{1,3})$|^(?P<num>\d{3,6}) +(?P<mkt>HK|SH|SZ|T|KS|TW)$")
_MARKET_FIRST = re.compile(r"^(?P<ex>SH|SZ|BJ|HK)(?P<code>\d{4,6})$")
_BARE_DIGITS = re.compile(r"^\d{3,6}$")
_BARE_LETTERS = re.compile(r"^[A-Z]{2,5}$")


class RegistryError(ConfigError):
    """The company registry file is missing or inconsistent."""


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    country: str
    aliases: tuple[str, ...]
    tickers: tuple[str, ...] = ()
    parent_id: str | None = None
    subsidiaries: tuple[str, ...] = ()

    @property
    def is_chinese(self) -> bool:
        return is_chinese(self.country)


def is_chinese(country: str) -> bool:
    """True for mainland China, Hong Kong, Taiwan and Macau."""
    return country.upper() in GREATER_CHINA


def normalize_alias(text: str) -> str:
    """Lookup key: NFKC (full-width to half-width), case-folded, punctuation and CJK-adjacent spaces dropped."""
    t = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    t = re.sub(r"['’`]", "", re.sub(r"['’]s\b", "", t))  # possessives: "Pfizer's" is Pfizer
    t = re.sub(r"[\W_]+", " ", t).strip()
    return _SPACE_NEXT_TO_CJK.sub("", t)


_AMBIGUOUS_KEYS = frozenset(normalize_alias(a) for a in AMBIGUOUS_ALIASES)


def strip_legal_suffix(key: str) -> str:
    """Drop trailing legal forms ("inc", "co ltd", "股份有限公司") and a leading "the" from a normalized key."""
    key = strip_legal_forms(key)
    return key[4:] if key.startswith("the ") else key


def normalize_ticker(text: str) -> str | None:
    """Canonical "CODE.MARKET" ("1276.HK", "600276.SH", "PFE.US") for a written ticker, or None."""
    t = unicodedata.normalize("NFKC", text).strip().strip("()[]").strip().upper().replace("：", ":")
    if m := _PREFIXED.match(t):
        market = EXCHANGE_PREFIXES.get(" ".join(m["ex"].split()))
        code = m["code"]
    elif m := _SUFFIXED.match(t):
        market, code = TICKER_SUFFIXES.get(m["sfx"] or m["mkt"]), m["code"] or m["num"]
    elif m := _MARKET_FIRST.match(t):
        market, code = EXCHANGE_PREFIXES[m["ex"]], m["code"]
    else:
        return None
    if market is None:
        return None
    if market == "HK" and code.isdigit():
        code = str(int(code))
    return f"{code}.{market}"


class Registry:
    """All companies plus indexes from alias key, ticker and bare ticker code to company."""

    def __init__(self, companies: Sequence[Company]) -> None:
        self.companies: tuple[Company, ...] = tuple(companies)
        self._by_id = {c.id: c for c in self.companies}
        self._by_key: dict[str, Company] = {}
        self._aliases: dict[str, str] = {}
        stripped: dict[str, set[str]] = defaultdict(set)
        for company in self.companies:
            for alias in (*company.aliases, *company.subsidiaries):
                key = normalize_alias(alias)
                self._by_key[key] = company
                self._aliases[alias] = company.id
                stripped[strip_legal_suffix(key)].add(company.id)
        # A suffix-stripped key is only trusted when it points at a single company.
        self._by_stripped = {k: self._by_id[next(iter(ids))] for k, ids in stripped.items() if len(ids) == 1}
        self._by_ticker = {t: c for c in self.companies for t in c.tickers}
        codes: dict[str, set[str]] = defaultdict(set)
        for ticker, company in self._by_ticker.items():
            code = ticker.rsplit(".", 1)[0]
            codes[code.lstrip("0") if code.isdigit() else code].add(company.id)
        self._by_code = {k: self._by_id[next(iter(ids))] for k, ids in codes.items() if len(ids) == 1}

    def get(self, company_id: str) -> Company:
        return self._by_id[company_id]

    def lookup(self, text: str) -> Company | None:
        """The company a name, alias, subsidiary name or ticker refers to; None if unknown or ambiguous."""
        key = normalize_alias(text)
        if not key or key in _AMBIGUOUS_KEYS:
            return None
        if found := self._by_key.get(key):
            return found
        if found := self.lookup_ticker(text):
            return found
        return self._by_stripped.get(strip_legal_suffix(key))

    def lookup_ticker(self, text: str) -> Company | None:
        """Resolve "600276.SH", "SH600276", "600276", "01276.HK", "HKEX: 1276", "NASDAQ: ZLAB" or "PFE"."""
        if ticker := normalize_ticker(text):
            return self._by_ticker.get(ticker)
        bare = unicodedata.normalize("NFKC", text).strip()
        if _BARE_DIGITS.match(bare):
            return self._by_code.get(bare.lstrip("0"))
        if _BARE_LETTERS.match(bare):  # bare US symbols only when written in capitals
            return self._by_ticker.get(f"{bare}.US")
        return None

    def all_aliases(self) -> dict[str, str]:
        """Every alias as written (names, Chinese forms, subsidiaries) -> company id, for matchers and jieba."""
        return dict(self._aliases)

    def parent(self, company: Company) -> Company:
        """The top of the company's ownership chain (itself when it has no parent)."""
        while company.parent_id is not None:
            company = self._by_id[company.parent_id]
        return company


def build_registry(entries: Any, source: str = "registry") -> Registry:
    """Validate raw YAML entries and build a Registry; every problem is reported in one RegistryError."""
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: expected a YAML list of companies", "see the header of companies.yaml")
    problems: list[str] = []
    companies = [c for i, e in enumerate(entries) if (c := _company(e, i, problems)) is not None]
    problems += _check_ids(companies) + _check_aliases(companies) + _check_tickers(companies)
    if problems:
        shown = "; ".join(problems[:20]) + (f"; ... {len(problems) - 20} more" if len(problems) > 20 else "")
        raise RegistryError(f"{source}: {len(problems)} problem(s): {shown}", "fix the company registry file")
    return Registry(companies)


def _company(entry: Any, index: int, problems: list[str]) -> Company | None:
    where = f"entry {index + 1}"
    if not isinstance(entry, Mapping):
        problems.append(f"{where} is not a mapping")
        return None
    where = f"entry {index + 1} ({entry.get('id', '?')})"
    before = len(problems)
    if unknown := sorted(set(entry) - ENTRY_KEYS):
        problems.append(f"{where} has unknown key(s) {unknown}")
    for key in ("id", "name", "country"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.append(f"{where} needs a non-empty '{key}'")
    for key in LIST_KEYS:
        value = entry.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(f"{where}: '{key}' must be a list of non-empty strings")
    if len(problems) > before:
        return None
    if not ID_PATTERN.match(entry["id"]):
        problems.append(f"{where}: id must match {ID_PATTERN.pattern}")
    if entry["country"] not in KNOWN_COUNTRIES:
        problems.append(f"{where}: unknown country code {entry['country']!r}")
    tickers = []
    for raw in entry.get("tickers") or []:
        if (ticker := normalize_ticker(raw)) is None:
            problems.append(f"{where}: cannot read ticker {raw!r}")
        else:
            tickers.append(ticker)
    aliases = _unique([entry["name"], *(entry.get("zh") or []), *(entry.get("zh_hant") or []), *(entry.get("en") or [])])
    return Company(
        id=entry["id"], name=entry["name"].strip(), country=entry["country"], aliases=tuple(aliases),
        tickers=tuple(tickers), parent_id=entry.get("parent"), subsidiaries=tuple(_unique(entry.get("subsidiaries") or [])),
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in items))


def _check_ids(companies: Sequence[Company]) -> list[str]:
    problems, ids = [], [c.id for c in companies]
    problems += [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    known = set(ids)
    for c in companies:
        if c.parent_id is not None and (c.parent_id not in known or c.parent_id == c.id):
            problems.append(f"{c.id}: parent {c.parent_id!r} is not another company's id")
    by_id = {c.id: c for c in companies}
    for c in companies:
        seen, cur = {c.id}, c
        while cur.parent_id in by_id:
            if cur.parent_id in seen:
                problems.append(f"{c.id}: parent chain loops through {cur.parent_id!r}")
                break
            seen.add(cur.parent_id)
            cur = by_id[cur.parent_id]
    return problems


def _check_aliases(companies: Sequence[Company]) -> list[str]:
    problems: list[str] = []
    owner: dict[str, tuple[str, str]] = {}
    for c in companies:
        for alias in (*c.aliases, *c.subsidiaries):
            key = normalize_alias(alias)
            if reason := _bad_alias(alias, key):
                problems.append(f"{c.id}: alias {alias!r} {reason}")
            elif key in owner and owner[key][0] != c.id:
                other, written = owner[key]
                problems.append(f"alias {alias!r} is claimed by both {other!r} ({written!r}) and {c.id!r}")
            else:
                owner.setdefault(key, (c.id, alias))
    return problems


def _bad_alias(alias: str, key: str) -> str | None:
    if not key:
        return "has no letters or digits"
    if key in _AMBIGUOUS_KEYS:
        return "is listed as ambiguous and must not be claimed"
    if key in COMMON_WORDS:
        return "is an ordinary word"
    if is_legal_form(key):  # 'Co., Ltd.' unquoted in a YAML flow list splits into two aliases
        return "is only a legal form (quote names that contain a comma)"
    if _CJK.search(key) and len(key) < MIN_CJK_CHARS:
        return f"is shorter than {MIN_CJK_CHARS} Chinese characters"
    if not _CJK.search(key) and len(key.replace(" ", "")) < MIN_LATIN_CHARS:
        return f"is shorter than {MIN_LATIN_CHARS} characters"
    if normalize_ticker(alias) is not None or _BARE_DIGITS.match(key):
        return "looks like a ticker; put it under 'tickers'"
    return None


def _check_tickers(companies: Sequence[Company]) -> list[str]:
    owner: dict[str, str] = {}
    problems = []
    for c in companies:
        for t in c.tickers:
            if t in owner and owner[t] != c.id:
                problems.append(f"ticker {t!r} is claimed by both {owner[t]!r} and {c.id!r}")
            owner.setdefault(t, c.id)
    return problems


@lru_cache(maxsize=8)
def load_registry(path: Path = DATA_FILE) -> Registry:
    """Read, validate and index a registry file once per process (per path)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"cannot read company registry {path}: {exc.strerror}", "check the path") from exc
    try:
        entries = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path} is not valid YAML: {exc}", "fix the YAML syntax") from exc
    return build_registry(entries, source=str(path))


def registry_file() -> Path:
    """The registry in use: $PHARMADEALS_REGISTRY when set, else the bundled data/companies.yaml."""
    given = os.environ.get(REGISTRY_ENV, "").strip()
    return Path(given) if given else DATA_FILE


def get_registry() -> Registry:
    """The registry in use, loaded lazily once per process."""
    return load_registry(registry_file())
