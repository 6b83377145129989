"""Reviewer overrides: validated, stored with who/when/why, visible in deal_summary, and never undone by writes."""
from __future__ import annotations

import json

import pytest
import reportkit
from sqlalchemy import select, text

from pharmadeals.models.errors import InputError
from pharmadeals.models.tables import Deal, DealChange, DealParty, Override
from pharmadeals.pipeline.normalize.overrides import add_overrides, apply_overrides, normalise, parse_assignment

PR, NEWS = "hansoh-gsk-pr", "hansoh-gsk-news"


def summary(storage, deal_id: int):  # type: ignore[no-untyped-def]
    with storage.engine.connect() as conn:
        return conn.execute(text("SELECT * FROM deal_summary WHERE deal_id = :i"), {"i": deal_id}).first()


def correct(storage, deal_id: int, *pairs: str, reviewer: str = "alice", reason: str = "checked the filing"):  # type: ignore[no-untyped-def]
    with storage.sessions.begin() as session:
        return add_overrides(session, storage.settings, deal_id, [parse_assignment(p) for p in pairs], reviewer, reason)


def hansoh_gsk(storage) -> int:  # type: ignore[no-untyped-def]
    with storage.engine.connect() as conn:
        return conn.execute(text("SELECT deal_id FROM deal_summary WHERE licensee = 'GSK' AND assets LIKE '%HS-20093%'")).scalar_one()


@pytest.mark.parametrize(("field", "value", "stored"), [
    ("total", "1710000000 USD", "1710000000 USD"),
    ("upfront", "1,000,000,000 cny", "1000000000 CNY"),
    ("equity", "none", None),
    ("territory", "ex-China", "ex-China"),
    ("territory", "none", None),
    ("deal_type", "newco", "newco"),
    ("royalties", "yes", "true"),
    ("royalties", "No", "false"),
    ("announced_on", "2025-01-31", "2025-01-31"),
    ("status", "rejected", "rejected"),
    ("licensee", "GlaxoSmithKline", "GlaxoSmithKline"),
])
def test_values_are_normalised(field: str, value: str, stored: str | None) -> None:
    assert normalise(field, value) == stored


@pytest.mark.parametrize(("field", "value"), [
    ("total", "lots"), ("total", "500 million"), ("deal_type", "merger"), ("direction", "sideways"),
    ("announced_on", "31/01/2025"), ("royalties", "maybe"), ("colour", "red"), ("licensor", ""),
])
def test_bad_values_are_refused(field: str, value: str) -> None:
    with pytest.raises(InputError):
        normalise(field, value)


def test_assignment_needs_an_equals_sign() -> None:
    assert parse_assignment("total = 5 USD") == ("total", "5 USD")
    with pytest.raises(InputError):
        parse_assignment("total")


def test_correction_shows_in_deal_summary_with_history(storage) -> None:  # type: ignore[no-untyped-def]
    reportkit.build(storage, errors=0)
    deal_id = hansoh_gsk(storage)
    assert summary(storage, deal_id).has_conflict == 1
    changed = correct(storage, deal_id, "milestones=1525000000 USD", "total=none", "territory=global")
    assert changed == ["milestones", "total", "territory"]
    row = summary(storage, deal_id)
    assert (row.total_usd, row.milestones_usd, row.territory, row.has_conflict) == (None, 1525000000.0, "global", 0)
    with storage.sessions() as session:
        history = [json.loads(c.change) for c in session.scalars(select(DealChange).where(DealChange.deal_id == deal_id))]
        kept = session.scalars(select(Override).where(Override.deal_id == deal_id)).all()
    corrected = [h for h in history if h["what"] == "corrected"]
    assert {(h["field"], h["old"], h["new"]) for h in corrected} >= {("total", "1710000000 USD", None),
                                                                     ("territory", "ex-China", "global")}
    assert {(o.reviewer, o.reason) for o in kept} == {("alice", "checked the filing")}


