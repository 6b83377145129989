"""Company mentions: registry aliases, unknown companies found by name patterns, and where each is based."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from pharmadeals.extractors.cue_tables import DATA, load_phrases
from pharmadeals.extractors.literals import trie_pattern
from pharmadeals.extractors.places import PLACE_COUNTRY, PLACE_PREFIXES
from pharmadeals.models.legal_forms import EN_LEGAL_FORMS, ZH_GROUP_WORDS, ZH_LEGAL_FORMS, strip_legal_forms
from pharmadeals.models.records import GREATER_CHINA

# Unknown English companies: one to four capitalised words ending in a corporate word.
EN_COMPANY_SUFFIXES = (
    "Therapeutics", "Biopharmaceuticals", "Biopharmaceutical", "Biopharma", "Pharmaceuticals", "Pharmaceutical",
    "Pharma", "Biosciences", "Bioscience", "Biotherapeutics", "Biologics", "Biotechnology", "Biotech",
    "Medicines", "Medicine", "Biotherapies", "Oncology", "Labs", "Laboratories", "Life Sciences", "Sciences", "Bio", "Inc.", "Inc",
    "Immunology", "Immunotherapeutics", "Ophthalmics", "Ophthalmology", "Neuro", "Neuroscience", "Neurosciences",
    "Dermatology", "Biomedical", "Biomedicine", "BioMed", "Biomed", "BioMedical", "Biolabs", "BioLabs", "Genomics", "Vaccines", "Health",
    "Cardio", "Cardiovascular", "Biopharm", "Pharm", "Seiyaku", "Yakuhin",
    "BioPharma", "BioTherapeutics", "Biosystems", "SE", "LLC", "N.V.", "S.A.", "A/S",
    "S.p.A.", "SpA", "S.r.l.", "B.V.", "K.K.",
    "Co., Ltd.", "Co., Ltd", "Ltd.", "Ltd", "Limited", "Corp.", "Corporation", "AG", "plc", "PLC", "GmbH",
)
EN_NOT_NAMES = frozenset({
    "The", "A", "An", "Under", "With", "From", "And", "Its", "Chinese", "China", "Global", "US", "U.S.",
    "Shares", "Both", "This", "That", "Several", "Other", "Big", "Western", "Major", "Many", "Some", "For",
    "By", "As", "In", "On", "At", "Of", "To", "Meanwhile", "Separately", "Earlier", "Last", "Top", "Leading",
    "Domestic", "Local", "Multinational", "Partner", "Partners", "Shanghai-based", "Beijing-based",
    "World", "Public", "National", "Mental", "Animal", "Digital", "Women's", "Swiss", "German",
    "Take", "Meet", "Consider", "When", "After", "Before", "While", "Like", "Unlike", "Including", "Rival",
    "Rivals", "Fellow", "Startup", "Biotech", "Drugmaker", "Then", "Now", "Also", "Even", "Only", "Yet",
    # title-case headline verbs run into the name after them: "X to Acquire Qilin Therapeutics"
    "Acquire", "Acquires", "Acquiring", "Buy", "Buys", "Buying", "License", "Licenses", "Licensing", "Sign",
    "Signs", "Ink", "Inks", "Adding", "Adds", "Add", "Join", "Joins", "Taps", "Tap",
    "Pay", "Pays", "Gain", "Gains", "Secure", "Secures", "Complete", "Completes", "Closes", "Close", "Exercise",
    "Exercises", "Snaps", "Grabs", "Bags", "Lands", "Enters", "Enter", "Expands", "Expand",
})
DESCRIBING_ENDS = ("-based", "-listed", "-headquartered", "'s", "’s")
# Title-case headline words inside a capitalised run end the words before them: "Signs Korean License With X Pharm".
HEADLINE_BREAKS = frozenset({"With", "From", "To", "For", "Signs", "Acquire", "Acquires", "Licenses", "Buys", "Inks",
                             "Grants", "Partners", "Taps", "Bets", "Pays", "Sells", "Secures", "Gets", "Wins", "Lands",
                             "Enters", "Expands", "Exercises", "Completes", "Ends", "Terminates", "Announces",
                             "Strikes", "Seals", "Pens", "Launches", "Joins", "Teams", "Out-Licenses", "In-Licenses"})
# "Cross-Border Bio podcast", "Asia Biotech Summit": a name that titles a show or an event is no party.
MEDIA_AFTER = re.compile(r"\s+(?:podcast|newsletter|conference|summit|forum|index|weekly|magazine|journal|awards?)\b",
                         re.IGNORECASE)
# Words of legal forms as they stand in running text: 'Co.,', 'Co.', 'Ltd.', 'Ltd', 'Inc.'.
LEGAL_WORDS = frozenset(variant for form in EN_LEGAL_FORMS for word in form.split()
                        for variant in (word, word.rstrip(","), word.rstrip(",").rstrip(".")))
# "Kestrel and Yunding. Kestrel Immunology": a full word ending in a full stop ends a sentence, not a name.
SENTENCE_END_WORD = re.compile(r"[a-z]{3,}\.$")
_EN_SUFFIX = "|".join(re.escape(s) for s in sorted(EN_COMPANY_SUFFIXES, key=len, reverse=True))
EN_COMPANY_RE = re.compile(
    rf"(?<![A-Za-z0-9&'.\-])((?:(?:[A-Z]|\d[A-Z])[A-Za-z0-9&'.\-]*[ \t]){{1,4}}(?:{_EN_SUFFIX}))(?![A-Za-z0-9])")
# "Chinese biotech Eccogene", "Shanghai-based Eccogene": a capitalised name right after a describing phrase.
EN_DESCRIBED_RE = re.compile(
    r"\b(?:the(?= (?:biotech|biotechnology|biopharma|biopharmaceutical|pharmaceutical|drug) (?:company|firm|developer)\s)|"
    r"[A-Z][A-Za-z.]+-based|Chinese|China's|Japanese|Korean|Swiss|German|French|British|American|U\.S\.)\s+"
    r"(?:(?:clinical-stage |privately held |private |start-up |startup )?(?:(?:biotech(?:nology)?|biopharma(?:ceutical)?|"
    r"pharmaceutical|drug) (?:company|firm|developer)|biotech(?:nology)?|drug ?maker|"
    r"drug developer|pharma(?:ceutical)?|biopharma(?:ceutical)?|company|firm|startup|developer)\s+)?"
    r"((?-i:[A-Z][A-Za-z0-9-]+(?:\s[A-Z][A-Za-z0-9-]+){0,2}))")
# Names without a corporate word, introduced the way the press introduces companies: "Kestrel (NASDAQ: KSTL)",
# "Avenzo, a San Diego-based biotech,", "Candid, a clinical-stage biopharmaceutical company", "Corvant（纳斯达克：CRVT）".
_NAME = r"(?<![A-Za-z0-9&-])([A-Z][A-Za-z0-9&-]+(?:\s[A-Z][A-Za-z0-9&-]+){0,3})"
EN_LISTED_RE = re.compile(_NAME + r"(?:,? Inc\.?|,? Ltd\.?|,? Corp\.?)?\s*[(（]\s*(?:NASDAQ|Nasdaq|NYSE|HKEX|HKSE|SEHK|SSE|"
                          r"SZSE|TSE|TYO|LSE|ASX|KOSDAQ|KRX|OTC|Euronext|SIX|STAR|纳斯达克|納斯達克|纽交所|紐交所|港交所|"
                          r"股票代码|股票代碼|股份代号|股份代號)\s*[:：]?\s*[A-Z0-9.]{1,10}\s*[)）]")
# "Akeso (9926.HK)", "Hutchmed (China) Ltd. (HCM.US; 0013.HK)": a listing code written with its market, no exchange.
EN_CODED_RE = re.compile(_NAME + r"(?:,? Inc\.?|,? Ltd\.?|,? Corp\.?)?\s*[(（]\s*(?:[A-Z0-9]{1,6}\.[A-Z]{1,3}\s*[;,；，]\s*)?"
                         r"\d{4,6}\.(?:HK|SH|SZ|SS|TW|TWO)\s*[)）]")
EN_APPOSITIVE_RE = re.compile(_NAME + r",\s+(?:a|an)\s+(?:[\w.,'-]+\s+){0,4}?(?:biotech|biotechnology company|"
                              r"biopharmaceutical company|biopharma|pharmaceutical company|drugmaker|drug developer|"
                              r"startup|start-up|company)\b")
# Unknown Chinese companies: a short run of Han characters ending in a drug-maker word.
# First words of company names that say nothing about which company is meant.
GENERIC_FIRST_WORDS = frozenset({"United", "China", "Chinese", "Global", "International", "National", "General",
                                 "First", "American", "Asia", "Pacific", "Bio", "Pharma", "Medical", "Health",
                                 "Life", "Royal", "Advanced", "Applied", "Great", "Grand", "Beijing", "Shanghai"})
PHARMA_WORD = re.compile(r"Therapeutics|Bio|Pharm|Seiyaku|Yakuhin|Medicines|Oncology|Labs|Sciences|Biologics|Biotech|Immuno|"
                         r"Ophthalm|Neuro|Dermatology|Genomics|Vaccines|Health|Cardio")
ZH_COMPANY_SUFFIXES = ("生物医药", "生物科技", "生物技术", "医药科技", "生物制药", "医药", "醫藥", "生物", "制药",
                       "製藥", "药业", "藥業", "生技")
ZH_LEGAL_TAILS = ZH_LEGAL_FORMS + ZH_GROUP_WORDS
ZH_DESCRIPTOR_WORDS = ("公司", "药企", "藥企", "藥廠", "药厂", "企业", "企業", "药商", "藥商", "厂商", "廠商", "股")
# Technology and trade words written in Latin letters that are never a company: "AI制药公司", "Chinese RNAi developer".
NOT_LATIN_NAMES = frozenset({"AI", "MNC", "MNCs", "BD", "ADC", "ADCs", "CRO", "CDMO", "CXO", "IPO", "FDA", "NMPA",
                             "mRNA", "RNA", "RNAi", "siRNA", "CAR-T", "TCE", "GLP-1", "PD-1", "IND", "NDA", "BLA",
                             "Biotech", "Pharma", "IT", "VC", "PE", "US", "UK", "EU"})
SELF_REFERENCE = re.compile(r"本公司|本集團|本集团|\b(?i:the) Company\b|\b(?i:the) Group\b")
# The issuer named in a filing's form fields (MOPS announcements and their reposts): "公司名稱:合一 (4743)",
# "標題:因華 本公司就N11005…與南北兄弟簽訂…".
FILING_ISSUER = re.compile(r"(?:公司名稱|公司名称)[:：]\s*(?P<field>[^\s(（:：]{2,12})|"
                           r"(?:標題|标题|主旨)[:：]\s*(?P<title>[^\s:：【】]{2,8})\s+(?=本公司|代子公司|代重要子公司|公告)")
# A Chinese short name right before its stock code: "台康生 (6589-TW)", "合一(4743)", "荣昌生物（09995.HK）".
NAME_BEFORE_TICKER = re.compile(r"(?<![\u4e00-\u9fff])(?P<name>[\u4e00-\u9fff]{2,6})\s?[(（]\s?(?P<code>\d{4,6})"
                                r"(?:[-.](?:TWO|TW|HK|SH|SZ))?\s?[)）]")
TICKER_NAME_PREFIXES = sorted(load_phrases(DATA / "ticker_name_prefixes.yaml"), key=len, reverse=True)
# A filing that defines 公司 as itself ("以下简称"公司"") uses the bare word for the issuer afterwards.
DEFINES_COMPANY = re.compile(r"简称[\"“「]?公司[\"”」]|簡稱[\"“「]?公司[\"”」]")
ANNOUNCEMENT = re.compile(r"公告|本公司|董事会|董事會")
BARE_COMPANY = re.compile(r"(?<![\u4e00-\u9fff])公司(?![\u4e00-\u9fff]{0,1}(?:章程|债券))")
NOT_COMPANY_WORDS = re.compile(r"\b(?:Exchange|Exchanges|Clearing|Stock|Board|Court|Government|University|"
                               r"Hospital|Administration|Commission|Association|Institute|Fund|Capital|"
                               r"Depositary|Shares?|Receipts?)\b")  # "American Depositary Share" is a security
@dataclass(frozen=True)
class CompanyHit:
    """One company mention: text span, canonical identity (subsidiary names resolve to their group) and country when known."""

    start: int
    end: int
    mention: str
    name: str
    company_id: str | None
    country: str | None
    parent_id: str | None = None
    subsidiary: bool = False  # named by one of its group's subsidiaries (or acquired companies)

    @property
    def key(self) -> str:
        return self.company_id or self.name.casefold()

    @property
    def chinese(self) -> bool:
        return self.country in GREATER_CHINA


class CompanyIndex:
    """Registry aliases compiled once into one longest-first regex (a trie, see literals.py)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        self.alias_ids: dict[str, str] = dict(registry.all_aliases())
        self.companies: dict[str, Any] = {}
        for alias in self.alias_ids:
            company = registry.lookup(alias)
            if company is not None:
                self.companies[company.id] = company
        ascii_aliases = sorted((a for a in self.alias_ids if a.isascii() and len(a) > 1), key=len, reverse=True)
        cjk_aliases = sorted((a for a in self.alias_ids if not a.isascii()), key=len, reverse=True)
        self.ascii_re = re.compile(r"(?<![A-Za-z0-9&])" + trie_pattern(ascii_aliases) + r"(?![A-Za-z0-9])")
        self.cjk_re = re.compile(trie_pattern(cjk_aliases)) if cjk_aliases else None
        self._first_words: dict[str, str] | None = None
        self._glued_re: re.Pattern[str] | None = None

    def first_words(self) -> dict[str, str]:
        """First words of registry English names that only one company's name starts with ('Summit')."""
        if self._first_words is None:
            owners: dict[str, set[str]] = {}
            for company in self.companies.values():
                words = company.name.split()
                if len(words) > 1 and company.name.isascii() and company.country not in GREATER_CHINA:
                    owners.setdefault(words[0], set()).add(company.id)
            self._first_words = {w: next(iter(ids)) for w, ids in owners.items()
                                 if len(ids) == 1 and len(w) >= 4 and w[0].isupper() and w.isalpha()
                                 and w not in EN_NOT_NAMES and w not in PLACE_COUNTRY and w not in GENERIC_FIRST_WORDS}
        return self._first_words

    def glued_re(self) -> re.Pattern[str] | None:
        """One pattern for every first word glued between Chinese characters (built once)."""
        if self._glued_re is None and self.first_words():
            words = sorted(self.first_words(), key=len, reverse=True)
            self._glued_re = re.compile(GLUED_IN_CJK.format(word=trie_pattern(words)))
        return self._glued_re

    def hit(self, start: int, end: int, mention: str) -> CompanyHit | None:
        company_id = self.alias_ids.get(mention)
        if company_id is None or company_id not in self.companies:
            return None
        company = self.companies[company_id]  # subsidiaries are aliases of their group already
        return CompanyHit(start, end, mention, company.name, company.id, company.country,
                          getattr(company, "parent_id", None), mention in getattr(company, "subsidiaries", ()))

    def _coded_names(self, text: str) -> list[tuple[str, Any, list[tuple[int, int]]]]:
        """Every short Chinese name written right before a stock code: (name, the registry company that code
        lists or None, the spans of every use of the name in the text)."""
        return [(m.group("name"), self.registry.lookup_ticker(m.group("code")),
                 [use.span() for use in re.finditer(re.escape(m.group("name")), text)])
                for m in NAME_BEFORE_TICKER.finditer(text)]

    def ticker_named(self, text: str) -> list[CompanyHit]:
        """'台康生 (6589-TW)', '合一(4743)': a short name the registry lacks, made known by the stock code written
        after it, and every later use of that name in the text (Taiwanese and Hong Kong financial media)."""
        return [CompanyHit(start, end, name, company.name, company.id, company.country,
                           getattr(company, "parent_id", None))
                for name, company, uses in self._coded_names(text)
                if company is not None and name not in self.alias_ids for start, end in uses]

    def ticker_spans(self, text: str) -> list[tuple[int, int]]:
        """'石药集团(01093)', '百利天恒（688506.SH）': a short Chinese name written with a stock code the registry does
        not list is still a company (Chinese financial media tag every listed company so); every use of it. A
        market word in front ('港股松科生物') is not part of the name."""
        spans: list[tuple[int, int]] = []
        for coded, company, _ in self._coded_names(text):
            name = coded[len(next((p for p in TICKER_NAME_PREFIXES if coded.startswith(p)), "")):]
            if company is None and len(name) >= 2 and name not in self.alias_ids:
                spans += [use.span() for use in re.finditer(re.escape(name), text)]
        return spans

    def known(self, text: str) -> list[CompanyHit]:
        hits: list[CompanyHit] = []
        for pattern in (self.ascii_re, self.cjk_re):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                found = self.hit(m.start(), m.end(), m.group(0))
                if found and not _overlaps(found, hits):
                    hits.append(found)
        return sorted(hits, key=lambda h: h.start)


