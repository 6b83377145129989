"""Assemble deal mentions from one article: pairs of parties in deal sentences, their terms, roles and context."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace

from pharmadeals.extractors import cues
from pharmadeals.extractors.amounts import NO_CUE, ROLES, Amount, deal_terms, extract_amounts
from pharmadeals.extractors.assets import find_assets, unique_assets
from pharmadeals.extractors.cue_tables import AGGREGATE_CUES_FILE, phrase_anywhere
from pharmadeals.extractors.deal_type import classify_deal
from pharmadeals.extractors.money_roles import reassign
from pharmadeals.extractors.nlp import COMPANIES_ATTR, doc_text, pipeline, sentence_bounds
from pharmadeals.extractors.numbers import as_yen, states_thousands, to_halfwidth, yen_means_jpy
from pharmadeals.extractors.pairing import (
    LEAD_SENTENCES,
    LIST_END,
    Candidate,
    Sentence,
    candidates,
    lead_candidate,
    merge_short_forms,
    own_groups,
    pairs_named,
    part_span,
    recalled_episodes,
    side_mentions,
)
from pharmadeals.extractors.parties import CompanyHit
from pharmadeals.extractors.roles import assign_roles, role_votes
from pharmadeals.extractors.rows import classify_lines, paired_figures, row_amounts, table_votes, unit_amounts
from pharmadeals.extractors.settings import ExtractSettings
from pharmadeals.extractors.territory import classify_territory
from pharmadeals.extractors.wrapping import unwrap_lines
from pharmadeals.models.records import Article, DealMention, DealType, Direction, ExtractionResult, PartyMention

PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
AGGREGATE_MORE = phrase_anywhere(AGGREGATE_CUES_FILE)
MAX_EVIDENCE = 5
# "科伦博泰再牵手默沙东", "这已不是…第一次", "the two companies' second deal": one pair, more than one deal.
DEALS_AGAIN = re.compile(r"再次|再度|再牵手|再攜手|再携手|再与|再與|又与|又與|第[二三四]次|不是第一次|并非首次|並非首次|不是首次|"
                         r"\bagain\b|\b(?:second|third|another) (?:deal|pact|agreement|licen[cs]e)\b|\bnot the first time\b",
                         re.IGNORECASE)
RESPECTIVELY = re.compile(r"分别|分別|\brespectively\b", re.IGNORECASE)
# A deal known only from a sentence recalling it in passing is less sure than one reported in its own story.
SIDE_PENALTY = 0.15
# A deal known only from one item of a roundup (a bullet, a table row, a sentence listing several deals) is
# less sure than one reported in its own article: trends weigh it less and review shows it first.
ROUNDUP_PENALTY = 0.1
ROUNDUP_DEALS = 3  # news deals in one article from which it reads as a roundup
# A company's name in the other script is a name ('Biotheus', '普米斯生物技术'), not a description or a role.
OTHER_NAME = re.compile(r"[A-Z][\w&.,' -]{2,60}|[\u3400-\u9fff][\u3400-\u9fff（）()]{1,30}")
NOT_A_NAME = re.compile(r"^(?:The|the|This|Its|Our)\b|本公司|本集[团團]|[方者]$|^(?:该|該|此|这|這|对方|對方)")
# In a follow-up story, an unnamed sentence recalling "the original agreement" states this deal's terms.
ORIGINAL_TERMS = re.compile(r"\b(?:the|that) (?:original|initial|underlying) (?:agreement|deal|licen[cs]e|pact)\b|"
                            r"\bpreviously (?:announced|disclosed|agreed) terms\b|"
                            r"\bwhen the (?:licen[cs]e|deal|agreement|pact) was (?:signed|struck|inked)\b|"
                            r"(?:签约时|簽約時|签署协议时|簽署協議時)(?:已)?(?:收取|收到|获得|獲得|支付)|"
                            r"(?:原协议|原協議|原许可协议|原許可協議|原交易|原条款|原條款|此前(?:披露|公布|公佈|宣布)的(?:条款|條款|交易))",
                            re.IGNORECASE)


# Form lines of a filing say nothing about the news: "FORM 8-K - CURRENT REPORT", "Item 1.01 Entry into…",
# "Date of Report (Date of earliest event reported): …", a registrant's name in capitals.
# The headline of a CNINFO / SSE / HKEX announcement, on its own line after the stock code and company name.
ANNOUNCEMENT_TITLE = re.compile(r"^(?:[^:：]{0,30}[:：]\s*|[^，。:：\s]{2,40}(?:公司|集团|集團))?(?:关于|關於).{2,80}公告$|"
                                r"^.{0,60}(?:\b(?i:voluntary announcement)\b|自愿性?公告|自願性?公告)")
ANNOUNCEMENT_REACH = 8  # sentences: code, short name, number, company name, headline
FILING_FORM_LINE = re.compile(r"^(?:FORM \S+|Date of Report\b|Item \d+\.\d+\b|Commission File Number\b|"
                              r"\(Exact name\b|SIGNATURES?\b|[A-Z0-9][A-Z0-9 ,.&'()-]+$)")


# "Recommended reading" / "相关阅读" and the headlines listed under it (to the next blank line) are other stories.
RELATED_BLOCK = re.compile(r"^[ \t]*(?:Recommended reading|Related(?: articles| stories| news| reading)?|Read more|"
                           r"See also|More on this|相关阅读|相關閱讀|推荐阅读|推薦閱讀|延伸阅读|延伸閱讀|相关文章|相關文章)"
                           r"[ \t]*[:：]?.*?(?=\n[ \t]*\n|\Z)", re.IGNORECASE | re.MULTILINE | re.DOTALL)


def _aggregate_figures(amounts: list[Amount], hits: list[CompanyHit], text: str) -> list[Amount]:
    """In a sentence about many deals, a figure named before any company is the aggregate's, not a deal term; so is
    one after a list of companies closed by '等' ("同润生物、恒瑞医药等11家企业的单笔首付款也都超过1亿美元")."""
    first = min((h.start for h in hits), default=None)
    listed = min((h.end for h in hits if LIST_END.match(text[h.end:])), default=None)
    return [replace(a, role="none") if first is None or a.start < first or (listed is not None and a.start > listed)
            else a for a in amounts]


def _sentences(doc, published) -> list[Sentence]:  # noqa: ANN001 - a spaCy Doc
    text = doc_text(doc)
    breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    line_starts = [0, *breaks]
    rows = classify_lines(text)
    hits: list[CompanyHit] = doc._.get(COMPANIES_ATTR) or []
    out: list[Sentence] = []
    yen = "¥" in text and yen_means_jpy(text)
    thousands = states_thousands(text)
    related = [m.span() for m in RELATED_BLOCK.finditer(text)]
    for lo, hi in sentence_bounds(doc):
        raw = text[lo:hi]
        if not raw.strip():
            continue
        local = [replace(h, start=h.start - lo, end=h.end - lo) for h in hits if lo <= h.start < hi]
        amounts = reassign(raw, extract_amounts(raw, thousands))
        if yen:
            amounts = [replace(a, money=as_yen(a.money)) for a in amounts]
        line_start = line_starts[bisect_right(line_starts, lo) - 1]
        row = rows.get(line_start)
        if row is not None and (row.column_roles or len({h.key for h in local}) == 2):
            line_end = text.find("\n", line_start)
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            amounts = row_amounts(raw, amounts, row, line, line_start, lo) + unit_amounts(row, line, line_start, lo,
                                                                                           len(raw))
        else:
            amounts = paired_figures(raw, amounts)
        listed = row is not None and bool(row.column_roles or len({h.key for h in local}) == 2)
        paired = listed or any(a.role == "total" and a.cue_distance == NO_CUE for a in amounts)
        aggregate = bool(cues.AGGREGATE.search(raw) or AGGREGATE_MORE.search(raw))
        elsewhere = any(start <= lo < end for start, end in related)
        if elsewhere:  # a linked headline's figures are its own story's
            amounts = [replace(a, role="none") for a in amounts]
        if aggregate and row is None:
            amounts = _aggregate_figures(amounts, local, raw)
        out.append(Sentence(len(out), raw.strip(), bisect_right(breaks, lo), local, amounts,
                            cues.has_trigger(raw) or (paired and len(local) >= 2 and bool(amounts)),
                            (row is None and cues.is_background(raw, published)) or elsewhere, aggregate,
                            table_votes(row, text, line_start, hits) if row is not None else {}))
    for index in cues.numbered_items([s.text for s in out]):
        out[index].background = False
    return out


def text_of(sentences: list[Sentence]) -> str:
    return "\n".join(s.text for s in sentences)


def _lead_text(sentences: list[Sentence]) -> str:
    """The opening sentences that carry the news: the title's followers, less a filing's form lines."""
    lead = [s.text for s in sentences[1:] if not FILING_FORM_LINE.match(s.text)][:LEAD_SENTENCES - 1]
    return "\n".join([s.text for s in sentences[:1]] + lead)


def _has_terms(sentence: Sentence) -> bool:
    return any(a.role in ROLES for a in sentence.amounts)


def _named_deal(deals: list[Candidate], keys: set[str]) -> Candidate | None:
    """The deal a sentence speaks of: the one whose parties it names most (the earlier one on a tie)."""
    named = [d for d in deals if d.keys & keys]
    return max(named, key=lambda d: (len(d.keys & keys), -d.first)) if named else None


def _attach(sentences: list[Sentence], deals: list[Candidate]) -> None:
    """Give each sentence to the deal whose parties it names, else to the deal being talked about."""
    single = len(deals) == 1
    current: Candidate | None = deals[0] if single else None
    paragraph = -1  # in a roundup, a deal's unnamed follow-on sentences stay in its paragraph...
    others: dict[int, set[int]] = {}  # ...or in a paragraph that names no other deal's parties
    for s in sentences:
        best = _named_deal(deals, s.keys())
        others.setdefault(s.paragraph, set()).update({id(best)} if best else set())
    for sentence in sentences:
        named = _named_deal(deals, sentence.keys())
        if named:
            current, paragraph = named, sentence.paragraph
            if sentence.background and not (current.keys <= sentence.keys()):
                continue
            current.sentences.append(sentence.index)
            # "Hansoh–Regeneron's $2B … and Madrigal–CSPC's $2.1B …": each deal named whole here gets the sentence
            for deal in deals:
                if deal is not current and deal.keys <= sentence.keys():
                    deal.sentences.append(sentence.index)
        elif current is not None and not sentence.background and not sentence.aggregate:
            # a later paragraph naming only companies outside every deal speaks of something else
            elsewhere = sentence.paragraph != paragraph and bool(sentence.hits)
            if single or (sentence.index > current.first and not elsewhere
                          and (sentence.paragraph == paragraph
                               or (others[sentence.paragraph] <= {id(current)} and _has_terms(sentence)))):
                current.sentences.append(sentence.index)


def _announced(article: Article, text: str, first: Sentence, own: list[Sentence], single: bool,  # noqa: ANN202
               event: str | None = None):
    """A follow-up names the original deal's (earliest) date; else a date in the sentence that names the pair,
    the dateline, one in the deal's sentences, or the publication date. With several deals in one article the
    deal's own sentences come before the article's opening date, which may belong to another deal."""
    published = article.published
    if event or cues.detect_event(text[:cues.DATELINE_CHARS]):  # a follow-up story
        return cues.earliest_date(text, published) or published
    own_date = next((d for d in (cues.dateline(s.text, published) for s in own) if d), None)
    opening = cues.dateline(text, published)
    return (cues.dateline(first.text, published) or (opening or own_date if single else own_date or opening)
            or published)


def _deal_type(context: str, event: str | None) -> DealType:
    """An exercised option is a licence now; otherwise the deal model the text describes."""
    return "license" if event == "option_exercise" else classify_deal(context)


def _party(hit: CompanyHit, sentences: Iterable[Sentence] = ()) -> PartyMention:
    """The party as named here, with every other name the article gives it: a company outside the registry
    reported as 'Biotheus' in English news is found again through '普米斯生物（Biotheus）', 'Candora Bio' through
    'Dalian Haiyun Biotech, which does business as Candora Bio', and the issuer a filing calls 'the Company'
    through the name in its header ('BeiGene, Ltd.', now registered as BeOne Medicines)."""
    own = {hit.mention.casefold(), hit.name.casefold()}
    other = [h.mention for s in sentences for h in s.hits
             if h.key == hit.key and h.mention.casefold() not in own
             and OTHER_NAME.fullmatch(h.mention) and not NOT_A_NAME.search(h.mention)]
    return PartyMention(name=hit.name, mention=hit.mention, country=hit.country, registry_id=hit.company_id,
                        other_names=tuple(dict.fromkeys(other)))


def _foreign(hit: CompanyHit) -> bool:
    """Known to be based outside Greater China, or an unplaced company with a Latin-script name."""
    return (hit.country is not None and not hit.chinese) or (hit.country is None and hit.mention.isascii())


def _direction(licensor: CompanyHit, licensee: CompanyHit, territory: str | None = None) -> Direction:
    """Out when a Chinese company grants rights abroad, in when one receives them. An unplaced licensor that keeps
    Greater China (ex-China rights granted to a known foreign company) is Chinese; so is an unplaced licensee
    taking only China rights from a known foreign company."""
    placed_foreign = {h.key for h in (licensor, licensee) if h.country is not None and not h.chinese}
    if licensor.chinese and _foreign(licensee) or (territory == "ex-China" and licensor.country is None
                                                   and licensee.key in placed_foreign):
        return "out"
    if licensee.chinese and _foreign(licensor) or (territory == "China" and licensee.country is None
                                                   and licensor.key in placed_foreign):
        return "in"
    return "other"


def _respective_amounts(sentence: Sentence, keys: frozenset[str]) -> list[Amount] | None:
    """'康方生物与Summit、礼新医药与默沙东先后达成授权交易，首付款分别为5亿美元和5.88亿美元', '… upfronts of $500 million
    and $588 million, respectively': the n-th figure of a role belongs to the n-th pair named. None when the
    sentence does not say 'respectively' or its figures do not line up with its pairs."""
    if not RESPECTIVELY.search(sentence.text):
        return None
    pairs = [frozenset((a.key, b.key)) for a, b in pairs_named(sentence)]
    if len(pairs) < 2 or keys not in pairs:
        return None
    position = pairs.index(keys)
    last_party = max(h.end for h in sentence.hits)
    listed = [a for a in sentence.amounts if a.start >= last_party]
    roles = {a.role for a in listed} - {"none"}
    if len(roles) != 1 or len(listed) != len(pairs) or listed[0].role == "none":
        return None  # one role word before a list of figures, one figure per pair: "首付款分别为5亿美元和5.88亿美元"
    return [replace(listed[position], role=listed[0].role)]


def _own_amounts(sentence: Sentence, keys: frozenset[str], others: frozenset[str]) -> list[Amount]:
    """In a sentence naming two deals, a figure belongs to the deal whose party is named last before it:
    '先声与艾伯维达成协议，启衡生物出海交易总额逾13亿美元'; a figure named before either of a deal's parties, after
    another company, is that company's ('RemeGen–Vor's $4.1B deal and Harbour–Otsuka's T cell engager')."""
    if not others:
        return sentence.amounts
    respective = _respective_amounts(sentence, keys)
    if respective is not None:
        return respective
    span = part_span(sentence, keys)
    if span is not None and any(span[0] <= a.start < span[1] and a.role in ROLES for a in sentence.amounts):
        return [a for a in sentence.amounts if span[0] <= a.start < span[1]]  # "…, and it bought … for $3.3 billion"
    kept = []
    for amount in sentence.amounts:
        before = [h for h in sentence.hits if h.end <= amount.start]
        after = [h for h in sentence.hits if h.start >= amount.end]
        if not before and after and after[0].key in others and after[0].key not in keys \
                and not sentence.text[amount.end:after[0].start].strip():
            continue  # "the $6B XtalPi–DoveTree alliance and WuXi–Candid's $925M deal": the $6B is the first pair's
        if not before or before[-1].key in keys or (before[-1].key not in others
                                                    and any(h.key in keys for h in before)):
            kept.append(amount)
    return kept


