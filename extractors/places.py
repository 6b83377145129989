"""Where a company is based, from the words around its name: places, nationalities, listings, appositions."""
from __future__ import annotations

import re

from pharmadeals.extractors.prefilter import guarded

# "Shanghai-based", "总部位于苏州" and other place words that tell a company's country.
PLACE_COUNTRY: dict[str, str] = {
    "Shanghai": "CN", "Beijing": "CN", "Suzhou": "CN", "Hangzhou": "CN", "Nanjing": "CN", "Shenzhen": "CN",
    "Guangzhou": "CN", "Chengdu": "CN", "Wuhan": "CN", "Jiangsu": "CN", "Zhejiang": "CN", "Sichuan": "CN",
    "China": "CN", "Chinese": "CN", "Hong Kong": "HK", "Taiwan": "TW", "Taipei": "TW", "Boston": "US",
    "Cambridge": "US", "San Diego": "US", "San Francisco": "US", "New York": "US", "New Jersey": "US",
    "U.S.": "US", "US": "US", "American": "US", "California": "US", "Massachusetts": "US", "Japan": "JP",
    "Japanese": "JP", "Tokyo": "JP", "Swiss": "CH", "Basel": "CH", "German": "DE", "British": "GB",
    "London": "GB", "French": "FR", "Paris": "FR", "Danish": "DK", "Korean": "KR", "Seoul": "KR",
    "上海": "CN", "北京": "CN", "苏州": "CN", "蘇州": "CN", "杭州": "CN", "南京": "CN", "深圳": "CN",
    "广州": "CN", "成都": "CN", "武汉": "CN", "江苏": "CN", "浙江": "CN", "四川": "CN", "中国": "CN",
    "国内": "CN", "本土": "CN", "香港": "HK", "台湾": "TW", "台灣": "TW", "美国": "US", "美國": "US",
    "波士顿": "US", "日本": "JP", "瑞士": "CH", "德国": "DE", "英国": "GB", "法国": "FR", "丹麦": "DK",
    "韩国": "KR",
    "Zhuhai": "CN", "Xiamen": "CN", "Tianjin": "CN", "Chongqing": "CN", "Shandong": "CN", "Guangdong": "CN",
    "Hefei": "CN", "Changsha": "CN", "Xi'an": "CN", "Jinan": "CN", "Qingdao": "CN", "Wuxi": "CN", "Taizhou": "CN",
    "Lianyungang": "CN", "Shijiazhuang": "CN", "Harbin": "CN", "Shenyang": "CN", "Hsinchu": "TW",
    "People's Republic of China": "CN", "PRC": "CN", "Delaware": "US", "Mainz": "DE",
    "Munich": "DE", "Berlin": "DE", "Zurich": "CH", "Geneva": "CH", "Bern": "CH", "Boston-area": "US",
    "Irvine": "US", "Seattle": "US", "Philadelphia": "US", "South San Francisco": "US", "Waltham": "US",
    "Redwood City": "US", "Palo Alto": "US", "Maryland": "US", "Texas": "US", "Canadian": "CA", "Canada": "CA",
    "Australian": "AU", "Australia": "AU", "Belgian": "BE", "Dutch": "NL", "Netherlands": "NL", "Italian": "IT",
    "Spanish": "ES", "Israeli": "IL", "Swedish": "SE", "Osaka": "JP", "Singapore": "SG", "European": "EU",
    "珠海": "CN", "厦门": "CN", "廈門": "CN", "天津": "CN", "重庆": "CN", "山东": "CN", "广东": "CN", "合肥": "CN",
    "长沙": "CN", "西安": "CN", "济南": "CN", "青岛": "CN", "无锡": "CN", "泰州": "CN", "连云港": "CN",
    "石家庄": "CN", "沈阳": "CN", "哈尔滨": "CN", "新竹": "TW", "臺灣": "TW", "台北": "TW", "臺北": "TW",
    "美商": "US", "德國": "DE", "英國": "GB", "法國": "FR", "丹麥": "DK", "韓國": "KR",
    "加拿大": "CA", "澳大利亚": "AU", "澳洲": "AU", "比利时": "BE", "比利時": "BE", "荷兰": "NL", "荷蘭": "NL",
    "以色列": "IL", "新加坡": "SG", "欧洲": "EU", "歐洲": "EU", "旧金山": "US", "舊金山": "US", "加州": "US",
    "波士頓": "US", "圣地亚哥": "US", "特拉华": "US", "特拉華": "US", "中國": "CN", "大陆": "CN", "大陸": "CN",
    # more mainland cities and provinces that open company names ("Dalian Haiyun Biotech", 宁波天悦医药)
    "Dalian": "CN", "Ningbo": "CN", "Fuzhou": "CN", "Zhengzhou": "CN", "Kunming": "CN", "Nanchang": "CN",
    "Changchun": "CN", "Taiyuan": "CN", "Lanzhou": "CN", "Guiyang": "CN", "Nanning": "CN", "Haikou": "CN",
    "Wenzhou": "CN", "Shaoxing": "CN", "Jiaxing": "CN", "Changzhou": "CN", "Nantong": "CN", "Yangzhou": "CN",
    "Zhongshan": "CN", "Foshan": "CN", "Dongguan": "CN", "Yantai": "CN", "Weifang": "CN", "Jilin": "CN",
    "Hubei": "CN", "Hunan": "CN", "Henan": "CN", "Hebei": "CN", "Anhui": "CN", "Fujian": "CN", "Jiangxi": "CN",
    "Yunnan": "CN", "Guangxi": "CN", "Hainan": "CN", "Liaoning": "CN", "Shaanxi": "CN", "Shanxi": "CN",
    "大连": "CN", "大連": "CN", "宁波": "CN", "寧波": "CN", "福州": "CN", "郑州": "CN", "鄭州": "CN", "昆明": "CN",
    "南昌": "CN", "长春": "CN", "長春": "CN", "太原": "CN", "兰州": "CN", "蘭州": "CN", "贵阳": "CN", "貴陽": "CN",
    "南宁": "CN", "南寧": "CN", "海口": "CN", "温州": "CN", "溫州": "CN", "绍兴": "CN", "紹興": "CN", "嘉兴": "CN",
    "嘉興": "CN", "常州": "CN", "南通": "CN", "扬州": "CN", "揚州": "CN", "中山": "CN", "佛山": "CN", "东莞": "CN",
    "東莞": "CN", "烟台": "CN", "煙台": "CN", "潍坊": "CN", "濰坊": "CN", "广州市": "CN", "廣州": "CN", "武漢": "CN",
    "湖北": "CN", "湖南": "CN", "河南": "CN", "河北": "CN", "安徽": "CN", "福建": "CN", "江西": "CN", "云南": "CN",
    "雲南": "CN", "广西": "CN", "廣西": "CN", "海南": "CN", "辽宁": "CN", "遼寧": "CN", "陕西": "CN", "陝西": "CN",
    "山西": "CN", "吉林": "CN", "江蘇": "CN", "四川省": "CN", "重慶": "CN", "瀋陽": "CN", "無錫": "CN",
}
_PLACES = "|".join(re.escape(p) for p in sorted(PLACE_COUNTRY, key=len, reverse=True))
# Every place word at once for str.startswith, which says in one call whether any of them opens a name.
PLACE_PREFIXES = tuple(PLACE_COUNTRY)
EN_BASED_RE = re.compile(rf"({_PLACES})(?:-based|-headquartered| based)?(?:\s+(?:[a-z][a-z-]+|AI|RNAi|ADC|"
                         rf"[A-Z][a-z]+-stage)){{0,3}}?\s*(?:biotech|biotechnology|drugmaker|drug maker|pharma|"
                         rf"company|startup|start-up|firm|developer|group|biopharma|partner|-based|-headquartered|-listed)"
                         rf"(?: company| firm)?\W*$")