def _overlaps(hit: CompanyHit, hits: list[CompanyHit]) -> bool:
    return any(h.start < hit.end and hit.start < h.end for h in hits)


def clean_name(name: str) -> str:
    """Drop legal tails ('Co., Ltd.', 'Inc.', '股份有限公司') but keep the distinctive part of the name."""
    return strip_legal_forms(name.strip(), min_left=3).strip(" ,")


def _title_case_end(text: str) -> int:
    """Where a Title Case headline ends (0 when the first line is not one): '… Series A to Develop Incretin
    Medicines' capitalises words that are no name."""
    title = text.split("\n", 1)[0]
    words = [w for w in re.findall(r"[A-Za-z]{4,}", title)]
    return len(title) if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words) else 0


def en_unknown(text: str) -> list[tuple[int, int]]:
    spans = []
    title_end = _title_case_end(text)
    for m in EN_COMPANY_RE.finditer(text):
        first = m.group(1).split()[0]
        if m.start(1) < title_end and re.search(rf"\b{re.escape(first.lower())}", text[title_end:]):
            continue  # a Title Case headline capitalises ordinary words: the body writes 'develop' in lower case
        words = m.group(1).split(" ")
        start = m.start(1)
        while len(words) > 1 and (words[0] in EN_NOT_NAMES or words[0].endswith(DESCRIBING_ENDS)):
            start += len(words[0]) + 1
            words = words[1:]
        # "South Korea's Sumin Bio", "Hong Kong-listed Hongyuan Biologics": a describing place phrase, not the name
        cut = max((i + 1 for i, w in enumerate(words[:-1]) if w.endswith(DESCRIBING_ENDS) or w in HEADLINE_BREAKS
                   or (SENTENCE_END_WORD.search(w) and w not in LEGAL_WORDS)), default=0)
        start += sum(len(w) + 1 for w in words[:cut])
        words = words[cut:]
        name = " ".join(words)
        place_only = name.startswith(PLACE_PREFIXES) and any(
            name.startswith(p) and all(w in EN_COMPANY_SUFFIXES for w in strip_legal_forms(name[len(p):]).split())
            for p in PLACE_COUNTRY)
        # "Hangzhou Duoyuan Biotech Co., Ltd." keeps its place word; a bare "Shanghai Biotech" is no name.
        if not all(w.rstrip(",") in EN_COMPANY_SUFFIXES or w in LEGAL_WORDS for w in words) \
                and not NOT_COMPANY_WORDS.search(name) and not place_only:
            spans.append((start, m.end(1)))
    return spans


