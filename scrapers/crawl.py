"""The one entry point the pipeline calls: run sources concurrently and stream what happened as events."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from pharmadeals.models.errors import ItemError
from pharmadeals.models.records import DiscoveredItem, Page
from pharmadeals.scrapers.archive import WarcArchive
from pharmadeals.scrapers.events import CrawlEvent, CrawlState, Failed, Fetched, NotModified, Skipped, SourceDone
from pharmadeals.scrapers.http import ARTICLE_TYPES, Fetcher, build_client
from pharmadeals.scrapers.robots import RobotsCache
from pharmadeals.scrapers.settings import ArchiveSettings, FetchSettings
from pharmadeals.scrapers.sources.base import (
    SourceContext,
    SourceError,
    SourceSkipped,
    canonical_url,
    matches_keywords,
)
from pharmadeals.scrapers.sources.registry import adapter_for

__all__ = ["CrawlEvent", "CrawlState", "Failed", "Fetched", "NotModified", "Skipped", "SourceDone", "crawl"]
QUEUE_PER_SLOT = 4
IN_FLIGHT_PER_SLOT = 2  # items fetched or waiting to be consumed, per unit of fetch.concurrency
KEYWORD_SNIFF_BYTES = 200_000


@dataclass
class _Run:
    """What all sources of one crawl share."""

    fetch: FetchSettings
    state: CrawlState
    fetcher: Fetcher
    archive: WarcArchive | None
    queue: asyncio.Queue[Any]
    stop: Callable[[], bool]
    claimed: dict[str, str] = field(default_factory=dict)  # url -> source that took it this run
    slots: asyncio.Semaphore | None = None  # items in flight across all sources (bounds memory)
    archive_local_files: bool = False  # archive.local_files: also archive pages read from a local folder


@dataclass(frozen=True)
class _Finished:
    """Internal end-of-source marker; cursor and listing validators are saved when the consumer reaches it,
    i.e. after it has handled every item of the source."""

    done: SourceDone
    cursor: str | None
    listing_validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def _robots_for(fetch: FetchSettings, fetcher: Fetcher) -> RobotsCache:
    async def get(url: str) -> tuple[int, bytes]:
        resp = await fetcher.request(url, check_robots=False, check_status=False, accept=None)
        return resp.status, resp.body

    return RobotsCache(fetch.user_agent, get)


async def crawl(sources: Sequence[Any], fetch: FetchSettings, archive: ArchiveSettings, state: CrawlState,
                transport: httpx.AsyncBaseTransport | None = None,
                stop: Callable[[], bool] | None = None) -> AsyncIterator[CrawlEvent]:
    """Discover and fetch every enabled source; yields Fetched/NotModified/Skipped/Failed/SourceDone."""
    active = [s for s in sources if s.enabled]
    async with build_client(fetch, transport) as client:
        fetcher = Fetcher(fetch, client)
        if fetch.obey_robots:
            robots = _robots_for(fetch, fetcher)
            fetcher.robots, fetcher.delay_for = robots.refusal, robots.crawl_delay
        run = _Run(fetch, state, fetcher, WarcArchive(archive) if archive.enabled else None,
                   asyncio.Queue(maxsize=fetch.concurrency * QUEUE_PER_SLOT), stop or (lambda: False),
                   slots=asyncio.Semaphore(fetch.concurrency * IN_FLIGHT_PER_SLOT),
                   archive_local_files=archive.local_files)
        tasks = [asyncio.create_task(_source_task(src, run)) for src in active]
        try:
            remaining = len(tasks)
            while remaining:
                event = await run.queue.get()
                if isinstance(event, _Finished):
                    remaining -= 1
                    _save_progress(state, event)
                    event = event.done
                yield event
                if run.archive is not None and (archive_error := run.archive.take_error()) is not None:
                    yield Failed(str(run.archive.directory), "archive", "archive", archive_error)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if run.archive is not None:
                run.archive.close()


def _save_progress(state: CrawlState, finished: _Finished) -> None:
    if finished.done.error is not None:
        return
    if finished.cursor is not None:
        state.set_cursor(finished.done.source, finished.cursor)
    record = getattr(state, "record_validators", None)  # optional: lets unchanged feeds answer 304 next run
    if record is not None:
        for url, (etag, modified) in finished.listing_validators.items():
            record(url, etag, modified)


def source_headers(src: Any) -> dict[str, str]:
    """Headers a source adds to every request (its own User-Agent for EDGAR, Referer for CNINFO...)."""
    agent = getattr(src, "user_agent", None)
    return {**src.headers, **({"User-Agent": agent} if agent else {})}


async def _source_task(src: Any, run: _Run) -> None:
    counts = {"discovered": 0, "failed": 0, "cut_short": 0}
    newest: dict[str, str] = {}
    error: str | None = None
    unreachable = False
    skipped: str | None = None
    ctx = SourceContext(name=src.name, fetch=run.fetch, fetcher=run.fetcher, state=run.state, archive=run.archive,
                        headers=source_headers(src), allowed_hosts=src.allowed_hosts)
    try:
        await _run_source(src, run, ctx, counts, newest)
    except SourceSkipped as exc:
        skipped = str(exc)
    except SourceError as exc:
        error, unreachable = str(exc), exc.unreachable
    except ItemError as exc:
        error, unreachable = exc.reason, exc.kind == "unreachable"
    except Exception as exc:  # noqa: BLE001 - one broken adapter must not end the whole run
        error = f"internal error in {src.type} adapter: {type(exc).__name__}: {exc}"
    # A listing's validators are kept only when every item it listed was handled; otherwise a 304 next
    # run would hide the items that failed or were left for later.
    complete = error is None and not counts["failed"] and not counts["cut_short"]
    await run.queue.put(_Finished(SourceDone(src.name, counts["discovered"], error, unreachable, skipped), newest.get("value"),
                                  ctx.listing_validators if complete else {}))


async def _run_source(src: Any, run: _Run, ctx: SourceContext, counts: dict[str, int],
                      newest: dict[str, str]) -> None:
    slots = run.slots or asyncio.Semaphore(run.fetch.concurrency)
    inflight: set[asyncio.Task[None]] = set()
    scheduled = 0
    try:
        async for entry in adapter_for(src.type).discover(src, ctx):
            if isinstance(entry, Failed):
                counts["failed"] += 1
                await run.queue.put(entry)
                continue
            counts["discovered"] += 1
            if entry.published is not None:
                stamp = entry.published.isoformat()
                newest["value"] = max(stamp, newest.get("value", stamp))
            item = replace(entry, url=canonical_url(entry.url)) if entry.url.startswith("http") else entry
            skip = _screen(item, src, run)
            if skip is not None:
                await run.queue.put(skip)
                continue
            if run.stop() or scheduled >= src.max_items:
                counts["cut_short"] += 1
                break
            run.claimed[item.url] = src.name
            scheduled += 1
            await slots.acquire()
            task = asyncio.create_task(_item_task(item, src, run, counts))
            task.add_done_callback(lambda _t: slots.release())
            inflight.add(task)
            task.add_done_callback(inflight.discard)
    except asyncio.CancelledError:  # the consumer left: items blocked on a full queue must not hang us
        for task in inflight:
            task.cancel()
        raise
    finally:
        if inflight:
            await asyncio.gather(*inflight, return_exceptions=True)


def _screen(item: DiscoveredItem, src: Any, run: _Run) -> Skipped | None:
    """Why an item is not fetched, or None to fetch it."""
    if (item.title or item.summary) and not matches_keywords(src.keywords, item.title, item.summary):
        return Skipped(item.url, src.name, "no keyword in title or summary")
    earlier = run.claimed.get(item.url)
    if earlier is not None:
        return Skipped(item.url, src.name, f"already taken this run by source {earlier}")
    if run.state.is_known(item.url):
        return Skipped(item.url, src.name, "already stored")
    return None


async def _item_task(item: DiscoveredItem, src: Any, run: _Run, counts: dict[str, int]) -> None:
    try:
        event = await _fetch_item(item, src, run)
    except ItemError as exc:
        event = (Skipped(item.url, src.name, exc.reason) if exc.kind == "robots"
                 else Failed(item.url, src.name, exc.kind, exc.reason))
    except Exception as exc:  # noqa: BLE001 - a bug on one item is counted, the run goes on
        event = Failed(item.url, src.name, "internal", f"{type(exc).__name__}: {exc}")
    if isinstance(event, Failed):
        counts["failed"] += 1
    await run.queue.put(event)


async def _fetch_item(item: DiscoveredItem, src: Any, run: _Run) -> CrawlEvent:
    if item.inline_body is not None:
        page = Page(url=item.url, source=src.name, body=item.inline_body,
                    content_type=item.inline_content_type or "text/html", item=item)
        if run.archive is not None and run.archive_local_files:
            run.archive.write_page(page)
        return _keyword_checked(page, src)
    resp = await run.fetcher.request(item.url, headers=source_headers(src), validators=run.state.validators(item.url),
                                     allowed_hosts=src.allowed_hosts, accept=ARTICLE_TYPES)
    if resp.status == 304:
        return NotModified(item.url, src.name)
    if run.archive is not None:
        run.archive.write_response(resp, src.name, "article", item)
    page = Page(url=item.url, source=src.name, body=resp.body, content_type=resp.content_type,
                status=resp.status, headers=resp.headers, etag=resp.header("etag"),
                last_modified=resp.header("last-modified"), item=item)
    return _keyword_checked(page, src)


def _keyword_checked(page: Page, src: Any) -> CrawlEvent:
    """Items listed without title or summary are filtered on their body instead."""
    item = page.item
    if not src.keywords or (item is not None and (item.title or item.summary)):
        return Fetched(page)
    text = page.body[:KEYWORD_SNIFF_BYTES].decode("utf-8", errors="ignore")
    if not matches_keywords(src.keywords, text) and not matches_keywords(
            src.keywords, page.body[:KEYWORD_SNIFF_BYTES].decode("gb18030", errors="ignore")):
        return Skipped(page.url, src.name, "no keyword in the page")
    return Fetched(page)
