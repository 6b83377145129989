"""Companies outside the registry named in Chinese text: a run of characters before a trade word ('耀泰生物'), a
name after a describing noun ('创新药企维立志博', '上市公司Aurelis'), a Latin name beside a company word ('Kailera公司').
The word lists shared with English detection live in parties.py."""
from __future__ import annotations

import re

from pharmadeals.extractors.parties import (
    NOT_LATIN_NAMES,
    ZH_COMPANY_SUFFIXES,
    ZH_DESCRIPTOR_WORDS,
    ZH_LEGAL_TAILS,
)
from pharmadeals.extractors.places import PLACE_COUNTRY

# "生物科技股港晴生物": a trade word then 股 and a name is a stock-sector label ("biotech stock X"), not a company.
ZH_SECTOR_STOCK = re.compile(r"股(?![价價份票东東权權本息市值民])[\u4e00-\u9fff]")
ZH_STOP_CHARS = set("乃与和及同向从将由为是在的了、，。；：:（）()“”\"《》及并对其该这于把被给让已称据今日月年与跟就而或予"
                    "與將從為對該這於並給讓稱據")
ZH_GENERIC = ("中国", "国内", "全球", "跨国", "本土", "创新", "一家", "这家", "多家", "国产", "海外", "大型",
              "知名", "领先", "头部", "外资", "欧美", "美国", "合作", "相关", "双方", "中资", "港股", "A股",
              "新药公司", "新藥公司", "公司", "药企", "藥企", "國內", "國產", "這家", "一間",
              # verbs and relations that run into a name: "采用耀泰生物", "旗下康泽生物"
              "采用", "採用", "通过", "透過", "宣布", "使用", "包括", "包含", "旗下", "子公司", "附属", "附屬", "伙伴",
              "收购", "收購", "并购", "併購", "斥资", "斥資", "港元", "美元", "亿元", "億元", "万元", "萬元", "日元",
              "现金", "現金", "获得", "獲得", "引进", "引進",
              "夥伴", "支持", "其中", "此次", "本次", "今天", "今日", "昨日", "作为", "作為", "成为", "成為", "收购",
              "收購", "引进", "引進", "授权", "授權", "许可", "許可", "获得", "獲得", "联合", "聯合", "携手", "攜手",
              "拿下", "买下", "買下", "支付", "牵手", "牽手")
_ZH_SUFFIX = "|".join(sorted(ZH_COMPANY_SUFFIXES, key=len, reverse=True))
_ZH_TAIL = "|".join(ZH_LEGAL_TAILS)
# "南北兄弟藥業投資有限公司": a business word may sit between the trade word and the legal form.
_ZH_MIDDLE = "投資|投资|科技|技術|技术|發展|发展|研究|研發|研发|開發|开发"
ZH_COMPANY_RE = re.compile(rf"(?:{_ZH_SUFFIX})(?:(?:{_ZH_MIDDLE})?(?:{_ZH_TAIL}))?(?=[与與和将將已于於宣在的、，。（(及同向获獲称稱表今近旗也还還拟擬为為以通昨董股是对對把自创創首保享有可签簽达達订訂共就合引斥收授从從携攜牵牽联聯买買拿取支全曾又再）)\n ]|\d{{1,2}}月|$)")
ZH_MAX_PREFIX = 6
ZH_PLACE_WORDS = tuple(sorted((p for p in PLACE_COUNTRY if not p.isascii() and len(p) > 1), key=len, reverse=True))
# A Latin name inside Chinese text followed by a company word: "韩国HLB公司", "Kailera公司", "Vor Bio公司".
ZH_LATIN_COMPANY_RE = re.compile(r"(?<![A-Za-z0-9\-])([A-Z][A-Za-z0-9&\-]{1,30}(?: [A-Z][A-Za-z0-9&\-]+){0,3})"
                                 r"(?=\s?(?:公司|制药|製藥|生物|医药|醫藥|药业|藥業))")
# A Latin name right after a Chinese describing noun: "纳斯达克上市公司Aurelis达成", "德国药企Valtheim", "新成立的生物
# 技术公司Cobaltine。".
ZH_DESCRIBED_LATIN_RE = re.compile(r"(?:公司|药企|藥企|药厂|藥廠|企业|企業|药商|藥商|生技|新创|新創)\s?"
                                   r"([A-Z][A-Za-z&\-]{2,30}(?: [A-Z][A-Za-z&\-]+){0,3})(?![A-Za-z0-9\-])")

# A Latin name as the other party of a Chinese deal sentence: "复宏汉霖与FBD签署《许可协议》", "已与Expedition签署",
# "授權給Sandoz AG". Between a partner word and a deal verb a capitalised Latin word is a company, not a drug.
_ZH_PLACE = "|".join(ZH_PLACE_WORDS)
# ...also after the partner's country: "启德医药与韩国AimedBio签订合作协议".
ZH_PARTNER_LATIN_RE = re.compile(rf"(?:与|與|同|向|授予|授权给|授權給|授权予|授權予|许可给|許可給)(?:{_ZH_PLACE})?(?:的)?\s?"
                                 r"([A-Z][A-Za-z&\-]{1,30}(?: [A-Z][A-Za-z&\-]+){0,3})\s?"
                                 r"(?=签署|簽署|订立|訂立|达成|達成|签订|簽訂|签约|簽約|就|合作|共同|在)")

