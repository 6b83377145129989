"""The build cache returns what was built, never a stale build, and never fails a run it cannot serve."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pharmadeals.extractors.build_cache import CACHE_ENV, cached_build


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"built": self.calls}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    return path


def test_second_process_reads_what_the_first_built(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    build = Counter()
    assert cached_build("thing", [data], build) == {"built": 1}
    assert cached_build("thing", [data], build) == {"built": 1}
    assert build.calls == 1


def test_a_changed_input_is_built_again_and_the_old_entry_goes(tmp_path: Path, data: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    build = Counter()
    cached_build("thing", [data], build)
    data.write_text("a: 2\n", encoding="utf-8")
    assert cached_build("thing", [data], build) == {"built": 2}
    assert len(list((tmp_path / "cache").glob("thing-*.pickle"))) == 1


def test_a_damaged_entry_is_rebuilt(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    build = Counter()
    cached_build("thing", [data], build)
    for entry in (tmp_path / "cache").glob("thing-*.pickle"):
        entry.write_bytes(b"\x80\x05truncated")
    assert cached_build("thing", [data], build) == {"built": 2}


def test_an_unwritable_folder_or_off_only_costs_the_build(tmp_path: Path, data: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    build = Counter()
    assert cached_build("thing", [data], build) == {"built": 1}
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cached_build("thing", [data], build) == {"built": 2}
    assert cached_build("thing", [data], build) == {"built": 3}


def test_cached_company_index_is_the_built_one(tmp_path: Path) -> None:
    """Two fresh processes, one building the registry's index and one reading it: the same aliases, companies
    and patterns."""
    code = ("from pharmadeals.extractors.companies import company_index; i = company_index(); "
            "print(len(i.alias_ids), hash(tuple(sorted(i.alias_ids.items()))), len(i.companies), "
            "hash(i.ascii_re.pattern), hash(i.cjk_re.pattern if i.cjk_re else None))")
    env = {"PATH": "/usr/bin:/bin", CACHE_ENV: str(tmp_path / "cache"), "PYTHONHASHSEED": "0"}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert list((tmp_path / "cache").glob("company-index-*.pickle"))
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout and int(first.stdout.split()[0]) > 1000
