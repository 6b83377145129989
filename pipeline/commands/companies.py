"""`pharmadeals companies ...`: review and fix company identity by hand."""
from __future__ import annotations

from typing import Annotated

import typer

from pharmadeals.pipeline.commands.common import ConfigOption, FormatOption, emit_rows, settings_for

companies_app = typer.Typer(help="Review and fix company identity.", no_args_is_help=True)


def _storage(config: str | None):  # type: ignore[no-untyped-def]
    from pharmadeals.pipeline.run import open_storage

    return open_storage(settings_for(config, writes=True))


@companies_app.command("list")
def list_companies(config: ConfigOption = None, fmt: FormatOption = "table",
                   review: Annotated[bool, typer.Option("--review", help="Only names flagged for review.")] = False) -> None:
    """List companies with their deal counts (flagged ones with --review).

    Example: pharmadeals companies list --review
    """
    from sqlalchemy import func, select  # imported here: every command loads this module, few touch the database

    from pharmadeals.models.tables import Company, Deal

    storage = _storage(config)
    deals = func.count(Deal.id)
    stmt = (select(Company.id, Company.name, Company.country, Company.registry_id, Company.needs_review, deals)
            .outerjoin(Deal, (Deal.licensor_id == Company.id) | (Deal.licensee_id == Company.id))
            .where(Company.merged_into.is_(None)).group_by(Company.id).order_by(deals.desc(), Company.name))
    if review:
        stmt = stmt.where(Company.needs_review.is_(True))
    with storage.sessions() as session:
        rows = [tuple(r) for r in session.execute(stmt)]
    emit_rows(("id", "name", "country", "registry_id", "needs_review", "deals"), rows, fmt)


@companies_app.command("merge")
def merge(source: Annotated[str, typer.Argument(help="Company to fold away (id or name).")],
          target: Annotated[str, typer.Argument(help="Company that remains (id or name).")],
          config: ConfigOption = None) -> None:
    """Merge company SOURCE into TARGET (deals that become duplicates are folded); the fix persists.

    Example: pharmadeals companies merge "Hengrui Medicine Co" "Jiangsu Hengrui Pharmaceuticals"
    """
    from pharmadeals.pipeline.normalize.identity_fixes import merge_companies
    from pharmadeals.pipeline.run import open_storage

    settings = settings_for(config, writes=True)
    storage = open_storage(settings)
    with storage.sessions.begin() as session:
        old, new, moved = merge_companies(session, source, target, settings)
        print(f"merged {old.name!r} (id {old.id}) into {new.name!r} (id {new.id}); {moved} deal(s) re-pointed")


@companies_app.command("alias")
def alias(name: Annotated[str, typer.Argument(help="A name as articles write it.")],
          company: Annotated[str, typer.Argument(help="The company it means (id or name).")],
          config: ConfigOption = None) -> None:
    """Pin NAME to COMPANY for all later runs (a manual alias wins over the registry and fuzzy matching).

    Example: pharmadeals companies alias "恒瑞" "Jiangsu Hengrui Pharmaceuticals"
    """
    from pharmadeals.pipeline.normalize.identity_fixes import pin_alias
    from pharmadeals.pipeline.run import open_storage

    settings = settings_for(config, writes=True)
    storage = open_storage(settings)
    with storage.sessions.begin() as session:
        target = pin_alias(session, name, company, settings)
        print(f"{name!r} now resolves to {target.name!r} (id {target.id})")


def register(app: typer.Typer) -> None:
    app.add_typer(companies_app, name="companies")
