"""`pharmadeals db ...`: schema migrations and database housekeeping."""
from __future__ import annotations

from typing import Annotated

import typer

from pharmadeals.pipeline.commands.common import ConfigOption, settings_for

db_app = typer.Typer(help="Database schema and housekeeping.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None,
               revision: Annotated[str, typer.Option(help="Target Alembic revision.")] = "head") -> None:
    """Create or upgrade the schema (also done automatically at the start of every run).

    Example: pharmadeals db upgrade --config config.yaml
    """
    from pharmadeals.models.base import make_engine
    from pharmadeals.models.migrate import upgrade
    from pharmadeals.pipeline.lock import run_lock

    settings = settings_for(config, writes=True)
    engine = make_engine(settings.database.url, settings.database.busy_timeout_seconds)
    with run_lock(settings.database.url, "db upgrade"):  # never migrate under a running ingest
        print(f"database at revision {upgrade(engine, revision)}")


@db_app.command("current")
def db_current(config: ConfigOption = None) -> None:
    """Print the schema revision of the database.

    Example: pharmadeals db current
    """
    from pharmadeals.models.base import make_engine
    from pharmadeals.models.migrate import current_revision, head_revision

    settings = settings_for(config)
    engine = make_engine(settings.database.url, settings.database.busy_timeout_seconds, read_only=True)
    print(f"current {current_revision(engine) or 'none'}, head {head_revision()}")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
