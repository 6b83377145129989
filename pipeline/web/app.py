"""The ASGI app `serve` runs: Starlette routes over one storage, Datasette beside them, CSRF and sessions.

Every POST passes asgi-csrf (a signed double-submit cookie); the write actions are always protected, even
from a browser that holds no cookie yet. Writes need the token when the app listens beyond this machine.
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asgi_csrf import asgi_csrf
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from pharmadeals.models.base import make_engine
from pharmadeals.models.errors import PharmadealsError
from pharmadeals.models.records import AMOUNT_ROLES
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.review import MARK_CLOSE, MARK_OPEN
from pharmadeals.pipeline.run import open_storage
from pharmadeals.pipeline.web.explorer import DATASETTE_PREFIX, datasette_app
from pharmadeals.pipeline.web.settings import LOCAL_HOSTS

TEMPLATES = Path(__file__).parent / "templates"
WRITE_PATHS = frozenset({"/actions/decide", "/actions/companies", "/login"})


@dataclass
class WebContext:
    """What every route needs: the settings, the storage that writes, a read-only engine, the write rule."""

    settings: Settings
    storage: Any
    read_engine: Any
    token: str | None
    local: bool
    templates: Jinja2Templates
    has_datasette: bool

    def writes_need_token(self) -> bool:
        return not self.local

    def may_write(self, request: Request) -> bool:
        """On this machine anyone may; elsewhere only a session that gave the token (or a Bearer header)."""
        if self.local:
            return True
        if not self.token:
            return False
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        return bool(request.session.get("token_ok")) or hmac.compare_digest(bearer, self.token)

    def render(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        csrf = request.scope.get("csrftoken")
        context |= {"csrftoken": csrf() if callable(csrf) else "", "may_write": self.may_write(request),
                    "has_datasette": self.has_datasette, "reviewer": request.session.get("reviewer", "")}
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)


def marked(text: str) -> Markup:
    """Evidence with its [[value]] marks as <mark> elements; everything else escaped."""
    out, rest = Markup(""), text
    while MARK_OPEN in rest and MARK_CLOSE in rest.split(MARK_OPEN, 1)[1]:
        before, tail = rest.split(MARK_OPEN, 1)
        value, rest = tail.split(MARK_CLOSE, 1)
        out += escape(before) + Markup("<mark>{}</mark>").format(value)
    return out + escape(rest)


def money(amount: dict[str, Any] | None) -> str:
    """'200,000,000 CNY ($27.9M)': the stated figure with its currency and the USD value."""
    if not amount or amount.get("value") is None:
        return "—"
    text = f"{float(amount['value']):,.0f} {amount['currency']}"
    if amount.get("usd") is not None and amount["currency"] != "USD":
        text += f" (${amount['usd'] / 1e6:,.1f}M)"
    return text


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    env.filters["marked"], env.filters["money"] = marked, money
    env.globals["AMOUNT_ROLES"] = AMOUNT_ROLES
    return Jinja2Templates(env=env)


def _error_handler(context: WebContext):  # type: ignore[no-untyped-def]
    async def handle(request: Request, exc: Exception) -> HTMLResponse:
        assert isinstance(exc, PharmadealsError)
        return context.render(request, "error.html", status_code=400, message=exc.one_line())
    return handle


def create_app(settings: Settings, host: str | None = None, token: str | None = None,
               secret: str | None = None) -> ASGIApp:
    """The whole web app over the configured database; `secret` signs sessions and CSRF cookies."""
    from pharmadeals.pipeline.web.explore_routes import explore_routes
    from pharmadeals.pipeline.web.review_routes import review_routes

    host = host or settings.serve.host
    storage = open_storage(settings)  # migrates first, like every writing command
    read_engine = make_engine(settings.database.url, settings.database.busy_timeout_seconds, read_only=True)
    explorer = datasette_app(settings.database.url)
    context = WebContext(settings, storage, read_engine, token or settings.serve.token or None,
                         host in LOCAL_HOSTS, _templates(), explorer is not None)
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
