"""Script-independent keys for company names that are not in the registry.

A new Chinese biotech is often named 'Nanjing Kanglin Biotech' in English news and 南京康霖生物科技 in
Chinese news. Without the place and trade words both come down to the same core, 'kanglin' and 康霖, and
康霖 read in pinyin is 'kanglin' again. The key carries the script it came from: a Chinese name matches
English and Chinese names with its core, an English name only Chinese ones (two English names go through
the ordinary fuzzy match)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import islice, product

from pharmadeals.extractors.places import PLACE_COUNTRY
from pharmadeals.models.legal_forms import ZH_COMPANY_WORDS, ZH_GROUP_WORDS, ZH_LEGAL_FORMS, legal_words

KEY_PREFIX = "~romanised"
MIN_CORE_LETTERS = 5  # 'kanglin', 'yaotai', 'duoyuan'; two-letter cores like 'an' would match anything
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_TRADE_WORDS = frozenset({
    "bio", "biotech", "biotechnology", "biotechnologies", "biopharma", "biopharmaceutical", "biopharmaceuticals",
    "pharma", "pharmaceutical", "pharmaceuticals", "pharmaceutics", "therapeutics", "biosciences", "bioscience",
    "biologics", "biomedical", "biomedicine", "medicine", "medicines", "medical", "technology", "technologies",
    "tech", "sciences", "science", "life", "health", "healthcare", "co", "ltd", "limited", "inc", "corp",
    "corporation", "company", "holdings", "holding", "group", "plc", "the", "and", "pharmatech",
})
_ZH_LEGAL = ZH_LEGAL_FORMS + ZH_GROUP_WORDS + ZH_COMPANY_WORDS
_ZH_TRADE_WORDS = ("生物医药", "生物醫藥", "生物科技", "生物技术", "生物技術", "医药科技", "醫藥科技", "生物制药",
                   "生物製藥", "医药", "醫藥", "制药", "製藥", "药业", "藥業", "生技", "生物", "科技", "技术", "技術",
                   "医疗", "醫療", "健康")
_EN_PLACES = frozenset(p.casefold() for p in PLACE_COUNTRY if p.isascii())
_EN_LEGAL_WORDS = legal_words()
_ZH_PLACES = tuple(sorted((p for p in PLACE_COUNTRY if not p.isascii()), key=len, reverse=True))
_PINYIN_PLACES = tuple(sorted((p.casefold().replace(" ", "") for p in PLACE_COUNTRY
                               if p.isascii() and p.isalpha() and PLACE_COUNTRY[p] == "CN"), key=len, reverse=True))


def _english_core(name: str) -> str:
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFKC", name).casefold())
    return "".join(w for w in words if w not in _EN_TRADE_WORDS and w not in _EN_PLACES)


def _chinese_core(name: str) -> str:
    core = re.sub(r"[（(][^）)]*[）)]", "", unicodedata.normalize("NFKC", name)).strip()
    changed = True
    while changed:
        changed = False
        for word in _ZH_LEGAL + _ZH_TRADE_WORDS:
            if core.endswith(word) and len(core) > len(word) + 1:
                core, changed = core[: -len(word)], True
        for place in _ZH_PLACES:
            if core.startswith(place) and len(core) > len(place) + 1:
                core, changed = core[len(place):], True
    if core in _ZH_TRADE_WORDS or core in _ZH_PLACES or core in _ZH_LEGAL:
        return ""  # '生物医药' alone names no company
    return core if core and all(_CJK.match(c) for c in core) else ""


MAX_READINGS = 8  # a name of polyphonic characters has many readings; companies use one of the first few


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # loaded only when a new Chinese name needs it

    return "".join(lazy_pinyin(text))


@lru_cache(maxsize=4096)
def _readings(text: str) -> tuple[str, ...]:
    """Every reading of a name's characters, most common first: 凱晟 is 'kaicheng' or 'kaisheng' (the firm
    spells it Kaisheng)."""
    from pypinyin import Style, pinyin

    choices = pinyin(text, style=Style.NORMAL, heteronym=True)
    return tuple("".join(parts) for parts in islice(product(*choices), MAX_READINGS))


def _without_place(pinyin: str) -> str:
    """'guangzhouhengshi' -> 'hengshi': a place the character lists missed (廣州 in traditional script)."""
    for place in _PINYIN_PLACES:
        if pinyin.startswith(place) and len(pinyin) - len(place) >= MIN_CORE_LETTERS:
            return pinyin[len(place):]
    return pinyin


def romanised_core(name: str) -> str:
    """The distinctive part of a name in Latin letters, however short ('heyu' for 廣州和嶼醫藥)."""
    if _CJK.search(name):
        chinese = _chinese_core(name)
        return _without_place(_pinyin(chinese)) if chinese else ""
    return _english_core(name)


def romanised_keys(name: str) -> list[str]:
    """The key of every reading of a name (one key for an English name)."""
    if not _CJK.search(name):
        key = romanised_key(name)
        return [key] if key else []
    chinese = _chinese_core(name)
    cores = dict.fromkeys(_without_place(r) for r in _readings(chinese)) if chinese else {}
    return [f"{KEY_PREFIX}:zh:{core}" for core in cores if len(core) >= MIN_CORE_LETTERS]


def romanised_key(name: str) -> str | None:
    """'~romanised:zh:kanglin' for 南京康霖生物科技, '~romanised:en:kanglin' for 'Nanjing Kanglin Biotech';
    None when the name has no distinctive core long enough to match safely."""
    core = romanised_core(name)
    script = "zh" if _CJK.search(name) else "en"
    return f"{KEY_PREFIX}:{script}:{core}" if len(core) >= MIN_CORE_LETTERS else None


def english_words(name: str) -> set[str]:
    """The words of an English name without legal forms: compared to tell a short form from a rival name."""
    return {w for w in re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", name).casefold())
            if w not in _EN_LEGAL_WORDS}


def same_english_company(a: str, b: str) -> bool:
    """'Nanjing Lanpai' and 'Nanjing Lanpai Biopharma' (one name inside the other, same core) are one company;
    'Duality Biologics' and 'Duality Therapeutics' (same core, different trade words) are not."""
    ka, kb = romanised_key(a), romanised_key(b)
    if ka is None or ka != kb or ":en:" not in ka:
        return False
    wa, wb = english_words(a), english_words(b)
    return wa <= wb or wb <= wa


def matching_keys(key: str) -> list[str]:
    """Keys of names that may be the same company: a Chinese core matches Chinese and English names
    ('泓屿生物' is '上海泓屿生物科技'); an English core only Chinese ones, since two English names with the same
    core ('Duality Biologics', 'Duality Therapeutics') can be different firms."""
    _, script, core = key.split(":", 2)
    return [f"{KEY_PREFIX}:zh:{core}", f"{KEY_PREFIX}:en:{core}"] if script == "zh" else [f"{KEY_PREFIX}:zh:{core}"]