# "Madrigal–CSPC's $2.1B", "XtalPi–DoveTree platform alliance": two capitalised names joined by a dash, then a
# possessive or (within two words) a deal noun.
_DASH_NAME = r"[A-Z0-9][A-Za-z0-9&.]{1,24}(?: [A-Z][A-Za-z0-9&.]{1,24}){0,2}"
EN_DASH_PAIR_RE = re.compile(rf"(?<![\w-])(?P<left>{_DASH_NAME})\s?[–—]\s?(?P<right>{_DASH_NAME})"
                             r"(?=['’]s\b|(?: [\w/-]+){0,2} (?:deal|pact|agreement|alliance|tie-up|collaboration|"
                             r"partnership|licen[cs]e|licensing|transaction)s?\b)")
# Capitalised words that open a clause before ", a company ..." without naming one.
NOT_INTRODUCED = frozenset([
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today",
    "Yesterday", "Tomorrow", "Analysts", "Investors", "Executives", "Officials", "Later", "However",
    "But", "Still", "Overall", "Instead", "Here", "There", "It", "He", "She", "They", "We", "Meanwhile",
    "Separately", "Elsewhere", "Last", "Next", "Then", "Since", "Until", "Recently", "Previously",
    "Ultimately",
])


def en_dash_pairs(text: str) -> list[tuple[int, int]]:
    """Both names of a pair a roundup writes with a dash before its deal: "Madrigal–CSPC's $2.1B GLP-1",
    "the $6B XtalPi–DoveTree platform alliance", "RemeGen–Vor's $4.1B deal" (trade press and weekly roundups)."""
    spans = []
    for m in EN_DASH_PAIR_RE.finditer(text):
        for group in ("left", "right"):
            name = m.group(group)
            if name not in EN_NOT_NAMES and name not in NOT_LATIN_NAMES and name not in PLACE_COUNTRY \
                    and not NOT_COMPANY_WORDS.search(name):
                spans.append(m.span(group))
    return spans


