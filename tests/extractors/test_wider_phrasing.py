"""Round-2 general rules: more currencies, describing prefixes, headline verbs, markets of use, cash-now terms."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pharmadeals.extractors.amounts import extract_amounts
from pharmadeals.extractors.companies import company_index, find_companies
from pharmadeals.extractors.deal_type import classify_deal
from pharmadeals.extractors.numbers import as_yen, parse_amount, yen_means_jpy
from pharmadeals.extractors.territory import classify_territory

B, M = 10**9, 10**6


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("an upfront fee of KRW 7.5 billion", Decimal("7.5") * B, "KRW"),
    ("worth 170 billion won", 170 * B, "KRW"),
    ("₩50 billion upfront", 50 * B, "KRW"),
    ("首付款75亿韩元", 75 * 10**8, "KRW"),
    ("a JPY 1.5 billion payment", Decimal("1.5") * B, "JPY"),
])
def test_korean_and_japanese_currencies(text: str, value: Decimal, currency: str) -> None:
    money = parse_amount(text)
    assert money is not None and (money.value, money.currency) == (value, currency)


@pytest.mark.parametrize(("article", "currency"), [
    ("Osaka, Japan - Kanesho will pay ¥1.5 billion upfront to Huajun.", "JPY"),
    ("東京 - 对方将支付¥15亿。", "JPY"),
    ("Hangzhou - the firm will pay ¥1.5 billion (RMB) to its partner.", "CNY"),
    ("The partner pays ¥300 million upfront.", "CNY"),
])
def test_yen_sign_reads_as_yen_only_in_japanese_context(article: str, currency: str) -> None:
    money = parse_amount(article)
    assert money is not None
    assert (as_yen(money) if yen_means_jpy(article) else money).currency == currency


def names(text: str) -> list[str]:
    return [h.name for h in find_companies(company_index(), text)]


@pytest.mark.parametrize(("text", "name"), [
    ("Germany's Vellmar to buy South Korea's Sumin Bio for up to 410 million euros", "Sumin Bio"),
    ("the option deal with Hong Kong-listed Hongyuan Biologics in September", "Hongyuan Biologics"),
    ("Harrowgate Bio to Acquire Qilin Therapeutics, Adding an Oral Drug", "Qilin Therapeutics"),
    ("Alpha Bio Signs Korean License With Yeongjin Pharm", "Yeongjin Pharm"),
    ("South Korea's HanGyeol Biopharm said on Tuesday", "HanGyeol Biopharm"),
    ("Tessaly Bio and Kurobe Seiyaku to co-develop an antibody", "Kurobe Seiyaku"),
])
def test_describing_prefixes_and_headline_verbs_are_not_names(text: str, name: str) -> None:
    found = names(text)
    assert name in found
    assert not any(n != name and n.endswith(name) for n in found)


def test_japanese_and_korean_company_words_give_short_forms() -> None:
    text = "Tokyo-based Kurobe Seiyaku signed. Kurobe will pay $40 million upfront."
    hits = [h for h in find_companies(company_index(), text) if h.name == "Kurobe Seiyaku"]
    assert [h.mention for h in hits] == ["Kurobe Seiyaku", "Kurobe"]


@pytest.mark.parametrize(("text", "territory"), [
    ("Kanesho obtains exclusive rights to develop, manufacture and commercialize HJ-1102 in Japan.", "regional"),
    ("to develop and commercialize KR-0901 in the Republic of Korea.", "regional"),
    ("licensed SGP-501 to Norvane Bio for North America and Europe.", "regional"),
    ("将JY-205在日本的開發及銷售權專屬授權給星空製藥", "regional"),
    ("星空製藥将在日本开发和商业化该药物", "regional"),
    # negatives: a trial site, worldwide rights, or a list of markets are not one market of use
    ("HG-301 is in a Phase 2 trial in Korea.", None),
    ("worldwide rights to develop and commercialize the drug, with a first launch in Japan", "global"),
    ("该药物在日本完成了一期临床试验。", None),
])
def test_one_market_of_use_is_regional(text: str, territory: str | None) -> None:
    assert classify_territory(text) == territory


@pytest.mark.parametrize(("text", "deal_type"), [
    ("German drugmaker Vellmar AG agreed to buy Sumin Bio for €300m.", "acquisition"),
    ("Vellmar to buy South Korea's Sumin Bio for up to 410 million euros", "acquisition"),
    ("Wexford agreed to buy the rights to an antibody from Tongrui Biologics.", "license"),
    ("华岭医药以1.1亿美元收购Kestrel公司全部股权。", "acquisition"),
    ("Kestrel pays USD45m upfront and will buy USD60m of Jacobio shares.", "license"),
    ("Kestrel will buy Jacobio shares worth $60 million.", "license"),
])
def test_buying_a_company_is_an_acquisition(text: str, deal_type: str) -> None:
    assert classify_deal(text) == deal_type


def roles(sentence: str) -> list[tuple[Decimal, str]]:
    return [(a.money.value, a.role) for a in extract_amounts(sentence)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("agreed to buy Sumin Bio for €300m in cash and up to €110m in further payments linked to clinical progress, "
     "valuing the deal at up to €410m.", [(300 * M, "upfront"), (110 * M, "milestones"), (410 * M, "total")]),
    ("Kurobe is paying $40 million upfront, with up to $160 million more tied to regulatory approvals.",
     [(40 * M, "upfront"), (160 * M, "milestones")]),
    ("公司以5亿美元现金及最高3亿美元里程碑付款收购该公司。", [(500 * M, "upfront"), (300 * M, "milestones")]),
    # negatives: cash with warrants is one bundle, and a cash balance is no term
    ("It pays $45 million in cash and warrants to purchase shares worth $80 million.",
     [(45 * M, "none"), (80 * M, "none")]),
    ("The company ended the quarter with $300 million in cash.", [(300 * M, "none")]),
])
def test_cash_now_and_contingent_payments(sentence: str, expected: list[tuple[int, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), r) for v, r in expected]


def roles_of(sentence: str) -> tuple[str, str]:
    from pharmadeals.extractors.roles import assign_roles, role_votes

    hits = find_companies(company_index(), sentence)
    a, b = list({h.key: h for h in hits}.values())[:2]
    licensor, licensee, _ = assign_roles(a, b, role_votes(sentence, hits))
    return licensor.name, licensee.name


@pytest.mark.parametrize(("sentence", "licensor", "licensee"), [
    # a home country and a describing noun between the preposition and the name keep it an object
    ("北京泽远医药有限公司从日本Alder Pharmaceutical引进抗真菌药的独家权利。", "Alder Pharmaceutical", "北京泽远医药"),
    ("華嶺醫藥收購澳洲生物科技公司Kestrel Biologics全部股權。", "Kestrel Biologics", "華嶺醫藥"),
    ("德国Vellmar公司收购韩国Sumin Bio。", "Sumin Bio", "Vellmar"),
    # negative: the same words with the roles the other way round
    ("Alder Pharmaceutical从北京泽远医药引进抗真菌药的独家权利。", "北京泽远医药", "Alder Pharmaceutical"),
])
def test_zh_country_and_descriptor_before_an_object(sentence: str, licensor: str, licensee: str) -> None:
    assert roles_of(sentence) == (licensor, licensee)


@pytest.mark.parametrize(("text", "name"), [
    ("沐阳生物引进韩国Celvion长效生长激素", "沐阳生物"),
    ("華嶺醫藥斥最高1.5億美元收購澳洲Kestrel", "華嶺醫藥"),
    ("泰宇生技取得該產品在台灣的獨家權利", "泰宇生技"),
    ("本公告乃泓遠生物科技（「本公司」）自願刊發", "泓遠生物科技"),
])
def test_zh_unknown_name_before_a_deal_verb(text: str, name: str) -> None:
    mentions = [h.mention for h in find_companies(company_index(), text)]
    assert name in mentions and not any(m != name and m.endswith(name) for m in mentions)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Baize will receive $55 million upfront and a 19.9% stake in Meridian Peak, which the companies valued at "
     "roughly $60 million.", [(55 * M, "upfront"), (60 * M, "equity")]),
    ("公司将获得首付款5000万美元及新公司19.9%的股份，该等股份价值约6000万美元。", [(50 * M, "upfront"), (60 * M, "equity")]),
    # negative: a deal valued at a figure is the total
    ("Baize licensed the drug in a transaction the companies valued at about $2.1 billion.", [(2100 * M, "total")]),
])
def test_a_valued_stake_is_equity(sentence: str, expected: list[tuple[int, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), r) for v, r in expected]


@pytest.mark.parametrize(("text", "background"), [
    ("will hold rights to BZ-201 and two earlier oral candidates.", False),
    ("and an earlier-stage asset for obesity.", False),
    ("The drug was licensed earlier by Pfizer.", True),
    ("The deal follows an earlier pact with Novartis.", True),
    ("此前曾以5亿美元授权给辉瑞。", True),
])
def test_earlier_candidates_are_not_background(text: str, background: bool) -> None:
    from pharmadeals.extractors.cues import is_background

    assert is_background(text, None) == background


@pytest.mark.parametrize(("text", "denied"), [
    ("Wexford Pharma is in advanced talks to acquire rights to an antibody from Tongrui Biologics.", True),
    ("The deal could be announced within weeks, according to people familiar with the matter.", True),
    ("知情人士透露，双方正在洽谈一项授权交易。", True),
    ("Wexford signed a licence after months of talks with Tongrui.", False),
    ("双方经过多轮谈判后签署授权协议。", False),
])
def test_talks_and_unnamed_sources_are_not_a_deal(text: str, denied: bool) -> None:
    from pharmadeals.extractors.cues import DENIAL

    assert bool(DENIAL.search(text)) == denied


def _deal(text: str, lang: str = "en"):  # noqa: ANN202 - a list of DealMention
    from datetime import date

    from pharmadeals.extractors.deals import extract_deals
    from pharmadeals.models.records import Article

    return extract_deals(Article(url="file://t", source="test", language=lang, title="", text=text,
                                 published=date(2026, 4, 22)))


def test_joint_development_between_two_foreign_companies_is_a_deal() -> None:
    deals = _deal("Tessaly Bio and Kurobe Seiyaku to co-develop an antibody for Japan and Korea\n\n"
                  "Kurobe is paying $40 million upfront, with up to $160 million more tied to approvals.")
    assert [(d.deal_type, d.upfront.value) for d in deals] == [("co_development", 40 * M)]


def test_two_foreign_companies_merely_named_together_are_no_deal() -> None:
    assert _deal("Tessaly Bio and Kurobe Seiyaku to present data at a meeting\n\n"
                 "Kurobe reported revenue of $400 million.") == []


@pytest.mark.parametrize(("text", "recalled"), [
    ("Aldwych exercises option on Hongyuan's drug\n\nAldwych Therapeutics said it will pay Hongyuan Biologics an "
     "exercise fee. The original agreement, announced on September 15, 2025, carried $20 million upfront.", True),
    # negative: a different, older deal recalled without 'original' wording gives no terms
    ("Aldwych exercises option on Hongyuan's drug\n\nAldwych Therapeutics said it will pay Hongyuan Biologics an "
     "exercise fee. A 2024 pact in the field carried $20 million upfront.", False),
])
def test_follow_up_recalls_the_original_terms(text: str, recalled: bool) -> None:
    deals = _deal(text)
    assert len(deals) == 1
    assert (deals[0].upfront is not None) == recalled


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Holders receive one contingent value right per share, entitling them to up to $540 million in aggregate upon "
     "the achievement of specified regulatory milestones.", [(540 * M, "milestones")]),
    ("Ashcombe将在交割时支付2.6亿美元现金，并在达到特定里程碑后向原股东支付最高2亿美元的额外款项。",
     [(260 * M, "upfront"), (200 * M, "milestones")]),
    ("首期現金代價為1.1億美元，於交割時支付。", [(110 * M, "upfront")]),
    # negatives: a per-share price and a near-term contingent sum are no milestone total
    ("The shares closed at $12 per share, valuing the company at $540 million.", [(12, "none"), (540 * M, "total")]),
])
def test_acquisition_consideration_wording(sentence: str, expected: list[tuple[int, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), r) for v, r in expected]


@pytest.mark.parametrize(("text", "name"), [
    ("与意大利制药企业Farmavia S.p.A.达成独家许可协议", "Farmavia"),
    ("Italy's Farmavia S.p.A. licensed the drug", "Farmavia"),
    ("Kurobe Holdings K.K. signed", "Kurobe Holdings"),
])
def test_european_and_japanese_legal_forms(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize(("sentence", "licensor", "licensee"), [
    ("美国Harrowgate Bio宣布，已完成对苏州麒麟治疗有限公司（Qilin Therapeutics）的全部股权收购。", "Qilin Therapeutics",
     "Harrowgate Bio"),
    ("Ashcombe Pharma完成對Saiang Biomedicine的收購。", "Saiang Biomedicine", "Ashcombe Pharma"),
    # negative: 对 followed by a licence, not a purchase, gives no target vote; the grant verb decides
    ("Qilin Therapeutics授予Harrowgate Bio对该药物的独家许可。", "Qilin Therapeutics", "Harrowgate Bio"),
])
def test_zh_object_of_an_acquisition_noun(sentence: str, licensor: str, licensee: str) -> None:
    assert roles_of(sentence) == (licensor, licensee)


TERMINATION = """Henglan Pharmaceutical关于独家许可协议终止的公告

