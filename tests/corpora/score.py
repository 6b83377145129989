"""Score `pharmadeals extract --format json` against a corpus's gold labels, the way the independent evaluation does.

Usage:
  python tests/corpora/score.py CORPUS_DIR...                 run the CLI over each corpus and print its table
  python tests/corpora/score.py CORPUS_DIR --predictions F    score a saved `extract --format json` output
  python tests/corpora/score.py --manifest [--role tuned]     every corpus the manifest lists (of that role)
Add --json for machine-readable figures, --misses to list what went wrong article by article.

Stdlib only and deliberately independent of the extractor: it has its own way of deciding that two names are the
same company (casefold, width, a short list of legal forms, containment), so a bug in the extractor's name
normaliser cannot hide behind the same bug here. Deals match on their two parties in either order; roles,
deal type and amounts are then scored on the matched pairs. An amount is right when its currency is the
gold one and its value is within 1%.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ROLES = ("upfront", "milestones", "total", "equity")
KINDS = ("main", "side", "roundup")
TOLERANCE = 0.01
# Legal forms and generic words dropped before names are compared (the scorer's own list, on purpose).
LEGAL = re.compile(
    r"\b(?:co|company|inc|incorporated|corp|corporation|ltd|limited|llc|plc|ag|sa|se|nv|gmbh|kk|bv|"
    r"holdings?|group|the)\b\.?|"
    r"(?:股份有限公司|有限责任公司|有限責任公司|有限公司|集团|集團|控股|公司)", re.IGNORECASE)
PUNCT = re.compile(r"[\s\-–—_.,;:'\"“”‘’()（）「」『』《》·&/]+")


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return PUNCT.sub("", LEGAL.sub(" ", text))


def _names(party: dict[str, Any] | None) -> set[str]:
    if not party:
        return set()
    raw = [party.get("name") or "", party.get("mention") or "", *(party.get("other_names") or [])]
    # a labeller's "Name (Other name)" offers both parts
    parts = [p for r in raw for p in re.split(r"[()（）;；]", r)]
    return {k for k in (_key(p) for p in [*raw, *parts]) if len(k) >= 2}


def _same_party(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    for g in _names(gold):
        for p in _names(pred):
            if g == p:
                return True
            short, long_ = sorted((g, p), key=len)
            latin = short.isascii()
            if len(short) >= (4 if latin else 2) and short in long_:
                return True
    return False


def _orientation(gold: dict[str, Any], pred: dict[str, Any]) -> int | None:
    """1 when the parties match in the same roles, -1 when swapped, None when they are not the same pair."""
    if _same_party(gold["licensor"], pred.get("licensor")) and _same_party(gold["licensee"], pred.get("licensee")):
        return 1
    if _same_party(gold["licensor"], pred.get("licensee")) and _same_party(gold["licensee"], pred.get("licensor")):
        return -1
    return None


def _amount_ok(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if (pred.get("currency") or "").upper() != gold["currency"]:
        return False
    value = float(pred.get("value") or 0)
    return abs(value - gold["value"]) <= TOLERANCE * gold["value"]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hits += ok
        self.total += 1

    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def text(self) -> str:
        return f"{self.hits}/{self.total}"


@dataclass
class Score:
    articles: int = 0
    detection: Counts = field(default_factory=Counts)
    amounts: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    roles: Ratio = field(default_factory=Ratio)
    deal_type: Ratio = field(default_factory=Ratio)
    negatives: Ratio = field(default_factory=Ratio)
    found: dict[str, Ratio] = field(default_factory=lambda: {k: Ratio() for k in KINDS})
    main_milestones: Ratio = field(default_factory=Ratio)
    main_total: Ratio = field(default_factory=Ratio)
    main_type: Ratio = field(default_factory=Ratio)
    misses: list[str] = field(default_factory=list)

    def amounts_all(self) -> Counts:
        return Counts(*(sum(getattr(c, a) for c in self.amounts.values()) for a in ("tp", "fp", "fn")))


def _score_amounts(score: Score, gold: dict[str, Any] | None, pred: dict[str, Any] | None, where: str) -> None:
    for role in ROLES:
        g, p = (gold or {}).get(role), (pred or {}).get(role)
        counts = score.amounts[role]
        if g is None and p is None:
            continue
        if _amount_ok(g, p):
            counts.tp += 1
            continue
        counts.fn += g is not None
        counts.fp += p is not None
        score.misses.append(f"{where}: {role} gold {_show(g)} predicted {_show(p)}")


def _show(amount: dict[str, Any] | None) -> str:
    return "-" if amount is None else f"{amount.get('value'):,.0f} {amount.get('currency')}"


def _pair(deal: dict[str, Any]) -> str:
    return f"{(deal.get('licensor') or {}).get('mention')} -> {(deal.get('licensee') or {}).get('mention')}"


def score_article(score: Score, gold_row: dict[str, Any], predicted: list[dict[str, Any]]) -> None:
    """Add one article's gold deals and predicted deals to the score."""
    score.articles += 1
    gold_deals = gold_row["deals"]
    where = gold_row["file"]
    if not gold_deals:
        score.negatives.add(not predicted)
    unmatched = list(range(len(predicted)))
    for gold in gold_deals:
        kind = gold.get("kind", "main")
        match = next(((i, o) for i in unmatched if (o := _orientation(gold, predicted[i])) is not None), None)
        score.found.setdefault(kind, Ratio()).add(match is not None)
        if match is None:
            score.detection.fn += 1
            score.misses.append(f"{where}: missed {kind} deal {_pair(gold)}")
            _score_amounts(score, gold, None, where)
            continue
        index, orientation = match
        unmatched.remove(index)
        pred = predicted[index]
        score.detection.tp += 1
        score.roles.add(orientation == 1)
        if orientation != 1:
            score.misses.append(f"{where}: roles swapped for {_pair(gold)}")
        score.deal_type.add(pred.get("deal_type") == gold["deal_type"])
        if pred.get("deal_type") != gold["deal_type"]:
            score.misses.append(f"{where}: deal type {pred.get('deal_type')} for {gold['deal_type']} ({_pair(gold)})")
        if kind == "main":
            score.main_type.add(pred.get("deal_type") == gold["deal_type"])
            for ratio, role in ((score.main_milestones, "milestones"), (score.main_total, "total")):
                if gold.get(role) is not None or pred.get(role) is not None:
                    ratio.add(_amount_ok(gold.get(role), pred.get(role)))
        _score_amounts(score, gold, pred, where)
    for index in unmatched:
        score.detection.fp += 1
        score.misses.append(f"{where}: spurious deal {_pair(predicted[index])}")
        _score_amounts(score, None, predicted[index], where)


