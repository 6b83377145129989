"""Options and output helpers shared by every command (so each command stays a few lines)."""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pharmadeals.pipeline.config import Settings, load_settings

ConfigOption = Annotated[str | None, typer.Option(
    "--config", "-c", help="Config file (default: $PHARMADEALS_CONFIG or ./config.yaml).", show_default=False)]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Output format: table, csv or json.")]

console = Console()
if not console.is_terminal:  # files and pipes get full-width tables, not 80 columns
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
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(str(column), overflow="fold")
        for row in rows:
            table.add_row(*["" if v is None else _cell(v) for v in row])
        console.print(table)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, csv or json", param_hint="--format")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value)