# A Chinese name without a trade word, right after a describing noun: "生物科技公司宜明昂科与…", "创新药企维立志博宣布".
ZH_DESCRIBED_RE = re.compile(r"(?:生物科技公司|生物技术公司|生物技術公司|生物医药公司|生物醫藥公司|医药公司|醫藥公司|创新药企|創新藥企|"
                             r"药企|藥企|生技公司|新药公司|新藥公司|制药公司|製藥公司|药业公司|biotech公司)"
                             r"([\u4e00-\u9fff]{2,6}?)(?=与|與|和|宣布|达成|達成|签署|簽署|获得|獲得|将|將|今日|于|於)")
ZH_NOT_NAMES = frozenset({"纷纷", "紛紛", "正在", "已经", "已經", "也在", "都在", "之间", "之間", "开始", "開始", "近期", "此前",
                          "相继", "相繼", "频频", "頻頻", "争相", "爭相", "大多", "多数", "多數", "一直", "陆续", "陸續",
                          "持续", "持續", "仍然", "再次", "首次", "共同", "正式", "目前", "通常", "往往", "今年", "去年",
                          "近日", "日前", "最近", "均已", "都已", "们", "們", "巨头", "巨頭", "龙头", "龍頭"})

def _scan_back(text: str, start: int, end: int) -> int:
    while start > 0 and end - start < ZH_MAX_PREFIX and _CJK_CHAR(text[start - 1]) and text[start - 1] not in ZH_STOP_CHARS:
        start -= 1
    return start


def _CJK_CHAR(ch: str) -> bool:  # noqa: N802 - reads like the character class it tests
    return "\u4e00" <= ch <= "\u9fff"


def _name_start(text: str, end: int) -> int:
    """Where the name before a trade word starts: back to a stop character ('与', '的', '日'…). A name that
    itself holds one ('和屿医药', '如月制药') would come out shorter than two characters, so then one stop
    character is read as part of the name."""
    start = _scan_back(text, end, end)
    if end - start < 2 and start > 0 and _CJK_CHAR(text[start - 1]):
        start = _scan_back(text, start - 1, end)
    return start


def _after_place(text: str, start: int, limit: int) -> int:
    """'日本櫻田製藥': a place or describing word the name's start cuts in two ('日' is also a date character)
    is skipped whole, so the name starts after it."""
    for place in ZH_PLACE_WORDS + ZH_DESCRIPTOR_WORDS:  # '公司获得嵯峨野制药': '司' is the end of 公司
        for k in range(1, len(place)):
            if start - k >= 0 and text.startswith(place, start - k) and start - k + len(place) < limit:
                return start - k + len(place)
    return start


def zh_unknown(text: str) -> list[tuple[int, int]]:
    """Spans of companies outside the registry named in Chinese text: a name before a trade word (耀泰生物),
    after a describing noun (创新药企维立志博), or a Latin name beside a company word (Kailera公司)."""
    spans = [m.span(1) for m in ZH_LATIN_COMPANY_RE.finditer(text)
             if not any(ch.isdigit() for ch in m.group(1)) and m.group(1) not in NOT_LATIN_NAMES]
    spans += [m.span(1) for m in ZH_DESCRIBED_RE.finditer(text)
              if not any(m.group(1).startswith(w) for w in ZH_NOT_NAMES)]
    spans += [m.span(1) for m in ZH_DESCRIBED_LATIN_RE.finditer(text) if m.group(1) not in NOT_LATIN_NAMES
              and m.group(1).split()[0] not in NOT_LATIN_NAMES]
    spans += [m.span(1) for m in ZH_PARTNER_LATIN_RE.finditer(text) if m.group(1) not in NOT_LATIN_NAMES
              and m.group(1).split()[0] not in NOT_LATIN_NAMES]
    for m in ZH_COMPANY_RE.finditer(text):
        if ZH_SECTOR_STOCK.match(text, m.end()):
            continue
        start = _name_start(text, m.start())
        start = _after_place(text, start, m.start())
        prefix = text[start:m.start()]
        cut = max((prefix.rfind(w) + len(w) for w in ZH_DESCRIPTOR_WORDS if w in prefix), default=0)
        prefix, start = prefix[cut:], start + cut  # "美國藥廠凱瑞斯生技": the name starts after the describing noun
        while prefix and any(prefix.startswith(g) for g in ZH_GENERIC):
            cut = next(len(g) for g in ZH_GENERIC if prefix.startswith(g))
            prefix, start = prefix[cut:], start + cut
        if len(prefix) >= 2:
            spans.append((start, m.end()))
    return spans
