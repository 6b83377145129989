"""Deals do not depend on the order articles arrive in, nor on how they were split between runs.

The corpus (tests/orderkit.py) is ingested in one go, then again in random orders cut into random runs,
through the function `pharmadeals ingest --files` calls; deal_summary and deal_sources must match the
one-go result by content on each backend.
"""
from __future__ import annotations

from itertools import count
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orderkit import ORDER_CORPUS, deal_content, differences, write_folder
from suitekit import make_settings

from pharmadeals.pipeline.run import ingest

_reference: dict[str, tuple] = {}
_examples = count()


def _ingest_runs(url: str, work: Path, runs: list[list[str]]) -> tuple:
    config = make_settings(work, database={"url": url}, extract={"workers": 1})
    for number, stems in enumerate(runs):
        report = ingest(config, files_dir=str(write_folder(work / f"run{number}", stems)))
        assert report.exit_code == 0, report.counters.as_dict()
    return deal_content(url)


def _one_go(backend: str, tmp_path: Path) -> tuple:
    if backend not in _reference:
        with fresh_database(backend, tmp_path, name="one_go") as url:
            _reference[backend] = _ingest_runs(url, tmp_path / "one-go", [list(ORDER_CORPUS)])
    return _reference[backend]


@st.composite
def orders_and_runs(draw: st.DrawFn) -> list[list[str]]:
    """A random order of the corpus cut into one to five runs."""
    order = draw(st.permutations(ORDER_CORPUS))
    cuts = sorted(draw(st.sets(st.integers(1, len(order) - 1), max_size=4)))
    return [list(order[a:b]) for a, b in zip([0, *cuts], [*cuts, len(order)])]


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=15, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(runs=orders_and_runs())
def test_any_order_and_split_gives_the_one_go_deals(backend: str, tmp_path: Path, runs: list[list[str]]) -> None:
    deals, reports = _one_go(backend, tmp_path)
    assert len(deals) >= 10 and sum(reports.values()) >= 40  # many deals, most with several reports
    example = f"shuffled{next(_examples)}"  # tmp_path is shared by every example of one test
    with fresh_database(backend, tmp_path, name=example) as url:
        work = tmp_path / example
        got_deals, got_reports = _ingest_runs(url, work, runs)
    assert got_deals == deals, differences(deals, got_deals)
    assert got_reports == reports, differences(reports, got_reports)
