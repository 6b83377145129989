"""Sentence-level cue words: deal triggers, background mentions, aggregates, follow-up events, royalties, datelines."""
from __future__ import annotations

import re
from datetime import date, timedelta

from pharmadeals.extractors.prefilter import guarded
from pharmadeals.models.records import EventKind

TRIGGER = guarded(re.compile(
    r"\blicen[cs]\w*|\bagreements?\b|\bdeals?\b|\bpacts?\b|\bcollaborat\w*|\bpartnership\b|\brights\b|"
    r"\boption\b|\bacquir\w*|\bacquisition\b|\bnew ?co\b|\btie-up\b|\balliance\b|\binks?\b|\bsigns?\b|\bsigned\b|"
    r"\btransaction\b|\bupfront\b|\bgrab\w*|\bbag\w*|\bnab\w*|\bsnap\w*|\btaps?\b|\blands?\b|\bpens?\b|"
    r"\bstrik\w*|\bstruck\b|\bpartner(?:s|ed|ing)? with\b|\bbets?\b|\bpay\w*|\bobtain\w*|\bsecur\w*|\bbuy\w*|\bbought\b|"
    r"\bexclusive\b|\bmilestones?\b|\bco-?develop\w*|\bjointly develop\w*|\bco-?commerciali[sz]\w*|共同开发|共同開發|\bunit(?:e|es|ed)\b|\bteam(?:s|ed)? up\b|\bjoin(?:s|ed)? forces\b|"
    r"\bties? up\b|\bhand(?:s|ed)? (?:over|back)\b|"
    r"许可|許可|授权|授權|协议|協議|合作|权益|權益|交易|收购|收購|引进|引進|达成|達成|签署|簽署|选择权|選擇權|"
    r"合同|首付款|对外授权|BD|里程碑|引入|出海|牵手|攜手|携手|拿下|买下|買下|獨家|独家|联手|聯手|终止|終止", re.IGNORECASE))
# Words that look like deal words but name regulatory filings ("Biologics License Application").
NOT_TRIGGERS = re.compile(r"\b(?:biologics|new drug|supplemental|marketing authori[sz]ation) licen[cs]e application\b|"
                          r"\blicen[cs]e application\b|\bmarketing licen[cs]e\b|\bdrug licen[cs]e\b|上市许可|上市許可|"
                          r"药品注册|生产许可", re.IGNORECASE)
# A deal the article only recalls ("follows Merck's pact with LaNova last year", "此前曾以…").
BACKGROUND = guarded(re.compile(
    r"\blast year\b|\bpreviously\b|\bprior (?:deal|agreement|pact|licen[cs]e)|\bearlier (?!(?:[a-z-]+ )?(?:candidates?|assets?|"
    r"drugs?|compounds?|molecules?|versions?|generations?)\b|today|this week|this month|stages?\b|phases?\b|lines?\b|programm?e?s?\b|development\b|treatment|"
    r"disease|than\b|-stage|patients\b|in (?:development|the clinic)|setting)"
    r"|\bfollows\b|\bfollowing (?:a|an|its|the|their)\b|\ba year (?:ago|earlier)\b|\byears ago\b|\bwhich (?:had )?"
    r"(?:licensed|in-licensed|acquired|struck|signed)|\bhad (?:licensed|signed|struck|agreed)|\bback in\b|"
    r"\bsimilar (?:deal|pact|agreement)|\bechoes\b|\brecalls?\b|\bthe latest in\b|"
    r"\b(?:a|one|two|three|\d+) (?:days?|weeks?|months?) after\b|"
    r"\b(?:which|that) (?:had )?(?:in-)?licensed\b|\b(?:it|they) (?:had )?(?:in-)?licensed from\b|"
    r",\s*(?:which was |that was )?(?:in-)?licensed "
    r"from\b|\bunder a licen[cs]e (?:from|with)\b|\b(?:its|their) partner\b|'s partner\b|\bpartnered with\b|"
    r"\bcomes? (?:just )?after\b|\bcounts\b[^.]{0,40}\bpartners\b|"
    # "…, after GSK took another Hansoh ADC in December", "after Merck licensed its PD-1 last year": an earlier deal
    r"\bafter (?-i:[A-Z])[\w&.-]*(?: (?-i:[A-Z])[\w&.-]*)? (?:took|licensed|in-licensed|bought|acquired|paid|signed|"
    r"struck|inked)\b|"
    r"此前|曾以|曾与|曾經|曾经|早在|去年|前年|年前|先前|此前已|上一笔|此外，[^。]{0,10}曾|"
    r"类似的?交易|類似的?交易|继[^。，]{0,20}之后|繼[^。，]{0,20}之後|"
    # a yardstick, not the news: "just shy of the $1.25 billion Pfizer paid 3SBio", "仅次于辉瑞与三生的交易"
    r"\bin perspective\b|\b(?:just |slightly )?shy of\b|\bcompared (?:with|to)\b|\bdwarf(?:s|ed|ing)?\b|"
    r"\beclips\w*|\bsecond only to\b|\b(?:bigger|larger|smaller) than (?:the|that|a)\b|\bsurpass\w*|"
    r"仅次于|僅次於|相比之下|相較之下|堪比|媲美", re.IGNORECASE))
