"""The files source: recursion, sidecars, bad sidecars, symlinks out of the folder, second runs."""
from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sitekit import SITES, DictState, make_pdf, run_crawl

from pharmadeals.scrapers.article import page_to_article
from pharmadeals.scrapers.events import Failed, Fetched, SourceDone
from pharmadeals.scrapers.sources.files import FilesSource


def saved_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "saved"
    shutil.copytree(SITES / "saved", folder)
    return folder


def source(folder: Path, **extra: object) -> FilesSource:
    return FilesSource(name="saved", type="files", path=str(folder), **extra)


def by_type(events: list[object], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def test_reads_supported_files_recursively_with_sidecar(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    events = run_crawl([source(folder)])
    pages = {e.page.url: e.page for e in by_type(events, Fetched)}
    assert set(pages) == {
        "https://news.example.com/2026/11/innovent-option",
        (folder / "notes.txt").as_uri(),
        (folder / "sub" / "roundup.md").as_uri(),
    }
    with_sidecar = pages["https://news.example.com/2026/11/innovent-option"]
    assert with_sidecar.item is not None and with_sidecar.item.title == "Innovent grants option on ADC"
    assert with_sidecar.item.published == datetime(2026, 11, 16, tzinfo=UTC)
    article = page_to_article(with_sidecar)
    assert (article.title, article.published) == ("Innovent grants option on ADC", date(2026, 11, 16))
    assert page_to_article(pages[(folder / "sub" / "roundup.md").as_uri()]).title == \
        "Weekly China licensing roundup"
    assert by_type(events, SourceDone) == [SourceDone("saved", 3, None)]


@pytest.mark.parametrize("sidecar, reason_part", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "JSON object"),
    ('{"published": "last tuesday"}', "not an ISO date"),
    ('{"title": 42}', "must be a string"),
    ('{"language": "fr"}', "language"),
])
def test_bad_sidecar_fails_only_that_file(tmp_path: Path, sidecar: str, reason_part: str) -> None:
    folder = saved_folder(tmp_path)
    (folder / "innovent-option.json").write_text(sidecar, encoding="utf-8")
    events = run_crawl([source(folder)])
    failed = by_type(events, Failed)
    assert len(failed) == 1 and failed[0].kind == "sidecar" and reason_part in failed[0].reason
    assert len(by_type(events, Fetched)) == 2


def test_duplicate_sidecars_are_an_error(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    shutil.copy(folder / "innovent-option.json", folder / "innovent-option.html.json")
    failed = by_type(run_crawl([source(folder)]), Failed)
    assert [f.kind for f in failed] == ["sidecar"] and "two sidecars" in failed[0].reason


def test_symlinks_outside_the_folder_are_not_read(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes about an unannounced licence deal with 9 million upfront.\n")
    (folder / "leak.txt").symlink_to(secret)
    outside_dir = tmp_path / "elsewhere"
    outside_dir.mkdir()
    (outside_dir / "other.md").write_text("# Other\n\nText that must never be read by the saved source.\n")
    (folder / "linked-dir").symlink_to(outside_dir, target_is_directory=True)
    events = run_crawl([source(folder)])
    bodies = b"".join(e.page.body for e in by_type(events, Fetched))
    assert b"unannounced" not in bodies and b"never be read" not in bodies
    assert [f.kind for f in by_type(events, Failed)] == ["security"]


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    (folder / "alias.txt").symlink_to(folder / "notes.txt")
    fetched = by_type(run_crawl([source(folder)]), Fetched)
    assert len(fetched) == 4 and not by_type(run_crawl([source(folder)]), Failed)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    (folder / "notes.txt").chmod(0)
    failed = by_type(run_crawl([source(folder)]), Failed)
    assert [f.kind for f in failed] == ["read"]


def test_broken_symlink_and_fifo_are_reported_not_read(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    (folder / "dangling.txt").symlink_to(folder / "deleted-since.txt")
    os.mkfifo(folder / "pipe.txt")
    events = run_crawl([source(folder)])
    failed = sorted((Path(f.url).name, f.kind) for f in by_type(events, Failed))
    assert failed == [("dangling.txt", "read"), ("pipe.txt", "read")]
    assert len(by_type(events, Fetched)) == 3


def test_pdf_and_size_limit(tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "announcement.pdf").write_bytes(make_pdf(["Exclusive licence agreement with 10 million upfront."]))
    (folder / "huge.txt").write_bytes(b"licence " * 200_000)
    from sitekit import fast_fetch
    events = run_crawl([source(folder)], fetch=fast_fetch(max_body_bytes=100_000))
    assert "10 million upfront" in page_to_article(by_type(events, Fetched)[0].page).text
    assert [f.kind for f in by_type(events, Failed)] == ["too_large"]


def test_second_run_reads_nothing_new(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    state = DictState()
    first = run_crawl([source(folder)], state=state)
    state.remember(first)
    second = run_crawl([source(folder)], state=state)
    assert by_type(second, Fetched) == []
    assert {e.reason for e in second if hasattr(e, "reason")} == {"already stored"}


def test_keywords_filter_files(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    fetched = by_type(run_crawl([source(folder, keywords=["GLP-1", "ADC"])]), Fetched)
    assert sorted(Path(e.page.url).name for e in fetched) == ["innovent-option", "roundup.md"]


def test_missing_folder_fails_the_source(tmp_path: Path) -> None:
    done = by_type(run_crawl([source(tmp_path / "nope")]), SourceDone)
    assert done[0].error and "does not exist" in done[0].error


@pytest.mark.parametrize(("url", "sidecar_kind", "config_kind", "expected"), [
    ("https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0324/x.pdf", None, None, "official"),
    ("https://static.cninfo.com.cn/finalpage/2025-01-06/1.PDF", None, None, "official"),
    ("https://www.sec.gov/Archives/edgar/data/1/x.htm", None, None, "official"),
    ("https://www.businesswire.com/news/home/2025/en/x", None, None, "press_release"),
    ("https://www.prnewswire.com/news-releases/x.html", None, None, "press_release"),
    ("https://www.fiercebiotech.com/biotech/x", None, None, "news"),
    ("https://www1.hkexnews.hk/x.pdf", "news", None, "news"),  # the sidecar says so
    ("https://www1.hkexnews.hk/x.pdf", None, "press_release", "press_release"),  # the config says so
])
def test_kind_of_a_saved_page_follows_its_url_unless_stated(tmp_path: Path, url: str, sidecar_kind: str | None,
                                                            config_kind: str | None, expected: str) -> None:
    """Amount and date reconciliation weigh official filings over press releases over news, so a saved HKEX
    PDF must count as official even when its sidecar only gives the URL."""
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "page.txt").write_text("Title\n\nBody text.", encoding="utf-8")
    sidecar = {"url": url, **({"kind": sidecar_kind} if sidecar_kind else {})}
    (folder / "page.json").write_text(json.dumps(sidecar), encoding="utf-8")
    extra = {"kind": config_kind} if config_kind else {}
    [fetched] = by_type(run_crawl([source(folder, **extra)]), Fetched)
    assert fetched.page.item is not None and fetched.page.item.kind == expected
