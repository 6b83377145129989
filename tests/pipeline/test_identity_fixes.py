"""Reviewer identity fixes: merges and manual aliases persist and win over automatic matching."""
from __future__ import annotations

from dealkit import GSK, GSK_ZH, article, mention, party, usd
from sqlalchemy import text

from pharmadeals.models.records import PartyMention
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.identity_fixes import merge_companies, pin_alias
from pharmadeals.pipeline.normalize.store import Storage


def licensors(storage: Storage) -> list[str]:
    with storage.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT licensor FROM deal_summary ORDER BY deal_id"))]


def test_merge_repoints_deals_and_later_mentions(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"),
                          [mention(party("Hengrui Medicine Co"), GSK, assets=("X-1",))])
    storage.store_article(run, "files", article("https://a/2", "two"),
                          [mention(party("Jiangsu Hengrui Pharmaceuticals", registry_id="hengrui"), GSK, assets=("X-2",))])
    assert licensors(storage) == ["Hengrui Medicine Co", "Jiangsu Hengrui Pharmaceuticals"]
    with storage.sessions.begin() as session:
        _, _, moved = merge_companies(session, "Hengrui Medicine Co", "Jiangsu Hengrui Pharmaceuticals")
    assert moved == 1
    assert licensors(storage) == ["Jiangsu Hengrui Pharmaceuticals"] * 2
    storage.store_article(run, "files", article("https://a/3", "three"),
                          [mention(party("Hengrui Medicine Co"), GSK, assets=("X-3",))])
    assert licensors(storage)[-1] == "Jiangsu Hengrui Pharmaceuticals"


def test_manual_alias_wins_over_registry(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"),
                          [mention(party("Merck & Co.", registry_id="merck"), GSK, assets=("Y-1",))])
    with storage.sessions.begin() as session:
        pin_alias(session, "Merck KGaA", "Merck & Co.")
    storage.store_article(run, "files", article("https://a/2", "two"),
                          [mention(party("Merck KGaA", registry_id="merck_kgaa"), GSK, assets=("Y-2",))])
    assert licensors(storage) == ["Merck & Co.", "Merck & Co."]


def test_manual_merge_folds_the_deals_that_became_duplicates(storage: Storage, settings: Settings) -> None:
    """One deal filed under two names of a company becomes one deal when a reviewer merges the names."""
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"),
                          [mention(party("Mubridge Therapeutics", country="CN"), GSK, assets=("HL-101",), total=usd("900000000"))])
    storage.store_article(run, "files", article("https://a/2", "two"),
                          [mention(party("禾澜医药", country="CN"), GSK, assets=("HL-101",), total=usd("900000000"))])
    assert len(licensors(storage)) == 2
    with storage.sessions.begin() as session:
        merge_companies(session, "禾澜医药", "Mubridge Therapeutics", settings)
    with storage.engine.connect() as conn:
        rows = conn.execute(text("SELECT licensor, article_count, total_usd FROM deal_summary")).all()
        assert [tuple(r) for r in rows] == [("Mubridge Therapeutics", 2, 900_000_000)]
        assert conn.execute(text("SELECT COUNT(*) FROM deal_mentions")).scalar() == 2


def test_a_report_naming_both_forms_merges_the_companies_and_their_deals(storage: Storage) -> None:
    """An announcement under the Chinese name, a wire story under the English brand, then a Chinese story
    that writes both ('明澈生物（Clearwell Therapeutics）'): one company, one deal."""
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://cninfo/1", "公告", language="zh", kind="official"),
                          [mention(party("杭州明澈生物医药", country="CN"), GSK_ZH, assets=("CW-217",),
                                   total=usd("1185000000"))])
    storage.store_article(run, "files", article("https://wire/1", "wire"),
                          [mention(party("Clearwell Therapeutics", country="CN"), GSK, assets=("CW-217",),
                                   total=usd("1190000000"))])
    assert len(licensors(storage)) == 2
    both = PartyMention("明澈生物", "明澈生物", "CN", other_names=("Clearwell Therapeutics",))
    storage.store_article(run, "files", article("https://stcn/1", "新闻", language="zh"),
                          [mention(both, GSK_ZH, assets=("CW-217",), total=usd("1185000000"))])
    with storage.engine.connect() as conn:
        rows = conn.execute(text("SELECT article_count, total_usd FROM deal_summary")).all()
        assert [tuple(r) for r in rows] == [(3, 1_185_000_000)]
        folded = conn.execute(text("SELECT change FROM deal_changes WHERE change LIKE '%deals folded%'")).all()
        assert len(folded) == 1


def test_registry_companies_are_never_folded_by_a_report(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"),
                          [mention(party("Jiangsu Hengrui Pharmaceuticals", registry_id="hengrui"), GSK, assets=("X-1",))])
    odd = PartyMention("Acme Pharma", "Acme Pharma", "CN", other_names=("Jiangsu Hengrui Pharmaceuticals",))
    storage.store_article(run, "files", article("https://a/2", "two"), [mention(odd, GSK, assets=("X-2",))])
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM companies WHERE merged_into IS NOT NULL")).scalar() == 0
