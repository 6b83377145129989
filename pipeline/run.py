"""Ingest orchestration: discover -> fetch -> article text -> deals -> normalise -> store.

Each article is stored in its own transaction; per-item failures are logged with their reason,
counted and skipped, so one bad page never stops a run. Configuration and database problems are
raised before anything is fetched.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from functools import partial

import httpx
from sqlalchemy.exc import DBAPIError

from pharmadeals.models.base import make_engine
from pharmadeals.models.dberrors import explain
from pharmadeals.models.errors import (
    EXIT_FATAL,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_UNREACHABLE,
    ConfigError,
    DatabaseError,
    PharmadealsError,
)
from pharmadeals.models.migrate import upgrade
from pharmadeals.models.records import Article, Page
from pharmadeals.pipeline.config import Settings, SourceSettings
from pharmadeals.pipeline.counters import RunCounters
from pharmadeals.pipeline.heartbeat import Heartbeat
from pharmadeals.pipeline.lock import run_lock
from pharmadeals.pipeline.normalize.store import Storage
from pharmadeals.pipeline.pool import Extracted, OrderedPool, Pending, extract_page, worker_count
from pharmadeals.pipeline.stopping import StopFlag, consume, stop_on_signals
from pharmadeals.scrapers.events import CrawlState
from pharmadeals.scrapers.sources.settings import FilesSource

log = logging.getLogger("pharmadeals.run")
Progress = Callable[[str, str], None]  # (source, url) after each item


@dataclass
class RunReport:
    run_id: int
    counters: RunCounters
    exit_code: int
    status: str
    stopped_early: bool = False
    stopped_by: str = ""  # "max-runtime", "SIGTERM" or "SIGINT" when the run ended early


def select_sources(settings: Settings, names: Iterable[str] | None, files_dir: str | None) -> list[SourceSettings]:
    """The sources this run reads: --files wins, then --source NAME..., else every enabled source."""
    if files_dir:
        return [FilesSource(name="files", type="files", path=files_dir)]
    if names:
        return [settings.source(n) for n in names]
    chosen = [s for s in settings.sources if s.enabled]
    if not chosen:
        raise ConfigError(f"{settings.source_file} enables no sources", "add one under `sources:` or use --files DIR")
    return chosen


def open_storage(settings: Settings) -> Storage:
    """Open and migrate the database before any fetching, so a bad URL stops the run at once."""
    engine = make_engine(settings.database.url, settings.database.busy_timeout_seconds)
    upgrade(engine)
    return Storage(engine, settings)


class Ingestor:
    """Consumes crawl events for one run and turns fetched pages into stored articles and deals.

    Pages are extracted through `pool` (worker processes, or this process with one worker); everything else
    an event causes (log rows, counters, stored articles, the crawl's cursors) happens here, in event order,
    so the stored result does not depend on the number of workers.
    """

    def __init__(self, settings: Settings, storage: Storage, run_id: int, progress: Progress | None,
                 pool: OrderedPool[Page, Extracted] | None = None) -> None:
        self.settings, self.storage, self.run_id = settings, storage, run_id
        self.counters = RunCounters()
        self.progress = progress
        self.source_types = {s.name: s.type for s in settings.sources}
        self.pool = pool or OrderedPool(partial(extract_page, settings=settings.extract), 1)
        self._queue: deque[tuple[object, Pending[Page, Extracted] | None]] = deque()

    def handle(self, event: object) -> None:
        """Take one event; it is applied once every event before it has been."""
        from pharmadeals.scrapers.crawl import Fetched

        self._queue.append((event, self.pool.submit(event.page) if isinstance(event, Fetched) else None))
        self._apply_ready()

    def defer(self, action: Callable[[], None]) -> None:
        """Run a write of the crawl's own (a cursor, a listing's validators) after the events before it."""
        self._queue.append((action, None))
        self._apply_ready()

    def finish(self) -> None:
        """Apply every event still waiting for its extraction."""
        while self._queue:
            self._apply(*self._queue.popleft())

    def _apply_ready(self) -> None:
        while self._queue and (len(self._queue) > self.pool.ahead or self._ready(self._queue[0][1])):
            self._apply(*self._queue.popleft())

    @staticmethod
    def _ready(pending: Pending[Page, Extracted] | None) -> bool:
        return pending is None or pending.done()

    def _apply(self, event: object, pending: Pending[Page, Extracted] | None) -> None:
        from pharmadeals.scrapers.crawl import Failed, Fetched, NotModified, Skipped, SourceDone

        if pending is not None and isinstance(event, Fetched):
            self._page(event.page, pending.result())
        elif callable(event):
            event()
        elif isinstance(event, NotModified):
            self.counters.of(event.source).not_modified += 1
        elif isinstance(event, Skipped):
            self.counters.of(event.source).skipped += 1
        elif isinstance(event, Failed):
            self.counters.of(event.source).errors[event.kind] += 1
            self.storage.log_item(self.run_id, event.source, event.url, "error", f"{event.kind}: {event.reason}")
            log.warning("error %s %s: %s", event.kind, event.url, event.reason,
                        extra={"run_id": self.run_id, "source": event.source, "url": event.url, "kind": event.kind})
        elif isinstance(event, SourceDone):
            counters = self.counters.of(event.source)
            counters.discovered += event.discovered
            if event.skipped:
                counters.source_skipped = event.skipped
                log.warning("source %s skipped: %s", event.source, event.skipped,
                            extra={"run_id": self.run_id, "source": event.source, "kind": "skipped"})
            if event.error:
                counters.source_error, counters.source_unreachable = event.error, event.unreachable
                counters.errors["source"] += 1
                self.storage.log_item(self.run_id, event.source, f"source:{event.source}", "error",
                                      f"source: {event.error}")
                log.error("source %s failed: %s", event.source, event.error,
                          extra={"run_id": self.run_id, "source": event.source, "kind": "source"})

    def _page(self, page: Page, extracted: Extracted) -> None:
        counters = self.counters.of(page.source)
        counters.fetched += 1
        self.storage.record_validators(page.url, page.etag, page.last_modified)
        if extracted.article is None or extracted.error_kind is not None:
            kind = extracted.error_kind or "extract"
            counters.errors[kind] += 1
            self.storage.log_item(self.run_id, page.source, page.url, "error", f"{kind}: {extracted.error_reason}")
            extra = {"run_id": self.run_id, "source": page.source, "url": page.url, "kind": kind}
            if extracted.trace:
                log.error("extractor failed on %s\n%s", page.url, extracted.trace.rstrip(), extra=extra)
            else:
                log.warning("error %s %s: %s", kind, page.url, extracted.error_reason, extra=extra)
            return
        article = extracted.article
        _note_ignored_date(page, article)
        outcome = self.storage.store_article(self.run_id, self.source_types.get(page.source, "unknown"),
                                             article, list(extracted.deals))
        counters.count_stored(outcome.status, len(outcome.deal_ids))
        if self.progress:
            self.progress(page.source, page.url)


class DeferredState:
    """The crawl's view of the database during a run with a pool: reads pass through, but a cursor or a
    listing's validators are saved only once the events before them have been applied (stored), as in a run
    in one process, so a killed run never moves a cursor past pages it did not store."""

    def __init__(self, storage: Storage, ingestor: Ingestor) -> None:
        self.storage, self.ingestor = storage, ingestor

    def is_known(self, url: str) -> bool:
        return self.storage.is_known(url)

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        return self.storage.validators(url)

    def cursor(self, source: str) -> str | None:
        return self.storage.cursor(source)

    def set_cursor(self, source: str, value: str) -> None:
        self.ingestor.defer(partial(self.storage.set_cursor, source, value))

    def record_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.ingestor.defer(partial(self.storage.record_validators, url, etag, last_modified))


def _note_ignored_date(page: Page, article: Article) -> None:
    """Log why a listed publication date (feed, sidecar) was not used: it lies in the future or is implausibly old."""
    listed = page.item.published.date() if page.item is not None and page.item.published is not None else None
    if listed is not None and listed != article.published:
        log.warning("ignored publication date %s of %s: more than 2 days in the future or before 1990; "
                    "stored %s instead", listed, page.url, article.published or "no date")


async def _events(settings: Settings, sources: list[SourceSettings], state: CrawlState,
                  transport: httpx.AsyncBaseTransport | None, stop: Callable[[], bool]) -> AsyncIterator[object]:
    from pharmadeals.scrapers.crawl import crawl

    async for event in crawl(sources, settings.fetch, settings.archive, state, transport=transport, stop=stop):
        yield event


def _start(settings: Settings, storage: Storage | None) -> tuple[Storage, int]:
    """Open and migrate the database, close rows of runs that were killed, and open this run's row."""
    try:
        storage = storage or open_storage(settings)
        abandoned = storage.close_abandoned_runs()
        if abandoned:
            log.warning("closed %d run(s) left 'running' by a killed process (%s): %s", len(abandoned),
                        "interrupted" if storage.engine.dialect.name == "sqlite" else "abandoned: no heartbeat",
                        ", ".join(map(str, abandoned)))
        run_id = storage.begin_run("ingest", settings.runs.abandon_after_seconds)
        log.info("run %d started", run_id, extra={"run_id": run_id, "status": "running"})
        return storage, run_id
    except (DBAPIError, DatabaseError) as exc:
        raise _database_error(exc, settings) from exc


