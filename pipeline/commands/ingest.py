"""`pharmadeals ingest`: the main job, run by cron."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pharmadeals.models.errors import InputError
from pharmadeals.pipeline.commands.common import ConfigOption, console, emit_rows, err_console, settings_for
from pharmadeals.pipeline.counters import RunCounters

SUMMARY_COLUMNS = ("source", "discovered", "fetched", "not_modified", "skipped", "duplicates", "deals",
                   "no_deal", "errors")


NOTHING_REACHED_HINT = ("check this host's network connection, any proxy or firewall on the way out, and that "
                        "PHARMADEALS_CONTACT holds a real e-mail (README 'Troubleshooting')")


def summary_rows(counters: RunCounters) -> list[list[object]]:
    rows = []
    for name, c in sorted(counters.sources.items()):
        data = c.as_dict()
        rows.append([name] + [data[col] for col in SUMMARY_COLUMNS[1:]])
    return rows


def ingest(
    config: ConfigOption = None,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Run only this source (repeatable).")] = None,
    files: Annotated[str | None, typer.Option("--files", help="Ingest a folder of saved pages instead of the configured sources.")] = None,
    replay: Annotated[list[str] | None, typer.Option("--replay", help="Re-run the pipeline from a WARC archive (repeatable); no network.")] = None,
    max_runtime: Annotated[float | None, typer.Option("--max-runtime", help="Stop cleanly after this many seconds (the article in hand is finished).")] = None,
) -> None:
    """Fetch, extract and store deals from the configured sources.

    One run at a time: a run started while another holds the lock exits at once with code 3.

    Exit codes: 0 ok, 1 some items failed, 2 usage or config, 3 locked, 4 database, 5 no source reachable,
    130/143 stopped by SIGINT/SIGTERM.

    Example: pharmadeals ingest --config config.yaml --source hkex_latest --max-runtime 3000
    """
    from pharmadeals.pipeline.run import ingest as run_ingest

    if files is not None and not Path(files).is_dir():
        raise InputError(f"--files {files} is not a folder", "give the folder that holds the saved pages")
    missing = [path for path in replay or [] if not Path(path).is_file()]
    if missing:
        raise InputError(f"WARC file(s) not found: {', '.join(missing)}", "pass existing .warc or .warc.gz files")
    settings = settings_for(config, writes=True)
    interactive = console.is_terminal
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} items"),
                  TimeElapsedColumn(), console=err_console, disable=not interactive, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(source: str, url: str) -> None:
            bar.update(task, advance=1, description=f"{source}: {url[-60:]}")

        report = run_ingest(settings, source_names=source, files_dir=files, replay=replay,
                            max_runtime=max_runtime, progress=progress)
    c = report.counters
    if interactive:
        emit_rows(SUMMARY_COLUMNS, summary_rows(c), "table", title=f"run {report.run_id}: {report.status}")
    for name, counters in sorted(c.sources.items()):
        if counters.source_skipped and interactive:  # without a terminal the log's warning line says it
            print(f"warning: source {name} skipped: {counters.source_skipped}", file=sys.stderr)
        if counters.source_error:
            print(f"source {name}: {counters.source_error}", file=sys.stderr)  # one unwrapped line each
    print(f"run {report.run_id} {report.status}: fetched={c.total('fetched')} deals={c.total('deals')} "
          f"no_deal={c.total('no_deal')} duplicates={c.total('duplicates')} errors={c.total('errors')} "
          f"seconds={c.seconds:.1f}" + (f" (stopped early: {report.stopped_by})" if report.stopped_by else ""))
    if c.none_reachable():
        failed = len(c.unreachable())
        print(f"error: no source answered ({failed} of {failed} failed); {NOTHING_REACHED_HINT}",
              file=sys.stderr)
    raise typer.Exit(report.exit_code)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
