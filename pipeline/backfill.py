"""Backfill from WARC archives with Dask: workers read and extract one WARC file per task, in parallel;
this process writes their plain records through the same Storage as `ingest`, one article per transaction.

Files are identified by the sha256 of their content. A file is recorded in `warc_files` only after
every article of it is stored, so a killed backfill redoes at most the files it was writing (their
stored articles come back as duplicates) and skips every file finished before. Results are written in
input order, so the deals are exactly those a single-process `ingest --replay` of the same files makes.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pharmadeals.extractors.settings import ExtractSettings
from pharmadeals.models.errors import EXIT_OK, EXIT_PARTIAL, InputError, ItemError
from pharmadeals.models.records import Article, DealMention
from pharmadeals.models.repository import utcnow
from pharmadeals.models.tables import WarcFile
from pharmadeals.models.upsert import insert_ignore
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.counters import RunCounters
from pharmadeals.pipeline.normalize.store import Storage

log = logging.getLogger("pharmadeals.backfill")
REPLAY_SOURCE = "replay"  # source name of file-level problems, as scrapers.archive reports them
HASH_CHUNK = 1 << 20
FileDone = Callable[["WarcResult", int, int], None]  # (result, files done, files to do)


@dataclass(frozen=True)
class PageError:
    source: str
    url: str
    kind: str
    reason: str


@dataclass(frozen=True)
class WarcResult:
    """What one task returns: plain, picklable records of one WARC file, in file order."""

    path: str
    sha256: str
    items: tuple[tuple[Article, tuple[DealMention, ...]], ...]
    errors: tuple[PageError, ...]
    pages: int
    seconds: float


@dataclass
class BackfillReport:
    run_id: int
    files: int
    skipped: list[str] = field(default_factory=list)
    counters: RunCounters = field(default_factory=RunCounters)
    pages: int = 0
    seconds: float = 0.0
    exit_code: int = EXIT_OK
    status: str = "ok"

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def process_warc(path: str, sha256: str, settings: ExtractSettings) -> WarcResult:
    """The task: replay one WARC file, turn its pages into articles and extract their deals (no database)."""
    from pharmadeals.extractors.deals import extract_deals, extract_many
    from pharmadeals.scrapers.archive import replay
    from pharmadeals.scrapers.article import page_to_article
    from pharmadeals.scrapers.events import Failed, Fetched

    started = time.monotonic()
    articles: list[Article] = []
    errors: list[PageError] = []
    pages = 0
    for event in replay([path]):
        if isinstance(event, Fetched):
            pages += 1
            try:
                articles.append(page_to_article(event.page))
            except ItemError as exc:
                errors.append(PageError(event.page.source, event.page.url, exc.kind, exc.reason))
        elif isinstance(event, Failed):
            errors.append(PageError(event.source, event.url, event.kind, event.reason))
    try:
        items = [(r.article, tuple(r.deals)) for r in extract_many(articles, settings)]
    except Exception:  # noqa: BLE001 - one bad article must not lose the file: redo one by one
        items = []
        for article in articles:
            try:
                items.append((article, tuple(extract_deals(article, settings))))
            except Exception as exc:  # noqa: BLE001 - logged and counted like ingest does
                errors.append(PageError(article.source, article.url, "extract", repr(exc)))
    return WarcResult(path, sha256, tuple(items), tuple(errors), pages, time.monotonic() - started)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a LocalCluster of worker processes sized to this machine."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler, timeout="30s")
        try:
            if workers:
                client.wait_for_workers(workers, timeout=300)
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def expand(patterns: list[str]) -> list[str]:
    """WARC paths from globs and plain paths, in the order given, each once."""
    import glob

    paths: list[str] = []
    for pattern in patterns:
        found = sorted(glob.glob(os.path.expanduser(pattern))) if glob.has_magic(pattern) else [pattern]
        if not found:
            raise InputError(f"--warc {pattern!r} matches no file", "check the path (quote globs for the shell)")
        for path in found:
            if not Path(path).is_file():
                raise InputError(f"WARC file {path} not found", "pass existing .warc or .warc.gz files")
            path = os.path.abspath(path)  # workers on other hosts read the same shared path
            if path not in paths:
                paths.append(path)
    return paths


def done_hashes(storage: Storage) -> set[str]:
    with storage.sessions() as session:
        return set(session.scalars(select(WarcFile.sha256)))


class Writer:
    """Writes task results through Storage in input order and records each finished file."""

    def __init__(self, settings: Settings, storage: Storage, run_id: int) -> None:
        self.storage, self.run_id = storage, run_id
        self.counters = RunCounters()
        self.source_types = {s.name: s.type for s in settings.sources}

    def write(self, result: WarcResult) -> None:
        for error in result.errors:
            self.counters.of(error.source).errors[error.kind] += 1
            self.storage.log_item(self.run_id, error.source, error.url, "error", f"{error.kind}: {error.reason}")
        deals = 0
        for article, mentions in result.items:
            counters = self.counters.of(article.source)
            counters.fetched += 1
            outcome = self.storage.store_article(self.run_id, self.source_types.get(article.source, "unknown"),
                                                 article, list(mentions))
            counters.count_stored(outcome.status, len(outcome.deal_ids))
            if outcome.status == "deal":
                deals += len(outcome.deal_ids)
        self._mark_done(result, deals)

    def task_failed(self, path: str, exc: BaseException) -> None:
        """A task that raised: logged and counted; the file stays unrecorded, so a rerun tries it again."""
        self.counters.of(REPLAY_SOURCE).errors["task"] += 1
        self.storage.log_item(self.run_id, REPLAY_SOURCE, path, "error", f"task: {exc!r}"[:2000])
        log.error("backfill task for %s failed: %r", path, exc)

    def _mark_done(self, result: WarcResult, deals: int) -> None:
        if any(error.kind == "replay" for error in result.errors):  # unreadable or truncated: retry next time
            log.warning("not recording %s as processed: it could not be read to the end", result.path)
            return
        with self.storage.sessions.begin() as session:
            insert_ignore(session, WarcFile, dict(sha256=result.sha256, path=result.path, run_id=self.run_id,
                                                  pages=result.pages, articles=len(result.items), deals=deals,
                                                  errors=len(result.errors), processed_at=utcnow()))


def _wait(future: Any, stop: Callable[[], bool]) -> WarcResult | None:
    """The task's result, or None once asked to stop (checked twice a second while waiting)."""
    while not stop():
        try:
            return future.result(timeout=0.5)
        except TimeoutError:
            continue
    return None


