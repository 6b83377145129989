"""List items and flattened table rows: each is one deal's own block, whatever the article's tense.

Roundups print deals as bullets ("• Hengrui granted Elevar … in a deal pegged at $1 billion;"), as pairs with a
figure ("Hansoh–Regeneron's $2B GLP-1", "三生制药 × 辉瑞：60.5亿美元") and as tables flattened to lines
("Kelun-Biotech | Merck/MSD (US) | ADCs | … | Up to about $9.3B | 2022–"). A row is never background (its year is a
column), its pair is dealing when it states money, and a figure in it that no cue claims takes its column's role
from the table's header line, else it is the row's headline total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pharmadeals.extractors.amounts import CUE_RE, CUE_ROLE
from pharmadeals.extractors.cue_tables import load_table_headers

CELL = re.compile(r"\s*[|｜]\s*")
MIN_CELLS = 3
BULLET = re.compile(r"^\s*(?:[•·●▪■◆★☆\-*–—]|\d{1,2}[.)、]|[（(]\d{1,2}[)）])\s*")
# "Hansoh–Regeneron's $2B", "三生制药 × 辉瑞：60.5亿美元": two names joined by a dash or a times sign, then the figure
PAIR_FIGURE = re.compile(r"\S\s*(?:[–—×✕]|--)\s*[^\s–—×✕]{2,30}(?:'s|’s|的)?\s*[:：]?\s*(?:US|USD|RMB)?\s*[$¥€]?\s*$")

POSSESSIVE_FIGURE = re.compile(r"(?:'s|’s)\s*(?:US|USD)?\s*[$€]?\s*$")


@dataclass(frozen=True)
class Row:
    """Where a line sits: a list item or table row, and the role each table column's header names."""

    is_row: bool
    column_roles: tuple[str | None, ...] = ()


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
    offset = 0
    for line in text.splitlines(keepends=True):
        cells = CELL.split(line.strip())
        if len(cells) >= MIN_CELLS:
            if not any(ch.isdigit() for ch in line) and any(_header_roles(cells)):
                header = _header_roles(cells)  # "Licensor | Licensee | Asset | Upfront | Total"
            else:
                rows[offset] = Row(True, header if len(header) == len(cells) else ())
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