公司于2024年6月17日与Orvanta Pharma NV签订《独家许可协议》，将HL-2206的海外权益授予Orvanta。
近日，公司收到Orvanta发出的终止通知，协议将于90日后终止。"""


@pytest.mark.parametrize(("text", "found"), [
    (TERMINATION, True),
    # negative: the same old signing in a story with no follow-up event is background, not news
    (TERMINATION.replace("终止", "进展").replace("终止通知", "研发进展"), False),
])
def test_follow_up_recalls_the_pair_from_the_original_signing(text: str, found: bool) -> None:
    from datetime import date

    from pharmadeals.extractors.deals import extract_deals
    from pharmadeals.models.records import Article

    deals = extract_deals(Article(url="file://t", source="test", language="zh", title="", text=text,
                                  published=date(2025, 9, 1)))
    assert bool(deals) == found


@pytest.mark.parametrize(("text", "merged"), [
    ("普米斯生物（Biotheus）宣布", True),
    # negative: a heading ending in a Latin name and the next line opening with a Chinese name are two companies
    ("【二】启衡生物 × Talvera Pharma\n上海启衡生物科技有限公司将权益授予Talvera Pharma。", False),
])
def test_bilingual_names_stay_on_one_line(text: str, merged: bool) -> None:
    hits = find_companies(company_index(), text)
    zh = next(h for h in hits if not h.mention.isascii())
    latin = next(h for h in hits if h.mention.isascii())
    assert (zh.key == latin.key) == merged


@pytest.mark.parametrize(("text", "kept"), [
    ("先声与艾伯维达成协议，启衡生物出海交易总额逾13亿美元", []),
    ("启衡生物与Talvera达成协议，先声与艾伯维交易总额10.55亿美元", [Decimal("1.055") * B]),
    ("The deal is worth $300 million, Talvera said.", [300 * M]),
])
def test_a_figure_belongs_to_the_deal_named_last_before_it(text: str, kept: list[Decimal]) -> None:
    from pharmadeals.extractors.deals import Sentence, _own_amounts
    from pharmadeals.extractors.parties import CompanyHit

    hits = [CompanyHit(m.start(), m.end(), w, w, None, None) for w in ("艾伯维", "启衡生物", "Talvera")
            for m in __import__("re").finditer(w, text)]
    sentence = Sentence(0, text, 0, sorted(hits, key=lambda h: h.start), extract_amounts(text), True, False, False)
    mine = _own_amounts(sentence, frozenset({"艾伯维", "先声"}), frozenset({"启衡生物", "talvera"}))
    assert [a.money.value for a in mine] == kept


@pytest.mark.parametrize(("text", "name"), [
    ("are now scouting in China.\nTake Brightwater Oncology, a San Diego company.", "Brightwater Oncology"),
    ("中国市场。\nTake Brightwater Oncology.", "Brightwater Oncology"),
])
def test_a_name_never_spans_a_line_break(text: str, name: str) -> None:
    found = names(text)
    assert name in found and not any("\n" in n for n in found)


@pytest.mark.parametrize(("sentence", "role"), [
    ("the aggregate amount of development, regulatory and sales milestone payments for which Tiancheng is eligible "
     "is increased to up to $690 million.", "milestones"),
    ("经修订后，天成可获得的开发、注册及销售里程碑付款（视乎若干开发、监管及商业条件能否在协议期限内逐项达成而定）最高增至6.9亿美元。",
     "milestones"),
    # negative: a revenue figure long after a milestone word is still no term
    ("Milestones aside, the company's annual revenue for the year ended December reached $690 million.", "none"),
])
def test_a_milestone_cue_reaches_a_long_way_before_the_figure(sentence: str, role: str) -> None:
    assert roles(sentence)[-1][1] == role


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Ronghai will pay KRW 50 billion (about $36 million) upfront and up to KRW 120 billion in development and "
     "commercial milestones.", [(50 * B, "upfront"), (36 * M, "none"), (120 * B, "milestones")]),
    ("公司将获得5亿美元（约合人民币36亿元）首付款，以及最高20亿美元的里程碑付款。",
     [(500 * M, "upfront"), (36 * 10**8, "none"), (2 * B, "milestones")]),
    # negative: without the echo the cue after the first figure still belongs to it
    ("It pays $50 million upfront and $120 million in milestones.", [(50 * M, "upfront"), (120 * M, "milestones")]),
])
def test_a_bracketed_echo_keeps_the_cue_with_its_figure(sentence: str, expected: list[tuple[int, str]]) -> None:
    assert roles(sentence) == [(Decimal(v), r) for v, r in expected]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Cross-Border Bio podcast: My guest is the founder and CEO of Yunhe Biotherapeutics. "
     "SHEN: We licensed YH-88 to Pellucid Pharma.", "Yunhe Biotherapeutics"),
    ("Cross-Border Bio播客：嘉宾是云禾生物首席执行官沈立伟。沈：我们将获得3000万美元首付款。", "云禾生物"),
    # negative: with no executive introduced, 'we' is the first company named (the issuer)
    ("Yunhe Biotherapeutics press release. We licensed YH-88 to Pellucid Pharma.", "Yunhe Biotherapeutics"),
])
def test_first_person_is_the_interviewed_executives_company(text: str, speaker: str) -> None:
    we = [h for h in find_companies(company_index(), text) if h.mention in ("We", "we", "我们")]
    assert we and all(h.name == speaker for h in we)


@pytest.mark.parametrize(("text", "country"), [
    ("the founder of Yunhe Biotherapeutics in Guangzhou said", "CN"),
    ("licensed it to Norvane Bio of Boston last week", "US"),
    # negative: a trial site after 'in' is not where an unplaced company is based when no place word follows
    ("Yunhe Biotherapeutics in a statement said", None),
])
def test_place_right_after_a_name(text: str, country: str | None) -> None:
    hit = next(h for h in find_companies(company_index(), text) if h.name in ("Yunhe Biotherapeutics", "Norvane Bio"))
    assert hit.country == country


@pytest.mark.parametrize(("text", "found"), [
    ("Cross-Border Bio podcast, episode 87: a CEO on licensing", False),
    ("The Hang Seng Biotech index rose 3%", False),
    ("Cross-Border Bio signed a licence with Pellucid Pharma", True),
])
def test_shows_and_indexes_are_not_companies(text: str, found: bool) -> None:
    assert any(n.startswith(("Cross-Border Bio", "Hang Seng Biotech")) for n in names(text)) == found
