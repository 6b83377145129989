"""The corpus scorer (tests/corpora/score.py) counts what the independent evaluation counts: deals matched on
their parties in either order, amounts right only in the gold currency within 1%, the kinds-of-deal breakdown,
and negatives; and its name matching is its own, not the extractor's."""
from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
sys.path.insert(0, str(CORPORA))
import score  # noqa: E402


def _deal(licensor: str, licensee: str, kind: str = "main", **amounts: Any) -> dict[str, Any]:
    deal: dict[str, Any] = {"gold_id": f"{licensor}-{licensee}", "kind": kind, "deal_type": "license",
                            "licensor": {"name": licensor, "mention": licensor},
                            "licensee": {"name": licensee, "mention": licensee}}
    for role in score.ROLES:
        value = amounts.get(role)
        deal[role] = None if value is None else {"value": value, "currency": "USD"}
    return deal


def test_parties_in_either_order_match_and_swapped_roles_are_counted() -> None:
    gold = {"file": "a.txt", "language": "en", "deals": [_deal("Hengrui", "GSK", upfront=500e6)]}
    swapped = _deal("GlaxoSmithKline plc", "Jiangsu Hengrui Medicine Co., Ltd.", upfront=500e6)
    swapped["licensor"]["mention"] = "GSK"
    result = score.score_corpus([gold], {"a.txt": [swapped]})["all"]
    assert (result.detection.tp, result.detection.fp, result.detection.fn) == (1, 0, 0)
    assert result.roles.text() == "0/1"
    assert result.amounts["upfront"].tp == 1


def test_amounts_need_the_gold_currency_and_value_within_one_percent() -> None:
    gold = {"file": "a.txt", "language": "zh", "deals": [_deal("恒瑞医药", "默沙东", total=1.97e9, upfront=2e8)]}
    pred = _deal("恒瑞医药", "默沙东", total=1.96e9, upfront=2e8)
    pred["upfront"] = {"value": 14.4e8, "currency": "CNY"}  # the RMB conversion is not the USD upfront
    figures = score.figures(score.score_corpus([gold], {"a.txt": [pred]})["zh"])
    assert figures["total_f1"] == 1.0 and figures["upfront_f1"] == 0.0


def test_kinds_of_deal_spurious_deals_and_negatives() -> None:
    rows = [{"file": "r.txt", "language": "en", "deals": [_deal("Hansoh", "Merck", "roundup", total=2e9),
                                                         _deal("Innovent", "Roche", "roundup", upfront=80e6)]},
            {"file": "n.txt", "language": "en", "deals": []},
            {"file": "m.txt", "language": "en", "deals": [_deal("Akeso", "Summit", milestones=4.5e9)]}]
    predictions = {"r.txt": [_deal("Hansoh Pharma", "Merck", total=2e9)], "n.txt": [_deal("BeiGene", "Novartis")],
                   "m.txt": [_deal("Akeso", "Summit Therapeutics", milestones=4.5e9)]}
    figures = score.figures(score.score_corpus(rows, predictions)["en"])
    assert figures["found_roundup"] == "1/2" and figures["found_main"] == "1/1"
    assert figures["negatives"] == "0/1" and figures["deal_precision"] == round(2 / 3, 3)
    assert figures["main_milestones"] == "1/1"


def test_the_scorer_does_not_import_the_extractor() -> None:
    tree = ast.parse((CORPORA / "score.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("pharmadeals") for name in imported)