# A year, not an amount that starts like one ("2000万美元", "$2025 million", "2,030").
YEAR = re.compile(r"(?<![\d$.,])(20[0-3]\d)(?![\d%]|[,.]\d|\s*(?:万|萬|亿|億|千|百|美元|港元|元|million|billion|mln|bn)"
                  r"|\s*[mM]\b)")
# Market-wide figures in roundups and commentary, never one deal's terms.
AGGREGATE = re.compile(
    r"\bcombined\b|\bcollectively\b|\baggregate(?! amount| consideration| of up to| potential| payments| development| upfront| milestone)\b|\bin the first half\b|\bH1\b|\bso far this year\b|"
    r"\bacross (?:\d+|all|these|the)\b|\bdeals? worth a total\b|\bmarket\b(?!\s+(?:reaction|reacted|response|debut|rights|exclusivity|access|approval|launch|entry))|\b\d+ deals\b|\bsector\b|"
    r"[二两兩三四五六七八九十\d]+宗(?:主要)?(?:对外|對外)?(?:交易|授权|授權|合作)|上半年|累[计計][^，。]{0,10}(?:笔|筆|项|宗|交易额|交易總額|交易总额)|合计[^，。]{0,6}笔|共计|(?:[\d一二两兩三四五六七八九十百几幾多数數]+|多)\s?(?:笔|筆)交易|同比|总交易额|市场|市場|等\s*\d+\s*家|(?:[二两兩三四五六七八九十]|\d{1,3})\s*家(?:企业|企業|公司|药企|藥企|中国药企|中國藥企)|全年[^，。；]{0,8}(?:交易|授权|授權|BD|出海|首付款|合作)|多家|行业|行業|"
    r"\bsector\b|\bindustry\b|\bsince the start of\b|\byear to date\b|\bso far in 20\d\d\b|"
    r"20\d\d年以来|20\d\d年以來|不完全统计|不完全統計|据统计|據統計", re.IGNORECASE)
# Denied rumours and plain speculation are not deals.
DENIAL = re.compile(r"\bdenied\b|\bdenies\b|\bno (?:such )?(?:deal|agreement|talks)\b|\brumou?r|\bspeculat\w*|"
                    r"\b(?:is|are|was|were) in (?:advanced |early |late-stage |exclusive |preliminary )?(?:talks|"
                    r"discussions|negotiations)\b|\bpeople familiar with\b|正在(?:洽谈|洽談|谈判|談判)|知情人士|消息人士|"
                    r"否认|否認|传闻|傳聞|不实|不實|澄清", re.IGNORECASE)
EVENT_RULES: tuple[tuple[EventKind, re.Pattern[str]], ...] = (
    ("termination", re.compile(r"\bterminat\w*|\bend(?:s|ed)? (?:the|its) (?:deal|agreement|collaboration|pact)|"
                               r"\breturn(?:s|ed)? (?:the )?rights|终止|終止|解除", re.IGNORECASE)),
    ("option_exercise", re.compile(r"\bexercis\w* (?:its |the |an )?option|\boption exercise(?! fee)|行使[^，。]{0,20}"
                                   r"(?:选择权|選擇權|期权)", re.IGNORECASE)),
    ("closing", re.compile(r"\bcomplet\w* (?:[\w-]+ ){0,3}?(?:deal|pact|agreement|transaction|licen[cs]\w*|"
                           r"acquisition)|\bclos(?:es|ed|ing) (?:of )?(?:[\w-]+ ){0,3}?(?:deal|pact|agreement|transaction|"
                           r"licen[cs]\w*|acquisition)|\bantitrust clearance|\bHSR\b|\b(?:deal|agreement|transaction) "
                           r"(?:has )?(?:closed|completed|became effective|takes effect)|完成交割|(?:已|已经|已經|正式|宣布|宣佈)交割|交割(?:已)?完成|正式生效|"
                           r"协议生效|協議生效|已生效|反垄断审查", re.IGNORECASE)),
    ("amendment", re.compile(r"\bamend\w*|\bexpand\w* (?:the |its |their )?(?:licen[cs]e|deal|agreement|"
                             r"collaboration|partnership|territor)|\bextend\w* (?:the |its )?(?:licen[cs]e|deal|"
                             r"agreement)|修订|修訂|补充协议|補充協議|扩大[^，。]{0,10}(?:许可|授权|区域|范围)|"
                             r"擴大[^，。]{0,10}(?:許可|授權|區域|範圍|合作)|扩大[^，。]{0,10}合作|扩展[^，。]{0,10}(?:许可|授权|区域|地区)",
                             re.IGNORECASE)),
)
ROYALTY = re.compile(r"\broyalt\w*|销售分成|銷售分成|提成|特许权使用费|特許權使用費|分成|销售额的?[^，。]{0,8}比例",
                     re.IGNORECASE)
MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
EN_DATE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2}),? (20\d\d)\b",
                     re.IGNORECASE)
EN_DATE_DMY = re.compile(r"\b(\d{1,2}) (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (20\d\d)\b",
                         re.IGNORECASE)
ZH_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ZH_MONTH_DAY = re.compile(r"(?<!\d年)(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# "禾曜生技9日公告": a day of the publication month right before the news verb; "昨日", "said yesterday": the day before.
_NEWS_VERB = r"(?=[^，。；\d]{0,4}?(?:公告|宣布|宣佈|公布|公佈|披露|发布|發布|表示))"
ZH_DAY_ONLY = re.compile(r"(?<![\d月年])(\d{1,2})\s*日" + _NEWS_VERB)
YESTERDAY = re.compile(r"昨日|昨天|\b(?:said|announced|disclosed) yesterday\b", re.IGNORECASE)
EN_MONTH_DAY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})\b(?!,? 20\d\d)",
                          re.IGNORECASE)
# "said on Tuesday", "late Monday", "announced Wednesday": a weekday of the publication week.
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
EN_WEEKDAY = re.compile(r"\b(?:on|late|early|said|announced|disclosed|unveiled|revealed)\s+"
                        r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!\s+(?:morning )?(?:trading|session))",
                        re.IGNORECASE)
ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
ZH_WEEKDAY = re.compile(r"(?:本|上)?(?:周|星期|週|禮拜)([一二三四五六日天])(?=[^，。]{0,6}?(?:公告|宣布|宣佈|公布|公佈|披露|表示|晚间|晚間))")
ISO_DATE = re.compile(r"\b(20\d\d)-(\d{2})-(\d{2})\b")
DATELINE_CHARS = 400
ON_DATE = re.compile(r"\bon $|[于於]$")


def has_trigger(sentence: str) -> bool:
    """A deal word that is not part of a regulatory term."""
    return bool(TRIGGER.search(NOT_TRIGGERS.sub(" ", sentence)))


# Reported speech keeps today's news in the past perfect: "the group said on Thursday it had agreed to pay".
# "X said it had signed…", "X said one of its subsidiaries had signed…": reported speech of today's news.
REPORTED_PAST = re.compile(r"\b(?:said|says|announced|disclosed|confirmed)\b[^.;]{0,40}?\b(?:it|they|the company|that|"
                           r"(?:one of )?its (?:\w+ )?(?:subsidiar(?:y|ies)|unit|arm))"
                           r"\s+had\s+(?=agreed|signed|struck|licensed|entered)", re.IGNORECASE)


# "since launching with $370 million last year", "自去年成立以来": the company's own history, not an older deal.
SINCE_ORIGIN = re.compile(r"\bsince (?:launching|its (?:launch|founding|IPO|debut|listing)|being founded|it "
                          r"(?:launched|was founded|listed))\b[^.;]*|自?[^，。；]{0,10}成立以[来來]", re.IGNORECASE)


# A roundup that numbers its deals ("第一宗是…", "第二笔…", "The first deal…") reports each numbered one, even an
# older one: the article is about those deals.
NUMBERED_ITEM = re.compile(r"^\s*(?:第[一二三四五六七八九十]+(?:宗|笔|筆|项|項|个|個)|其[一二三四五六]，|"
                           r"(?:The )?(?:first|second|third|fourth|fifth) (?:deal|agreement|licen[cs]e|transaction)\b)",
                           re.IGNORECASE)


def numbered_items(sentences: list[str]) -> set[int]:
    """Indexes of sentences that open a numbered roundup item, when the text numbers at least two."""
    found = {i for i, text in enumerate(sentences) if NUMBERED_ITEM.match(text)}
    return found if len(found) >= 2 else set()


