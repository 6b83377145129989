"""Dask backfill: same deals as a single-process `ingest --replay`, skips processed files, resumes after a kill."""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database, plain_rows, settings_for
from sqlalchemy import text

from pharmadeals.extractors.settings import ExtractSettings
from pharmadeals.models.base import make_engine
from pharmadeals.models.migrate import upgrade
from pharmadeals.models.records import DiscoveredItem, Page
from pharmadeals.pipeline.backfill import backfill, process_warc
from pharmadeals.pipeline.normalize.store import Storage
from pharmadeals.scrapers.archive import WarcArchive
from pharmadeals.scrapers.settings import ArchiveSettings

# (slug, title, published, body); written for these tests. Two reports of the Innovent-Takeda deal sit
# in different WARC files, one report is repeated verbatim at another url, one page has no deal.
PAGES = {
    "innovent-takeda": ("Innovent licenses IBI-363 to Takeda", "2025-10-20",
                        "Innovent Biologics said on Monday it has granted Takeda exclusive rights outside China "
                        "to IBI-363, a PD-1/IL-2 fusion protein, in a deal worth up to $1.2 billion. Takeda will "
                        "pay $100 million upfront and up to $1.1 billion in development and sales milestones, "
                        "plus tiered royalties."),
    "zai-lab-shares": ("Zai Lab shares fall", "2025-10-21",
                       "Shares of Zai Lab fell 4% on Tuesday after a broad sell-off in Hong Kong biotech stocks. "
                       "No company news was reported, and trading volumes were thin."),
    "takeda-innovent-wire": ("Takeda bets on Innovent drug", "2025-10-21",
                             "Takeda agreed to pay Innovent Biologics $100 million upfront for ex-China rights to "
                             "IBI-363, with total deal value reaching $1.2 billion including milestones, the "
                             "companies said."),
    "hengrui-msd-zh": ("恒瑞医药与默沙东达成授权合作", "2025-03-25",
                       "恒瑞医药宣布，公司将HRS-5346在中国以外的全球权益授予默沙东，默沙东将支付2亿美元首付款，"
                       "并有望获得最高17.7亿美元的里程碑付款。"),
    "akeso-summit": ("Akeso licenses ivonescimab to Summit", "2022-12-06",
                     "Akeso said Summit Therapeutics will pay $500 million upfront for rights to ivonescimab in "
                     "the United States, Canada, Europe and Japan, in a deal valued at up to $5 billion."),
}
FILES = [["innovent-takeda", "zai-lab-shares"], ["takeda-innovent-wire", "hengrui-msd-zh"],
         ["akeso-summit", "innovent-takeda"]]  # the last repeats a report: a duplicate by content


