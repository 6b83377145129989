"""Who grants and who receives: votes for licensor (+1) or licensee (-1) from verbs and prepositions."""
from __future__ import annotations

import re
from collections import Counter

from pharmadeals.extractors.parties import CompanyHit

# Verbs whose subject grants rights (or is paid, or is acquired).
GRANTOR_VERBS = re.compile(
    r"\b(?:grant(?:s|ed|ing)?\b|out-licens\w*|(?:will |to )?receiv\w* (?:an? |the )?(?:upfront|up-front|initial|"
    r"\$|US\$|USD|RMB|payments?|cash|milestone|near-term)|(?:is|are|will be) eligible|stands? to receive|"
    r"(?:is|are|will be) entitled|acquired by|to be acquired|agreed to be acquired|licensed out|will retain|retains|"
    r"regain\w*|reacquir\w*|get\w* back|takes? back|giv(?:e|es|en|ing)\b(?=[^.;]{0,40}\b(?:rights?|licen[cs]e)\b))"
    r"|(?:授权给|許可給|许可给|授權給|授予|转让给|轉讓給|对外授权|對外授權|有偿许可|有償許可|"
    r"(?:获得|收取|取得|獲得)[^，。；]{0,12}?(?:首付款|預付款|预付款|付款|里程碑|美元|元|分成|提成|特许权|签约金|簽約金|"
    r"權利金|权利金)|"
    r"被[^，。；]{0,12}?收[购購]|有权获得|有權獲得|保留|收回|重新获得|重新獲得|取回)",
    re.IGNORECASE)
# Verbs whose subject receives rights (or pays, or acquires).
GRANTEE_VERBS = re.compile(
    r"\b(?:in-licens\w*|will pay|pays|paid|to pay|agreed to pay|will make|will invest|invests?|"
    r"(?:gain|obtain|secur|receiv|get|win|take|took|won)\w* (?:an? |the )?(?:exclusive|global|worldwide|ex-China|"
    r"development|commercial|rights|licen[cs]e(?! fees?\b| payments?\b)|option|an exclusive)|acquir(?:e|es|ed|ing)\b(?! by)|"
    r"exercis\w* (?:its|the|an) option|buys?\b|licens(?:es|ed|ing) in\b)"
    r"|(?:(?:获得|取得|獲得|获授|獲授|拿下|引进|引入|購入|购入|买断|買斷)[^，。；]{0,20}?(?:权|權|许可|授权|許可|授權|产品|資產|资产)|"
    r"支付|收[购購](?!价)|并购|併購|买下|買下|行使)",
    re.IGNORECASE)
# "从日本…", "收購澳洲生物科技公司…": a home country and a describing noun between a preposition and the name.
ZH_DESCRIBED = (r"(?:中国|中國|国内|國內|美国|美國|美商|英国|英國|德国|德國|法国|法國|日本|韩国|韓國|瑞士|丹麦|丹麥|欧洲|歐洲|加拿大|以色列|澳洲|"
                r"澳大利亚|澳大利亞|比利时|比利時|荷兰|荷蘭|瑞典|意大利|西班牙)?\s*(?:[^，。；、\s]{0,6}?(?:公司|药企|藥企|药厂|藥廠|"
                r"企业|企業))?\s*")
# A company right after these is an object, not the subject of the next verb.
OBJECT_BEFORE = re.compile(
    r"(?:\b(?:with|and|from|to|by|for|of|partner|partnering with|into)\s+(?:the\s+)?(?:[\w-]+(?:'s|’s|-based)\s+)?|"
    r"[与與和同跟向从從自给給由及對对]\s*"
    + ZH_DESCRIBED + r"|"
    r"授予\s*|授权\s*|授權\s*|(?:取得|获得|獲得|引进|引進|买下|買下)\s*|acquire\s+|acquisition of\s+)$", re.IGNORECASE)
# "from Czech company X", "from Boston biotech X": a home word and a describing noun between 'from' and the name.
EN_DESCRIBED = (r"(?:[\w-]+\s+(?:company|biotech|drugmaker|drug developer|firm|startup|start-up|biopharma|"
                r"pharmaceutical company|biotechnology company)\s+)?")
