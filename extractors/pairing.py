"""Which companies an article pairs up as dealing: sentences with their company hits, the pairs each names
(clauses, 'X与Y、A与B' lists, the lead), and which pairs may be a deal at all."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pharmadeals.extractors.amounts import ROLES, Amount
from pharmadeals.extractors.cue_tables import (
    CARRIED_SUBJECTS_FILE,
    CLAUSE_SUBJECTS_FILE,
    FORWARD_SUBJECTS_FILE,
    load_phrases,
)
from pharmadeals.extractors.cues import dateline, has_trigger
from pharmadeals.extractors.deal_type import DEAL_TYPE_RULES
from pharmadeals.extractors.parties import EN_DASH_PAIR_RE, CompanyHit
from pharmadeals.extractors.roles import OBJECT_BEFORE, TO_LICENSEE, role_votes

LEAD_SENTENCES = 4
SUBJECT_REACH = 5
EPISODE_GAP = timedelta(days=14)  # an episode dated this long before publication is an older deal  # sentences back to look for the subject a sentence leaves out
_CARRIED = sorted(load_phrases(CARRIED_SUBJECTS_FILE), key=len, reverse=True)
# "It also picked up…", "2025年4月，与默沙东就…": an opening that leaves the subject to the sentence before.
CARRIED_SUBJECT = re.compile(
    r"^\s*(?:(?:[A-Z][\w ]{0,24},\s*)?(?:" + "|".join(re.escape(p) for p in _CARRIED if p.isascii()) + r")\b|"
    r"(?:[^，,。；;\s]{0,12}[，,]\s*)?(?:" + "|".join(re.escape(p) for p in _CARRIED if not p.isascii()) + "))",
    re.IGNORECASE)
CLAUSE_SPLIT = re.compile(r"[;；，,]")
# Where a sentence naming several deals turns to the next: a colon or semicolon, "including", "以及", "、" between
# deals ("…130亿美元交易、恒瑞医药与GSK签订的125亿美元合作").
SEGMENT_SPLIT = re.compile(r"[;；:：]\s*|、(?=[^、，,。]{0,30}(?:与|與|和)[^、，,。]{0,30}(?:交易|合作|协议|協議|授权|授權))|"
                           r"(?:[,，]\s*)?(?:以及|包括|包含|其中)|(?:,\s*)?\b(?:including|such as|while|whereas)\b",
                           re.IGNORECASE)
_CLAUSE_OPENINGS = sorted(load_phrases(CLAUSE_SUBJECTS_FILE), key=len, reverse=True)
# "…, and it bought rights to a cancer drug from China's LaNova", "…，拿下同润生物的CD3/CD19双抗项目": a clause that
# leaves its subject to the sentence's own.
CLAUSE_SUBJECT = re.compile(
    r"\s*(?:(?:" + "|".join(re.escape(p) for p in _CLAUSE_OPENINGS if p.isascii()) + r")\b|"
    r"(?:" + "|".join(re.escape(p) for p in _CLAUSE_OPENINGS if not p.isascii()) + "))", re.IGNORECASE)
MAX_LISTED = 3
# '恒瑞与GSK', '康方生物(09926.HK)与Summit': a stock code may sit between the first name and the link word.
LINK = re.compile(r"\s*(?:[(（][^()（）]{1,16}[)）])?\s*(?:与|和|同|跟|及|與|with|and|-|–|/|x|×)\s*", re.IGNORECASE)
INVESTOR = re.compile(r"\b(?:Capital|Ventures?|Investments?|Partners|Fund|Management)\b|资本|資本|基金|投资|投資")
# ...unless the name also says it is in the drug business ("南北兄弟藥業投資有限公司" licenses a drug in).
DRUG_BUSINESS = re.compile(r"药|藥|生物|医|醫|\b(?:Pharma\w*|Bio\w*|Therapeutics|Medicines?)\b")
ACQUISITION = DEAL_TYPE_RULES[0][1]
# Between two named companies, a deal noun joined to the second by 'with' / '与…': "Boehringer pens $620M AI pact
# with Swiss startup Trevara Bio", "X enters into a research collaboration with Y", "X与Y签署…".
DEAL_WITH = re.compile(r"\b(?:deal|pact|agreement|collaboration|partnership|alliance|tie-up|licen[cs]e|option)\b"
                       r"[^.;]{0,40}\bwith\s+(?:[\w-]+\s+){0,3}$|^\s*(?:与|與|和|同)\s*$", re.IGNORECASE)

# Both named companies, then a joint verb: "X and Y to co-develop…", "X and Y said they will jointly develop…".
JOINT_WORK = re.compile(r"^[^.;]{0,60}?\b(?:to|will|agreed to|plan to)\s+(?:co-?develop|jointly develop|"
                        r"co-?commerciali[sz]e|jointly commerciali[sz]e)|^[^。；]{0,30}?(?:将|將|拟|擬)?(?:共同开发|共同開發|"
                        r"联合开发|聯合開發)", re.IGNORECASE)


@dataclass
class Sentence:
    """One sentence with what the rules found in it (company offsets are sentence-relative)."""

    index: int
    text: str
    paragraph: int
    hits: list[CompanyHit]
    amounts: list[Amount]
    trigger: bool
    background: bool
    aggregate: bool
    table_votes: dict[str, int] = field(default_factory=dict)  # roles a table's "Licensor | Licensee" header gives

    def keys(self) -> set[str]:
        return {hit.key for hit in self.hits}


@dataclass
class Candidate:
    """A pair of parties reported as dealing, with the sentences that speak about that deal."""

    keys: frozenset[str]
    parties: dict[str, CompanyHit]
    first: int
    sentences: list[int] = field(default_factory=list)
    side: bool = False  # a deal recalled in passing (a background sentence): only its own sentences speak of it


def _distinct(hits: list[CompanyHit]) -> list[CompanyHit]:
    """One hit per company, leaving out investors and a group named beside its own contracting subsidiary."""
    seen: dict[str, CompanyHit] = {}
    for hit in hits:
        if not INVESTOR.search(hit.name) or DRUG_BUSINESS.search(hit.name):
            seen.setdefault(hit.key, hit)
    parents = {hit.parent_id for hit in seen.values() if hit.parent_id} if len(seen) > 2 else set()
    return [hit for key, hit in seen.items() if key not in parents]


def pairs_named(sentence: Sentence) -> list[tuple[CompanyHit, CompanyHit]]:
    """Company pairs a sentence links: the two it names, or pairs within its parts when it names more."""
    return [(a, b) for a, b, _, _ in named_parts(sentence)]


def named_parts(sentence: Sentence) -> list[tuple[CompanyHit, CompanyHit, int, int]]:
    """Each pair a sentence links, with the span of the sentence that speaks of it (the whole sentence when it
    names just two companies). A sentence naming more is read in parts: segments ("including…", "以及…", after a
    colon or semicolon) that name two companies each, else comma clauses within them; a clause that leaves its
    subject to the sentence ("…, and it bought rights … from LaNova") pairs with the sentence's subject."""
    hits = _distinct(sentence.hits)
    if len(hits) > 2:  # "美国诺华旗下的Dianthus": the unit the text names is the party, not its group
        hits = _drop_groups(hits, sentence)
    if len(hits) == 2:
        return [(hits[0], hits[1], 0, len(sentence.text))]
    if len(hits) < 2:
        return []
    parts: list[tuple[CompanyHit, CompanyHit, int, int]] = []
    for lo, hi in _spans(sentence.text, SEGMENT_SPLIT, 0, len(sentence.text)):
        inside = _inside(sentence, lo, hi)
        if len(inside) == 2 and _part_pair(inside[0], inside[1], sentence, lo, hi):
            parts.append((inside[0], inside[1], lo, hi))
        elif len(inside) > 2 or (len(inside) == 1 and lo > 0):
            parts += _clause_pairs(sentence, lo, hi)
    if parts:
        return parts
    linked = _linked_pairs(sentence.text, hits)
    if linked or len(hits) > MAX_LISTED:
        return [(a, b, 0, len(sentence.text)) for a, b in linked]  # many companies are context unless paired up
    return [(a, b, 0, len(sentence.text)) for a, b in zip(hits, hits[1:]) if a.chinese != b.chinese][:1]