# After a mention: 'X, a Boston-based biotech,', 'X (Nasdaq: XYZ), the U.S. company', 'X, a company organized
# under the laws of the People's Republic of China', 'X（一間於美國特拉華州註冊成立的公司）', 'X总部位于美国'.
EN_AFTER_RE = re.compile(rf"^(?:,?\s*(?:Inc\.|Ltd\.|Co\., Ltd\.|Limited|Corp\.|AG|SE))?(?:\s*\([^()]{{0,60}}\))?\s*,\s*(?:a|an|the)\s+(?:[\w'-]+\s+){{0,5}}?"
                         rf"(?:(?:based|headquartered|incorporated|organized|organised)\s+(?:in|under the laws of)\s+"
                         rf"(?:the\s+)?)?({_PLACES})(?![A-Za-z])(?:[\s-]+[\w'-]+){{0,3}}\s*(?:[,.;)]|$|(?=\s(?:whose|which|that|with|in)\b))")
# "Yunhe Biotherapeutics in Guangzhou", "Pellucid Pharma of Copenhagen": the place right after the name.
EN_IN_PLACE_RE = re.compile(rf"^\s+(?:in|of)\s+({_PLACES})(?![A-Za-z])")
# "China's Biotheus", "Japan's Kyowa Kirin": a country's possessive right before the name.
POSSESSIVE_PLACE_RE = guarded(re.compile(r"\b(China|Japan|Korea|South Korea|Taiwan|Hong Kong|Germany|Switzerland|Britain|"
                                 r"France|Denmark|India|Israel|Singapore|America)['’]s\s+$"))