def en_introduced(text: str) -> list[tuple[int, int]]:
    """Names the text introduces with a listing code or a 'X, a … biotech' apposition."""
    spans = []
    for pattern in (EN_LISTED_RE, EN_CODED_RE, EN_APPOSITIVE_RE):
        for m in pattern.finditer(text):
            words = m.group(1).split()
            while words and (words[0] in EN_NOT_NAMES or words[0] in NOT_LATIN_NAMES or words[0] in NOT_INTRODUCED):
                words = words[1:]
            if words and not NOT_COMPANY_WORDS.search(m.group(1)) and " ".join(words) not in PLACE_COUNTRY:
                spans.append((m.end(1) - len(" ".join(words)), m.end(1)))
    return spans


# English news names a new Chinese firm by its city and pinyin brand alone: "paying Nanjing Lanpai $65 million".
EN_CITY_NAME_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(p) for p, c in PLACE_COUNTRY.items()
                                                        if c == "CN" and p.isascii() and p.isalpha()
                                                        and p not in ("China", "Chinese")), key=len, reverse=True))
                             + r") ([A-Z][a-z]{3,})\b(?! [A-Z])")
NOT_AFTER_CITY = frozenset({"Industrial", "Municipal", "Province", "City", "District", "Park", "Port", "Area", "Zone",
                            "University", "Hospital", "Government", "Exchange", "Stock", "Metro", "Airport", "Court",
                            "Pharma", "Pharmaceutical", "Pharmaceuticals", "Biotech", "Bio", "Medical", "Health",
                            "Free", "High", "International", "Institute", "Academy", "Center", "Centre", "Office"})


