"""Fixtures shared by the whole suite: settings on a temporary SQLite file, a storage, the real CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from suitekit import make_settings

from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.store import Storage
from pharmadeals.pipeline.run import open_storage


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def storage(settings: Settings) -> Storage:
    return open_storage(settings)


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real `pharmadeals` CLI in a subprocess, in tmp_path (or cwd), without a terminal."""

    def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {k: v for k, v in os.environ.items() if k != "PHARMADEALS_CONFIG"}
        full_env.update(env or {})
        return subprocess.run([sys.executable, "-m", "pharmadeals.pipeline.cli", *args], cwd=cwd or tmp_path, input=stdin,
                              capture_output=True, text=True, env=full_env, timeout=timeout)

    return run

