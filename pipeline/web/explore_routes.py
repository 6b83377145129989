"""Exploration pages: the trends report and chart (as `report trends --plot`) and the SQL explorer."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pharmadeals.models.errors import InputError
from pharmadeals.models.readonly import run_query
from pharmadeals.pipeline.commands.report import make_scope
from pharmadeals.pipeline.reports import PERIODS, SCOPE_COUNTRIES, Report, trends
from pharmadeals.pipeline.web.context import WebContext
from pharmadeals.pipeline.web.explorer import cookbook, facet_counts

SCOPE_PARAMS = ("period", "direction", "scope", "since", "until", "company", "deal_type", "territory", "exclude",
                "disclosed_only", "newco")
MAX_ROWS = 500


def trends_report(context: WebContext, params: Any) -> Report:
    """The trends report for the form's options, with the same defaults and checks as the CLI."""
    period = params.get("period") or "half"
    if period not in PERIODS:
        raise InputError(f"period {period!r} is unknown", "use half, quarter or year")
    scope = make_scope(params.get("direction") or "out", params.getlist("deal_type") or None,
                       params.getlist("territory") or None, params.get("since") or None,
                       params.get("until") or None, params.get("company") or None, params.get("scope") or "all",
                       params.get("disclosed_only") == "1", params.get("exclude") or None,
                       params.get("newco", "1") == "1")
    return trends(context.read_engine, scope, period)


def explore_routes(context: WebContext) -> list[Route]:
    async def trends_page(request: Request) -> Response:
        report = await run_in_threadpool(trends_report, context, request.query_params)
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k in SCOPE_PARAMS])
        return context.render(request, "trends.html", report=report, chart=f"/trends.png?{query}",
                              params=request.query_params, periods=PERIODS, scopes=tuple(SCOPE_COUNTRIES))

    async def trends_chart(request: Request) -> Response:
        from pharmadeals.pipeline.plots import trends_png

        report = await run_in_threadpool(trends_report, context, request.query_params)
        return Response(await run_in_threadpool(trends_png, report), media_type="image/png")

    async def sql_page(request: Request) -> Response:
        canned = cookbook()
        slug, sql = request.query_params.get("q"), request.query_params.get("sql", "").strip()
        if slug:
            chosen = next((q for q in canned if q.slug == slug), None)
            if chosen is None:
                raise InputError(f"no canned query {slug!r}", "pick one from the list on /sql")
            sql = chosen.sql
        database = context.settings.database
        result = None
        if sql:
            columns, rows = await run_in_threadpool(run_query, database.url, sql, database.busy_timeout_seconds)
            result = {"columns": columns, "rows": rows[:MAX_ROWS], "total": len(rows)}
        facets = await run_in_threadpool(facet_counts, database.url, database.busy_timeout_seconds)
        return context.render(request, "sql.html", canned=canned, sql=sql, result=result, facets=facets,
                              max_rows=MAX_ROWS)

    return [Route("/trends", trends_page), Route("/trends.png", trends_chart), Route("/sql", sql_page)]
