"""Objects that take a noticeable part of a cold start to build (the registry's compiled index), kept on disk
between processes and rebuilt whenever a file they are built from changes.

The key is a hash of the content of every input file (the data and the code that builds it) and of the Python
version, so a stale entry is never read. A cache that cannot be read or written is skipped: the object is
built as if there were none. The folder is $PHARMADEALS_CACHE_DIR, else $XDG_CACHE_HOME/pharmadeals, else
~/.cache/pharmadeals; PHARMADEALS_CACHE_DIR=off turns the cache off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
CACHE_ENV = "PHARMADEALS_CACHE_DIR"


def cache_folder() -> Path | None:
    """Where cached builds live, or None when the cache is turned off."""
    given = os.environ.get(CACHE_ENV)
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "no") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pharmadeals"


def inputs_key(name: str, inputs: Iterable[Path]) -> str:
    digest = hashlib.sha256(f"{name}\0{sys.version}\0".encode())
    for path in inputs:
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def cached_build(name: str, inputs: Iterable[Path], build: Callable[[], T]) -> T:
    """`build()`, or its result from an earlier process when none of `inputs` has changed since."""
    folder = cache_folder()
    if folder is None:
        return build()
    try:
        path = folder / f"{name}-{inputs_key(name, inputs)}.pickle"
    except OSError:
        return build()  # an input that cannot be read: the build reports it in its own words
    try:
        with path.open("rb") as cached:
            return pickle.load(cached)  # type: ignore[no-any-return]  # written below by this same code
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{name}-*.pickle"):
            stale.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=f".{name}-", delete=False) as out:
            try:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                Path(out.name).unlink(missing_ok=True)
                raise
        os.replace(out.name, path)  # readers see the whole file or none
    except (OSError, pickle.PicklingError):
        pass  # a read-only home or a full disk costs only the time to build
    return value
