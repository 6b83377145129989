"""Settings: validation errors name the file and the key; env references; defaults."""
from __future__ import annotations

from pathlib import Path

import pytest

from pharmadeals.models.errors import EXIT_CONFIG, ConfigError
from pharmadeals.pipeline.config import load_settings, settings_from_mapping


@pytest.mark.parametrize("raw, key", [
    ({"databse": {"url": "sqlite://"}}, "databse"),
    ({"database": {"url": "sqlite://", "pool": 3}}, "database.pool"),
    ({"fetch": {"concurrency": "many"}}, "fetch.concurrency"),
    ({"fetch": {"timeout": -1}}, "fetch.timeout"),
    ({"sources": [{"name": "x", "type": "feed"}]}, "sources.0.url"),
    ({"sources": [{"name": "x", "type": "carrier-pigeon", "url": "u"}]}, "sources.0"),
    ({"sources": [{"name": "x", "type": "files", "path": "p", "colour": "red"}]}, "sources.0.colour"),
    ({"logging": {"level": "LOUD"}}, "logging.level"),
])
def test_bad_values_name_the_key_and_file(raw: dict, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_mapping(raw, "my.yaml")
    assert info.value.exit_code == EXIT_CONFIG
    assert "my.yaml" in info.value.what and key in info.value.what


def test_duplicate_source_names_are_refused() -> None:
    raw = {"sources": [{"name": "a", "type": "files", "path": "x"}, {"name": "a", "type": "files", "path": "y"}]}
    with pytest.raises(ConfigError, match="duplicate source name"):
        settings_from_mapping(raw, "c.yaml")


def test_env_references_expand_and_missing_ones_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PD_TEST_UA", "ua-from-env")
    s = settings_from_mapping({"fetch": {"user_agent": "${PD_TEST_UA}"}})
    assert s.fetch.user_agent == "ua-from-env"
    assert settings_from_mapping({"fetch": {"user_agent": "${PD_NOPE:-fallback}"}}).fetch.user_agent == "fallback"
    with pytest.raises(ConfigError, match="PD_NOPE"):
        settings_from_mapping({"fetch": {"user_agent": "${PD_NOPE}"}})


def test_missing_named_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(str(tmp_path / "absent.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("database: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(str(bad))


def test_shipped_config_is_valid_and_has_real_sources() -> None:
    root = Path(__file__).resolve().parents[2]
    settings = load_settings(str(root / "config.yaml"))
    types = {s.type for s in settings.sources if s.enabled}
    assert {"hkex", "cninfo", "sec_edgar", "feed"} <= types
    assert len([s for s in settings.sources if s.enabled]) >= 10


def test_every_key_in_shipped_config_is_a_settings_field() -> None:
    """Docs-as-tests: config.yaml cannot carry a key the model does not know (extra=forbid)."""
    root = Path(__file__).resolve().parents[2]
    settings = load_settings(str(root / "config.yaml"))
    assert settings.database.url.startswith("sqlite:///")


@pytest.mark.parametrize("url", ["sqlite:///data/pharmadeals.db", "sqlite:////tmp/x/pd.db", "sqlite:///:memory:",
                                 "sqlite:///a b/pd.db", "sqlite:///数据/pd.db", "sqlite:///a%20b.db", "sqlite:///a@b.db",
                                 "sqlite:///x.db?mode=ro", "sqlite:///file:x.db", "sqlite://", "sqlite:///..//x.db",
                                 "postgresql+psycopg://user@host/db"])
@pytest.mark.parametrize("base", [Path("/srv/pd"), Path("/srv/p d/数据"), Path("/srv/a@b")])
def test_plain_sqlite_urls_are_anchored_as_sqlalchemy_anchors_them(url: str, base: Path) -> None:
    """The path that skips importing SQLAlchemy gives what make_url and render_as_string give."""
    from sqlalchemy.engine import make_url

    from pharmadeals.pipeline.config import _anchored_path, _anchored_url

    parsed = make_url(url)
    db = parsed.database
    plain = parsed.get_backend_name() != "sqlite" or not db or db == ":memory:" or db.startswith("file:")
    expected = url if plain else parsed.set(database=_anchored_path(db, base)).render_as_string(hide_password=False)
    assert _anchored_url(url, base) == expected
