"""$PHARMADEALS_REGISTRY: another registry file in place of the bundled one, and the ablation built on it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from pharmadeals.extractors.registry import DATA_FILE

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Hengrui Pharma licensed HRS-9821 to GSK for $500 million upfront and up to $11.5 billion in milestones."
PROBE = ("import json, sys; from pharmadeals.extractors.companies import company_index; "
         "i = company_index(); print(json.dumps([sys.argv[1] in i.alias_ids, len(i.alias_ids)]))")


def probe(env: dict[str, str], alias: str) -> list[object]:
    done = subprocess.run([sys.executable, "-c", PROBE, alias], env={**os.environ, **env}, capture_output=True,
                          text=True, check=True)
    return list(yaml.safe_load(done.stdout))


def test_a_registry_without_a_company_does_not_know_it(tmp_path: Path) -> None:
    entries = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    kept = [e for e in entries if e["id"] != "gsk"]
    registry = tmp_path / "companies.yaml"
    registry.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    cache = {"PHARMADEALS_CACHE_DIR": str(tmp_path / "cache")}
    known, full_size = probe(cache, "GSK")
    assert known is True
    known, size = probe({**cache, "PHARMADEALS_REGISTRY": str(registry)}, "GSK")
    assert known is False and size < full_size  # the cached index of the bundled registry was not reused
    known, _ = probe(cache, "GSK")
    assert known is True


def test_a_missing_registry_file_is_a_clear_error(tmp_path: Path) -> None:
    article = tmp_path / "deal.txt"
    article.write_text(TEXT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", "extract", str(article)],
                          env={**os.environ, "PHARMADEALS_REGISTRY": str(tmp_path / "none.yaml")},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "cannot read company registry" in done.stderr and "none.yaml" in done.stderr


def test_ablation_script_reports_both_scores() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "registry_ablation.py"), "holdout4",
                           "--countries", "all"], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("## holdout4:") and "registry companies removed" in lines[0]
    deal_line = next(line for line in lines if line.startswith("deal_f1"))
    full, without = (float(x) for x in deal_line.split()[1::2])
    assert int(lines[0].split()[2]) > 0  # "## holdout4: N of M registry companies removed"
    assert 0 <= without <= 1 and 0 <= full <= 1
