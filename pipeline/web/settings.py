"""The `serve` section of the config: who may write when the app listens beyond this machine."""
from __future__ import annotations

from pharmadeals.models.settings import Strict

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class ServeSettings(Strict):
    host: str = "127.0.0.1"
    port: int = 8000
    # Needed for accept/reject/correct/merge when bound to anything but this machine; write it as
    # ${PHARMADEALS_SERVE_TOKEN} so the secret stays in the environment.
    token: str | None = None
