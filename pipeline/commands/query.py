"""`pharmadeals query`: read-only SQL over the database and its views."""
from __future__ import annotations

from typing import Annotated

import typer

from pharmadeals.pipeline.commands.common import ConfigOption, FormatOption, emit_rows, settings_for


def query(
    sql: Annotated[str, typer.Argument(help="One SQL statement; it runs on a read-only connection.")],
    config: ConfigOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Run read-only SQL; any statement that would write is refused and changes nothing.

    Example: pharmadeals query --format csv "SELECT licensor, licensee, total_usd FROM deal_summary"
    """
    from pharmadeals.models.readonly import run_query

    settings = settings_for(config)
    columns, rows = run_query(settings.database.url, sql, settings.database.busy_timeout_seconds)
    emit_rows(columns, rows, fmt)


def register(app: typer.Typer) -> None:
    app.command()(query)