def _build(article: Article, text: str, sentences: list[Sentence], deal: Candidate, single: bool,
           settings: ExtractSettings, others: frozenset[str] = frozenset(), roundup_item: bool = False) -> DealMention:
    own = [sentences[i] for i in sorted(set(deal.sentences))]
    votes: Counter[str] = Counter()
    for sentence in own:
        votes.update(role_votes(sentence.text, sentence.hits))
        votes.update(sentence.table_votes)
    a, b = sorted(deal.parties.values(), key=lambda hit: hit.start)
    licensor, licensee, decided = assign_roles(a, b, votes)
    context = own if deal.side else [s for s in (sentences if single else own)
                                     if not s.background and (not s.hits or s.keys() & deal.keys)]
    context_text = "\n".join(s.text for s in context)
    event = None if deal.side else cues.detect_event(sentences[0].text, _lead_text(sentences))
    deal_type = _deal_type(context_text, event)
    # buying the company itself buys its rights everywhere, unless the text names a narrower territory
    territory = classify_territory(context_text) or ("global" if deal_type == "acquisition" else None)
    # A follow-up story may recall the original terms in a sentence naming both parties: same deal, same terms.
    terms = [s for s in own if (deal.side or not s.background or (event and deal.keys <= s.keys()))
             and (s.hits or not s.aggregate)]
    if event and single:  # "The original agreement … carried $20 million upfront": the recalled terms of this deal
        terms += [s for s in sentences if s.background and s.keys() <= deal.keys and ORIGINAL_TERMS.search(s.text)
                  and s.index not in deal.sentences]
        terms.sort(key=lambda s: s.index)
    amounts = deal_terms([(s.text, _own_amounts(s, deal.keys, others)) for s in terms])
    amounts = {r: m for r, m in amounts.items() if not (m.currency == "USD" and m.value > settings.max_amount_usd)}
    evidence = [s.text for s in own if s.index == deal.first or any(a.role in ROLES for a in s.amounts)]
    confidence = 0.4 + 0.2 * decided + 0.15 * bool(amounts) + 0.1 * bool(licensor.company_id and licensee.company_id) \
        + 0.1 * (deal.first < LEAD_SENTENCES) - SIDE_PENALTY * deal.side - ROUNDUP_PENALTY * roundup_item
    announced = (next((d for d in (cues.earliest_date(s.text) for s in own) if d), None) if deal.side
                 else _announced(article, text, sentences[deal.first], own, single, event))
    return DealMention(
        licensor=_party(licensor, sentences), licensee=_party(licensee, sentences), deal_type=deal_type,
        territory=territory, direction=_direction(licensor, licensee, territory),
        royalties=bool(cues.ROYALTY.search(context_text)), upfront=amounts.get("upfront"),
        milestones=amounts.get("milestones"), total=amounts.get("total"), equity=amounts.get("equity"),
        assets=unique_assets([name for s in own if deal.side or event or not s.background
                              for _, _, name in find_assets(s.text)]),
        announced=announced, confidence=round(min(confidence, 0.95), 3),
        evidence=tuple(evidence[:MAX_EVIDENCE]), event=event, recalled=deal.side)


