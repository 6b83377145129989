"""Coreference between company mentions: defined short names, descriptions, 'the company', bilingual and short
Chinese forms, and acquired subsidiaries that stand for themselves."""
from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from pharmadeals.extractors.parties import (
    BARE_COMPANY,
    EN_COMPANY_SUFFIXES,
    SELF_REFERENCE,
    ZH_COMPANY_SUFFIXES,
    CompanyHit,
    CompanyIndex,
    clean_name,
)
from pharmadeals.extractors.places import _PLACES, PLACE_COUNTRY, infer_country

# A name defined right after a mention: 'Trevara Bio ("Trevara")', 'X Co., Ltd. (hereinafter "Duoyuan")',
# '南京康霖生物科技有限公司（简称“康霖生物”）', '本公司一間全資附屬公司（「被授權方」）'.
DEFINITION_RE = re.compile(r"^(?:[^()（）。;；\n]{0,12}?(?:[（(][^()（）\"“「『]{0,20}[)）])?[^()（）。;；\n]{0,12}?)?\s*[（(]\s*(?:(?:hereinafter|hereafter)(?: referred to as)?,?\s*"
                           r"|以下(?:简称|簡稱|称|稱)|(?:简称|簡稱|下称|下稱)|the\s+)?[:：]?\s*[\"“「『']"
                           r"([^\"”」』'()（）]{2,30})[\"”」』']")
NOT_ALIASES = frozenset({"Agreement", "Option", "Territory", "Effective Date", "License", "Licence", "Transaction",
                         "协议", "協議", "许可协议", "許可協議", "授權協議", "授权协议", "交易", "区域", "區域",
                         "本公告", "公告", "董事會", "董事会", "Product", "Products", "Compound", "产品", "產品"})


def defined_aliases(text: str, hits: list[CompanyHit], index: CompanyIndex) -> list[CompanyHit]:
    """Every use of a short name the text defines for a company is that company (the registry's own names and
    definitions that follow a later company are left alone)."""
    found: list[CompanyHit] = []
    for hit in list(hits):
        m = DEFINITION_RE.search(text[hit.end:hit.end + 60])
        if m is None or m.group(1) in NOT_ALIASES or any(ch.isdigit() for ch in m.group(1)):
            continue
        alias = m.group(1).strip()
        known = index.alias_ids.get(alias)
        if (known and known != hit.company_id) or any(hit.end < h.start < hit.end + m.start(1) for h in hits):
            continue
        edge = r"(?<![A-Za-z0-9]){}(?![A-Za-z0-9])" if alias.isascii() else "{}"
        for occurrence in re.finditer(edge.format(re.escape(alias)), text):
            found.append(replace(hit, start=occurrence.start(), end=occurrence.end(), mention=alias))
    return found


# "The Swiss group said...", "the Mainz-based company": a described company is the last one named from that place.
NATION_WORDS = frozenset({"China", "Chinese", "Japan", "Japanese", "Swiss", "German", "British", "French", "Danish",
                          "Korean", "American", "U.S.", "US", "Canadian", "Canada", "Australian", "Australia",
                          "Belgian", "Dutch", "Netherlands", "Italian", "Spanish", "Israeli", "Swedish", "European",
                          "PRC", "Taiwan", "Singapore"})
DESCRIPTION_RE = re.compile(rf"\b[Tt]he ({_PLACES})(?:-based|-headquartered)? (?:[a-z-]+ )?(?:group|company|drugmaker|"
                            rf"drug maker|pharma giant|pharmaceutical giant|giant|firm|biotech|pharma|drug developer|"
                            rf"major)\b")


# "the company agreed to license…", "该公司": the company named last, if it was named shortly before.
# "The autoimmune-focused biotech", "the clinical-stage company": one hyphenated describing word may come between.
ANAPHOR_RE = re.compile(r"\b(?:(?-i:the) (?:[a-z]+-[a-z]+ )?|(?-i:The) [a-z]+-[a-z]+ )"
                        r"(?:company|firm|biotech|drugmaker|startup|start-up)\b(?!['’]s? (?:partner|rival))|"
                        r"该公司|該公司|这家公司|這家公司")
