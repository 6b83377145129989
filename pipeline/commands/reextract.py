"""`pharmadeals reextract`: rebuild deals from stored articles with the current extractor, keeping overrides."""
from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pharmadeals.models.errors import EXIT_OK, EXIT_PARTIAL, InputError
from pharmadeals.pipeline.commands.common import (
    ConfigOption,
    FormatOption,
    console,
    emit_rows,
    err_console,
    settings_for,
    shown,
)


def reextract(
    config: ConfigOption = None,
    fmt: FormatOption = "table",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change, then roll everything back.")] = False,
) -> None:
    """Re-run the current extractor over every stored article and report deals added, removed and changed.

    Deal ids, reviewer overrides and history stay attached to the deals they belong to.
    --format csv prints one row per deal added or removed and per value changed.
    Example: pharmadeals reextract --dry-run
    """
    from pharmadeals.pipeline.lock import run_lock

    if fmt not in ("table", "csv", "json"):
        raise InputError(f"unknown format {fmt!r}", "use table, csv or json")
    settings = settings_for(config, writes=True)
    with run_lock(settings.database.url, "reextract"):  # never rebuild deals under a running ingest
        report = _rebuild(settings, dry_run)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        emit_rows(CHANGE_COLUMNS, change_rows(report), "csv")
    else:
        _print(report)
    raise typer.Exit(EXIT_PARTIAL if report.errors else EXIT_OK)


CHANGE_COLUMNS = ("change", "deal_id", "field", "old", "new")


def change_rows(report) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """Every deal added or removed and every value changed, one CSV row each."""
    rows: list[list[object]] = [["added", deal_id, "", "", ""] for deal_id in report.added]
    rows += [["removed", gone["deal_id"], "", f"{gone['licensor']} -> {gone['licensee']}", ""] for gone in report.removed]
    return rows + [["changed", c["deal_id"], c["field"], c["old"], c["new"]] for c in report.changed]


def _rebuild(settings, dry_run: bool):  # type: ignore[no-untyped-def]
    from pharmadeals.pipeline.reextract import reextract as run_reextract
    from pharmadeals.pipeline.run import open_storage

    storage = open_storage(settings)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} articles"),
                  TimeElapsedColumn(), console=err_console, disable=not console.is_terminal, transient=True) as bar:
        task = bar.add_task("re-extracting", total=None)
        return run_reextract(storage, settings, dry_run=dry_run,
                             progress=lambda url: bar.update(task, advance=1, description=url[-60:]))


def _print(report) -> None:  # type: ignore[no-untyped-def]
    if report.changed:
        emit_rows(("deal_id", "field", "old", "new"), [(c["deal_id"], c["field"], c["old"], c["new"])
                                                      for c in report.changed], "table", title="values changed")
    for gone in report.removed:
        print(f"removed deal {gone['deal_id']}: {shown(gone['licensor'])} -> {shown(gone['licensee'])} "
              f"({shown(gone['first_url'])})"
              + (f", {gone['overrides_dropped']} override(s) dropped" if gone["overrides_dropped"] else ""))
    for error in report.errors:
        print(f"error {error['url']}: {error['reason']}", file=sys.stderr)
    prefix = "dry run (nothing saved)" if report.dry_run else f"run {report.run_id}"
    print(f"{prefix}: articles={report.articles} deals kept={report.kept} added={len(report.added)} "
          f"removed={len(report.removed)} values changed={len(report.changed)} "
          f"overrides kept={report.overrides_kept} errors={len(report.errors)} seconds={report.seconds:.1f}")


def register(app: typer.Typer) -> None:
    app.command()(reextract)