FROM_LICENSOR = re.compile(
    r"(?:licen[cs]\w*|rights?|in-licens\w*|obtained|acquired|option|grab\w*|buy\w*|bought|snap\w*|nab\w*|"
    r"takes?|took|bets?)\b[^.;:]{0,80}\bfrom\s+(?:the\s+)?" + EN_DESCRIBED + "$|"
    r"(?:从|從|自)" + ZH_DESCRIBED + "$", re.IGNORECASE)
TO_LICENSEE = re.compile(
    r"(?:grant\w*|licens\w*|out-licens\w*|transferr?\w*|sold|sell\w*|rights)\b[^.;]{0,80}\bto\s+(?:the\s+)?$|"
    r"(?:授权给|许可给|授權給|許可給|授予|转让给|轉讓給|(?<!获得)(?<!獲得)(?<!取得)(?<!对外)(?<!對外)授权|"
    r"(?<!获得)(?<!獲得)(?<!取得)(?<!对外)(?<!對外)授權)\s*$|(?:向)\s*$", re.IGNORECASE)
# "will receive a license fee of $100 million from Takeda": money comes from the party that pays, the licensee.
PAID_FROM = re.compile(r"(?:\bfees?|\bpayments?|\bmillion|\bbillion|\bupfront|\$[\d.,]+[mbk]?n?)\s+from\s+(?:the\s+)?$",
                       re.IGNORECASE)
PAY_TO = re.compile(r"向\s*$")
# A terminated deal hands the rights back to the original licensor.
RETURNED_TO = re.compile(r"(?:\bhand\w* back|\breturn\w*|\bgiv\w* back|\brevert\w*)[^.;]{0,60}\bto\s+$|"
                         r"(?:交还给|交還給|归还给|歸還給|退还给|退還給|返还给|返還給)\s*$", re.IGNORECASE)
ACQUIRED_TARGET = re.compile(r"(?:\bacquir(?:e|es|ed|ing)|\bacquisition of|\bbuy(?:s|ing)?|\btakeover of|"
                             r"收购|收購|并购|併購|买下|全资收购)\s*(?:all of\s+|全部\s*)?(?:" + ZH_DESCRIBED + ")?$",
                             re.IGNORECASE)
# "完成对X（…）的全部股权收购", "對X的收購": the company between 对 and 收购 is the one bought.
OF_TARGET_BEFORE = re.compile(r"(?:对|對)[^，。；]{0,20}?[（(]?\s*$")
OF_TARGET_AFTER = re.compile(r"^\s*[）)]?\s*(?:的)?[^，。；]{0,8}?(?:收购|收購|并购|併購)")
# "3SBio's PD-1/VEGF bispecific", "Ensem Therapeutics' CDK2 inhibitor": the owner of the asset grants rights.
POSSESSIVE_ASSET = re.compile(
    r"^(?:'s|’s|'|’)\s+(?:[\w/().-]+\s){0,5}?(?:drugs?|candidates?|assets?|antibod\w*|ADCs?|inhibitors?|"
    r"bispecifics?|programs?|programmes?|molecules?|therap\w*|agonists?|compounds?|pills?|medicines?|"
    r"[A-Z]{1,6}-?[A-Z]?\d{2,})\b(?!\s+(?:deal|pact|agreement|licen[cs]e|collaboration|tie-up)\b)", re.IGNORECASE)
ZH_OWNER = re.compile(r"^(?:(?:旗下|自主研发的|自主研發的|自研的|在研的|在研|的)[^，。；]{0,8}?)?[A-Z]{1,6}-?[A-Z]?\d{2,}")
# Filings define the parties: 'GSK ("Licensee")', '恒瑞医药（以下简称"许可方"）'.
DEFINED_ROLE = re.compile(r"^[^。；;]{0,40}?[\"“「『](?:the )?(Licensor|Licensee|許可方|许可方|授权方|授權方|被许可方|被許可方|"
                          r"被授权方|被授權方|許可人|被許可人)[\"”」』]", re.IGNORECASE)