POSSESSIVE_COUNTRY = {"China": "CN", "Japan": "JP", "Korea": "KR", "South Korea": "KR", "Taiwan": "TW",
                      "Hong Kong": "HK", "Germany": "DE", "Switzerland": "CH", "Britain": "GB", "France": "FR",
                      "Denmark": "DK", "India": "IN", "Israel": "IL", "Singapore": "SG", "America": "US"}
ZH_AFTER_RE = re.compile(rf"^(?:\s*[（(][^（）()]{{0,40}}?[）)])?\s*[，,]?\s*(?:是)?(?:一[家间間個个]|一間)?\s*"
                         rf"(?:总部位于|總部位於|位于|位於|于|於|来自|來自)({_PLACES})")
# Exchange listings say where a company is listed, a fair guess at its home: '(NASDAQ: XYZ)', '（股份代號：1477.HK）'.
LISTING_COUNTRY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*[（(][^（）()]{0,20}?(?:\d{4,5}\.HK|HKEX|香港聯交所|港交所)"), "HK"),
    (re.compile(r"^\s*[（(][^（）()]{0,20}?(?:\d{6}\.S[HZ]|上交所|深交所|科创板|科創板)"), "CN"),
    (re.compile(r"^\s*[（(][^（）()]{0,20}?\d{4}\.TWO?\b"), "TW"),
)
ZH_BASED_RE = guarded(re.compile(rf"(?:总部位于|總部位於|位于|位於|来自|來自)?({_PLACES})(?:的)?(?:创新药企|新药公司|新藥公司|生技公司|"
                         rf"藥廠|药厂|药企|生物科技公司|"
                         rf"生物技术公司|医药公司|公司|企业|藥企)?(?:的)?$"))
# A Latin name in Chinese text: '美国眼科创新药企业Lumora', '总部位于美国旧金山的Ridgeline', '美商Orbis'.
ZH_LATIN_BASED_RE = re.compile(rf"({_PLACES})[^\W\d_A-Za-z与與和及同跟向将將把对對为為]{{0,12}}$")


def infer_country(text: str, start: int, end: int | None = None) -> str | None:
    """Country from the words around a mention: 'Shanghai-based X', '总部位于苏州的X', 'X, a Boston biotech,',
    'X, a company organized under the laws of the PRC', a listing code, or a place word opening the name."""
    before = text[max(0, start - 40):start]
    possessive = POSSESSIVE_PLACE_RE.search(before)
    if possessive:
        return POSSESSIVE_COUNTRY[possessive.group(1)]
    m = EN_BASED_RE.search(before) or ZH_BASED_RE.search(before)
    if m is None and end is not None and text[start:end].isascii():
        m = ZH_LATIN_BASED_RE.search(text[max(0, start - 20):start])
    if m is None and end is not None:
        after = text[end:end + 160]
        m = EN_AFTER_RE.search(after) or ZH_AFTER_RE.search(after) or EN_IN_PLACE_RE.match(after)
        if m is None:
            listed = next((country for pattern, country in LISTING_COUNTRY if pattern.search(after)), None)
            if listed:
                return listed
    if m is None and end is not None and text.startswith(PLACE_PREFIXES, start):  # (most names open with none)
        first = next((p for p in PLACE_COUNTRY if text.startswith(p, start) and p not in ("US", "U.S.")), None)
        return PLACE_COUNTRY[first] if first else None
    return PLACE_COUNTRY.get(m.group(1)) if m else None
