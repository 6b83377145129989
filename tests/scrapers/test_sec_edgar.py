"""The sec_edgar adapter: efts search JSON to Archives URLs, the contact User-Agent rule, loud API changes."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sitekit import SITES, Reply, Request, Site, fast_fetch, run_crawl

from pharmadeals.scrapers.events import Fetched, SourceDone
from pharmadeals.scrapers.sources.base import SourceSkipped
from pharmadeals.scrapers.sources.sec_edgar import SecEdgarSource, contact_agent

SEARCH = "/LATEST/search-index"
DOCS = ("/Archives/edgar/data/1234567/000119312526001234/d12345dex991.htm",
        "/Archives/edgar/data/987654/000095017026000777/ex99-1.htm")


def serve_edgar(site: Site, fixture: str = "search.json") -> list[Request]:
    seen: list[Request] = []

    def search(req: Request) -> Reply:
        seen.append(req)
        return Reply(200, (SITES / "edgar" / fixture).read_bytes(), {"Content-Type": "application/json"})
    site.routes[SEARCH] = search
    for path in DOCS:
        site.add(path, (SITES / "news_en/licence-deal.html").read_bytes())
    return seen


def edgar(site: Site, **extra: Any) -> SecEdgarSource:
    values: dict[str, Any] = {"name": "sec", "type": "sec_edgar", "search_url": site.url(SEARCH),
                              "archive_url": site.url("/Archives/edgar/data"),
                              "user_agent": "Pharmadeals Research ops@pharmadeals.dev"}
    values.update(extra)
    return SecEdgarSource(**values)


def test_search_hits_become_archive_documents(site: Site) -> None:
    seen = serve_edgar(site)
    events = run_crawl([edgar(site)])
    pages = {urlsplit(e.page.url).path: e.page for e in events if isinstance(e, Fetched)}
    assert sorted(pages) == sorted(DOCS)
    item = pages[DOCS[0]].item
    assert item.title == "Acme Bio, Inc. (ACME) (CIK 0001234567): 8-K EX-99.1 Press release"
    assert item.summary == "Items 1.01, 7.01, 9.01"
    assert item.published == datetime(2026, 11, 20, tzinfo=UTC) and item.kind == "official"
    query = parse_qs(urlsplit(seen[0].path).query)
    assert query["forms"] == ["8-K,6-K"] and query["from"] == ["0"] and query["q"] == ['"exclusive license" China']
    agents = {r.headers["User-Agent"] for r in site.log}
    assert agents == {"Pharmadeals Research ops@pharmadeals.dev"}  # search and documents alike


@pytest.mark.parametrize("agent, ok", [
    ("Acme Research admin@acme-research.com", True),
    ("pharmadeals/0.1 (+https://github.com/pharmadeals/pharmadeals; contact: ops@example.org)", False),
    ("python-httpx/0.28", False),
    ("Someone someone@localhost", False),
])
def test_contact_user_agent_required(agent: str, ok: bool) -> None:
    settings = SecEdgarSource(name="sec", type="sec_edgar")
    if ok:
        assert contact_agent(settings, agent) == agent
    else:
        with pytest.raises(SourceSkipped, match="PHARMADEALS_CONTACT"):
            contact_agent(settings, agent)


def test_placeholder_agent_skips_the_source_without_failing(site: Site) -> None:
    seen = serve_edgar(site)
    events = run_crawl([edgar(site, user_agent=None)],
                       fetch=fast_fetch(user_agent="pharmadeals/0.1 (contact: ops@example.org)"))
    done = next(e for e in events if isinstance(e, SourceDone))
    assert done.error is None and done.skipped and "PHARMADEALS_CONTACT" in done.skipped
    assert seen == []  # EDGAR was never asked


def test_changed_response_fails_loudly(site: Site) -> None:
    serve_edgar(site, "search-changed.json")
    done = next(e for e in run_crawl([edgar(site)]) if isinstance(e, SourceDone))
    assert done.error and "'total'" in done.error
