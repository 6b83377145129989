"""Merge quality: the whole dev corpus ingested as one files source comes out as exactly one deal per real
deal, every deal's reports belong to one real deal, and the aggregate value equals the gold sum (README)."""
from __future__ import annotations

from pathlib import Path

import pytest

from suitekit import CORPUS, make_settings
from pipeline.merge_eval import evaluate_merge
from pipeline.run import ingest, open_storage

VALUE_TOLERANCE = 0.001  # float sums of converted values; a single misread total moves it by far more


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp: Path = tmp_path_factory.mktemp("merge")
    settings = make_settings(tmp, sources=[{"name": "corpus", "type": "files", "path": str(CORPUS)}])
    ingest(settings)
    return evaluate_merge(open_storage(settings).engine, [str(CORPUS / "gold_en.jsonl"),
                                                          str(CORPUS / "gold_zh.jsonl")])


def test_one_deal_per_real_deal(merged) -> None:  # type: ignore[no-untyped-def]
    assert merged.deals == merged.gold_deals and merged.fragmented == 0, merged.rows()


def test_clusters_are_pure(merged) -> None:  # type: ignore[no-untyped-def]
    assert merged.purity == 1.0 and merged.unmatched_mentions == 0, merged.rows()


def test_aggregate_value_matches_gold(merged) -> None:  # type: ignore[no-untyped-def]
    assert abs(merged.total_usd - merged.gold_total_usd) <= VALUE_TOLERANCE * merged.gold_total_usd, merged.rows()
