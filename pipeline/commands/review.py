"""`pharmadeals review`: the last run (or --run ID, or one --deal ID) laid out for a human reviewer."""
from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from pharmadeals.models.errors import InputError
from pharmadeals.models.records import AMOUNT_ROLES
from pharmadeals.pipeline.commands.common import ConfigOption, FormatOption, console, emit_rows, settings_for, shown

HIGHLIGHT = "bold black on yellow"


def marked(text: str) -> Text:
    """Turn [[value]] marks into highlighted spans on a terminal; keep the marks in plain output."""
    from pharmadeals.pipeline.review import MARK_CLOSE, MARK_OPEN

    if not console.is_terminal:
        return Text(text)
    out = Text()
    rest = text
    while MARK_OPEN in rest and MARK_CLOSE in rest.split(MARK_OPEN, 1)[1]:
        before, tail = rest.split(MARK_OPEN, 1)
        value, rest = tail.split(MARK_CLOSE, 1)
        out.append(before)
        out.append(value, style=HIGHLIGHT)
    out.append(rest)
    return out


def _money(amounts: dict[str, Any]) -> str:
    parts = []
    for kind in AMOUNT_ROLES:
        if kind in amounts:
            a = amounts[kind]
            usd = f" (${a['usd'] / 1e6:,.1f}M)" if a.get("usd") is not None and a["currency"] != "USD" else ""
            flag = " CONFLICT" if a.get("conflict") else ""
            parts.append(f"{kind} {float(a['value']):,.0f} {a['currency']}{usd}{flag}")
    return "; ".join(parts) or "no amounts"


def _print_mentions(mentions: list[dict[str, Any]]) -> None:
    for m in mentions:
        console.print(f"  [dim]{m['published_on'] or ''} {m['kind']} conf {m['confidence']}[/dim] {m['url']}",
                      highlight=False)
        for line in m["evidence"]:
            console.print(Text("    “") + marked(line) + Text("”"))


RUN_CSV_COLUMNS = ("deal_id", "what", "confidence", "licensor", "licensee", "deal_type", "territory", "assets",
                   "amounts", "first_url")
DEAL_CSV_COLUMNS = ("url", "published_on", "kind", "confidence", "joined", "evidence")


def deal_rows(data: dict[str, Any]) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The run's deals as CSV rows (a deal removed since shows only its id and 'removed')."""
    rows = []
    for deal in data["deals"]:
        if deal.get("status") == "removed":
            rows.append([deal["deal_id"], "removed"] + [""] * (len(RUN_CSV_COLUMNS) - 2))
            continue
        first = deal["mentions"][0]["url"] if deal["mentions"] else ""
        rows.append([deal["deal_id"], deal["what"], deal["confidence"], deal["licensor"], deal["licensee"],
                     deal["deal_type"], deal["territory"], deal["assets"], _money(deal["amounts"]), first])
    return RUN_CSV_COLUMNS, rows


def article_rows(data: dict[str, Any]) -> tuple[tuple[str, ...], list[list[Any]]]:
    """One deal's articles as CSV rows, evidence lines joined with ' | '."""
    return DEAL_CSV_COLUMNS, [[m["url"], m["published_on"], m["kind"], m["confidence"], m["join_reason"],
                               " | ".join(m["evidence"])] for m in data["articles"]]


