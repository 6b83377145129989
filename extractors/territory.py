"""Licensed territory: ex-China, a list of regions, (Greater) China, or worldwide."""
from __future__ import annotations

import re

from pharmadeals.extractors.prefilter import guarded
from pharmadeals.models.records import Territory

EX_CHINA = guarded(re.compile(
    r"\boutside (?:of )?(?:mainland |greater )?china\b|\bex-china\b|\bexcluding (?:mainland |greater )?china\b|"
    r"\bex-greater china\b|\bexcept (?:for )?(?:mainland |greater )?china\b|\bother than (?:greater )?china\b|"
    r"\b(?:retains?|retaining|keeps?) (?:the )?(?:rights|commercial rights)[^.;]{0,40}china\b|"
    r"\brest of (?:the )?world\b|\boverseas rights\b|海外权益|海外權益|海外权利|海外權利|海外市场的?权益|"
    r"海外市場的?權益|海外开发|海外開發|\bother than (?:mainland )?china\b|"
    r"(?:中国|中國|大中华|大中華|港澳台|台湾|台灣|澳门|澳門|香港)[^。；]{0,30}?(?:以外|之外)|"
    r"(?:不包括|不含|除)[^。；]{0,6}?(?:中国|中國|大中华|大中華)|"
    r"大中华区以外|大中華區以外|大中华区外|中国以外|中國以外|除中国|除中國|除大中华区|除大中華區|中国境外|"
    r"不含中国|不包括中国|中国大陆以外|海外市场的|保留[^，。；]{0,20}中国|大中华区之外|中国之外", re.IGNORECASE))
REGION_WORDS = re.compile(
    r"(?<![A-Za-z])(?:the )?(?:united states|u\.s\.|(?-i:US)|canada|north america|europe|european union|eu|japan|latin america|middle east|"
    r"africa|korea|australia|southeast asia|united kingdom|uk)(?![A-Za-z])|美国|美國|加拿大|欧洲|歐洲|欧盟|日本|拉丁美洲|"
    r"拉美|中东|中東|非洲|韩国|韓國|澳大利亚|澳大利亞|东南亚|東南亞|东盟|東盟|英国|英國|俄罗斯|俄羅斯|印度|"
    r"中东|澳洲|北美", re.IGNORECASE)
# One named market: "U.S. rights", "rights in Japan", "在美国的独家权益".
ONE_REGION = re.compile(
    r"(?<![A-Za-z])(?:U\.S\.|US|United States|European|Europe|Japan(?:ese)?|Korean?)\s+(?:commercial(?:ization)? )?"
    r"rights\b|\brights\s+(?:in|for)\s+(?:the\s+)?(?:U\.S\.|United States|Europe|Japan|Korea)(?![A-Za-z])(?!,? (?:and|,))|"
    r"在(?:美国|美國|日本|欧洲|歐洲|韩国|韓國)(?:市场|市場|地区|地區)?的?(?:独家|獨家)?[^，。；]{0,6}(?:权益|權益|权利|權利|权|權)|"
    r"\bNorth America(?:n)? (?:commercial )?rights\b|\brights (?:in|for) North America\b|"
    r"(?:北美|北美洲)(?:地区|地區|市场|市場)?的?(?:独家|獨家)?[^，。；]{0,6}(?:权益|權益|权利|權利)")
SENTENCE_END = re.compile(r"[.;](?=\s|$)|[。；]")
REGIONAL_CONTEXT = re.compile(r"\brights?\b|\bterritor|\blicen[cs]e|权益|權益|权利|權利|区域|區域|地区|地區|"
                              r"许可|授权|許可|授權", re.IGNORECASE)
# Markets named as ambitions ("进入美国、欧洲和日本市场" — entering markets) are weaker than a stated 'outside China'.
MARKET_CONTEXT = re.compile(r"市场|市場|\bmarkets?\b", re.IGNORECASE)
# Boilerplate that lists regions without being a territory ("known as MSD outside the United States and Canada").
BOILERPLATE = re.compile(r"known as MSD outside (?:of )?the United States and Canada|"
                         r"在美[国國](?:和|及|与)加拿大以外(?:地[区區])?以[^，。]{0,4}MSD[^，。]{0,4}[为為]名",
                         re.IGNORECASE)
MANY_REGIONS = 3
# Greater China spelled out as where rights are granted: "in mainland China, Hong Kong, Macau and Taiwan",
# "在中国大陆、香港、澳门及台湾地区", "於中國內地、香港、澳門及台灣" (an 'outside'/'以外' form is ex-China and wins).
GREATER_CHINA_GRANT = re.compile(
    r"\b(?:in|for|to|covering|across|within)\s+(?:the\s+)?(?:territories of\s+|regions? of\s+)?(?:mainland\s+)?china"
    r"(?:,\s*|\s+and\s+)(?:hong kong|macau|macao|taiwan)|"
    r"(?:在|於|于|由|就)(?:中国|中國)(?:大陆|大陸|内地|內地)?[、，,及和与與]\s*(?:香港|澳门|澳門|台湾|台灣)"
    r"[^。；]{0,12}?(?!以外|之外)", re.IGNORECASE)
