"""Review of runs and deals: counters, deals least-confident first with marked evidence, errors, history."""
from __future__ import annotations

import pytest
import reportkit
from backends import db_url  # noqa: F401  (fixture: an empty database per backend)
from suitekit import make_settings
from test_overrides import correct, hansoh_gsk

from pharmadeals.models.errors import InputError
from pharmadeals.pipeline.review import mark, review_deal, review_run
from pharmadeals.pipeline.run import open_storage


@pytest.mark.parametrize(("text", "spans", "marked"), [
    ("Pfizer pays $1.25 billion upfront.", ["$1.25 billion"], "Pfizer pays [[$1.25 billion]] upfront."),
    ("支付2亿美元首付款，最高17.7亿美元", ["2亿美元", "17.7亿美元"], "支付[[2亿美元]]首付款，最高[[17.7亿美元]]"),
    ("up to $1.5 billion and $1.5 billion", ["$1.5 billion", "$1.5 billion"],
     "up to [[$1.5 billion]] and [[$1.5 billion]]"),
    ("$100 million equity", ["$100 million", "100 million"], "[[$100 million]] equity"),
    ("no figure here", ["$5 million", ""], "no figure here"),
])
def test_mark(text: str, spans: list[str], marked: str) -> None:
    assert mark(text, spans) == marked


def test_review_of_the_last_run(storage) -> None:  # type: ignore[no-untyped-def]
    run_id = reportkit.build(storage, errors=1)
    with storage.sessions() as session:
        data = review_run(session)
    assert data["run_id"] == run_id and data["status"] == "partial"
    (source,) = data["sources"]
    assert {k: source[k] for k in ("discovered", "fetched", "duplicates", "deals", "no_deal", "errors")} == {
        "discovered": 12, "fetched": 12, "duplicates": 0, "deals": 11, "no_deal": 1, "errors": 1}
    confidences = [d["confidence"] for d in data["deals"]]
    assert len(confidences) == 10 and confidences == sorted(confidences)
    first = data["deals"][0]
    assert (first["licensor"], first["licensee"], first["what"]) == ("Jiangsu Hengrui Pharmaceuticals", "Merck & Co.",
                                                                     "created")
    assert "[[默沙东]]将向[[恒瑞医药]]支付[[2亿美元]]首付款" in first["mentions"][0]["evidence"][1]
    assert "[[17.7亿美元]]" in first["mentions"][0]["evidence"][1]
    pfizer = next(d for d in data["deals"] if d["licensee"] == "Pfizer")
    assert any("[[$1.25 billion]]" in line and "[[$4.8 billion]]" in line for line in pfizer["mentions"][0]["evidence"])
    assert pfizer["amounts"]["equity"]["value"] == "100000000"
    assert data["errors"] == [{"source": "report_corpus", "url": "https://example.test/report/broken-0.html",
                               "reason": "decode: body is not text (binary PDF without a text layer)"}]


def test_review_of_an_earlier_run_shows_only_what_it_did(storage) -> None:  # type: ignore[no-untyped-def]
    first = reportkit.build(storage, only=["hansoh-gsk-pr"], errors=0)
    second = reportkit.build(storage, only=["hansoh-gsk-news"], errors=0)
    with storage.sessions() as session:
        later = review_run(session, second)
        earlier = review_run(session, first)
    (deal,) = later["deals"]
    assert deal["what"] == "changed" and deal["changes"][0]["what"] == "joined"
    assert [m["url"] for m in deal["mentions"]] == ["https://example.test/report/hansoh-gsk-news"]
    assert "[[$1.5 billion]]" in deal["mentions"][0]["evidence"][0]
    assert deal["amounts"]["milestones"]["conflict"] is True
    assert earlier["deals"][0]["what"] == "created" and later["errors"] == []


def test_review_of_one_deal(storage) -> None:  # type: ignore[no-untyped-def]
    reportkit.build(storage, errors=0)
    deal_id = hansoh_gsk(storage)
    correct(storage, deal_id, "total=1710000000 USD", reason="HKEX announcement")
    with storage.sessions() as session:
        data = review_deal(session, deal_id)
    assert [a["kind"] for a in data["articles"]] == ["press_release", "news"]
    pr, news = data["articles"]
    assert pr["values"]["total"] == {"value": "1710000000", "currency": "USD", "usd": 1710000000.0,
                                     "span": "$1.71 billion"}
    assert news["values"]["milestones"]["value"] == "1500000000" and news["join_reason"].startswith("same companies")
    assert [h["what"] for h in data["history"]] == ["created", "joined", "corrected"]
    assert data["overrides"][0] | {"created_at": None} == {"field": "total", "value": "1710000000 USD",
                                                           "reviewer": "alice", "reason": "HKEX announcement",
                                                           "created_at": None}
    assert {(p["role"], p["company"]) for p in data["parties"]} == {("licensor", "Hansoh Pharmaceutical"),
                                                                    ("licensee", "GSK")}
    assert data["amounts"]["total"]["conflict"] is False


def test_review_errors_are_one_line_input_errors(storage) -> None:  # type: ignore[no-untyped-def]
    with storage.sessions() as session:
        with pytest.raises(InputError, match="no runs"):
            review_run(session)
        with pytest.raises(InputError, match="run 7 does not exist"):
            review_run(session, 7)
        with pytest.raises(InputError, match="deal 3 does not exist"):
            review_deal(session, 3)


def test_review_and_corrections_on_both_backends(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    storage = open_storage(make_settings(tmp_path, database={"url": db_url}))
    reportkit.build(storage, errors=1)
    deal_id = hansoh_gsk(storage)
    correct(storage, deal_id, "total=none", "licensee=GlaxoSmithKline", "announced_on=2023-12-19")
    with storage.sessions() as session:
        deal = review_deal(session, deal_id)
        run = review_run(session)
    # a corrected party name is read like extraction reads it: GlaxoSmithKline is the registry's GSK
    assert (deal["licensee"], deal["announced_on"], "total" in deal["amounts"]) == ("GSK", "2023-12-19", False)
    assert len(run["deals"]) == 10 and len(run["errors"]) == 1
    storage.engine.dispose()
