"""List items and flattened table rows: each is one deal's own block, whatever the article's tense.

Roundups print deals as bullets ("• Hengrui granted Elevar … in a deal pegged at $1 billion;"), as pairs with a
figure ("Hansoh–Regeneron's $2B GLP-1", "三生制药 × 辉瑞：60.5亿美元") and as tables flattened to lines
("Kelun-Biotech | Merck/MSD (US) | ADCs | … | Up to about $9.3B | 2022–"). A row is never background (its year is a
column), its pair is dealing when it states money, and a figure in it that no cue claims takes its column's role
from the table's header line, else it is the row's headline total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from pharmadeals.extractors.amounts import CUE_RE, CUE_ROLE, NO_CUE, ROLES, Amount
from pharmadeals.extractors.cue_tables import load_party_headers, load_table_headers
from pharmadeals.extractors.parties import CompanyHit
from pharmadeals.models.records import Money

CELL = re.compile(r"\s*[|｜]\s*")
MIN_CELLS = 3
BULLET = re.compile(r"^\s*(?:[•·●▪■◆★☆\-*–—]|\d{1,2}[.)、]|[（(]\d{1,2}[)）])\s*")
# "Hansoh–Regeneron's $2B", "三生制药 × 辉瑞：60.5亿美元": two names joined by a dash or a times sign, then the figure
PAIR_FIGURE = re.compile(r"\S\s*(?:[–—×✕]|--)\s*[^\s–—×✕]{2,30}(?:'s|’s|的)?\s*[:：]?\s*(?:US|USD|RMB)?\s*[$¥€]?\s*$")

FIGURE_BEFORE_PAIR = re.compile(r"\s+[A-Z0-9][\w&.]{1,24}\s?[–—]\s?[A-Z0-9][\w&.]{1,24}\b")
POSSESSIVE_FIGURE = re.compile(r"(?:'s|’s)\s*(?:US|USD)?\s*[$€]?\s*$")


@dataclass(frozen=True)
class Row:
    """Where a line sits: a list item or table row, and the role each table column's header names."""

    is_row: bool
    column_roles: tuple[str | None, ...] = ()
    column_units: tuple[tuple[str, int] | None, ...] = ()  # "Total Value (USD mm)": bare numbers there are money
    column_parties: tuple[str | None, ...] = ()  # "Licensor | Licensee": the role of the company in each column


# "(USD mm)", "(US$ m)", "（亿美元）", "(RMB million)": the currency and scale of a column's bare numbers
UNIT = re.compile(r"[（(]\s*(USD|US\$|\$|RMB|CNY|EUR|HKD)?\s*(mm|mn|m|millions?|bn|b|billions?|亿|億|万|萬|百万|百萬)?\s*"
                  r"(美元|人民币|人民幣|元|港元)?\s*[)）]", re.IGNORECASE)
CURRENCIES = {"usd": "USD", "us$": "USD", "$": "USD", "美元": "USD", "rmb": "CNY", "cny": "CNY", "人民币": "CNY",
              "人民幣": "CNY", "元": "CNY", "eur": "EUR", "hkd": "HKD", "港元": "HKD"}
SCALES = {"mm": 10**6, "mn": 10**6, "m": 10**6, "million": 10**6, "millions": 10**6, "百万": 10**6, "百萬": 10**6,
          "bn": 10**9, "b": 10**9, "billion": 10**9, "billions": 10**9, "亿": 10**8, "億": 10**8, "万": 10**4,
          "萬": 10**4}
BARE_NUMBER = re.compile(r"~?\s*(\d[\d,]*(?:\.\d+)?)")


def _header_units(cells: list[str]) -> tuple[tuple[str, int] | None, ...]:
    units: list[tuple[str, int] | None] = []
    for cell in cells:
        m = UNIT.search(cell)
        currency = (m.group(1) or m.group(3) or "").lower() if m else ""
        units.append((CURRENCIES[currency], SCALES.get((m.group(2) or "").lower(), 1)) if m and currency else None)
    return tuple(units)


def bare_figures(line: str, units: tuple[tuple[str, int] | None, ...]) -> list[tuple[int, int, int, str, int]]:
    """(start, end, column, currency, value) of each cell holding only a number, in a column whose header names
    a currency: "… | NSCLC | 367 | 30/05/2023" under "Total Value (USD mm)" is $367 million."""
    out = []
    position = 0
    for column, cell in enumerate(CELL.split(line)):
        start = line.find(cell, position) if cell else position
        position = start + len(cell)
        m = BARE_NUMBER.fullmatch(cell.strip())
        if m and column < len(units) and units[column] is not None:
            currency, scale = units[column]  # type: ignore[misc]
            offset = start + cell.find(m.group(1))
            value = float(m.group(1).replace(",", "")) * scale
            out.append((offset, offset + len(m.group(1)), column, currency, int(value)))
    return out


def _header_roles(cells: list[str]) -> tuple[str | None, ...]:
    headers = load_table_headers()
    roles = []
    for cell in cells:
        found = [CUE_ROLE[m.group(0).lower()] for m in CUE_RE.finditer(cell)]
        role = headers.get(cell.strip().casefold()) or (found[0] if found else None)
        roles.append(role)  # "none" too: a revenue or market-cap column holds no deal terms
    return tuple(roles)


