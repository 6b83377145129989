"""`pharmadeals report trends|breakdown`: aggregates over deal_summary, always with the scope they applied."""
from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from pharmadeals.models.errors import InputError
from pharmadeals.pipeline.commands.common import ConfigOption, FormatOption, console, err_console, settings_for

report_app = typer.Typer(help="Trend and breakdown reports over the deal_summary view; `report` alone is `report trends`.",
                         invoke_without_command=True)

DirectionOpt = Annotated[str, typer.Option("--direction", help="out, in, other or all.")]
DealTypeOpt = Annotated[list[str] | None, typer.Option("--deal-type", help="Only this deal model (repeatable): license, option, co_development, newco, research_collaboration, acquisition.")]
TerritoryOpt = Annotated[list[str] | None, typer.Option("--territory", help="Only this territory (repeatable): global, ex-China, regional, China.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Announced on or after YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Announced on or before YYYY-MM-DD.")]
CompanyOpt = Annotated[str | None, typer.Option("--company", help="Licensor or licensee name contains this text.")]
ScopeOpt = Annotated[str, typer.Option("--scope", help="HQ of the Chinese party (licensor if out, licensee if in): mainland (CN), china (CN/HK/MO/TW) or all.")]
DisclosedOpt = Annotated[bool, typer.Option("--disclosed-only", help="Only deals with a disclosed total value.")]
ExcludeOpt = Annotated[str | None, typer.Option("--exclude", help="Comma list, e.g. biosimilar,generic,vaccine: drops deals whose assets or evidence sentences mention it.")]
NewcoOpt = Annotated[bool, typer.Option("--newco/--no-newco", help="Count NewCo deals (default) or leave them out.")]


def _day(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} {value!r} is not a date", "use YYYY-MM-DD") from None


def make_scope(direction: str, deal_type: list[str] | None, territory: list[str] | None, since: str | None,
               until: str | None, company: str | None, scope: str, disclosed_only: bool, exclude: str | None,
               newco: bool):  # type: ignore[no-untyped-def]
    """The report scope from command-line (or web form) options; bad values are InputErrors."""
    from pharmadeals.pipeline.reports import SCOPE_COUNTRIES, Scope

    if scope not in SCOPE_COUNTRIES:
        raise InputError(f"--scope {scope!r} is unknown", f"use one of {', '.join(SCOPE_COUNTRIES)}")
    if direction not in ("out", "in", "other", "all"):
        raise InputError(f"--direction {direction!r} is unknown", "use out, in, other or all")
    terms = tuple(t.strip().lower() for t in (exclude or "").split(",") if t.strip())
    return Scope(direction=None if direction == "all" else direction, deal_types=tuple(deal_type or ()),
                 territories=tuple(territory or ()), since=_day(since, "--since"), until=_day(until, "--until"),
                 company=company, region=scope, disclosed_only=disclosed_only, exclude=terms, newco=newco)


def _engine(config: str | None):  # type: ignore[no-untyped-def]
    from pharmadeals.models.base import make_engine

    settings = settings_for(config)
    return make_engine(settings.database.url, settings.database.busy_timeout_seconds, read_only=True)


