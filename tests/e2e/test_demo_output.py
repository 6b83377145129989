"""What people read: on the `make demo` database, under an 80-column terminal, tables wrap only between words (or
turn into one block per row) and no command prints a Python value (None, True, False, an empty '()')."""
from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

Cli = Callable[..., subprocess.CompletedProcess[str]]
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample.warc.gz"
DEMO_SQL = ("SELECT deal_id, announced_on, licensor, licensee, deal_type, territory, ROUND(upfront_usd/1e6,1) AS "
            "upfront_musd, ROUND(total_usd/1e6,1) AS total_musd, article_count FROM deal_summary ORDER BY announced_on")
PYTHON_VALUES = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\(\)")
NARROW = {"COLUMNS": "80"}


@pytest.fixture
def demo(tmp_path: Path, run_cli: Cli) -> Cli:
    (tmp_path / "config.yaml").write_text("database: {url: 'sqlite:///demo.db'}\narchive: {enabled: false}\n"
                                          "logging: {file: null}\nsources: []\n", encoding="utf-8")
    replayed = run_cli("ingest", "--replay", str(SAMPLE))
    assert replayed.returncode == 0, replayed.stderr
    return run_cli


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]


def test_the_demo_table_fits_80_columns_without_cutting_a_value(demo: Cli) -> None:
    shown = demo("query", DEMO_SQL, env=NARROW)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines and all(cell_len(line) <= 80 for line in lines)
    rows = json.loads(demo("query", DEMO_SQL, "--format", "json").stdout)
    assert len(rows) == 10
    words = {word for row in rows for value in row.values() if value is not None for word in displayed(value).split()}
    cut = [word for word in words if not any(word in line for line in lines)]
    assert cut == [], f"values cut across lines: {cut}"


def displayed(value: object) -> str:
    """A value as the table shows it (figures of a thousand and more with thousands separators)."""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value)


@pytest.mark.parametrize("args", [
    ["query", DEMO_SQL], ["query", "SELECT * FROM deal_summary"], ["query", "SELECT * FROM deal_sources"],
    ["review"], ["report", "trends"], ["report", "trends", "--period", "half"],
    ["report", "breakdown", "--by", "deal_type"], ["companies", "list"], ["companies", "list", "--review"],
    ["db", "current"], ["reextract", "--dry-run"],
])
def test_no_python_values_and_tables_fit(demo: Cli, args: list[str]) -> None:
    result = demo(*args, env=NARROW)
    assert result.returncode == 0, result.stderr
    assert PYTHON_VALUES.findall(result.stdout) == [], result.stdout
    assert all(cell_len(line) <= 80 for line in table_lines(result.stdout)), result.stdout


def test_no_python_values_in_any_deal_review(demo: Cli) -> None:
    ids = [row["deal_id"] for row in json.loads(demo("query", "SELECT deal_id FROM deal_summary", "--format",
                                                     "json").stdout)]
    for deal_id in ids:
        result = demo("review", "--deal", str(deal_id), env=NARROW)
        assert result.returncode == 0, result.stderr
        assert PYTHON_VALUES.findall(result.stdout) == [], result.stdout


def test_the_demo_keeps_recalled_deals_apart_and_reads_the_stated_territory(demo: Cli) -> None:
    """Reuters recalls GSK's earlier Hansoh ADC (HS-20089) beside today's HS-20093 deal: the older asset is a deal of
    its own, undated (the text gives only a month), not an asset of today's; Yicai's 'markets' HUTCHMED hopes to
    reach do not outweigh the 'outside of China' both reports state."""
    rows = json.loads(demo("query", "SELECT licensor, licensee, assets, territory, announced_on, upfront_usd FROM "
                           "deal_summary WHERE licensee IN ('GSK', 'Takeda') AND licensor IN ('Hansoh Pharmaceutical', "
                           "'HUTCHMED') ORDER BY upfront_usd", "--format", "json").stdout)
    assert [(r["assets"], r["announced_on"], r["upfront_usd"]) for r in rows if r["licensee"] == "GSK"] == [
        ("HS-20089", None, 85e6), ("HS-20093", "2024-10-20", 185e6)]
    assert [r["territory"] for r in rows if r["licensee"] == "Takeda"] == ["ex-China"]
