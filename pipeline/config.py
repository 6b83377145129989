"""The one typed settings object, composed of the sections that live beside the code reading them.

No other module reads config.yaml or os.environ: values written as ``${NAME}`` are taken from
the environment here, so secrets (API keys, EDGAR contact) need not live in the file.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union

import yaml
from pydantic import Field, ValidationError

from pharmadeals.extractors.settings import ExtractSettings
from pharmadeals.models.errors import ConfigError
from pharmadeals.models.settings import DatabaseSettings, Strict
from pharmadeals.pipeline.heartbeat import RunsSettings
from pharmadeals.pipeline.logs import LoggingSettings
from pharmadeals.pipeline.normalize.dedup_settings import DedupSettings
from pharmadeals.pipeline.normalize.fx import FxSettings
from pharmadeals.pipeline.web.settings import ServeSettings
from pharmadeals.scrapers.settings import ArchiveSettings, FetchSettings, SourceBase
from pharmadeals.scrapers.sources.registry import SOURCE_SETTINGS
from pharmadeals.scrapers.sources.settings import FilesSource

DEFAULT_CONFIG = "config.yaml"
ENV_CONFIG = "PHARMADEALS_CONFIG"
# "sqlite:///data/pd.db": a SQLite file path of characters that URL quoting leaves alone.
_PLAIN_SQLITE_URL = re.compile(r"sqlite:///([A-Za-z0-9_./-]+|:memory:)")
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


SourceSettings = SourceBase  # for annotations: the parsed source is one of the registered adapters' classes
# Each source type's settings class is in scrapers/sources/settings.py; the registry lists them; this union follows.
if TYPE_CHECKING:  # a union built at runtime is no type to mypy; it sees the common base class
    _AnySource = SourceBase
else:
    _AnySource = Annotated[Union[tuple(SOURCE_SETTINGS.values())], Field(discriminator="type")]  # noqa: UP007


class Settings(Strict):
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)
    fx: FxSettings = Field(default_factory=FxSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    runs: RunsSettings = Field(default_factory=RunsSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    sources: list[_AnySource] = Field(default_factory=list)
    source_file: str | None = None  # where these settings came from, for messages

    def source(self, name: str) -> SourceSettings:
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"no source named {name!r} in {self.source_file}", f"known sources: {known}")


def _expand_env(value: Any, where: str) -> Any:
    """Replace ${NAME} / ${NAME:-default} in strings with environment values."""
    if isinstance(value, dict):
        return {k: _expand_env(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        raise ConfigError(f"{where} refers to environment variable {name}, which is not set",
                          f"export {name}=... or give a default as ${{{name}:-value}}")

    return _ENV_REF.sub(substitute, value)


def _describe(error: ValidationError, path: str) -> str:
    first = error.errors()[0]
    loc = ".".join(str(p) for p in first["loc"] if not (isinstance(p, str) and p in _SOURCE_TAGS))
    return f"{path}: {loc or '(top level)'}: {first['msg']}"


_SOURCE_TAGS = frozenset(SOURCE_SETTINGS)


def resolve_config_path(explicit: str | None) -> Path:
    """--config wins, then $PHARMADEALS_CONFIG, then ./config.yaml."""
    return Path(explicit or os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG)


def load_settings(explicit: str | None = None) -> Settings:
    """Read and validate the config file; any problem is a ConfigError naming the file and key.

    Without --config or $PHARMADEALS_CONFIG and with no ./config.yaml, built-in defaults apply (so
    `pharmadeals extract` works from any folder); a file that was named but is missing is an error.
    """
    path = resolve_config_path(explicit)
    if not path.is_file() and explicit is None and ENV_CONFIG not in os.environ and str(path) == DEFAULT_CONFIG:
        return Settings(source_file="(built-in defaults; no config.yaml here)")
    if not path.is_file():
        raise ConfigError(f"config file {path} not found",
                          "pass --config PATH, set PHARMADEALS_CONFIG, or run from the project folder")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid YAML: {str(exc).splitlines()[0]}", "fix the syntax") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} must hold a mapping of sections", "see config.yaml in the project")
    return anchored(settings_from_mapping(raw, str(path)), path.resolve().parent)


def _anchored_path(value: str, base: Path) -> str:
    return value if Path(value).is_absolute() else str(base / value)


def _anchored_url(url: str, base: Path) -> str:
    """A SQLite URL with a relative file path, made absolute against base; other URLs unchanged."""
    plain = _PLAIN_SQLITE_URL.fullmatch(url)
    if plain:  # nothing SQLAlchemy would quote or unquote: the same answer without importing it (0.15 s)
        anchored_url = "sqlite:///" + _anchored_path(plain.group(1), base)
        if plain.group(1) == ":memory:" or _PLAIN_SQLITE_URL.fullmatch(anchored_url):
            return url if plain.group(1) == ":memory:" else anchored_url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # reported with advice when the engine is made
    db = parsed.database
    if parsed.get_backend_name() != "sqlite" or not db or db == ":memory:" or db.startswith("file:"):
        return url
    return parsed.set(database=_anchored_path(db, base)).render_as_string(hide_password=False)


def anchored(settings: Settings, base: Path) -> Settings:
    """Relative paths in a config file (SQLite file, archive folder, files sources, the log file of a server
    database) mean the config file's folder, so cron and a shell in another folder use the same files."""
    url = _anchored_url(settings.database.url, base)
    log_file = settings.logging.file
    if log_file and not url.startswith("sqlite") and not Path(log_file).is_absolute():
        log_file = str(base / "data" / log_file)  # beside a SQLite file it follows the (anchored) database
    sources = [s.model_copy(update={"path": _anchored_path(s.path, base)}) if isinstance(s, FilesSource) else s
               for s in settings.sources]
    return settings.model_copy(update={
        "database": settings.database.model_copy(update={"url": url}),
        "logging": settings.logging.model_copy(update={"file": log_file}),
        "archive": settings.archive.model_copy(update={"directory": _anchored_path(settings.archive.directory, base)}),
        "sources": sources})


def settings_from_mapping(raw: dict[str, Any], origin: str = "<mapping>") -> Settings:
    raw = _expand_env(raw, "")
    names = [s.get("name") for s in raw.get("sources") or [] if isinstance(s, dict)]
    dupes = sorted({n for n in names if n is not None and names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{origin}: sources: duplicate source name(s) {', '.join(dupes)}",
                          "give every source a unique name")
    try:
        return Settings(**raw, source_file=origin)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, origin), "fix that key (see README 'Configuration')") from exc