def test_reject_hides_the_deal_from_every_view(storage) -> None:  # type: ignore[no-untyped-def]
    reportkit.build(storage, errors=0)
    deal_id = hansoh_gsk(storage)
    correct(storage, deal_id, "status=rejected")
    assert summary(storage, deal_id) is None
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM deal_sources WHERE deal_id = :i"), {"i": deal_id}).scalar() == 0
    correct(storage, deal_id, "status=active", reason="was right after all")
    assert summary(storage, deal_id) is not None


def test_overrides_win_over_a_later_article_about_the_same_deal(storage) -> None:  # type: ignore[no-untyped-def]
    reportkit.build(storage, only=[PR], errors=0)
    deal_id = hansoh_gsk(storage)
    correct(storage, deal_id, "milestones=1600000000 USD", "deal_type=option", "royalties=false")
    reportkit.build(storage, only=[NEWS], errors=0)  # the news report joins the deal and re-reconciles amounts
    row = summary(storage, deal_id)
    assert row.article_count == 2
    assert (row.milestones_usd, row.deal_type, row.royalties) == (1600000000.0, "option", 0)
    assert row.upfront_usd == 185000000.0  # not overridden: still the extracted value


def test_party_override_resolves_a_company_and_latest_override_wins(storage) -> None:  # type: ignore[no-untyped-def]
    reportkit.build(storage, only=[PR], errors=0)
    deal_id = hansoh_gsk(storage)
    correct(storage, deal_id, "licensee=GlaxoSmithKline plc")
    correct(storage, deal_id, "licensee=GSK", reviewer="bob")
    assert summary(storage, deal_id).licensee == "GSK"
    with storage.sessions.begin() as session:
        parties = session.scalars(select(DealParty).where(DealParty.deal_id == deal_id, DealParty.role == "licensee")).all()
        assert [p.mention for p in parties] == ["GSK"]
        assert apply_overrides(session, session.get(Deal, deal_id), storage.settings) == []  # idempotent


def test_amount_in_another_currency_gets_a_usd_value(storage) -> None:  # type: ignore[no-untyped-def]
    reportkit.build(storage, only=[PR], errors=0)
    deal_id = hansoh_gsk(storage)
    correct(storage, deal_id, "equity=1000000000 CNY", "announced_on=2023-12-20")
    equity = summary(storage, deal_id).equity_usd
    assert 1.2e8 < equity < 1.6e8  # about 7.1 CNY per USD in December 2023


def test_unknown_deal_or_reviewer_is_refused(storage) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="does not exist"):
        correct(storage, 999, "total=none")
    reportkit.build(storage, only=[PR], errors=0)
    with pytest.raises(InputError, match="reviewer"):
        correct(storage, hansoh_gsk(storage), "total=none", reviewer="")


def test_a_rejected_deal_stays_hidden_when_a_new_article_reports_it(storage) -> None:  # type: ignore[no-untyped-def]
    reportkit.build(storage, only=[PR], errors=0)
    deal_id = hansoh_gsk(storage)
    correct(storage, deal_id, "status=rejected", reason="not a licence")
    reportkit.build(storage, only=[NEWS], errors=0)
    with storage.engine.connect() as conn:
        visible = conn.execute(text("SELECT COUNT(*) FROM deal_summary WHERE assets LIKE '%HS-20093%'")).scalar()
        joined = conn.execute(text("SELECT COUNT(*) FROM deal_mentions WHERE deal_id = :i"), {"i": deal_id}).scalar()
    assert (visible, joined) == (0, 2)


@pytest.mark.parametrize("text, parsed", [
    ("upfront_usd=12345", ("upfront", "12345 USD")),
    ("total_usd=none", ("total", "none")),
    ("upfront=500000000 USD", ("upfront", "500000000 USD")),
    (" territory = ex-China ", ("territory", "ex-China")),
])
def test_assignment_accepts_deal_summary_columns(text: str, parsed: tuple[str, str]) -> None:
    assert parse_assignment(text) == parsed


@pytest.mark.parametrize("text", ["foo=bar", "upfront_eur=5", "deal_id=3"])
def test_unknown_field_is_refused_with_the_valid_ones(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_assignment(text)
    assert "unknown field" in info.value.what and "upfront_usd" in info.value.hint and "territory" in info.value.hint
