"""What a run extracted and what it got wrong, and everything known about one deal, for human review.

Values an article gave are marked in its evidence as [[value]] (the CLI turns the marks into highlighting),
so a reviewer sees at a glance whether the figure came from the sentence shown.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from pharmadeals.models.errors import InputError
from pharmadeals.models.tables import (
    Article,
    Company,
    Deal,
    DealAmount,
    DealAmountHistory,
    DealChange,
    DealEvent,
    DealMention,
    DealParty,
    IngestEntry,
    MentionAmount,
    Override,
    Run,
)

SOURCE_FIELDS = ("discovered", "fetched", "duplicates", "deals", "no_deal", "errors")
MARK_OPEN, MARK_CLOSE = "[[", "]]"


def mark(text: str, spans: Iterable[str]) -> str:
    """Wrap every occurrence of each span in [[ ]] (longest first, so no span is marked twice)."""
    wanted = sorted({s for s in spans if s and s in text}, key=len, reverse=True)
    if not wanted:
        return text
    pattern = re.compile("|".join(re.escape(s) for s in wanted))
    return pattern.sub(lambda m: f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}", text)


def _company(session: Session, company_id: int | None) -> str | None:
    company = session.get(Company, company_id) if company_id else None
    return company.name if company else None


def _article_url(session: Session, article_id: int) -> str:
    article = session.get(Article, article_id)
    assert article is not None  # a foreign key: the article exists
    return article.url


def _amounts(session: Session, deal_id: int) -> dict[str, Any]:
    rows = session.scalars(select(DealAmount).where(DealAmount.deal_id == deal_id))
    return {a.kind: {"value": a.value_text, "currency": a.currency, "usd": a.usd_value, "support": a.support,
                     "conflict": bool(a.conflict)} for a in rows}


def deal_header(session: Session, deal: Deal) -> dict[str, Any]:
    return {"deal_id": deal.id, "status": deal.status, "announced_on": _iso(deal.announced_on),
            "licensor": _company(session, deal.licensor_id), "licensee": _company(session, deal.licensee_id),
            "direction": deal.direction, "deal_type": deal.deal_type, "territory": deal.territory,
            "assets": deal.assets, "royalties": bool(deal.royalties), "confidence": round(deal.confidence, 3),
            "amounts": _amounts(session, deal.id)}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def mention_view(session: Session, mention: DealMention, article: Article) -> dict[str, Any]:
    """One article's report of a deal: evidence with its values marked, and the values it gave."""
    amounts = list(session.scalars(select(MentionAmount).where(MentionAmount.mention_id == mention.id)))
    payload = json.loads(mention.payload or "{}")
    spans = [a.span for a in amounts] + [mention.licensor_mention, mention.licensee_mention]
    return {"url": article.url, "title": article.title, "published_on": _iso(article.published_on),
            "language": article.language, "kind": article.kind, "confidence": round(mention.confidence, 3),
            "event": mention.event, "join_reason": mention.join_reason,
            "evidence": [mark(line, spans) for line in mention.evidence.splitlines() if line.strip()],
            "values": {"licensor": mention.licensor_mention, "licensee": mention.licensee_mention,
                       **{k: payload.get(k) for k in ("deal_type", "territory", "direction", "assets",
                                                      "royalties", "announced")},
                       **{a.kind: {"value": a.value_text, "currency": a.currency, "usd": a.usd_value,
                                   "span": a.span} for a in amounts}}}


def _run(session: Session, run_id: int | None) -> Run:
    if run_id is None:
        run_id = session.scalar(select(func.max(Run.id)))
        if run_id is None:
            raise InputError("the database has no runs yet", "run `pharmadeals ingest` first")
    run = session.get(Run, run_id)
    if run is None:
        raise InputError(f"run {run_id} does not exist", "see run ids with `pharmadeals query \"SELECT DISTINCT run_id FROM ingest_log\"`")
    return run


RUN_COLUMNS = ("run_id", "command", "status", "started_at", "finished_at", "heartbeat_at", "exit_code")


def run_status(session: Session, run_id: int) -> str:
    """The run's status as the run_summary view shows it: `abandoned` for a `running` row gone silent."""
    status = session.execute(text("SELECT status FROM run_summary WHERE run_id = :id"), {"id": run_id}).scalar()
    return str(status)


def list_runs(session: Session, limit: int = 20) -> list[dict[str, Any]]:
    """The last `limit` runs, newest first, with the same statuses as the run_summary view."""
    rows = session.execute(text("SELECT run_id, command, status, started_at, finished_at, heartbeat_at, exit_code "
                                "FROM run_summary ORDER BY run_id DESC LIMIT :n"), {"n": limit})
    return [dict(zip(RUN_COLUMNS, row, strict=True)) for row in rows]


def _source_rows(counters: dict[str, Any]) -> list[dict[str, Any]]:
    sources = counters.get("sources", {}) if isinstance(counters, dict) else {}
    return [{"source": name, **{f: c.get(f, 0) for f in SOURCE_FIELDS}, "errors_by_kind": c.get("errors_by_kind", {})}
            for name, c in sorted(sources.items()) if isinstance(c, dict)]