def run_backfill(settings: Settings, storage: Storage, run_id: int, paths: list[str], client: Any,
                 stop: Callable[[], bool] = lambda: False, on_file: FileDone | None = None) -> BackfillReport:
    """Process `paths` on the Dask cluster behind `client`; returns counts (the caller closes the run)."""
    started = time.monotonic()
    hashes = client.gather(client.map(file_sha256, paths, pure=False))
    done = done_hashes(storage)
    report = BackfillReport(run_id, len(paths))
    todo: list[tuple[str, str]] = []
    for path, digest in zip(paths, hashes):
        if digest in done or any(digest == d for _, d in todo):
            report.skipped.append(path)
        else:
            todo.append((path, digest))
    if report.skipped:
        log.info("skipping %d WARC file(s) already processed", len(report.skipped))
    writer = Writer(settings, storage, run_id)
    futures = [client.submit(process_warc, path, digest, settings.extract, pure=False) for path, digest in todo]
    try:
        for index, ((path, _), future) in enumerate(zip(todo, futures)):  # input order, as a replay would
            try:
                result = _wait(future, stop)
            except Exception as exc:  # noqa: BLE001 - the task failed (e.g. its worker died): file not recorded
                writer.task_failed(path, exc)
                continue
            if result is None:
                break
            future.release()
            writer.write(result)
            report.pages += result.pages
            if on_file:
                on_file(result, index + 1, len(futures))
    finally:
        for future in futures:
            future.cancel()
    report.counters = writer.counters
    report.seconds = time.monotonic() - started
    report.counters.seconds = report.seconds
    if report.counters.failed():
        report.exit_code, report.status = EXIT_PARTIAL, "partial"
    return report


def backfill(settings: Settings, patterns: list[str], scheduler: str | None = None, workers: int | None = None,
             on_file: FileDone | None = None, client: Any = None) -> BackfillReport:
    """The `backfill` command: open the database, run on a cluster (given, remote or local), close the run."""
    from pharmadeals.pipeline.heartbeat import Heartbeat
    from pharmadeals.pipeline.lock import run_lock
    from pharmadeals.pipeline.run import open_storage
    from pharmadeals.pipeline.stopping import StopFlag, stop_on_signals

    paths = expand(patterns)
    with run_lock(settings.database.url, "backfill"), stop_on_signals(StopFlag()) as stop:
        storage = open_storage(settings)
        run_id = storage.begin_run("backfill", settings.runs.abandon_after_seconds)
        report = BackfillReport(run_id, len(paths))
        try:
            with Heartbeat(storage, run_id, settings.runs.heartbeat_seconds):
                if client is not None:
                    report = run_backfill(settings, storage, run_id, paths, client, stop, on_file)
                else:
                    with dask_client(scheduler, workers) as own:
                        report = run_backfill(settings, storage, run_id, paths, own, stop, on_file)
        except BaseException:
            storage.finish_run(run_id, "interrupted", 4, report.counters.as_dict())
            raise
        if stop.signal is not None:
            report.exit_code, report.status = 128 + stop.signal, "interrupted"
        counters = report.counters.as_dict()
        counters.update(warc_files=len(paths), warc_skipped=len(report.skipped), pages=report.pages)
        storage.finish_run(run_id, report.status, report.exit_code, counters)
        return report
