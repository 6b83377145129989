"""How well reports merge into deals: compare a database built from a labelled corpus with its gold.

Each stored mention is mapped to the gold deal of its article with the same two companies; then
- distinct deals: rows of deal_summary vs distinct gold_ids,
- purity: share of mentions whose deal's majority gold_id is their own (1.0 = no deal mixes reports
  of different real deals),
- fragmentation: gold deals split over more than one stored deal,
- total value: SUM(total_usd) vs the sum of each gold deal's most reported total in USD.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from pharmadeals.models.records import Money
from pharmadeals.pipeline.evaluation import load_gold, match_deals
from pharmadeals.pipeline.normalize.fx import FxSettings, to_usd


@dataclass(frozen=True)
class MergeReport:
    deals: int
    gold_deals: int
    purity: float
    fragmented: int
    total_usd: float
    gold_total_usd: float
    unmatched_mentions: int

    def rows(self) -> list[tuple[str, str]]:
        gap = (self.total_usd - self.gold_total_usd) / self.gold_total_usd if self.gold_total_usd else 0.0
        count_gap = (self.deals - self.gold_deals) / self.gold_deals if self.gold_deals else 0.0
        return [("distinct deals (stored / gold)", f"{self.deals} / {self.gold_deals} ({count_gap:+.1%})"),
                ("cluster purity", f"{self.purity:.3f}"),
                ("gold deals split over several stored deals", str(self.fragmented)),
                ("mentions matching no gold deal", str(self.unmatched_mentions)),
                ("sum of total_usd (stored / gold)",
                 f"{self.total_usd / 1e9:.2f}bn / {self.gold_total_usd / 1e9:.2f}bn ({gap:+.1%})")]


def _url_of(row: dict[str, Any]) -> str:
    sidecar = Path(row["path"]).with_suffix(".json")
    if sidecar.is_file():
        url = json.loads(sidecar.read_text(encoding="utf-8")).get("url")
        if url:
            return url
    return Path(row["path"]).resolve().as_uri()


def _gold_totals(gold: list[dict[str, Any]]) -> dict[str, float]:
    """Each gold deal's most often reported total, in USD at its announcement month."""
    seen: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for row in gold:
        for deal in row["deals"]:
            total = deal.get("total")
            if total and not deal.get("event"):
                seen[deal["gold_id"]][(str(total["value"]), total["currency"], deal.get("announced") or "")] += 1
    totals = {}
    for gold_id, counter in seen.items():
        value, currency, announced = counter.most_common(1)[0][0]
        money = to_usd(Money(Decimal(value), currency), date.fromisoformat(announced) if announced else None,
                       FxSettings())
        totals[gold_id] = float(money.usd) if money.usd is not None else 0.0
    return totals


def evaluate_merge(engine: Engine, gold_paths: list[str], split: str = "all") -> MergeReport:
    gold = load_gold(gold_paths, split)
    by_url = {_url_of(row): row for row in gold}
    gold_ids = {d["gold_id"] for row in gold for d in row["deals"]}
    with engine.connect() as conn:
        mentions = conn.execute(text(
            "SELECT m.deal_id, a.url, m.payload FROM deal_mentions m JOIN articles a ON a.id = m.article_id "
            "JOIN deals d ON d.id = m.deal_id WHERE d.status <> 'rejected' ORDER BY a.url, m.ordinal")).all()
        deals = conn.execute(text("SELECT COUNT(*), COALESCE(SUM(total_usd), 0) FROM deal_summary")).one()
    by_article: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for deal_id, url, payload in mentions:
        by_article[url].append((deal_id, json.loads(payload)))
    labels: dict[int, list[str]] = defaultdict(list)
    unmatched = 0
    for url, reported in by_article.items():
        gold_deals = (by_url.get(url) or {}).get("deals", [])
        # one article's reports against its gold deals one to one, as extraction is scored
        hits = {pi: gold_deals[gi]["gold_id"] for gi, pi in match_deals(gold_deals, [p for _, p in reported])
                if gi is not None and pi is not None}
        for index, (deal_id, _) in enumerate(reported):
            unmatched += index not in hits
            labels[deal_id].append(hits.get(index) or f"unmatched:{deal_id}")
    majority = sum(Counter(ids).most_common(1)[0][1] for ids in labels.values())
    purity = majority / max(1, sum(len(ids) for ids in labels.values()))
    homes: dict[str, set[int]] = defaultdict(set)
    for deal_id, ids in labels.items():
        for gold_id in ids:
            if not gold_id.startswith("unmatched:"):
                homes[gold_id].add(deal_id)
    return MergeReport(deals=int(deals[0]), gold_deals=len(gold_ids), purity=purity,
                       fragmented=sum(1 for ds in homes.values() if len(ds) > 1), total_usd=float(deals[1]),
                       gold_total_usd=sum(_gold_totals(gold).values()), unmatched_mentions=unmatched)
