"""Trends and SQL pages through the test client: the same numbers as `report trends` and `query`."""
from __future__ import annotations

import re
import struct

import pytest
from starlette.testclient import TestClient

from pharmadeals.models.readonly import run_query
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.store import Storage
from pharmadeals.pipeline.plots import DPI, FIGSIZE
from pharmadeals.pipeline.reports import Scope, trends
from pharmadeals.pipeline.web.explorer import cookbook

_ROW = re.compile(r"<tr><td>(\d{4}(?:-[HQ]\d)?)</td><td class=\"num\">(\d+)</td><td class=\"num\">([\d,.]+)</td>\s*"
                  r"<td class=\"num\">([\d,.]+)</td>")


@pytest.mark.parametrize(("query", "scope", "period"), [
    ("", Scope(), "half"),
    ("period=year&scope=mainland&exclude=biosimilar", Scope(region="mainland", exclude=("biosimilar",)), "year"),
    ("period=quarter&direction=all&disclosed_only=1", Scope(direction=None, disclosed_only=True), "quarter"),
])
def test_trends_page_agrees_with_the_report(client: TestClient, built: Storage, query: str, scope: Scope,
                                            period: str) -> None:
    page = client.get(f"/trends?{query}")
    assert page.status_code == 200
    report = trends(built.engine, scope, period)
    assert report.rows
    assert _ROW.findall(page.text) == [(r["period"], str(r["deals"]), f"{r['upfront_usd'] / 1e6:,.1f}",
                                        f"{r['total_usd'] / 1e6:,.1f}") for r in report.rows]
    assert "; ".join(scope.rules()).replace("'", "&#39;") in page.text


def test_trends_chart_is_the_report_plot(client: TestClient) -> None:
    chart = client.get("/trends.png?period=year")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    width, height = struct.unpack(">II", chart.content[16:24])  # the PNG header's IHDR size
    assert (width, height) == (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))


def test_a_bad_trends_option_is_named(client: TestClient) -> None:
    page = client.get("/trends?period=decade")
    assert page.status_code == 400 and "error: period &#39;decade&#39; is unknown; use half, quarter or year" in page.text
    assert "is not a date" in client.get("/trends?since=July").text


def test_canned_queries_are_the_readme_cookbook(client: TestClient, settings: Settings) -> None:
    canned = cookbook()
    assert len(canned) >= 10 and any(q.title == "NewCo deals per year" for q in canned)
    page = client.get("/sql").text
    for query in canned:
        assert f'href="/sql?q={query.slug}"' in page
    newco = next(q for q in canned if q.title == "NewCo deals per year")
    columns, rows = run_query(settings.database.url, newco.sql)
    result = client.get(f"/sql?q={newco.slug}").text
    assert "".join(f"<th>{c}</th>" for c in columns) in result and f"{len(rows)} row(s)" in result


def test_sql_is_read_only(client: TestClient, built: Storage, settings: Settings) -> None:
    before = run_query(settings.database.url, "SELECT COUNT(*) FROM deals")[1]
    refused = client.get("/sql", params={"sql": "DELETE FROM deals"})
    assert refused.status_code == 400 and "error:" in refused.text
    assert run_query(settings.database.url, "SELECT COUNT(*) FROM deals")[1] == before


def test_facets_by_deal_type_direction_territory_licensee(client: TestClient, settings: Settings) -> None:
    page = client.get("/sql").text
    for column in ("deal_type", "direction", "territory", "licensee"):
        _, rows = run_query(settings.database.url, f"SELECT {column}, COUNT(*) FROM deal_summary GROUP BY {column} "
                                                   f"ORDER BY COUNT(*) DESC, {column} LIMIT 1")
        assert f"<strong>{column}</strong>: {rows[0][0]} ({rows[0][1]})" in page


def test_datasette_explores_the_views_with_facets_and_the_cookbook(client: TestClient) -> None:
    listing = client.get("/datasette/pd.json").json()
    assert {q["name"] for q in listing["queries"]} == {q.slug for q in cookbook()}
    faceted = client.get("/datasette/pd/deal_summary.json?_extra=facet_results").json()
    facets = faceted["facet_results"]
    facets = facets.get("results", facets)
    assert {"deal_type", "direction", "territory", "licensee"} <= set(facets)
    refused = client.get("/datasette/pd.json", params={"sql": "DELETE FROM deals"})
    assert refused.status_code >= 400
