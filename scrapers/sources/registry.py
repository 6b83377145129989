"""Source type -> adapter module; adding a source is one module plus one line here.

Each adapter module declares its settings class as `SETTINGS`; the class's `type` literal is the source
type, so the type is written once, next to the code that reads it.
"""
from __future__ import annotations

from types import ModuleType
from typing import get_args

from pharmadeals.models.errors import ConfigError
from pharmadeals.scrapers.sources import cninfo, feed, files, hkex, html_list, sec_edgar, sitemap


def _source_type(adapter: ModuleType) -> str:
    return str(get_args(adapter.SETTINGS.model_fields["type"].annotation)[0])


ADAPTERS: dict[str, ModuleType] = {_source_type(adapter): adapter for adapter in (
    files,
    feed,
    sitemap,
    html_list,
    hkex,
    cninfo,
    sec_edgar,
)}


def adapter_for(source_type: str) -> ModuleType:
    """The adapter module for a source type; each has `async def discover(settings, ctx)`."""
    try:
        return ADAPTERS[source_type]
    except KeyError as exc:
        raise ConfigError(f"unknown source type {source_type!r}", f"use one of {', '.join(ADAPTERS)}") from exc
