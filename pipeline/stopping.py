"""Ending a run early but cleanly: --max-runtime and SIGTERM/SIGINT finish the article in hand, then stop.

A first SIGTERM or SIGINT only raises a flag that the run checks between articles, so the article
being stored commits (or not) as a whole and the run's row is closed as `interrupted`. A second
signal stops at once: the open transaction rolls back, and nothing half-written remains.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

log = logging.getLogger("pharmadeals.run")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
POLL_SECONDS = 0.2  # how often a run waiting on the network checks whether it was asked to stop


class StopFlag:
    """Callable `stop()` for the crawl: true once the deadline passed or a stop signal arrived."""

    def __init__(self, max_runtime: float | None = None) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + max_runtime if max_runtime else None
        self.signal: int | None = None
        self.closing = False  # set while the run records its end: signals then no longer abort

    def __call__(self) -> bool:
        return self.signal is not None or self.timed_out

    @property
    def timed_out(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def reason(self) -> str:
        if self.signal is not None:
            return signal.Signals(self.signal).name
        return "max-runtime" if self.timed_out else ""


@contextmanager
def stop_on_signals(flag: StopFlag) -> Iterator[StopFlag]:
    """While the block runs, SIGTERM/SIGINT set `flag.signal`; a second one aborts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield flag  # signal handlers can only be installed from the main thread
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        if flag.closing:  # the run is writing its own end; aborting now would leave its row 'running'
            log.warning("%s while closing the run: it ends in a moment", signal.Signals(signum).name)
            return
        if flag.signal is not None:
            log.error("second %s: stopping now; the article in hand is rolled back", signal.Signals(signum).name)
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            raise SystemExit(128 + signum)
        flag.signal = signum
        log.warning("received %s: finishing the article in hand, then stopping", signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield flag
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


async def consume(events: AsyncIterator[Any], handle: Callable[[Any], None], stop: Callable[[], bool]) -> None:
    """Feed events to `handle` until they end or `stop()`; even a wait on the network is cut short."""
    try:
        while not stop():
            step = asyncio.ensure_future(events.__anext__())
            while not step.done():
                await asyncio.wait({step}, timeout=POLL_SECONDS)
                if stop() and not step.done():
                    step.cancel()
                    with suppress(asyncio.CancelledError, StopAsyncIteration):
                        await step
                    return
            try:
                event = step.result()
            except StopAsyncIteration:
                return
            handle(event)
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            with suppress(RuntimeError):  # already closed by the cancelled step
                await aclose()
