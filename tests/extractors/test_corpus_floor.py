"""Guard: the extractor on the dev split of the bundled corpus must not fall below a pinned accuracy floor.

Scored through the same JSON `pharmadeals extract` prints (pipeline.commands.extract.extract_paths).
The floors sit a few points below the measured values (see docs/corpora.md); raise them when the extractor improves.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pharmadeals.pipeline.commands.evaluate import predict
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.evaluation import load_gold, score

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "corpus"
GOLD = [CORPUS / "gold_en.jsonl", CORPUS / "gold_zh.jsonl"]
FLOORS = {"detection_f1": 0.94, "amount_f1": 0.95, "roles": 0.95, "deal_type": 0.92, "negatives": 0.95}


@pytest.fixture(scope="module")
def report():  # noqa: ANN201 - pipeline.evaluation.Report
    rows = load_gold([g for g in GOLD if g.is_file()], "dev")
    if not rows:
        pytest.skip("no dev corpus")
    return score(rows, predict(rows, Settings()))


def test_detection_floor(report) -> None:  # noqa: ANN001
    assert report.detection.f1 >= FLOORS["detection_f1"], report.errors


def test_amount_floor(report) -> None:  # noqa: ANN001
    assert report.amounts_all.f1 >= FLOORS["amount_f1"]


def test_roles_type_and_negatives_floor(report) -> None:  # noqa: ANN001
    assert report.roles.value >= FLOORS["roles"]
    assert report.deal_type.value >= FLOORS["deal_type"]
    assert report.negatives.value >= FLOORS["negatives"]
