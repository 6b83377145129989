"""What a crawl reports to the pipeline: one small frozen record per thing that happened."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pharmadeals.models.records import Page


@dataclass(frozen=True)
class Fetched:
    """A page to turn into an article (fetched, read from a file, or replayed from a WARC)."""

    page: Page


@dataclass(frozen=True)
class NotModified:
    """The server answered 304 to a conditional request: nothing changed since the last run."""

    url: str
    source: str


@dataclass(frozen=True)
class Skipped:
    """An item not fetched on purpose (already stored, keyword filter, robots.txt, seen this run)."""

    url: str
    source: str
    reason: str


@dataclass(frozen=True)
class Failed:
    """An item that could not be fetched or read; `kind` is the error counter it is filed under."""

    url: str
    source: str
    kind: str
    reason: str


@dataclass(frozen=True)
class SourceDone:
    """A source finished; `error` is set when its listing failed (never read that as "no news")."""

    source: str
    discovered: int
    error: str | None = None
    unreachable: bool = False  # the error is that the source's host never answered
    skipped: str | None = None  # why the source was left out of the run (e.g. SEC EDGAR without a contact)


CrawlEvent = Fetched | NotModified | Skipped | Failed | SourceDone


class CrawlState(Protocol):
    """What the crawl needs to know from the database to stay incremental across runs."""

    def is_known(self, url: str) -> bool: ...

    def validators(self, url: str) -> tuple[str | None, str | None] | None: ...

    def cursor(self, source: str) -> str | None: ...

    def set_cursor(self, source: str, value: str) -> None: ...