def classify_lines(text: str) -> dict[int, Row]:
    """Line start offset -> Row, for every line that is a list item or a table row (other lines are absent)."""
    rows: dict[int, Row] = {}
    header: tuple[str | None, ...] = ()
    units: tuple[tuple[str, int] | None, ...] = ()
    parties: tuple[str | None, ...] = ()
    offset = 0
    for line in text.splitlines(keepends=True):
        cells = CELL.split(line.strip())
        if len(cells) >= MIN_CELLS:
            if not any(ch.isdigit() for ch in line) and (any(_header_roles(cells))
                                                        or any(c.strip().casefold() in load_party_headers() for c in cells)):
                header = _header_roles(cells)  # "Licensor | Licensee | Asset | Upfront | Total"
                units = _header_units(cells)
                parties = tuple(load_party_headers().get(cell.strip().casefold()) for cell in cells)
            else:
                same = len(header) == len(cells)
                rows[offset] = Row(True, header if same else (), units if same else (), parties if same else ())
        elif BULLET.match(line) and line.strip():
            rows[offset] = Row(True)
            header = ()
        elif line.strip():
            header = () if not line.strip().endswith((":", "：")) else header
        offset += len(line)
    return rows


def column_of(line: str, position: int) -> int:
    """The table column (0-based) that a character of a row line falls in."""
    return len(CELL.findall(line[:position]))

# A column headed "Licensor" says the role outright, as a filing's defined term does.
TABLE_ROLE_WEIGHT = 5


def row_amounts(raw: str, amounts: list[Amount], row: Row, line: str, line_start: int, lo: int) -> list[Amount]:
    """In a list item or table row, a figure no cue claims is its column's term, else the row's headline total;
    but "Jiangsu Hengrui's $16.7 billion" is one company's own sum, not a deal's."""
    if not row.column_roles and any(a.role in ROLES for a in amounts):
        return amounts  # "1、首付款30亿日元（约合人民币1.44亿元）": a list of one deal's terms, not of deals
    out = []
    for amount in amounts:
        before = raw[max(0, amount.start - 60):amount.start]
        own_sum = bool(POSSESSIVE_FIGURE.search(before)) and not PAIR_FIGURE.search(before)
        if amount.role == "none" and amount.cue_distance == NO_CUE and not own_sum:
            column = column_of(line, lo - line_start + amount.start)
            role = (row.column_roles[column] if column < len(row.column_roles) else None) or "total"
            amount = replace(amount, role=role)
        out.append(amount)
    return out


def unit_amounts(row: Row, line: str, line_start: int, lo: int, length: int) -> list[Amount]:
    """Bare numbers of a table row in columns whose header names a currency ("Total Value (USD mm)")."""
    out = []
    for start, end, column, currency, value in bare_figures(line, row.column_units):
        start, end = start + line_start - lo, end + line_start - lo
        if 0 <= start and end <= length:
            role = (row.column_roles[column] if column < len(row.column_roles) else None) or "total"
            money = Money(value=Decimal(value), currency=currency, text=line[start + lo - line_start:end + lo - line_start])
            out.append(Amount(start, end, money, role, NO_CUE - 1))
    return out


def table_votes(row: Row, text: str, line_start: int, hits: list[CompanyHit]) -> dict[str, int]:
    """Role votes from a table's party columns: the company in the "Licensor" column grants the rights."""
    if not any(row.column_parties):
        return {}
    line_end = text.find("\n", line_start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    votes: dict[str, int] = {}
    for hit in hits:
        if line_start <= hit.start < line_start + len(line):
            column = column_of(line, hit.start - line_start)
            role = row.column_parties[column] if column < len(row.column_parties) else None
            if role in ("licensor", "licensee"):
                votes[hit.key] = votes.get(hit.key, 0) + (TABLE_ROLE_WEIGHT if role == "licensor" else -TABLE_ROLE_WEIGHT)
    return votes


# What a party cell adds to the name: "AstraZeneca (UK)", "Simnova, affiliate of Simcere", "Merck/MSD (US)".
CELL_NAME = re.compile(r"^\s*([A-Za-z\u3400-\u9fff][^|｜(（,，/]{1,50}?)\s*(?:[(（,，/]|$)")


def party_cells(text: str) -> list[tuple[int, int]]:
    """Spans of the company names in a flattened table's party columns ("Licensor | Licensee", "China Company |
    Partner"): a cell there is a company whether or not its name carries a corporate word ("Novatim", "Amotop")."""
    spans: list[tuple[int, int]] = []
    for line_start, row in classify_lines(text).items():
        if not any(row.column_parties):
            continue
        line_end = text.find("\n", line_start)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        position = 0
        for column, cell in enumerate(CELL.split(line)):
            start = line.find(cell, position) if cell else position
            position = start + len(cell)
            m = CELL_NAME.match(cell)
            if m and column < len(row.column_parties) and row.column_parties[column] and not m.group(1)[0].isdigit():
                spans.append((line_start + start + m.start(1), line_start + start + m.end(1)))
    return spans


def paired_figures(raw: str, amounts: list[Amount]) -> list[Amount]:
    """"Hansoh–Regeneron's $2B GLP-1", "the $6B XtalPi–DoveTree platform alliance": a figure right after a
    dash-joined pair, or right before one, is that pair's deal value."""
    return [replace(a, role="total") if a.role == "none" and a.cue_distance == NO_CUE
            and (PAIR_FIGURE.search(raw[max(0, a.start - 60):a.start]) or FIGURE_BEFORE_PAIR.match(raw, a.end))
            else a for a in amounts]
