"""The stable SQL interface: view columns match the documented contract, and rows come out right."""
from __future__ import annotations

from pathlib import Path

import pytest
from dealkit import article, mention, usd
from sqlalchemy import text

from pharmadeals.models.migrate import current_revision, head_revision, upgrade
from pharmadeals.models.views import VIEW_COLUMNS
from pharmadeals.pipeline.normalize.store import Storage


@pytest.mark.parametrize("view", sorted(VIEW_COLUMNS))
def test_view_columns_are_the_documented_ones_in_order(storage: Storage, view: str) -> None:
    with storage.engine.connect() as conn:
        columns = list(conn.execute(text(f"SELECT * FROM {view} LIMIT 0")).keys())
    assert tuple(columns[: len(VIEW_COLUMNS[view])]) == VIEW_COLUMNS[view]


@pytest.mark.parametrize("view", sorted(VIEW_COLUMNS))
def test_readme_documents_every_view_column(view: str) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for column in VIEW_COLUMNS[view]:
        assert f"`{column}`" in readme, f"README does not document {view}.{column}"


def test_deal_summary_row(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://x/pr", "pr text", kind="press_release"),
                          [mention(upfront=usd("500000000"), total=usd("2000000000", "CNY"))])
    with storage.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM deal_summary")).one()._mapping
        sources = conn.execute(text("SELECT * FROM deal_sources")).all()
        log = conn.execute(text("SELECT * FROM ingest_log")).one()._mapping
    assert (row["licensor"], row["licensor_country"], row["licensee"]) == (
        "Jiangsu Hengrui Pharmaceuticals", "CN", "GSK")
    assert row["upfront_usd"] == 500_000_000 and 250e6 < row["total_usd"] < 300e6
    assert row["currency"] == "CNY" and row["article_count"] == 1 and row["first_url"] == "https://x/pr"
    assert row["direction"] == "out" and row["territory"] == "ex-China" and row["assets"] == "HRS-9821"
    assert len(sources) == 1 and sources[0]._mapping["evidence"] == "Evidence sentence."
    assert (log["status"], log["deals_found"], log["source"]) == ("deal", 1, "test")


def test_amounts_keep_original_value_and_rate(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://x/1", "t"), [mention(total=usd("2000000000", "CNY"))])
    with storage.engine.connect() as conn:
        amount = conn.execute(text("SELECT * FROM deal_amounts")).one()._mapping
    assert amount["value_text"] == "2000000000" and amount["currency"] == "CNY"
    assert amount["fx_rate"] and amount["fx_date"] and "ECB" in amount["fx_source"]


def test_migrations_reach_head_and_are_idempotent(storage: Storage) -> None:
    assert current_revision(storage.engine) == head_revision()
    assert upgrade(storage.engine) == "head" or current_revision(storage.engine) == head_revision()
