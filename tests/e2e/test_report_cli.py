"""End to end: ingest the report corpus with the real CLI, then report, review, correct and reextract it.

Figures depend on the extractor, so checks compare the CLI with plain SQL over the same database
instead of pinning numbers: reports must equal deal_summary sums, and corrections must survive reextract.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPORT_CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "report_corpus"
CONFIG = "database:\n  url: sqlite:///pd.db\nlogging:\n  file: null\narchive:\n  enabled: false\n"


class Cli:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
        result = subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", *args], check=False, cwd=self.folder, env=env,
                                capture_output=True, text=True, timeout=300)
        if ok:
            assert result.returncode == 0, result.stderr
        return result

    def json(self, *args: str):  # type: ignore[no-untyped-def]
        return json.loads(self(*args, "--format", "json").stdout)

    def sql(self, query: str) -> list[dict]:
        return self.json("query", query)


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    folder = tmp_path_factory.mktemp("report_cli")
    (folder / "config.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copytree(REPORT_CORPUS, folder / "articles")
    run = Cli(folder)
    ingest = run("ingest", "--files", "articles")
    assert "fetched=12" in ingest.stdout
    return run


def out_deals_by_half(cli: Cli) -> dict[str, dict]:
    rows = cli.sql("""SELECT strftime('%Y', announced_on) || '-H' ||
                             CASE WHEN CAST(strftime('%m', announced_on) AS INTEGER) <= 6 THEN '1' ELSE '2' END AS period,
                             COUNT(*) AS deals, COALESCE(SUM(upfront_usd), 0) AS upfront,
                             COALESCE(SUM(total_usd), 0) AS total, COALESCE(SUM(equity_usd), 0) AS equity
                      FROM deal_summary WHERE direction = 'out' AND announced_on IS NOT NULL GROUP BY 1""")
    return {r["period"]: r for r in rows}


def test_trends_equal_sql_over_deal_summary(cli: Cli) -> None:
    report = cli.json("report", "trends")
    expected = out_deals_by_half(cli)
    assert expected, "the extractor found no out-licensing deal in the report corpus"
    got = {r["period"]: r for r in report["rows"] if r["deals"]}
    assert set(got) == set(expected)
    for period, row in got.items():
        want = expected[period]
        assert (row["deals"], row["upfront_usd"], row["total_usd"], row["equity_usd"]) == pytest.approx(
            (want["deals"], want["upfront"], want["total"], want["equity"]))
    assert report["scope"]["deal_count"] == sum(r["deals"] for r in expected.values())


def test_scope_sql_in_the_json_lists_the_same_deals(cli: Cli) -> None:
    report = cli.json("report", "trends", "--scope", "mainland", "--exclude", "biosimilar,vaccine", "--no-newco",
                      "--period", "year")
    rows = cli.sql(report["scope"]["sql"])
    assert sorted(r["deal_id"] for r in rows) == sorted(report["scope"]["deal_ids"] + report["scope"]["undated_deal_ids"])
    assert all(r["licensor_country"] == "CN" and r["deal_type"] != "newco" for r in rows)
    assert any("excluded biosimilar" in rule for rule in report["scope"]["rules"])


def test_table_output_shows_scope_and_count_and_writes_a_chart(cli: Cli) -> None:
    result = cli("report", "trends", "--period", "year", "--plot", "charts/trends.png")
    counted = sum(r["deals"] for r in out_deals_by_half(cli).values())
    assert "Scope: direction = out" in result.stdout
    assert f"Deals counted: {counted}" in result.stdout
    assert (cli.folder / "charts" / "trends.png").read_bytes()[:4] == b"\x89PNG"


def test_breakdown_csv_has_scope_lines_and_top_rows(cli: Cli) -> None:
    result = cli("report", "breakdown", "--by", "licensee", "--top", "3", "--direction", "all", "--format", "csv")
    lines = result.stdout.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert comments[0] == "# scope: direction: any" and comments[-1].startswith("# deals counted: ")
    table = list(csv.DictReader(io.StringIO("\n".join(lines[len(comments):]))))
    assert 1 <= len(table) <= 3
    top = cli.sql("SELECT licensee, SUM(total_usd) AS total FROM deal_summary GROUP BY licensee "
                  "ORDER BY COALESCE(SUM(total_usd), 0) DESC, COUNT(*) DESC LIMIT 1")[0]
    assert float(table[0]["total_usd"]) == pytest.approx(top["total"] or 0.0)


def test_review_of_the_ingest_run(cli: Cli) -> None:
    data = cli.json("review", "--run", "1")
    (source,) = data["sources"]
    assert source["fetched"] == 12 and source["errors"] == 0
    confidences = [d["confidence"] for d in data["deals"]]
    assert confidences == sorted(confidences) and confidences
    assert all(m["evidence"] for d in data["deals"] for m in d["mentions"])
    assert any("[[" in line for d in data["deals"] for m in d["mentions"] for line in m["evidence"])
    table = cli("review", "--run", "1").stdout
    assert "per source" in table and "Deals created or changed" in table and "Errors: 0" in table


def test_correct_then_reextract_keeps_the_correction(cli: Cli) -> None:
    deal = cli.sql("SELECT deal_id, total_usd FROM deal_summary ORDER BY article_count DESC, deal_id LIMIT 1")[0]
    other = cli.sql(f"SELECT deal_id FROM deal_summary WHERE deal_id <> {deal['deal_id']} ORDER BY deal_id LIMIT 1")[0]
    result = cli("correct", str(deal["deal_id"]), "total=1234000000 USD", "territory=global",
                 "--reviewer", "e2e", "--reason", "checked the filing")
    assert f"deal {deal['deal_id']}: territory" in result.stdout and "stored 2 override(s) by e2e" in result.stdout
    cli("correct", str(other["deal_id"]), "--reject", "--reviewer", "e2e")
    detail = cli.json("review", "--deal", str(deal["deal_id"]))
    assert [o["reviewer"] for o in detail["overrides"]] == ["e2e", "e2e"] and detail["articles"]
    report = cli.json("reextract")
    assert report["overrides_kept"] == 3 and report["errors"] == []
    after = cli.sql(f"SELECT deal_id, total_usd, territory FROM deal_summary WHERE deal_id IN "
                    f"({deal['deal_id']}, {other['deal_id']})")
    assert after == [{"deal_id": deal["deal_id"], "total_usd": 1234000000.0, "territory": "global"}]
    again = cli.json("reextract")
    assert (again["added"], again["removed"], again["changed"]) == ([], [], [])


@pytest.mark.parametrize("args", [
    ("report", "trends", "--period", "month"),
    ("report", "trends", "--scope", "asia"),
    ("report", "trends", "--since", "last year"),
    ("report", "breakdown", "--by", "assets"),
    ("correct", "99999", "total=none", "--reviewer", "x"),
    ("correct", "1", "total=lots", "--reviewer", "x"),
    ("review", "--deal", "99999"),
])
def test_bad_input_is_one_line_with_exit_2(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args, ok=False)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [("report", "trends"), ("report", "breakdown"), ("review",), ("correct",),
                                     ("reextract",)])
def test_help_has_an_example(cli: Cli, command: tuple[str, ...]) -> None:
    assert "Example" in cli(*command, "--help").stdout


GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "report_golden"


@pytest.fixture(scope="module")
def kit_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """The CLI on a database written through the real store path from hand-checked figures (stable output)."""
    import reportkit
    from suitekit import make_settings

    from pharmadeals.pipeline.run import open_storage

    folder = tmp_path_factory.mktemp("report_golden")
    (folder / "config.yaml").write_text(CONFIG, encoding="utf-8")
    storage = open_storage(make_settings(folder))
    reportkit.build(storage)
    storage.engine.dispose()
    return Cli(folder)


@pytest.mark.parametrize(("name", "args"), [
    ("trends_half.csv", ("report", "trends", "--format", "csv")),
    ("trends_mainland_year.csv", ("report", "trends", "--scope", "mainland", "--exclude", "biosimilar",
                                  "--period", "year", "--format", "csv")),
    ("breakdown_deal_type.csv", ("report", "breakdown", "--by", "deal_type", "--direction", "all", "--format", "csv")),
])
def test_golden_report_output(kit_cli: Cli, name: str, args: tuple[str, ...]) -> None:
    assert kit_cli(*args).stdout == (GOLDEN / name).read_text(encoding="utf-8")


def test_filters_from_the_command_line_match_sql(kit_cli: Cli) -> None:
    report = kit_cli.json("report", "trends", "--deal-type", "license", "--territory", "ex-China",
                          "--territory", "global", "--since", "2023-01-01", "--until", "2025-06-30",
                          "--company", "hansoh")
    rows = kit_cli.sql("""SELECT deal_id FROM deal_summary WHERE direction = 'out' AND deal_type = 'license'
                          AND territory IN ('ex-China', 'global') AND announced_on BETWEEN '2023-01-01' AND '2025-06-30'
                          AND (licensor LIKE '%Hansoh%' OR licensee LIKE '%Hansoh%')""")
    assert sorted(report["scope"]["deal_ids"]) == sorted(r["deal_id"] for r in rows) and len(rows) == 2


def test_reports_on_an_empty_database(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    cli = Cli(tmp_path)
    cli("db", "upgrade")
    assert cli.json("report", "trends")["rows"] == []
    result = cli("report", "trends", "--plot", "empty.png")
    assert "Deals counted: 0" in result.stdout and (tmp_path / "empty.png").exists()
    no_runs = cli("review", ok=False)
    assert no_runs.returncode == 2 and "no runs yet" in no_runs.stderr
    assert cli.json("reextract")["articles"] == 0
    missing = cli("report", "trends", "--config", "nowhere.yaml", ok=False)
    assert missing.returncode == 2 and missing.stderr.startswith("error: ")


def test_reextract_waits_for_no_one_while_a_run_holds_the_lock(tmp_path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """reextract rewrites deals, so like ingest it refuses to run beside another writer (exit 3)."""
    from suitekit import write_config

    from pharmadeals.pipeline.lock import run_lock

    config = write_config(tmp_path, f'database: {{url: "sqlite:///{tmp_path / "pd.db"}"}}\n')
    with run_lock(f"sqlite:///{tmp_path / 'pd.db'}", "ingest"):
        result = run_cli("reextract", "--config", str(config))
    assert result.returncode == 3, result.stderr
    assert "lock" in result.stderr
