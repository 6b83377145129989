"""The hkex adapter: latest JSON pages (EN/ZH, multi-stock rows, entities), title search (double-encoded, "null")."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sitekit import SITES, Reply, Request, Site, make_pdf, run_crawl

from pharmadeals.scrapers.events import Fetched, SourceDone
from pharmadeals.scrapers.sources.hkex import HkexSource

LATEST = "/ncms/json/eds/"


def serve_hkex(site: Site) -> list[dict[str, list[str]]]:
    for name in ("lcisehk7relsde_1.json", "lcisehk7relsde_2.json", "lcisehk7relsdc_1.json"):
        site.add_file(LATEST + name, f"hkex/{name}")
    searches: list[dict[str, list[str]]] = []

    def search(req: Request) -> Reply:
        query = parse_qs(urlsplit(req.path).query)
        searches.append(query)
        name = "search-en.json" if query["lang"] == ["EN"] and query["title"] == ["LICENCE"] else "search-null.json"
        return Reply(200, (SITES / "hkex" / name).read_bytes(), {"Content-Type": "text/html;charset=utf-8"})
    site.routes["/search/titleSearchServlet.do"] = search
    pdf = make_pdf(["VOLUNTARY ANNOUNCEMENT", "The Company entered into an exclusive licence agreement."])
    for path in ("/listedco/listconews/sehk/2026/1120/2026112000075.pdf",
                 "/listedco/listconews/sehk/2026/1120/2026112000075_c.pdf",
                 "/listedco/listconews/sehk/2026/1118/2026111800500.pdf",
                 "/listedco/listconews/sehk/2026/1117/2026111700123.pdf"):
        site.add(path, pdf, content_type="application/pdf")
    site.add("/listedco/listconews/sehk/2026/1119/2026111900301.htm",
             (SITES / "news_en/second.html").read_bytes())
    return searches


def hkex(site: Site, **extra: Any) -> HkexSource:
    return HkexSource(name="hkex", type="hkex", base_url=site.base, **extra)


def items(events: list[Any]) -> dict[str, Any]:
    return {e.page.url.rsplit("/", 1)[1]: e.page.item for e in events if isinstance(e, Fetched)}


def test_latest_pages_both_languages_and_title_filter(site: Site) -> None:
    serve_hkex(site)
    events = run_crawl([hkex(site)])
    got = items(events)
    assert sorted(got) == ["2026111900301.htm", "2026112000075.pdf", "2026112000075_c.pdf"]
    first = got["2026112000075.pdf"]
    assert first.title == "VOLUNTARY ANNOUNCEMENT EXCLUSIVE LICENCE AGREEMENT FOR A BISPECIFIC ANTIBODY"
    assert first.published == datetime(2026, 11, 20, 0, 13, tzinfo=UTC)  # 08:13 HKT
    assert first.kind == "official" and first.language == "en"
    assert got["2026112000075_c.pdf"].language == "zh"
    assert got["2026111900301.htm"].summary == "02222 DUAL LISTED A & B PHARMA; 82222 DUAL LISTED A & B PHARMA-R"
    assert site.hits[LATEST + "lcisehk7relsde_2.json"] == 1  # paged up to maxNumOfFile
    assert next(e for e in events if isinstance(e, SourceDone)).error is None


def test_stock_code_filter(site: Site) -> None:
    serve_hkex(site)
    got = items(run_crawl([hkex(site, stock_codes=["2222"])]))
    assert sorted(got) == ["2026111900301.htm"]


def test_title_search_double_encoded_and_null(site: Site) -> None:
    searches = serve_hkex(site)
    events = run_crawl([hkex(site, mode="title_search", langs=["e", "c"], titles=["LICENCE", "許可"])])
    got = items(events)
    assert sorted(got) == ["2026111700123.pdf", "2026111800500.pdf"]
    assert got["2026111800500.pdf"].title == "Voluntary Announcement - Licence Agreement with R&D Partner"
    assert got["2026111800500.pdf"].summary == "01177 SINO BIOPHARM; 81177 SINO BIOPHARM-R"
    assert got["2026111700123.pdf"].title == 'Exclusive Licence of an ADC "Asia" rights'
    assert len(searches) == 4
    assert {q["lang"][0] for q in searches} == {"EN", "ZH"}
    window = searches[0]
    assert int(window["toDate"][0]) - int(window["fromDate"][0]) in range(1, 100)


def test_changed_api_fails_loudly(site: Site) -> None:
    site.add_file(LATEST + "lcisehk7relsde_1.json", "hkex/latest-missing-field.json")
    done = next(e for e in run_crawl([hkex(site, langs=["e"])]) if isinstance(e, SourceDone))
    assert done.error and "newsInfoLst" in done.error and "missing" in done.error


def test_non_numeric_page_count_fails_loudly(site: Site) -> None:
    site.add(LATEST + "lcisehk7relsde_1.json", '{"maxNumOfFile": "NaN", "newsInfoLst": []}',
             content_type="application/json")
    done = next(e for e in run_crawl([hkex(site, langs=["e"])]) if isinstance(e, SourceDone))
    assert done.error and "maxNumOfFile" in done.error and "not a number" in done.error


def test_non_json_answer_fails_loudly(site: Site) -> None:
    site.add(LATEST + "lcisehk7relsde_1.json", "<html>Service unavailable</html>")
    done = next(e for e in run_crawl([hkex(site, langs=["e"])]) if isinstance(e, SourceDone))
    assert done.error and "not JSON" in done.error
