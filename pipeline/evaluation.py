"""Score `extract` JSON against gold labels: deal detection, amounts by role, roles, deal type, territory, negatives."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pharmadeals.extractors.registry import get_registry
from pharmadeals.models.errors import InputError
from pharmadeals.models.records import AMOUNT_ROLES
from pharmadeals.pipeline.normalize.companies import normalise_name

AMOUNT_TOLERANCE = 0.01
SPLITS = ("dev", "test", "holdout", "all")


@dataclass
class Counts:
    """True positives, false positives and false negatives of one metric."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    """Hits out of a total (accuracy-style metrics)."""

    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.hits += int(ok)
        self.total += 1


@dataclass
class Report:
    """Every metric of one scoring run, plus per-article errors for tuning."""

    articles: int = 0
    detection: Counts = field(default_factory=Counts)
    amounts: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in AMOUNT_ROLES})
    roles: Ratio = field(default_factory=Ratio)
    deal_type: Ratio = field(default_factory=Ratio)
    territory: Ratio = field(default_factory=Ratio)
    direction: Ratio = field(default_factory=Ratio)
    announced: Ratio = field(default_factory=Ratio)
    negatives: Ratio = field(default_factory=Ratio)
    errors: list[str] = field(default_factory=list)

    @property
    def amounts_all(self) -> Counts:
        total = Counts()
        for counts in self.amounts.values():
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
        return total


def _name(party: dict[str, Any] | None) -> str:
    return (party or {}).get("name", "").strip().casefold() if party else ""


def pair_key(deal: dict[str, Any]) -> frozenset[str]:
    """The two canonical names, casefolded, in either role order (for grouping, not matching)."""
    return frozenset((_name(deal.get("licensor")), _name(deal.get("licensee"))))


def party_keys(party: dict[str, Any] | None) -> set[str]:
    """Every form a party may be recognised by: its name and mention, folded for case, width,
    punctuation and legal suffixes, and the registry's canonical name for each."""
    if not party:
        return set()
    registry = get_registry()
    keys = set()
    for text in (party.get("name"), party.get("mention")):
        if not text:
            continue
        keys.add(normalise_name(text))
        company = registry.lookup(text)
        if company is not None:
            keys.add(normalise_name(company.name))
    keys.discard("")
    return keys


def _key_match(a: str, b: str) -> bool:
    """Equal keys, or a short form of the same name: a Latin prefix ("argo" in "argobiopharmaceutical")
    or, for Chinese, the short name inside the registered one ("启辰生物" in "苏州启辰生物科技")."""
    short, long = sorted((a, b), key=len)
    if short == long:
        return True
    if short.isascii():
        return len(short) >= 4 and long.startswith(short)
    return len(short) >= 4 and short in long


