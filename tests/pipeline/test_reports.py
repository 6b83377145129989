"""Reports over deal_summary: scope rules pick the right deals and every number equals plain SQL."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import reportkit
from backends import db_url  # noqa: F401  (fixture: an empty database per backend)
from sqlalchemy import text
from suitekit import make_settings

from pharmadeals.models.readonly import run_query
from pharmadeals.pipeline.plots import plot_trends
from pharmadeals.pipeline.reports import Scope, breakdown, period_of, scope_sql, trends
from pharmadeals.pipeline.run import open_storage


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path_factory.mktemp("reports"))
    storage = open_storage(settings)
    reportkit.build(storage)
    return storage


def sql(storage, query: str, **params):  # type: ignore[no-untyped-def]
    with storage.engine.connect() as conn:
        return conn.execute(text(query), params).all()


def pairs(storage, ids: list[int]) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = sql(storage, "SELECT deal_id, licensor, licensee FROM deal_summary")
    return {(r.licensor, r.licensee) for r in rows if r.deal_id in ids}


def test_fixture_figures_come_from_the_articles() -> None:
    assert reportkit.check_spans() == []


@pytest.mark.parametrize(("day", "period", "label"), [
    (date(2025, 6, 30), "half", "2025-H1"), (date(2025, 7, 1), "half", "2025-H2"),
    (date(2025, 3, 31), "quarter", "2025-Q1"), (date(2025, 10, 1), "quarter", "2025-Q4"),
    (date(2024, 12, 31), "year", "2024"),
])
def test_period_labels(day: date, period: str, label: str) -> None:
    assert period_of(day, period) == label


HALF_BOUNDS = "CASE WHEN CAST(strftime('%m', announced_on) AS INTEGER) <= 6 THEN 'H1' ELSE 'H2' END"


def test_half_year_trends_equal_a_direct_sql_sum_over_deal_summary(db) -> None:  # type: ignore[no-untyped-def]
    report = trends(db.engine, Scope(), "half")
    expected = {f"{r.y}-{r.h}": r for r in sql(db, f"""
        SELECT strftime('%Y', announced_on) AS y, {HALF_BOUNDS} AS h, COUNT(*) AS n,
               COALESCE(SUM(upfront_usd), 0) AS up, COALESCE(SUM(total_usd), 0) AS tot,
               COALESCE(SUM(equity_usd), 0) AS eq
        FROM deal_summary WHERE direction = 'out' AND announced_on IS NOT NULL GROUP BY y, h""")}
    nonempty = {r["period"]: r for r in report.rows if r["deals"]}
    assert set(nonempty) == set(expected)
    for label, row in nonempty.items():
        assert (row["deals"], row["upfront_usd"], row["total_usd"], row["equity_usd"]) == pytest.approx(
            (expected[label].n, expected[label].up, expected[label].tot, expected[label].eq))
    assert sum(r["deals"] for r in report.rows) == len(report.deal_ids) == 9


def test_trend_rows_fill_empty_periods_and_stack_by_deal_model(db) -> None:  # type: ignore[no-untyped-def]
    rows = trends(db.engine, Scope(), "half").rows
    assert [r["period"] for r in rows][:3] == ["2022-H1", "2022-H2", "2023-H1"]
    newco = next(r for r in rows if r["period"] == "2024-H1")
    assert newco["total_by_deal_type"] == {"newco": pytest.approx(110e6 + 5750e6)}
    h1_2025 = next(r for r in rows if r["period"] == "2025-H1")
    # 3SBio/Pfizer 1250/6050 and Hengrui/Merck 200/1970: median of the two upfront shares
    assert h1_2025["median_upfront_share"] == pytest.approx((1250 / 6050 + 200 / 1970) / 2, abs=1e-4)
    years = trends(db.engine, Scope(), "year").rows
    assert [r["period"] for r in years] == ["2022", "2023", "2024", "2025"]
    assert sum(r["deals"] for r in years) == 9


@pytest.mark.parametrize(("scope", "included", "excluded"), [
    (Scope(), ("HUTCHMED", "Takeda Pharmaceutical"), ("Karuna Therapeutics", "Zai Lab")),
    (Scope(region="mainland"), ("3SBio", "Pfizer"), ("HUTCHMED", "Takeda Pharmaceutical")),
    (Scope(region="china"), ("HUTCHMED", "Takeda Pharmaceutical"), ("Karuna Therapeutics", "Zai Lab")),
    (Scope(direction="in", region="mainland"), ("Karuna Therapeutics", "Zai Lab"), ("3SBio", "Pfizer")),
    (Scope(direction=None, region="mainland"), ("Karuna Therapeutics", "Zai Lab"), ("HUTCHMED", "Takeda Pharmaceutical")),
    (Scope(direction=None, region="mainland"), ("3SBio", "Pfizer"), ("HUTCHMED", "Takeda Pharmaceutical")),
    (Scope(exclude=("biosimilar",)), ("3SBio", "Pfizer"), ("Shanghai Henlius Biotech", "Organon")),
    (Scope(exclude=("生物类似药",)), ("Shanghai Henlius Biotech", "Organon"), ("Nobody", "Nobody")),
    (Scope(newco=False), ("3SBio", "Pfizer"), ("Jiangsu Hengrui Pharmaceuticals", "Kailera Therapeutics")),
    (Scope(direction="in"), ("Karuna Therapeutics", "Zai Lab"), ("3SBio", "Pfizer")),
    (Scope(direction=None), ("Karuna Therapeutics", "Zai Lab"), ("Nobody", "Nobody")),
    (Scope(company="merck"), ("Hansoh Pharmaceutical", "Merck & Co."), ("Hansoh Pharmaceutical", "GSK")),
    (Scope(since=date(2025, 1, 1)), ("3SBio", "Pfizer"), ("Hansoh Pharmaceutical", "Merck & Co.")),
    (Scope(until=date(2022, 12, 31)), ("Akeso", "Summit Therapeutics"), ("HUTCHMED", "Takeda Pharmaceutical")),
    (Scope(territories=("regional",)), ("Akeso", "Summit Therapeutics"), ("3SBio", "Pfizer")),
    (Scope(deal_types=("newco",)), ("Jiangsu Hengrui Pharmaceuticals", "Kailera Therapeutics"), ("3SBio", "Pfizer")),
])
def test_scope_rules_choose_deals(db, scope: Scope, included, excluded) -> None:  # type: ignore[no-untyped-def]
    counted = pairs(db, trends(db.engine, scope).deal_ids)
    assert included in counted
    assert excluded not in counted


def test_scope_sql_reproduces_the_report_for_sql_users(db) -> None:  # type: ignore[no-untyped-def]
    scope = Scope(region="mainland", exclude=("biosimilar", "vaccine"), newco=False, since=date(2023, 1, 1))
    report = trends(db.engine, scope)
    columns, rows = run_query(str(db.engine.url), scope_sql(scope))
    assert sorted(r[columns.index("deal_id")] for r in rows) == sorted(report.deal_ids)
    assert any("excluded biosimilar" in rule for rule in report.scope.rules())
    assert report.as_json()["scope"]["deal_count"] == len(rows)


def test_scope_sql_quotes_values() -> None:
    assert "LIKE '%o''neil%'" in scope_sql(Scope(company="O'Neil"))


def test_disclosed_only_drops_deals_without_a_total(db) -> None:  # type: ignore[no-untyped-def]
    everything = trends(db.engine, Scope(direction=None)).deal_ids
    disclosed = trends(db.engine, Scope(direction=None, disclosed_only=True)).deal_ids
    missing = {r.deal_id for r in sql(db, "SELECT deal_id FROM deal_summary WHERE total_usd IS NULL")}
    assert set(disclosed) == set(everything) - missing


def test_breakdown_by_licensee_matches_sql_and_honours_top(db) -> None:  # type: ignore[no-untyped-def]
    report = breakdown(db.engine, Scope(), "licensee", top=2)
    expected = sql(db, """SELECT licensee, COUNT(*) AS n, SUM(total_usd) AS tot FROM deal_summary
                          WHERE direction = 'out' GROUP BY licensee ORDER BY tot DESC LIMIT 2""")
    assert [(r["licensee"], r["deals"], r["total_usd"]) for r in report.rows] == [
        (e.licensee, e.n, pytest.approx(e.tot)) for e in expected]
    assert report.rows[0]["licensee"] == "GSK" and report.rows[0]["deals"] == 2
    assert report.options == {"by": "licensee", "top": 2, "groups": 7}


def test_breakdown_by_deal_type_shares_add_up(db) -> None:  # type: ignore[no-untyped-def]
    rows = breakdown(db.engine, Scope(), "deal_type").rows
    assert {r["deal_type"] for r in rows} == {"license", "newco"}
    assert sum(r["share_of_total"] for r in rows) == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError):
        breakdown(db.engine, Scope(), "assets")


def test_trend_chart_is_a_labelled_png(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import matplotlib.image

    path = plot_trends(trends(db.engine, Scope(region="china")), tmp_path / "charts" / "trends.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = matplotlib.image.imread(path).shape[:2]
    assert width > 1500 and 0.5 < height / width < 0.6


PORTABLE_HALF = """SELECT SUBSTR(CAST(announced_on AS TEXT), 1, 4) || '-H' ||
                          CASE WHEN SUBSTR(CAST(announced_on AS TEXT), 6, 2) <= '06' THEN '1' ELSE '2' END AS period,
                          COUNT(*) AS n, SUM(total_usd) AS tot
                   FROM deal_summary WHERE direction = 'out' AND licensor_country = 'CN' GROUP BY 1"""


def test_reports_agree_with_sql_on_both_backends(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    storage = open_storage(make_settings(tmp_path, database={"url": db_url}))
    reportkit.build(storage)
    scope = Scope(region="mainland", exclude=("biosimilar",))
    report = trends(storage.engine, scope)
    henlius = {r.deal_id for r in sql(storage, "SELECT deal_id FROM deal_summary WHERE assets LIKE '%HLX11%'")}
    expected = {r.period: (r.n, r.tot) for r in sql(storage, PORTABLE_HALF)}
    expected["2022-H1"] = (expected["2022-H1"][0] - len(henlius), None)  # the biosimilar deal is excluded
    got = {r["period"]: (r["deals"], r["total_usd"]) for r in report.rows if r["deals"]}
    assert {k: v[0] for k, v in got.items()} == {k: v[0] for k, v in expected.items() if v[0]}
    assert all(got[k][1] == pytest.approx(float(expected[k][1])) for k in got)
    rows = sql(storage, scope_sql(scope).replace(":", r"\:"))
    assert sorted(r.deal_id for r in rows) == sorted(report.deal_ids)
    assert breakdown(storage.engine, scope, "licensee", 1).rows[0]["licensee"] == "GSK"
    narrow = Scope(since=date(2024, 1, 1), until=date(2025, 6, 30), company="Hengrui", territories=("ex-China",))
    assert pairs(storage, trends(storage.engine, narrow).deal_ids) == {
        ("Jiangsu Hengrui Pharmaceuticals", "Kailera Therapeutics"), ("Jiangsu Hengrui Pharmaceuticals", "Merck & Co.")}
    storage.engine.dispose()
