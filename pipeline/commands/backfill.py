"""`pharmadeals backfill`: process WARC archives in parallel on a Dask cluster."""
from __future__ import annotations

import importlib.util
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pharmadeals.models.errors import InputError
from pharmadeals.pipeline.commands.common import ConfigOption, console, emit_rows, err_console, settings_for
from pharmadeals.pipeline.commands.ingest import SUMMARY_COLUMNS, summary_rows


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def backfill(
    warc: Annotated[list[str], typer.Option("--warc", help="WARC file or quoted glob (repeatable), e.g. 'archive/*.warc.gz'.")],
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local cluster.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Local worker processes (default: one per CPU); with --scheduler, wait for this many workers.")] = None,
    config: ConfigOption = None,
) -> None:
    """Extract deals from archived pages in parallel with Dask; files already processed are skipped.

    Example: pharmadeals backfill --warc 'archive/*.warc.gz' --scheduler tcp://10.0.0.5:8786
    """
    if not (_installed("dask") and _installed("distributed")):
        raise InputError("backfill needs the dask extra", "pip install 'pharmadeals[dask]'")
    from pharmadeals.pipeline.backfill import backfill as run_backfill

    settings = settings_for(config, writes=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, disable=not console.is_terminal, transient=True) as bar:
        task = bar.add_task("backfill", total=None)

        def on_file(result, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
            bar.update(task, completed=done, total=total, description=f"{result.path[-50:]}")

        report = run_backfill(settings, warc, scheduler, workers, on_file)
    c = report.counters
    if console.is_terminal:
        emit_rows(SUMMARY_COLUMNS, summary_rows(c), "table", title=f"run {report.run_id}: {report.status}")
    print(f"run {report.run_id} {report.status}: files={report.files} skipped={len(report.skipped)} "
          f"pages={report.pages} deals={c.total('deals')} no_deal={c.total('no_deal')} "
          f"duplicates={c.total('duplicates')} errors={c.total('errors')} seconds={report.seconds:.1f} "
          f"pages_per_s={report.pages_per_second:.1f}")
    raise typer.Exit(report.exit_code)


def register(app: typer.Typer) -> None:
    app.command()(backfill)
