"""Helpers shared by the whole suite (imported by name, so no test depends on which conftest loaded first)."""
from __future__ import annotations

from pathlib import Path

from pharmadeals.pipeline.config import Settings, settings_from_mapping

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpora" / "corpus"


def make_settings(tmp_path: Path, **sections: object) -> Settings:
    raw: dict[str, object] = {"database": {"url": f"sqlite:///{tmp_path / 'pd.db'}"},
                              "archive": {"enabled": False}, "logging": {"file": None}}
    raw.update(sections)
    return settings_from_mapping(raw, str(tmp_path / "config.yaml"))


def write_config(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