ANAPHOR_REACH = 300
# The issuer speaking of its own deal (calls, releases, filings): "Takeda paid us US$100 million", "we are eligible
# for up to…", "我们将获得…". Only first-person forms next to deal verbs count.
FIRST_PERSON_RE = re.compile(r"\b(?:paid|pay|pays|granted|grant|gave|give|licensed to|to pay) (us)\b|"
                             r"\b([Ww]e) (?:are|were|will be|would be|remain) (?:eligible|entitled)\b|"
                             r"\b([Ww]e) (?:will |would )?(?:receive|received|granted|licensed|out-licensed)\b|"
                             r"(我们|我們)(?:将|將|还将|還將)?(?:获得|獲得|收取|授予|有权|有權)")

# In an interview "we" is the guest's company: "founder and CEO of Yunhe Biotherapeutics", "X首席执行官".
SPEAKER_RE = re.compile(r"\b(?:CEO|chief executive(?: officer)?|founder|president|chair(?:man|woman)?|head of "
                        r"business development|chief business officer)\s+(?:of|at)\s+$|(?:董事长|董事長|首席执行官|首席執行官|"
                        r"创始人|創始人|总裁|總裁)\s*$", re.IGNORECASE)
SPEAKER_AFTER = re.compile(r"^\s*(?:的)?\s*(?:董事长|董事長|首席执行官|首席執行官|创始人|創始人|总裁|總裁|CEO)")


def _speaker(text: str, hits: list[CompanyHit]) -> CompanyHit | None:
    """The company whose executive the text introduces as speaking, if any."""
    return next((h for h in hits if SPEAKER_RE.search(text[max(0, h.start - 60):h.start])
                 or (not h.mention.isascii() and SPEAKER_AFTER.match(text[h.end:h.end + 8]))), None)


def descriptions(text: str, hits: list[CompanyHit]) -> list[CompanyHit]:
    """Hits for 'the Swiss group', 'the company' / 该公司 and first-person deal wording."""
    found = []
    if hits:
        speaker = _speaker(text, hits) or hits[0]
        for m in FIRST_PERSON_RE.finditer(text):
            group = next(i for i in range(1, 5) if m.group(i))
            found.append(replace(speaker, start=m.start(group), end=m.end(group), mention=m.group(group)))
    for m in ANAPHOR_RE.finditer(text):
        named = [h for h in hits if h.end <= m.start() and m.start() - h.end < ANAPHOR_REACH]
        if named:
            found.append(replace(named[-1], start=m.start(), end=m.end(), mention=m.group(0)))
    for m in DESCRIPTION_RE.finditer(text):
        place = m.group(1)
        country = PLACE_COUNTRY.get(place)
        named = [h for h in hits if h.end <= m.start() and h.country == country and country
                 and (place in NATION_WORDS or _city_of(h.name) in (None, place))]  # 'the Chengdu company' is
        # not Guangzhou Maihe
        if named and place.isascii():
            found.append(replace(named[-1], start=m.start(), end=m.end(), mention=m.group(0)))
    return found


def _city_of(name: str) -> str | None:
    """The place a company's name opens with ('Guangzhou' of 'Guangzhou Maihe Biologics'), if any."""
    first = name.split(" ", 1)[0]
    return first if first in PLACE_COUNTRY and first not in NATION_WORDS else None


# A group buying a company the registry already lists as its subsidiary: the target is a party of its own.
ACQUIRES_RE = re.compile(r"(?:\b(?:acquire[sd]?|acquiring|acquisition of|buy(?:s|ing)?|bought|takeover of|take over|"
                         r"purchase of)\b|收购|收購|并购|併購|买下|買下)[^.;。；\n]{0,25}$", re.IGNORECASE)


def acquired_subsidiaries(text: str, hits: list[CompanyHit]) -> list[CompanyHit]:
    """'Novartis to buy Tourmaline Bio': when the text speaks of an acquisition and names the group itself, its
    subsidiary names stand for the acquired company, not the group."""
    groups = {h.company_id for h in hits if h.company_id and not h.subsidiary}
    bought = {h.mention for h in hits if h.subsidiary and h.company_id in groups
              and ACQUIRES_RE.search(text[max(0, h.start - 60):h.start])}
    out = []
    for hit in hits:
        target = max((m for m in bought if m == hit.mention or m.split()[0] == hit.mention), key=len, default=None)
        if hit.subsidiary and target:
            country = infer_country(text, hit.start, hit.end) or (None if hit.mention.isascii() else "CN")
            hit = CompanyHit(hit.start, hit.end, hit.mention, clean_name(target), None, country, hit.company_id)
        out.append(hit)
    return out


