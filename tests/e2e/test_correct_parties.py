"""`correct` reads a party name as extraction does (registry names and aliases in either script) and refuses a
name no company is known by, exit 2, unless --new-company: run as real CLI subprocesses on the demo sample."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = "database:\n  url: sqlite:///pd.db\nlogging:\n  file: null\narchive:\n  enabled: false\n"


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
    return subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", *args], check=False, cwd=folder,
                          env=env, capture_output=True, text=True, timeout=300)


def sql(folder: Path, query: str) -> list[dict]:
    result = run(folder, "query", query, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    ingest = run(tmp_path, "ingest", "--replay", str(ROOT / "samples" / "sample.warc.gz"))
    assert ingest.returncode in (0, 1), ingest.stderr
    return tmp_path


def gsk_deal(folder: Path) -> dict:
    return sql(folder, "SELECT deal_id, licensee, licensee_country FROM deal_summary WHERE licensee = 'GSK' "
                       "ORDER BY deal_id LIMIT 1")[0]


@pytest.mark.parametrize("name", ["GlaxoSmithKline", "葛兰素史克"])
def test_a_registry_alias_is_the_existing_company(demo: Path, name: str) -> None:
    deal = gsk_deal(demo)
    companies = sql(demo, "SELECT COUNT(*) AS n FROM companies")[0]["n"]
    result = run(demo, "correct", str(deal["deal_id"]), f"licensee={name}", "--reviewer", "e2e")
    assert result.returncode == 0, result.stderr
    assert gsk_deal(demo) == deal  # same company, still placed in its country
    assert sql(demo, "SELECT COUNT(*) AS n FROM companies")[0]["n"] == companies


def test_a_registry_company_not_yet_stored_is_resolved_from_the_registry(demo: Path) -> None:
    deal = gsk_deal(demo)
    result = run(demo, "correct", str(deal["deal_id"]), "licensee=默沙东", "--reviewer", "e2e")
    assert result.returncode == 0, result.stderr
    after = sql(demo, f"SELECT licensee, licensee_country FROM deal_summary WHERE deal_id = {deal['deal_id']}")[0]
    assert after["licensee"] in ("Merck", "MSD", "Merck & Co.") and after["licensee_country"] == "US"
    again = run(demo, "correct", str(deal["deal_id"]), "licensee=Merck", "--reviewer", "e2e")
    assert again.returncode == 0, again.stderr
    assert sql(demo, f"SELECT licensee FROM deal_summary WHERE deal_id = {deal['deal_id']}")[0] == \
        {"licensee": after["licensee"]}


def test_an_unknown_company_is_refused_unless_asked_for(demo: Path) -> None:
    deal = gsk_deal(demo)
    companies = sql(demo, "SELECT COUNT(*) AS n FROM companies")[0]["n"]
    refused = run(demo, "correct", str(deal["deal_id"]), "licensee=Qzxwv Therapeutics", "--reviewer", "e2e")
    assert refused.returncode == 2
    assert "Qzxwv Therapeutics" in refused.stderr and "--new-company" in refused.stderr
    assert gsk_deal(demo) == deal and sql(demo, "SELECT COUNT(*) AS n FROM companies")[0]["n"] == companies
    made = run(demo, "correct", str(deal["deal_id"]), "licensee=Qzxwv Therapeutics", "--reviewer", "e2e",
               "--new-company")
    assert made.returncode == 0, made.stderr
    assert sql(demo, f"SELECT licensee FROM deal_summary WHERE deal_id = {deal['deal_id']}")[0] == \
        {"licensee": "Qzxwv Therapeutics"}


def test_an_unknown_field_is_refused(demo: Path) -> None:
    refused = run(demo, "correct", str(gsk_deal(demo)["deal_id"]), "licencee=GSK", "--reviewer", "e2e")
    assert refused.returncode == 2 and "licencee" in refused.stderr
