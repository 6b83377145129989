"""Reviewer identity fixes: merges and manual aliases persist and win over automatic matching."""
from __future__ import annotations

from sqlalchemy import text

from dealkit import GSK, article, mention, party
from models.repository import Storage
from pipeline.normalize.identity_fixes import merge_companies, pin_alias


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
