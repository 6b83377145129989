"""Security: `query` cannot write, a files source never reads outside its folder, secrets from ${ENV} never
reach the log file or stderr."""
from __future__ import annotations

import hashlib
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opskit import cli, files_config, page_html, pages, write_files

from pharmadeals.models.errors import EXIT_CONFIG

WRITES = [
    "DROP TABLE articles",
    "DROP VIEW deal_summary",
    "DELETE FROM deals",
    "INSERT INTO companies (name, needs_review) VALUES ('Evil Corp', 0)",
    "UPDATE deal_amounts SET usd_value = 0",
    "ATTACH DATABASE 'attached.db' AS other",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA user_version = 99",
    "PRAGMA foreign_keys = OFF",
    "VACUUM INTO 'copy.db'",
    "VACUUM",
    "CREATE TABLE stolen AS SELECT * FROM articles",
    "CREATE VIEW v AS SELECT 1",
    "CREATE TEMP TABLE t (x)",
    "REINDEX",
    "SELECT 1; DROP TABLE articles",
    "WITH x AS (SELECT 1) DELETE FROM deals",
]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("secure")
    config = files_config(folder, folder / "pd.db", write_files(folder / "pages", pages(8)))
    done = cli("ingest", "--config", str(config), cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


def _digest(folder: Path) -> tuple[str, bytes]:
    """The database file's hash and its write-ahead log (a reader may leave an empty -wal and an -shm index)."""
    wal = folder / "pd.db-wal"
    return hashlib.sha256((folder / "pd.db").read_bytes()).hexdigest(), wal.read_bytes() if wal.exists() else b""


@pytest.mark.parametrize("sql", WRITES)
def test_query_refuses_every_write_and_changes_nothing(stored: Path, sql: str) -> None:
    before = _digest(stored)
    done = cli("query", "--config", str(stored / "config.yaml"), sql, cwd=stored)
    assert done.returncode == EXIT_CONFIG, (sql, done.returncode, done.stderr)
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert _digest(stored)[0] == before[0] and _digest(stored)[1] in (before[1], b"")
    assert not (stored / "attached.db").exists() and not (stored / "copy.db").exists()


def test_query_still_reads(stored: Path) -> None:
    done = cli("query", "--config", str(stored / "config.yaml"), "--format", "json",
               "SELECT COUNT(*) AS n FROM deal_summary", cwd=stored)
    assert done.returncode == 0 and json.loads(done.stdout)[0]["n"] > 0


def test_files_source_never_reads_outside_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = "Confidential: Innovent Biologics licensed IBI-999 to Novartis for $55 million upfront."
    (outside / "secret.html").write_text(page_html("Secret", secret))
    (outside / "secret.json").write_text(json.dumps({"url": "https://intranet.example.org/secret"}))
    folder = write_files(tmp_path / "pages", pages(3))
    os.symlink(outside / "secret.html", folder / "leak.html")           # a file link out of the folder
    os.symlink(outside, folder / "linked-dir")                           # a folder link out of it
    (folder / "honest.html").write_text(page_html("Honest", "Zai Lab licensed ZL-1 to Amgen for $5 million."))
    os.symlink(outside / "secret.json", folder / "honest.json")          # a sidecar link out of it
    db = tmp_path / "pd.db"
    done = cli("ingest", "--config", str(files_config(tmp_path, db, folder)), cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # partial: the escapes are logged as errors
    import sqlite3

    with sqlite3.connect(db) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
        urls = [r[0] for r in conn.execute("SELECT url FROM articles")]
        errors = dict(conn.execute("SELECT url, reason FROM ingest_log WHERE status = 'error'"))
    assert len(texts) == 3 and not any("Confidential" in t or "IBI-999" in t for t in texts)
    assert not any("intranet" in u for u in urls)
    assert any(u.endswith("leak.html") and "outside the source folder" in r for u, r in errors.items())
    assert any(u.endswith("honest.html") and "outside the source folder" in r for u, r in errors.items())


class _Echo(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Echo.seen.append(self.headers.get("Authorization", ""))
        self.send_response(401)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"no")

    def log_message(self, *_args: object) -> None:
        pass


def test_secrets_from_the_environment_never_reach_logs_or_stderr(tmp_path: Path) -> None:
    key, password = "sk-live-7Q2x9ZpQv1", "pa55-w0rd-Kq81"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        (tmp_path / "config.yaml").write_text(
            "database: {url: 'sqlite:///pd.db'}\narchive: {enabled: false}\n"
            "logging: {level: DEBUG, file: run.log.jsonl}\nfetch: {max_retries: 0, obey_robots: false}\n"
            "sources:\n  - {name: keyed, type: feed, url: 'http://127.0.0.1:%d/feed.xml',\n"
            "     headers: {Authorization: 'Bearer ${PD_TEST_API_KEY}'}}\n".replace("%d", str(port)))
        env = {"PD_TEST_API_KEY": key}
        fetched = cli("--debug", "ingest", "--config", "config.yaml", cwd=tmp_path, env=env)
        assert _Echo.seen and _Echo.seen[0] == f"Bearer {key}"  # the secret was really used
        (tmp_path / "pg.yaml").write_text(
            "database: {url: 'postgresql+psycopg://pd:${PD_TEST_DB_PASSWORD}@127.0.0.1:1/pd'}\n"
            "logging: {level: DEBUG, file: pg.log.jsonl}\n")
        failed = cli("--debug", "db", "upgrade", "--config", "pg.yaml", cwd=tmp_path,
                     env={"PD_TEST_DB_PASSWORD": password})
    finally:
        server.shutdown()
        server.server_close()
    assert fetched.returncode == 1 and failed.returncode != 0
    logs = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.jsonl"))
    assert logs  # there is something to leak into
    for secret in (key, password):
        assert secret not in fetched.stderr + fetched.stdout + failed.stderr + failed.stdout
        assert secret not in logs