LICENSEE_TERMS = ("licensee", "被许可方", "被許可方", "被授权方", "被授權方", "被許可人")
DEFINED_WEIGHT = 5
ADJACENT = re.compile(r"\s*")
RESTATED = re.compile(r"\s*[（(]\s*|\s*[）)]\s*[（(]\s*")
WITH_BEFORE = re.compile(r"\bwith\s+$", re.IGNORECASE)


def _subject_before(verb_start: int, sentence: str, hits: list[CompanyHit]) -> CompanyHit | None:
    """The nearest company left of the verb that is not the object of a preposition."""
    left = [h for h in hits if h.end <= verb_start]
    for index in range(len(left) - 1, -1, -1):
        hit = left[index]
        if index and left[index - 1].key == hit.key and RESTATED.fullmatch(sentence[left[index - 1].end:hit.start]):
            continue  # "石藥集團 (CSPC Pharmaceuticals)": the bracketed name is the one before it, read there
        # "with BioNTech receiving $1.5 billion": the company right before an -ing verb is its subject
        absolute = bool(WITH_BEFORE.search(sentence[max(0, hit.start - 6):hit.start])
                        and ADJACENT.fullmatch(sentence[hit.end:verb_start])
                        and sentence[verb_start:verb_start + 12].split(" ")[0].endswith("ing"))
        if absolute or not OBJECT_BEFORE.search(sentence[max(0, hit.start - 25):hit.start]):
            return hit
    return None


def _verb_votes(sentence: str, hits: list[CompanyHit], votes: Counter[str]) -> None:
    for pattern, sign in ((GRANTOR_VERBS, 1), (GRANTEE_VERBS, -1)):
        for m in pattern.finditer(sentence):
            subject = _subject_before(m.start(), sentence, hits)
            if subject is not None:
                votes[subject.key] += sign


def _position_votes(sentence: str, hits: list[CompanyHit], votes: Counter[str]) -> None:
    for hit in hits:
        before = sentence[max(0, hit.start - 120):hit.start]
        after = sentence[hit.end:hit.end + 40]
        owner = bool(POSSESSIVE_ASSET.search(after))  # "rights to Ensem Therapeutics' CDK2 inhibitor"
        target = bool(OF_TARGET_BEFORE.search(before) and OF_TARGET_AFTER.match(after))
        if PAID_FROM.search(before):
            votes[hit.key] -= 2
        elif FROM_LICENSOR.search(before) or ACQUIRED_TARGET.search(before) or RETURNED_TO.search(before) or target:
            votes[hit.key] += 2
        elif TO_LICENSEE.search(before) and not PAY_TO.search(before) and not owner:
            votes[hit.key] -= 2
        elif PAY_TO.search(before) and "支付" in after[:30]:
            votes[hit.key] += 2
        if owner or ZH_OWNER.search(after):
            votes[hit.key] += 1
        defined = DEFINED_ROLE.match(sentence[hit.end:hit.end + 60])
        if defined:
            licensee = defined.group(1).lower() in LICENSEE_TERMS
            votes[hit.key] += -DEFINED_WEIGHT if licensee else DEFINED_WEIGHT


def role_votes(sentence: str, hits: list[CompanyHit]) -> Counter[str]:
    """Per company key: positive means it grants rights, negative means it receives them."""
    votes: Counter[str] = Counter()
    if not hits:
        return votes
    _verb_votes(sentence, hits, votes)
    _position_votes(sentence, hits, votes)
    return votes


def assign_roles(a: CompanyHit, b: CompanyHit, votes: Counter[str]) -> tuple[CompanyHit, CompanyHit, bool]:
    """(licensor, licensee, decided_by_text); ties fall back to a Chinese licensor, then to text order."""
    score = votes.get(a.key, 0) - votes.get(b.key, 0)
    if score > 0:
        return a, b, True
    if score < 0:
        return b, a, True
    if a.chinese and not b.chinese:
        return a, b, False
    if b.chinese and not a.chinese:
        return b, a, False
    return a, b, False
