"""Source type -> adapter module; adding a source is one module plus one line here."""
from __future__ import annotations

import importlib
from types import ModuleType

from pipeline.errors import ConfigError

ADAPTERS = {
    "files": "scrapers.sources.files",
    "feed": "scrapers.sources.feed",
    "sitemap": "scrapers.sources.sitemap",
    "html_list": "scrapers.sources.html_list",
    "hkex": "scrapers.sources.hkex",
    "cninfo": "scrapers.sources.cninfo",
    "sec_edgar": "scrapers.sources.sec_edgar",
}


def adapter_for(source_type: str) -> ModuleType:
    """The adapter module for a source type; each has `async def discover(settings, ctx)`."""
    try:
        return importlib.import_module(ADAPTERS[source_type])
    except KeyError as exc:
        raise ConfigError(f"unknown source type {source_type!r}", f"use one of {', '.join(ADAPTERS)}") from exc