# 'United Biotechnology ("United Biotechnology"), an indirect non-wholly owned subsidiary of the Company',
# '联邦制药及其子公司联邦生物': a company the text itself calls another's subsidiary contracts for its group.
SUBSIDIARY_AFTER = re.compile(r"[^;。；]{0,80}?[,，]\s*(?:an?|the|one of the)\s+(?:[\w-]+\s+){0,4}"
                              r"subsidiar(?:y|ies)\s+of\s+", re.IGNORECASE)
ZH_SUBSIDIARY_BETWEEN = re.compile(r"^\s*(?:及|和|与|與|的|之|旗下)?其?(?:间接|間接|直接)?(?:非)?(?:全资|全資|控股)?"
                                   r"(?:子公司|附属公司|附屬公司)\s*$")


def stated_subsidiaries(text: str, hits: list[CompanyHit]) -> list[CompanyHit]:
    """A company not in the registry that the text calls another's subsidiary is read as its group everywhere
    (a group's own subsidiaries in the registry already are)."""
    group_of: dict[str, CompanyHit] = {}
    for i, hit in enumerate(hits):
        if hit.company_id is not None or hit.key in group_of:
            continue
        after = SUBSIDIARY_AFTER.match(text, hit.end)
        if after:
            parent = next((h for h in hits[i + 1:] if h.start == after.end() and h.key != hit.key), None)
        else:
            parent = next((h for h in reversed(hits[:i]) if h.key != hit.key and h.end <= hit.start
                           and ZH_SUBSIDIARY_BETWEEN.match(text[h.end:hit.start])), None)
        if parent is not None:
            group_of[hit.key] = parent
    if not group_of:
        return hits
    return [replace(group_of[h.key], start=h.start, end=h.end, mention=h.mention, subsidiary=True)
            if h.key in group_of else h for h in hits]


# "普米斯生物（Biotheus）", "BioNTech 拜恩泰科", "Biotheus 普米斯生物": a name beside its other-script form.
BILINGUAL_GAP = re.compile(r"(?:技术|技術|科技|医药|醫藥|制药|製藥|股份有限公司|有限公司|公司)*[ \t]*[（(]?[ \t]*")


# "Dalian Haiyun Biotech Co., Ltd., which does business as Candora Bio", "Jingyao, which goes by Alderpoint
# Bio abroad", "Driftmoor, which is listed in Hong Kong under the name Hangzhou Tuolan", "苏州云栀生物医药（海外品牌名
# Silvercove Bio）", "Chengdu Jingyao Biotech Co., Ltd. (Alderpoint Bio)", "Kailera (formerly Hercules)": two names of
# one company in the same script.
TRADE_NAME_GAP = re.compile(
    r"\s*,\s*the (?:trading|brand|English|international|overseas|global) name of\s+|"
    r"\s*,?\s*(?:(?:the|a|an)\s+(?:[\w-]+\s+){0,4}?)?(?:which|that|and|who)?\s*"
    r"(?:does business|operates|trades|is known|goes|is branded|markets itself|"
    r"is (?:listed|registered|incorporated)(?: in [A-Z][a-z]+(?: [A-Z][a-z]+)?)?)"
    r"(?:\s+(?:internationally|abroad|overseas|globally|outside (?:of )?China))?\s+(?:as|by|under(?: the name)?)\s+|"
    r"\s*[(（]\s*(?:d/b/a|dba|doing business as|trading as|(?:also )?known as|formerly)?\s*|"
    r"\s*,\s*(?:also |internationally |formerly )?known as\s+|"
    r"\s*[（(]\s*(?:海外|英文|国际|國際|境外)(?:品牌名?|名称|名稱|商号|商號)?\s*(?:为|為|是)?[：:]?\s*|"
    r"\s*[，,]\s*(?:海外|英文|国际|國際|境外)(?:品牌名?|名称|名稱)(?:为|為|是)\s*", re.IGNORECASE)


