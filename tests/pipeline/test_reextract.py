"""reextract: rebuild from stored texts, report added/removed/changed, keep deal ids, overrides and history.

The database is first built as an older, worse extractor would have left it (it missed one deal, missed
an equity figure, and saw a deal in a trial-results article); re-extraction with the hand-checked
mentions of tests/reportkit.py must then repair exactly those, and leave reviewer decisions alone.
"""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
import reportkit
from backends import db_url  # noqa: F401  (fixture: an empty database per backend)
from sqlalchemy import func, select, text
from suitekit import make_settings
from test_overrides import correct, hansoh_gsk

from pharmadeals.models.records import Article, DealMention, PartyMention
from pharmadeals.models.tables import Deal, DealChange, Run
from pharmadeals.pipeline.reextract import reextract
from pharmadeals.pipeline.run import open_storage

INNOVENT = PartyMention("Innovent Biologics", "信达生物", "CN")


def older_extractor(stem: str, article: Article) -> list[DealMention]:
    if stem == "hutchmed-takeda":
        return []
    if stem == "innovent-data-zh":
        return [DealMention(licensor=INNOVENT, licensee=None, assets=("玛仕度肽",), confidence=0.35,
                            evidence=(article.text.splitlines()[2],))]
    mentions = [reportkit.mention_for(stem, article)] if stem in reportkit.SPECS else []
    return [replace(m, equity=None) for m in mentions] if stem == "3sbio-pfizer-pr" else mentions


def current_extractor(article: Article) -> list[DealMention]:
    stem = article.url.rsplit("/", 1)[-1]
    return [reportkit.mention_for(stem, article)] if stem in reportkit.SPECS else []


def build_old(storage) -> None:  # type: ignore[no-untyped-def]
    run_id = storage.begin_run()
    for stem in reportkit.stems():
        article = reportkit.load_article(stem)
        storage.store_article(run_id, "files", article, older_extractor(stem, article))
    storage.finish_run(run_id, "ok", 0, {})


def rows(storage) -> list[tuple]:  # type: ignore[no-untyped-def]
    with storage.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM deal_summary ORDER BY deal_id"))]


def ids_of(storage, where: str) -> list[int]:  # type: ignore[no-untyped-def]
    with storage.engine.connect() as conn:
        return list(conn.execute(text(f"SELECT deal_id FROM deal_summary WHERE {where}")).scalars())


