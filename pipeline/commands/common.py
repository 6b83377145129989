"""Options and output helpers shared by every command (so each command stays a few lines)."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pharmadeals.pipeline.config import Settings, load_settings

ConfigOption = Annotated[str | None, typer.Option(
    "--config", "-c", help="Config file (default: $PHARMADEALS_CONFIG or ./config.yaml).", show_default=False)]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Output format: table, csv or json.")]

console = Console()
if not console.is_terminal and not os.environ.get("COLUMNS"):  # files and pipes get wide tables, unless COLUMNS says
    console = Console(width=240)
err_console = Console(stderr=True)


def settings_for(config: str | None, writes: bool = False) -> Settings:
    """Load settings and set up logging: every command starts here. Only commands that write keep the run
    log file; a read-only command (extract, query, report, review, db current) creates nothing."""
    from pharmadeals.pipeline.logs import configure_logging

    settings = load_settings(config)
    logging = settings.logging if writes else settings.logging.model_copy(update={"file": None})
    configure_logging(logging, settings.database.url, debug=DEBUG[0])
    return settings


DEBUG = [False]  # set by pipeline.cli.main from --debug


def jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def emit_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, title: str | None = None) -> None:
    """Print rows as a rich table, CSV or a JSON array of objects."""
    if fmt == "json":
        data = [{c: jsonable(v) for c, v in zip(columns, row)} for row in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[jsonable(v) for v in row] for row in rows])
        sys.stdout.write(buffer.getvalue())
    elif fmt == "table":
        cells = [["" if v is None else _cell(v) for v in row] for row in rows]
        if _fits(columns, cells, console.width):
            _print_table(columns, cells, title)
        else:
            _print_records(columns, cells, title)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, csv or json", param_hint="--format")


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _fits(columns: Sequence[str], cells: list[list[str]], width: int) -> bool:
    """Whether a table can show every cell wrapping only between words (3 cells of border and padding a column)."""
    needed = [max([_longest_word(str(c))] + [_longest_word(row[i]) for row in cells]) for i, c in enumerate(columns)]
    return sum(needed) + 3 * len(columns) + 1 <= width


def _print_table(columns: Sequence[str], cells: list[list[str]], title: str | None) -> None:
    table = Table(title=title, show_lines=False)
    for i, column in enumerate(columns):
        word = max([_longest_word(str(column))] + [_longest_word(row[i]) for row in cells])
        table.add_column(str(column), overflow="fold", min_width=word)  # wraps between words, never inside one
    for row in cells:
        table.add_row(*row)
    console.print(table)


def _print_records(columns: Sequence[str], cells: list[list[str]], title: str | None) -> None:
    """Too wide for the terminal: one block per row, `column  value` per line, long values wrapped at words."""
    if title:
        console.print(title, highlight=False, markup=False)
    label = max(cell_len(str(c)) for c in columns)
    for n, row in enumerate(cells, 1):
        console.print(f"-- row {n} --", highlight=False, markup=False)
        for column, value in zip(columns, row):
            console.print(Text(str(column).ljust(label) + "  ") + Text(value), highlight=False)


def shown(value: Any) -> str:
    """A value as a person reads it: nothing is a dash, booleans are yes/no, never Python's None/True/False."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return shown(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value)
