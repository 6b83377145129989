"""Source type -> settings class and adapter module; adding a source is one module, its settings class in
settings.py and one line here.

Reading config.yaml needs only the settings classes; an adapter module (and the HTTP, HTML, feed or archive
libraries it imports) is loaded when a source of its type runs, so `extract` and `report` start quickly.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import get_args

from pharmadeals.models.errors import ConfigError
from pharmadeals.scrapers.settings import SourceBase
from pharmadeals.scrapers.sources import settings

_MODULES: dict[type[SourceBase], str] = {
    settings.FilesSource: "files",
    settings.FeedSource: "feed",
    settings.SitemapSource: "sitemap",
    settings.HtmlListSource: "html_list",
    settings.HkexSource: "hkex",
    settings.CninfoSource: "cninfo",
    settings.SecEdgarSource: "sec_edgar",
}


def _source_type(settings_class: type[SourceBase]) -> str:
    return str(get_args(settings_class.model_fields["type"].annotation)[0])


SOURCE_SETTINGS: dict[str, type[SourceBase]] = {_source_type(cls): cls for cls in _MODULES}
_ADAPTER_MODULES: dict[str, str] = {_source_type(cls): module for cls, module in _MODULES.items()}


def adapter_for(source_type: str) -> ModuleType:
    """The adapter module for a source type (imported on first use); each has `async def discover(settings, ctx)`."""
    try:
        module = _ADAPTER_MODULES[source_type]
    except KeyError as exc:
        raise ConfigError(f"unknown source type {source_type!r}",
                          f"use one of {', '.join(SOURCE_SETTINGS)}") from exc
    return importlib.import_module(f"pharmadeals.scrapers.sources.{module}")
