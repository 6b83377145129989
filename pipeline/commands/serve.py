"""`pharmadeals serve`: the review queue, deal pages, trends and SQL explorer in the browser."""
from __future__ import annotations

import socket
from typing import Annotated

import typer

from pharmadeals.models.errors import ConfigError
from pharmadeals.pipeline.commands.common import ConfigOption, err_console, settings_for


def serve(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default: serve.host, 127.0.0.1).",
                                             show_default=False)] = None,
    port: Annotated[int | None, typer.Option("--port", min=1, max=65535, help="Port (default: serve.port, 8000).",
                                             show_default=False)] = None,
    token: Annotated[str | None, typer.Option("--token", envvar="PHARMADEALS_SERVE_TOKEN", show_default=False,
                                              help="Token for writing when bound beyond 127.0.0.1 "
                                                   "(default: serve.token or $PHARMADEALS_SERVE_TOKEN).")] = None,
) -> None:
    """Review and explore deals in the browser: queue, deal pages with evidence, trends, SQL (Datasette).

    Example: pharmadeals serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    try:
        import uvicorn

        from pharmadeals.pipeline.web.app import create_app
    except ModuleNotFoundError as exc:
        raise ConfigError(f"serve needs {exc.name}, which is not installed",
                          "pip install 'pharmadeals[web]' (make install does)") from exc
    from pharmadeals.pipeline.web.settings import LOCAL_HOSTS

    settings = settings_for(config, writes=True)
    host = host or settings.serve.host
    port = port or settings.serve.port
    token = token or settings.serve.token or None
    if host not in LOCAL_HOSTS and not token:
        err_console.print(f"warning: listening on {host} without a token: the app is read-only there; "
                          "set serve.token or PHARMADEALS_SERVE_TOKEN to allow reviewing", highlight=False)
    listening = _listen(host, port)  # before the app opens the database, so a taken port fails at once
    app = create_app(settings, host=host, token=token)
    err_console.print(f"serving {settings.database.url} on http://{host}:{port}/ (Ctrl-C stops)", highlight=False)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """Bind the address ourselves: a port in use or a foreign address is a one-line usage error (exit 2)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                          "pick another --port, or a --host of this machine") from exc
    sock.listen(128)
    return sock


def register(app: typer.Typer) -> None:
    app.command()(serve)
