"""Undo hard line wraps. Filings reposted as text (MOPS announcements, HKEX and SEC exhibits, PDF text) break a
sentence every 40 characters or so; since a line break always ends a sentence, the upfront would sit in one
"sentence" and the word 'milestones' in the next. A line is joined to the next when it stops mid-sentence
and the next line goes on with the same sentence (not a list item, a 'Field:' line, a table row or a date)."""
from __future__ import annotations

import re

# A line that ends like this has finished its sentence (or is a field, a heading with a colon, a row).
FINISHED = re.compile(r"[。！？!?；;：:.」』”\"|]\s*$")
# A next line that starts like this begins something new: a numbered or bulleted item, a 'Field:' line,
# a table row, a date or figure line, a reference mark.
STARTS_ANEW = re.compile(r"^\s*(?:[(（]?(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[A-Za-z]|[ivx]{1,4})[)）.、]|"
                         r"[※●■□◆◇•·*>#|\-–—\d]|[^\s:：(（)）,，]{1,12}[:：])")
CJK = re.compile(r"[\u3400-\u9fff]")
MIN_CJK_LINE = 20  # characters: shorter lines are titles, names, captions or fields, not a wrapped block
# Chinese prose has commas; a run of lines without any is portal chrome (menus, related headlines).
CLAUSE_MARK = re.compile(r"[，,、。；;]")
MIN_LATIN_LINE = 40
LONGER_NEXT = 1.34  # a next line this much longer means the line is a headline over its first paragraph


def _joins(line: str, following: str) -> str | None:
    """The text that joins LINE to FOLLOWING when FOLLOWING continues LINE's sentence ('' or ' '), else None."""
    head, tail = line.rstrip(), following.strip()
    if not head or not tail or FINISHED.search(head) or STARTS_ANEW.match(tail) \
            or any(mark in text for mark in ("|", "\t") for text in (head, tail)):
        return None
    if len(tail) > LONGER_NEXT * len(head.strip()):
        return None
    if CJK.match(head[-1]) or (head[-1] in "，,、（(「“)）" and CJK.search(head[-6:])):
        prose = bool(CLAUSE_MARK.search(head) or CLAUSE_MARK.search(tail))
        starts = bool(CJK.match(tail[0])) or tail[0] in "，,、）)」”"
        return "" if len(head.strip()) >= MIN_CJK_LINE and prose and starts else None
    if (head[-1].islower() or head[-1] in ",(") and tail[0].islower() and len(head.strip()) >= MIN_LATIN_LINE:
        return " "
    return None


def unwrap_lines(text: str) -> str:
    """TEXT with each hard-wrapped sentence on one line again; the first line (the title) is never joined."""
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        glue = _joins(out[-1], line) if out and index > 1 and any(s.strip() for s in out[:-1]) else None
        if glue is None:
            out.append(line)
        else:
            out[-1] = out[-1].rstrip() + glue + line.strip()
    return "\n".join(out)
