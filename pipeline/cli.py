"""The `pharmadeals` command line: parse flags, load settings, call one function, format the result.

Errors print as one line (`error: <what>; <what to do>`) with the documented exit code; `--debug`
anywhere on the command line shows the traceback instead.
"""
from __future__ import annotations

import importlib
import sys
import traceback

import typer

from pharmadeals.models.errors import EXIT_FATAL, PharmadealsError
from pharmadeals.pipeline.commands.common import DEBUG

COMMAND_MODULES = (
    "pharmadeals.pipeline.commands.ingest",
    "pharmadeals.pipeline.commands.extract",
    "pharmadeals.pipeline.commands.query",
    "pharmadeals.pipeline.commands.db",
    "pharmadeals.pipeline.commands.backup",
    "pharmadeals.pipeline.commands.evaluate",
    "pharmadeals.pipeline.commands.report",
    "pharmadeals.pipeline.commands.review",
    "pharmadeals.pipeline.commands.correct",
    "pharmadeals.pipeline.commands.reextract",
    "pharmadeals.pipeline.commands.companies",
    "pharmadeals.pipeline.commands.dbcopy",
    "pharmadeals.pipeline.commands.backfill",
)

app = typer.Typer(
    name="pharmadeals",
    help="Track cross-border pharma licensing deals from English and Chinese news.\n\n"
         "Example: pharmadeals ingest --files samples/ && pharmadeals query \"SELECT * FROM deal_summary\"",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command module not written yet
                continue
            raise
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args:
        args.remove("--debug")
        DEBUG[0] = True
    try:
        code = app(args=args, prog_name="pharmadeals", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except PharmadealsError as exc:
        if DEBUG[0]:
            traceback.print_exc()
        print(exc.one_line(), file=sys.stderr)
        sys.exit(exc.exit_code)
    except (typer.Exit, SystemExit) as exc:
        code = exc.exit_code if isinstance(exc, typer.Exit) else exc.code
        sys.exit(code or 0)
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        print("error: interrupted; committed articles are kept, rerun to finish", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors come through here too
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2)
        if DEBUG[0]:
            traceback.print_exc()
        print(f"error: unexpected {type(exc).__name__}: {exc}; rerun with --debug and report it", file=sys.stderr)
        sys.exit(EXIT_FATAL)


if __name__ == "__main__":
    main()