def load_gold(corpus: Path) -> list[dict[str, Any]]:
    rows = []
    for gold in sorted(corpus.glob("gold*.jsonl")):
        rows += [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def run_extract(corpus: Path, rows: list[dict[str, Any]], binary: str) -> dict[str, list[dict[str, Any]]]:
    """`pharmadeals extract --format json` over the corpus's labelled files, in a throwaway config."""
    files = [str(corpus / row["file"]) for row in rows]
    result = subprocess.run([binary, "extract", "--format", "json", *files], capture_output=True, text=True,
                            env={**os.environ, "PHARMADEALS_CONFIG": str(HERE / "score-config.yaml")},
                            check=False)
    if result.returncode not in (0, 1):
        sys.exit(f"extract failed ({result.returncode}): {result.stderr.strip()[-400:]}")
    return read_predictions(corpus, json.loads(result.stdout))


def read_predictions(corpus: Path, output: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_file: dict[str, list[dict[str, Any]]] = {}
    for item in output:
        path = Path(item["file"]).resolve()
        relative = path.relative_to(corpus.resolve()) if path.is_relative_to(corpus.resolve()) else path
        by_file[relative.as_posix()] = item.get("deals") or []
    return by_file


def score_corpus(rows: list[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]]) -> dict[str, Score]:
    """One Score per language and one for all ('all')."""
    scores: dict[str, Score] = defaultdict(Score)
    for row in rows:
        predicted = predictions.get(row["file"], [])
        for language in (row["language"], "all"):
            score_article(scores[language], row, predicted)
    return dict(scores)


def figures(score: Score) -> dict[str, Any]:
    d = score.detection
    return {
        "articles": score.articles,
        "deal_f1": round(d.f1(), 3), "deal_precision": round(d.precision(), 3), "deal_recall": round(d.recall(), 3),
        "amount_f1": round(score.amounts_all().f1(), 3),
        **{f"{role}_f1": round(score.amounts[role].f1(), 3) for role in ROLES},
        "roles": round(score.roles.value(), 3), "deal_type": round(score.deal_type.value(), 3),
        "negatives": score.negatives.text(),
        **{f"found_{kind}": score.found[kind].text() for kind in KINDS if kind in score.found},
        "main_milestones": score.main_milestones.text(), "main_total": score.main_total.text(),
        "main_deal_type": score.main_type.text(),
    }


def table(name: str, scores: dict[str, Score]) -> str:
    languages = [lang for lang in ("en", "zh", "all") if lang in scores]
    rows = [("metric", *languages)]
    for key in figures(scores["all"]):
        rows.append((key, *(str(figures(scores[lang]).get(key, "")) for lang in languages)))
    width = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"## {name}", *("  ".join(c.ljust(w) for c, w in zip(r, width)) for r in rows)]
    return "\n".join(lines)


def manifest_corpora(role: str | None) -> list[Path]:
    manifest = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))
    return [HERE / name for name, entry in manifest["corpus"].items() if role in (None, entry["role"])]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path)
    parser.add_argument("--manifest", action="store_true", help="score the corpora the manifest lists")
    parser.add_argument("--role", choices=("tuned", "sealed"), help="with --manifest: only corpora of this role")
    parser.add_argument("--predictions", type=Path, help="a saved extract --format json output (one corpus)")
    parser.add_argument("--binary", default=str(ROOT / ".venv" / "bin" / "pharmadeals"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args(argv)
    corpora = [*args.corpora, *(manifest_corpora(args.role) if args.manifest else [])]
    if not corpora:
        parser.error("name a corpus folder or pass --manifest")
    results = {}
    for corpus in corpora:
        rows = load_gold(corpus)
        if args.predictions:
            predictions = read_predictions(corpus, json.loads(args.predictions.read_text(encoding="utf-8")))
        else:
            predictions = run_extract(corpus, rows, args.binary)
        scores = score_corpus(rows, predictions)
        results[corpus.name] = {lang: figures(s) for lang, s in scores.items()}
        if not args.json:
            print(table(corpus.name, scores))
            if args.misses:
                print("\n".join(f"  {m}" for m in scores["all"].misses))
            print()
    if args.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
