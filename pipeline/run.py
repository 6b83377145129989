"""Ingest orchestration: discover -> fetch -> article text -> deals -> normalise -> store.

Each article is stored in its own transaction; per-item failures are logged with their reason,
counted and skipped, so one bad page never stops a run. Configuration and database problems are
raised before anything is fetched.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass

import httpx

from models.base import make_engine
from models.migrate import upgrade
from models.repository import Storage
from pipeline.config import FilesSource, Settings, SourceSettings
from pipeline.counters import RunCounters
from pipeline.errors import EXIT_OK, EXIT_PARTIAL, ConfigError, ItemError
from pipeline.records import Page

log = logging.getLogger("pharmadeals.run")
Progress = Callable[[str, str], None]  # (source, url) after each item


@dataclass
class RunReport:
    run_id: int
    counters: RunCounters
    exit_code: int
    status: str
    stopped_early: bool = False


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
    """Consumes crawl events for one run and turns fetched pages into stored articles and deals."""

    def __init__(self, settings: Settings, storage: Storage, run_id: int, progress: Progress | None) -> None:
        self.settings, self.storage, self.run_id = settings, storage, run_id
        self.counters = RunCounters()
        self.progress = progress
        self.source_types = {s.name: s.type for s in settings.sources}

    def handle(self, event: object) -> None:
        from scrapers.crawl import Failed, Fetched, NotModified, Skipped, SourceDone

        if isinstance(event, Fetched):
            self._page(event.page)
        elif isinstance(event, NotModified):
            self.counters.of(event.source).not_modified += 1
        elif isinstance(event, Skipped):
            self.counters.of(event.source).skipped += 1
        elif isinstance(event, Failed):
            self.counters.of(event.source).errors[event.kind] += 1
            self.storage.log_item(self.run_id, event.source, event.url, "error", f"{event.kind}: {event.reason}")
            log.warning("error %s %s: %s", event.kind, event.url, event.reason)
        elif isinstance(event, SourceDone):
            counters = self.counters.of(event.source)
            counters.discovered += event.discovered
            if event.error:
                counters.source_error = event.error
                log.error("source %s failed: %s", event.source, event.error)

    def _page(self, page: Page) -> None:
        from extractors.deals import extract_deals
        from scrapers.article import page_to_article

        counters = self.counters.of(page.source)
        counters.fetched += 1
        self.storage.record_validators(page.url, page.etag, page.last_modified)
        try:
            article = page_to_article(page)
            deals = extract_deals(article, self.settings.extract)
        except ItemError as exc:
            counters.errors[exc.kind] += 1
            self.storage.log_item(self.run_id, page.source, page.url, "error", f"{exc.kind}: {exc.reason}")
            log.warning("error %s %s: %s", exc.kind, page.url, exc.reason)
            return
        except Exception as exc:  # an extractor bug must not stop the run; it is logged and counted
            counters.errors["extract"] += 1
            self.storage.log_item(self.run_id, page.source, page.url, "error", f"extract: {exc!r}")
            log.exception("extractor failed on %s", page.url)
            return
        outcome = self.storage.store_article(self.run_id, self.source_types.get(page.source, "unknown"),
                                             article, deals)
        if outcome.status == "duplicate":
            counters.duplicates += 1
        elif outcome.status == "deal":
            counters.deals += len(outcome.deal_ids)
        else:
            counters.no_deal += 1
        if self.progress:
            self.progress(page.source, page.url)


async def _events(settings: Settings, sources: list[SourceSettings], storage: Storage,
                  transport: httpx.AsyncBaseTransport | None, stop: Callable[[], bool]) -> AsyncIterator[object]:
    from scrapers.crawl import crawl

    async for event in crawl(sources, settings.fetch, settings.archive, storage, transport=transport, stop=stop):
        yield event


def ingest(settings: Settings, *, source_names: list[str] | None = None, files_dir: str | None = None,
           replay: list[str] | None = None, max_runtime: float | None = None,
           transport: httpx.AsyncBaseTransport | None = None, progress: Progress | None = None,
           storage: Storage | None = None) -> RunReport:
    """Run one ingest and return its counters; the caller maps exit_code to the process exit."""
    sources = [] if replay else select_sources(settings, source_names, files_dir)
    storage = storage or open_storage(settings)
    run_id = storage.begin_run("ingest")
    ingestor = Ingestor(settings, storage, run_id, progress)
    started = time.monotonic()
    deadline = started + max_runtime if max_runtime else None
    stopped = False

    def stop() -> bool:
        return deadline is not None and time.monotonic() >= deadline

    try:
        if replay:
            from scrapers.archive import replay as replay_events

            for event in replay_events(replay):
                if stop():
                    stopped = True
                    break
                ingestor.handle(event)
        else:
            async def consume() -> None:
                async for event in _events(settings, sources, storage, transport, stop):
                    ingestor.handle(event)

            asyncio.run(consume())
            stopped = stop()
    except BaseException:
        ingestor.counters.seconds = time.monotonic() - started
        storage.finish_run(run_id, "interrupted", 4, ingestor.counters.as_dict())
        raise
    ingestor.counters.seconds = time.monotonic() - started
    exit_code = EXIT_PARTIAL if ingestor.counters.failed() else EXIT_OK
    status = "partial" if exit_code else "ok"
    storage.finish_run(run_id, status, exit_code, ingestor.counters.as_dict())
    return RunReport(run_id, ingestor.counters, exit_code, status, stopped)
