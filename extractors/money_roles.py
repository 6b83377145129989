"""A small trained classifier that may have the last word on a money figure's role (upfront, milestones,
total, equity or none), reading the words around the figure and the role the cue rules gave it.

The cue rules in amounts.py grew one special case at a time. This spaCy text classifier (bag of words and
word pairs, CPU, fixed seed) is trained by `make train` (scripts/train_money_roles.py) from the tuned corpora
only. It names the right role more often than the rules on sealed text, but the deal-level figures on the
sealed corpora did not improve, so it is off unless $PHARMADEALS_MONEY_ROLE_MODEL names a trained model
folder (docs/money-roles.md has the figures). The same `features` are used to train and to predict, so the
two cannot drift apart.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pharmadeals.extractors.amounts import FAR_CUE, Amount
from pharmadeals.models.errors import ConfigError

MODEL_ENV = "PHARMADEALS_MONEY_ROLE_MODEL"  # a folder `make train` wrote; unset or "off": the rules alone
LABELS = ("upfront", "milestones", "total", "equity", "none")
# Chosen by 5-fold cross-validation on the tuned corpora (scripts/train_money_roles.py --cross-validate 5):
# overriding every rule role lost there (amount F1 0.905 vs the rules' 0.913); 0.7, 0.8 and 0.9 gave 0.915-0.917.
MIN_SURE = 0.9
MIN_VALUE = 1_000_000  # smaller figures are per-share prices and the like; the rules' "none" stands
LEFT_CHARS, RIGHT_CHARS = 90, 80
LEFT_TOKENS, RIGHT_TOKENS = 12, 10
FIGURE, OTHER_FIGURE = " MONEY ", " OTHERMONEY "
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
DIGITS = re.compile(r"\d[\d,.]*")
TOKEN = re.compile(r"\w+|[^\w\s]")


def window(sentence: str, amount: Amount, amounts: list[Amount]) -> str:
    """The text around one figure, with the figure written MONEY and every other figure OTHERMONEY."""
    lo, hi = max(0, amount.start - LEFT_CHARS), min(len(sentence), amount.end + RIGHT_CHARS)
    parts, pos = [], lo
    for other in sorted(amounts, key=lambda a: a.start):
        if other.end <= lo or other.start >= hi:
            continue
        parts.append(sentence[pos:max(pos, other.start)])
        parts.append(FIGURE if other is amount else OTHER_FIGURE)
        pos = max(pos, other.end)
    parts.append(sentence[pos:hi])
    return "".join(parts)


def _words(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text)]


def features(window_text: str, rule_role: str) -> str:
    """Space-separated features: words left of the figure (L_), right of it (R_), every word, and the rules'
    role. Chinese runs are cut into words with jieba (only loaded when a window holds Chinese)."""
    if CJK_RUN.search(window_text):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        window_text = CJK_RUN.sub(lambda m: " " + " ".join(jieba.lcut(m.group(0))) + " ", window_text)
    text = DIGITS.sub("0", window_text)
    left, _, right = text.partition(FIGURE)
    return " ".join(["L_" + w for w in _words(left)[-LEFT_TOKENS:]] + ["MONEY"]
                    + ["R_" + w for w in _words(right)[:RIGHT_TOKENS]] + _words(text) + ["RULE_" + rule_role])


def blank_classifier() -> Any:
    """The untrained pipeline: a whitespace tokenizer (features are already words) and one textcat."""
    import spacy
    from spacy.tokenizer import Tokenizer

    nlp = spacy.blank("xx")
    nlp.tokenizer = Tokenizer(nlp.vocab)
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
        "no_output_layer": False, "length": 2**16}})
    for label in LABELS:
        textcat.add_label(label)  # type: ignore[attr-defined]  # spaCy types add_pipe's result as a callable
    return nlp


@lru_cache(maxsize=1)
def classifier() -> Any | None:
    """The classifier $PHARMADEALS_MONEY_ROLE_MODEL names, or None when it is unset or "off" (the cue rules'
    roles then stand alone). A folder that holds no trained model is an error, not a silent fallback."""
    folder = os.environ.get(MODEL_ENV, "").strip()
    if folder in ("", "off"):
        return None
    if not (Path(folder) / "meta.json").is_file():
        raise ConfigError(f"${MODEL_ENV} is {folder!r}, which holds no trained money-role model",
                          "run `make train` and point it at build/money_role_model, or unset it")
    import spacy

    return spacy.load(folder)


def predict(nlp: Any, rows: list[str]) -> list[tuple[str, float]]:
    """(role, probability) of the likeliest role for each row of features."""
    return [max(doc.cats.items(), key=lambda item: item[1]) for doc in nlp.pipe(rows)]


def reassign(sentence: str, amounts: list[Amount]) -> list[Amount]:
    """The rules' amounts, with a figure's role changed where the classifier is sure of another one (MIN_SURE);
    a role it changes ranks like a figure whose cue is far away (amounts.py FAR_CUE)."""
    nlp = classifier()
    chosen = [i for i, a in enumerate(amounts) if a.money.value >= MIN_VALUE]
    if nlp is None or not chosen:
        return amounts
    roles = predict(nlp, [features(window(sentence, amounts[i], amounts), amounts[i].role) for i in chosen])
    out = list(amounts)
    for i, (role, probability) in zip(chosen, roles):
        if role != out[i].role and probability >= MIN_SURE:
            out[i] = replace(out[i], role=role, cue_distance=max(out[i].cue_distance, FAR_CUE + 1)
                             if role != "none" else out[i].cue_distance)
    return out
