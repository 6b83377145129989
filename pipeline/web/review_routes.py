"""Review pages: the queue, one deal with its evidence and history, and the reviewer's write actions.

Accept, reject and correct go through `correct_deal`, the code behind `pharmadeals correct`, so a
decision made in the browser is validated, stored and re-applied exactly like one made in the terminal.
"""
from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from pharmadeals.models.errors import InputError
from pharmadeals.models.tables import Company, Deal
from pharmadeals.pipeline.normalize.overrides import FIELDS, correct_deal
from pharmadeals.pipeline.review import review_deal
from pharmadeals.pipeline.web.context import WebContext
from pharmadeals.pipeline.web.queue import QueueFilters, filter_choices, review_queue

DECISIONS = ("accept", "reject", "correct")
EDITABLE = tuple(f for f in FIELDS if f != "status")


def _int(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{name}={value!r} is not a number", f"give {name} as a whole number") from None


def queue_filters(params: Any) -> QueueFilters:
    return QueueFilters(run=_int(params.get("run"), "run"), source=params.get("source") or None,
                        language=params.get("language") or None, conflict=params.get("conflict") == "1",
                        company_review=params.get("company_review") == "1", reviewed=params.get("reviewed") == "1")


def review_routes(context: WebContext) -> list[Route]:
    async def queue(request: Request) -> Response:
        filters = queue_filters(request.query_params)
        with context.storage.sessions() as session:
            deals = review_queue(session, filters)
            choices = filter_choices(session)
        return context.render(request, "queue.html", deals=deals, filters=filters, choices=choices)

    async def deal_page(request: Request) -> Response:
        return _deal_response(request, int(request.path_params["deal_id"]))

    def _deal_response(request: Request, deal_id: int, error: str | None = None, status: int = 200) -> Response:
        with context.storage.sessions() as session:
            deal = review_deal(session, deal_id)
            flagged = [(c.id, c.name) for c in session.scalars(
                select(Company).where(Company.needs_review.is_(True), Company.merged_into.is_(None))
                .order_by(Company.name))]
        return context.render(request, "deal.html", status_code=status, deal=deal, error=error,
                              editable=EDITABLE, flagged=flagged, done=request.query_params.get("done"))

    def _refuse(request: Request) -> Response | None:
        if context.may_write(request):
            return None
        hint = "log in with the token (serve.token or PHARMADEALS_SERVE_TOKEN)" if context.token else \
            "this server was started without a token, so it is read-only beyond 127.0.0.1"
        return context.render(request, "error.html", status_code=403, message=f"error: writing needs the token; {hint}")

    async def decide(request: Request) -> Response:
        form = await request.form()
        deal_id = _int(str(form.get("deal_id", "")), "deal_id")
        if deal_id is None:
            raise InputError("no deal_id in the form", "use the buttons on a deal page")
        refused = _refuse(request)
        if refused is not None:
            return refused
        action, reviewer = str(form.get("action", "")), str(form.get("reviewer", "")).strip()
        reason = str(form.get("reason", "")).strip()
        if action not in DECISIONS:
            raise InputError(f"unknown action {action!r}", f"use one of {', '.join(DECISIONS)}")
        assignments = {"accept": ["status=active"], "reject": [],
                       "correct": [f"{form.get('field', '')}={form.get('value', '')}"]}[action]
        try:
            with context.storage.sessions.begin() as session:
                done = correct_deal(session, context.settings, deal_id, assignments, action == "reject", reviewer,
                                    reason, new_company=form.get("new_company") == "1")
        except InputError as exc:
            return _deal_response(request, deal_id, exc.one_line(), status=400)
        request.session["reviewer"] = reviewer
        summary = "; ".join(f"{c.field} {c.before} -> {c.after}" + ("" if c.changed else " (already so)")
                            for c in done)
        return RedirectResponse(f"/deals/{deal_id}?{urlencode({'done': summary})}", status_code=303)

    async def companies(request: Request) -> Response:
        from pharmadeals.pipeline.normalize.identity_fixes import merge_companies, pin_alias

        form = await request.form()
        deal_id = _int(str(form.get("deal_id", "")), "deal_id")
        refused = _refuse(request)
        if refused is not None:
            return refused
        action = str(form.get("action", ""))
        first, second = str(form.get("first", "")).strip(), str(form.get("second", "")).strip()
        try:
            if not first or not second:
                raise InputError("both companies are needed", "fill in both fields")
            with context.storage.sessions.begin() as session:
                if action == "merge":
                    old, new, moved = merge_companies(session, first, second, context.settings)
                    summary = f"merged {old.name!r} into {new.name!r}; {moved} deal(s) re-pointed"
                elif action == "alias":
                    target = pin_alias(session, first, second, context.settings)
                    summary = f"{first!r} now resolves to {target.name!r}"
                else:
                    raise InputError(f"unknown action {action!r}", "use merge or alias")
        except InputError as exc:
            if deal_id is None:
                raise
            return _deal_response(request, deal_id, exc.one_line(), status=400)
        where = f"/deals/{deal_id}" if deal_id is not None else "/"
        with context.storage.sessions() as session:  # a merge may fold this deal into another
            if deal_id is not None and session.get(Deal, deal_id) is None:
                where = "/"
        return RedirectResponse(f"{where}?{urlencode({'done': summary})}", status_code=303)

    async def login(request: Request) -> Response:
        if request.method == "POST":
            form = await request.form()
            given = str(form.get("token", ""))
            if context.token and secrets_equal(given, context.token):
                request.session["token_ok"] = True
                return RedirectResponse("/", status_code=303)
            return context.render(request, "login.html", status_code=403, error="error: wrong token; "
                                  "give the value of serve.token or PHARMADEALS_SERVE_TOKEN")
        return context.render(request, "login.html", error=None)

    return [Route("/", queue), Route("/deals/{deal_id:int}", deal_page),
            Route("/actions/decide", decide, methods=["POST"]),
            Route("/actions/companies", companies, methods=["POST"]),
            Route("/login", login, methods=["GET", "POST"])]


def secrets_equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
