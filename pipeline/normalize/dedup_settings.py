"""The `dedup` section of the settings, apart from dedup.py so loading settings does not import SQLAlchemy."""
from __future__ import annotations

from pydantic import Field

from pharmadeals.models.settings import Strict


class DedupSettings(Strict):
    window_days: int = Field(365, ge=1)
    fuzzy_company_threshold: float = Field(90.0, ge=0, le=100)
