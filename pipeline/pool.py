"""Extraction in worker processes, one writer in input order: the CPU work of a page (main text, deals) runs
on every core while the process that owns the database stores results exactly in the order they came.

Because the writer takes results in input order, a run with a pool stores the same articles, deals, ids and
log rows as a run in one process. The first pages of a run are extracted in the writer's own process (a
run of a few pages never pays for starting workers) while a fork server imports the extractor; workers
forked from it load spaCy, jieba and the company registry once each, on first use. A worker ends when the
writer is gone. `extract.workers: 1` keeps everything in one process.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, TypeVar

from pharmadeals.extractors.settings import ExtractSettings
from pharmadeals.models.errors import ItemError
from pharmadeals.models.records import Article, DealMention, Page

log = logging.getLogger("pharmadeals.pool")
WARM_UP_ITEMS = 8  # extracted in the writer's process before the pool starts
AHEAD_PER_WORKER = 4  # items in flight per worker: enough to keep workers busy, few enough to bound memory
MAX_AUTO_WORKERS = 8
WRITER_POLL_SECONDS = 0.2
# Imported once by the fork server, so a worker starts with them loaded and only builds its pipelines.
PRELOAD = ["pharmadeals.pipeline.pool", "pharmadeals.extractors.deals", "pharmadeals.scrapers.article", "trafilatura"]
In = TypeVar("In")
Out = TypeVar("Out")


@dataclass(frozen=True)
class Extracted:
    """What the extractor made of one page: the article and its deals, or why it failed."""

    article: Article | None
    deals: tuple[DealMention, ...] = ()
    error_kind: str | None = None  # an ItemError's kind, or "extract" for an unexpected failure
    error_reason: str = ""
    trace: str = ""  # the traceback of an unexpected failure, for the log


def extract_page(page: Page, settings: ExtractSettings) -> Extracted:
    """Main text and deal mentions of one fetched page; never raises (failures come back as values)."""
    from pharmadeals.extractors.deals import extract_deals
    from pharmadeals.scrapers.article import page_to_article

    try:
        article = page_to_article(page)
        return Extracted(article, tuple(extract_deals(article, settings)))
    except ItemError as exc:
        return Extracted(None, error_kind=exc.kind, error_reason=exc.reason)
    except Exception as exc:  # noqa: BLE001 - an extractor bug must not stop the run; it is logged and counted
        return Extracted(None, error_kind="extract", error_reason=repr(exc), trace=traceback.format_exc())


def extract_article(article: Article, settings: ExtractSettings) -> Extracted:
    """Deal mentions of a stored article (reextract); never raises."""
    from pharmadeals.extractors.deals import extract_deals

    try:
        return Extracted(article, tuple(extract_deals(article, settings)))
    except Exception as exc:  # noqa: BLE001 - one bad article is logged and counted, the rebuild goes on
        return Extracted(article, error_kind="extract", error_reason=repr(exc), trace=traceback.format_exc())


def worker_count(configured: int | None) -> int:
    """The configured number of workers, or one per core this process may use (at most MAX_AUTO_WORKERS)."""
    if configured is not None:
        return configured
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_WORKERS))


def _start_worker(writer: int) -> None:
    """Workers leave SIGINT/SIGTERM to the writer, which finishes the items in hand and closes the run, and
    end when the writer is gone (killed with SIGKILL, say), so none is left behind holding its pipes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_without, args=(writer,), name="writer-watch", daemon=True).start()


def _exit_without(writer: int) -> None:
    while _alive(writer):
        time.sleep(WRITER_POLL_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether a process runs; a killed one waiting to be reaped (a zombie) does not. A worker's parent is
    the fork server, not the writer, so watching the parent would not do."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one: workers start from a clean process that has imported the extractor
    once (forking the writer itself could copy a lock held by one of its threads); else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


class Pending(Generic[In, Out]):
    """One submitted item: its result once done, in this process or a worker's."""

    def __init__(self, pool: OrderedPool[In, Out], item: In, future: Future[Out]) -> None:
        self.pool, self.item, self.future = pool, item, future

    def done(self) -> bool:
        return self.future.done()

    def result(self) -> Out:
        try:
            return self.future.result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): the rest runs here
            return self.pool.fall_back(self.item)


class OrderedPool(Generic[In, Out]):
    """Runs `work` over items in worker processes; callers take results back in submission order."""

    def __init__(self, work: Callable[[In], Out], workers: int, warm_up: int = WARM_UP_ITEMS) -> None:
        self.work, self.workers, self.warm_up = work, workers, warm_up
        self.submitted = 0
        self._executor: ProcessPoolExecutor | None = None
        self._broken = False

    @property
    def ahead(self) -> int:
        """How many submitted items may wait unfinished before the caller must take the oldest."""
        return self.workers * AHEAD_PER_WORKER if self.workers > 1 else 0

    def submit(self, item: In) -> Pending[In, Out]:
        """Start work on an item (at once, here, while warming up or with one worker)."""
        self.submitted += 1
        if self.workers > 1 and self.submitted == self.warm_up // 2 + 1:
            self._boot()  # the fork server imports the extractor while this process extracts the next items
        if self.workers <= 1 or self.submitted <= self.warm_up or self._broken:
            future: Future[Out] = Future()
            future.set_result(self.work(item))
            return Pending(self, item, future)
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=self._boot(),
                                                 initializer=_start_worker, initargs=(os.getpid(),))
            log.info("extraction pool started: %d worker processes after %d items here", self.workers,
                     self.warm_up)
        return Pending(self, item, self._executor.submit(self.work, item))

    def _boot(self) -> multiprocessing.context.BaseContext:
        context = _context()
        if context.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()
        return context

    def fall_back(self, item: In) -> Out:
        if not self._broken:
            log.warning("an extraction worker died; extracting the rest of the run in one process")
        self._broken = True
        return self.work(item)

    def map(self, items: Iterable[In]) -> Iterator[Out]:
        """Results of `work` over items, in order, with at most `ahead` unfinished ones in flight."""
        waiting: deque[Pending[In, Out]] = deque()
        for item in items:
            waiting.append(self.submit(item))
            while waiting and (len(waiting) > self.ahead or waiting[0].done()):
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: after all submitted work, or (cancel) after the item each one has in hand."""
        if self._executor is not None:
            self._executor.shutdown(wait=not cancel, cancel_futures=cancel)
            self._executor = None
