"""Unwrap step: lines a fixed-width dump broke at its width are joined back into the author's lines.

Text dumps of PDFs and Word files often break every long line at a fixed width, wherever it falls:
inside a word, a label (`答` | `案:B`) or a number (`1` | `2.下列…`). Such a page shows itself by many
lines of (nearly) the same width: far more than an author's own line lengths ever share. A line that
reaches that width and is followed by another line of text was broken there; it is joined to the next.
Pages without such a width are left as they are.

The parser measures a wrap width too (`parse.wrap_width`), loosely (8 columns of slack), to let a
stem run on across a break; joining lines for good needs the strict reading here: one width, reached
by lines that stop mid-sentence, or an author's own line ends are lost.
"""

from __future__ import annotations

import re

from pipeline.clean.boilerplate import is_structural
from pipeline.clean.fold import strip_pinyin_garbage
from pipeline.grammar import labels
from pipeline.grammar.parse import display_width
from pipeline.page import Line, Page

MIN_LONG = 20  # shorter lines say nothing about a wrap width
MIN_WRAPPED = 5  # at least this many lines at the width, each stopping mid-sentence
# How each way of wrapping shows: (slack below the width, share of the long lines stopping mid-sentence
# that must reach it).
# A dump wrapping by columns stops a column short before a CJK character; one wrapping at spaces
# (textwrap) stops up to a word short, so it must show on most long lines, and never past WORDS_MAX.
MEASURES = {"chars": (0, 0.4), "columns": (2, 0.4), "words": (12, 0.6)}
WORDS_MAX = 120  # no dump wraps wider than this at spaces; an author's lines may be any length


def _ends(text: str) -> bool:
    """The line ends a sentence: an author's own line end, not a break at the width ('C.', '()' may be cut)."""
    text = text.rstrip()
    if text.endswith(".") and text[-2:-1].islower():
        return True  # an English sentence ("…in advance."), never a label or an option letter ("9.", "B.")
    return text.endswith(("。", "?", "!", "？", "！", "…")) and not text.endswith("??")  # "??": glyphs lost


def _printed(line: Line) -> int:
    """The line's length as the dump printed it, with the glosses a later step removed."""
    return len(line.text) + line.lost


def _measures(line: Line) -> dict[str, int]:
    return {"chars": _printed(line), "columns": display_width(line.text) + line.lost, "words": _printed(line)}


def wrap_width(lines: list[Line]) -> tuple[str, int] | None:
    """(measure, width) at which the page's lines were broken, or None."""
    # (measures, ends a sentence) of the long lines; a line broken at the width stops mid-sentence
    long = [(_measures(x), _ends(x.text)) for x in lines if len(x.text) >= MIN_LONG]
    if len(long) < MIN_WRAPPED:
        return None
    best: tuple[int, str, int] | None = None
    for measure, (slack, share) in MEASURES.items():
        width = max(m[measure] for m, _ in long)  # the widest lines: a wrap width is a ceiling no line passes
        if measure == "words" and width > WORDS_MAX:
            continue
        at = sum(1 for m, ends in long if width - slack <= m[measure] <= width and not ends)
        open_ended = sum(1 for _, ends in long if not ends)  # an author's sentences say nothing either way
        if at >= MIN_WRAPPED and at >= share * open_ended and (best is None or at > best[0]):
            best = (at, measure, width)
    return (best[1], best[2]) if best else None


def unwrap(page: Page) -> int:
    """Join lines broken at the page's wrap width; returns how many joins were made."""
    found = wrap_width(page.lines)
    if found is None:
        return 0
    measure, width = found
    slack = MEASURES[measure][0]
    out: list[Line] = []
    joined = 0
    broken = False
    last = Line("")  # the previous physical line
    for line in page.lines:
        if out and broken and not line.gap and (measure != "words" or _word_did_not_fit(last, line.text, width)):
            joint = out[-1].text + _joint(measure, last, line.text, width) + line.text
            # a gloss the break cut in two ('貨(hu' | 'ò)款') is whole again: it goes as the others went
            out[-1] = Line(strip_pinyin_garbage(joint) if page.glosses else joint, gap=out[-1].gap)
            joined += 1
        else:
            out.append(line)
        # at spaces, whether the next word would have fitted decides (a long word, such as a run of lost
        # glyphs "airport???…", leaves its line short by more than any slack)
        broken = (measure == "words" or _measures(line)[measure] >= width - slack) and not _ends(line.text)
        last = line
    page.lines = out
    return joined


def _joint(measure: str, line: Line, following: str, width: int) -> str:
    """What the break took: a space where a wrapper broke at one, nothing where it cut a run of CJK
    text or a word longer than the line."""
    if measure != "words":
        return ""
    if _printed(line) < width:
        return " "
    cut_word = len(line.text.split()[-1]) + line.lost >= width
    return "" if cut_word or labels.CJK.match(line.text[-1]) or labels.CJK.match(following[:1]) else " "


def _word_did_not_fit(line: Line, following: str, width: int) -> bool:
    """A line wrapped at a space stops short because the next word would not fit; a shorter word
    (or a long run of CJK text, which the wrapper would have cut to fill the line) means the author
    ended the line there."""
    printed = _printed(line)
    if printed >= width:
        return True  # a word longer than the line (a run of CJK text) cut at the width
    word = following.split(maxsplit=1)[0] if following.strip() else ""
    # (the spaces a wrapper keeps at a line's ends were stripped with the line: two columns of slack)
    fits = not (0 < len(word) < width and printed + 1 + len(word) > width - 2)
    # a line that ends in a bare label ("…B.sleeping. 9.") was broken right after it, whatever follows
    return not fits and (not is_structural(following) or bool(LABEL_AT_END.search(line.text)))


LABEL_AT_END = re.compile(r"(?:^|\s)\d{1,3}\s*[.、]$")

