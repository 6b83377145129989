"""Content-Encoding (gzip, deflate) decoding under a byte budget, so a gzip bomb never inflates in memory."""
from __future__ import annotations

import zlib

from pharmadeals.models.errors import ItemError


class BudgetDecoder:
    """Content-Encoding decoder that stops at a byte budget, so a gzip bomb never inflates in memory."""

    def __init__(self, encoding: str | None) -> None:
        enc = (encoding or "identity").lower().strip()
        if enc in ("gzip", "x-gzip"):
            self._z: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
        elif enc in ("identity", ""):
            self._z = None
        else:
            raise ItemError("encoding", f"unsupported Content-Encoding {enc!r}")
        self._deflate = enc == "deflate"

    def feed(self, data: bytes, budget: int) -> bytes:
        """Decoded bytes of `data`, at most budget + 1 of them (one more than allowed shows the overflow)."""
        if self._z is None:
            return data
        try:
            out = self._z.decompress(data, budget + 1)
        except zlib.error:
            if not self._deflate:
                raise
            self._z, self._deflate = zlib.decompressobj(-zlib.MAX_WBITS), False  # raw deflate
            out = self._z.decompress(data, budget + 1)
        while self._z.unconsumed_tail and len(out) <= budget:
            out += self._z.decompress(self._z.unconsumed_tail, budget + 1 - len(out))
        return out
