"""The spaCy pipelines (blank en, blank zh with jieba), built once per process with our registered components."""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from pharmadeals.extractors.assets import find_assets
from pharmadeals.extractors.companies import company_index, find_companies
from pharmadeals.extractors.parties import CompanyHit

SENTENCE_PUNCT = [".", "!", "?", ";", "。", "！", "？", "；", "!", "?"]
ABBREVIATIONS = frozenset({"no", "co", "inc", "ltd", "corp", "dr", "mr", "ms", "st", "vs", "approx", "u.s", "jan",
                           "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g",
                           "i.e", "etc", "plc", "n.v", "s.a", "u.k", "a.g", "calif", "mass", "n.j", "conn", "md",
                           "pa", "wash", "ill", "fla", "tex", "mich", "minn", "colo", "ariz", "ga", "n.c", "mrs"})
CONTINUERS = frozenset({",", "，", ";", ":", "、"})  # a sentence never starts with these
CLOSERS = frozenset({'"', "'", "”", "’", ")", "）", "」", "』", "》"})
OPENERS = frozenset({"(", "（"})
BRACKET_CLOSERS = frozenset({")", "）"})
ZH_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}
COMPANIES_ATTR = "companies"
ASSET_SPANS = "assets"
SENT_START_YES, SENT_START_NO = numpy.uint64(1), numpy.uint64(2**64 - 1)  # 1 and -1 as spaCy stores them

TEXT_ATTR = "plain_text"

for _name in (COMPANIES_ATTR, TEXT_ATTR):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class TextKeepingTokenizer:
    """The language's tokenizer, keeping the text it was given on the doc: spaCy tokenizes losslessly, so it is
    the doc's text, which `Doc.text` would otherwise join again from a Token object per token."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc._.set(TEXT_ATTR, text)
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


def doc_text(doc: Doc) -> str:
    """The doc's text, joined once: `Doc.text` joins every token again on each call. Tokens may be merged
    later (assets), never changed, so the text stays."""
    text = doc._.get(TEXT_ATTR)
    if text is None:
        text = doc.text
        doc._.set(TEXT_ATTR, text)
    return text


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, as `doc.sents` cuts them, read from arrays without making a
    Span and its tokens per sentence."""
    table = doc.to_array([IDX, LENGTH, SENT_START])
    if not len(table):
        return []
    ends = (table[:, 0] + table[:, 1]).tolist()
    firsts = [0, *(numpy.flatnonzero(table[1:, 2] == SENT_START_YES) + 1).tolist()]
    lasts = [*(i - 1 for i in firsts[1:]), len(ends) - 1]
    idx = table[:, 0].tolist()
    return [(idx[first], ends[last]) for first, last in zip(firsts, lasts)]


