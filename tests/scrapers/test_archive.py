"""WARC archive: a run writes one file; replaying it gives the same pages with no network."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitekit import SITES, Site, run_crawl

from pharmadeals.models.errors import InputError
from pharmadeals.scrapers.archive import replay
from pharmadeals.scrapers.events import Failed, Fetched
from pharmadeals.scrapers.settings import ArchiveSettings
from pharmadeals.scrapers.sources.feed import FeedSource
from pharmadeals.scrapers.sources.files import FilesSource

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Pharma News</title><link>{base}/</link>
<item><title>Hengrui licenses PD-1 bispecific</title><link>{base}/news/licence-deal.html</link>
<pubDate>Fri, 20 Nov 2026 08:30:00 GMT</pubDate></item>
<item><title>Gutes Geschäft: Innovent signs option deal</title><link>{base}/news/second.html</link>
<pubDate>Mon, 16 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""


def comparable(pages: list) -> list[tuple]:
    return sorted((p.url, p.source, p.body, p.content_type.split(";")[0], p.status, p.etag,
                   p.item.title if p.item else None, p.item.published if p.item else None) for p in pages)


def test_files_run_replays_to_the_same_pages(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    shutil.copytree(SITES / "saved", folder)
    archive = ArchiveSettings(enabled=True, directory=str(tmp_path / "warc"), local_files=True)
    events = run_crawl([FilesSource(name="saved", type="files", path=str(folder))], archive=archive)
    written = list((tmp_path / "warc").glob("*.warc.gz"))
    assert len(written) == 1
    pages = [e.page for e in events if isinstance(e, Fetched)]
    replayed = [e.page for e in replay([str(written[0])])]
    assert len(replayed) == 3
    assert comparable(replayed) == comparable(pages)
    assert [p.item.inline_body for p in replayed] == [p.body for p in replayed]


def test_files_run_archives_nothing_unless_local_files_is_set(tmp_path: Path) -> None:
    """Pages read from a local folder are on disk already: by default no WARC file is written for them."""
    folder = tmp_path / "saved"
    shutil.copytree(SITES / "saved", folder)
    archive = ArchiveSettings(enabled=True, directory=str(tmp_path / "warc"))
    events = run_crawl([FilesSource(name="saved", type="files", path=str(folder))], archive=archive)
    assert len([e for e in events if isinstance(e, Fetched)]) == 3
    assert not list((tmp_path / "warc").glob("*.warc.gz"))


def test_http_run_replays_to_the_same_pages_and_skips_listings(tmp_path: Path, site: Site) -> None:
    site.add("/feed.xml", RSS.format(base=site.base), content_type="application/rss+xml")
    site.add_file("/news/licence-deal.html", "news_en/licence-deal.html")
    site.add("/news/second.html", (SITES / "news_en/second.html").read_bytes(),
             content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})
    archive = ArchiveSettings(enabled=True, directory=str(tmp_path / "warc"))
    events = run_crawl([FeedSource(name="feed", type="feed", url=site.url("/feed.xml"))], archive=archive)
    pages = [e.page for e in events if isinstance(e, Fetched)]
    assert len(pages) == 2
    warc = next((tmp_path / "warc").glob("*.warc.gz"))
    replayed = [e.page for e in replay([str(warc)])]
    assert comparable(replayed) == comparable(pages)
    assert {p.etag for p in replayed} == {None, '"v1"'}


def test_unwritable_archive_is_reported_once_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    shutil.copytree(SITES / "saved", folder)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the archive folder should be")
    archive = ArchiveSettings(enabled=True, directory=str(blocker / "warc"), local_files=True)
    events = run_crawl([FilesSource(name="saved", type="files", path=str(folder))], archive=archive)
    failures = [e for e in events if isinstance(e, Failed)]
    assert [(f.source, f.kind) for f in failures] == [("archive", "archive")]
    assert "cannot write the WARC archive" in failures[0].reason
    assert len([e for e in events if isinstance(e, Fetched)]) == 3


def test_foreign_warc_responses_replay_as_articles(tmp_path: Path) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "foreign.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body in [("https://a.example/x", "text/html; charset=utf-8", b"<p>hello deal</p>"),
                                 ("https://a.example/logo.png", "image/png", b"\x89PNG....")]:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http))
    pages = [e.page for e in replay([str(path)])]
    assert [(p.url, p.source, p.body) for p in pages] == [("https://a.example/x", "replay", b"<p>hello deal</p>")]


def test_missing_and_broken_warc(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list(replay([str(tmp_path / "none.warc.gz")]))
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"this is not a warc file at all")
    events = list(replay([str(broken)]))
    assert len(events) == 1 and isinstance(events[0], Failed) and events[0].kind == "replay"
