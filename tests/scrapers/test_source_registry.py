"""Every source type in the settings model has an adapter with the same interface, and a test of its own."""
from __future__ import annotations

import inspect
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from pharmadeals.models.errors import ConfigError
from pharmadeals.pipeline.config import Settings
from pharmadeals.scrapers.sources.registry import SOURCE_SETTINGS, adapter_for

HERE = Path(__file__).parent


def config_types() -> set[str]:
    """The source types the settings model accepts: list[Annotated[Union[...], discriminator]]."""
    annotated = typing.get_args(Settings.model_fields["sources"].annotation)[0]
    union = typing.get_args(annotated)[0]
    return {typing.get_args(cls.model_fields["type"].annotation)[0] for cls in typing.get_args(union)}


def test_registry_covers_every_configurable_type() -> None:
    assert set(SOURCE_SETTINGS) == config_types()


@pytest.mark.parametrize("source_type", sorted(SOURCE_SETTINGS))
def test_each_type_parses_into_its_adapters_settings_class(source_type: str) -> None:
    """The type literal is written once, in the adapter's settings class; the config parses into that class."""
    settings_class = adapter_for(source_type).SETTINGS
    assert settings_class is SOURCE_SETTINGS[source_type]
    required = {name: "x" for name, field in settings_class.model_fields.items()
                if field.is_required() and name not in ("type", "name")}
    parsed = Settings(sources=[{"name": "one", "type": source_type, **required}]).sources[0]
    assert type(parsed) is settings_class


@pytest.mark.parametrize("source_type", sorted(SOURCE_SETTINGS))
def test_adapter_interface_and_tests(source_type: str) -> None:
    module = adapter_for(source_type)
    assert inspect.isasyncgenfunction(module.discover)
    assert list(inspect.signature(module.discover).parameters) == ["settings", "ctx"]
    assert (module.__doc__ or "").strip(), f"{module.__name__} needs a one-line docstring"
    assert (HERE / f"test_{module.__name__.rsplit('.', 1)[1]}.py").is_file()


def test_reading_the_config_loads_no_adapter() -> None:
    """`extract` and `report` read config.yaml; that must not import the HTTP, HTML, feed or archive libraries
    (about 0.15 s of every cold start), only the adapter of a source that runs does."""
    code = ("import sys; from pharmadeals.pipeline.config import load_settings; "
            "heavy = ('httpx', 'bs4', 'feedparser', 'warcio', 'pharmadeals.scrapers.sources.files', "
            "'pharmadeals.scrapers.sources.hkex'); print([m for m in heavy if m in sys.modules])")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
    assert adapter_for("feed").__name__ == "pharmadeals.scrapers.sources.feed"


def test_unknown_type_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        adapter_for("carrier_pigeon")
