"""Amounts in a sentence and the deal role each plays (upfront, milestones, total, equity, or none)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from pharmadeals.extractors.cue_tables import (
    PAID_MILESTONES_FILE,
    PRICE_AFTER_FILE,
    PRICE_CUES_FILE,
    RECEIVED_CUES_FILE,
    WEAK_CUES_FILE,
    load_phrases,
    load_role_cues,
    phrase_after,
    phrase_before,
)
from pharmadeals.extractors.literals import phrase_trie
from pharmadeals.extractors.numbers import as_thousands, find_money
from pharmadeals.models.records import AMOUNT_ROLES, Money

# Cue phrases by role, as data (data/money_roles.yaml). "none" marks figures that are not deal terms.
ROLE_CUES: dict[str, tuple[str, ...]] = load_role_cues()
# "sales milestones" and "销售里程碑" are milestones, so the milestone words are tried before "sales".
_PHRASES = sorted(((p, role) for role, phrases in ROLE_CUES.items() for p in phrases),
                  key=lambda item: len(item[0]), reverse=True)
# The longest cue at each place, a Latin one not inside a word. As tries (extractors/literals.py): the same matches
# as the longest-first alternation of 328 phrases, which `re` tried one by one at every character.
_CUE_TRIE = phrase_trie(p for p, _ in _PHRASES)
CUE_RE = re.compile(phrase_trie((p for p, _ in _PHRASES), latin_before="(?<![a-z])"), re.IGNORECASE)
CUE_ROLE = {p.lower(): role for p, role in _PHRASES}
# A converted echo of the previous amount, e.g. "5亿美元（约合人民币36亿元）" or "(about RMB 3.6 billion)".
# "（按协议签署日汇率约合人民币1.44亿元）", "(at today's exchange rate, about $36 million)": the rate may be named first
CONVERSION_WORDS = re.compile(r"(?:(?:按|以|依)[^（）()，,]{0,14}(?:汇率|匯率)[，,]?\s*|at [^()]{0,30}?(?:exchange )?rates?,?\s*)?"
                              r"(?:约合|約合|折合|相当于|相當於|约|約|approximately|about|roughly|approx\.|or|i\.e\.)?",
                              re.IGNORECASE)
CONVERSION_RE = re.compile(r"(?:约合|約合|折合|相当于|相當於|\bor(?: about| approximately| roughly)?)\s*$",
                           re.IGNORECASE)
# "60.5亿美元，按当前汇率折算，潜在交易总额超过430亿元人民币", "$1.25 billion, which at current exchange rates is about
# HK$9.8 billion": the same figure restated at a named rate, however far from the first one.
RATE_RESTATED = re.compile(r"(?:汇率|匯率)[^，,。；]{0,4}(?:折算|换算|換算|计算|計算)|(?:折算|换算|換算)[^，,。；]{0,4}(?:为|為|成)|"
                           r"\bat (?:the )?(?:current|today's|prevailing) (?:exchange )?rates?\b", re.IGNORECASE)
SEPARATOR = re.compile(r"[,，、:：;；]|\b(?:and|plus|with|while|as well as)\b|[及和并與与]")
HEADING_RE = re.compile(r"^\W*(?:\d+\s*[、.)）]|[（(]?[ivx]+[)）]|[一二三四五六七八九十]+、)?\s*(" + _CUE_TRIE
                        + r")[^:：，,。]{0,8}[:：]", re.IGNORECASE)
HEADING_KEEPS = 15
QUALIFIER_REACH = 20
QUALIFIER_GAP = re.compile(r"\s*(?:payments?|fees?|sums?|amounts?|付款|款|金额|金額)?\s*", re.IGNORECASE)
# "upfront ... including $100 million that Takeda will invest": the cue before 'including' names the whole.
CONTAINER = re.compile(r"\binclud\w*|\bof which\b|\bconsisting of\b|其中|包括|包含", re.IGNORECASE)
CONTAINER_PENALTY = 30
# A milestone word after a figure, behind "once" or "inclusive of": the figure is the whole deal with its milestones
# ("as much as $5 billion once regulatory and commercial milestone payments are included"); "including" and "if"
# only list or condition the payments ("up to $4.8 billion, including sales milestones", "$1.77 billion more if…").
INCLUDES_AFTER = re.compile(r"\b(?:once|inclusive of)\b|计入|計入", re.IGNORECASE)
# "the total amount includes the upfront and the milestones, up to $X": a total word before its listed parts.
TOTAL_INCLUDES = re.compile(r"(?:总金额|總金額|总额|總額|交易总价|交易總價|total (?:value|amount|deal value|potential value))"
                            r"[^，。；,;$]{0,6}(?:包含|包括|含|includes|including)", re.IGNORECASE)
SIZED_DEAL = phrase_after(PRICE_AFTER_FILE, describing=14)  # "a $12 billion pact", "114亿美元的合作" (data/price_after.yaml)
WHOLE_BEFORE_PARTS = re.compile(r"[\s,，]*(?:in total[\s,]*)?(?:including|which includes|of which|其中|包括|含)",
                                re.IGNORECASE)
# "as much as $1.05 billion, including an upfront payment": a ceiling followed by its parts is the whole deal.
CEILING_BEFORE = re.compile(r"(?:\bup to|\bas much as|最高(?:可达|可達|达|達)?|高达|高達)\s*(?:US)?\s*$", re.IGNORECASE)
WARRANT = re.compile(r"warrant|认股权证|認股權證", re.IGNORECASE)
TINY = 100_000  # per-share prices and the like: never a deal term, never a boundary between terms
CLAUSE_END = re.compile(r"[;；。！？!?]")
WIDE_COMMA = "，"
ROLES = AMOUNT_ROLES  # the deal-term roles; a money mention may also have none (a share price, a revenue)
# "$579.5 million in milestones (that's up to $614.5 million all-in)": a figure in brackets is an aside, so the
# cue before the bracket still belongs to the figure before it.
ASIDE = re.compile(r"[(（]")
BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
HIDDEN = "\u2063"  # what a hidden echo figure is overwritten with (an invisible separator keeps offsets)
UNDISCLOSED_UPFRONT = re.compile(r"\bundisclosed (?:upfront|up-front|initial)|\bupfront (?:payment |fee )?(?:was |were )?"
                                r"(?:not disclosed|undisclosed)|首付款[^，。；]{0,6}未(?:披露|公开|公開)|未披露[^，。；]{0,6}首付款",
                                re.IGNORECASE)
# "Total milestones | up to $970 million" beside per-category rows: the stated sum is the milestone term.
MILESTONE_SUM = re.compile(r"total|aggregate|in all|总额|總額|合计|合計|总计|總計|累计|累計", re.IGNORECASE)
WEAK_TOTAL = re.compile(r"worth|valued|value|价值|價值|交易金额|交易金額|对价|對價|合计|合計|共计|总计", re.IGNORECASE)
STRONG_TOTAL = re.compile(r"total|总金额|总额|總金額|總額|潜在总|up to|最高", re.IGNORECASE)
FAR_CUE = 30  # a figure whose cue is this far away ranks after any figure with a cue beside it
SMALL_UPFRONT_CUE = 6  # "首付款40万美元": a small sum right after the word upfront is still the upfront
MIN_AMOUNT = 1_000_000  # smaller figures are share prices or per-share terms, never a licence payment
LEFT_WINDOW = 90
RIGHT_WINDOW = 80
COMMA_PENALTY = 25
# Cues that only hint at a role ("worth", "合计"): a plain role word nearby wins over them.
WEAK_CUE_WORDS = frozenset(p.lower() for p in load_phrases(WEAK_CUES_FILE))
# "以總代價約7,500萬美元認購本公司新股份": money spent to subscribe for shares is equity, whatever came before it.
SUBSCRIBES_AFTER = re.compile(r"\s*(?:认购|認購|to subscribe for|subscribing for|for new shares|for newly issued shares)",
                              re.IGNORECASE)
WEAK_PENALTY = 25
STAKE_VALUED = re.compile(r"\b(?:stake|shares|equity interest)\b[^.;$]{0,50}\b(?:valued at|worth)\s*(?:about |roughly |"
                          r"approximately |some |around )?$|(?:股权|股權|股份)[^，。；]{0,12}(?:价值|價值|作价|作價)(?:约|約)?\s*$",
                          re.IGNORECASE)
# Cash paid now, set against later payments (warrants or shares beside it make it a different bundle).
CASH_NOW = re.compile(r"\s*(?:in )?cash\s*,?\s*(?:and|plus)\s+(?:up to|as much as|another|a further)?\s*$|"
                      r"\s*(?:的)?现金(?:对价|對價)?[，,]?\s*(?:及|和|另加|外加|加上)(?:最高|最多)?\s*$", re.IGNORECASE)
UP_TO_AFTER = re.compile(r"\s*(?:up to|as much as)", re.IGNORECASE)
# A figure no cue claims, right after "for" / "pay up to" / "以": the price of the deal (data/price_cues.yaml);
# right after "will receive" / "be paid": the licensor's upfront (data/received_cues.yaml).
PRICE_BEFORE = phrase_before(PRICE_CUES_FILE)
RECEIVED_BEFORE = phrase_before(RECEIVED_CUES_FILE)
# Milestone categories: sales-based ones, and development / regulatory / clinical ones.
SALES_WORDS = re.compile(r"\b(?:sales|commercial)\b|销售|銷售|商业化|商業化", re.IGNORECASE)
DEVELOPMENT_WORDS = re.compile(r"\b(?:development|developmental|regulatory|clinical|approval)\b|开发|開發|注册|註冊|"
                               r"监管|監管|临床|臨床|研发|研發|审批|審批", re.IGNORECASE)
# "BioAtla will pay Beijing Sinobioway $70 million": money one side will pay the other, named, with no role word.
PAY_NAMED_BEFORE = re.compile(r"\b(?:will|to|agreed to|would|shall|is to) pay\s+(?:[A-Z][\w&.-]*\s+){1,4}(?:US|USD)?\s*$")
UPFRONT_AFTER = re.compile(r"\s*(?:in|of)\s+(?:upfront|up-front)\b", re.IGNORECASE)
# "$185M upfront + up to $1.525B": a bare figure added to the upfront is the rest of the deal, its milestones.
PLUS_AFTER_UPFRONT = re.compile(r"^[^,;，；。\d]{0,15}?(?:\+|\bplus|另加|外加)\s*(?:up to|as much as|最高|至多)?\s*(?:US|USD)?\s*$",
                                re.IGNORECASE)
# "an upfront payment, near-term milestone payments and option exercise fees that together total $175 million",
# "首付款、近期里程碑及选择权费合计": a list led by the upfront and summed is the upfront term.
COMBINED_UPFRONT = re.compile(r"\b(?:upfront|up-front)(?: cash)?(?: payments?| fees?)?\s*(?:,|and|plus)\s+[^.;$€¥]{0,90}?"
                              r"\b(?:together|combined|in total|totall?ing|total|amounting to|aggregating)\b[^.;$€¥\d]{0,25}$|"
                              r"(?:首付款|首期付款|预付款|預付款)(?:、|及|和|与|與)[^，。；\d]{0,30}(?:合计|合計|共计|共計|总计|總計)[^，。；\d]{0,8}$",
                              re.IGNORECASE)
# ...but "首付款及里程碑付款合计不超过20.16亿元" sums every milestone with it: that is the total.
ALL_MILESTONES = re.compile(r"(?<!near-term )(?<!near term )(?<!early )milestone|(?<!近期)(?<!早期)里程碑", re.IGNORECASE)
# The list names further payments ("option exercise fees", "近期里程碑"), not the deal ("in a deal carrying a total value").
LISTED_PAYMENTS = re.compile(r"\b(?:milestones?|fees?|payments?)\b|里程碑|费|費|款", re.IGNORECASE)
DEAL_NOUN = re.compile(r"\b(?:deal|agreement|transaction|pact|value|worth)\b|交易|协议|協議", re.IGNORECASE)
# "an upfront payment of $110 million and an equity stake of 20%": a cue after 'and a(n)' names the next item.
# "up to $1.05 billion, but neither would say how much is paid upfront": a contrast opens another statement.
NEXT_ITEM = re.compile(r"^\s*,?\s*(?:(?:and|plus|as well as)\s+(?:an?|the|its)\s|(?:but|while|whereas|although|though)\b)",
                       re.IGNORECASE)
NO_CUE = 10_000
_PAID = sorted(load_phrases(PAID_MILESTONES_FILE), key=len, reverse=True)
PAID_MILESTONE = re.compile("|".join(rf"\b{re.escape(p)}\b" if p.isascii() else re.escape(p) for p in _PAID),
                            re.IGNORECASE)
MILESTONE_CAP = re.compile(r"\bup to\b|\bas much as\b|\bpotential\b|\bin total\b|\bcumulative|最高|至多|最多|不超过|不超過|"
                           r"累计|累計|总额|總額|潜在|潛在|合计不|合計不", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[,，;；。:：!?！？]")


@dataclass(frozen=True)
class Amount:
    """A money figure in a sentence with the role its cue words give it ('none' when it is no deal term)."""

    start: int
    end: int
    money: Money
    role: str
    cue_distance: int


def _cues(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), CUE_ROLE[m.group(0).lower()]) for m in CUE_RE.finditer(text)]


def _distance(gap: str, base: int) -> int:
    """Characters between cue and amount, plus a penalty for each comma the reading crosses."""
    return base + COMMA_PENALTY * (gap.count(",") + gap.count(WIDE_COMMA) * 2)


def _best_role(text: str, start: int, end: int, lo: int, hi: int, prev_end: int,
               next_start: int | None) -> tuple[str, int]:
    """The role of the nearest cue; a cue right after the previous figure belongs to that figure."""
    best: tuple[int, str] = (NO_CUE, "none")
    for c_start, c_end, role in _cues(text[lo:hi]):
        c_start, c_end = c_start + lo, c_end + lo
        if c_end <= start:
            gap = text[c_end:start]
            # "KRW 50 billion (about $36 million) upfront": a hidden or bracketed echo adds no distance
            after_prev = BRACKETED.sub("", text[prev_end:c_start]).replace(HIDDEN, "").strip()
            if CLAUSE_END.search(gap) or (prev_end > 0 and not SEPARATOR.search(after_prev)
                                          and len(after_prev) < start - c_end):
                continue  # "$1.25 billion upfront and $4.8 billion": that cue is the previous figure's
            dist = _distance(gap, start - c_end) + (CONTAINER_PENALTY if CONTAINER.search(gap) else 0)
            if role in ("upfront", "milestones") and TOTAL_INCLUDES.search(text[lo:c_start]):
                role = "total"  # "总金额包含首付款以及…里程碑款项，最高有望达到50亿美元": the parts name the whole
        elif c_start >= end:
            gap = text[end:c_start]
            if CLAUSE_END.search(gap) or WIDE_COMMA in gap or NEXT_ITEM.match(gap):
                continue
            if next_start is not None and SEPARATOR.search(gap) and not SEPARATOR.search(text[c_end:next_start]) \
                    and not ASIDE.search(text[c_end:next_start]):
                continue  # ", for a total of $X": the cue introduces the next figure
            dist = c_start - end + 1  # an ambiguous tie goes to the cue before the figure
            if role == "milestones" and INCLUDES_AFTER.search(gap):
                role = "total"  # "as much as $5 billion once milestone payments are included"
        else:
            continue
        if text[c_start:c_end].lower() in WEAK_CUE_WORDS and not UP_TO_AFTER.match(text, c_end):
            dist += WEAK_PENALTY  # "worth $X" only hints at a total; "worth up to $X" states the ceiling
        if dist < best[0]:
            best = (dist, role)
            if role == "total" and c_end <= start:
                best = (dist, _qualified_total(text, c_start, lo) or role)
    return best[1], best[0]


def _qualified_total(text: str, cue_start: int, lo: int) -> str | None:
    """'upfront payment totaling $X', '里程碑付款总额': a role word right before the 'total' word wins."""
    before = text[max(lo, cue_start - QUALIFIER_REACH):cue_start]
    found = [(m.end(), CUE_ROLE[m.group(0).lower()]) for m in CUE_RE.finditer(before)]
    found = [(end, role) for end, role in found if role in ("upfront", "milestones", "equity")
             and QUALIFIER_GAP.fullmatch(before[end:])]
    return found[-1][1] if found else None


def _is_conversion(sentence: str, found: list[tuple[int, int, Money]], index: int) -> bool:
    """A figure in brackets (or after 'or about') right after another one restates it in a second currency."""
    if not index or found[index][2].currency == found[index - 1][2].currency:
        return False
    before = sentence[found[index - 1][1]:found[index][0]]
    bracket = max(before.rfind("("), before.rfind("（"))
    if bracket >= 0:
        return bool(CONVERSION_WORDS.fullmatch(before[bracket + 1:].strip()))
    return (len(before) < 20 and bool(CONVERSION_RE.search(before))) or bool(RATE_RESTATED.search(before))


def extract_amounts(sentence: str, thousands: bool = False) -> list[Amount]:
    """Every money figure in the sentence with its role; converted echoes get role 'none'. With `thousands`, the
    text counts in thousands and a figure with no magnitude word is scaled first."""
    found = find_money(sentence)
    if thousands:
        found = [(start, end, as_thousands(money)) for start, end, money in found]
    echoes = {i for i in range(len(found)) if _is_conversion(sentence, found, i) or found[i][2].value < TINY}
    kept = [(i, item) for i, item in enumerate(found) if i not in echoes]
    amounts: list[Amount] = [Amount(found[i][0], found[i][1], found[i][2], "none", 0) for i in echoes]
    for pos, (_index, (start, end, money)) in enumerate(kept):
        prev_end = kept[pos - 1][1][1] if pos else 0
        next_start = kept[pos + 1][1][0] if pos + 1 < len(kept) else len(sentence)
        lo = max(prev_end, start - LEFT_WINDOW)
        hi = min(next_start, end + RIGHT_WINDOW)
        window = _blank_echoes(sentence, [found[i] for i in echoes])
        role, dist = _best_role(window, start, end, lo, hi, prev_end,
                                next_start if pos + 1 < len(kept) else None)
        if SUBSCRIBES_AFTER.match(window[end:hi]):
            role, dist = "equity", 0
        if role == "equity" and WARRANT.search(sentence[max(prev_end, start - 2 * LEFT_WINDOW):start]):
            role = "none"  # warrants handed over as payment are part of the upfront, not an equity investment
        if (role == "none" or dist > FAR_CUE or CEILING_BEFORE.search(window[lo:start])) \
                and WHOLE_BEFORE_PARTS.match(window[end:hi]):
            role, dist = "total", FAR_CUE  # "up to $1.2 billion, including $100 million upfront"
        combined = COMBINED_UPFRONT.search(window[max(0, start - 2 * LEFT_WINDOW):start])
        if role in ("total", "milestones", "none") and combined and not ALL_MILESTONES.search(combined.group(0)) \
                and LISTED_PAYMENTS.search(combined.group(0)) and not DEAL_NOUN.search(combined.group(0)):
            role = "upfront"  # LABELING.md: "upfront, near-term milestones and option fees totalling $X" is upfront
        if role == "total" and STAKE_VALUED.search(window[lo:start]):
            role = "equity"  # "a 19.9% stake in X, which the companies valued at roughly $60 million"
        elif role == "none" and CASH_NOW.match(window[end:hi]):
            role, dist = "upfront", FAR_CUE  # "to buy X for €300m in cash and up to €110m in further payments"
        elif role == "none" and SIZED_DEAL.match(window[end:hi]):
            role, dist = "total", FAR_CUE + 1  # "a $12 billion pact with GSK": only when no better total is stated
        elif role == "none" and dist == NO_CUE and PRICE_BEFORE.search(window[lo:start]):
            role, dist = "total", FAR_CUE + 1  # "bought Gracell for $1 billion"
        elif role == "none" and dist == NO_CUE and RECEIVED_BEFORE.search(window[lo:start]):
            role, dist = "upfront", FAR_CUE + 1  # "HUTCHMED will shortly be paid US$400 million"
        elif role == "none" and dist == NO_CUE and amounts and amounts[-1].role == "upfront" \
                and PLUS_AFTER_UPFRONT.match(sentence[amounts[-1].end:start]):
            role, dist = "milestones", FAR_CUE + 1  # "$185M upfront + up to $1.525B"
        elif role == "none" and dist == NO_CUE and PAY_NAMED_BEFORE.search(window[lo:start]):
            role, dist = "upfront", FAR_CUE + 1  # "BioAtla will pay Beijing Sinobioway $70 million"
        if role == "total" and UPFRONT_AFTER.match(window[end:hi]):
            role = "upfront"  # "a total of USD47m in upfront and near-term payments" (LABELING.md: the upfront)
        amounts.append(Amount(start, end, money, role, dist))
    return _paid_milestones(sentence, _apply_change(sentence, _apply_heading(sentence, sorted(amounts,
                                                                                           key=lambda a: a.start))))


def _paid_milestones(sentence: str, amounts: list[Amount]) -> list[Amount]:
    """A milestone payment the clause says was triggered or received is money paid, not the milestone cap."""
    out = []
    for amount in amounts:
        if amount.role == "milestones":
            breaks = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, amount.start)]
            after = CLAUSE_BREAK.search(sentence, amount.end)
            clause = sentence[breaks[-1] if breaks else 0:after.start() if after else len(sentence)]
            if PAID_MILESTONE.search(clause) and not MILESTONE_CAP.search(clause):
                amount = replace(amount, role="none")
        out.append(amount)
    return out


# "上限由9,600萬美元上調至1.2億美元", "raised from $96 million to $120 million": the old figure is history, the new
# one carries the role.
CHANGED_FROM = re.compile(r"(?:由|从|從|\bfrom)\s*$", re.IGNORECASE)
CHANGED_TO = re.compile(r"\s*(?:上调至|上調至|增加至|增至|提高至|提升至|调整为|調整為|调整至|調整至|下调至|下調至|减少至|減少至|"
                        r"降至|增加到|提高到|上调到|上調到|to)\s*", re.IGNORECASE)


def _apply_change(sentence: str, amounts: list[Amount]) -> list[Amount]:
    out = list(amounts)
    for i, (old, new) in enumerate(pairwise(amounts)):
        if CHANGED_FROM.search(sentence[max(0, old.start - 6):old.start]) \
                and CHANGED_TO.fullmatch(sentence[old.end:new.start]) and old.role in ROLES:
            role = old.role if new.role not in ROLES or new.cue_distance > old.cue_distance else new.role
            out[i] = Amount(old.start, old.end, old.money, "none", old.cue_distance)
            out[i + 1] = Amount(new.start, new.end, new.money, role, min(old.cue_distance, new.cue_distance))
    return out


def _apply_heading(sentence: str, amounts: list[Amount]) -> list[Amount]:
    """'2、里程碑付款：…17.7亿美元' or '(ii) milestone payments: …': the heading names the first figure's role
    unless a cue sits right beside it."""
    heading = HEADING_RE.match(sentence)
    if not heading or not amounts:
        return amounts
    role = CUE_ROLE.get(heading.group(1).lower())
    first = amounts[0]
    if role in (None, "none") or first.role == role or first.cue_distance <= HEADING_KEEPS:
        return amounts
    return [Amount(first.start, first.end, first.money, role, first.cue_distance), *amounts[1:]]


def _blank_echoes(sentence: str, echoes: list[tuple[int, int, Money]]) -> str:
    """Hide restated figures (and their brackets) so cues on either side still reach the real figure."""
    chars = list(sentence)
    for start, end, _ in echoes:
        lo = start
        while lo > 0 and start - lo < 8 and sentence[lo - 1] not in "（(":
            lo -= 1
        hi = end + 1 if end < len(sentence) and sentence[end] in "）)" else end
        lo = lo - 1 if lo > 0 and sentence[lo - 1] in "（(" else lo
        for i in range(lo, hi):
            chars[i] = HIDDEN
    return "".join(chars)


def _sentence_terms(amounts: list[Amount]) -> list[tuple[str, Money, int]]:
    """(role, money, cue distance) in a sentence; milestone tranches (development, sales) add up to one figure."""
    found: list[tuple[str, Money, int]] = [(a.role, a.money, a.cue_distance) for a in amounts
                                           if a.role in ROLES and (a.money.value >= MIN_AMOUNT or (
                                               a.role == "upfront" and a.cue_distance <= SMALL_UPFRONT_CUE))]
    tranches = [(m, d) for role, m, d in found if role == "milestones"]
    values = sorted({m.value for m, _ in tranches})
    if len(tranches) > 1 and len(values) == len(tranches) and len({m.currency for m, _ in tranches}) == 1:
        whole = values[-1] == sum(values[:-1])  # "$80M and $72M, or $152M in all" states the sum itself
        summed = Money(value=values[-1] if whole else sum(values, Decimal(0)), currency=tranches[0][0].currency,
                       text=" + ".join(m.text for m, _ in tranches))
        first = next(i for i, item in enumerate(found) if item[0] == "milestones")
        found = [item for item in found if item[0] != "milestones"]
        found.insert(first, ("milestones", summed, min(d for _, d in tranches)))
    return found


def deal_terms(sentences: list[tuple[str, list[Amount]]]) -> dict[str, Money]:
    """One figure per role from a deal's sentences, in text order: close strong cues first, 'worth' and distant
    cues only as a fallback; a 'total' below one of its parts is dropped; total = upfront + milestones when the
    text states no total."""
    best: dict[str, tuple[int, int, int, Decimal, Money]] = {}
    for index, (text, amounts) in enumerate(sentences):
        for role, money, distance in _sentence_terms(amounts):
            at = text.find(money.text.split(" + ")[0])
            window = text[max(0, at - 30):at + len(money.text) + 30].lower()
            weak = role == "total" and bool(WEAK_TOTAL.search(window)) and not STRONG_TOTAL.search(window)
            part = role == "milestones" and not MILESTONE_SUM.search(window)
            # two totals in one sentence: '…合计最高8.25亿美元，交易总额最高8.45亿美元' — the first sums only some parts
            larger = -money.value if role == "total" else Decimal(0)
            rank = (int(weak or distance > FAR_CUE), int(part), index, larger)
            if role not in best or rank < best[role][:4]:
                best[role] = (*rank, money)
    terms = {role: item[4] for role, item in best.items()}
    split = _milestone_categories(sentences)
    if split is not None and "milestones" in terms and split.currency == terms["milestones"].currency \
            and split.value > terms["milestones"].value:
        terms["milestones"] = split
    up, ms, total = terms.get("upfront"), terms.get("milestones"), terms.get("total")
    if total and any(part and part.currency == total.currency and part.value > total.value for part in (up, ms)):
        del terms["total"]  # a "total" smaller than one of its parts was some other figure
    if "total" not in terms and up and ms and up.currency == ms.currency:
        terms["total"] = Money(value=up.value + ms.value, currency=up.currency, text=f"{up.text} + {ms.text}")
    elif "total" not in terms and ms and not up and UNDISCLOSED_UPFRONT.search(" ".join(t for t, _ in sentences)):
        terms["total"] = ms  # "an undisclosed upfront fee ... up to $620 million in milestones": all that is stated
    return terms


def _milestone_categories(sentences: list[tuple[str, list[Amount]]]) -> Money | None:
    """LABELING.md sums every milestone category the text states: "development and regulatory milestones of up to
    $200 million" in one line and "sales milestones of up to $5.725 billion" in the next are $5.925 billion of
    milestones. None unless the deal's sentences state a development figure and a sales figure apart (one
    figure naming both, or a stated milestone total, is the whole)."""
    found: dict[str, Money] = {}
    for text, amounts in sentences:
        for amount in amounts:
            if amount.role != "milestones" or amount.money.value < MIN_AMOUNT:
                continue
            window = text[max(0, amount.start - 60):amount.end + 80]
            sales, development = bool(SALES_WORDS.search(window)), bool(DEVELOPMENT_WORDS.search(window))
            if sales == development or MILESTONE_SUM.search(window):
                return None  # a figure for every category, or for none in particular: it is the whole
            found.setdefault("sales" if sales else "development", amount.money)
    if len(found) != 2 or len({m.currency for m in found.values()}) != 1:
        return None
    first, second = found["development"], found["sales"]
    return Money(value=first.value + second.value, currency=first.currency, text=f"{first.text} + {second.text}")
