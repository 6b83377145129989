"""The review pages and actions through Starlette's test client on a real SQLite fixture database."""
from __future__ import annotations

import re

import pytest
import webkit
from markupsafe import escape
from sqlalchemy import select
from starlette.testclient import TestClient

from pharmadeals.models.errors import InputError
from pharmadeals.models.tables import Company, Deal, Override
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.normalize.overrides import normalise
from pharmadeals.pipeline.normalize.store import Storage
from pharmadeals.pipeline.web.app import create_app

_DEAL_CARD = re.compile(r'id="deal-(\d+)"')


def queue_ids(client: TestClient, query: str = "") -> list[int]:
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    return [int(n) for n in _DEAL_CARD.findall(page.text)]


def decide(client: TestClient, deal: int, token_page: str = "", **form: str) -> object:
    """Post the decide form with the CSRF token of the deal page (or of `token_page`)."""
    token = webkit.csrf_token(client.get(token_page or f"/deals/{deal}").text)
    return client.post("/actions/decide", data={"csrftoken": token, "deal_id": str(deal), **form},
                       follow_redirects=False)


def test_queue_is_least_confident_first_with_marked_evidence(client: TestClient, built: Storage) -> None:
    with built.sessions() as session:
        expected = [d.id for d in session.scalars(select(Deal).where(Deal.status == "active")
                                                  .order_by(Deal.confidence, Deal.id))]
    assert queue_ids(client) == expected
    page = client.get("/").text
    assert "<mark>$1.25 billion</mark>" in page and "<mark>2亿美元</mark>" in page
    assert 'href="https://example.test/report/3sbio-pfizer-pr"' in page
    assert "1,250,000,000 USD" in page


@pytest.mark.parametrize(("query", "where"), [
    ("language=zh", "deal_id IN (SELECT deal_id FROM deal_sources WHERE language = 'zh')"),
    ("conflict=1", "has_conflict = 1"),
    ("run=2", "licensee = 'Takeda Pharmaceutical'"),
    ("source=report_corpus", "1 = 1"),
])
def test_queue_filters(client: TestClient, built: Storage, query: str, where: str) -> None:
    with built.engine.connect() as conn:
        from sqlalchemy import text

        wanted = {r[0] for r in conn.execute(text(f"SELECT deal_id FROM deal_summary WHERE {where}"))}
    assert wanted and set(queue_ids(client, query)) == wanted


def test_company_review_filter(client: TestClient, built: Storage) -> None:
    pfizer = webkit.deal_id(built, "licensee = 'Pfizer'")
    with built.sessions.begin() as session:
        for company in session.scalars(select(Company)):
            company.needs_review = company.name == "Pfizer"
    assert queue_ids(client, "company_review=1") == [pfizer]
    with built.sessions.begin() as session:
        session.scalars(select(Company).where(Company.name == "Pfizer")).one().needs_review = False
    assert queue_ids(client, "company_review=1") == []


def test_deal_page_shows_every_article_with_marks_and_history(client: TestClient, built: Storage) -> None:
    deal = webkit.deal_id(built, "licensee = 'GSK' AND assets LIKE '%HS-20093%'")
    page = client.get(f"/deals/{deal}").text
    assert 'href="https://example.test/report/hansoh-gsk-pr"' in page
    assert 'href="https://example.test/report/hansoh-gsk-news"' in page
    assert "<mark>$1.5 billion</mark>" in page and "articles disagree" in page
    assert re.search(r"<td>run 1</td><td>created</td>", page) and re.search(r"<td>run 1</td><td>joined</td>", page)


def test_correct_upfront_has_the_effect_of_pharmadeals_correct(client: TestClient, built: Storage) -> None:
    deal = webkit.deal_id(built, "licensee = 'Pfizer'")
    response = decide(client, deal, action="correct", field="upfront", value="1,300,000,000 usd",
                      reviewer="carol", reason="SEC 8-K")
    assert response.status_code == 303 and response.headers["location"].startswith(f"/deals/{deal}?done=")
    assert webkit.summary(built, deal)["upfront_usd"] == 1_300_000_000  # type: ignore[index]
    with built.sessions() as session:
        (override,) = session.scalars(select(Override).where(Override.deal_id == deal))
        assert (override.field, override.value, override.reviewer, override.reason) == (
            "upfront", "1300000000 USD", "carol", "SEC 8-K")
    page = client.get(f"/deals/{deal}").text
    assert "<td>carol</td><td>upfront</td><td>1300000000 USD</td><td>SEC 8-K</td>" in page
    assert re.search(r"<td>carol</td><td>corrected</td>", page)
    assert deal not in queue_ids(client) and deal in queue_ids(client, "reviewed=1")


def test_a_bad_value_gets_correct_s_message_and_stores_nothing(client: TestClient, built: Storage) -> None:
    deal = webkit.deal_id(built, "licensee = 'Pfizer'")
    before = webkit.summary(built, deal)
    response = decide(client, deal, action="correct", field="upfront", value="lots", reviewer="carol")
    with pytest.raises(InputError) as cli_error:
        normalise("upfront", "lots")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert str(escape(cli_error.value.one_line())) in response.text  # type: ignore[attr-defined]
    assert webkit.summary(built, deal) == before
    missing_reviewer = decide(client, deal, action="reject", reviewer="")
    assert missing_reviewer.status_code == 400 and "no reviewer name" in missing_reviewer.text  # type: ignore[attr-defined]
    with built.sessions() as session:
        assert session.scalars(select(Override)).all() == []


