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

from .boilerplate import is_structural
from .page import Line, Page
from .parse import display_width

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
    return text.rstrip().endswith(("。", "?", "!", "？", "！", "…"))


def _measures(text: str) -> dict[str, int]:
    return {"chars": len(text), "columns": display_width(text), "words": len(text)}


def wrap_width(lines: list[Line]) -> tuple[str, int] | None:
    """(measure, width) at which the page's lines were broken, or None."""
    # (measures, ends a sentence) of the long lines; a line broken at the width stops mid-sentence
    long = [(_measures(x.text), _ends(x.text)) for x in lines if len(x.text) >= MIN_LONG]
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
    last = ""  # the previous physical line
    for line in page.lines:
        if out and broken and not line.gap and (measure != "words" or _word_did_not_fit(last, line.text, width)):
            space = " " if measure == "words" and len(last) < width else ""  # the break took a space
            out[-1] = Line(out[-1].text + space + line.text, gap=out[-1].gap)
            joined += 1
        else:
            out.append(line)
        broken = _measures(line.text)[measure] >= width - slack and not _ends(line.text)
        last = line.text
    page.lines = out
    return joined


def _word_did_not_fit(line: str, following: str, width: int) -> bool:
    """A line wrapped at a space stops short because the next word would not fit; a shorter word
    (or a long run of CJK text, which the wrapper would have cut to fill the line) means the author
    ended the line there."""
    if len(line) >= width:
        return True  # a word longer than the line (a run of CJK text) cut at the width
    word = following.split(maxsplit=1)[0] if following.strip() else ""
    # (the spaces a wrapper keeps at a line's ends were stripped with the line: two columns of slack)
    return 0 < len(word) < width and len(line) + 1 + len(word) > width - 2 and not is_structural(following)