def _money(value: float | None) -> str:
    return "" if value is None else f"{value / 1e6:,.1f}"


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def emit_report(report: Any, fmt: str, key: str) -> None:
    """Print a report as a rich table (with scope and deal count), CSV (scope as # lines) or JSON."""
    columns = [key, "deals", "upfront_usd", "total_usd", "equity_usd", "median_upfront_share"]
    if report.kind == "breakdown":
        columns.insert(5, "share_of_total")
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        for rule in report.scope.rules():
            buffer.write(f"# scope: {rule}\n")
        buffer.write(f"# deals counted: {len(report.deal_ids)}\n")
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[row[c] for c in columns] for row in report.rows])
        sys.stdout.write(buffer.getvalue())
    elif fmt == "table":
        table = Table(title=f"{report.kind} by {key}", caption_justify="left")
        headers = {"upfront_usd": "upfront $M", "total_usd": "total $M", "equity_usd": "equity $M",
                   "median_upfront_share": "median upfront/total", "share_of_total": "share of total"}
        for column in columns:
            table.add_column(headers.get(column, column), justify="left" if column == key else "right")
        for row in report.rows:
            table.add_row(str(row[key]), str(row["deals"]), *[
                _share(row[c]) if "share" in c else _money(row[c]) for c in columns[2:]])
        console.print(table)
        console.print("Scope: " + "; ".join(report.scope.rules()), highlight=False, soft_wrap=True)
        extra = f", {len(report.undated_ids)} undated deal(s) left out" if report.undated_ids else ""
        console.print(f"Deals counted: {len(report.deal_ids)}{extra} (ids: --format json)", highlight=False)
    else:
        raise InputError(f"unknown format {fmt!r}", "use table, csv or json")


@report_app.command("trends")
def trends_cmd(config: ConfigOption = None, fmt: FormatOption = "table",
               period: Annotated[str, typer.Option("--period", help="half, quarter or year.")] = "half",
               direction: DirectionOpt = "out", deal_type: DealTypeOpt = None, territory: TerritoryOpt = None,
               since: SinceOpt = None, until: UntilOpt = None, company: CompanyOpt = None,
               scope: ScopeOpt = "all", disclosed_only: DisclosedOpt = False, exclude: ExcludeOpt = None,
               newco: NewcoOpt = True,
               plot: Annotated[str | None, typer.Option("--plot", help="Also write a PNG chart here.")] = None,
               ) -> None:
    """Deal count, upfront/total/equity sums and median upfront share per half-year, quarter or year.

    Example: pharmadeals report trends --period half --scope mainland --exclude biosimilar --plot h.png
    """
    from pharmadeals.pipeline.reports import PERIODS, trends

    if period not in PERIODS:
        raise InputError(f"--period {period!r} is unknown", "use half, quarter or year")
    chosen = make_scope(direction, deal_type, territory, since, until, company, scope, disclosed_only, exclude, newco)
    report = trends(_engine(config), chosen, period)
    emit_report(report, fmt, "period")
    if plot:
        from pharmadeals.pipeline.plots import plot_trends

        err_console.print(f"chart written to {plot_trends(report, plot)}", highlight=False)


@report_app.command("breakdown")
def breakdown_cmd(config: ConfigOption = None, fmt: FormatOption = "table",
                  by: Annotated[str, typer.Option("--by", help="deal_type, territory, licensee_country, licensor or licensee.")] = "deal_type",
                  top: Annotated[int, typer.Option("--top", min=1, help="Show the N largest groups.")] = 10,
                  direction: DirectionOpt = "out", deal_type: DealTypeOpt = None, territory: TerritoryOpt = None,
                  since: SinceOpt = None, until: UntilOpt = None, company: CompanyOpt = None,
                  scope: ScopeOpt = "all", disclosed_only: DisclosedOpt = False, exclude: ExcludeOpt = None,
                  newco: NewcoOpt = True) -> None:
    """Deals grouped by deal model, territory, licensee country, licensor or licensee (top N by total).

    Example: pharmadeals report breakdown --by licensee --top 5 --since 2025-01-01 --format csv
    """
    from pharmadeals.pipeline.reports import BREAKDOWNS, breakdown

    if by not in BREAKDOWNS:
        raise InputError(f"--by {by!r} is unknown", f"use one of {', '.join(BREAKDOWNS)}")
    chosen = make_scope(direction, deal_type, territory, since, until, company, scope, disclosed_only, exclude, newco)
    emit_report(breakdown(_engine(config), chosen, by, top), fmt, by)


@report_app.callback()
def _default(ctx: typer.Context) -> None:
    """Trend and breakdown reports over the deal_summary view; `report` alone is `report trends`."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(trends_cmd)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
