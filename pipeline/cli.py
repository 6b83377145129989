"""The `pharmadeals` command line: parse flags, load settings, call one function, format the result.

Errors print as one line (`error: <what>; <what to do>`) with the documented exit code; `--debug`
anywhere on the command line shows the traceback instead.
"""
from __future__ import annotations

import importlib
import sys
import traceback
from importlib.metadata import version
from typing import Annotated

import typer

from pharmadeals.models.errors import EXIT_CONFIG, EXIT_FATAL, PharmadealsError
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
    "pharmadeals.pipeline.commands.serve",
)

app = typer.Typer(
    name="pharmadeals",
    help="Track cross-border pharma licensing deals from English and Chinese news.\n\n"
         "Example: pharmadeals ingest --files samples/ && pharmadeals query \"SELECT * FROM deal_summary\"",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]})


def _show_version(value: bool) -> None:
    if value:
        print(f"pharmadeals {version('pharmadeals')}")
        raise typer.Exit(0)


@app.callback()
def _options(show_version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Print the version and exit.")] = False) -> None:
    """Track cross-border pharma licensing deals from English and Chinese news."""


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


def _is_usage_error(exc: BaseException) -> bool:
    """Click's usage errors (unknown option or command, missing or bad argument); typer may vendor click, so
    the class is recognised by name rather than imported."""
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__)


def _sql_last(args: list[str]) -> list[str]:
    """`query "-- a comment\nSELECT ..."`: an argument that starts with a dash but holds spaces or lines is SQL,
    not an option; it goes after `--` so the parser takes it as the positional argument."""
    if "--" in args or not args or args[0] != "query":
        return args
    text = [a for a in args[1:] if a.startswith("-") and any(c.isspace() for c in a)]
    return [a for a in args if a not in text] + (["--", *text] if text else [])


# Options that take several values after one flag, as a shell glob gives them: `ingest --replay a.warc.gz b.warc.gz`.
MULTI_VALUE_OPTIONS = {("ingest", "--replay")}


def _spread_multi_values(args: list[str]) -> list[str]:
    """`--replay a b` becomes `--replay a --replay b`; values run until the next option."""
    out: list[str] = []
    flag: str | None = None
    for arg in args:
        if arg.startswith("-"):
            flag = arg if (args[0], arg) in MULTI_VALUE_OPTIONS else None
            out.append(arg)
        elif flag is not None and out[-1] != flag:
            out += [flag, arg]
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args:
        args.remove("--debug")
        DEBUG[0] = True
    args = _sql_last(_spread_multi_values(args))
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
        if _is_usage_error(exc):
            exc.show()  # type: ignore[attr-defined]  # the usage line, the error and click's "did you mean"
            sys.exit(EXIT_CONFIG)
        if DEBUG[0]:
            traceback.print_exc()
        print(f"error: unexpected {type(exc).__name__}: {exc}; rerun with --debug and report it", file=sys.stderr)
        sys.exit(EXIT_FATAL)


if __name__ == "__main__":
    main()
