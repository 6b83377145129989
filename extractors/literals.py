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


def _tree(words: Iterable[str]) -> dict[str, dict]:  # type: ignore[type-arg]  # a recursive mapping
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:  # a word may end here: try the longer words first, then stop
        return ("(?:" + body + ")" if len(branches) == 1 and len(body) > 1 else body) + "?"
    return body


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source matching any of `words` (non-empty), preferring the longest, as one grouped atom."""
    return "(?:" + _pattern(_tree(w for w in words if w)) + ")"
