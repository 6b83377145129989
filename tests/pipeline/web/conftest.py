"""A real SQLite fixture database and the app over it, driven by Starlette's test client."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import webkit
from starlette.testclient import TestClient

from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.store import Storage
from pharmadeals.pipeline.web.app import create_app


@pytest.fixture
def built(storage: Storage) -> Storage:
    webkit.build(storage)
    return storage


@pytest.fixture
def client(built: Storage, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, secret="test-secret"), base_url="http://127.0.0.1") as test_client:
        yield test_client
