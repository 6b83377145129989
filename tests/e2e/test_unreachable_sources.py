"""A run in which no source answers: exit 5, one line per failing source and one saying what to check, the
failures stored in ingest_log and shown by `review`, and the run's row holding the code the process returned.
Two local hosts stand for the outage: a port nothing listens on, and a server that accepts and never answers."""
from __future__ import annotations

import socket
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pharmadeals.models.errors import InputError
from pharmadeals.pipeline.config import settings_from_mapping
from pharmadeals.pipeline.run import ingest

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listening socket whose connections are accepted and never answered."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in accepted:
        conn.close()


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens here any more: connections are refused
    return port


def write_config(folder: Path, refusing: int, silent: int) -> None:
    (folder / "config.yaml").write_text(f"""
database: {{url: "sqlite:///pd.db"}}
archive: {{enabled: false}}
logging: {{file: null}}
fetch: {{timeout: 1, connect_timeout: 1, max_retries: 4, transport_retries: 0, backoff_base: 0.05}}
sources:
  - {{name: refusing, type: feed, url: "http://127.0.0.1:{refusing}/feed.xml"}}
  - {{name: silent, type: feed, url: "http://127.0.0.1:{silent}/feed.xml"}}
""", encoding="utf-8")


def runs(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status, exit_code FROM runs ORDER BY id").fetchall()


def test_no_source_reachable_exits_5_and_says_what_to_check(tmp_path: Path, run_cli: Cli, silent_port: int) -> None:
    write_config(tmp_path, closed_port(), silent_port)
    result = run_cli("ingest", timeout=60)  # a host that never answers must not keep the run waiting
    assert result.returncode == 5, result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("source refusing: ") and "cannot connect" in line for line in lines)
    assert any(line.startswith("source silent: ") and "timed out after 1s" in line for line in lines)
    assert "error: no source answered (2 of 2 failed); check this host's network connection" in result.stderr
    assert "proxy" in result.stderr and "PHARMADEALS_CONTACT" in result.stderr
    assert "errors=2" in result.stdout
    assert runs(tmp_path / "pd.db") == [("unreachable", 5)]
    with sqlite3.connect(tmp_path / "pd.db") as conn:
        logged = conn.execute("SELECT source, status, reason FROM ingest_log ORDER BY source").fetchall()
    assert [(source, status) for source, status, _ in logged] == [("refusing", "error"), ("silent", "error")]
    assert all(reason.startswith("source: listing http://127.0.0.1:") for _, _, reason in logged)

    review = run_cli("review")
    assert review.returncode == 0, review.stderr
    assert "Errors: 2" in review.stdout and "source:silent" in review.stdout


def test_one_source_answering_is_a_partial_run(tmp_path: Path, run_cli: Cli, silent_port: int) -> None:
    write_config(tmp_path, closed_port(), silent_port)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Hengrui granted GSK a licence; GSK pays US$500 million upfront.\n", encoding="utf-8")
    config = (tmp_path / "config.yaml").read_text(encoding="utf-8")
    (tmp_path / "config.yaml").write_text(config + "  - {name: saved, type: files, path: pages}\n", encoding="utf-8")
    result = run_cli("ingest", timeout=60)
    assert result.returncode == 1, result.stderr
    assert "no source answered" not in result.stderr
    assert runs(tmp_path / "pd.db") == [("partial", 1)]


def test_a_usage_error_after_the_run_row_exists_is_recorded_with_exit_2(tmp_path: Path) -> None:
    """The CLI refuses a missing WARC before opening anything; the run itself records the same code when the file
    goes missing later (a race with a clean-up job)."""
    settings = settings_from_mapping({"database": {"url": f"sqlite:///{tmp_path / 'pd.db'}"},
                                      "archive": {"enabled": False}, "logging": {"file": None}})
    with pytest.raises(InputError):
        ingest(settings, replay=[str(tmp_path / "gone.warc.gz")])
    assert runs(tmp_path / "pd.db") == [("failed", 2)]


def test_sec_edgar_without_a_contact_is_skipped_with_one_warning(tmp_path: Path, run_cli: Cli,
                                                                   silent_port: int) -> None:
    """The shipped fallback contact: EDGAR is never asked (the silent host would stall the run), the run is ok."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Hengrui granted GSK a licence; GSK pays US$500 million upfront.\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text(f"""
database: {{url: "sqlite:///pd.db"}}
archive: {{enabled: false}}
logging: {{file: null}}
fetch: {{timeout: 30, obey_robots: false}}
sources:
  - name: sec_edgar
    type: sec_edgar
    user_agent: "pharmadeals ${{PHARMADEALS_CONTACT:-ops@example.org}}"
    search_url: "http://127.0.0.1:{silent_port}/LATEST/search-index"
  - {{name: saved, type: files, path: pages}}
""", encoding="utf-8")
    result = run_cli("ingest", timeout=25)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "source sec_edgar skipped" in line]
    assert len(warnings) == 1 and "source sec_edgar skipped" in warnings[0]
    assert "PHARMADEALS_CONTACT" in warnings[0]
    assert runs(tmp_path / "pd.db") == [("ok", 0)]
