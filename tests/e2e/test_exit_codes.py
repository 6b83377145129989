"""The exit-code contract as a table: one real CLI run per code, the code the README and docs/operations.md
document, and (for an ingest) the same code in the run's row."""
from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pharmadeals.pipeline.lock import run_lock

Cli = Callable[..., subprocess.CompletedProcess[str]]
ROOT = Path(__file__).resolve().parents[2]
DEAL = ("Jiangsu Hengrui Pharmaceuticals granted GSK an exclusive licence to HRS-9821 outside Greater China. "
        "GSK will pay an upfront fee of US$500 million.\n")


def config(folder: Path, sources: str = "[]") -> None:
    (folder / "config.yaml").write_text("database: {url: 'sqlite:///pd.db'}\narchive: {enabled: false}\n"
                                        "logging: {file: null}\nfetch: {timeout: 1, connect_timeout: 1, "
                                        f"transport_retries: 0, max_retries: 0}}\nsources: {sources}\n",
                                        encoding="utf-8")


def pages(folder: Path, broken: bool = False) -> str:
    (folder / "pages").mkdir(exist_ok=True)
    (folder / "pages" / "deal.txt").write_text(DEAL, encoding="utf-8")
    if broken:  # a link to nothing: that one item fails, the rest is stored
        os.symlink(folder / "pages" / "gone.html", folder / "pages" / "dangling.html")
    return "pages"


def refused_url() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/feed.xml"


def case_ok(folder: Path, cli: Cli) -> subprocess.CompletedProcess[str]:
    config(folder)
    return cli("ingest", "--files", pages(folder))


def case_partial(folder: Path, cli: Cli) -> subprocess.CompletedProcess[str]:
    config(folder)
    return cli("ingest", "--files", pages(folder, broken=True))


def case_usage(folder: Path, cli: Cli) -> subprocess.CompletedProcess[str]:
    config(folder)
    return cli("ingest", "--no-such-flag")


def case_locked(folder: Path, cli: Cli) -> subprocess.CompletedProcess[str]:
    config(folder)
    with run_lock(f"sqlite:///{folder / 'pd.db'}", "test"):
        return cli("ingest", "--files", pages(folder))


def case_database(folder: Path, cli: Cli) -> subprocess.CompletedProcess[str]:
    config(folder)
    return cli("query", "SELECT 1")  # no database yet: says so and creates nothing


def case_unreachable(folder: Path, cli: Cli) -> subprocess.CompletedProcess[str]:
    config(folder, f"[{{name: gone, type: feed, url: '{refused_url()}'}}]")
    return cli("ingest", timeout=60)


CASES = [(0, case_ok, "ok"), (1, case_partial, "partial"), (2, case_usage, None), (3, case_locked, None),
         (4, case_database, None), (5, case_unreachable, "unreachable")]


@pytest.mark.parametrize("code, case, status", CASES, ids=[c[1].__name__ for c in CASES])
def test_exit_code(tmp_path: Path, run_cli: Cli, code: int, case: Callable[..., subprocess.CompletedProcess[str]],
                   status: str | None) -> None:
    result = case(tmp_path, run_cli)
    assert result.returncode == code, result.stderr
    if code:
        assert result.stderr.strip(), "a failing command says why"
    if status is not None:
        with sqlite3.connect(tmp_path / "pd.db") as conn:
            assert conn.execute("SELECT status, exit_code FROM runs").fetchall() == [(status, code)]
    if code in (2, 4):
        assert not (tmp_path / "pd.db").exists()


@pytest.mark.parametrize("doc", ["README.md", "docs/operations.md"])
def test_every_code_is_documented(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    documented = {int(m) for m in re.findall(r"^\| (\d) \|", text, flags=re.MULTILINE)}
    assert documented == {code for code, _, _ in CASES}