@Language.component("pharmadeals_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Sentence starts: after sentence punctuation, where a line break always starts a sentence, a bracket
    after 。 stays with the next one, and a period in '9926.HK', 'No. 3' or 'Inc. and' never ends one."""
    # Read and written as arrays: a Token object per token costs more than the rule, and Token.is_sent_start=
    # checks the whole doc for a parse on every call (quadratic in the article's length).
    text = doc_text(doc)
    table = doc.to_array([IDX, LENGTH, SPACY, SENT_START])
    texts = [text[at:at + size] for at, size in zip(table[:, 0].tolist(), table[:, 1].tolist())]
    spaces = [" " if space else "" for space in table[:, 2].tolist()]
    starts = table[:, 3].copy()
    if len(starts):
        starts[0] = SENT_START_YES
    ended = False  # the previous token closed a sentence
    depth = 0  # open brackets: "(Hangzhou Tuolan Co., Ltd.; HKEX: 2791)" is one aside, not two sentences
    for i in range(1, len(texts)):
        prev, word = texts[i - 1], texts[i]
        newline = "\n" in prev or "\n" in spaces[i - 1]
        depth = 0 if newline else max(0, depth + (prev in OPENERS) - (prev in BRACKET_CLOSERS))
        if prev in SENTENCE_PUNCT and prev in (";", "；") and depth:
            ended = False
        elif prev in SENTENCE_PUNCT or prev in ("...", "…"):
            ended = True
        elif prev.endswith(".") and len(prev) > 1 and prev[-2].isalpha():
            ended = not _abbreviation(prev)
        elif not (ended and prev in CLOSERS):
            ended = False
        if ended and prev == "." and (not spaces[i - 1] or _abbreviation(texts[i - 2] + "." if i > 1 else ".")
                                      or word[:1].islower()):
            ended = False
        closer = word in CLOSERS and not spaces[i - 1]
        start = newline or (ended and not closer and word not in CONTINUERS)
        starts[i] = SENT_START_YES if start else SENT_START_NO
        if start:
            ended = False
    doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # a column of the array to_array gave
    return doc


def _abbreviation(word: str) -> bool:
    """'No.', 'Inc.', 'U.' of 'U.S.': a period that does not end the sentence."""
    bare = word.rstrip(".")
    return bare.lower() in ABBREVIATIONS or (len(bare) == 1 and bare.isupper())


@Language.component("pharmadeals_companies")
def companies(doc: Doc) -> Doc:
    """The EntityRuler's registry matches plus pattern-found companies become ORG entities (kb_id = registry id)."""
    index = company_index()
    ruled = [index.hit(ent.start_char, ent.end_char, ent.text) for ent in doc.ents if ent.label_ == "ORG"]
    hits: list[CompanyHit] = find_companies(index, doc_text(doc), [hit for hit in ruled if hit is not None])
    doc._.set(COMPANIES_ATTR, hits)
    spans = []
    for hit in hits:
        span = doc.char_span(hit.start, hit.end, label="ORG", kb_id=hit.company_id or "", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


@Language.component("pharmadeals_assets")
def assets(doc: Doc) -> Doc:
    """Drug codes and INN names as spans; a code split by the segmenter (SSGJ / - / 707) is merged back."""
    found = find_assets(doc_text(doc))
    pieces = [doc.char_span(s, e, alignment_mode="expand") for s, e, _ in found]
    split = [span for span in filter_spans([p for p in pieces if p is not None]) if len(span) > 1]
    if split:
        try:
            with doc.retokenize() as retokenizer:
                for span in split:
                    retokenizer.merge(span)
        except ValueError:  # a code that straddles an entity edge stays split; its span is still recorded
            pass
    spans = [doc.char_span(s, e, label="ASSET", alignment_mode="expand") for s, e, _ in found]
    doc.spans[ASSET_SPANS] = [span for span in spans if span is not None]
    return doc


def _jieba_words() -> list[str]:
    """Company aliases for jieba's user dictionary, so 百利天恒 or 三生制药 stay one token."""
    return [alias for alias in company_index().alias_ids if not alias.isascii() or "-" in alias]


def _build(lang: str) -> Language:
    if lang == "zh":
        import jieba

        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines would reach cron mail and progress bars
        for word in _jieba_words():
            jieba.add_word(word, freq=200_000)
        nlp = spacy.blank("zh", config=ZH_CONFIG)
    else:
        nlp = spacy.blank("en")
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    patterns = [{"label": "ORG", "pattern": alias, "id": company_id}
                for alias, company_id in company_index().alias_ids.items()]
    # The ruler runs every pattern through the pipes before it; added first, they are only tokenized (ORTH is
    # all it matches on), then the sentence pipe goes in front of it.
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]  # spaCy types add_pipe's result as a bare callable
    # No spaCy sentencizer: `paragraphs` decides every token's start itself (the sentencizer's guesses were all
    # overwritten but the first token's), so running it only cost a pass over the tokens.
    nlp.add_pipe("pharmadeals_paragraphs", before="entity_ruler")
    nlp.add_pipe("pharmadeals_companies")
    nlp.add_pipe("pharmadeals_assets")
    return nlp


@lru_cache(maxsize=2)
def pipeline(lang: str) -> Any:
    """The pipeline for 'en' or 'zh' (any other language code reads as English)."""
    return _build("zh" if lang == "zh" else "en")
