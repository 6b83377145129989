"""Deal identity through the real write path: reports of one deal merge, different deals stay apart."""
from __future__ import annotations

from datetime import date

from sqlalchemy import text

from dealkit import GSK, GSK_ZH, HENGRUI, HENGRUI_ZH, article, mention, party, usd
from models.repository import Storage


def summary(storage: Storage) -> list[dict]:
    with storage.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM deal_summary ORDER BY deal_id"))]


def reasons(storage: Storage) -> list[str]:
    with storage.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT join_reason FROM deal_mentions ORDER BY id"))]


def test_english_and_chinese_reports_of_one_deal_merge(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/en", "en text"),
                          [mention(upfront=usd("500000000"), total=usd("12000000000"))])
    storage.store_article(run, "files", article("https://a/zh", "中文", language="zh", published=date(2025, 7, 28)),
                          [mention(HENGRUI_ZH, GSK_ZH, upfront=usd("500000000"))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["article_count"] == 2
    assert rows[0]["upfront_usd"] == 500_000_000 and rows[0]["total_usd"] == 12_000_000_000
    assert reasons(storage) == ["new deal", "same companies and asset HRS-9821"]


def test_new_assets_with_the_same_partners_are_a_new_deal(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"), [mention(assets=("HRS-9821",))])
    storage.store_article(run, "files", article("https://a/2", "two"), [mention(assets=("SHR-A1811",))])
    assert len(summary(storage)) == 2


def test_same_partners_years_apart_are_different_deals(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"), [mention(assets=(), announced=date(2022, 1, 5))])
    storage.store_article(run, "files", article("https://a/2", "two"), [mention(assets=(), announced=date(2025, 7, 5))])
    assert len(summary(storage)) == 2


def test_conflicting_amounts_keep_the_best_supported_value(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://news/1", "n1"), [mention(upfront=usd("50000000"))])
    storage.store_article(run, "files", article("https://hkex/1", "official", kind="official"),
                          [mention(upfront=usd("500000000"))])
    row = summary(storage)[0]
    assert row["upfront_usd"] == 500_000_000
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT conflict FROM deal_amounts WHERE kind='upfront'")).scalar() in (1, True)


def test_follow_up_event_attaches_to_the_original_deal(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "deal"), [mention(upfront=usd("500000000"))])
    storage.store_article(run, "files", article("https://a/2", "closed", published=date(2025, 10, 1)),
                          [mention(assets=(), event="closing", announced=date(2025, 10, 1), upfront=usd("1"))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["article_count"] == 2
    assert rows[0]["upfront_usd"] == 500_000_000  # the event's figures do not rewrite the deal's terms
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT kind FROM deal_events")).scalar() == "closing"


def test_unknown_companies_match_fuzzily_and_new_ones_are_flagged(storage: Storage) -> None:
    run = storage.begin_run()
    acme = party("Acme Biotherapeutics Co., Ltd.", country="CN")
    storage.store_article(run, "files", article("https://a/1", "one"), [mention(acme, GSK, assets=("AC-101",))])
    acme2 = party("ACME Biotherapeutics Co Ltd")
    storage.store_article(run, "files", article("https://a/2", "two"), [mention(acme2, GSK, assets=("AC-101",))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["licensor"] == "Acme Biotherapeutics Co., Ltd."
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT needs_review FROM companies WHERE name LIKE 'Acme%'")).scalar() in (1, True)


def test_rerun_of_the_same_article_is_a_duplicate(storage: Storage) -> None:
    run = storage.begin_run()
    first = storage.store_article(run, "files", article("https://a/1", "same"), [mention()])
    again = storage.store_article(run, "files", article("https://a/1", "same"), [mention()])
    copy = storage.store_article(run, "files", article("https://b/elsewhere", "same"), [mention()])
    assert (first.status, again.status, copy.status) == ("deal", "duplicate", "duplicate")
    assert len(summary(storage)) == 1
