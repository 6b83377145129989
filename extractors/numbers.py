"""Money text to exact Decimal amounts: English scales, Chinese units (万/亿/億), Chinese numerals, full-width digits."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from pharmadeals.models.records import Money

# Full-width digits, letters and number signs map one-to-one onto ASCII, so offsets never move; Chinese
# punctuation (，；：（）！？) is kept because sentence and clause rules read it.
FULL_WIDTH = {ord(ch): ord(ch) - 0xFEE0 for ch in "０１２３４５６７８９＄％．－＆＋／＠＃"}
FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
FULL_WIDTH[0x3000] = 0x20  # ideographic space

EN_SCALES: dict[str, Decimal] = {
    "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9, "bln": Decimal(10) ** 9,
    "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6, "mln": Decimal(10) ** 6,
    "mm": Decimal(10) ** 6, "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3,
}
ZH_UNITS: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12, "萬億": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "億": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7, "千萬": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "百萬": Decimal(10) ** 6,
    "万": Decimal(10) ** 4, "萬": Decimal(10) ** 4, "千": Decimal(10) ** 3,
}
# Currency words as written -> ISO code (longest first when compiled).
CURRENCY_WORDS: dict[str, str] = {
    "US$": "USD", "USD": "USD", "U.S. dollars": "USD", "US dollars": "USD", "dollars": "USD", "$": "USD",
    "HK$": "HKD", "HKD": "HKD", "Hong Kong dollars": "HKD", "RMB": "CNY", "Rmb": "CNY", "CNY": "CNY",
    "yuan": "CNY", "renminbi": "CNY", "€": "EUR", "EUR": "EUR", "euros": "EUR", "euro": "EUR", "£": "GBP",
    "GBP": "GBP", "pounds": "GBP", "CHF": "CHF", "Swiss francs": "CHF", "JPY": "JPY", "yen": "JPY",
    "¥": "CNY", "KRW": "KRW", "won": "KRW", "₩": "KRW", "S$": "SGD", "A$": "AUD", "C$": "CAD",
    "美元": "USD", "美金": "USD", "元人民币": "CNY", "人民币": "CNY", "元人民幣": "CNY", "人民幣": "CNY", "元": "CNY", "港元": "HKD",
    "港币": "HKD", "港幣": "HKD", "欧元": "EUR", "歐元": "EUR", "日元": "JPY", "英镑": "GBP", "英鎊": "GBP",
    "瑞士法郎": "CHF", "韩元": "KRW", "澳元": "AUD", "加元": "CAD", "新台幣": "TWD", "新臺幣": "TWD", "新台币": "TWD",
}
MAX_VALUE = Decimal(10) ** 15
CN_DIGITS = "零〇一二两兩三四五六七八九十百千壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"
# Financial (anti-fraud) numerals in formal filings, mapped to the everyday ones cn2an reads.
FINANCIAL_NUMERALS = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟", "一二二三三四五六六七八九十百千")
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
CN_NUMBER = rf"[零〇一二两兩三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾][{CN_DIGITS}万萬亿億点點]*"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_EN_CUR_PREFIX = _alternation([w for w in CURRENCY_WORDS if w.isascii() and not w.islower()
                               and w not in ("U.S. dollars", "US dollars", "Hong Kong dollars", "Swiss francs")]
                              + ["€", "£", "¥", "₩"])
_EN_CUR_SUFFIX = _alternation(["U.S. dollars", "US dollars", "dollars", "Hong Kong dollars", "yuan", "renminbi",
                               "euros", "euro", "pounds", "Swiss francs", "yen", "won", "USD", "RMB", "EUR", "HKD", "CNY",
                               "KRW", "JPY"])
_EN_SCALE = _alternation(list(EN_SCALES))
_ZH_UNIT = _alternation(list(ZH_UNITS))
_ZH_CUR = _alternation([w for w in CURRENCY_WORDS if not w.isascii() and w not in ("€", "£", "¥", "₩")])

# "$1.25 billion", "US$1.25bn", "RMB 2 billion", "€200m"
EN_PREFIXED = re.compile(
    rf"(?P<cur>{_EN_CUR_PREFIX})\s?(?P<num>{ARABIC})(?:\s?(?P<scale>(?i:{_EN_SCALE}))\b)?(?![\d%])")
# "1.5 billion U.S. dollars", "200 million euros", "2 billion yuan"
EN_SUFFIXED = re.compile(
    rf"(?<![\w$])(?P<num>{ARABIC})\s?(?P<scale>(?i:{_EN_SCALE}))?\s(?P<cur>{_EN_CUR_SUFFIX})\b")
# Currency words written before the figure: "美金150萬元" (Taiwan's filings), "新台幣3億元", "人民币2亿元".
_ZH_CUR_FIRST = "美元|美金|人民币|人民幣|港币|港幣|港元|欧元|歐元|新台幣|新臺幣|新台币"
# "12.5亿美元", "1800万美元", "人民币2亿元", "十二亿五千万美元", "2亿元人民币", "五亿元"
ZH_MONEY = re.compile(
    rf"(?P<pre>{_ZH_CUR_FIRST})?\s?(?P<num>{ARABIC}|{CN_NUMBER})\s?(?P<unit>{_ZH_UNIT})?"
    rf"\s?(?P<cur>{_ZH_CUR})")
# "美元1.2亿", "人民币5亿" (the currency first, no 元 after the unit)
ZH_PREFIXED = re.compile(rf"(?P<cur>{_ZH_CUR_FIRST})\s?(?P<num>{ARABIC}|{CN_NUMBER})\s?"
                         rf"(?P<unit>{_ZH_UNIT})(?!\s?(?:{_ZH_CUR}))")
ANY_MONEY = (EN_PREFIXED, EN_SUFFIXED, ZH_MONEY, ZH_PREFIXED)


# "¥" is the sign of both the yuan and the yen: a text about Japan that never speaks of yuan means yen.
JAPAN_CONTEXT = re.compile(r"\bJapan(?:ese)?\b|\bTokyo\b|\bOsaka\b|\bTSE\b|日本|日元|東京|东京")
YUAN_CONTEXT = re.compile(r"\byuan\b|\bRMB\b|\brenminbi\b|\bCNY\b|人民币|人民幣", re.IGNORECASE)


def yen_means_jpy(text: str) -> bool:
    """Whether a bare '¥' in this article is the Japanese yen."""
    return bool(JAPAN_CONTEXT.search(text)) and not YUAN_CONTEXT.search(text)


def as_yen(money: Money) -> Money:
    """A '¥' figure read as yen (other figures unchanged)."""
    return replace(money, currency="JPY") if money.text.startswith("¥") else money


# Financial statements state figures "(in thousands)": "$15,000" there is fifteen million.
IN_THOUSANDS = re.compile(r"\b(?:in thousands|amounts? (?:are )?in thousands|\$ in thousands|in thousands of (?:U\.S\. )?"
                          r"(?:dollars|US\$|USD|RMB))\b|[（(](?:千元|千美元|人民币千元|人民幣千元)[)）]|单位[:：]\s*千元|單位[:：]\s*千元",
                          re.IGNORECASE)
MAGNITUDE_WORD = re.compile(r"[0-9.]\s*(?:[kmb]n?\b|thousand|million|billion|mn|bn|万|萬|亿|億|千)", re.IGNORECASE)


def states_thousands(text: str) -> bool:
    """Whether the text says its figures are in thousands (a filing's financial notes)."""
    return bool(IN_THOUSANDS.search(text))


def as_thousands(money: Money) -> Money:
    """A figure written without a magnitude word, in a text that counts in thousands, times 1,000."""
    return money if MAGNITUDE_WORD.search(money.text) else replace(money, value=money.value * 1000)


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and symbols to ASCII; the length of the text never changes."""
    return text.translate(FULL_WIDTH)


def parse_number(text: str) -> Decimal | None:
    """'1,250.5' or '十二亿五千万' or '一点五' to a Decimal; None when it is not a number."""
    raw = to_halfwidth(text).strip().replace(",", "")
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        pass
    import cn2an  # a third of a second to import; most figures are digits and never need it

    try:
        raw = raw.translate(FINANCIAL_NUMERALS)
        value = cn2an.cn2an(raw.replace("點", "点").replace("兩", "两").replace("億", "亿").replace("萬", "万"),
                            "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return Decimal(str(value))


def _scale(scale: str | None) -> Decimal:
    if not scale:
        return Decimal(1)
    return EN_SCALES.get(scale.lower(), ZH_UNITS.get(scale, Decimal(1)))


def _money(match: re.Match[str]) -> Money | None:
    groups = match.groupdict()
    number = parse_number(groups["num"])
    if number is None:
        return None
    scale = groups.get("scale") or groups.get("unit")
    cur_word = groups.get("pre") or groups["cur"]
    if groups.get("pre") and groups["cur"] in ("元", "萬元", "万元"):
        cur_word = groups["pre"]
    currency = CURRENCY_WORDS.get(cur_word) or CURRENCY_WORDS.get(cur_word.lower(), "USD")
    value = number * _scale(scale)
    if value > MAX_VALUE:
        return None  # no deal is this large: a typo, a serial number or an ID
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return Money(value=value, currency=currency, text=match.group(0))


def find_money(text: str) -> list[tuple[int, int, Money]]:
    """Every amount in the text as (start, end, Money), left to right, without overlaps."""
    text = to_halfwidth(text)
    found: list[tuple[int, int, Money]] = []
    for pattern in ANY_MONEY:
        for match in pattern.finditer(text):
            money = _money(match)
            if money is None or money.value <= 0:
                continue
            start, end = match.span()
            if any(s < end and start < e for s, e, _ in found):
                continue
            found.append((start, end, money))
    return sorted(found, key=lambda item: item[0])


def parse_amount(text: str) -> Money | None:
    """The first amount written in `text`, e.g. 'US$1.25bn' or '首付款12.5亿美元'."""
    found = find_money(text)
    return found[0][2] if found else None
