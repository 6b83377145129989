"""robots.txt per RFC 9309 (protego), fetched once per host per run: 4xx allows all, 5xx or no answer denies all."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

from pharmadeals.models.errors import ItemError

MAX_ROBOTS_BYTES = 500_000
MAX_CRAWL_DELAY = 30.0  # a hostile Crawl-delay must not stall a run for hours
ALLOW_ALL = Protego.parse("")
DENY_ALL = Protego.parse("User-agent: *\nDisallow: /\n")
# Returns (status, body) for a robots.txt URL, or raises ItemError when the server cannot be reached.
RobotsGetter = Callable[[str], Awaitable[tuple[int, bytes]]]


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups match against, e.g. 'pharmadeals' from 'pharmadeals/0.1 (...)'."""
    return (user_agent.split("/", 1)[0].split() or ["*"])[0]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def rules_for(status: int, body: bytes) -> Protego:
    if 200 <= status < 300:
        return Protego.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace"))
    if 400 <= status < 500:
        return ALLOW_ALL
    return DENY_ALL


class RobotsCache:
    """Answers 'may we fetch this URL?' and 'how long between requests?' for each host, once per run."""

    def __init__(self, user_agent: str, getter: RobotsGetter) -> None:
        self.agent = agent_token(user_agent)
        self._get = getter
        self._rules: dict[str, Protego] = {}
        self._trouble: dict[str, str] = {}  # origin -> why its robots.txt could not be read
        self._locks: dict[str, asyncio.Lock] = {}

    async def _load(self, origin: str) -> Protego:
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._rules:
                try:
                    status, body = await self._get(origin + "/robots.txt")
                except ItemError as exc:
                    status, body = 503, b""
                    self._trouble[origin] = exc.reason
                if status >= 500 and origin not in self._trouble:
                    self._trouble[origin] = f"HTTP {status}"
                self._rules[origin] = rules_for(status, body)
        return self._rules[origin]

    async def allowed(self, url: str) -> bool:
        return await self.refusal(url) is None

    async def refusal(self, url: str) -> ItemError | None:
        """None when url may be fetched; else the error to report (disallowed, or robots.txt unreachable)."""
        origin = origin_of(url)
        rules = await self._load(origin)
        if rules.can_fetch(url, self.agent):
            return None
        if origin in self._trouble:
            return ItemError("unreachable", f"{self._trouble[origin]} (robots.txt of {origin} unreadable, "
                             "so nothing is fetched there)")
        return ItemError("robots", f"robots.txt disallows {url}")

    def crawl_delay(self, host_or_url: str) -> float:
        """Crawl-delay of an already loaded host (0 when none), capped at MAX_CRAWL_DELAY."""
        for origin, rules in self._rules.items():
            if urlsplit(origin).hostname == host_or_url or origin == origin_of(host_or_url):
                delay = rules.crawl_delay(self.agent)
                return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0
        return 0.0

    def sitemaps(self, url: str) -> list[str]:
        rules = self._rules.get(origin_of(url))
        return list(rules.sitemaps) if rules is not None else []