def en_city_names(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in EN_CITY_NAME_RE.finditer(text)
            if m.group(2) not in NOT_AFTER_CITY and m.group(2) not in EN_NOT_NAMES and m.group(2) not in PLACE_COUNTRY]


def en_described(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in EN_DESCRIBED_RE.finditer(text):
        words = m.group(1).split()
        if words[0] in EN_NOT_NAMES or words[0] in NOT_LATIN_NAMES or words[0] in PLACE_COUNTRY or NOT_COMPANY_WORDS.search(m.group(1)):
            continue
        spans.append((m.start(1), m.end(1)))
    return spans


def short_forms(index: CompanyIndex, text: str, hits: list[CompanyHit]) -> list[CompanyHit]:
    """'Summit Therapeutics' once, then 'Summit': the first word of a full name names the company again."""
    short: dict[str, CompanyHit] = {}
    for hit in hits:
        words = hit.mention.split()
        placed = len(words) > 1 and words[0] in PLACE_COUNTRY  # "Nanjing Kanglin Biotech" is "Kanglin" for short
        words = words[1:] if placed else words
        first = words[0].rstrip(",'’") if (len(words) > 1 or placed) and hit.mention.isascii() else ""
        if len(first) >= 4 and first[0].isupper() and first not in EN_NOT_NAMES and first not in PLACE_COUNTRY \
                and first not in EN_COMPANY_SUFFIXES and first not in index.alias_ids \
                and (hit.company_id or PHARMA_WORD.search(hit.mention) or placed):
            short.setdefault(first, hit)
    found: list[CompanyHit] = []
    for word, hit in short.items():
        for m in re.finditer(rf"(?<![A-Za-z0-9&]){re.escape(word)}(?![A-Za-z0-9])", text):
            found.append(replace(hit, start=m.start(), end=m.end(), mention=word))
    return found


# A Latin word glued between Chinese characters ("與Summit訂立", "美国Verdiva公司") is a name, not an English word.
GLUED_IN_CJK = r"(?<=[\u3400-\u9fff（「“、，]){word}(?=[\u3400-\u9fff）」”、，])"


def glued_first_words(index: CompanyIndex, text: str) -> list[CompanyHit]:
    """Chinese text often names an overseas company by the first word of its name alone ('Summit' for Summit
    Therapeutics). Glued to Chinese characters that word is a name, so it is read as the registry company whose
    English name starts with it, when only one company's does."""
    found: list[CompanyHit] = []
    pattern = index.glued_re()
    if pattern is None:
        return found
    first_words = index.first_words()
    for m in pattern.finditer(text):
        company = index.companies[first_words[m.group(0)]]
        found.append(CompanyHit(m.start(), m.end(), m.group(0), company.name, company.id, company.country,
                                getattr(company, "parent_id", None)))
    return found


def filing_issuers(text: str) -> list[tuple[int, int]]:
    """Spans of the issuer's short name in a Taiwanese filing's form fields ('公司名稱:合一 (4743)', '標題:因華 本公司就…'),
    a name that carries no trade word, so no other pattern sees it."""
    return [m.span(m.lastgroup or 0) for m in FILING_ISSUER.finditer(text)]


def self_references(text: str, hits: list[CompanyHit]) -> list[CompanyHit]:
    """'本公司', '本集團', 'the Company' in a filing mean the issuer: the company its form fields name, else the first
    company the text names, unless its own line names it after '本公司' ("本公司與Sandoz AG簽訂…" names the
    counterparty; the issuer is "台康生技(6589)")."""
    if not hits:
        return []
    named = {start for start, _ in filing_issuers(text)}
    issuer = next((h for h in hits if h.start in named), None) or next(
        (h for h in hits if not SELF_REFERENCE.search(text[text.rfind("\n", 0, h.start) + 1:h.start])), hits[0])
    found = list(SELF_REFERENCE.finditer(text))
    if DEFINES_COMPANY.search(text) or ANNOUNCEMENT.search(text[:300]):
        found += list(BARE_COMPANY.finditer(text))
    return [replace(issuer, start=m.start(), end=m.end(), mention=m.group(0)) for m in found]


def add_hits(hits: list[CompanyHit], extra: list[CompanyHit]) -> None:
    for hit in sorted(extra, key=lambda h: h.start):
        if not _overlaps(hit, hits):
            hits.append(hit)


def as_longer(hit: CompanyHit, found: list[CompanyHit]) -> CompanyHit:
    """'瑞士Veridia' beside 'Veridia Pharma': an unknown one-word name that opens a longer unknown name is that company."""
    if hit.company_id or not hit.mention.isascii() or " " in hit.mention or len(hit.mention) < 4:
        return hit
    for other in found:
        words = other.mention.split()
        if not other.company_id and len(words) > 1 and words[0] == hit.mention:
            return replace(other, start=hit.start, end=hit.end, mention=hit.mention)
    return hit


def as_known(hit: CompanyHit, known: list[CompanyHit]) -> CompanyHit:
    """'United Labs' beside 'United Laboratories International': same first word, same company."""
    first = hit.mention.split()[0] if hit.mention.isascii() else ""
    if len(first) < 4:
        return hit
    for other in known:
        if other.company_id and other.mention.isascii() and other.mention.split()[0] == first:
            return replace(other, start=hit.start, end=hit.end, mention=hit.mention)
    return hit
