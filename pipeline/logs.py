"""Logging: plain structured lines on stderr for cron, and a JSON-lines file beside the database."""
from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pharmadeals.models.settings import Strict


class LoggingSettings(Strict):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # JSON-lines run log; relative paths sit beside the SQLite database (or under data/).
    file: str | None = "pharmadeals.log.jsonl"

_CONFIGURED: list[logging.Handler] = []


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record, with the run id and any `extra` fields we attach."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        for key in ("run_id", "source", "url", "status", "kind"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_file_path(settings: LoggingSettings, database_url: str) -> Path | None:
    """Relative log paths sit beside the SQLite file (or under data/ for other databases)."""
    if not settings.file:
        return None
    path = Path(settings.file)
    if path.is_absolute():
        return path
    from pharmadeals.models.base import sqlite_path  # SQLAlchemy, only once a log file is wanted

    db = sqlite_path(database_url)
    return (db.parent if db else Path("data")) / path


def configure_logging(settings: LoggingSettings | None, database_url: str = "", debug: bool = False,
                      interactive: bool | None = None) -> None:
    root = logging.getLogger()
    for handler in _CONFIGURED:
        root.removeHandler(handler)
    _CONFIGURED.clear()
    level = logging.DEBUG if debug else getattr(logging, settings.level if settings else "INFO")
    root.setLevel(level)
    interactive = sys.stderr.isatty() if interactive is None else interactive
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.DEBUG if debug else (logging.ERROR if interactive else level))
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _CONFIGURED.append(stderr)
    if settings is not None and (path := log_file_path(settings, database_url)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setLevel(level)
        handler.setFormatter(JsonLinesFormatter())
        _CONFIGURED.append(handler)
    for handler in _CONFIGURED:
        root.addHandler(handler)
    for noisy in ("httpx", "httpcore", "jieba", "trafilatura", "htmldate", "charset_normalizer", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
