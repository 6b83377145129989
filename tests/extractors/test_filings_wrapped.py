"""Filings reposted as text: hard-wrapped lines joined back into sentences, Taiwan's 美金 and 新台幣 written before
the figure, 里程金 (milestone money) summed with 合計, and the issuer a MOPS form names in its fields. Every
fixture here is written for this test."""
from __future__ import annotations

from datetime import date

from pharmadeals.extractors.amounts import extract_amounts
from pharmadeals.extractors.deals import extract_deals
from pharmadeals.extractors.numbers import find_money
from pharmadeals.extractors.wrapping import unwrap_lines
from pharmadeals.models.records import Article


def test_a_sentence_broken_every_forty_characters_is_one_line_again() -> None:
    text = ("標題:某某 本公司與甲乙製藥簽訂授權合約\n"
            "1.事實發生日:113/05/02\n"
            "(1)依合約,本公司將收取簽約金美金200萬元;其後依各階段之開發\n"
            "進度,可再收取里程金合計美金900萬元,惟須達成約定條件。\n"
            "(2)本合約效期十年。\n")
    lines = unwrap_lines(text).split("\n")
    assert "(1)依合約,本公司將收取簽約金美金200萬元;其後依各階段之開發進度,可再收取里程金合計美金900萬元,惟須達成約定條件。" in lines
    assert "1.事實發生日:113/05/02" in lines and "(2)本合約效期十年。" in lines


def test_titles_fields_list_items_and_portal_chrome_stay_on_their_own_lines() -> None:
    text = ("某某生技與國際藥廠簽署授權協議書的重大訊息公告內容\n"
            "日期:2024-05-02\n"
            "港股醫藥板塊早盤走勢分化 某某生技成交額居前列\n"
            "某某生技獲授權產品於國內獲批臨床試驗今日股價上漲\n"
            "A drug maker licensed a compound to a partner in\n"
            "• a second bullet that starts on its own line\n")
    assert unwrap_lines(text) == text


def test_english_lines_wrapped_mid_sentence_are_joined_with_a_space() -> None:
    text = ("Notes to the financial statements\n"
            "The Company entered into a license agreement with a partner under\n"
            "which it received an upfront payment of $5.0 million.\n")
    assert unwrap_lines(text).split("\n")[1] == ("The Company entered into a license agreement with a partner under "
                                                 "which it received an upfront payment of $5.0 million.")


def test_currency_words_before_the_figure_win_over_the_yuan_sign_after_it() -> None:
    assert [(str(m.value), m.currency) for _, _, m in find_money("簽約金美金150萬元")] == [("1500000", "USD")]
    assert [(str(m.value), m.currency) for _, _, m in find_money("權利金新台幣3億元")] == [("300000000", "TWD")]
    assert [(str(m.value), m.currency) for _, _, m in find_money("首付款600萬元")] == [("6000000", "CNY")]


def test_milestone_money_summed_with_a_total_word_is_the_milestones() -> None:
    assert [(a.role, int(a.money.value)) for a in extract_amounts("可再收取里程金合計美金1,050萬元")] == [
        ("milestones", 10_500_000)]
    assert [(a.role, int(a.money.value)) for a in extract_amounts("各階段里程碑金總計美金6,500萬元")] == [
        ("milestones", 65_000_000)]


def test_a_mops_form_names_the_issuer_that_its_text_calls_this_company() -> None:
    text = ("首頁 > 重大訊息\n"
            "標題:晨曦 本公司就新藥QX-12與北辰藥業投資有限公司簽訂授權協議\n"
            "日期:2024-05-02\n"
            "說明:\n"
            "1.契約相對人:北辰藥業投資有限公司\n"
            "2.主要內容:本公司與北辰藥業投資有限公司就QX-12於中國大陸地區簽立授權協議,由對方取得該品項之\n"
            "開發及銷售權利。\n"
            "3.對公司財務之影響:依協議,本公司將收取簽約金美金150萬元;其後依各階段開發進度,可再收取\n"
            "里程金合計美金1,050萬元。\n")
    article = Article(url="https://example.org/mops", source="test", title="", text=text, language="zh",
                      published=date(2024, 5, 2))
    (deal,) = extract_deals(article)
    assert deal.licensor.mention in ("晨曦", "本公司") and "晨曦" in (deal.licensor.name, *deal.licensor.other_names)
    assert deal.licensee.name.startswith("北辰藥業投資")
    assert {r: (int(m.value), m.currency) for r, m in deal.amounts().items()} == {
        "upfront": (1_500_000, "USD"), "milestones": (10_500_000, "USD"), "total": (12_000_000, "USD")}


def _terms(text: str, lang: str = "zh") -> list[tuple[str, str, dict[str, int]]]:
    article = Article(url="https://example.org/b", source="test", title=text.split("\n")[0], text=text,
                      language=lang, published=date(2025, 6, 1))
    return sorted((d.licensor.name, d.licensee.name, {r: int(m.value) for r, m in d.amounts().items()})
                  for d in extract_deals(article))


def test_figures_listed_after_respectively_go_one_to_each_pair_in_order() -> None:
    text = ("双抗赛道又一笔大单\n\n"
            "回顾此前的交易，康方生物(09926.HK)与Summit、礼新医药与默沙东先后达成授权交易，首付款分别为5亿美元和5.88亿美元。\n")
    found = {(a, b): terms.get("upfront") for a, b, terms in _terms(text)}
    assert found == {("Akeso", "Summit Therapeutics"): 500_000_000, ("LaNova Medicines", "Merck & Co."): 588_000_000}


