"""Deal identity through the real write path: reports of one deal merge, different deals stay apart."""
from __future__ import annotations

from datetime import date

import pytest
from dealkit import GSK, GSK_ZH, HENGRUI, HENGRUI_ZH, article, mention, party, usd
from sqlalchemy import text

from pharmadeals.models.records import PartyMention
from pharmadeals.pipeline.normalize.companies import is_reference
from pharmadeals.pipeline.normalize.store import Storage


def summary(storage: Storage) -> list[dict]:
    with storage.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM deal_summary ORDER BY deal_id"))]


def reasons(storage: Storage) -> list[str]:
    with storage.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT join_reason FROM deal_mentions ORDER BY id"))]


def test_english_and_chinese_reports_of_one_deal_merge(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/en", "en text"),
                          [mention(upfront=usd("500000000"), total=usd("12000000000"))])
    storage.store_article(run, "files", article("https://a/zh", "中文", language="zh", published=date(2025, 7, 28)),
                          [mention(HENGRUI_ZH, GSK_ZH, upfront=usd("500000000"))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["article_count"] == 2
    assert rows[0]["upfront_usd"] == 500_000_000 and rows[0]["total_usd"] == 12_000_000_000
    assert reasons(storage) == ["new deal", "same companies and asset HRS-9821"]


def test_new_assets_with_the_same_partners_are_a_new_deal(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"), [mention(assets=("HRS-9821",))])
    storage.store_article(run, "files", article("https://a/2", "two"), [mention(assets=("SHR-A1811",))])
    assert len(summary(storage)) == 2


def test_same_partners_years_apart_are_different_deals(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"), [mention(assets=(), announced=date(2022, 1, 5))])
    storage.store_article(run, "files", article("https://a/2", "two"), [mention(assets=(), announced=date(2025, 7, 5))])
    assert len(summary(storage)) == 2


def test_conflicting_amounts_keep_the_best_supported_value(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://news/1", "n1"), [mention(upfront=usd("50000000"))])
    storage.store_article(run, "files", article("https://hkex/1", "official", kind="official"),
                          [mention(upfront=usd("500000000"))])
    row = summary(storage)[0]
    assert row["upfront_usd"] == 500_000_000
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT conflict FROM deal_amounts WHERE kind='upfront'")).scalar() in (1, True)


def test_follow_up_event_attaches_to_the_original_deal(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "deal"), [mention(upfront=usd("500000000"))])
    storage.store_article(run, "files", article("https://a/2", "closed", published=date(2025, 10, 1)),
                          [mention(assets=(), event="closing", announced=date(2025, 10, 1), upfront=usd("1"))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["article_count"] == 2
    assert rows[0]["upfront_usd"] == 500_000_000  # the event's figures do not rewrite the deal's terms
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT kind FROM deal_events")).scalar() == "closing"


def test_unknown_companies_match_fuzzily_and_new_ones_are_flagged(storage: Storage) -> None:
    run = storage.begin_run()
    acme = party("Acme Biotherapeutics Co., Ltd.", country="CN")
    storage.store_article(run, "files", article("https://a/1", "one"), [mention(acme, GSK, assets=("AC-101",))])
    acme2 = party("ACME Biotherapeutics Co Ltd")
    storage.store_article(run, "files", article("https://a/2", "two"), [mention(acme2, GSK, assets=("AC-101",))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["licensor"] == "Acme Biotherapeutics Co., Ltd."
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT needs_review FROM companies WHERE name LIKE 'Acme%'")).scalar() in (1, True)


def test_rerun_of_the_same_article_is_a_duplicate(storage: Storage) -> None:
    run = storage.begin_run()
    first = storage.store_article(run, "files", article("https://a/1", "same"), [mention()])
    again = storage.store_article(run, "files", article("https://a/1", "same"), [mention()])
    copy = storage.store_article(run, "files", article("https://b/elsewhere", "same"), [mention()])
    assert (first.status, again.status, copy.status) == ("deal", "duplicate", "duplicate")
    assert len(summary(storage)) == 1


def test_agreeing_values_keep_the_most_authoritative_form(storage: Storage) -> None:
    """A trade story's €1.53bn agrees with the press release's $1.67bn once converted: no conflict, and the
    deal keeps the press release's figure in its own currency."""
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://trade/1", "eur"),
                          [mention(total=usd("1530000000", "EUR"), announced=date(2023, 4, 3))])
    storage.store_article(run, "files", article("https://pr/1", "pr", kind="press_release"),
                          [mention(total=usd("1670000000"), announced=date(2023, 4, 3))])
    storage.store_article(run, "files", article("https://news/2", "news"),
                          [mention(total=usd("1670000000"), announced=date(2023, 4, 3))])
    row = summary(storage)[0]
    assert row["total_usd"] == 1_670_000_000 and row["currency"] == "USD"
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT conflict, support FROM deal_amounts WHERE kind='total'")).one() \
            in ((0, 3), (False, 3))


def licensors(storage: Storage) -> list[str]:
    return [row["licensor"] for row in summary(storage)]


def test_new_company_in_english_and_chinese_is_one_company_by_pinyin(storage: Storage) -> None:
    """'Nanjing Kanglin Biotech' and 南京康霖生物科技 share the core 'kanglin': one company, one deal, even
    though neither article names the asset the same way."""
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://en/1", "en"),
                          [mention(party("Nanjing Kanglin Biotech", country="CN"), GSK, assets=("KL-107",))])
    storage.store_article(run, "files", article("https://zh/1", "zh", language="zh"),
                          [mention(party("南京康霖生物科技", "康霖生物", country="CN"), GSK_ZH, assets=("KL-107",))])
    assert licensors(storage) == ["Nanjing Kanglin Biotech"]
    assert reasons(storage)[1] == "same companies and asset KL-107"


def test_pinyin_never_joins_companies_placed_in_different_countries(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://en/1", "en"),
                          [mention(party("Kanglin Therapeutics", country="US"), GSK, assets=("KL-1",))])
    storage.store_article(run, "files", article("https://zh/1", "zh", language="zh"),
                          [mention(party("南京康霖生物科技", country="CN"), GSK_ZH, assets=("KL-1",))])
    assert sorted(licensors(storage)) == ["Kanglin Therapeutics", "南京康霖生物科技"]


def test_two_english_names_with_the_same_core_are_not_joined_by_pinyin(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://en/1", "one"),
                          [mention(party("Duality Biologics", country="CN"), GSK, assets=("DB-1",))])
    storage.store_article(run, "files", article("https://en/2", "two"),
                          [mention(party("Duality Therapeutics", country="CN"), GSK, assets=("DB-2",))])
    assert len(set(licensors(storage))) == 2


def test_names_an_article_gives_in_both_scripts_link_later_reports(storage: Storage) -> None:
    """普米斯生物 reads 'pumisi' in pinyin, nothing like 'Biotheus': only the article naming both links them."""
    run = storage.begin_run()
    bilingual = PartyMention("普米斯生物", "普米斯生物技术", "CN", other_names=("Biotheus",))
    storage.store_article(run, "files", article("https://zh/1", "zh", language="zh"),
                          [mention(bilingual, GSK_ZH, assets=("PM8002",))])
    storage.store_article(run, "files", article("https://en/1", "en"),
                          [mention(party("Biotheus", country="CN"), GSK, assets=("PM8002",),
                                   total=usd("950000000"))])
    assert licensors(storage) == ["普米斯生物"]


def test_signing_read_after_its_termination_joins_the_same_deal(storage: Storage) -> None:
    """The termination story comes first (files are read in name order); the signing, 16 months earlier,
    must still land on that deal and give it its date and terms."""
    run = storage.begin_run()
    trevara = party("Trevara Bio", country="CH")
    storage.store_article(run, "files", article("https://a/termination", "ended", published=date(2026, 9, 8)),
                          [mention(trevara, GSK, assets=(), event="termination", announced=date(2026, 9, 8))])
    storage.store_article(run, "files", article("https://a/signing", "signed", published=date(2025, 5, 13)),
                          [mention(trevara, GSK, assets=(), total=usd("620000000"), announced=date(2025, 5, 13))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["article_count"] == 2
    assert (rows[0]["announced_on"], rows[0]["total_usd"]) in (("2025-05-13", 620_000_000),
                                                               (date(2025, 5, 13), 620_000_000))
    assert reasons(storage)[1] == "same companies: the signing of a deal first seen through its follow-up"


def test_follow_up_joins_a_deal_dated_after_the_date_it_recalls(storage: Storage) -> None:
    """An amendment recalls the signing as 2025-04-08; the deal is held under a roundup's later date."""
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/roundup", "r", published=date(2025, 10, 24)),
                          [mention(assets=(), total=usd("108000000"), announced=date(2025, 10, 24))])
    storage.store_article(run, "files", article("https://a/amend", "a", published=date(2026, 3, 16)),
                          [mention(assets=(), event="amendment", announced=date(2025, 4, 8))])
    assert len(summary(storage)) == 1


def test_pointers_like_the_company_are_never_aliases(storage: Storage) -> None:
    """'the company' resolved to Merck in one article must not pull another article's 'the company' (which
    the extractor resolved to a new biotech) into Merck."""
    run = storage.begin_run()
    merck = party("Merck & Co.", "the company", "US", "merck_us")
    storage.store_article(run, "files", article("https://a/1", "one"), [mention(HENGRUI, merck)])
    kanglin = party("Nanjing Kanglin Biotech", "the company", "CN")
    storage.store_article(run, "files", article("https://a/2", "two"),
                          [mention(kanglin, GSK, assets=("KL-107",), announced=date(2025, 11, 4))])
    assert sorted(licensors(storage)) == ["Jiangsu Hengrui Pharmaceuticals", "Nanjing Kanglin Biotech"]
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM company_aliases WHERE alias_key IN "
                                 "('thecompany', '公司')")).scalar() == 0


@pytest.mark.parametrize(("text", "pointer"), [
    ("the company", True), ("The Japanese pharma", True), ("本公司", True), ("被授權方", True), ("公司", True),
    ("The United Laboratories International", False), ("The Medicines Company", False), ("Summit", False),
    ("联邦制药", False),
])
def test_is_reference(text: str, pointer: bool) -> None:
    assert is_reference(text) is pointer


KISARAGI = party("Kisaragi Pharmaceutical", country="JP")


def test_a_new_company_renamed_in_another_report_of_the_same_deal_joins_it(storage: Storage) -> None:
    """和屿医药 reads 'heyu', too short to match names on its own; with the same partner, the same asset and
    the same days it is Guangzhou Heyu Pharmaceutical, and the report joins that deal."""
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://en/1", "en"),
                          [mention(KISARAGI, party("Guangzhou Heyu Pharmaceutical", country="CN"), assets=("KSR-440",),
                                   total=usd("21500000000", "JPY"), announced=date(2025, 11, 12))])
    storage.store_article(run, "files", article("https://zh/1", "zh", language="zh"),
                          [mention(KISARAGI, party("和屿医药", country="CN"), assets=("KSR-440",),
                                   total=usd("21500000000", "JPY"), announced=date(2025, 11, 12))])
    rows = summary(storage)
    assert len(rows) == 1 and rows[0]["article_count"] == 2
    assert reasons(storage)[1].startswith("same deal and asset; '和屿医药' is another name of")


def test_two_regional_licensees_of_one_asset_stay_two_companies(storage: Storage) -> None:
    run = storage.begin_run()
    storage.store_article(run, "files", article("https://a/1", "one"),
                          [mention(KISARAGI, party("Guangzhou Heyu Pharmaceutical", country="CN"), assets=("KSR-440",),
                                   announced=date(2025, 11, 12))])
    storage.store_article(run, "files", article("https://a/2", "two"),
                          [mention(KISARAGI, party("Daewon Pharm", country="KR"), assets=("KSR-440",),
                                   announced=date(2025, 11, 20))])
    assert len(summary(storage)) == 2


def test_an_english_short_form_is_the_company_but_a_rival_trade_word_is_not(storage: Storage) -> None:
    run = storage.begin_run()
    for n, name in enumerate(("Nanjing Lanpai Biopharma", "Nanjing Lanpai", "Lanpai Therapeutics")):
        storage.store_article(run, "files", article(f"https://a/{n}", name),
                              [mention(party(name, country="CN"), GSK, assets=(f"LP-{n}",), announced=date(2025, 3, 13))])
    with storage.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM companies WHERE registry_id IS NULL ORDER BY id"))]
    assert names == ["Nanjing Lanpai Biopharma", "Lanpai Therapeutics"]
