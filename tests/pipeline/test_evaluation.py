"""The scorer on tiny hand-made gold and predictions, and the `eval` command on a small real corpus."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pharmadeals.models.errors import InputError
from pharmadeals.pipeline.evaluation import load_gold, match_deals, report_json, same_amount, score


def deal(licensor: str, licensee: str, **terms: object) -> dict:
    base = {"licensor": {"name": licensor}, "licensee": {"name": licensee}, "deal_type": "license",
            "territory": "ex-China", "direction": "out"}
    for role in ("upfront", "milestones", "total", "equity"):
        value = terms.pop(role, None)
        base[role] = {"value": value, "currency": "USD"} if value is not None else None
    return {**base, **terms}


@pytest.mark.parametrize(("gold", "pred", "ok"), [
    ({"value": 100, "currency": "USD"}, {"value": 100.9, "currency": "USD"}, True),
    ({"value": 100, "currency": "USD"}, {"value": 102, "currency": "USD"}, False),
    ({"value": 100, "currency": "USD"}, {"value": 100, "currency": "CNY"}, False),
    ({"value": 100, "currency": "USD"}, None, False),
])
def test_same_amount(gold: dict, pred: dict | None, ok: bool) -> None:
    assert same_amount(gold, pred) is ok


def test_match_is_by_names_in_either_order() -> None:
    gold = [deal("A", "B"), deal("C", "D")]
    pred = [deal("D", "C"), deal("E", "F")]
    assert match_deals(gold, pred) == [(0, None), (1, 0), (None, 1)]


def test_score_counts_every_metric() -> None:
    gold = [{"file": "a", "deals": [deal("A", "B", upfront=100, total=300)]},
            {"file": "b", "deals": [deal("C", "D", upfront=50)]},
            {"file": "neg1", "deals": []}, {"file": "neg2", "deals": []}]
    preds = {"a": [deal("B", "A", upfront=100, total=250, deal_type="option")],
             "b": [], "neg1": [], "neg2": [deal("X", "Y", upfront=5)]}
    report = score(gold, preds)
    assert (report.detection.tp, report.detection.fp, report.detection.fn) == (1, 1, 1)
    assert (report.amounts["upfront"].tp, report.amounts["upfront"].fp, report.amounts["upfront"].fn) == (1, 1, 1)
    assert (report.amounts["total"].tp, report.amounts["total"].fp, report.amounts["total"].fn) == (0, 1, 1)
    assert (report.roles.hits, report.roles.total) == (0, 1)  # matched but the roles are swapped
    assert (report.deal_type.hits, report.territory.hits) == (0, 1)
    assert (report.negatives.hits, report.negatives.total) == (1, 2)
    assert report.detection.f1 == pytest.approx(0.5)
    assert report_json(report)["metrics"]["deal detection"]["score"] == pytest.approx(0.5)


def test_load_gold_filters_split_and_resolves_paths(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "en/a.txt", "split": "dev", "deals": []}\n'
                    '{"file": "en/b.txt", "split": "test", "deals": []}\n', encoding="utf-8")
    assert [r["path"] for r in load_gold([gold], "dev")] == [str(tmp_path / "en/a.txt")]
    assert len(load_gold([gold], "all")) == 2
    with pytest.raises(InputError):
        load_gold([gold], "train")


def test_eval_command_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "deal.txt").write_text(
        "Hengrui licenses HRS-9821 to GSK\n\nJiangsu Hengrui Pharmaceuticals granted GSK an exclusive license "
        "outside Greater China for $500 million upfront.\n", encoding="utf-8")
    (tmp_path / "en" / "neg.txt").write_text(
        "Hengrui revenue rises\n\nJiangsu Hengrui Pharmaceuticals said revenue rose 30% to RMB 10 billion.\n",
        encoding="utf-8")
    gold_deal = deal("Jiangsu Hengrui Pharmaceuticals", "GSK", upfront=500_000_000)
    rows = [{"file": "en/deal.txt", "split": "dev", "deals": [gold_deal]},
            {"file": "en/neg.txt", "split": "dev", "deals": []}]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "eval", str(gold), "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)["metrics"]
    assert metrics["deal detection"]["score"] == 1.0
    assert metrics["amount: upfront"]["score"] == 1.0
    assert metrics["negatives with no deal"]["score"] == 1.0


import pytest as _pytest  # noqa: E402

from pharmadeals.pipeline.evaluation import same_party  # noqa: E402


@_pytest.mark.parametrize("gold, pred, expected", [
    ({"name": "GSK", "mention": "葛兰素史克"}, {"name": "GSK", "mention": "GSK plc"}, True),
    ({"name": "Argo Biopharmaceutical", "mention": "Argo"}, {"name": "Argo Biopharmaceutical Co., Ltd.", "mention": "x"}, True),
    ({"name": "Suzhou Qichen Biotech", "mention": "苏州启辰生物科技有限公司"}, {"name": "启辰生物", "mention": "启辰生物"}, True),
    ({"name": "Nuvelis Neuro", "mention": "Nuvelis Neuro GmbH"}, {"name": "Neuro GmbH", "mention": "Neuro GmbH"}, False),
    ({"name": "Merck & Co.", "mention": "默沙东"}, {"name": "Merck KGaA", "mention": "德国默克"}, False),
    ({"name": "Pfizer", "mention": "辉瑞"}, None, False),
])
def test_party_matching_is_lenient_on_form_but_not_identity(gold, pred, expected) -> None:
    assert same_party(gold, pred) is expected
