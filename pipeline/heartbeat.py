"""A run's sign of life: a background thread stamps `runs.heartbeat_at` every few seconds.

A process killed with SIGKILL (or lost with its host) cannot close its `runs` row; its heartbeat simply
stops. A `running` row whose heartbeat is older than the run's own `abandon_after_seconds` (recorded when it
started, so every host judges it alike) is shown as `abandoned` by the `run_summary` view and `review`.
The thread has its own connection, so a slow article (a big PDF, a long extraction) does not make a live
run look dead; a failed beat is logged and retried at the next tick, never stops the run.
"""
from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from pharmadeals.models.settings import Strict

if TYPE_CHECKING:  # the settings model is loaded by every command; SQLAlchemy only by those that store
    from pharmadeals.models.repository import Repository

log = logging.getLogger(__name__)


class RunsSettings(Strict):
    """`runs:` — how often a run says it is alive, and how long silence means it was abandoned."""

    heartbeat_seconds: float = Field(30.0, gt=0)
    abandon_after_seconds: float = Field(600.0, gt=0)

    @model_validator(mode="after")
    def _room_for_late_beats(self) -> RunsSettings:
        if self.abandon_after_seconds < 2 * self.heartbeat_seconds:
            raise ValueError("abandon_after_seconds must be at least twice heartbeat_seconds, "
                             "or one late beat would mark a live run abandoned")
        return self


class Heartbeat:
    """While the block runs, stamp the run's heartbeat every `interval` seconds (and once on entry)."""

    def __init__(self, repository: Repository, run_id: int, interval: float) -> None:
        self.repository, self.run_id, self.interval = repository, run_id, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-run-{run_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=max(5.0, self.interval))

    def _loop(self) -> None:
        while True:
            try:
                self.repository.beat(self.run_id)
            except Exception as exc:  # noqa: BLE001 - e.g. the database is busy: the next tick tries again
                log.warning("could not record the heartbeat of run %d: %s", self.run_id, exc,
                            extra={"run_id": self.run_id})
            if self._stop.wait(self.interval):
                return