def test_this_deal_and_a_full_year_of_profit_are_not_aggregates_of_many_deals() -> None:
    from pharmadeals.extractors.cues import AGGREGATE
    assert not AGGREGATE.search("这笔交易的潜在总金额为60.5亿美元")
    assert not AGGREGATE.search("凭借最高84亿美元的潜在交易总额改写了国产创新药单笔交易纪录")
    assert not AGGREGATE.search("全年归母净利润由此达到37.08亿元")
    assert AGGREGATE.search("今年上半年共有十几笔交易") and AGGREGATE.search("全年出海交易总额超过600亿美元")


def test_a_figure_restated_at_the_current_exchange_rate_is_the_same_amount() -> None:
    roles = [(a.role, a.money.currency) for a in
             extract_amounts("这笔交易的潜在总金额为60.5亿美元，按当前汇率折算，潜在交易总额超过430亿元人民币。")]
    assert roles == [("total", "USD"), ("none", "CNY")]


def test_a_roundup_sentence_of_dash_joined_pairs_yields_each_pair_with_its_own_figure() -> None:
    text = ("Where the China licensing money went this year\n\n"
            "Obesity is a growing slice, with Hansoh–Regeneron's $2B incretin and Madrigal–CSPC's $2.1B oral "
            "GLP-1 pointing the same way.\n\n"
            "Platforms sell too: the $6B XtalPi–DoveTree platform alliance and WuXi–Candid's $925M trispecific "
            "agreement show it.\n")
    found = {(a, b): terms.get("total") for a, b, terms in _terms(text, "en")}
    assert found[("Hansoh Pharmaceutical", "Regeneron")] == 2_000_000_000
    assert 2_100_000_000 in {v for (a, b), v in found.items() if "CSPC" in a + b}
    assert {v for (a, b), v in found.items() if "XtalPi" in a + b} == {6_000_000_000}
    assert {v for (a, b), v in found.items() if "WuXi" in a + b} == {925_000_000}


EPISODES = ("甲乙生物再牵手默沙东：三款ADC授权 首付款1亿美元\n\n"
            "12月1日，甲乙生物宣布与默沙东签订独占许可协议，甲乙生物将收到1亿美元首付款。\n\n"
            "默沙东将负责这些项目在全球的开发。协议还需通过反垄断审查。\n\n"
            "这已不是双方第一次合作。\n\n"
            "今年5月16日，甲乙生物曾把一款ADC药物许可给默沙东。根据该项交易，甲乙生物获得4700万美元首付款、"
            "不超过13.63亿美元的里程碑付款。\n")


def _dated(text: str) -> list[tuple[str, str, dict[str, int]]]:
    article = Article(url="https://example.org/c", source="test", title=text.split("\n")[0], text=text,
                      language="zh", published=date(2025, 12, 2))
    return [(d.licensor.name, d.licensee.name, {r: int(m.value) for r, m in d.amounts().items()})
            for d in extract_deals(article)]


def test_an_older_deal_of_the_same_pair_told_over_two_sentences_is_a_deal_of_its_own() -> None:
    terms = [amounts for _, _, amounts in _dated(EPISODES)]
    assert {"upfront": 100_000_000} in terms
    assert {"upfront": 47_000_000, "milestones": 1_363_000_000, "total": 1_410_000_000} in terms


def test_without_saying_they_deal_again_the_older_terms_stay_with_the_news() -> None:
    text = EPISODES.replace("再牵手", "牵手").replace("这已不是双方第一次合作。", "双方此前已有往来。")
    assert len(_dated(text)) == 1


def test_reported_speech_about_a_subsidiary_is_todays_news_not_background() -> None:
    from pharmadeals.extractors.cues import is_background
    assert not is_background("Sino Biopharm said one of its subsidiaries had signed an exclusive agreement "
                             "with a Beijing biotech on Monday.", date(2025, 3, 3))
    assert is_background("The two firms had signed a smaller pact before.", date(2025, 3, 3))


def test_a_company_name_may_start_with_a_digit() -> None:
    from pharmadeals.extractors.parties import en_unknown
    text = "The Company signed a license agreement with 3D Medicines Inc. in December."
    assert "3D Medicines Inc." in [text[s:e] for s, e in en_unknown(text)]


def test_a_deal_known_only_from_a_roundup_item_is_less_sure_than_one_in_its_own_article() -> None:
    own = ("Akeso licenses ivonescimab to Summit Therapeutics for $500 million upfront\n\n"
           "Akeso granted Summit Therapeutics rights to ivonescimab for $500 million upfront.\n")
    roundup = ("Three China deals this week\n\n"
               "• Akeso granted Summit Therapeutics rights to ivonescimab for $500 million upfront.\n"
               "• Hengrui licensed a heart drug to Merck for $200 million upfront.\n"
               "• Hansoh licensed an oral GLP-1 to Merck for $112 million upfront.\n")

    def confidence(text: str) -> float:
        article = Article(url="https://example.org/d", source="test", title=text.split("\n")[0], text=text,
                          language="en", published=date(2025, 6, 1))
        return next(d.confidence for d in extract_deals(article) if d.licensor.name == "Akeso")

    assert confidence(roundup) < confidence(own)