@pytest.fixture
def reviewed(db_url: str, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    storage = open_storage(make_settings(tmp_path, database={"url": db_url}))
    build_old(storage)
    correct(storage, hansoh_gsk(storage), "territory=global", reason="covers mainland China too")
    henlius = ids_of(storage, "licensor = 'Shanghai Henlius Biotech'")[0]
    correct(storage, henlius, "status=rejected", reason="biosimilar, out of scope")
    yield storage, henlius
    storage.engine.dispose()


def test_reextract_repairs_deals_and_keeps_ids_and_overrides(reviewed) -> None:  # type: ignore[no-untyped-def]
    storage, henlius = reviewed
    before = {r[0]: r for r in rows(storage)}
    pfizer, gsk = ids_of(storage, "licensee = 'Pfizer'")[0], hansoh_gsk(storage)
    innovent = ids_of(storage, "licensor = 'Innovent Biologics'")[0]
    report = reextract(storage, storage.settings, extract=current_extractor)
    assert report.articles == 12 and report.mentions == 11 and report.errors == []
    assert [r["deal_id"] for r in report.removed] == [innovent]
    (added,) = report.added
    assert ids_of(storage, "licensor = 'HUTCHMED'") == [added]
    assert report.changed == [{"deal_id": pfizer, "field": "equity", "old": None, "new": "100000000 USD"}]
    assert report.overrides_kept == 2
    after = {r[0]: r for r in rows(storage)}
    assert set(after) == (set(before) - {innovent}) | {added}  # same ids; henlius stays hidden
    assert henlius not in after
    with storage.sessions() as session:
        assert session.get(Deal, henlius).status == "rejected"
        history = [json.loads(c.change)["what"] for c in
                   session.scalars(select(DealChange).where(DealChange.deal_id == gsk).order_by(DealChange.id))]
    assert history[:3] == ["created", "joined", "corrected"]  # history from before the rebuild is kept
    assert ids_of(storage, f"deal_id = {gsk} AND territory = 'global' AND article_count = 2") == [gsk]


def test_reextract_twice_changes_nothing(reviewed) -> None:  # type: ignore[no-untyped-def]
    storage, _ = reviewed
    reextract(storage, storage.settings, extract=current_extractor)
    snapshot = rows(storage)
    again = reextract(storage, storage.settings, extract=current_extractor)
    assert (again.added, again.removed, again.changed) == ([], [], [])
    assert rows(storage) == snapshot


def test_dry_run_changes_nothing(reviewed) -> None:  # type: ignore[no-untyped-def]
    storage, _ = reviewed
    snapshot = rows(storage)
    with storage.sessions() as session:
        runs = session.scalar(select(func.count(Run.id)))
    report = reextract(storage, storage.settings, extract=current_extractor, dry_run=True)
    assert report.dry_run and len(report.added) == 1 and len(report.removed) == 1
    assert rows(storage) == snapshot
    with storage.sessions() as session:
        assert session.scalar(select(func.count(Run.id))) == runs


def test_an_extractor_failure_is_logged_and_the_rest_rebuilt(reviewed) -> None:  # type: ignore[no-untyped-def]
    storage, _ = reviewed

    def flaky(article: Article) -> list[DealMention]:
        if "akeso" in article.url:
            raise RuntimeError("tokenizer crashed")
        return current_extractor(article)

    report = reextract(storage, storage.settings, extract=flaky)
    assert [e["url"] for e in report.errors] == ["https://example.test/report/akeso-summit-zh"]
    assert ids_of(storage, "licensor = 'Akeso'") == []  # its only article could not be read again
    with storage.engine.connect() as conn:
        log = conn.execute(text("SELECT status, reason FROM ingest_log WHERE run_id = :r AND url LIKE '%akeso%'"),
                           {"r": report.run_id}).one()
        status = conn.execute(text("SELECT status FROM runs WHERE id = :r"), {"r": report.run_id}).scalar()
    assert log[0] == "error" and "tokenizer crashed" in log[1] and status == "partial"


def test_reextract_with_the_real_extractor_keeps_reviewed_deals(reviewed) -> None:  # type: ignore[no-untyped-def]
    storage, henlius = reviewed
    gsk = hansoh_gsk(storage)
    report = reextract(storage, storage.settings)
    assert report.articles == 12 and report.errors == []
    assert gsk in ids_of(storage, "territory = 'global'")
    assert henlius not in ids_of(storage, "1 = 1")
    assert min(r[17] for r in rows(storage)) >= 1  # every deal still has a supporting article


def test_review_of_a_reextract_run_shows_the_changed_deals(reviewed) -> None:  # type: ignore[no-untyped-def]
    from pharmadeals.pipeline.review import review_run

    storage, _ = reviewed
    report = reextract(storage, storage.settings, extract=current_extractor)
    with storage.sessions() as session:
        data = review_run(session)
    assert data["run_id"] == report.run_id and data["command"] == "reextract"
    assert data["sources"][0]["fetched"] == 12 and data["sources"][0]["deals"] == 11
    by_id = {d["deal_id"]: d for d in data["deals"]}
    pfizer = by_id[report.changed[0]["deal_id"]]
    assert pfizer["changes"][0] == {"what": "reextracted", "fields": ["equity"]}
    assert any("[[$100 million]]" in line for line in pfizer["mentions"][0]["evidence"])
    assert by_id[report.added[0]]["what"] == "created"


def test_assets_in_another_order_are_no_change(reviewed) -> None:  # type: ignore[no-untyped-def]
    storage, _ = reviewed

    def with_assets(order: tuple[str, ...]):  # type: ignore[no-untyped-def]
        def extract(article: Article) -> list[DealMention]:
            return [replace(m, assets=order) for m in current_extractor(article)]
        return extract

    first = reextract(storage, storage.settings, extract=with_assets(("PDX-7", "AB-12")))
    assert any(c["field"] == "assets" for c in first.changed)
    again = reextract(storage, storage.settings, extract=with_assets(("AB-12", "PDX-7")), dry_run=True)
    assert [c for c in again.changed if c["field"] == "assets"] == []
