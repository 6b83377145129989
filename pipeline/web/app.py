"""The ASGI app `serve` runs: Starlette routes over one storage, Datasette beside them, CSRF and sessions.

Every POST passes asgi-csrf (a signed double-submit cookie); the write actions are always protected, even
from a browser that holds no cookie yet. Writes need the token when the app listens beyond this machine.
"""
from __future__ import annotations

import secrets

from asgi_csrf import asgi_csrf
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from pharmadeals.models.base import make_engine
from pharmadeals.models.errors import PharmadealsError
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.run import open_storage
from pharmadeals.pipeline.web.context import WebContext, make_templates
from pharmadeals.pipeline.web.explore_routes import explore_routes
from pharmadeals.pipeline.web.explorer import DATASETTE_PREFIX, datasette_app
from pharmadeals.pipeline.web.review_routes import review_routes
from pharmadeals.pipeline.web.settings import LOCAL_HOSTS

WRITE_PATHS = frozenset({"/actions/decide", "/actions/companies", "/login"})


def _error_handler(context: WebContext):  # type: ignore[no-untyped-def]
    async def handle(request: Request, exc: Exception) -> HTMLResponse:
        assert isinstance(exc, PharmadealsError)
        return context.render(request, "error.html", status_code=400, message=exc.one_line())
    return handle


def create_app(settings: Settings, host: str | None = None, token: str | None = None,
               secret: str | None = None) -> ASGIApp:
    """The whole web app over the configured database; `secret` signs sessions and CSRF cookies."""
    host = host or settings.serve.host
    storage = open_storage(settings)  # migrates first, like every writing command
    read_engine = make_engine(settings.database.url, settings.database.busy_timeout_seconds, read_only=True)
    explorer = datasette_app(settings.database.url)
    context = WebContext(settings, storage, read_engine, token or settings.serve.token or None,
                         host in LOCAL_HOSTS, make_templates(), explorer is not None)
    secret = secret or secrets.token_hex(32)
    allowed = ["127.0.0.1", "localhost", "[::1]", "::1"] if context.local else ["*"]
    app = Starlette(routes=[*review_routes(context), *explore_routes(context)],
                    middleware=[Middleware(SessionMiddleware, secret_key=secret, same_site="strict",
                                           session_cookie="pharmadeals_session")],
                    exception_handlers={PharmadealsError: _error_handler(context)})
    app.state.context = context
    protected = asgi_csrf(app, signing_secret=secret, always_protect=WRITE_PATHS)
    return TrustedHostMiddleware(_with_datasette(protected, explorer), allowed_hosts=allowed)


def _with_datasette(app: ASGIApp, explorer: ASGIApp | None) -> ASGIApp:
    """Send /datasette/... to Datasette (which has its own CSRF protection) and the rest to the app."""
    if explorer is None:
        return app

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["path"] + "/").startswith(DATASETTE_PREFIX):
            await explorer(scope, receive, send)
        else:
            await app(scope, receive, send)
    return dispatch
