"""End to end: `pharmadeals ingest --files` killed with SIGKILL at random moments, then run to its end,
stores the same deals (by content) as one uninterrupted run from scratch, on each backend.

The killed runs read the articles in another random order (the same pages under shuffled names), so a
kill cuts the corpus into batches at random points of a random order: neither may change the deals.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database
from orderkit import ORDER_CORPUS, deal_content, differences, write_folder
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

KILLS = 3


def _config(tmp_path: Path, url: str) -> Path:
    config = tmp_path / f"config-{abs(hash(url))}.yaml"
    config.write_text(f"database:\n  url: \"{url}\"\narchive:\n  enabled: false\nlogging:\n  file: null\n",
                      encoding="utf-8")
    return config


def _ingest(tmp_path: Path, config: Path, folder: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
    return subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", "ingest", "--files", str(folder),
                             "--config", str(config)], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _articles(url: str) -> int:
    """Articles stored so far; 0 while the run has not yet created the schema."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one())
    except DBAPIError:
        return 0
    finally:
        engine.dispose()


def _finish(process: subprocess.Popen[str]) -> None:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err


@pytest.mark.parametrize("backend", BACKENDS)
def test_killed_runs_then_a_full_run_give_the_uninterrupted_deals(backend: str, tmp_path: Path) -> None:
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    shuffled = list(ORDER_CORPUS)
    rng.shuffle(shuffled)
    with fresh_database(backend, tmp_path, name="whole") as url:
        _finish(_ingest(tmp_path, _config(tmp_path, url), write_folder(tmp_path / "sorted", ORDER_CORPUS)))
        deals, reports = deal_content(url)
    assert len(deals) >= 10
    folder = write_folder(tmp_path / "shuffled", shuffled)
    with fresh_database(backend, tmp_path, name="killed") as url:
        config = _config(tmp_path, url)
        targets = sorted(rng.sample(range(1, len(ORDER_CORPUS)), KILLS))
        stored = []
        for target in targets:  # kill as soon as `target` articles are stored: mid-article, mid-batch, mid-merge
            process = _ingest(tmp_path, config, folder)
            while process.poll() is None and _articles(url) < target:
                time.sleep(0.02)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # the CLI and its extraction workers, as `kill -9` would
            process.communicate(timeout=60)
            stored.append(_articles(url))
        assert any(0 < n < len(ORDER_CORPUS) for n in stored), f"no kill landed mid-run: {targets}, {stored}"
        _finish(_ingest(tmp_path, config, folder))
        got_deals, got_reports = deal_content(url)
    context = f"seed {seed}, killed at {targets} articles, {stored} stored after each kill"
    print(context)
    assert got_deals == deals, (context, differences(deals, got_deals))
    assert got_reports == reports, (context, differences(reports, got_reports))
