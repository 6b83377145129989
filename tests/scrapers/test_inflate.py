"""BudgetDecoder: gzip/deflate/raw deflate decoded, never more than budget + 1 bytes produced."""
from __future__ import annotations

import gzip
import zlib

import pytest

from pharmadeals.models.errors import ItemError
from pharmadeals.scrapers.inflate import BudgetDecoder

DATA = b"licence agreement " * 1000


@pytest.mark.parametrize("encoding, encoded", [
    ("gzip", gzip.compress(DATA)),
    ("x-gzip", gzip.compress(DATA)),
    ("deflate", zlib.compress(DATA)),
    ("deflate", zlib.compress(DATA)[2:-4]),
    ("identity", DATA),
    (None, DATA),
])
def test_decodes(encoding: str | None, encoded: bytes) -> None:
    assert BudgetDecoder(encoding).feed(encoded, 10 * len(DATA)) == DATA


def test_budget_caps_output_of_a_bomb() -> None:
    bomb = gzip.compress(b"\0" * 10_000_000)
    out = BudgetDecoder("gzip").feed(bomb, 1000)
    assert len(out) == 1001


def test_unknown_encoding() -> None:
    with pytest.raises(ItemError) as err:
        BudgetDecoder("br")
    assert err.value.kind == "encoding"
