"""A fixture database for the `serve` tests: the report corpus plus one article whose title and text try
to inject script, stored through the real write path; and a helper to post forms with their CSRF token."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import reportkit
from sqlalchemy import text

from pharmadeals.pipeline.normalize.store import Storage

HOSTILE_TITLE = "<script>document.title='pwned'</script>HUTCHMED & Takeda <b>re-run</b>"
HOSTILE_MARKUP = "<img src=x onerror=\"document.title='pwned'\">"
HOSTILE_URL = "https://example.test/report/hutchmed-takeda-hostile"
_CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


def build(storage: Storage) -> int:
    """The whole report corpus as run 1, then the hostile copy of the HUTCHMED article as run 2."""
    reportkit.build(storage, errors=1)
    article = reportkit.load_article("hutchmed-takeda")
    title, body = article.text.split("\n", 1)
    hostile_text = f"{HOSTILE_TITLE}\n{HOSTILE_MARKUP} {body.lstrip()}"
    hostile = replace(article, url=HOSTILE_URL, title=HOSTILE_TITLE, text=hostile_text,
                      content_hash=hashlib.sha256(hostile_text.encode()).hexdigest())
    run_id = storage.begin_run("ingest")
    storage.store_article(run_id, "files", hostile, [reportkit.mention_for("hutchmed-takeda", hostile)])
    storage.finish_run(run_id, "ok", 0, {})
    return run_id


def deal_id(storage: Storage, where: str) -> int:
    """The one deal_summary row matching a WHERE clause."""
    with storage.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT deal_id FROM deal_summary WHERE {where}")).scalar_one())


def summary(storage: Storage, deal: int) -> dict[str, object] | None:
    with storage.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM deal_summary WHERE deal_id = :d"), {"d": deal}).mappings().first()
    return dict(row) if row else None


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)
