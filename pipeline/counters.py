"""Per-run, per-source counters: what happened in each run, printed at the end and stored."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("discovered", "fetched", "not_modified", "skipped", "duplicates", "deals", "no_deal", "errors")


@dataclass
class SourceCounters:
    discovered: int = 0
    fetched: int = 0
    not_modified: int = 0
    skipped: int = 0
    duplicates: int = 0
    deals: int = 0  # deal mentions stored
    no_deal: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    source_error: str | None = None
    source_unreachable: bool = False  # the source's host never answered
    source_skipped: str | None = None  # why the source was left out of the run

    def count_stored(self, status: str, deals: int) -> None:
        """Count one article's store outcome (`StoreOutcome.status` and its number of deal mentions)."""
        if status == "duplicate":
            self.duplicates += 1
        elif status == "deal":
            self.deals += deals
        else:
            self.no_deal += 1

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in FIELDS if name != "errors"}
        out["errors"] = sum(self.errors.values())
        out["errors_by_kind"] = dict(self.errors)
        if self.source_error:
            out["source_error"] = self.source_error
        if self.source_skipped:
            out["source_skipped"] = self.source_skipped
        return out


@dataclass
class RunCounters:
    sources: dict[str, SourceCounters] = field(default_factory=dict)
    seconds: float = 0.0

    def of(self, source: str) -> SourceCounters:
        return self.sources.setdefault(source, SourceCounters())

    def failed(self) -> bool:
        return any(c.errors or c.source_error for c in self.sources.values())

    def unreachable(self) -> list[str]:
        """Sources whose host never answered, so nothing came back from them."""
        return [name for name, c in sorted(self.sources.items())
                if c.source_unreachable and not (c.discovered or c.fetched or c.not_modified or c.skipped)]

    def none_reachable(self) -> bool:
        """Every source of the run failed without an answer: the network, a proxy or the contact, not one page."""
        ran = [c for c in self.sources.values() if not c.source_skipped]
        return bool(ran) and len(self.unreachable()) == len(ran)

    def total(self, name: str) -> int:
        if name == "errors":
            return sum(sum(c.errors.values()) for c in self.sources.values())
        return sum(getattr(c, name) for c in self.sources.values())

    def as_dict(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 3),
                "sources": {name: c.as_dict() for name, c in sorted(self.sources.items())}}
