"""Every labelled corpus follows the one gold format the scorer reads, and the checker catches broken labels."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from suitekit import CORPUS

CORPORA_DIR = CORPUS.parent
sys.path.insert(0, str(CORPORA_DIR))
from check_gold import corpus_problems  # noqa: E402

CORPORA = sorted(p.name for p in CORPORA_DIR.iterdir() if p.is_dir() and list(p.glob("gold*.jsonl")))


@pytest.mark.parametrize("name", CORPORA)
def test_gold_labels_are_sound(name: str) -> None:
    assert corpus_problems(CORPORA_DIR / name) == []


def _deal(gold_id: str, licensor: str) -> dict:
    return {"gold_id": gold_id, "licensor": {"name": licensor, "mention": licensor},
            "licensee": {"name": "GSK", "mention": "GSK"}, "assets": [], "deal_type": "license",
            "territory": "global", "direction": "out", "royalties": True, "announced": "2025-07-27",
            "event": None, "upfront": {"value": 5, "currency": "usd"}, "milestones": None, "total": None,
            "equity": None}


def test_broken_labels_are_reported(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("Title\n\nBody.", encoding="utf-8")
        (tmp_path / f"{name}.json").write_text(json.dumps({"url": "https://x.example/same"}), encoding="utf-8")
    rows = [{"file": "a.txt", "language": "en", "deals": [_deal("hr-gsk-2025", "Hengrui")]},
            {"file": "b.txt", "language": "en", "deals": [_deal("hr-gsk-2025", "Hansoh")]},  # neither is written

            {"file": "missing.txt", "language": "en", "deals": []}]
    (tmp_path / "gold_x.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n{oops\n", encoding="utf-8")
    found = "\n".join(corpus_problems(tmp_path))
    for part in ("currency must be a 3-letter code", "differ from", "is also a.txt's", "article file missing",
                 "not JSON", "licensor mention 'Hansoh' is not in the article"):
        assert part in found
