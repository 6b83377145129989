"""Stopping early but cleanly: --max-runtime and SIGTERM finish the article in hand and close the run's row."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from opskit import cli, count, files_config, pages, start_cli, write_files

from pharmadeals.pipeline.stopping import StopFlag, consume, stop_on_signals

PAGES = 300


def test_max_runtime_stops_cleanly_and_the_next_run_finishes(tmp_path: Path) -> None:
    config = files_config(tmp_path, tmp_path / "pd.db", write_files(tmp_path / "pages", pages(PAGES)))
    started = time.monotonic()
    first = cli("ingest", "--config", str(config), "--max-runtime", "4", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    assert "stopped early: max-runtime" in first.stdout
    kept = count(tmp_path / "pd.db", "articles")
    assert kept < PAGES and elapsed < 30
    with sqlite3.connect(tmp_path / "pd.db") as conn:
        status, finished, counters = conn.execute("SELECT status, finished_at, counters FROM runs").fetchone()
    assert status == "ok" and finished is not None and json.loads(counters)["stopped_by"] == "max-runtime"
    rest = cli("ingest", "--config", str(config), cwd=tmp_path)
    assert rest.returncode == 0 and "stopped early" not in rest.stdout
    assert count(tmp_path / "pd.db", "articles") == PAGES
    assert count(tmp_path / "pd.db", "(SELECT url FROM articles GROUP BY url HAVING COUNT(*) > 1)") == 0


def test_first_signal_sets_the_flag_second_one_aborts_and_handlers_are_restored() -> None:
    before = signal.getsignal(signal.SIGTERM)
    flag = StopFlag()
    with stop_on_signals(flag):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        assert flag() and flag.reason() == "SIGTERM"  # still running: the article in hand can finish
        with pytest.raises(SystemExit) as aborted:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
        assert aborted.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before


def test_signals_no_longer_abort_while_the_run_records_its_end() -> None:
    flag = StopFlag()
    with stop_on_signals(flag):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        flag.closing = True
        os.kill(os.getpid(), signal.SIGTERM)  # would raise SystemExit(143) if the run were not closing
        time.sleep(0.05)
    assert flag.reason() == "SIGTERM"


def test_max_runtime_flag() -> None:
    assert not StopFlag()() and not StopFlag(60)()
    flag = StopFlag(0.05)
    time.sleep(0.1)
    assert flag() and flag.reason() == "max-runtime"


def test_consume_stops_while_waiting_on_the_network_and_closes_the_crawl() -> None:
    closed: list[bool] = []
    handled: list[int] = []
    flag = StopFlag()

    async def slow_crawl() -> AsyncIterator[int]:
        try:
            yield 1
            yield 2
            await asyncio.sleep(3600)  # a fetch that would hang far beyond any deadline
            yield 3
        finally:
            closed.append(True)

    def handle(event: int) -> None:
        handled.append(event)
        if event == 2:
            flag.signal = signal.SIGTERM  # as the handler does when SIGTERM arrives

    started = time.monotonic()
    asyncio.run(consume(slow_crawl(), handle, flag))
    assert handled == [1, 2] and closed == [True] and time.monotonic() - started < 2


def test_consume_stops_between_events_without_dropping_the_one_in_hand() -> None:
    flag = StopFlag()
    handled: list[int] = []

    async def crawl() -> AsyncIterator[int]:
        for i in range(10):
            yield i

    def handle(event: int) -> None:
        handled.append(event)
        if event == 4:
            flag.signal = signal.SIGINT

    asyncio.run(consume(crawl(), handle, flag))
    assert handled == [0, 1, 2, 3, 4]


def test_second_sigterm_stops_at_once_and_the_run_is_still_recorded(tmp_path: Path) -> None:
    db = tmp_path / "pd.db"
    config = files_config(tmp_path, db, write_files(tmp_path / "pages", pages(PAGES)))
    run = start_cli("ingest", "--config", str(config), cwd=tmp_path)
    deadline = time.monotonic() + 120
    while not (db.exists() and _stored(db) >= 3):
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    time.sleep(0.02)
    run.send_signal(signal.SIGTERM)
    _out, err = run.communicate(timeout=60)
    # 143 from the run, or -15 when the run had already closed its row before the second signal came
    assert run.returncode in (128 + signal.SIGTERM, -signal.SIGTERM), err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT status, exit_code FROM runs").fetchall() == [("interrupted", 143)], err
        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        logged = conn.execute("SELECT COUNT(*) FROM ingest_log WHERE status IN ('deal', 'no_deal')").fetchone()[0]
    assert 3 <= stored < PAGES and logged == stored  # whole articles only


def _stored(db: Path) -> int:
    try:
        return count(db, "articles")
    except sqlite3.Error:
        return 0