def print_run(data: dict[str, Any]) -> None:
    seconds = f"{data['seconds']:.1f}s" if data["seconds"] is not None else "?"
    console.print(f"[bold]Run {data['run_id']}[/bold] ({data['command']}, {data['status']}) started "
                  f"{data['started_at']}, took {seconds}", highlight=False)
    if data["status"] in ("running", "abandoned"):
        alive = "still beating" if data["status"] == "running" else "no heartbeat since; its process is gone"
        console.print(f"  last heartbeat {shown(data['heartbeat_at'])} ({alive})", highlight=False)
    table = Table(title="per source")
    for column in ("source", "discovered", "fetched", "duplicates", "deals", "no_deal", "errors"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for row in data["sources"]:
        table.add_row(row["source"], *[str(row[c]) for c in ("discovered", "fetched", "duplicates", "deals",
                                                              "no_deal", "errors")])
    console.print(table)
    console.print(f"[bold]Deals created or changed: {len(data['deals'])}[/bold] (least confident first)")
    for deal in data["deals"]:
        if deal.get("status") == "removed":
            console.print(f"deal {deal['deal_id']}: removed since", highlight=False)
            continue
        console.print(f"[bold]deal {deal['deal_id']}[/bold] {deal['what']} conf {deal['confidence']}: "
                      f"{shown(deal['licensor'])} -> {shown(deal['licensee'])} | {shown(deal['deal_type'])} | "
                      f"{shown(deal['territory'])} | {shown(deal['assets'])} | {_money(deal['amounts'])}", highlight=False)
        _print_mentions(deal["mentions"])
    console.print(f"[bold]Errors: {len(data['errors'])}[/bold]")
    for error in data["errors"]:
        console.print(f"  {error['url']}: {error['reason']}", highlight=False, markup=False)


def print_deal(data: dict[str, Any]) -> None:
    console.print(f"[bold]deal {data['deal_id']}[/bold] ({data['status']}) announced {shown(data['announced_on'])}: "
                  f"{shown(data['licensor'])} -> {shown(data['licensee'])} | {shown(data['direction'])} | "
                  f"{shown(data['deal_type'])} | {shown(data['territory'])} | {shown(data['assets'])} | "
                  f"royalties {shown(data['royalties'])}", highlight=False)
    console.print(f"  amounts: {_money(data['amounts'])}", highlight=False)
    console.print(f"[bold]Articles: {len(data['articles'])}[/bold]")
    for m in data["articles"]:
        _print_mentions([m])
        values = {k: (v["value"] + " " + v["currency"]) if isinstance(v, dict) else v
                  for k, v in m["values"].items() if v not in (None, "", [])}
        console.print(f"    values: {json.dumps(values, ensure_ascii=False)}", highlight=False, markup=False)
        console.print(f"    joined: {m['join_reason']}", highlight=False, markup=False)
    console.print(f"[bold]Overrides: {len(data['overrides'])}[/bold]")
    for o in data["overrides"]:
        console.print(f"  {o['created_at']} {o['reviewer']}: {o['field']} = {shown(o['value'])}"
                      + (f" ({o['reason']})" if o["reason"] else ""),
                      highlight=False, markup=False)
    console.print("[bold]History[/bold]")
    for h in data["history"]:
        detail = {k: v for k, v in h.items() if k not in ("at", "run_id", "what")}
        where = f"run {h['run_id']}" if h["run_id"] is not None else "review"
        console.print(f"  {h['at']} {where}: {h['what']} {json.dumps(detail, ensure_ascii=False)}",
                      highlight=False, markup=False)
    for e in data["events"]:
        console.print(f"  event {e['kind']} on {e['happened_on']}: {e['url']}", highlight=False, markup=False)
    console.print(f"[bold]Amount history: {len(data['amount_history'])}[/bold] (figures an amendment changed)")
    for a in data["amount_history"]:
        now = " (current)" if a["current"] else " (earlier)"
        console.print(f"  {shown(a['effective_on'])} {a['kind']} {float(a['value']):,.0f} {a['currency']} "
                      f"{a['event']}{now}: {shown(a['url'])}", highlight=False, markup=False)


def review(
    config: ConfigOption = None,
    fmt: FormatOption = "table",
    run: Annotated[int | None, typer.Option("--run", help="Review this run instead of the last one.")] = None,
    deal: Annotated[int | None, typer.Option("--deal", help="Show one deal with all its articles and history.")] = None,
    runs: Annotated[bool, typer.Option("--runs", help="List the last 20 runs with their status "
                                                      "(a silent 'running' run shows as 'abandoned').")] = False,
) -> None:
    """Review the last run: counters per source, deals it created or changed (least confident first), errors.

    --format csv prints one row per deal of the run (or, with --deal, per article of the deal).
    Example: pharmadeals review --run 12 --format json ; pharmadeals review --deal 42 ; pharmadeals review --runs
    """
    from pharmadeals.models.base import make_engine, session_factory
    from pharmadeals.pipeline.review import RUN_COLUMNS, list_runs, review_deal, review_run

    if fmt not in ("table", "csv", "json"):
        raise InputError(f"unknown format {fmt!r}", "use table, csv or json")
    settings = settings_for(config)
    engine = make_engine(settings.database.url, settings.database.busy_timeout_seconds, read_only=True)
    if runs:
        with session_factory(engine)() as session:
            listed = list_runs(session)
        emit_rows(RUN_COLUMNS, [[r[c] for c in RUN_COLUMNS] for r in listed], fmt, title="runs")
        return
    with session_factory(engine)() as session:
        data = review_deal(session, deal) if deal is not None else review_run(session, run)
    if fmt == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        emit_rows(*(article_rows(data) if deal is not None else deal_rows(data)), "csv")
    elif deal is not None:
        print_deal(data)
    else:
        print_run(data)


def register(app: typer.Typer) -> None:
    app.command()(review)
