"""Fixtures for scraper tests: a live local HTTP site per test."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sitekit import Site, start


@pytest.fixture
def site() -> Iterator[Site]:
    served = start(Site())
    yield served
    assert served.server is not None
    served.server.shutdown()
    served.server.server_close()