# A wire dateline glues the first name to a double dash: "BASEL--(BUSINESS WIRE)--Ulmera Therapeutics AG".
WIRE_DASHES = re.compile(r"(?<=\S)--(?=[A-Z(])")


def article_text(article: Article) -> str:
    """Title and body as one text (the title line only once), full-width characters made ASCII, a wire
    dateline's double dashes made spaces, hard-wrapped sentences joined again."""
    body = article.text.strip()
    title = (article.title or "").strip()
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    return unwrap_lines(WIRE_DASHES.sub("  ", to_halfwidth(body)))


def _deals_from_doc(article: Article, doc, settings: ExtractSettings) -> list[DealMention]:  # noqa: ANN001
    sentences = _sentences(doc, article.published)
    lead = _lead_text(sentences)
    denial = bool(cues.DENIAL.search(lead))
    found = merge_short_forms(candidates(sentences, denial)) or lead_candidate(sentences[:LEAD_SENTENCES], denial)
    if not found and sentences and cues.detect_event(sentences[0].text, lead):
        # a follow-up (termination, closing…) names the pair only where it recalls the original signing
        found = merge_short_forms(candidates(sentences, denial, recalled=True))
    deals = sorted(found.values(), key=lambda d: d.first)
    side = [] if denial else list(side_mentions(sentences, found).values())
    if not denial and deals:
        taken = {d.first for d in deals} | {i for d in side for i in d.sentences}
        # the pair in the news may have dealt before only when the text says it deals again
        # ...and so it does when the news amends their deal: the amendment's terms are not the older signing's
        event = cues.detect_event(sentences[0].text, lead)
        again = (bool(DEALS_AGAIN.search(text_of(sentences))) and event is None) or event == "amendment"
        side += recalled_episodes(sentences, taken, article.published, {d.keys: again for d in deals})
    side.sort(key=lambda d: d.first)
    if not deals and not side:
        return []
    # a sentence that recalls an older deal in one part and reports the news in another belongs to both
    recalled = {i for d in side for i in d.sentences if not any(n.keys <= sentences[i].keys() for n in deals)}
    _attach([s for s in sentences if s.index not in recalled], deals)
    every = deals + side
    groups = own_groups(sentences)  # a party's own group or subsidiary is never "another deal's" party
    roundup = len(deals) >= ROUNDUP_DEALS
    built = [(d, _build(article, doc_text(doc), sentences, d, len(deals) == 1 and not d.side, settings,
                        frozenset().union(*(o.keys for o in every if o is not d)) - d.keys
                        - {k for g in groups if g & d.keys for k in g}, roundup and not d.side)) for d in every]
    built.sort(key=lambda pair: pair[0].first)
    # A pair named without any terms is news only when the headline speaks of a deal (or a follow-up). An
    # exchange announcement's headline ("关于控股子公司签订许可协议的公告") comes after its code and name lines
    # and names no party: its deal is the first pair the announcement names.
    title_deal = sentences[0].trigger and not sentences[0].background
    notice = next((s for s in sentences[:ANNOUNCEMENT_REACH] if ANNOUNCEMENT_TITLE.match(s.text) and s.trigger), None)
    first_deal = deals[0] if notice is not None and deals else None
    return [m for d, m in built if m.confidence >= settings.min_confidence
            and (m.amounts() or m.event or ((title_deal and d.first < LEAD_SENTENCES or d is first_deal)
                                            and not d.side and not sentences[d.first].aggregate))]


