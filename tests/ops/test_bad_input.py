"""Bad input through a `files` source: each bad file gets an ingest_log row with its reason, the run goes on,
odd but readable files are read correctly, and nothing stored before changes by a single byte."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from opskit import cli, files_config, page_html, pages, table_bytes, write_files

from pharmadeals.models.errors import EXIT_PARTIAL

FIFTY_MB = 50 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
ZH_DEAL = "恒瑞医药宣布与拜耳达成独家许可协议，将HRS-4321的全球权益授予拜耳，恒瑞医药将获得3亿美元首付款。"
ZH_HANT_DEAL = ("恆瑞醫藥宣布與拜耳達成獨家許可協議。根據協議，拜耳將獲得HRS-4322在全球的開發和商業化權利。恆瑞醫藥將"
                "獲得首付款及里程碑付款，並有權收取銷售提成。雙方表示，此次合作將加快新藥在海外市場的臨床研究進度。")
JA_NEWS = "武田薬品工業は、新しい抗体医薬品の開発で提携したと発表しました。契約の詳細は公表されていません。"
OLD_TABLES = ("articles", "deals", "deal_amounts", "deal_mentions", "mention_amounts", "companies", "deal_parties")


def _bad_files(folder: Path, stored_url: str) -> dict[str, tuple[str, str]]:
    """Write the bad inputs; returns file name -> (expected status, words the reason must contain).

    "stored" means deal or no_deal: what the extractor makes of it is not this test's concern, reading it is."""
    folder.mkdir()
    expected: dict[str, tuple[str, str]] = {}

    def put(name: str, data: bytes | str, status: str, reason: str, sidecar: dict[str, str] | None = None) -> None:
        (folder / name).write_bytes(data.encode() if isinstance(data, str) else data)
        if sidecar is not None:
            (folder / name).with_suffix(".json").write_text(json.dumps(sidecar))
        expected[name] = (status, reason)

    put("empty.html", b"", "error", "empty")
    put("blank.txt", b"   \n\n\t ", "error", "empty")
    put("binary.html", PNG, "error", "binary")
    put("tags-only.html", b"<html><<<>>><div<p></div></span></td></html>", "error", "no main text")
    with open(folder / "huge.html", "wb") as fh:  # 50 MB of real markup
        chunk = b"<p>" + b"Filler paragraph about nothing in particular. " * 200 + b"</p>\n"
        while fh.tell() < FIFTY_MB:
            fh.write(chunk)
    expected["huge.html"] = ("error", "larger than max_body_bytes")
    put("twins.html", page_html("Twins", "Text of a page with two sidecars."), "error", "two sidecars",
        {"url": "https://news.example.org/twins-a"})
    (folder / "twins.html.json").write_text(json.dumps({"url": "https://news.example.org/twins-b"}))
    put("baddate.html", page_html("Bad date", "A page whose sidecar date cannot be read."), "error", "not an ISO date",
        {"published": "29th of Smarch"})
    put("badjson.html", page_html("Bad json", "A page whose sidecar is broken."), "error", "not valid JSON")
    (folder / "badjson.json").write_text("{'url': nope")
    os.symlink(folder / "gone.html", folder / "dangling.html")  # unreadable: its target does not exist
    expected["dangling.html"] = ("error", "cannot read")
    # hostile: claims the url of an article already stored, with different bytes; it must not replace it
    put("impostor.html", PNG, "skipped", "", {"url": stored_url})
    # readable but awkward: truncated markup, charsets named nowhere, an absurd figure, a date in the future
    truncated = page_html("Akeso licenses AK-777 to Pfizer", "Akeso announced an exclusive license agreement "
                          "granting Pfizer global rights to AK-777. Akeso will receive an upfront payment of "
                          "$90 million and up to $800 million in milestones.")
    put("truncated.html", truncated.encode()[: len(truncated) - 40], "deal", "")
    put("gbk.html", f"<html><body><p>{ZH_DEAL}</p></body></html>".encode("gbk"), "stored", "")
    put("big5.txt", ZH_HANT_DEAL.encode("big5"), "stored", "")
    put("sjis.txt", JA_NEWS.encode("shift_jis"), "stored", "")
    put("absurd.txt", b"Zai Lab licensed ZL-9999 to Bayer. Zai Lab will receive an upfront payment of EUR 1.2 "
        b"trillion and up to EUR 300 million in milestones.", "deal", "", {"published": "2026-11-20"})
    put("future.txt", b"Market note: shares of drug developers were flat; no company announced a partnership.",
        "no_deal", "", {"published": "2031-05-01"})
    if os.geteuid() != 0:  # root reads mode-000 files anyway
        put("locked.html", page_html("Locked", "A page nobody may read."), "error", "cannot read")
        (folder / "locked.html").chmod(0)
    return expected


@pytest.mark.timeout(600)
def test_bad_files_are_logged_with_reasons_and_change_nothing_stored(tmp_path: Path) -> None:
    good = write_files(tmp_path / "pages", pages(10))
    db = tmp_path / "pd.db"
    config = files_config(tmp_path, db, good)
    first = cli("ingest", "--config", str(config), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = {t: table_bytes(db, t) for t in OLD_TABLES}
    stored_url = str(before["articles"][0][1])

    expected = _bad_files(good / "bad", stored_url)
    second = cli("ingest", "--config", str(config), cwd=tmp_path)
    assert second.returncode == EXIT_PARTIAL, second.stderr  # some items failed, the run finished
    assert "Traceback" not in second.stderr

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, status, reason FROM ingest_log WHERE run_id = 2").fetchall()
        texts = dict(conn.execute("SELECT url, text FROM articles"))
        absurd = conn.execute("SELECT a.kind, a.value_text, a.currency FROM deal_amounts a JOIN deal_mentions m "
                              "ON m.deal_id = a.deal_id JOIN articles ar ON ar.id = m.article_id "
                              "WHERE ar.url LIKE '%absurd.txt'").fetchall()
        future = conn.execute("SELECT published_on FROM articles WHERE url LIKE '%future.txt'").fetchone()
    by_file = {url.rsplit("/", 1)[-1]: (status, reason) for url, status, reason in rows}
    for name, (status, words) in expected.items():
        if status == "skipped":  # claims a stored url: not even read, and nothing logged as stored or failed
            assert stored_url not in {u for u, s, _ in rows if s != "skipped"}
            continue
        got_status, reason = by_file[name]
        assert got_status in (("deal", "no_deal") if status == "stored" else (status,)), (name, got_status, reason)
        assert words.lower() in reason.lower(), (name, reason)

    for table, rows_before in before.items():  # the earlier rows are unchanged, byte for byte
        assert table_bytes(db, table)[: len(rows_before)] == rows_before, table
    gbk = next(t for u, t in texts.items() if u.endswith("gbk.html"))
    big5 = next(t for u, t in texts.items() if u.endswith("big5.txt"))
    sjis = next(t for u, t in texts.items() if u.endswith("sjis.txt"))
    assert ZH_DEAL in gbk and ZH_HANT_DEAL in big5 and JA_NEWS in sjis  # decoded, not mojibake
    assert ("milestones", "300000000", "EUR") in absurd
    assert not [a for a in absurd if a[0] in ("upfront", "total")]  # the trillion is dropped, not stored
    assert future == (None,)
    log = (tmp_path / "run.log.jsonl").read_text(encoding="utf-8")
    assert "dropped upfront amount" in log and "above extract.max_amount_usd" in log
    assert "ignored publication date 2031-05-01" in log