def _database_error(exc: BaseException, settings: Settings) -> DatabaseError:
    cause = exc.__cause__ if isinstance(exc, DatabaseError) and isinstance(exc.__cause__, DBAPIError) else exc
    if isinstance(cause, DatabaseError):
        return cause
    return explain(cause, settings.database.url, settings.database.busy_timeout_seconds)


def ingest(settings: Settings, *, source_names: list[str] | None = None, files_dir: str | None = None,
           replay: list[str] | None = None, max_runtime: float | None = None,
           transport: httpx.AsyncBaseTransport | None = None, progress: Progress | None = None,
           storage: Storage | None = None) -> RunReport:
    """Run one ingest under the run lock and return its counters; the caller maps exit_code to the exit."""
    sources = [] if replay else select_sources(settings, source_names, files_dir)
    with run_lock(settings.database.url, "ingest"), stop_on_signals(StopFlag(max_runtime)) as stop:
        storage, run_id = _start(settings, storage)
        with Heartbeat(storage, run_id, settings.runs.heartbeat_seconds):  # beats only while the row is 'running'
            pool: OrderedPool[Page, Extracted] = OrderedPool(partial(extract_page, settings=settings.extract),
                                                             worker_count(settings.extract.workers))
            ingestor = Ingestor(settings, storage, run_id, progress, pool)
            try:
                if replay:
                    from pharmadeals.scrapers.archive import replay as replay_events

                    for event in replay_events(replay):
                        if stop():
                            break
                        ingestor.handle(event)
                else:
                    state = DeferredState(storage, ingestor) if pool.ahead else storage
                    asyncio.run(consume(_events(settings, sources, state, transport, stop), ingestor.handle, stop))
                ingestor.finish()  # pages already handed to the workers are stored, in order
                stop.closing = True  # from here on a late signal cannot abort before the run's row is closed
            except BaseException as exc:
                stop.closing = True
                pool.close(cancel=True)
                _close_run(storage, run_id, ingestor, stop, *_ended_by(exc))
                if isinstance(exc, DBAPIError):
                    raise _database_error(exc, settings) from exc
                raise
            finally:
                pool.close(cancel=True)
            if stop.signal is not None:  # asked to stop: the run is incomplete and says so
                exit_code, status = 128 + stop.signal, "interrupted"
            else:
                exit_code, status = _outcome(ingestor.counters)
            _close_run(storage, run_id, ingestor, stop, status, exit_code)
            return RunReport(run_id, ingestor.counters, exit_code, status, stop(), stop.reason())


