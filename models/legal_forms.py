"""Legal forms of company names ('Co., Ltd.', 'Inc.', '股份有限公司', 'Holdings'), in one place, with the one
routine that cuts them from the end of a name, so extraction, the registry and company identity agree on
what a name is without its legal form."""
from __future__ import annotations

import re
from functools import lru_cache

# As written in names; dots, commas and spacing inside a form are optional when matching. Not here on
# purpose: "& Co." and "KGaA", which tell Merck & Co. from Merck KGaA, two different companies.
EN_LEGAL_FORMS = (
    "Co., Ltd.", "Company Limited", "and Company", "Incorporated", "Inc.", "Ltd.", "Limited", "Corp.",
    "Corporation", "Company", "plc", "LLC", "L.L.C.", "LP", "AG", "SE", "S.A.", "N.V.", "B.V.", "GmbH",
    "A/S", "AB", "ASA", "Oy", "Oyj", "S.p.A.", "S.r.l.", "K.K.",
)
ZH_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司", "株式会社", "株式會社")
# 'Company' on its own: cut when names are compared, but also a plain noun ('一家歐洲製藥公司'), so name
# detection does not treat it as the end of a name.
ZH_COMPANY_WORDS = ("公司",)
# Group words: cut when comparing names ('Fosun Pharma Group' is Fosun Pharma), not part of the legal form proper.
EN_GROUP_WORDS = ("Holdings", "Holding", "Group", "(Group)")
ZH_GROUP_WORDS = ("集团", "集團", "控股")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _form_pattern(form: str) -> str:
    """'Co., Ltd.' matches 'co ltd', 'Co. Ltd' and 'CO., LTD'; 'S.A.' matches 'SA' and 's a'."""
    tokens = []
    for token in re.split(r"[\s,]+", form.strip()):
        letters = [re.escape(c) for c in token if c not in "./"]
        joiner = r"[./]?\s?" if any(c in "./" for c in token[:-1]) else ""
        tokens.append(joiner.join(letters) + (r"\.?" if token.endswith(".") or joiner else ""))
    return r"[\s,.]*".join(tokens)


@lru_cache(maxsize=2)
def _tail(groups: bool) -> re.Pattern[str]:
    english = EN_LEGAL_FORMS + (EN_GROUP_WORDS if groups else ())
    chinese = ZH_LEGAL_FORMS + ZH_GROUP_WORDS + ZH_COMPANY_WORDS  # Chinese group words end legal names too
    en = "|".join(_form_pattern(f) for f in sorted(english, key=len, reverse=True))
    zh = "|".join(re.escape(f) for f in sorted(chinese, key=len, reverse=True))
    return re.compile(rf"(?:[\s,]+(?:{en})|[\s,]*(?:{zh}))[\s,.]*$", re.IGNORECASE)


def strip_legal_forms(name: str, *, groups: bool = False, min_left: int = 1) -> str:
    """`name` without the legal forms at its end, cut repeatedly ('X Holdings Co., Ltd.' loses both with
    `groups`); a cut that would leave fewer than `min_left` characters is not made."""
    pattern = _tail(groups)
    while (match := pattern.search(name)) is not None:
        rest = name[: match.start()].rstrip(" ,")
        if len(rest) < min_left or rest == name:
            break
        name = rest
    return name


def is_legal_form(text: str) -> bool:
    """Whether `text` is nothing but a legal form ('Ltd.', 'co ltd', '有限公司')."""
    return bool(_tail(True).fullmatch(" " + text.strip()))


@lru_cache(maxsize=1)
def legal_words() -> frozenset[str]:
    """The single words of the English forms, folded ('co', 'ltd', 'inc', 'sa', 'kk'): ignored when the words
    of two English names are compared."""
    words = set()
    for form in EN_LEGAL_FORMS:
        for token in re.split(r"[\s,]+", form.lower()):
            folded = re.sub(r"[^a-z]", "", token)
            if folded and folded != "and":
                words.add(folded)
    return frozenset(words)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