# "keeps all rights in the rest of the world" says the licensee's share is China, so it only hints at ex-China.
WEAK_EX_CHINA = re.compile(r"\brest of (?:the )?world\b", re.IGNORECASE)
CHINA = guarded(re.compile(
    r"\b(?:rights|license|licence|territory)\b[^.;]{0,40}\b(?:in|for|to|covering) (?:mainland |greater )?china\b|"
    r"\b(?:greater|mainland) china (?:rights|territory|region)|\bchina rights\b|\bin greater china\b|"
    r"大中华区[^，。；以外]{0,12}(?:权益|权利|开发|商业化|独家)|大中華區[^，。；以外]{0,12}(?:權益|權利|開發|商業化|獨家)|"
    r"(?:台湾|台灣|澳门|澳門)(?:地区|地區)?的?(?:独家|獨家)?[^，。；以外]{0,8}(?:权益|權益|权利|權利)|"
    r"在中国[^，。；以外]{0,10}(?:权益|权利|独家)|(?:在|於|于)(?:中国|中國)(?:内地|內地|大陆|大陸)?[^，。；以外之]{0,2}"
    r"之?[^，。；以外]{0,10}(?:权利|權利|权益|權益)|中国(?:大陆)?(?:地区)?的?(?:独家)?(?:权益|权利)", re.IGNORECASE))
# One market named as where the licensee develops or sells: "commercialize HJ-1102 in Japan", "in the Republic of
# Korea", "在日本开发和商业化" (read only when the text claims no worldwide rights).
MARKET_OF_USE = re.compile(
    r"\b(?:develop\w*|commerciali[sz]\w*|market(?:s|ed|ing)?|sell|distribut\w*|manufactur\w*)\b[^.;]{0,60}?\bin "
    r"(?:the )?(?:Japan|(?:Republic of |South )?Korea|United States|U\.S\.|Europe|Canada|Australia|North America|"
    r"Southeast Asia|Latin America|Middle East)(?![A-Za-z])(?!,? (?:and|,|or) )|"
    r"(?:在|於|于)(?:日本|韩国|韓國|美国|美國|欧洲|歐洲|北美)(?:市场|市場|地区|地區)?(?:的|进行|進行)?[^，。；]{0,4}"
    r"(?:开发|開發|商业化|商業化|销售|銷售)")
GLOBAL = guarded(re.compile(
    r"\bworldwide\b|\bglobal (?:exclusive |development and commercial(?:ization)? |commercial(?:ization)? )?"
    r"(?:rights|licen[cs]e)|\bexclusive global\b|\bglobally\b|\bglobal development\b|"
    r"全球(?!领先|領先|知名|市场|市場|最大|首个|首個|销售|銷售)[^，。；]{0,6}?(?:权益|權益|权利|權利|许可|許可|开发|開發|"
    r"商业化|商業化|独占|獨佔|范围|範圍)|"
    r"全球独家|"
    # "share global profits and losses equally", "平分全球利润": a worldwide profit split covers the whole world
    r"\b(?:share|sharing|split|splitting)s? (?:the )?(?:global|worldwide) (?:profits?|profits and losses)\b|"
    r"(?:分享|平分|共享|均分)全球(?:的)?(?:利润|利潤|损益|損益)", re.IGNORECASE))


KEPT_BEFORE = re.compile(r"\b(?:keeps?|keeping|retains?|retaining|reserves?)\b[^.;]{0,40}$|保留[^，。；]{0,20}$",
                         re.IGNORECASE)


def _china_granted(text: str) -> bool:
    """Greater China is spelled out as the granted territory, not as what the licensor keeps."""
    return any(not KEPT_BEFORE.search(text[max(0, m.start() - 60):m.start()])
               for m in GREATER_CHINA_GRANT.finditer(text))


def _region_count(text: str, context: re.Pattern[str] = REGIONAL_CONTEXT) -> int:
    """The most regions one sentence speaking of rights (or, with MARKET_CONTEXT, of markets) lists."""
    best = 0
    for sentence in SENTENCE_END.split(text):
        regions = {m.group(0).lower().removeprefix("the ") for m in REGION_WORDS.finditer(sentence)}
        if context.search(sentence):
            best = max(best, len(regions))
    return best


def classify_territory(text: str) -> Territory | None:
    """A long region list, then ex-China, then a short region list, then China, then global; None when silent."""
    text = BOILERPLATE.sub("", text)
    regions = _region_count(text)
    if regions >= MANY_REGIONS:
        return "regional"
    if EX_CHINA.search(WEAK_EX_CHINA.sub(" ", text)):
        return "ex-China"
    if regions >= 2 or _region_count(text, MARKET_CONTEXT) >= MANY_REGIONS or ONE_REGION.search(text):
        return "regional"
    if _china_granted(text):
        return "China"
    if EX_CHINA.search(text):
        return "ex-China"
    if CHINA.search(text):
        return "China"
    if GLOBAL.search(text):
        return "global"
    if MARKET_OF_USE.search(text):
        return "regional"
    return None