def bilingual_names(text: str, hits: list[CompanyHit]) -> list[CompanyHit]:
    """A company named in both scripts side by side, or by a trade name the text gives it, is one company
    wherever either name appears."""
    same: dict[str, CompanyHit] = {}
    for a, b in pairwise(hits):
        gap = text[a.end:b.start]
        paired = (a.mention.isascii() != b.mention.isascii() and BILINGUAL_GAP.fullmatch(gap)) \
            or bool(TRADE_NAME_GAP.fullmatch(gap))
        if a.key != b.key and paired \
                and not any(SELF_REFERENCE.fullmatch(h.mention) or BARE_COMPANY.fullmatch(h.mention) for h in (a, b)) \
                and not (a.company_id and b.company_id):
            keep, alias = (b, a) if b.company_id and not a.company_id else (a, b)
            keep = same.get(keep.key, keep)  # a group already formed keeps its first name
            if keep.country is None and alias.country is not None:  # 'Driftmoor (Hangzhou Tuolan Co., Ltd.)'
                keep = replace(keep, country=alias.country)
            if alias.key != keep.key and alias.key not in same:
                same[alias.key] = keep
    if not same:
        return hits
    return [replace(same[h.key], start=h.start, end=h.end, mention=h.mention) if h.key in same else h for h in hits]


def share_country(hits: list[CompanyHit]) -> list[CompanyHit]:
    """An unknown company placed once ('Biotheus, the Chinese biotech') is placed everywhere it is named."""
    placed: dict[str, str] = {}
    for hit in hits:
        if hit.company_id is None and hit.country:
            placed.setdefault(hit.name, hit.country)
    return [replace(h, country=placed[h.name]) if h.company_id is None and not h.country and h.name in placed
            else h for h in hits]


ZH_PLACES = tuple(sorted((p for p in PLACE_COUNTRY if not p.isascii()), key=len, reverse=True))
ZH_TRADE_WORDS = tuple(sorted(ZH_COMPANY_SUFFIXES + ("科技", "技术", "技術"), key=len, reverse=True))


def _zh_core(name: str) -> str:
    """'上海耀泰生物医药' -> '耀泰', '康霖生物' -> '康霖': a Chinese name without its place and trade words."""
    name = clean_name(name)
    for place in ZH_PLACES:
        if name.startswith(place) and len(name) > len(place) + 2:
            name = name[len(place):]
            break
    for suffix in ZH_TRADE_WORDS:
        while name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
    return name


def merge_zh_short(hits: list[CompanyHit]) -> list[CompanyHit]:
    """An unknown Chinese short name ('耀泰生物') of a full name found in the same text ('上海耀泰生物医药有限公司')
    is that company."""
    full: dict[str, CompanyHit] = {}
    for hit in hits:
        if hit.company_id is None and not hit.mention.isascii() and len(hit.name) > 4:
            core = _zh_core(hit.name)
            if len(core) >= 2 and core != hit.name and len(hit.name) > len(full[core].name if core in full else ""):
                full[core] = hit  # the longest form names the company
    out = []
    for hit in hits:
        other = full.get(_zh_core(hit.name)) if hit.company_id is None and not hit.mention.isascii() else None
        out.append(replace(other, start=hit.start, end=hit.end, mention=hit.mention) if other else hit)
    return out


def _extends(short: str, long: str) -> bool:
    """'Suzhou Kangrui Biopharmaceutical' extends 'Suzhou Kangrui' by a trade word, 'Shanghai Zhenlu Biopharma'
    extends 'Zhenlu Biopharma' by a place."""
    if long.startswith(short + " "):
        return all(w in EN_COMPANY_SUFFIXES for w in long[len(short) + 1:].split())
    first, _, rest = long.partition(" ")
    return first in PLACE_COUNTRY and (rest == short or _extends(short, rest))


def merge_en_prefix(hits: list[CompanyHit]) -> list[CompanyHit]:
    """An unknown English name that another unknown name in the same text extends only by trade words or a
    leading place ('Suzhou Kangrui' beside 'Suzhou Kangrui Biopharmaceutical') is that company."""
    names = {h.name for h in hits if h.company_id is None and h.mention.isascii()}
    longer: dict[str, CompanyHit] = {}
    for hit in hits:
        if hit.company_id is None and hit.mention.isascii() and " " in hit.name:
            for other in names:
                if other != hit.name and _extends(hit.name, other) \
                        and len(other) > len(longer.get(hit.name, hit).name):
                    longer[hit.name] = next(h for h in hits if h.name == other)
    return [replace(longer[h.name], start=h.start, end=h.end, mention=h.mention) if h.name in longer else h
            for h in hits]
