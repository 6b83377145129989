"""Usage errors are usage errors: exit 2 with the command's usage line; help, version and SQL pasted as users
paste it. Each case runs the real CLI in a subprocess."""
from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def empty_db(tmp_path: Path, run_cli: Cli) -> Path:
    """A migrated, empty database named by ./config.yaml."""
    (tmp_path / "config.yaml").write_text("database:\n  url: sqlite:///pd.db\nlogging:\n  file: null\n",
                                          encoding="utf-8")
    assert run_cli("db", "upgrade").returncode == 0
    return tmp_path / "pd.db"


@pytest.mark.parametrize("args, usage, message", [
    (["ingest", "--bogus"], "Usage: pharmadeals ingest", "No such option: --bogus"),
    (["ingets"], "Usage: pharmadeals", "Did you mean 'ingest'?"),
    (["ingest", "--confg", "x.yaml"], "Usage: pharmadeals ingest", "(Possible options: --config)"),
    (["query"], "Usage: pharmadeals query", "Missing argument"),
    (["review", "--run", "abc"], "Usage: pharmadeals review", "Invalid value for '--run'"),
])
def test_usage_errors_exit_2_with_the_usage_line(run_cli: Cli, args: list[str], usage: str, message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert usage in result.stderr and message in result.stderr
    assert "unexpected" not in result.stderr and "report it" not in result.stderr


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_short_and_long_help(run_cli: Cli, flag: str) -> None:
    top = run_cli(flag)
    assert top.returncode == 0 and "ingest" in top.stdout
    sub = run_cli("query", flag)
    assert sub.returncode == 0 and "read-only" in sub.stdout.lower()


def test_version(run_cli: Cli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"pharmadeals \d+\.\d+\.\d+\S*\n", result.stdout)


def test_bad_sql_is_a_usage_error_with_the_database_message(run_cli: Cli, empty_db: Path) -> None:
    for sql, words in (("SELEC 1", "syntax error"), ("SELECT nope FROM deal_summary", "no such column"),
                       ("SELECT * FROM no_such_view", "no such table")):
        result = run_cli("query", sql)
        assert result.returncode == 2, (sql, result.stderr)
        assert result.stderr.startswith("error: query failed:") and words in result.stderr


def test_a_write_is_still_refused_with_exit_2(run_cli: Cli, empty_db: Path) -> None:
    result = run_cli("query", "DELETE FROM articles")
    assert result.returncode == 2 and "refused" in result.stderr


def test_sql_with_leading_comments_runs_as_pasted(run_cli: Cli, empty_db: Path) -> None:
    sql = "-- columns: deal_id, licensor\n-- every deal\nSELECT COUNT(*) AS n FROM deal_summary"
    result = run_cli("query", sql, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "0"]
    before_flag = run_cli("query", "--format", "csv", sql)
    assert before_flag.returncode == 0 and before_flag.stdout.splitlines() == ["n", "0"]


@pytest.mark.parametrize("pragma, column", [("PRAGMA table_info(deals)", "announced_on"),
                                            ("PRAGMA index_list(articles)", "name"),
                                            ("PRAGMA table_info('deal_summary')", "total_usd")])
def test_schema_pragmas_are_allowed(run_cli: Cli, empty_db: Path, pragma: str, column: str) -> None:
    result = run_cli("query", pragma, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert column in result.stdout


def test_a_setting_pragma_is_refused(run_cli: Cli, empty_db: Path) -> None:
    result = run_cli("query", "PRAGMA journal_mode=DELETE")
    assert result.returncode == 2 and "refused" in result.stderr


def test_report_alone_means_report_trends(run_cli: Cli, empty_db: Path) -> None:
    alone = run_cli("report", "--help")
    assert alone.returncode == 0 and "report trends" in alone.stdout
    default = run_cli("report")
    explicit = run_cli("report", "trends")
    assert default.returncode == explicit.returncode == 0, default.stderr
    assert default.stdout == explicit.stdout


def test_no_jieba_chatter_on_stderr(run_cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "zh.txt").write_text("恒瑞医药与GSK签署许可协议，GSK将支付5亿美元首付款。\n", encoding="utf-8")
    result = run_cli("extract", "zh.txt")
    assert result.returncode == 0, result.stderr
    assert "prefix dict" not in result.stderr and "Loading model" not in result.stderr


def test_correct_takes_deal_summary_columns_and_refuses_unknown_fields(tmp_path: Path, run_cli: Cli,
                                                                       empty_db: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "deal.txt").write_text(
        "Shanghai, June 2, 2025 -- Jiangsu Hengrui Pharmaceuticals granted GSK an exclusive licence to HRS-9821 "
        "outside Greater China. GSK will pay an upfront fee of US$500 million.\n", encoding="utf-8")
    assert run_cli("ingest", "--files", str(pages)).returncode == 0
    deal = run_cli("query", "--format", "csv", "SELECT deal_id FROM deal_summary").stdout.splitlines()[1]

    fixed = run_cli("correct", deal, "upfront_usd=12345", "--reviewer", "ana")
    assert fixed.returncode == 0, fixed.stderr
    assert "None" not in fixed.stdout
    shown = run_cli("query", "--format", "csv", f"SELECT upfront_usd FROM deal_summary WHERE deal_id = {deal}")
    assert shown.stdout.splitlines()[1] == "12345.0"

    unknown = run_cli("correct", deal, "foo=bar", "--reviewer", "ana")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("error: unknown field 'foo'") and "upfront_usd" in unknown.stderr


def test_ingest_of_a_missing_folder_is_a_usage_error_and_creates_nothing(tmp_path: Path, run_cli: Cli) -> None:
    result = run_cli("ingest", "--files", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: --files") and "is not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_replay_takes_several_archives_after_one_flag(tmp_path: Path, run_cli: Cli) -> None:
    """A shell glob gives `--replay a.warc.gz b.warc.gz`: both are read (here both are missing, and named)."""
    result = run_cli("ingest", "--replay", str(tmp_path / "a.warc.gz"), str(tmp_path / "b.warc.gz"))
    assert result.returncode == 2
    assert "a.warc.gz" in result.stderr and "b.warc.gz" in result.stderr
    assert "unexpected extra argument" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # refused before any run or database was made


def test_read_only_commands_create_nothing(tmp_path: Path, run_cli: Cli) -> None:
    (tmp_path / "a.txt").write_text("Hengrui granted GSK a licence; GSK pays US$500 million upfront.\n",
                                    encoding="utf-8")
    assert run_cli("extract", "a.txt").returncode == 0
    failed = run_cli("query", "SELECT 1")
    assert failed.returncode == 4 and "does not exist" in failed.stderr
    current = run_cli("db", "current")
    assert current.returncode == 4 and "does not exist" in current.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_backfill_without_the_dask_extra_says_how_to_get_it(tmp_path: Path, run_cli: Cli) -> None:
    """An import hook that refuses `dask` and `distributed` (sitecustomize on PYTHONPATH) stands for the missing
    extra, so the test runs in the same environment that has it installed."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Block:\n"
        "    @staticmethod\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('dask', 'distributed'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "        return None\n"
        "sys.meta_path.insert(0, _Block)\n", encoding="utf-8")
    result = run_cli("backfill", "--warc", "x.warc.gz", env={"PYTHONPATH": str(shadow)})
    assert result.returncode == 2, result.stderr
    assert "error: backfill needs the dask extra; pip install 'pharmadeals[dask]'" in result.stderr


def test_extract_table_lists_every_file_with_its_milestones(tmp_path: Path, run_cli: Cli) -> None:
    (tmp_path / "deal.txt").write_text("Hengrui licenses HRS-9821 to GSK\n\nHengrui granted GSK an exclusive license; "
                                       "GSK pays US$500 million upfront and up to US$11.5 billion in milestones.\n",
                                       encoding="utf-8")
    (tmp_path / "quiet.txt").write_text("BeiGene reports quarterly revenue\n\nRevenue rose 40% in the quarter.\n",
                                        encoding="utf-8")
    result = run_cli("extract", "--format", "table", "deal.txt", "quiet.txt")
    assert result.returncode == 0, result.stderr
    assert "milestones" in result.stdout and "USD 11,500,000,000" in result.stdout
    assert "quiet.txt" in result.stdout and "no deal" in result.stdout
    assert "None" not in result.stdout


def test_extract_help_names_a_file_that_exists(run_cli: Cli) -> None:
    help_text = run_cli("extract", "--help").stdout
    example = re.search(r"extract --format table\s+(\S+)", help_text)  # rich may wrap the line
    assert example and (Path(__file__).resolve().parents[2] / example.group(1)).is_file()


def test_review_and_reextract_print_the_csv_their_help_offers(tmp_path: Path, run_cli: Cli, empty_db: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "deal.txt").write_text(
        "Shanghai, June 2, 2025 -- Jiangsu Hengrui Pharmaceuticals granted GSK an exclusive licence to HRS-9821 "
        "outside Greater China. GSK will pay an upfront fee of US$500 million.\n", encoding="utf-8")
    assert run_cli("ingest", "--files", str(pages)).returncode == 0
    for args in (["review"], ["reextract"]):
        assert "csv" in run_cli(*args, "--help").stdout
    run = run_cli("review", "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["licensor"], r["licensee"], r["assets"]) for r in rows] == [
        ("Jiangsu Hengrui Pharmaceuticals", "GSK", "HRS-9821")]
    deal = run_cli("review", "--deal", rows[0]["deal_id"], "--format", "csv")
    assert deal.returncode == 0 and "[[US$500 million]]" in deal.stdout
    again = run_cli("reextract", "--dry-run", "--format", "csv")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == ["change,deal_id,field,old,new"]  # the same extractor changes nothing


def test_relative_paths_in_the_config_mean_its_folder(tmp_path: Path, run_cli: Cli) -> None:
    """Run from another folder (as cron does): the database, log, archive and files source sit beside the config."""
    project = tmp_path / "project"
    (project / "pages").mkdir(parents=True)
    (project / "pages" / "deal.txt").write_text(
        "Jiangsu Hengrui Pharmaceuticals granted GSK an exclusive licence to HRS-9821 outside Greater China. "
        "GSK will pay an upfront fee of US$500 million.\n", encoding="utf-8")
    (project / "config.yaml").write_text(
        "database: {url: 'sqlite:///db/pd.db'}\nlogging: {file: run.log.jsonl}\narchive: {directory: warc}\n"
        "sources:\n  - {name: saved, type: files, path: pages}\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("ingest", "--config", str(project / "config.yaml"), "--source", "saved",
                     cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (project / "db" / "pd.db").is_file() and (project / "db" / "run.log.jsonl").is_file()
    assert list(elsewhere.iterdir()) == []
    shown = run_cli("query", "--config", str(project / "config.yaml"), "--format", "csv",
                    "SELECT licensor FROM deal_summary", cwd=elsewhere)
    assert shown.stdout.splitlines() == ["licensor", "Jiangsu Hengrui Pharmaceuticals"]
