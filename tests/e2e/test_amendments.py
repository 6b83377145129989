"""Follow-up reports through the real CLI: an amendment that states new money gives the deal its amounts
(alone, or after the original deal, whose figures stay visible as history), in English and Chinese, on both
backends, and the result does not depend on the order the articles arrive in."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "amendments"
AMOUNTS = "SELECT deal_id, upfront_usd, milestones_usd, total_usd, article_count FROM deal_summary ORDER BY deal_id"
AMENDED = (112e6, 1.9e9, 2.012e9)


def cli(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {{url: '{url}'}}\narchive: {{enabled: false}}\nlogging: {{file: null}}\n"
                      "sources: []\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
    done = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", *args, "--config", str(config)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return done


def folder(tmp_path: Path, name: str, *stems: str) -> str:
    out = tmp_path / name
    out.mkdir()
    for stem in stems:
        for suffix in (".html", ".json"):
            shutil.copy(FIXTURES / f"{stem}{suffix}", out / f"{stem}{suffix}")
    return str(out)


def amounts(tmp_path: Path, url: str) -> list[tuple[float, float, float, int]]:
    rows = json.loads(cli(tmp_path, url, "query", "--format", "json", AMOUNTS).stdout)
    return [(r["upfront_usd"], r["milestones_usd"], r["total_usd"], r["article_count"]) for r in rows]


@pytest.mark.parametrize("stem", ["amendment-en", "amendment-zh"])
def test_extractor_reports_the_amendment_with_its_amounts(stem: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
    done = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "extract", "--format", "json",
                           str(FIXTURES / f"{stem}.html")], capture_output=True, text=True, timeout=300, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (deal,) = json.loads(done.stdout)[0]["deals"]
    assert deal["event"] == "amendment"
    assert (deal["upfront"]["usd"], deal["milestones"]["usd"]) == (112_000_000, 1_900_000_000)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("stem", ["amendment-en", "amendment-zh"])
def test_an_amendment_alone_gives_the_deal_its_amounts(backend: str, stem: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        cli(tmp_path, url, "ingest", "--files", folder(tmp_path, "pages", stem))
        assert amounts(tmp_path, url) == [(*AMENDED, 1)]
        review = cli(tmp_path, url, "review", "--deal", "1").stdout
        assert "no amounts" not in review
        assert "upfront 112,000,000 USD; milestones 1,900,000,000 USD" in review
        assert "Amount history: 3" in review and "upfront 112,000,000 USD amendment (current)" in review


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_amendment_after_the_original_shows_new_totals_and_keeps_the_old_as_history(
        backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        cli(tmp_path, url, "ingest", "--files", folder(tmp_path, "first", "original-en"))
        assert amounts(tmp_path, url) == [(50e6, 900e6, 950e6, 1)]
        cli(tmp_path, url, "ingest", "--files", folder(tmp_path, "then", "amendment-en", "amendment-zh"))
        assert amounts(tmp_path, url) == [(*AMENDED, 3)]
        review = cli(tmp_path, url, "review", "--deal", "1").stdout
        assert "amounts: upfront 112,000,000 USD; milestones 1,900,000,000 USD; total 2,012,000,000 USD" in review
        assert "Amount history: 9" in review
        assert ("2025-03-04 upfront 50,000,000 USD original (earlier): "
                "https://news.example.org/2025/03/hansoh-merck-hs10535") in review
        assert ("2025-09-16 upfront 112,000,000 USD amendment (current): "
                "https://news.example.cn/2025/09/hansoh-msd-expand") in review
        history = json.loads(cli(tmp_path, url, "review", "--deal", "1", "--format", "json").stdout)["amount_history"]
        assert [(h["kind"], h["value"], h["event"], h["current"]) for h in history if h["kind"] == "milestones"] == [
            ("milestones", "900000000", "original", False), ("milestones", "1900000000", "amendment", False),
            ("milestones", "1900000000", "amendment", True)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_amendments_first_then_the_original_give_the_same_deal(backend: str, tmp_path: Path) -> None:
    """The amended figures win whatever the order: the original arriving last does not bring $50M back."""
    with fresh_database(backend, tmp_path) as url:
        cli(tmp_path, url, "ingest", "--files", folder(tmp_path, "first", "amendment-zh", "amendment-en"))
        cli(tmp_path, url, "ingest", "--files", folder(tmp_path, "then", "original-en"))
        assert amounts(tmp_path, url) == [(*AMENDED, 3)]
        history = json.loads(cli(tmp_path, url, "review", "--deal", "1", "--format", "json").stdout)["amount_history"]
        assert [(h["kind"], h["value"], h["event"]) for h in history if h["current"]] == [
            ("milestones", "1900000000", "amendment"), ("total", "2012000000", "amendment"),
            ("upfront", "112000000", "amendment")]
        assert ("upfront", "50000000", "original") in [(h["kind"], h["value"], h["event"]) for h in history]
