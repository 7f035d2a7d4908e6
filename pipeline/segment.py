"""Segment step: split run-on lines at inline headings, field labels and question labels.

Crawled text layers often lose line breaks ("…D 平行投影2、平行于正投影面…"). Headings and field
labels are split hard; question labels are split *soft*: the parser rejoins a soft piece whose
number does not continue the sequence, so a stray "3、" in a sentence costs nothing.
"""

from __future__ import annotations

import re
from itertools import pairwise

from . import labels
from .page import Line, Page

RUN_ON_MIN = 150  # shorter lines are never split at question labels
SPLIT_HINTS = frozenset("题題答解【")  # a short line without any of these has no heading or field to split at
FIELD_HINTS = frozenset("答解【")
# Each pattern starts with the characters it matches (no leading lookahead), so the regex engine
# can skip ahead to candidates instead of trying every position of a long line.
INLINE_HEADING = labels.rx(
    r"(?<=[\s。.?!)）:])[一二三四五六七八九十]{1,2}\s*[、.]\s*[^\s,。]{1,12}?题"
    r"|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}\s*[、.]\s*[\u4e00-\u9fff]{1,10}题\s*[:(（]"
)
INLINE_QUESTION = re.compile(
    r"(?<![\dA-Za-z.,/:-])\d{1,3}\s*(?:、|\.(?!\d))\s*\S"
    r"|(?<=[\s。?!)）;])\d{1,3}[\u4e00-\u9fff(（《“]"
)


def _cut(text: str, pattern: re.Pattern[str]) -> list[str]:
    starts = sorted({m.start() for m in pattern.finditer(text) if m.start() > 0})
    if not starts:
        return [text]
    bounds = [0, *starts, len(text)]
    return [text[a:b].strip() for a, b in pairwise(bounds) if text[a:b].strip()]


def split_line(line: Line) -> list[Line]:
    """Hard splits at inline headings and field labels; then, on run-on text (a long line, or one
    that already held a heading or a field), soft splits at question labels."""
    text = line.text
    long = len(text) >= RUN_ON_MIN
    if not long and SPLIT_HINTS.isdisjoint(text):
        return [line]  # nothing to split on: the common case, kept cheap
    headings = _cut(text, INLINE_HEADING) if ("题" in text or "題" in text) else [text]
    fields_possible = not FIELD_HINTS.isdisjoint(text)
    pieces = [p for h in headings for p in (_cut(h, labels.INLINE_FIELD) if fields_possible else [h])]
    if len(pieces) == 1 and not long:
        return [line]
    run_on = long or len(pieces) > 1
    out: list[Line] = []
    for i, piece in enumerate(pieces):
        base = Line(piece, gap=line.gap if i == 0 else False)
        if not run_on:
            out.append(base)
            continue
        for k, q_piece in enumerate(_cut(piece, INLINE_QUESTION)):
            whole = k == 0 and q_piece == piece
            out.append(base if whole else Line(q_piece, gap=base.gap and k == 0, soft=k > 0))
    return out


def segment(page: Page) -> None:
    page.lines = [piece for line in page.lines for piece in split_line(line)]
