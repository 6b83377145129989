"""`pharmadeals db copy SRC_URL DST_URL`: move a whole database between SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Annotated

import typer

from pharmadeals.pipeline.commands.common import ConfigOption, console, emit_rows, settings_for


def db_copy(src_url: Annotated[str, typer.Argument(help="SQLAlchemy URL of the database to copy (read only).")],
            dst_url: Annotated[str, typer.Argument(help="SQLAlchemy URL of an empty database to fill.")],
            batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per insert batch.")] = 1000,
            config: ConfigOption = None) -> None:
    """Copy every table (migrating the destination to the current schema first) and verify row counts.

    Example: pharmadeals db copy sqlite:///data/pharmadeals.db postgresql+psycopg://deals@db.internal/pharmadeals
    """
    from pharmadeals.pipeline.dbcopy import copy_database

    settings_for(config, writes=True)  # logging as configured; the URLs come from the command line
    report = copy_database(src_url, dst_url, batch_size)
    if console.is_terminal:
        emit_rows(("table", "rows"), sorted(report.counts.items()), "table")
    print(f"copied {sum(report.counts.values())} rows in {len(report.counts)} tables from {report.source} "
          f"to {report.dest} (schema {report.revision}); row counts verified")


def register(app: typer.Typer) -> None:
    from pharmadeals.pipeline.commands.db import db_app

    db_app.command("copy")(db_copy)
