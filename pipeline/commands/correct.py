"""`pharmadeals correct`: store a reviewer's corrections (who, when, why) that win over re-extraction."""
from __future__ import annotations

from typing import Annotated

import typer

from pharmadeals.pipeline.commands.common import ConfigOption, settings_for


def correct(
    deal_id: Annotated[int, typer.Argument(help="The deal to correct (deal_summary.deal_id).")],
    changes: Annotated[list[str] | None, typer.Argument(
        help="field=value pairs. Fields: deal_type, territory, direction, announced_on, assets, royalties, "
             "licensor, licensee, upfront, milestones, total, equity (\"VALUE CUR\" or none), status.",
        show_default=False)] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Mark the deal rejected: deal_summary hides it.")] = False,
    reviewer: Annotated[str, typer.Option("--reviewer", envvar="USER", help="Who made the correction (default: $USER).")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why, in a few words (kept with the override).")] = "",
    new_company: Annotated[bool, typer.Option("--new-company", help="Create the licensor/licensee company when no "
                                              "known company has that name (refused otherwise).")] = False,
    config: ConfigOption = None,
) -> None:
    """Correct a deal's fields or reject it; corrections are kept and re-applied after every re-extraction.

    Example: pharmadeals correct 42 total="1710000000 USD" territory=ex-China --reason "HKEX filing"
    """
    from pharmadeals.pipeline.normalize.overrides import correct_deal
    from pharmadeals.pipeline.run import open_storage

    settings = settings_for(config, writes=True)
    storage = open_storage(settings)
    with storage.sessions.begin() as session:
        corrections = correct_deal(session, settings, deal_id, list(changes or []), reject, reviewer, reason,
                                   new_company=new_company)
    for item in corrections:
        mark = "" if item.changed else " (already so)"
        print(f"deal {deal_id}: {item.field} {item.before!s} -> {item.after!s}{mark}")
    print(f"stored {len(corrections)} override(s) by {reviewer}" + (f": {reason}" if reason else ""))


def register(app: typer.Typer) -> None:
    app.command()(correct)