def html(title: str, body: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p></article></body></html>").encode()


def write_warc(path: Path, slugs: list[str], url_prefix: str = "https://news.example") -> None:
    """One WARC written by the app's own archive writer (a resource + metadata record per page)."""
    folder = path.parent / f".{path.name}.tmp"
    archive = WarcArchive(ArchiveSettings(directory=str(folder)))
    for n, slug in enumerate(slugs):
        title, day, body = PAGES[slug]
        url = f"{url_prefix}/{slug}" + (f"?copy={path.name.split('.')[0]}" if n and slug == "innovent-takeda" else "")
        item = DiscoveredItem(url=url, source="wire", title=title, published=datetime.fromisoformat(day))
        archive.write_page(Page(url=url, source="wire", body=html(title, body),
                                content_type="text/html; charset=utf-8", item=item))
    archive.close()
    assert archive.path is not None
    shutil.move(str(archive.path), path)
    shutil.rmtree(folder)


@pytest.fixture
def warcs(tmp_path: Path) -> list[str]:
    folder = tmp_path / "archive"
    folder.mkdir()
    paths = []
    for n, slugs in enumerate(FILES):
        write_warc(folder / f"part-{n}.warc.gz", slugs)
        paths.append(str(folder / f"part-{n}.warc.gz"))
    return paths


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as dask_client:
        yield dask_client


def cli(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  url: {url}\narchive:\n  enabled: false\nlogging:\n  file: null\n")
    return subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", *args, "--config", str(config)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600, env=os.environ.copy())


def views(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {"deal_summary": plain_rows(conn.execute(text("SELECT * FROM deal_summary ORDER BY deal_id")).all()),
               "deal_sources": plain_rows(conn.execute(text(
                   "SELECT * FROM deal_sources ORDER BY deal_id, url")).all()),
               "statuses": sorted(conn.execute(text("SELECT url, status FROM ingest_log")).all())}
    engine.dispose()
    return out


def test_a_task_returns_plain_records_of_one_file(warcs: list[str]) -> None:
    result = process_warc(warcs[0], "x" * 64, ExtractSettings())
    assert result.pages == 2 and not result.errors
    (first, deals), (second, none) = result.items
    assert first.url == "https://news.example/innovent-takeda" and none == ()
    assert [(d.licensor.name, d.licensee.name) for d in deals if d.licensor and d.licensee] == [
        ("Innovent Biologics", "Takeda")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_backfill_gives_the_same_deals_as_a_single_process_replay(backend: str, tmp_path: Path, warcs: list[str],
                                                                  client: object) -> None:
    with fresh_database(backend, tmp_path, "replay") as replay_url, \
            fresh_database(backend, tmp_path, "backfill") as backfill_url:
        args = [a for path in warcs for a in ("--replay", path)]
        done = cli(tmp_path, replay_url, "ingest", *args)
        assert done.returncode == 0, done.stderr
        report = backfill(settings_for(backfill_url, tmp_path), [str(tmp_path / "archive" / "*.warc.gz")],
                          client=client)
        assert report.status == "ok" and report.pages == 6 and not report.skipped
        expected, got = views(replay_url), views(backfill_url)
        assert len(expected["deal_summary"]) >= 3  # Innovent-Takeda (2 reports), Hengrui-MSD, Akeso-Summit
        assert got["deal_summary"] == expected["deal_summary"]
        assert got["deal_sources"] == expected["deal_sources"]
        assert got["statuses"] == expected["statuses"]
        assert ("https://news.example/innovent-takeda?copy=part-2", "duplicate") in got["statuses"]


def test_processed_files_are_skipped_and_new_ones_added(tmp_path: Path, warcs: list[str], client: object) -> None:
    url = f"sqlite:///{tmp_path / 'pd'}.db"
    settings = settings_for(url, tmp_path)
    first = backfill(settings, warcs[:2], client=client)
    assert first.pages == 4 and first.skipped == []
    copy = tmp_path / "archive" / "same-as-part-0.warc.gz"
    shutil.copy(warcs[0], copy)  # same content under another name: skipped by hash
    second = backfill(settings, [*warcs, str(copy)], client=client)
    assert sorted(second.skipped) == sorted([warcs[0], warcs[1], str(copy)])
    assert second.pages == 2 and second.counters.total("duplicates") == 1
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM warc_files")).scalar_one() == 3
        assert conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one() == 5
    engine.dispose()


def test_a_killed_backfill_resumes_to_the_same_deals(tmp_path: Path, warcs: list[str], client: object) -> None:
    reference = f"sqlite:///{tmp_path / 'reference'}.db"
    backfill(settings_for(reference, tmp_path), warcs, client=client)
    url = f"sqlite:///{tmp_path / 'pd'}.db"
    settings = settings_for(url, tmp_path)
    storage = Storage(make_engine(url), settings)
    upgrade(storage.engine)
    # the killed run: file 0 finished and recorded, file 1 stopped after its first article was committed
    backfill(settings, warcs[:1], client=client)
    partial = process_warc(warcs[1], "y" * 64, settings.extract)
    run_id = storage.begin_run("backfill")
    article, deals = partial.items[0]
    assert storage.store_article(run_id, "unknown", article, list(deals)).status == "deal"
    storage.finish_run(run_id, "interrupted", 4, {})
    resumed = backfill(settings, warcs, client=client)
    assert resumed.skipped == [warcs[0]]
    assert resumed.counters.total("duplicates") == 2  # the article stored before the kill, and the repeat
    assert views(url)["deal_summary"] == views(reference)["deal_summary"]


def test_cli_backfill_on_its_own_local_cluster(tmp_path: Path, warcs: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'pd'}.db"
    pattern = str(tmp_path / "archive" / "part-*.warc.gz")
    done = cli(tmp_path, url, "backfill", "--warc", pattern, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "files=3 skipped=0 pages=6" in done.stdout
    again = cli(tmp_path, url, "backfill", "--warc", pattern, "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert "files=3 skipped=3 pages=0" in again.stdout
    missing = cli(tmp_path, url, "backfill", "--warc", str(tmp_path / "nothing-*.warc.gz"))
    assert missing.returncode == 2 and "matches no file" in missing.stderr
    assert glob.glob(pattern)


def test_an_unreadable_file_is_logged_and_tried_again_next_time(tmp_path: Path, warcs: list[str],
                                                                client: object) -> None:
    data = Path(warcs[2]).read_bytes()
    Path(warcs[2]).write_bytes(data[: len(data) // 2])  # cut mid-record, as a copy still being written
    url = f"sqlite:///{tmp_path / 'pd'}.db"
    settings = settings_for(url, tmp_path)
    first = backfill(settings, warcs, client=client)
    assert first.status == "partial" and first.exit_code == 1
    assert first.counters.total("errors") >= 1
    again = backfill(settings, warcs, client=client)
    assert again.skipped == warcs[:2]  # the cut file is not recorded as processed
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM warc_files")).scalar_one() == 2
        reasons = conn.execute(text("SELECT reason FROM ingest_log WHERE status = 'error'")).scalars().all()
    engine.dispose()
    assert reasons and all("unreadable WARC" in r for r in reasons)


def test_sigkill_mid_backfill_then_rerun_gives_the_replay_deals(tmp_path: Path) -> None:
    """A real kill -9 of the backfill process group while it writes; the rerun finishes the rest."""
    import signal
    import time

    folder = tmp_path / "big"
    folder.mkdir()
    slugs = list(PAGES)
    paths = []
    for n in range(6):  # 6 files x 25 pages; each page distinct (numbered url and text)
        path = folder / f"big-{n}.warc.gz"
        archive = WarcArchive(ArchiveSettings(directory=str(folder / f".tmp{n}")))
        for i in range(25):
            title, day, body = PAGES[slugs[(n + i) % len(slugs)]]
            url = f"https://news.example/{n}/{i}"
            archive.write_page(Page(url=url, source="wire", body=html(title, f"{body} Item {n}-{i}."),
                                    content_type="text/html; charset=utf-8",
                                    item=DiscoveredItem(url=url, source="wire", title=title,
                                                        published=datetime.fromisoformat(day))))
        archive.close()
        shutil.move(str(archive.path), path)
        paths.append(str(path))
    reference = f"sqlite:///{tmp_path / 'reference'}.db"
    assert cli(tmp_path, reference, "ingest", *[a for p in paths for a in ("--replay", p)]).returncode == 0
    url = f"sqlite:///{tmp_path / 'pd'}.db"
    config = tmp_path / "kill.yaml"
    config.write_text(f"database:\n  url: {url}\narchive:\n  enabled: false\nlogging:\n  file: null\n")
    proc = subprocess.Popen([sys.executable, "-m", "pharmadeals.pipeline.cli", "backfill", "--warc", str(folder / "*.warc.gz"),
                             "--workers", "1", "--config", str(config)], cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = tmp_path / "pd.db"
    deadline = time.monotonic() + 240
    recorded = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    recorded = conn.execute("SELECT COUNT(*) FROM warc_files").fetchone()[0]
            except sqlite3.Error:  # table not created yet
                recorded = 0
            if recorded >= 1:
                break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        killed_at = conn.execute("SELECT COUNT(*) FROM warc_files").fetchone()[0]
    assert 1 <= killed_at < len(paths), "the kill should land mid-backfill"
    rerun = cli(tmp_path, url, "backfill", "--warc", str(folder / "*.warc.gz"), "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped={killed_at}" in rerun.stdout
    assert views(url)["deal_summary"] == views(reference)["deal_summary"]
