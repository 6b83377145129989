"""A guarded pattern matches exactly what the pattern alone matches (extractors/prefilter.py)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmadeals.extractors import cues, places, territory
from pharmadeals.extractors.prefilter import guarded

SAMPLES = ["Hengrui signed a licence deal with GSK last year.", "恒瑞医药与GSK达成许可协议，此前曾以", "a pact",
           "impact", "2,030 deals", "ＡＢＣ１２", "Shanghai-based Duoyuan", "总部位于苏州的", "(rest of world)", ""]


@pytest.mark.parametrize(("source", "flags", "guarded_form"), [
    (r"\bdeals?\b|许可", re.IGNORECASE, True),
    (r"(?:just )?shy of|\d+ deals", 0, True),
    (r"(?<![\w])deal", 0, False),  # a lookbehind first: left as it is
    (r"(?-i:[A-Z])\w+", re.IGNORECASE, False),  # a scoped flag first
    (r"x?", 0, False),  # may match nothing
])
def test_which_patterns_get_a_guard(source: str, flags: int, guarded_form: bool) -> None:
    pattern = re.compile(source, flags)
    assert (guarded(pattern) is not pattern) == guarded_form


@pytest.mark.parametrize("pattern", [cues.TRIGGER, cues.BACKGROUND, territory.EX_CHINA, territory.CHINA,
                                     territory.GLOBAL, places.ZH_BASED_RE, places.POSSESSIVE_PLACE_RE])
@pytest.mark.parametrize("text", SAMPLES)
def test_the_rules_patterns_match_as_before(pattern: re.Pattern[str], text: str) -> None:
    bare = re.compile(pattern.pattern.split(")(?:", 1)[1][:-1], pattern.flags)  # the pattern behind the guard
    assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == [(m.span(), m.groups())
                                                                         for m in bare.finditer(text)]


ATOMS = st.sampled_from([r"\b", "a", "B", "中", r"\d", "[a-c]", "(?:x|中)", "(?:ab)?", "y+", "z*", " ", "."])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(ATOMS, min_size=1, max_size=4).map("".join), min_size=1, max_size=4).map("|".join),
       st.sampled_from([0, re.IGNORECASE]), st.text(alphabet="aAbBcxyz中 1１.", max_size=30))
def test_same_matches_as_the_bare_pattern(source: str, flags: int, text: str) -> None:
    bare = re.compile(source, flags)
    guard = guarded(bare)
    assert [(m.span(), m.groups()) for m in guard.finditer(text)] == [(m.span(), m.groups()) for m in bare.finditer(text)]
    for start in range(len(text) + 1):
        found, expected = guard.match(text, start), bare.match(text, start)
        assert (found and found.span()) == (expected and expected.span())
