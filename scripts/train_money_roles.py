"""Train the money-role classifier (extractors/money_roles.py) from the tuned corpora; `make train` runs this.

Run: .venv/bin/python scripts/train_money_roles.py [--out DIR] [--compare]

Every money figure of 1M or more that the extractor finds in a tuned corpus article, in the extractor's own
sentences, is one example. Its label comes from the article's gold deals: the role whose gold value it equals
(within 1%), or "none" when it equals no deal term and cannot be one part of a stated milestone sum or
total (then it is left out: a "development milestones of $X" part of a labelled sum has no label of its own).

--compare reports, on the sealed corpora's figures, how often the cue rules alone and the classifier name the
right role. That is a measurement only: nothing here reads the sealed corpora to choose a setting.
Training is deterministic (fixed seeds, one thread), so the shipped model is what this script makes.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpora"
EPOCHS = 15
BATCH = 16
DROPOUT = 0.2
TOLERANCE = 0.01
GOLD_ROLES = ("upfront", "milestones", "total", "equity")
MODEL_DIR = ROOT / "build" / "money_role_model"


def corpora(role: str) -> list[Path]:
    manifest = tomllib.loads((CORPORA / "manifest.toml").read_text(encoding="utf-8"))
    return [CORPORA / name for name, entry in manifest["corpus"].items() if entry["role"] == role]


def gold_rows(corpus: Path) -> Iterator[dict[str, Any]]:
    for gold in sorted(corpus.glob("gold*.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def label(value: float, currency: str, deals: list[dict[str, Any]]) -> str | None:
    """The role the gold deals give this figure, "none", or None when it is ambiguous or may be a part."""
    matched: set[str] = set()
    may_be_part = False
    for deal in deals:
        for role in GOLD_ROLES:
            gold = deal.get(role)
            if not gold or gold["currency"] != currency:
                continue
            if abs(value - gold["value"]) <= TOLERANCE * gold["value"]:
                matched.add(role)
            elif role in ("milestones", "total") and value < gold["value"]:
                may_be_part = True
    if len(matched) == 1:
        return matched.pop()
    if matched or may_be_part:
        return None
    return "none"


Row = tuple[str, str, str, str]  # (article: corpus/file, features, gold label, the rules' role)


def examples(corpus_list: list[Path]) -> Iterator[Row]:
    """One row for every labelled figure of the corpora."""
    from pharmadeals.extractors.amounts import extract_amounts
    from pharmadeals.extractors.deals import article_text
    from pharmadeals.extractors.money_roles import MIN_VALUE, features, window
    from pharmadeals.extractors.nlp import doc_text, pipeline, sentence_bounds
    from pharmadeals.extractors.numbers import states_thousands
    from pharmadeals.pipeline.commands.extract import read_input
    from pharmadeals.pipeline.config import Settings
    from pharmadeals.scrapers.article import page_to_article

    settings = Settings()
    for corpus in corpus_list:
        for row in gold_rows(corpus):
            path = corpus / row["file"]
            if not path.is_file():
                continue
            article = page_to_article(read_input(str(path), settings))
            doc = pipeline(article.language)(article_text(article))
            text = doc_text(doc)
            thousands = states_thousands(text)
            for lo, hi in sentence_bounds(doc):
                sentence = text[lo:hi]
                amounts = extract_amounts(sentence, thousands)
                for amount in amounts:
                    if amount.money.value < MIN_VALUE:
                        continue
                    gold = label(float(amount.money.value), amount.money.currency, row["deals"])
                    if gold is not None:
                        yield (f"{corpus.name}/{row['file']}", features(window(sentence, amount, amounts), amount.role),
                               gold, amount.role)


def train(rows: list[Row]) -> Any:
    from spacy.training import Example
    from spacy.util import fix_random_seed

    from pharmadeals.extractors.money_roles import LABELS, blank_classifier

    fix_random_seed(0)
    nlp = blank_classifier()
    batch = [Example.from_dict(nlp.make_doc(feats), {"cats": {name: float(name == gold) for name in LABELS}})
             for _, feats, gold, _ in rows]
    optimizer = nlp.initialize(lambda: batch)
    order = random.Random(0)
    for _epoch in range(EPOCHS):
        order.shuffle(batch)
        for start in range(0, len(batch), BATCH):
            nlp.update(batch[start:start + BATCH], sgd=optimizer, drop=DROPOUT)
    return nlp


def accuracy(nlp: Any, rows: list[Row]) -> tuple[float, float, float]:
    """How often the rules, the classifier alone, and the rules with the classifier's sure changes (as the
    extractor uses it) name the right role."""
    from pharmadeals.extractors.money_roles import MIN_SURE, predict

    predicted = predict(nlp, [feats for _, feats, _, _ in rows])
    model = sum(p == gold for (p, _), (_, _, gold, _) in zip(predicted, rows))
    used = sum((p if sure >= MIN_SURE else rule) == gold for (p, sure), (_, _, gold, rule) in zip(predicted, rows))
    rules = sum(rule == gold for _, _, gold, rule in rows)
    return rules / len(rows), model / len(rows), used / len(rows)


def fold_of(article: str, folds: int) -> int:
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % folds


def cross_validate(rows: list[Row], folds: int) -> None:
    """Deal-level figures of the tuned corpora, each article extracted by a model trained without it, beside
    the rules alone on the same articles: the honest way to judge a change to the classifier or its use."""
    from pharmadeals.extractors.money_roles import MODEL_ENV

    scorer = _score_module()
    gold = {f"{corpus.name}/{row['file']}": row for corpus in corpora("tuned") for row in gold_rows(corpus)}
    predicted: dict[str, dict[str, list[dict[str, Any]]]] = {"rules": {}, "classifier": {}}
    with tempfile.TemporaryDirectory() as scratch:
        for fold in range(folds):
            held = sorted(a for a in gold if fold_of(a, folds) == fold)
            model = Path(scratch) / f"fold{fold}"
            train([r for r in rows if fold_of(r[0], folds) != fold]).to_disk(model)
            for name, setting in (("rules", "off"), ("classifier", str(model))):
                predicted[name].update(_extract(held, setting, MODEL_ENV))
    labelled = [{**row, "file": article} for article, row in gold.items()]
    for name, predictions in predicted.items():
        figures = scorer.figures(scorer.score_corpus(labelled, predictions)["all"])
        print(f"{folds}-fold, {name}: " + ", ".join(f"{k} {figures[k]}" for k in (
            "deal_f1", "amount_f1", "upfront_f1", "milestones_f1", "total_f1", "equity_f1", "roles", "deal_type")))


def _score_module() -> Any:
    spec = importlib.util.spec_from_file_location("corpus_score", CORPORA / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _extract(articles: list[str], model: str, env_name: str) -> dict[str, list[dict[str, Any]]]:
    """`pharmadeals extract --format json` of the articles with the given model, keyed like `articles`."""
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "pharmadeals"), "extract", "--format", "json",
                             *(str(CORPORA / a) for a in articles)], capture_output=True, text=True, check=False,
                            env={**os.environ, env_name: model, "PHARMADEALS_CONFIG": str(CORPORA / "score-config.yaml")})
    if result.returncode not in (0, 1):
        sys.exit(f"error: extract failed ({result.returncode}): {result.stderr.strip()[-400:]}")
    return {Path(item["file"]).resolve().relative_to(CORPORA.resolve()).as_posix(): item.get("deals") or []
            for item in json.loads(result.stdout)}


def main() -> None:
    from pharmadeals.extractors.money_roles import MODEL_ENV

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="model folder (default build/money_role_model)")
    parser.add_argument("--compare", action="store_true", help="also report rules vs model on the sealed figures")
    parser.add_argument("--cross-validate", type=int, metavar="FOLDS", default=0,
                        help="instead of training, report deal-level figures of the tuned corpora by k-fold")
    args = parser.parse_args()
    rows = list(examples(corpora("tuned")))
    if not rows:
        sys.exit("error: no labelled money figures in the tuned corpora (tests/corpora/manifest.toml)")
    counts = Counter(gold for _, _, gold, _ in rows)
    if args.cross_validate:
        cross_validate(rows, args.cross_validate)
        return
    print(f"training on {len(rows)} figures from the tuned corpora: {dict(sorted(counts.items()))}")
    nlp = train(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out.parent) as scratch:
        nlp.to_disk(Path(scratch) / "model")
        shutil.rmtree(args.out, ignore_errors=True)
        shutil.move(str(Path(scratch) / "model"), args.out)
    print(f"wrote {args.out}; use it with {MODEL_ENV}={args.out}")
    if args.compare:
        sealed = list(examples(corpora("sealed")))
        rules, model, used = accuracy(nlp, sealed)
        print(f"sealed figures: {len(sealed)}; right role: rules {rules:.3f}, classifier alone {model:.3f}, "
              f"rules with the classifier's sure changes {used:.3f}")


if __name__ == "__main__":
    main()