def part_span(sentence: Sentence, keys: frozenset[str]) -> tuple[int, int] | None:
    """The part of a sentence naming several deals that speaks of this pair, None when it is the whole sentence."""
    for a, b, lo, hi in named_parts(sentence):
        if frozenset((a.key, b.key)) == keys and (lo, hi) != (0, len(sentence.text)):
            return lo, hi
    return None


def _spans(text: str, pattern: re.Pattern[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """The pieces of text[lo:hi] between the pattern's matches."""
    spans, start = [], lo
    for match in pattern.finditer(text, lo, hi):
        before = text[lo:match.start()]
        if before.count("(") + before.count("（") > before.count(")") + before.count("）"):
            continue  # "(LSE: TCPH)", "（纳斯达克：CRVT）": a colon inside brackets divides nothing
        spans.append((start, match.start()))
        start = match.end()
    return [*spans, (start, hi)]


def _inside(sentence: Sentence, lo: int, hi: int) -> list[CompanyHit]:
    inside = _distinct([h for h in sentence.hits if lo <= h.start < hi])
    return inside if len(inside) <= 2 else _drop_groups(inside, sentence)


def _part_pair(a: CompanyHit, b: CompanyHit, sentence: Sentence, lo: int, hi: int) -> bool:
    """Two companies of one part deal when one is Chinese and the other not, or when a deal word joins them (between
    them, or right after a link word: "罗氏以53亿美元与Zealand Pharma达成…") and the part states terms or a purchase
    ("辉瑞以逾100亿美元收购Metsera"); "catch up with Novo Nordisk and Eli Lilly in the obesity market" is no deal."""
    if a.chinese != b.chinese:
        return True
    first, second = sorted((a, b), key=lambda h: h.start)
    between, after = sentence.text[first.end:second.start], sentence.text[second.end:hi]
    terms = any(lo <= m.start < hi and m.role in ROLES for m in sentence.amounts)
    linked = has_trigger(between) or bool(LINK.search(between) and has_trigger(after[:20]))
    return linked and (terms or bool(ACQUISITION.search(sentence.text[lo:hi])))


_FORWARD = sorted(load_phrases(FORWARD_SUBJECTS_FILE), key=len, reverse=True)
FORWARD_SUBJECT = re.compile(
    r"\s*(?:[^，,。；;\s]{0,6}[，,]\s*)?(?:(?:" + "|".join(re.escape(p) for p in _FORWARD if p.isascii()) + r")\b|"
    r"(?:" + "|".join(re.escape(p) for p in _FORWARD if not p.isascii()) + "))", re.IGNORECASE)


def _clause_pairs(sentence: Sentence, lo: int, hi: int) -> list[tuple[CompanyHit, CompanyHit, int, int]]:
    """Pairs within the comma clauses of one segment: a clause naming two companies, or a clause that names one
    and opens without its subject, paired with the first company named before it that was no object."""
    pairs: list[tuple[CompanyHit, CompanyHit, int, int]] = []
    for start, end in _spans(sentence.text, CLAUSE_SPLIT, lo, hi):
        inside = _inside(sentence, start, end)
        if len(inside) == 2 and _part_pair(inside[0], inside[1], sentence, start, end):
            pairs.append((inside[0], inside[1], start, end))
        elif len(inside) == 1 and FORWARD_SUBJECT.match(sentence.text, start, end) \
                and any(start <= m.start < end and m.role in ROLES for m in sentence.amounts):
            later = replace(sentence, hits=[h for h in sentence.hits if h.start >= end])
            subject = _subject_of(later)
            if subject is not None and subject.key != inside[0].key and not _own_group(inside[0], subject, sentence):
                pairs.append((subject, inside[0], start, end))
        elif len(inside) == 1 and CLAUSE_SUBJECT.match(sentence.text, start, end) \
                and any(start <= m.start < end and m.role in ROLES for m in sentence.amounts):
            earlier = replace(sentence, hits=[h for h in sentence.hits if h.end <= start])
            subject = _subject_of(earlier)
            if subject is not None and subject.key != inside[0].key \
                    and not _own_group(subject, inside[0], sentence) and subject.key in {h.key for h in _inside(sentence, 0, start)}:
                pairs.append((subject, inside[0], start, end))
    return pairs


def _linked_pairs(text: str, hits: list[CompanyHit]) -> list[tuple[CompanyHit, CompanyHit]]:
    """'恒瑞与GSK、三生与辉瑞': neighbours joined only by 'and'/'与'/'-' pair up, left to right; two companies of one
    side only when a dash joins them before their deal ("WuXi–Candid's $925M agreement")."""
    pairs, i = [], 0
    while i + 1 < len(hits):
        a, b = hits[i], hits[i + 1]
        dashed = bool((m := EN_DASH_PAIR_RE.match(text, a.start)) and m.end("right") == b.end)
        if (a.chinese != b.chinese or dashed) and LINK.fullmatch(text[a.end:b.start]):
            pairs.append((a, b))
            i += 2
        else:
            i += 1
    return pairs


def _states_terms(sentence: Sentence) -> bool:
    return any(a.role in ROLES for a in sentence.amounts)


# "科伦药业控股子公司科伦博泰", "Sino Biopharm's subsidiary Tide": a group and its own subsidiary are one side.
OWN_SUBSIDIARY = re.compile(r"(?:控股|全资|全資|附属|附屬)?(?:子公司|附属公司|附屬公司)\s*$|旗下(?:的)?\s*$|"
                            r"(?:'s|’s|\bits)\s*(?:wholly[- ]owned |majority[- ]owned )?(?:subsidiary|subsidiaries|unit|arm)\s*,?\s*$",
                            re.IGNORECASE)
SUBSIDIARY_REACH = 20
ITS_SUBSIDIARY = re.compile(r"\bits\s*(?:wholly[- ]owned |majority[- ]owned )?(?:subsidiary|subsidiaries|unit|arm)\s*,?\s*$",
                            re.IGNORECASE)
ITS_REACH = 100


def _own_group(a: CompanyHit, b: CompanyHit, sentence: Sentence) -> bool:
    """The text names b as a's subsidiary (a registry parent is not enough: an acquired company has one)."""
    gap = sentence.text[a.end:b.start]
    if len(gap) <= SUBSIDIARY_REACH and OWN_SUBSIDIARY.search(gap):
        return True
    return _its_unit(a, b, sentence)


def _its_unit(a: CompanyHit, b: CompanyHit, sentence: Sentence) -> bool:
    """"the Company and its wholly-owned subsidiary SLSG", "Hansoh said that on October 16 its subsidiaries Shanghai
    Hansoh … signed": the group speaks and is the party; its unit signs for it."""
    gap = sentence.text[a.end:b.start]
    return 0 < len(gap) <= ITS_REACH and bool(ITS_SUBSIDIARY.search(gap)) \
        and not any(a.end <= h.start < b.start for h in sentence.hits)


def _drop_groups(hits: list[CompanyHit], sentence: Sentence) -> list[CompanyHit]:
    """Of a group and its own unit named together, the one that is the party: the unit named under its group
    ("诺华旗下的Dianthus"), the group that names 'its' unit."""
    return [h for h in hits if not any(_its_unit(o, h, sentence) for o in hits)
            and not any(_own_group(h, o, sentence) and not _its_unit(h, o, sentence) for o in sentence.hits)]


# "同润生物、恒瑞医药等11家企业", "艾伯維、默克及再生元等美國藥廠": companies listed on one side of the market.
LISTED_TOGETHER = re.compile(r"^\s*[、]\s*$|^[^，,。；;]{0,16}$")
LIST_END = re.compile(r"^\s*(?:[(（][^()（）]{1,16}[)）])?\s*(?:等|等等)")


def _enumerated(a: CompanyHit, b: CompanyHit, sentence: Sentence) -> bool:
    """The two are items of one list, not two sides of a deal: joined by '、', or closed by '等' with no deal word
    between them."""
    first, second = sorted((a, b), key=lambda h: h.start)
    gap = sentence.text[first.end:second.start]
    if gap.strip() == "、":
        return True
    return bool(LIST_END.match(sentence.text[second.end:]) and LISTED_TOGETHER.match(gap) and not has_trigger(gap))


def _allowed(a: CompanyHit, b: CompanyHit, sentence: Sentence) -> bool:
    """Cross-border pairs need no more; a same-side pair needs roles the text states, an acquisition, or a
    sentence that names just the two of them with a deal word and a deal term ("KBP handed Novo Nordisk the
    rights … in an agreement valued at $1.3 billion"). A group is never paired with its own subsidiary."""
    if _own_group(a, b, sentence) or _enumerated(a, b, sentence):
        return False
    if (a.chinese != b.chinese and (a.country or b.country)) or (a.company_id and b.company_id):
        return True
    if (m := EN_DASH_PAIR_RE.match(sentence.text, a.start)) and m.end("right") == b.end:
        return True  # "WuXi–Candid's $925M agreement": a roundup writes the pair as one
    if sentence.trigger and _states_terms(sentence) and len(_distinct(sentence.hits)) == 2:
        return True
    votes = role_votes(sentence.text, sentence.hits)
    return votes.get(a.key, 0) != votes.get(b.key, 0) or bool(ACQUISITION.search(sentence.text)) \
        or bool(JOINT_WORK.search(sentence.text[b.end:])) \
        or bool(DEAL_WITH.search(sentence.text[a.end:b.start]))


def own_groups(sentences: list[Sentence]) -> set[frozenset[str]]:
    """Pairs the article names as a group and its own subsidiary, anywhere: they never deal with each other."""
    return {frozenset((a.key, b.key)) for s in sentences for a, b in zip(s.hits, s.hits[1:])
            if a.key != b.key and _own_group(a, b, s)}


def candidates(sentences: list[Sentence], denial: bool, recalled: bool = False) -> dict[frozenset[str], Candidate]:
    found: dict[frozenset[str], Candidate] = {}
    if denial:
        return found
    groups = own_groups(sentences)
    article_trigger = any(s.trigger and not s.background for s in sentences[:LEAD_SENTENCES])
    paragraph_terms = {s.paragraph for s in sentences if not s.background and s.trigger
                       and any(a.role in ROLES for a in s.amounts)}
    for sentence in sentences:
        deal_terms = any(a.role in ("upfront", "milestones") for a in sentence.amounts)
        headline = sentence.index == 0 and article_trigger
        if (sentence.background and not recalled) or not (sentence.trigger or deal_terms or headline
                                       or sentence.paragraph in paragraph_terms):
            continue
        for a, b, lo, hi in named_parts(sentence):
            keys = frozenset((a.key, b.key))
            if keys not in groups and _allowed(a, b, sentence) and not _looks_back(sentence, lo, hi):
                found.setdefault(keys, Candidate(keys, {a.key: a, b.key: b}, sentence.index))
    return found


def _looks_back(sentence: Sentence, lo: int, hi: int) -> bool:
    """The part recalls an earlier deal before the sentence's news ("继早前与阿斯利康签下…协议后，石药集团再与…")."""
    return (lo, hi) != (0, len(sentence.text)) and bool(FORWARD_SUBJECT.match(sentence.text, lo, hi))


def side_mentions(sentences: list[Sentence], found: dict[frozenset[str], Candidate]) -> dict[frozenset[str], Candidate]:
    """Older deals recalled in passing with their terms: a background sentence that names both parties and
    states a deal term in the same clause ("Last year Merck licensed Hansoh's pill in a deal worth up to $2
    billion"). Each is a deal of its own, built from that sentence alone; a pair already reported as news keeps
    its own deal."""
    side: dict[frozenset[str], Candidate] = {}
    groups = own_groups(sentences)
    for sentence in sentences:
        if sentence.aggregate or not _states_terms(sentence):
            continue
        carried = _carried_pair(sentence, sentences)
        earlier = [(a, b) for a, b, lo, hi in named_parts(sentence) if _looks_back(sentence, lo, hi)]
        if not (sentence.background or carried or earlier):
            continue
        named = pairs_named(sentence) if sentence.background else earlier
        for a, b in ([carried] if carried else []) + named:
            keys = frozenset((a.key, b.key))
            if keys in found or keys in groups or not _allowed(a, b, sentence):
                continue
            deal = side.setdefault(keys, Candidate(keys, {a.key: a, b.key: b}, sentence.index, side=True))
            deal.sentences.append(sentence.index)
    return side


def recalled_episodes(sentences: list[Sentence], taken: set[int], published: date | None,
                      news: dict[frozenset[str], bool]) -> list[Candidate]:
    """An older deal told over a few sentences after the news: "今年5月16日，科伦博泰曾把SKB264许可给默沙东……根据该项交易，
    科伦药业可获得4700万美元首付款" or "Back in 2022, Akeso licensed ivonescimab to Summit. … $500 million upfront".
    A sentence past the lead that names a pair and dates itself before the news opens the episode; the sentences
    after it in its paragraph (or the next, while it has no terms yet) that name no other company are its terms.
    Each episode is a deal of its own, even when the same pair makes the news (NEWS maps the pairs reported as
    news to whether they are a new signing rather than a follow-up), as long as that news states terms first."""
    groups = own_groups(sentences)
    episodes: list[Candidate] = []
    for opening in sentences[LEAD_SENTENCES:]:
        if opening.index in taken or opening.aggregate or not _dated_before(opening, published):
            continue
        pair = next(((a, b) for a, b in pairs_named(opening) if frozenset((a.key, b.key)) not in groups
                     and _allowed(a, b, opening)), None)
        if pair is None:
            continue
        keys = frozenset((pair[0].key, pair[1].key))
        if keys in news and not (news[keys] and any(
                _states_terms(s) and not s.background and s.keys() & keys for s in sentences[:opening.index])):
            continue  # the news of this pair is a follow-up or states no terms: the older terms are its own
        related = keys | {k for g in groups if g & keys for k in g}
        told = [opening]
        for sentence in sentences[opening.index + 1:]:
            next_paragraph = sentence.paragraph == told[-1].paragraph + 1 and not any(map(_states_terms, told))
            if sentence.index in taken or not (sentence.paragraph == opening.paragraph or next_paragraph) \
                    or not sentence.keys() <= related or (keys <= sentence.keys() and _dated_before(sentence, published)):
                break
            told.append(sentence)
        if any(_states_terms(s) for s in told):
            episode = Candidate(keys, {pair[0].key: pair[0], pair[1].key: pair[1]}, opening.index, side=True)
            episode.sentences = [s.index for s in told if s.keys() <= related]
            episodes.append(episode)
            taken |= set(episode.sentences)
    return episodes


def _dated_before(sentence: Sentence, published: date | None) -> bool:
    """The sentence recalls a time before the news: an older year, or a date it opens with well before publication."""
    if sentence.background:
        return True
    day = dateline(sentence.text, published) if published else None
    return day is not None and published is not None and day <= published - EPISODE_GAP


def _subject_of(sentence: Sentence) -> CompanyHit | None:
    """The first company the sentence names that is not the object of a preposition or a granting verb."""
    for hit in sorted(sentence.hits, key=lambda h: h.start):
        before = sentence.text[max(0, hit.start - 25):hit.start]
        if not (OBJECT_BEFORE.search(before) or TO_LICENSEE.search(before)):
            return hit
    return None


def _carried_pair(sentence: Sentence, sentences: list[Sentence]) -> tuple[CompanyHit, CompanyHit] | None:
    """A deal sentence that leaves its subject to the sentence before and names one other company: that pair, with
    the last company named before it that was no object."""
    hits = _distinct(sentence.hits)
    if len(hits) != 1 or not sentence.trigger:
        return None
    opening = CARRIED_SUBJECT.match(sentence.text)
    if not opening or opening.end() > hits[0].start:
        return None
    subject = next((found for earlier in reversed(sentences[max(0, sentence.index - SUBJECT_REACH):sentence.index])
                    if (found := _subject_of(earlier))), None)
    return (subject, hits[0]) if subject is not None and subject.key != hits[0].key else None


def _short_of(short: CompanyHit, long: CompanyHit) -> bool:
    """'Kelun' (a one-word mention) is a short form of 'Kelun-Biotech' / 'Sichuan Kelun-Biotech' named beside it."""
    word = short.mention.casefold()
    if short.key != long.key and " " in word and long.mention.casefold().endswith(" " + word) \
            and " " not in long.mention[:-len(word) - 1].strip():
        return True  # "Baize Pharma" beside "Hangzhou Baize Pharma": the same company without its city
    return (short.key != long.key and len(word) >= 4 and " " not in word and len(long.mention) > len(word)
            and any(re.match(rf"(?:\w+ )?{re.escape(word)}\b", form.casefold()) for form in (long.name, long.mention)))


def merge_short_forms(found: dict[frozenset[str], Candidate]) -> dict[frozenset[str], Candidate]:
    """Two candidates with one party in common whose other parties are a short and a full name: one deal."""
    for keys, short in list(found.items()):
        for other in list(found.values()):
            common = keys & other.keys
            if other is short or len(common) != 1 or keys not in found:
                continue
            mine = next(h for k, h in short.parties.items() if k not in common)
            theirs = next(h for k, h in other.parties.items() if k not in common)
            if _short_of(mine, theirs):
                other.first = min(other.first, short.first)
                del found[keys]
    return found


def lead_candidate(lead: list[Sentence], denial: bool) -> dict[frozenset[str], Candidate]:
    """No sentence names both parties, but the lead does: 'Hengrui inks record deal. GSK pays $500M upfront.'"""
    lead = [s for s in lead if not s.background]
    hits = _distinct([h for s in lead for h in s.hits])
    if denial or len(hits) != 2 or hits[0].chinese == hits[1].chinese or not any(s.trigger for s in lead) \
            or not any(a.role in ROLES for s in lead for a in s.amounts):
        return {}
    keys = frozenset(h.key for h in hits)
    first = min(s.index for s in lead if s.hits)
    return {keys: Candidate(keys, {h.key: h for h in hits}, first)}