def _outcome(counters: RunCounters) -> tuple[int, str]:
    """(exit code, runs.status) of a run that went to its end."""
    if counters.none_reachable():
        return EXIT_UNREACHABLE, "unreachable"
    if counters.failed():
        return EXIT_PARTIAL, "partial"
    return EXIT_OK, "ok"


def _ended_by(exc: BaseException) -> tuple[str, int]:
    """(runs.status, exit code) of a run ended by an exception: a second signal, or a failure; an error the CLI
    maps to its own code (a bad input, config or database) is recorded with that code."""
    if isinstance(exc, PharmadealsError):
        return "failed", exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", 130
    if isinstance(exc, SystemExit) and isinstance(exc.code, int):
        return "interrupted", exc.code
    return "failed", EXIT_FATAL


def _close_run(storage: Storage, run_id: int, ingestor: Ingestor, stop: StopFlag, status: str, code: int) -> None:
    """Close the run's row; a failure here is logged, never hides the error that ended the run."""
    ingestor.counters.seconds = time.monotonic() - stop.started
    counters = ingestor.counters.as_dict()
    if stop():
        counters["stopped_by"] = stop.reason()
    try:
        storage.finish_run(run_id, status, code, counters)
        log.info("run %d %s (exit %d): %s", run_id, status, code, json.dumps(counters, sort_keys=True),
                 extra={"run_id": run_id, "status": status})
    except Exception:  # noqa: BLE001 - e.g. the database became unwritable mid-run
        log.exception("could not record the end of run %s as %s", run_id, status)
