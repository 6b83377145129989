"""The deal model (license, option, co-development, NewCo, research collaboration, acquisition) from cue words."""
from __future__ import annotations

import re

from pharmadeals.extractors.cue_tables import deal_type_cues
from pharmadeals.models.records import DealType

# Tried in order; the first family whose pattern appears in the deal's sentences wins.
DEAL_TYPE_RULES: tuple[tuple[DealType, re.Pattern[str]], ...] = (
    ("acquisition", re.compile(
        r"\b(?:(?<!option )to acquire|will acquire|has acquired|agreed to acquire|acquisition of (?!(?:the )?(?:global |"
        r"exclusive |worldwide )?rights)|acquires? (?!(?:the )?(?:global|exclusive|worldwide|ex-China|rights|an? )"
        r")(?-i:[A-Z])|takeover|buyout|buys? out|bought out|buying out|(?:buy|buys|buying|bought) (?-i:[A-Z])[\w-]* outright|(?:to|will|agreed to|agrees to|plans to) buy (?![^.;]{0,50}\b(?:rights|shares|stake)\b)(?-i:[A-Z][a-z])|all outstanding shares|100% (?:equity|stake))|全资收购|全資收購|(?:全部|100%)\s*股[权權](?:的)?收[购購]|收购[^，。；权權]{0,30}"
        r"(?:100%|全部)?(?:股权|股權|公司)|收購[^，。；權]{0,30}(?:股權|公司)|[以斥][^，。；]{0,12}收[购購]|并购|併購",
        re.IGNORECASE)),
    ("newco", re.compile(r"\bnew ?co\b|\bnewly (?:formed|created|established|launched) (?:[\w.-]+ ){0,2}compan(?:y|ies)\b|"
                         r"\bnew company\b|\bspins?\b[^.]{0,60}\binto\b[^.]{0,20}\b(?:startup|company|newco)\b|"
                         r"\ba new (?:[\w-]+ ){0,3}company\b|\blaunch(?:es|ed)? with\b|\bequity in (?!the )[A-Z]|"
                         r"\bjoint venture\b|(?:成立|设立|設立|组建|組建|注入|合资|合資)[^，。；]{0,6}新公司|新公司(?:的)?(?:股权|股權|股份)|新公司模式|(?:专门|專門|专为|專為)[^，。；]{0,12}成立|"
                         r"新设公司|新設公司|新设立|新設立|新成立的|合资公司|合資公司|NewCo", re.IGNORECASE)),
    ("co_development", re.compile(r"\bco-?develop\w*|\bjointly develop\w*|\bco-?commerciali[sz]\w*|"
                                  r"共同开发|共同開發|联合开发|聯合開發|共同商业化|共同商業化|联合商业化",
                                  re.IGNORECASE)),
    ("option", re.compile(r"\b(?:exclusive )?option(?:-to-| to )(?:exclusively )?(?:license|licence|in-license|"
                          r"acquire)|\boption agreement\b|\boption and licen[cs]e agreement\b|"
                          r"\boption\b[^.;]{0,40}?\bto (?:obtain|receive|take|secure) (?:an? |the )?(?:exclusive )?"
                          r"(?:licen[cs]e|rights)\b|选择权协议|選擇權協議|独家选择权|獨家選擇權|"
                          r"许可选择权|许可期权|選擇權", re.IGNORECASE)),
    ("research_collaboration", re.compile(
        r"\bresearch (?:collaboration|partnership|agreement|alliance)|\bdiscovery (?:collaboration|partnership|"
        r"deal|pact|platform)|\bdrug discovery\b|\bcollaboration\b[^.]{0,30}\bto discover\b|\bdiscover and develop\b|"
        r"研究合作|研发合作|研發合作|药物发现|藥物發現|发现合作|發現合作|科研合作|合作研究|"
        r"平台合作|平台開發|平台开发", re.IGNORECASE)),
)
# An outright exclusive licence in the same text outweighs a side option on further programmes.
# "a license and option agreement", "独占许可及合作协议…选择权", "許可協議…選擇權協議": a licence granted now with options
# on more is a licence (an "option and license agreement", "独家期权及许可协议" stays an option).
PLAIN_LICENSE = re.compile(r"\bexclusive (?:global |worldwide )?licen[cs]e\b|\blicen[cs]e[- ]and[- ]option\b|独家许可|獨家許可|"
                           r"独占许可|獨佔許可|许可协议|許可協議|许可及|許可及|授予[^，。；]{0,20}独家许可|有偿许可给|有償許可給",
                           re.IGNORECASE)
# "an exclusive option ... to obtain an exclusive license": the licence is what the option buys, not a licence now.
OPTION_BEFORE = re.compile(r"\boption\b[^.;]{0,60}$|\b(?:may|might|could|would) (?:later |then |also )?(?:acquire|obtain|"
                           r"receive|take|secure|gain) (?:an? |the )?$|有权选择获得$|有權選擇獲得$|可选择获得$|可選擇獲得$|(?:选择权|選擇權|期权|期權)[^。；]{0,80}$|"
                           r"取得[^，。；]{0,6}$", re.IGNORECASE)
# "全球独家许可期权", "独家许可SIM0500的选择权", "an option to an exclusive license": the licence the option would buy.
OPTION_AFTER = re.compile(r"^[^，,。；;]{0,16}?(?:选择权|選擇權|期权|期權|\boption\b)", re.IGNORECASE)

# A research agreement or discovery platform names the deal; "co-develop" there is the joint discovery work
# ("联合开发新一代多特异性抗体"), unless what is developed is a named asset ("共同開發新一代IO基石療法IBI363").
RESEARCH_FIRST = re.compile(r"\bresearch collaboration (?:and licen[cs]e )?agreement\b|\bdrug discovery platform\b|"
                            r"\bdiscovery collaboration\b|研究合作协议|研究合作協議|药物发现平台|藥物發現平台|"
                            r"(?:共同|联合|聯合)(?:开发|開發)(?:新一代|新型)(?![^，。；]{0,20}?[A-Z]{2,6}-?\d{2,})", re.IGNORECASE)


def classify_deal(text: str) -> DealType:
    """The first matching deal family, else 'license'."""
    extra = deal_type_cues()
    for deal_type, pattern in DEAL_TYPE_RULES:
        if pattern.search(text) or (deal_type in extra and extra[deal_type].search(text)):
            if deal_type == "option" and any(not OPTION_BEFORE.search(text[max(0, m.start() - 80):m.start()])
                                             and not OPTION_AFTER.match(text[m.end():])
                                             for m in PLAIN_LICENSE.finditer(text)):
                continue
            if deal_type == "co_development" and RESEARCH_FIRST.search(text):
                return "research_collaboration"
            return deal_type
    return "license"
