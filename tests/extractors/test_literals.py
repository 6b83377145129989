"""Phrase tries match exactly what the longest-first alternation they replace matches (extractors/literals.py)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmadeals.extractors.literals import phrase_trie, trie_pattern

CONDITIONS = [("", ""), (r"(?<!\w)", r"(?!\w)"), ("(?<![a-z])", ""), ("", r"\b"), (r"(?<!\w)", "")]


def alternation(phrases: list[str], before: str, after: str) -> re.Pattern[str]:
    """The form the cue tables used: Latin phrases wrapped in the conditions, longest first."""
    ordered = sorted(dict.fromkeys(phrases), key=len, reverse=True)
    return re.compile("|".join(f"{before}{re.escape(p)}{after}" if p.isascii() else re.escape(p) for p in ordered),
                      re.IGNORECASE)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(("phrases", "text", "expected"), [
    (["deal", "deals", "BD交易"], "Two deals, one deal; BD交易 and idealism", [(4, 9), (15, 19), (21, 25)]),
    (["upfront", "upfront payment", "首付款"], "An Upfront Payment and 首付款", [(3, 18), (23, 26)]),
    (["co", "co-develop"], "co-developer, co-develop", [(0, 2), (14, 24)]),
    (["合作", "合作协议"], "合作协议与合作", [(0, 4), (5, 7)]),
])
def test_latin_phrases_stand_alone_and_the_longest_wins(phrases: list[str], text: str,
                                                        expected: list[tuple[int, int]]) -> None:
    pattern = re.compile(phrase_trie(phrases, r"(?<!\w)", r"(?!\w)"), re.IGNORECASE)
    assert spans(pattern, text) == expected == spans(alternation(phrases, r"(?<!\w)", r"(?!\w)"), text)


def test_a_trie_is_one_atom_inside_a_larger_pattern() -> None:
    """Backtracking into the trie tries the shorter phrases in the same order as the alternation."""
    phrases = ["for", "for up to", "paid"]
    for before, after in CONDITIONS:
        old = re.compile(rf"(?:{alternation(phrases, before, after).pattern})\s*(?:up to\s*)?$", re.IGNORECASE)
        new = re.compile(rf"{phrase_trie(phrases, before, after)}\s*(?:up to\s*)?$", re.IGNORECASE)
        for text in ["bought it for up to ", "for ", "paid  up to", "forup to", "Paid"]:
            assert (old.search(text) and old.search(text).span()) == (new.search(text) and new.search(text).span())


def test_plain_tries_are_unchanged() -> None:
    assert trie_pattern(["ab", "abc", "b"]) == "(?:(?:abc?|b))"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aAb c-中文", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="aAb c-中文.", max_size=40), st.sampled_from(CONDITIONS))
def test_same_matches_as_the_alternation(phrases: list[str], text: str, conditions: tuple[str, str]) -> None:
    before, after = conditions
    old, new = alternation(phrases, before, after), re.compile(phrase_trie(phrases, before, after), re.IGNORECASE)
    assert [(m.span(), m.group(0)) for m in new.finditer(text)] == [(m.span(), m.group(0)) for m in old.finditer(text)]
    for start in range(len(text) + 1):
        found, expected = new.match(text, start), old.match(text, start)
        assert (found and found.span()) == (expected and expected.span())
