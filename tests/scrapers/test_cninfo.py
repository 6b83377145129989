"""The cninfo adapter: POST form query, <em> stripping, epoch-ms dates, null announcements, paging, PDFs."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from sitekit import SITES, Reply, Request, Site, make_pdf, run_crawl

from pharmadeals.scrapers.article import page_to_article
from pharmadeals.scrapers.events import Fetched, SourceDone
from pharmadeals.scrapers.sources.cninfo import CninfoSource

QUERY = "/new/hisAnnouncement/query"


def serve_cninfo(site: Site, pages: dict[str, list[str]]) -> list[tuple[Request, dict[str, list[str]]]]:
    """pages maps searchkey -> fixture names answered for pageNum 1, 2, ..."""
    seen: list[tuple[Request, dict[str, list[str]]]] = []

    def query(req: Request) -> Reply:
        form = parse_qs(req.body.decode("utf-8"))
        seen.append((req, form))
        names = pages.get(form["searchkey"][0], ["null.json"])
        name = names[min(int(form["pageNum"][0]), len(names)) - 1]
        return Reply(200, (SITES / "cninfo" / name).read_bytes(), {"Content-Type": "application/json;charset=UTF-8"})
    site.routes[QUERY] = query
    pdf = make_pdf(["Announcement on signing an exclusive license agreement (translated)"])
    for name in ("2026-11-20/1222334455.PDF", "2026-11-20/1222334466.PDF", "2026-11-19/1222334477.PDF"):
        site.add(f"/static/finalpage/{name}", pdf, content_type="application/octet-stream")
    return seen


def cninfo(site: Site, **extra: Any) -> CninfoSource:
    values: dict[str, Any] = {"name": "cninfo", "type": "cninfo", "base_url": site.base,
                              "static_url": site.url("/static"), "searchkeys": ["许可协议"], "page_size": 2}
    values.update(extra)
    return CninfoSource(**values)


def test_query_pages_titles_dates_and_pdfs(site: Site) -> None:
    seen = serve_cninfo(site, {"许可协议": ["page1.json", "page2.json"]})
    events = run_crawl([cninfo(site)])
    pages = {e.page.url.rsplit("/", 1)[1]: e.page for e in events if isinstance(e, Fetched)}
    assert sorted(pages) == ["1222334455.PDF", "1222334466.PDF", "1222334477.PDF"]
    first = pages["1222334455.PDF"].item
    assert first.title == "关于签署许可协议的公告"
    assert first.published == datetime(2026, 11, 19, 16, 0, tzinfo=UTC)  # 00:00 Beijing, date only
    assert first.summary == "688123 示例生物" and first.kind == "official" and first.language == "zh"
    assert "exclusive license agreement" in page_to_article(pages["1222334455.PDF"]).text
    assert [form["pageNum"] for _req, form in seen] == [["1"], ["2"]]
    request, form = seen[0]
    assert request.method == "POST" and request.headers["X-Requested-With"] == "XMLHttpRequest"
    assert request.headers["Referer"].startswith(site.base) and form["column"] == ["szse"]
    assert "~" in form["seDate"][0] and form["isHLtitle"] == ["true"]


def test_null_announcements_mean_no_results_not_an_error(site: Site) -> None:
    serve_cninfo(site, {})
    events = run_crawl([cninfo(site, searchkeys=["对外授权", "独家许可"])])
    assert [e for e in events if isinstance(e, SourceDone)] == [SourceDone("cninfo", 0, None)]


def test_max_pages_caps_paging(site: Site) -> None:
    seen = serve_cninfo(site, {"许可协议": ["page1.json", "page2.json"]})
    run_crawl([cninfo(site, max_pages=1)])
    assert len(seen) == 1


def test_missing_field_fails_loudly(site: Site) -> None:
    serve_cninfo(site, {"许可协议": ["missing-title.json"]})
    done = next(e for e in run_crawl([cninfo(site)]) if isinstance(e, SourceDone))
    assert done.error and "announcementTitle" in done.error
