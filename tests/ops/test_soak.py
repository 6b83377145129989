"""Soak (optional, `pytest -m soak`): 20,000 file pages through the real CLI; memory stays flat, throughput steady."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from opskit import files_config, measure_ingest, pages, rate_between, write_files

PAGES = int(os.environ.get("SOAK_PAGES", "20000"))  # smaller only to try the test itself


@pytest.mark.soak
@pytest.mark.timeout(7200)
def test_soak_20k_pages_memory_flat_throughput_steady(tmp_path: Path) -> None:
    config = files_config(tmp_path, tmp_path / "pd.db", write_files(tmp_path / "pages", pages(PAGES)))
    run = measure_ingest(config, tmp_path, tmp_path / "pd.db", every=min(5.0, max(0.5, PAGES / 4000)))
    assert run["exit"] == 0, str(run["stderr"])[-3000:]
    samples: list[tuple[float, int, int]] = run["samples"]  # type: ignore[assignment]
    with sqlite3.connect(tmp_path / "pd.db") as conn:
        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        distinct = conn.execute("SELECT COUNT(DISTINCT url) FROM articles").fetchone()[0]
    assert stored == distinct == PAGES
    early = [rss for _, n, rss in samples if 0.1 * PAGES <= n <= 0.3 * PAGES and rss]
    late = [rss for _, n, rss in samples if n >= 0.8 * PAGES and rss]
    first, last = rate_between(samples, 0.05, 0.25), rate_between(samples, 0.75, 0.95)
    print(f"\nsoak: {PAGES} pages in {run['seconds']:.0f}s; peak RSS {run['peak_rss_kb_sampled']} kB "
          f"(children max {run['peak_rss_kb_children']} kB); RSS early {max(early)} kB, late {max(late)} kB; "
          f"pages/s first fifth {first:.1f}, last fifth {last:.1f}")
    assert max(late) <= max(early) * 1.25 + 30_000  # flat: no growth with the number of pages
    assert last >= 0.6 * first  # steady: the growing database does not slow the run down much
