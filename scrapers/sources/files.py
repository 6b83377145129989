"""The `files` source: articles saved in a local folder (with optional NAME.json sidecars), never read outside it."""
from __future__ import annotations

import json
import os
import stat
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from pharmadeals.models.errors import ItemError
from pharmadeals.models.records import DiscoveredItem, SourceKind
from pharmadeals.scrapers.events import Failed
from pharmadeals.scrapers.sources.base import Discovered, SourceContext, SourceError, as_utc, kind_from_url
from pharmadeals.scrapers.sources.settings import FilesSource

SETTINGS = FilesSource  # registers this adapter's source type (see registry.py)

CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".md": "text/markdown",
                 ".pdf": "application/pdf"}
SIDECAR_FIELDS = {"url": str, "published": str, "title": str, "summary": str, "language": str, "kind": str}
LANGUAGES = ("en", "zh")
KINDS = ("official", "press_release", "news")


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _sidecars(path: Path) -> list[Path]:
    return [p for p in (path.with_suffix(".json"), path.with_name(path.name + ".json")) if p.is_file()]


def _published(value: str) -> datetime:
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time())
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise ItemError("sidecar", f"published {value!r} is not an ISO date") from exc


def read_sidecar(path: Path, root: Path) -> dict[str, Any]:
    """Validated sidecar fields for a file (empty when it has none); ItemError('sidecar', ...) when bad."""
    found = _sidecars(path)
    if len(found) > 1:
        raise ItemError("sidecar", f"two sidecars for {path.name}: {', '.join(p.name for p in found)}")
    if not found:
        return {}
    sidecar = found[0]
    if not _inside(sidecar.resolve(), root):
        raise ItemError("security", f"sidecar {sidecar.name} points outside the source folder")
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ItemError("sidecar", f"{sidecar.name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ItemError("sidecar", f"{sidecar.name} must hold a JSON object")
    for key, kind in SIDECAR_FIELDS.items():
        if data.get(key) is not None and not isinstance(data[key], kind):
            raise ItemError("sidecar", f"{sidecar.name}: {key} must be a string")
    if data.get("language") not in (None, *LANGUAGES) or data.get("kind") not in (None, *KINDS):
        raise ItemError("sidecar", f"{sidecar.name}: language must be en/zh and kind official/press_release/news")
    return {k: data[k] for k in SIDECAR_FIELDS if data.get(k) is not None}


def _kind(meta: dict[str, Any], settings: FilesSource, url: str) -> str:
    """The sidecar's kind, else the source's when the config sets one, else what the page's URL says (an
    HKEXnews PDF is an official filing), else news."""
    if meta.get("kind"):
        return str(meta["kind"])
    if "kind" in settings.model_fields_set:
        return settings.kind
    return kind_from_url(url) or settings.kind


def item_for(path: Path, root: Path, settings: FilesSource, max_bytes: int,
             known: Callable[[str], bool] = lambda url: False) -> DiscoveredItem:
    """Read one file (size-capped) into a DiscoveredItem carrying its body; known URLs are not read."""
    meta = read_sidecar(path, root)
    url = meta.get("url") or path.absolute().as_uri()
    if known(url):
        return DiscoveredItem(url=url, source=settings.name, title=meta.get("title"))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise ItemError("read", f"{path.name} is not a regular file")
        if info.st_size > max_bytes:
            raise ItemError("too_large", f"{path.name} is larger than max_body_bytes {max_bytes}")
        body = path.read_bytes()
    except OSError as exc:
        raise ItemError("read", f"cannot read {path.name}: {exc.strerror or exc}") from exc
    published = as_utc(_published(meta["published"])) if "published" in meta else None
    return DiscoveredItem(
        url=url, source=settings.name, title=meta.get("title"),
        published=published, summary=meta.get("summary"),
        language=meta.get("language") or settings.language, kind=cast(SourceKind, _kind(meta, settings, url)),
        inline_body=body, inline_content_type=CONTENT_TYPES[path.suffix.lower()])


def walk(root: Path) -> list[Path]:
    """Candidate files under root in a stable order (symlinked folders are not entered)."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        found.extend(Path(folder) / n for n in sorted(names) if Path(n).suffix.lower() in CONTENT_TYPES)
    return found


async def discover(settings: FilesSource, ctx: SourceContext) -> AsyncIterator[Discovered]:
    root_given = Path(settings.path).expanduser()
    if not root_given.is_dir():
        raise SourceError(f"folder {settings.path} does not exist or is not a folder")
    root = root_given.resolve()
    for path in walk(root_given):
        if not _inside(path.resolve(), root):
            yield Failed(url=path.absolute().as_uri(), source=settings.name,
                         kind="security", reason=f"{path.name} resolves outside the source folder; not read")
            continue
        try:
            yield item_for(path, root, settings, ctx.fetch.max_body_bytes, ctx.is_known)
        except ItemError as exc:
            yield Failed(url=path.absolute().as_uri(), source=settings.name, kind=exc.kind, reason=exc.reason)
