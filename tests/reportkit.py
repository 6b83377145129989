"""Build a real fixture database from tests/fixtures/report_corpus through the real write path (reports, review).

Each article's deal is written down by hand as the figures its text states (the span as written plus its
value); `check_spans` proves every span occurs in the article text, so no figure is invented. The
mentions go through `Storage.store_article`, the same code an ingest uses.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from pharmadeals.models.records import Article, DealMention, Money, PartyMention
from pharmadeals.pipeline.counters import RunCounters
from pharmadeals.pipeline.normalize.store import Storage

CORPUS = Path(__file__).parent / "fixtures" / "report_corpus"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCES = re.compile(r"(?<=[.])\s+(?=[A-Z\"“])|(?<=[。！？])|\n+")

P = PartyMention
HENGRUI = ("Jiangsu Hengrui Pharmaceuticals", "CN")
HANSOH = ("Hansoh Pharmaceutical", "CN")
GSK = ("GSK", "GB")
MERCK = ("Merck & Co.", "US")


def party(company: tuple[str, str], mention: str) -> PartyMention:
    return P(name=company[0], mention=mention, country=company[1])


@dataclass(frozen=True)
class Spec:
    """One deal as the article states it: parties, terms and amounts as (span, value, currency)."""

    licensor: PartyMention
    licensee: PartyMention
    assets: tuple[str, ...]
    deal_type: str
    territory: str | None
    direction: str
    royalties: bool
    amounts: dict[str, tuple[str, str, str]]
    confidence: float


SPECS: dict[str, Spec] = {
    "hengrui-gsk-pr": Spec(party(HENGRUI, "Jiangsu Hengrui Pharmaceuticals Co., Ltd."), party(GSK, "GSK plc"),
                           ("HRS-9821",), "license", "ex-China", "out", True,
                           {"upfront": ("$500 million", "500000000", "USD"),
                            "milestones": ("$11.5 billion", "11500000000", "USD"),
                            "total": ("$12 billion", "12000000000", "USD")}, 0.9),
    "3sbio-pfizer-pr": Spec(P("3SBio", "3SBio Inc.", "CN"), P("Pfizer", "Pfizer Inc.", "US"), ("SSGJ-707",),
                            "license", "ex-China", "out", True,
                            {"upfront": ("$1.25 billion", "1250000000", "USD"),
                             "milestones": ("$4.8 billion", "4800000000", "USD"),
                             "total": ("$6.05 billion", "6050000000", "USD"),
                             "equity": ("$100 million", "100000000", "USD")}, 0.85),
    "hengrui-kailera-newco": Spec(party(HENGRUI, "Jiangsu Hengrui Pharmaceuticals"),
                                  P("Kailera Therapeutics", "Kailera Therapeutics", "US"), ("HRS9531", "HRS-7535"),
                                  "newco", "ex-China", "out", True,
                                  {"upfront": ("$110 million", "110000000", "USD"),
                                   "milestones": ("$5.75 billion", "5750000000", "USD")}, 0.7),
    "akeso-summit-zh": Spec(P("Akeso", "康方生物", "CN"), P("Summit Therapeutics", "Summit Therapeutics", "US"),
                            ("AK112",), "license", "regional", "out", True,
                            {"upfront": ("5亿美元", "500000000", "USD"), "total": ("50亿美元", "5000000000", "USD")},
                            0.8),
    "hansoh-gsk-pr": Spec(party(HANSOH, "Hansoh Pharmaceutical Group"), party(GSK, "GSK"), ("HS-20093",),
                          "license", "ex-China", "out", True,
                          {"upfront": ("$185 million", "185000000", "USD"),
                           "milestones": ("$1.525 billion", "1525000000", "USD"),
                           "total": ("$1.71 billion", "1710000000", "USD")}, 0.9),
    "hansoh-gsk-news": Spec(party(HANSOH, "Hansoh Pharmaceutical"), party(GSK, "GSK"), ("HS-20093",),
                            "license", None, "out", False,
                            {"upfront": ("$185 million", "185000000", "USD"),
                             "milestones": ("$1.5 billion", "1500000000", "USD")}, 0.6),
    "hansoh-merck-zh": Spec(party(HANSOH, "翰森制药"), party(MERCK, "默沙东"), ("HS-10535",), "license", "global",
                            "out", True, {"upfront": ("1.12亿美元", "112000000", "USD"),
                                          "milestones": ("19亿美元", "1900000000", "USD")}, 0.75),
    "hengrui-merck-zh": Spec(party(HENGRUI, "恒瑞医药"), party(MERCK, "默沙东"), ("HRS-5346",), "license",
                             "ex-China", "out", True, {"upfront": ("2亿美元", "200000000", "USD"),
                                                       "milestones": ("17.7亿美元", "1770000000", "USD")}, 0.55),
    "henlius-organon-biosimilar": Spec(P("Shanghai Henlius Biotech", "Shanghai Henlius Biotech", "CN"),
                                       P("Organon", "Organon", "US"), ("HLX11", "HLX14"), "license", "ex-China",
                                       "out", False, {"upfront": ("$73 million", "73000000", "USD"),
                                                      "total": ("$541 million", "541000000", "USD")}, 0.65),
    "hutchmed-takeda": Spec(P("HUTCHMED", "HUTCHMED (China) Limited", "HK"),
                            P("Takeda Pharmaceutical", "Takeda Pharmaceutical", "JP"), ("fruquintinib",), "license",
                            "ex-China", "out", True, {"upfront": ("$400 million", "400000000", "USD"),
                                                      "milestones": ("$730 million", "730000000", "USD"),
                                                      "total": ("$1.13 billion", "1130000000", "USD")}, 0.9),
    "karuna-zailab-in": Spec(P("Karuna Therapeutics", "Karuna Therapeutics", "US"), P("Zai Lab", "Zai Lab", "CN"),
                             ("KarXT",), "license", "China", "in", True,
                             {"upfront": ("$35 million", "35000000", "USD"),
                              "milestones": ("$152 million", "152000000", "USD")}, 0.8),
}


def load_article(stem: str) -> Article:
    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    meta = json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))
    return Article(url=meta["url"], source="report_corpus", title=meta["title"], text=text,
                   language="zh" if _CJK.search(text) else "en", published=date.fromisoformat(meta["published"]),
                   content_hash=hashlib.sha256(text.encode()).hexdigest(),
                   kind="press_release" if stem.endswith("-pr") else "news")


def stems() -> list[str]:
    """Every article, oldest first (so a press release precedes the news that repeats it)."""
    found = [p.stem for p in CORPUS.glob("*.txt")]
    return sorted(found, key=lambda s: (load_article(s).published, s))


def evidence(text: str, spans: list[str]) -> tuple[str, ...]:
    """The deal sentence (first body sentence) plus every sentence that states one of the figures."""
    sentences = [s.strip() for s in _SENTENCES.split(text) if s and s.strip()]
    body = sentences[1:]  # the first line is the title
    picked = [body[0]] + [s for s in body[1:] if any(span in s for span in spans)]
    return tuple(dict.fromkeys(picked))


def mention_for(stem: str, article: Article) -> DealMention:
    spec = SPECS[stem]
    money = {kind: Money(Decimal(value), currency, text=span) for kind, (span, value, currency) in spec.amounts.items()}
    if "total" not in money and "upfront" in money and "milestones" in money:  # the extract contract's rule
        up, ms = money["upfront"], money["milestones"]
        money["total"] = Money(up.value + ms.value, up.currency)
    return DealMention(licensor=spec.licensor, licensee=spec.licensee, deal_type=spec.deal_type,  # type: ignore[arg-type]
                       territory=spec.territory, direction=spec.direction, royalties=spec.royalties,  # type: ignore[arg-type]
                       assets=spec.assets, announced=article.published, confidence=spec.confidence,
                       evidence=evidence(article.text, [s for s, _, _ in spec.amounts.values()]), **money)


def check_spans() -> list[str]:
    """Spans that do not occur in their article (must be empty)."""
    return [f"{stem}: {span}" for stem, spec in SPECS.items() for span, _, _ in spec.amounts.values()
            if span not in load_article(stem).text]


def build(storage: Storage, only: list[str] | None = None, errors: int = 1) -> int:
    """Store the corpus as one run (plus `errors` failed items) and return the run id."""
    run_id = storage.begin_run("ingest")
    counters = RunCounters()
    for stem in only or stems():
        article = load_article(stem)
        c = counters.of(article.source)
        c.discovered += 1
        c.fetched += 1
        outcome = storage.store_article(run_id, "files", article, [mention_for(stem, article)] if stem in SPECS else [])
        c.count_stored(outcome.status, len(outcome.deal_ids))
    for i in range(errors):
        counters.of("report_corpus").errors["decode"] += 1
        storage.log_item(run_id, "report_corpus", f"https://example.test/report/broken-{i}.html", "error",
                         "decode: body is not text (binary PDF without a text layer)")
    storage.finish_run(run_id, "partial" if errors else "ok", 1 if errors else 0, counters.as_dict())
    return run_id
