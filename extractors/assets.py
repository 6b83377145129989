"""Drug assets named in deal text: development codes (HRS-9821, SSGJ-707, BL-B01D1) and INN names."""
from __future__ import annotations

import re

# Letters and digits with an optional hyphen; at least three digits so targets (PD-1, HER2, B7-H3) stay out.
CODE_RE = re.compile(r"(?<![A-Za-z0-9\-.])(?:[A-Z][A-Za-z]{0,5}-?[A-Z]?\d[A-Z0-9]{1,7}|\d[A-Z]{1,3}\d{3,6})(?![A-Za-z0-9\-])")
MIN_CODE_DIGITS = 3
NOT_CODES = re.compile(r"^(?:COVID|FY|H[12]|Q[1-4]|NCT|ISO|CAS|SEC|GMT|UTC|PCT|GPT)(?![A-Za-z])", re.IGNORECASE)
# International non-proprietary names by stem: antibodies, kinase inhibitors, fusion proteins, peptides.
INN_STEMS = ("mab", "tinib", "cept", "ciclib", "parib", "lisib", "glutide", "tide", "rafenib", "degib",
             "zumab", "ximab", "tecan", "vedotin", "deruxtecan", "stat", "sertib", "tamab", "tug", "gene")
INN_RE = re.compile(r"\b([a-z]{4,}(?:" + "|".join(INN_STEMS) + r"))\b")
ZH_INN_STEMS = ("单抗", "單抗", "替尼", "西普", "鲁肽", "魯肽", "替康", "珠单抗", "妥单抗", "司他")
ZH_INN_RE = re.compile(r"(?<![\u4e00-\u9fff]{4})([\u4e00-\u9fff]{2,4}(?:" + "|".join(ZH_INN_STEMS) + r"))")
NOT_INN = frozenset({"statement", "state", "estate", "peptide", "nucleotide", "oligonucleotide", "upstate"})
# Characters and words glued before a Chinese drug name that are not part of it ('訂立之依沃西單抗',
# '康方生物依沃西单抗', '双抗依沃西单抗', '訂立依沃西單抗'): transliterated names of these stems never start with them.
ZH_INN_PREFIX_STOP = set("的和与與及将將了在是为為对對从其该該款之关關得即以就由向把被给給用于於项項个個这這物抗着著过過立")
ZH_INN_PREFIX_WORDS = ("授权", "授權", "许可", "許可", "获得", "獲得", "引进", "开发", "開發", "产品", "药物", "藥物",
                       "订立", "訂立", "取得", "生物", "医药", "醫藥", "制药", "製藥", "双抗", "雙抗")


# '长效单抗', '抗纖維化單抗', '人源化单抗' describe a kind of drug; transliterated names never use these characters.
DESCRIPTIVE_CHARS = frozenset("化效性型长長")


def _is_code(token: str) -> bool:
    digits = sum(ch.isdigit() for ch in token)
    letters = sum(ch.isalpha() for ch in token)
    return digits >= MIN_CODE_DIGITS and letters >= 2 and not NOT_CODES.match(token) and not token.isdigit()


def find_assets(text: str) -> list[tuple[int, int, str]]:
    """(start, end, asset) for each code or INN in the text, left to right."""
    found = [(m.start(), m.end(), m.group(0)) for m in CODE_RE.finditer(text) if _is_code(m.group(0))]
    found += [(m.start(1), m.end(1), m.group(1)) for m in INN_RE.finditer(text) if m.group(1) not in NOT_INN]
    for m in ZH_INN_RE.finditer(text):
        name, start = m.group(1), m.start(1)
        while name and (name[0] in ZH_INN_PREFIX_STOP or name.startswith(ZH_INN_PREFIX_WORDS)):
            cut = 2 if name.startswith(ZH_INN_PREFIX_WORDS) else 1
            name, start = name[cut:], start + cut
        if len(name) >= 4 and not DESCRIPTIVE_CHARS & set(name[:-2]):
            found.append((start, m.end(1), name))
    return sorted(_trim_to_known(found))


def _trim_to_known(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A Chinese name that is another name found in the same text with one more character in front
    ('立依沃西单抗' beside '依沃西单抗') is that name."""
    names = {name for _, _, name in found}
    return [(start + 1, end, name[1:]) if not name.isascii() and name[1:] in names else (start, end, name)
            for start, end, name in found]


def unique_assets(names: list[str]) -> tuple[str, ...]:
    """Assets in first-seen order, one per code (HRS9531 and HRS-9531 are the same)."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.replace("-", "").casefold(), name)
    return tuple(seen.values())