def review_run(session: Session, run_id: int | None = None) -> dict[str, Any]:
    """Counters per source, the deals the run created or changed (least confident first), and its errors."""
    run = _run(session, run_id)
    counters = json.loads(run.counters or "{}")
    seconds = counters.get("seconds") if isinstance(counters, dict) else None
    if seconds is None and run.finished_at is not None:
        seconds = (run.finished_at - run.started_at).total_seconds()
    changes: dict[int, list[dict[str, Any]]] = {}
    for row in session.scalars(select(DealChange).where(DealChange.run_id == run.id).order_by(DealChange.id)):
        changes.setdefault(row.deal_id, []).append(json.loads(row.change))
    deals = [_run_deal(session, deal_id, items) for deal_id, items in changes.items()]
    deals.sort(key=lambda d: (d["confidence"], d["deal_id"]))
    errors = [{"source": e.source, "url": e.url, "reason": e.reason} for e in session.scalars(
        select(IngestEntry).where(IngestEntry.run_id == run.id, IngestEntry.status == "error").order_by(IngestEntry.id))]
    return {"run_id": run.id, "command": run.command, "status": run_status(session, run.id),
            "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
            "heartbeat_at": _iso(run.heartbeat_at), "seconds": seconds, "sources": _source_rows(counters),
            "deals": deals, "errors": errors}


def _run_deal(session: Session, deal_id: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    deal = session.get(Deal, deal_id)
    if deal is None:  # removed later (e.g. by reextract)
        return {"deal_id": deal_id, "status": "removed", "confidence": 0.0, "changes": items, "mentions": []}
    urls = {item.get("article") for item in items if item.get("article")}
    stmt = select(DealMention, Article).join(Article, Article.id == DealMention.article_id).where(
        DealMention.deal_id == deal_id)
    if urls:  # an ingest shows the articles it read; a reextract (no article per change) shows them all
        stmt = stmt.where(Article.url.in_(urls))
    rows = session.execute(stmt.order_by(DealMention.id)).all()
    mentions = [mention_view(session, m, a) for m, a in rows]
    confidence = min([m["confidence"] for m in mentions] or [round(deal.confidence, 3)])
    what = "created" if any(i.get("what") == "created" for i in items) else "changed"
    return {**deal_header(session, deal), "confidence": confidence, "what": what, "changes": items,
            "mentions": mentions}


def review_deal(session: Session, deal_id: int) -> dict[str, Any]:
    """One deal: every supporting article with its evidence and values, overrides, and its history."""
    deal = session.get(Deal, deal_id)
    if deal is None:
        raise InputError(f"deal {deal_id} does not exist", "find ids with `pharmadeals query \"SELECT deal_id FROM deal_summary\"`")
    rows = session.execute(select(DealMention, Article).join(Article, Article.id == DealMention.article_id)
                           .where(DealMention.deal_id == deal_id)
                           .order_by(Article.published_on, DealMention.id)).all()
    parties = [{"role": p.role, "company": _company(session, p.company_id), "mention": p.mention}
               for p in session.scalars(select(DealParty).where(DealParty.deal_id == deal_id).order_by(DealParty.id))]
    overrides = [{"field": o.field, "value": o.value, "reviewer": o.reviewer, "reason": o.reason,
                  "created_at": _iso(o.created_at)}
                 for o in session.scalars(select(Override).where(Override.deal_id == deal_id).order_by(Override.id))]
    history = [{"at": _iso(c.created_at), "run_id": c.run_id, **json.loads(c.change)}
               for c in session.scalars(select(DealChange).where(DealChange.deal_id == deal_id).order_by(DealChange.id))]
    events = [{"kind": e.kind, "happened_on": _iso(e.happened_on),
               "url": _article_url(session, e.article_id) if e.article_id else None}
              for e in session.scalars(select(DealEvent).where(DealEvent.deal_id == deal_id).order_by(DealEvent.id))]
    return {**deal_header(session, deal), "parties": parties, "articles": [mention_view(session, m, a) for m, a in rows],
            "overrides": overrides, "history": history, "events": events,
            "amount_history": amount_history(session, deal_id)}


def amount_history(session: Session, deal_id: int) -> list[dict[str, Any]]:
    """The figures amendments changed, oldest first per kind, each with the article that gave it."""
    rows = session.scalars(select(DealAmountHistory).where(DealAmountHistory.deal_id == deal_id))
    ordered = sorted(rows, key=lambda r: (r.kind, r.effective_on is None, r.effective_on, r.mention_id))
    return [{"kind": r.kind, "value": r.value_text, "currency": r.currency, "usd": r.usd_value,
             "event": r.event or "original", "effective_on": _iso(r.effective_on), "current": bool(r.current),
             "url": _article_url(session, r.article_id) if r.article_id else None} for r in ordered]
