"""Crash safety: a real ingest over a local news site, killed (SIGKILL, SIGTERM) at random points and rerun,
ends with exactly the database an uninterrupted run produces: nothing lost, nothing doubled, nothing half-written."""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from opskit import NewsSite, cli, count, feed_config, pages, snapshot, start_cli

PAGES = 200
TRIALS = ((signal.SIGKILL, signal.SIGKILL), (signal.SIGTERM, signal.SIGKILL), (signal.SIGKILL, signal.SIGTERM),
          (signal.SIGTERM, signal.SIGTERM))  # two interruptions per trial, then a run to the end
SEED = 20261129


def _ingest(folder: Path, site: NewsSite) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return feed_config(folder, folder / "pd.db", site.base + "/feed.xml")


def _interrupt(folder: Path, config: Path, sig: int, after: float | int) -> subprocess.CompletedProcess[str]:
    """Signal a running ingest `after` seconds (float) or once `after` articles (int) are stored in total."""
    proc = start_cli("ingest", "--config", str(config), cwd=folder)
    if isinstance(after, float):
        time.sleep(after)
    else:
        while proc.poll() is None and _stored(folder / "pd.db") < after:
            time.sleep(0.02)
    if proc.poll() is None:
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=180)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _stored(db: Path) -> int:
    try:
        return count(db, "articles") if db.exists() else 0
    except sqlite3.Error:
        return 0


def _check_consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # every stored article has its ingest_log row from the same transaction; every deal has a mention
        assert conn.execute("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM ingest_entries e "
                            "WHERE e.url = a.url AND e.status IN ('deal', 'no_deal'))").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM deals d WHERE NOT EXISTS "
                            "(SELECT 1 FROM deal_mentions m WHERE m.deal_id = d.id)").fetchone()[0] == 0


@pytest.mark.timeout(1200)
def test_killed_runs_then_rerun_equal_an_uninterrupted_run(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    with NewsSite(pages(PAGES)) as site:
        base = _ingest(tmp_path / "baseline", site)
        started = time.monotonic()
        clean = cli("ingest", "--config", str(base), cwd=base.parent)
        full_run = time.monotonic() - started
        assert clean.returncode == 0, clean.stderr
        expected = snapshot(base.parent / "pd.db")
        assert len(expected["articles"]) == PAGES and len(expected["deals"]) > PAGES // 2
        assert expected["deal_amounts"] and expected["companies"]
        for trial, signals in enumerate(TRIALS):
            folder = tmp_path / f"trial{trial}"
            config = _ingest(folder, site)
            for sig in signals:
                # half the time a random moment (startup and migration included), else a random article count
                after = rng.uniform(0.5, full_run * 0.8) if rng.random() < 0.5 else rng.randrange(1, PAGES)
                done = _interrupt(folder, config, sig, after)
                if sig == signal.SIGTERM and done.returncode == 128 + signal.SIGTERM:
                    # a clean stop: the run says so, and its row is closed as interrupted
                    assert "stopped early: SIGTERM" in done.stdout
                    assert count(folder / "pd.db", "runs", "WHERE status = 'running'") == 0
                    assert count(folder / "pd.db", "runs", "WHERE status = 'interrupted' AND exit_code = 143 "
                                                           "AND finished_at IS NOT NULL") >= 1
                else:  # killed, or it finished first, or SIGTERM came before/after the handlers were in place
                    assert done.returncode in (-signal.SIGKILL, -signal.SIGTERM, 0), done.stderr
                if (folder / "pd.db").exists():
                    _check_consistent(folder / "pd.db")
                    print(f"trial {trial}: signal {sig} after {after} -> exit {done.returncode}, "
                          f"{count(folder / 'pd.db', 'articles')} articles kept")
            final = cli("ingest", "--config", str(config), cwd=folder)
            assert final.returncode == 0, final.stderr
            _check_consistent(folder / "pd.db")
            got = snapshot(folder / "pd.db")
            for table in expected:
                assert got[table] == expected[table], f"trial {trial} ({signals}): table {table} differs"
            assert count(folder / "pd.db", "runs", "WHERE status = 'running'") == 0
            rerun = cli("ingest", "--config", str(config), cwd=folder)  # and once more: nothing new
            assert rerun.returncode == 0 and snapshot(folder / "pd.db") == expected
