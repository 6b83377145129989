"""The app on both backends: queue, a correction, trends and the SQL page work on SQLite and PostgreSQL;
Datasette is mounted for SQLite only (it cannot open PostgreSQL)."""
from __future__ import annotations

from pathlib import Path

import webkit
from backends import db_url  # noqa: F401  (fixture: an empty database per backend)
from starlette.testclient import TestClient
from suitekit import make_settings

from pharmadeals.models.base import is_sqlite
from pharmadeals.pipeline.run import open_storage
from pharmadeals.pipeline.web.app import create_app


def test_review_and_explore_on_each_backend(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    settings = make_settings(tmp_path, database={"url": db_url})
    storage = open_storage(settings)
    webkit.build(storage)
    deal = webkit.deal_id(storage, "licensee = 'Pfizer'")
    with TestClient(create_app(settings, secret="s"), base_url="http://127.0.0.1") as client:
        assert f'id="deal-{deal}"' in client.get("/").text
        token = webkit.csrf_token(client.get(f"/deals/{deal}").text)
        done = client.post("/actions/decide", data={"csrftoken": token, "deal_id": str(deal), "action": "correct",
                                                    "field": "upfront", "value": "1300000000 USD",
                                                    "reviewer": "carol"}, follow_redirects=False)
        assert done.status_code == 303
        assert webkit.summary(storage, deal)["upfront_usd"] == 1_300_000_000  # type: ignore[index]
        assert client.get("/trends?period=year").status_code == 200
        assert "row(s)" in client.get("/sql?q=newco-deals-per-year").text
        assert (client.get("/datasette/").status_code == 200) is is_sqlite(db_url)
    storage.engine.dispose()
