"""The migration lock: processes that migrate one empty database at the same moment serialise, so every
one of them ends at head and the schema is created once (no duplicate-type or table-exists crash)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from backends import BACKENDS, fresh_database
from sqlalchemy import text

from pharmadeals.models.base import make_engine
from pharmadeals.models.migrate import current_revision, head_revision, lock_schema

PROCESSES = 6
MIGRATE = ("import sys; from pharmadeals.models.base import make_engine; "
           "from pharmadeals.models.migrate import upgrade; print(upgrade(make_engine(sys.argv[1])))")


@pytest.mark.parametrize("backend", BACKENDS)
def test_simultaneous_upgrades_of_an_empty_database_all_succeed(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        procs = [subprocess.Popen([sys.executable, "-c", MIGRATE, url], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(PROCESSES)]
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            assert out.strip() in ("head", head_revision()), out
        engine = make_engine(url)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar() == 1
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_lock_is_exclusive_until_the_transaction_ends(backend: str, tmp_path: Path) -> None:
    """A second migrator cannot take the lock while the first holds it, and can once it committed."""
    with fresh_database(backend, tmp_path) as url:
        first, second = make_engine(url, busy_timeout=0.2), make_engine(url, busy_timeout=0.2)
        probe = ("SELECT pg_try_advisory_xact_lock(:key)" if backend == "postgresql" else None)
        with first.begin() as holder:
            lock_schema(holder)
            with second.connect() as other:
                if probe is not None:
                    from pharmadeals.models.migrate import MIGRATION_LOCK_KEY

                    assert other.execute(text(probe), {"key": MIGRATION_LOCK_KEY}).scalar() is False
                    other.rollback()
                else:
                    with pytest.raises(Exception, match="locked"):
                        other.exec_driver_sql("BEGIN IMMEDIATE")
                    other.rollback()
        with second.begin() as other:
            lock_schema(other)  # free again once the holder committed
        first.dispose()
        second.dispose()