def test_reject_hides_the_deal_and_accept_takes_it_off_the_queue(client: TestClient, built: Storage) -> None:
    pfizer = webkit.deal_id(built, "licensee = 'Pfizer'")
    takeda = webkit.deal_id(built, "licensee = 'Takeda Pharmaceutical'")
    assert decide(client, pfizer, action="reject", reviewer="dan", reason="duplicate").status_code == 303  # type: ignore[attr-defined]
    assert decide(client, takeda, action="accept", reviewer="dan").status_code == 303  # type: ignore[attr-defined]
    assert webkit.summary(built, pfizer) is None and webkit.summary(built, takeda) is not None
    assert pfizer not in queue_ids(client, "reviewed=1") and takeda not in queue_ids(client)
    assert 'id="status">rejected' in client.get(f"/deals/{pfizer}").text


def test_writes_without_the_csrf_token_are_refused(client: TestClient, built: Storage) -> None:
    deal = webkit.deal_id(built, "licensee = 'Pfizer'")
    client.get("/")  # the browser holds the cookies
    forged = client.post("/actions/decide", data={"deal_id": str(deal), "action": "reject", "reviewer": "x"})
    assert forged.status_code == 403
    client.cookies.clear()  # and a browser that holds none is refused too
    assert client.post("/actions/decide", data={"deal_id": str(deal), "action": "reject",
                                                "reviewer": "x"}).status_code == 403
    assert webkit.summary(built, deal) is not None


def test_merge_and_alias_companies(client: TestClient, built: Storage) -> None:
    deal = webkit.deal_id(built, "licensee = 'Pfizer'")
    token = webkit.csrf_token(client.get(f"/deals/{deal}").text)
    alias = client.post("/actions/companies", data={"csrftoken": token, "deal_id": str(deal), "action": "alias",
                                                    "first": "辉瑞", "second": "Pfizer"}, follow_redirects=False)
    assert alias.status_code == 303 and "resolves+to+%27Pfizer%27" in alias.headers["location"]
    merge = client.post("/actions/companies", data={"csrftoken": token, "deal_id": str(deal), "action": "merge",
                                                    "first": "Merck & Co.", "second": "Pfizer"}, follow_redirects=False)
    assert merge.status_code == 303
    with built.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT COUNT(*) FROM deal_summary WHERE licensee = 'Merck & Co.'")).scalar() == 0
    unknown = client.post("/actions/companies", data={"csrftoken": token, "deal_id": str(deal), "action": "merge",
                                                      "first": "No Such Co", "second": "Pfizer"})
    assert unknown.status_code == 400 and "No Such Co" in unknown.text


def test_a_script_in_an_article_title_is_shown_as_text(client: TestClient, built: Storage) -> None:
    deal = webkit.deal_id(built, "licensee = 'Takeda Pharmaceutical'")
    for page in (client.get(f"/deals/{deal}").text, client.get("/").text):
        assert "<script>" not in page and "<img src=x" not in page and "<b>re-run</b>" not in page
        assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;HUTCHMED &amp; Takeda" in page
        assert "&lt;img src=x onerror=" in page


def test_an_unknown_deal_gets_a_clear_message(client: TestClient) -> None:
    page = client.get("/deals/9999")
    assert page.status_code == 400 and "error: deal 9999 does not exist" in page.text


def test_other_hosts_are_refused_on_the_loopback(client: TestClient) -> None:
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_beyond_the_loopback_writes_need_the_token(built: Storage, settings: Settings) -> None:
    deal = webkit.deal_id(built, "licensee = 'Pfizer'")
    app = create_app(settings, host="0.0.0.0", token="s3cret-token", secret="test-secret")
    with TestClient(app, base_url="http://deals.example") as remote:
        refused = decide(remote, deal, "/login", action="reject", reviewer="eve")
        assert refused.status_code == 403 and "log in with the token" in refused.text  # type: ignore[attr-defined]
        token = webkit.csrf_token(remote.get("/login").text)
        assert remote.post("/login", data={"csrftoken": token, "token": "guess"}).status_code == 403
        assert webkit.summary(built, deal) is not None
        remote.post("/login", data={"csrftoken": token, "token": "s3cret-token"})
        assert decide(remote, deal, action="reject", reviewer="eve").status_code == 303  # type: ignore[attr-defined]
    assert webkit.summary(built, deal) is None


def test_beyond_the_loopback_without_a_token_the_app_is_read_only(built: Storage, settings: Settings) -> None:
    deal = webkit.deal_id(built, "licensee = 'Pfizer'")
    with TestClient(create_app(settings, host="0.0.0.0", secret="s"), base_url="http://deals.example") as remote:
        assert "Log in" in remote.get(f"/deals/{deal}").text
        token = webkit.csrf_token(remote.get("/login").text)
        refused = remote.post("/actions/decide", data={"csrftoken": token, "deal_id": str(deal), "action": "reject",
                                                       "reviewer": "eve"})
        assert refused.status_code == 403 and "started without a token" in refused.text


def test_an_unknown_licensee_is_refused_unless_new_company_is_ticked(client: TestClient, built: Storage) -> None:
    deal = webkit.deal_id(built, "licensee = 'Pfizer'")
    refused = decide(client, deal, action="correct", field="licensee", value="Zyxwv Therapeutics", reviewer="carol")
    assert refused.status_code == 400 and "Zyxwv Therapeutics" in refused.text  # type: ignore[attr-defined]
    assert webkit.summary(built, deal)["licensee"] == "Pfizer"  # type: ignore[index]
    done = decide(client, deal, action="correct", field="licensee", value="Zyxwv Therapeutics", reviewer="carol",
                  new_company="1")
    assert done.status_code == 303
    assert webkit.summary(built, deal)["licensee"] == "Zyxwv Therapeutics"  # type: ignore[index]
