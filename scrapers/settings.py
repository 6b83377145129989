"""Settings sections the scrapers read: fetching politeness, the WARC archive, and what every source has."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from pharmadeals.models.settings import Strict


class FetchSettings(Strict):
    user_agent: str = "pharmadeals/0.1 (+https://github.com/pharmadeals/pharmadeals; contact: ops@example.org)"
    concurrency: int = Field(8, ge=1, le=64)
    per_host_concurrency: int = Field(2, ge=1, le=16)
    per_host_delay: float = Field(1.0, ge=0)
    timeout: float = Field(30.0, gt=0)  # seconds to wait for an answer once connected (read, write, pool)
    connect_timeout: float = Field(10.0, gt=0)  # seconds to wait for a connection
    max_retries: int = Field(4, ge=0, le=10)  # retries of a 429/5xx answer
    # Retries after a refused connection or a timeout: a host that does not answer is reported, not waited on.
    transport_retries: int = Field(1, ge=0, le=10)
    max_body_bytes: int = Field(10_000_000, ge=1024)
    max_redirects: int = Field(5, ge=0, le=20)
    backoff_base: float = Field(1.0, ge=0)
    backoff_max: float = Field(60.0, ge=0)
    obey_robots: bool = True
    allowed_hosts: list[str] = Field(default_factory=list)


class ArchiveSettings(Strict):
    enabled: bool = True
    directory: str = "data/warc"
    # Pages read from a local folder (`files` sources) are already on disk; archiving them only costs time.
    local_files: bool = False


class SourceBase(Strict):
    if TYPE_CHECKING:  # each adapter's settings class declares its own tag, `type: Literal["<adapter>"]`
        type: str
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    enabled: bool = True
    keywords: list[str] = Field(default_factory=list)
    kind: Literal["official", "press_release", "news"] = "news"
    language: Literal["en", "zh"] | None = None
    max_items: int = Field(200, ge=1)
    # Extra request headers (browser-like headers for wires, Referer for CNINFO) and hosts a redirect may reach.
    headers: dict[str, str] = Field(default_factory=dict)
    allowed_hosts: list[str] = Field(default_factory=list)
