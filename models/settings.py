"""The ground floor of the typed configuration: the strict base every settings section uses, and the
database section read by this package. Each other section lives beside the code that reads it;
pipeline/config.py only composes them."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never silently fall back to a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(Strict):
    url: str = "sqlite:///data/pharmadeals.db"
    busy_timeout_seconds: float = 30.0