def same_party(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    return any(_key_match(g, p) for g in party_keys(gold) for p in party_keys(pred))


def same_pair(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Detection matches when both parties are recognised, in either role order."""
    gl, ge, pl, pe = gold.get("licensor"), gold.get("licensee"), pred.get("licensor"), pred.get("licensee")
    return (same_party(gl, pl) and same_party(ge, pe)) or (same_party(gl, pe) and same_party(ge, pl))


def same_amount(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    if not gold or not pred or gold.get("currency") != pred.get("currency"):
        return False
    g, p = float(gold["value"]), float(pred["value"])
    return abs(g - p) <= AMOUNT_TOLERANCE * abs(g)


def _agreement(gold: dict[str, Any], pred: dict[str, Any]) -> int:
    """Shared assets and equal amounts: which of one pair's deals a prediction reports ('another Hansoh ADC')."""
    assets = {a.casefold() for a in gold.get("assets") or []} & {a.casefold() for a in pred.get("assets") or []}
    return len(assets) + sum(same_amount(gold.get(role), pred.get(role)) for role in AMOUNT_ROLES)


def match_deals(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int | None, int | None]]:
    """One-to-one (gold index, pred index) pairs; unmatched ones pair with None. Among predictions of the same
    pair, the one sharing most assets and amounts wins (the earlier on a tie)."""
    free = list(range(len(pred)))
    pairs: list[tuple[int | None, int | None]] = []
    for gi, g in enumerate(gold):
        same = [pi for pi in free if same_pair(g, pred[pi])]
        hit = max(same, key=lambda pi: (_agreement(g, pred[pi]), -pi)) if same else None
        if hit is not None:
            free.remove(hit)
        pairs.append((gi, hit))
    return pairs + [(None, pi) for pi in free]


def _score_amounts(report: Report, g: dict[str, Any] | None, p: dict[str, Any] | None) -> None:
    for role in AMOUNT_ROLES:
        gold_amount, pred_amount = (g or {}).get(role), (p or {}).get(role)
        counts = report.amounts[role]
        if gold_amount and pred_amount and same_amount(gold_amount, pred_amount):
            counts.tp += 1
            continue
        counts.fp += int(bool(pred_amount))
        counts.fn += int(bool(gold_amount))


def _score_matched(report: Report, g: dict[str, Any], p: dict[str, Any]) -> None:
    report.roles.add(same_party(g.get("licensor"), p.get("licensor"))
                     and same_party(g.get("licensee"), p.get("licensee")))
    report.deal_type.add(g.get("deal_type") == p.get("deal_type"))
    report.territory.add(g.get("territory") == p.get("territory"))
    report.direction.add(g.get("direction") == p.get("direction"))
    if g.get("announced"):
        report.announced.add(g.get("announced") == p.get("announced"))


def score_article(report: Report, file: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> None:
    """Add one article's gold and predicted deals to the report."""
    report.articles += 1
    if not gold:
        report.negatives.add(not pred)
    for gi, pi in match_deals(gold, pred):
        g = gold[gi] if gi is not None else None
        p = pred[pi] if pi is not None else None
        if g is not None and p is not None:
            report.detection.tp += 1
            _score_matched(report, g, p)
        elif g is not None:
            report.detection.fn += 1
            report.errors.append(f"{file}: missed {sorted(pair_key(g))}")
        elif p is not None:
            report.detection.fp += 1
            report.errors.append(f"{file}: spurious {sorted(pair_key(p))}")
        _score_amounts(report, g, p)


def score(gold: Iterable[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]]) -> Report:
    """Score gold rows ({"file", "deals"}) against predicted deals keyed by the same file name."""
    report = Report()
    for row in gold:
        score_article(report, row["file"], row.get("deals") or [], predictions.get(row["file"], []))
    return report


def load_gold(paths: Iterable[str | Path], split: str = "dev") -> list[dict[str, Any]]:
    """Gold rows of the chosen split, each with `path`: the article file resolved beside the gold file."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}", f"use one of {', '.join(SPLITS)}")
    rows: list[dict[str, Any]] = []
    for path in map(Path, paths):
        if not path.is_file():
            raise InputError(f"gold file {path} not found", "pass paths to gold_*.jsonl files")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})", "fix that line") from exc
            if split == "all" or row.get("split") == split:
                rows.append({**row, "path": str(path.parent / row["file"])})
    return rows


def report_rows(report: Report) -> list[tuple[str, str, str, str, int]]:
    """(metric, precision, recall, F1-or-accuracy, n) rows for a table."""
    def prf(name: str, c: Counts) -> tuple[str, str, str, str, int]:
        return (name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", c.tp + c.fn)

    def acc(name: str, r: Ratio) -> tuple[str, str, str, str, int]:
        return (name, "", "", f"{r.value:.3f}", r.total)

    rows = [prf("deal detection", report.detection), prf("amounts (all roles)", report.amounts_all)]
    rows += [prf(f"amount: {role}", report.amounts[role]) for role in AMOUNT_ROLES]
    rows += [acc("roles (licensor+licensee)", report.roles), acc("deal type", report.deal_type),
             acc("territory", report.territory), acc("direction", report.direction),
             acc("announced date", report.announced),
             acc("negatives with no deal", report.negatives)]
    return rows


def report_json(report: Report) -> dict[str, Any]:
    return {"articles": report.articles,
            "metrics": {name: {"precision": float(p) if p else None, "recall": float(r) if r else None,
                               "score": float(f), "n": n} for name, p, r, f, n in report_rows(report)},
            "errors": report.errors}
