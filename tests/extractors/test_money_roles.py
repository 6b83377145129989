"""The money-role classifier: its features, its training (deterministic, from the tuned corpora) and its use,
which is off unless $PHARMADEALS_MONEY_ROLE_MODEL names a trained model."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pharmadeals.extractors import money_roles
from pharmadeals.extractors.amounts import extract_amounts
from pharmadeals.extractors.money_roles import LABELS, MODEL_ENV, features, reassign, window

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = ("Hengrui will receive an upfront payment of $500 million and up to $11.5 billion in milestones, "
            "while its shares rose to HK$45.")
CHINESE = "恒瑞医药将获得5亿美元首付款，以及最高115亿美元的里程碑付款。"


def test_window_marks_the_figure_and_the_others() -> None:
    amounts = extract_amounts(SENTENCE)
    first = next(a for a in amounts if a.money.value == 500_000_000)
    text = window(SENTENCE, first, amounts)
    assert " MONEY " in text and " OTHERMONEY " in text and "500" not in text and "11.5" not in text


def test_features_are_words_left_right_and_the_rule() -> None:
    amounts = extract_amounts(SENTENCE)
    first = next(a for a in amounts if a.money.value == 500_000_000)
    feats = features(window(SENTENCE, first, amounts), first.role).split()
    assert "L_upfront" in feats and "R_and" in feats and feats[-1] == f"RULE_{first.role}"
    assert feats.index("MONEY") > feats.index("L_upfront")


def test_chinese_windows_are_cut_into_words() -> None:
    amounts = extract_amounts(CHINESE)
    feats = features(window(CHINESE, amounts[0], amounts), amounts[0].role).split()
    assert "R_首付款" in feats or "R_首付" in feats
    assert not any(len(f) > 12 for f in feats)  # a whole clause glued into one token would be one feature


def test_off_by_default_the_rules_stand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    money_roles.classifier.cache_clear()
    amounts = extract_amounts(SENTENCE)
    assert reassign(SENTENCE, amounts) == amounts


def test_a_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    article = tmp_path / "deal.txt"
    article.write_text(SENTENCE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "extract", str(article)],
                          env={**os.environ, MODEL_ENV: str(tmp_path)}, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "holds no trained money-role model" in done.stderr and "make train" in done.stderr


def _model_digest(folder: Path) -> str:
    return hashlib.sha256((folder / "textcat" / "model").read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("money") / "model"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_money_roles.py"), "--out", str(out)],
                   check=True, capture_output=True, text=True)
    return out


def test_training_is_deterministic(trained: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_money_roles.py"), "--out", str(again)],
                   check=True, capture_output=True, text=True)
    assert _model_digest(trained) == _model_digest(again)


def test_a_trained_model_changes_roles_only(trained: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_ENV, str(trained))
    money_roles.classifier.cache_clear()
    try:
        for sentence in (SENTENCE, CHINESE):
            rules = extract_amounts(sentence)
            used = reassign(sentence, rules)
            assert [(a.start, a.end, a.money) for a in used] == [(a.start, a.end, a.money) for a in rules]
            assert all(a.role in LABELS for a in used)
    finally:
        money_roles.classifier.cache_clear()


def test_extract_runs_with_the_model(trained: Path, tmp_path: Path) -> None:
    article = tmp_path / "deal.txt"
    article.write_text("Hengrui licenses HRS-9821 to GSK\n\n" + SENTENCE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "extract", str(article)],
                          env={**os.environ, MODEL_ENV: str(trained)}, capture_output=True, text=True, check=True)
    deals = json.loads(done.stdout)[0]["deals"]
    assert deals and deals[0]["upfront"]["value"] == 500_000_000
