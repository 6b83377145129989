"""What every page needs: settings, storage, the write rule, and the templates with their filters."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from pharmadeals.models.records import AMOUNT_ROLES
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.review import MARK_CLOSE, MARK_OPEN

TEMPLATES = Path(__file__).parent / "templates"


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


def make_templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    env.filters["marked"], env.filters["money"] = marked, money
    env.globals["AMOUNT_ROLES"] = AMOUNT_ROLES
    return Jinja2Templates(env=env)
