"""Merge quality: the whole dev corpus ingested as one files source comes out as exactly one deal per real
deal, every deal's reports belong to one real deal, and the aggregate value equals the gold sum (docs/quality.md)."""
from __future__ import annotations

from pathlib import Path

import pytest
from suitekit import CORPUS, make_settings

from pharmadeals.pipeline.merge_eval import evaluate_merge
from pharmadeals.pipeline.run import ingest, open_storage

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


CORPORA_DIR = CORPUS.parent
ALL_CORPORA = ("corpus", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7")


@pytest.fixture(scope="module")
def merged_everything(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Every labelled corpus in one database: the same real deals recur across corpora written by different
    people, in both languages (docs/quality.md, 'Merging reports into deals')."""
    tmp: Path = tmp_path_factory.mktemp("merge-all")
    sources = [{"name": f"{name}-{lang}", "type": "files", "path": str(CORPORA_DIR / name / lang)}
               for name in ALL_CORPORA for lang in ("en", "zh")]
    settings = make_settings(tmp, sources=sources)
    ingest(settings)
    gold = [str(path) for name in ALL_CORPORA for path in sorted((CORPORA_DIR / name).glob("gold*.jsonl"))]
    return evaluate_merge(open_storage(settings).engine, gold)


def test_all_corpora_together_stay_within_the_issue_targets(merged_everything) -> None:  # type: ignore[no-untyped-def]
    """The issue's targets for an independent corpus: distinct deals within 5% of the truth, purity >= 0.95,
    aggregate value within 2% (measured -2.1%, 0.998 and -1.9%; what is left is listed in docs/quality.md)."""
    report = merged_everything
    assert abs(report.deals - report.gold_deals) <= 0.05 * report.gold_deals, report.rows()
    assert report.purity >= 0.95 and report.fragmented <= 1, report.rows()
    assert abs(report.total_usd - report.gold_total_usd) <= 0.02 * report.gold_total_usd, report.rows()
