"""Many literal words as one regular expression shaped like a trie, so a scan costs one step per character.

A plain alternation of thousands of words (`Pfizer|Pfizer Inc|...`) makes `re` try every word at every
position. The trie form matches exactly what the longest-first alternation matches: at each position the
only branch that can go on is the one following the text, and a longer word is tried before a shorter one
ending on the same path, so the pattern around it (a lookahead) still decides by backtracking.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # key of the marker that a word ends at this node


def _tree(words: Iterable[tuple[str, str]]) -> dict[str, dict]:  # type: ignore[type-arg]  # a recursive mapping
    """The trie of (word, condition after it); the end marker's one key is the condition ('' for none)."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word, after in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        if node.get(_END, {after: {}}) != {after: {}}:
            raise ValueError(f"{word!r} listed with two different conditions after it")
        node[_END] = {after: {}}
    return root


def _pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char != _END]
    after = next(iter(node[_END])) if _END in node else ""
    if not branches:
        return after
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node and after:  # a word may end here if its condition holds, once the longer words failed
        return "(?:" + body + "|" + after + ")"
    if _END in node:  # a word may end here: try the longer words first, then stop
        return ("(?:" + body + ")" if len(branches) == 1 and len(body) > 1 else body) + "?"
    return body


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source matching any of `words` (non-empty), preferring the longest, as one grouped atom."""
    return "(?:" + _pattern(_tree((w, "") for w in words if w)) + ")"


def phrase_trie(phrases: Iterable[str], latin_before: str = "", latin_after: str = "") -> str:
    """For a pattern compiled with re.IGNORECASE: the same matches, in every context, as the alternation of
    `latin_before + re.escape(p) + latin_after` for Latin (ASCII) phrases and `re.escape(p)` for the others,
    longest first; as tries, so a scan no longer tries every phrase at every character.

    The conditions are lookarounds such as (?<!\\w): the one before decides at the phrase's first character, so
    the trie of every phrase is tried where it holds and the trie of the non-Latin ones where it does not; the
    one after ends each Latin phrase inside the trie. Phrases are lower-cased (IGNORECASE matches the same
    text), which keeps one branch per letter and so the longest-first order."""
    words = {p.lower(): p.isascii() for p in phrases if p}
    every = _pattern(_tree((w, latin_after if latin else "") for w, latin in words.items()))
    others = [(w, "") for w, latin in words.items() if not latin]
    if not latin_before:
        return "(?:" + every + ")"
    if not others:
        return "(?:" + latin_before + "(?:" + every + "))"
    return "(?:" + latin_before + "(?:" + every + ")|(?:" + _pattern(_tree(others)) + "))"
