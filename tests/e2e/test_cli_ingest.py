"""End to end: the real CLI in a subprocess on temporary folders and SQLite files."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from suitekit import CORPUS, write_config

SAMPLE_FILES = ["hengrui-gsk", "3sbio-pfizer"]


def saved_folder(tmp_path: Path, language: str = "en", limit: int = 6) -> Path:
    """A folder of saved corpus pages (with sidecars) to ingest."""
    target = tmp_path / "saved"
    target.mkdir()
    sources = sorted((CORPUS / language).glob("*.json"))[:limit]
    for sidecar in sources:
        for page in sidecar.parent.glob(sidecar.stem + ".*"):
            shutil.copy(page, target / page.name)
    return target


def config_for(tmp_path: Path, folder: Path) -> Path:
    return write_config(tmp_path, f"""
database: {{url: "sqlite:///{tmp_path / 'data' / 'pd.db'}"}}
archive: {{enabled: false}}
sources:
  - {{name: saved, type: files, path: "{folder}"}}
""")


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_ingest_twice_adds_nothing_the_second_time(tmp_path: Path, run_cli) -> None:
    folder = saved_folder(tmp_path, "en", 8)
    config = config_for(tmp_path, folder)
    first = run_cli("ingest", "--config", str(config))
    assert first.returncode == 0, first.stderr
    db = tmp_path / "data" / "pd.db"
    deals = rows(db, "SELECT * FROM deal_summary ORDER BY deal_id")
    articles = rows(db, "SELECT count(*) FROM articles")[0][0]
    assert deals and articles == len(list(folder.glob("*.json")))
    second = run_cli("ingest", "--config", str(config))
    assert second.returncode == 0, second.stderr
    assert rows(db, "SELECT * FROM deal_summary ORDER BY deal_id") == deals
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == articles
    statuses = rows(db, "SELECT status, count(*) FROM ingest_log WHERE run_id = 2 GROUP BY status")
    assert statuses == [] or all(s in ("duplicate", "skipped") for s, _ in statuses)


def test_files_flag_ingests_without_editing_config(tmp_path: Path, run_cli) -> None:
    folder = saved_folder(tmp_path, "zh", 5)
    result = run_cli("ingest", "--files", str(folder), env={"PHARMADEALS_CONFIG": str(config_for(tmp_path, folder))})
    assert result.returncode == 0, result.stderr
    assert "run 1 ok" in result.stdout


def test_bad_file_is_logged_and_the_run_goes_on(tmp_path: Path, run_cli) -> None:
    folder = saved_folder(tmp_path, "en", 3)
    (folder / "broken.html").write_bytes(b"\x00\x01\x02\xff" * 500)
    (folder / "bad-sidecar.txt").write_text("Some text\n\nbody", encoding="utf-8")
    (folder / "bad-sidecar.json").write_text("{not json", encoding="utf-8")
    result = run_cli("ingest", "--config", str(config_for(tmp_path, folder)))
    assert result.returncode == 1, result.stderr  # partial: some items failed
    db = tmp_path / "data" / "pd.db"
    errors = rows(db, "SELECT url, reason FROM ingest_log WHERE status = 'error' ORDER BY url")
    assert len(errors) == 2 and all(reason for _, reason in errors)
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 3


def test_bad_config_exits_2_naming_key_and_file(tmp_path: Path, run_cli) -> None:
    config = write_config(tmp_path, "database: {url: 'sqlite:///x.db'}\nfetch: {concurency: 3}\n", "bad.yaml")
    result = run_cli("ingest", "--config", str(config))
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr and "fetch.concurency" in result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()
    missing = run_cli("query", "--config", str(tmp_path / "nope.yaml"), "SELECT 1")
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr


def test_query_is_read_only_and_formats(tmp_path: Path, run_cli) -> None:
    folder = saved_folder(tmp_path, "en", 4)
    config = str(config_for(tmp_path, folder))
    assert run_cli("ingest", "--config", config).returncode == 0
    out = run_cli("query", "--config", config, "--format", "json", "SELECT deal_id, licensor FROM deal_summary")
    assert out.returncode == 0 and isinstance(json.loads(out.stdout), list)
    csv_out = run_cli("query", "--config", config, "--format", "csv", "SELECT count(*) AS n FROM articles")
    assert csv_out.stdout.splitlines() == ["n", "4"]
    refused = run_cli("query", "--config", config, "DELETE FROM articles")
    assert refused.returncode == 2 and "only reads" in refused.stderr
    assert rows(tmp_path / "data" / "pd.db", "SELECT count(*) FROM articles")[0][0] == 4


def test_extract_json_contract(tmp_path: Path, run_cli) -> None:
    files = sorted((CORPUS / "en").glob("*.txt"))[:2]
    result = run_cli("extract", "--format", "json", *[str(f) for f in files])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["file"] for d in data] == [str(f) for f in files]
    for entry in data:
        assert set(entry) >= {"file", "language", "title", "published", "deals"}
        for deal in entry["deals"]:
            assert set(deal) >= {"licensor", "licensee", "assets", "deal_type", "territory", "direction",
                                 "royalties", "upfront", "milestones", "total", "equity", "announced",
                                 "confidence", "evidence"}
            for role in ("upfront", "milestones", "total", "equity"):
                if deal[role] is not None:
                    assert set(deal[role]) == {"value", "currency", "usd"}
    stdin = run_cli("extract", "--format", "jsonl", "-", stdin=files[0].read_text(encoding="utf-8"))
    assert stdin.returncode == 0 and json.loads(stdin.stdout.splitlines()[0])["file"] == "-"


def test_every_command_has_help_and_is_in_the_readme(run_cli) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    import typer.main

    from pharmadeals.pipeline.cli import app

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"pharmadeals {name}" in readme, f"README does not mention `pharmadeals {name}`"
        result = run_cli(name, "--help")
        assert result.returncode == 0, result.stderr
        subcommands = getattr(command, "commands", {name: command})
        for sub in subcommands:
            if sub != name:  # a group: every subcommand's help carries an example too
                result = run_cli(name, sub, "--help")
                assert result.returncode == 0, result.stderr
            assert "Example" in result.stdout, f"`pharmadeals {name} {sub}` --help has no example"
