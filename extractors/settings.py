"""The settings section the extractor reads."""
from __future__ import annotations

from pydantic import Field

from pharmadeals.models.settings import Strict


class ExtractSettings(Strict):
    min_confidence: float = Field(0.3, ge=0, le=1)
    max_amount_usd: float = Field(1e11, gt=0)  # above this a figure is treated as a typo and dropped
    # Processes that extract during ingest and reextract; None is one per core, 1 keeps one process.
    workers: int | None = Field(None, ge=1, le=64)
