"""A cheap test in front of a long alternation of cue words: the characters a match can start with.

`re` finds no literal prefix in `\\bdeals?\\b|\\bpacts?\\b|许可|…` under IGNORECASE, so it enters every
alternative at every character of a sentence. `guarded` reads the pattern's own syntax tree for the first
character each alternative needs (and whether a word boundary comes before it) and puts that in front as a
zero-width lookahead: the pattern matches exactly the same text with the same groups, but most positions fail
on one character-class test. A pattern whose start it cannot read (a lookbehind, a scoped flag, an optional
first item with nothing certain after it) is returned unchanged.
"""
from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]  # the stdlib's own parser, stable since 3.11
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

Start = tuple[bool, frozenset[str]]  # (a word boundary comes first, the characters the match may start with)
_DIGITS = "\\d"  # stands for every character \d matches in str, written as \d in the guard's class
_MAX_RANGE = 512


def _class_chars(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is sre.LITERAL:
            chars.add(chr(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < _MAX_RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is sre.CATEGORY and arg in (sre.CATEGORY_DIGIT, sre.CATEGORY_UNI_DIGIT):
            chars.add(_DIGITS)
        else:  # a negated set, \w, a wide range: no cheap answer
            return None
    return frozenset(chars)


def _starts(items: list[tuple[Any, Any]], boundary: bool = False) -> list[Start] | None:
    """How the sequence `items` can begin, or None when that is not known for sure."""
    for i, (op, arg) in enumerate(items):
        if op is sre.AT and arg is sre.AT_BOUNDARY:
            boundary = True
            continue
        if op is sre.LITERAL:
            return [(boundary, frozenset(chr(arg)))]
        if op is sre.IN:
            chars = _class_chars(arg)
            return None if chars is None else [(boundary, chars)]
        if op is sre.BRANCH:
            found: list[Start] = []
            for alternative in arg[1]:
                starts = _starts(list(alternative), boundary)
                if starts is None:
                    return None
                found += starts
            return found
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, body = arg
            return None if add_flags or del_flags else _starts(list(body), boundary)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            least, _most, body = arg
            starts = _starts(list(body), boundary)
            if starts is not None and least == 0:  # "(?:just )?shy of": the item, or what follows it
                after = _starts(items[i + 1:], boundary)
                starts = None if after is None else starts + after
            return starts
        return None
    return None  # the pattern may match an empty string


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(c if c == _DIGITS else re.escape(c) for c in sorted(chars)) + "]"


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern (same matches, same groups) behind a lookahead for its possible first characters. The
    class is compiled with the pattern's own flags, so under IGNORECASE it admits what the letters admit."""
    starts = _starts(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if not starts:
        return pattern
    at_word = {c for boundary, chars in starts if boundary for c in chars}
    anywhere = {c for boundary, chars in starts if not boundary for c in chars}
    at_word -= anywhere  # a character that may start a match anywhere needs no boundary test
    tests = ([rf"\b(?={_char_class(at_word)})"] if at_word else []) + ([f"(?={_char_class(anywhere)})"] if anywhere else [])
    return re.compile("(?:" + "|".join(tests) + ")(?:" + pattern.pattern + ")", pattern.flags)