def extract_deals(article: Article, settings: ExtractSettings | None = None) -> list[DealMention]:
    """Every deal the article reports as news ([] for trial results, earnings, commentary...)."""
    settings = settings or ExtractSettings()
    doc = pipeline(article.language)(article_text(article))
    return _deals_from_doc(article, doc, settings)


def extract_many(articles: Iterable[Article], settings: ExtractSettings | None = None,
                 batch_size: int = 32) -> Iterator[ExtractionResult]:
    """Extract from many articles, batching each language through nlp.pipe; results keep input order."""
    settings = settings or ExtractSettings()
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= batch_size:
            yield from _run_batch(batch, settings, batch_size)
            batch = []
    if batch:
        yield from _run_batch(batch, settings, batch_size)


def _run_batch(batch: list[Article], settings: ExtractSettings, batch_size: int) -> Iterator[ExtractionResult]:
    docs: dict[int, object] = {}
    for lang in ("en", "zh"):
        idx = [i for i, a in enumerate(batch) if (a.language == "zh") == (lang == "zh")]
        if not idx:  # a language no article of the batch is in: its pipeline is not even built
            continue
        texts = [article_text(batch[i]) for i in idx]
        for i, doc in zip(idx, pipeline(lang).pipe(texts, batch_size=batch_size)):
            docs[i] = doc
    for i, article in enumerate(batch):
        yield ExtractionResult(article, tuple(_deals_from_doc(article, docs[i], settings)))