def is_background(sentence: str, published: date | None) -> bool:
    """The sentence recalls an older deal rather than reporting this one."""
    sentence = REPORTED_PAST.sub(lambda m: m.group(0).rstrip().removesuffix("had"), sentence)
    sentence = SINCE_ORIGIN.sub("", sentence)
    if BACKGROUND.search(sentence):
        return True
    if published is not None:
        years = [int(y) for y in YEAR.findall(sentence)]
        return bool(years) and max(years) < published.year
    return False


# "If Takeda exercises the option", "倘武田行使選擇權", "协议还需通过反垄断审查" (still needs clearance): a condition of
# the deal, not the follow-up itself.
CONDITIONAL = re.compile(r"\b(?:if|once|should|upon|when|whether|would|may|could|can|right to|subject to|pending|"
                         r"expected to)\b|如果|若|倘|一旦|有权|有權|还需|還需|尚需|仍需|须|須|需|待",
                         re.IGNORECASE)


def _stated(pattern: re.Pattern[str], text: str) -> bool:
    for m in pattern.finditer(text):
        clause = re.split(r"[,;.，；。]", text[max(0, m.start() - 40):m.start()])[-1]
        if not CONDITIONAL.search(clause):
            return True
    return False


def detect_event(*texts: str) -> EventKind | None:
    """The follow-up kind a headline (else the lead) reports, if any: pass the headline first."""
    for text in texts:
        for kind, pattern in EVENT_RULES:
            if _stated(pattern, text):
                return kind
    return None


def _last_weekday(published: date, weekday: int) -> date:
    """'said on Tuesday' in a story published on Wednesday: the latest such weekday on or before publication."""
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def mentioned_dates(text: str, published: date | None = None) -> list[tuple[bool, int, date]]:
    """(not said-on, position, date) for every full or month-day date in the text."""
    found: list[tuple[int, date | None]] = []
    for m in EN_DATE.finditer(text):
        found.append((m.start(), _safe_date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))))
    for m in EN_DATE_DMY.finditer(text):
        found.append((m.start(), _safe_date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))))
    for pattern in (ZH_DATE, ISO_DATE):
        for m in pattern.finditer(text):
            found.append((m.start(), _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    if published is not None:
        for m in ZH_MONTH_DAY.finditer(text):
            found.append((m.start(), _in_year(published, int(m.group(1)), int(m.group(2)))))
        for m in EN_MONTH_DAY.finditer(text):
            found.append((m.start(), _in_year(published, MONTHS[m.group(1).lower()], int(m.group(2)))))
        found += [(m.start(), _in_month(published, int(m.group(1)))) for m in ZH_DAY_ONLY.finditer(text)]
        found += [(m.start(), published - timedelta(days=1)) for m in YESTERDAY.finditer(text)]
        found += [(m.start(1), _last_weekday(published, WEEKDAYS[m.group(1).lower()]))
                  for m in EN_WEEKDAY.finditer(text)]
        found += [(m.start(), _last_weekday(published, ZH_WEEKDAYS[m.group(1)])) for m in ZH_WEEKDAY.finditer(text)]
    # "(Yicai) Oct. 23 -- ... said on Oct. 22": the date the text says something happened on ranks first.
    return sorted((not ON_DATE.search(text[max(0, pos - 4):pos]), pos, day) for pos, day in found if day)


def dateline(text: str, published: date | None = None) -> date | None:
    """The first date in the opening characters: a wire dateline, '2025年7月27日', or '7月27日' / 'July 27'
    in the year of publication (the year before when that would lie after publication)."""
    dated = mentioned_dates(text[:DATELINE_CHARS], published)
    return dated[0][2] if dated else None


def earliest_date(text: str, published: date | None = None) -> date | None:
    """The earliest date a follow-up story mentions: the original deal's announcement."""
    days = [day for _, _, day in mentioned_dates(text, published) if published is None or day <= published]
    return min(days) if days else None


def _in_month(published: date, day: int) -> date | None:
    """A bare day of the month: this month's, or last month's when it would lie after publication."""
    if day <= published.day:
        return _safe_date(published.year, published.month, day)
    last = published.replace(day=1) - timedelta(days=1)
    return _safe_date(last.year, last.month, day)


def _in_year(published: date, month: int, day: int) -> date | None:
    found = _safe_date(published.year, month, day)
    if found is not None and found > published:
        found = _safe_date(published.year - 1, month, day)
    return found
