"""`pharmadeals db backup DEST`: an online copy of the SQLite database, safe while ingest runs."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pharmadeals.pipeline.commands.common import ConfigOption, settings_for


def db_backup(dest: Annotated[Path, typer.Argument(help="Backup file to create, or a folder for a time-stamped file.")],
              config: ConfigOption = None) -> None:
    """Copy the database with SQLite's online backup API (consistent even while a run writes).

    Example: pharmadeals db backup backups/   (restore: stop the timer, copy the file over the database)
    """
    from pharmadeals.models.backup import backup_database

    settings = settings_for(config, writes=True)
    result = backup_database(settings.database.url, dest, settings.database.busy_timeout_seconds)
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    print(f"backed up {result.source} to {result.dest} ({result.size:,} bytes; {counts}; integrity ok)")


def register(app: typer.Typer) -> None:
    from pharmadeals.pipeline.commands.db import db_app

    db_app.command("backup")(db_backup)
