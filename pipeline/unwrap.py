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

from .page import Line, Page
from .parse import display_width

MIN_LONG = 20  # shorter lines say nothing about a wrap width
MIN_WRAPPED = 5  # at least this many lines at the width, each stopping mid-sentence
SHARE = 0.4  # and this share of the long lines
SLACK = {"chars": 0, "columns": 2}  # a dump wrapping by columns stops a column short before a CJK character


def _ends(text: str) -> bool:
    """The line ends a sentence: an author's own line end, not a break at the width ('C.', '()' may be cut)."""
    return text.rstrip().endswith(("。", "?", "!", "？", "！", "…"))


def _measures(text: str) -> dict[str, int]:
    return {"chars": len(text), "columns": display_width(text)}


def wrap_width(lines: list[Line]) -> tuple[str, int] | None:
    """(measure, width) at which the page's lines were broken, or None."""
    # (measures, ends a sentence) of the long lines; a line broken at the width stops mid-sentence
    long = [(_measures(x.text), _ends(x.text)) for x in lines if len(x.text) >= MIN_LONG]
    if len(long) < MIN_WRAPPED:
        return None
    best: tuple[int, str, int] | None = None
    for measure, slack in SLACK.items():
        width = max(m[measure] for m, _ in long)  # the widest lines: a wrap width is a ceiling no line passes
        at = sum(1 for m, ends in long if width - slack <= m[measure] <= width and not ends)
        if at >= MIN_WRAPPED and at >= SHARE * len(long) and (best is None or at > best[0]):
            best = (at, measure, width)
    return (best[1], best[2]) if best else None


def unwrap(page: Page) -> int:
    """Join lines broken at the page's wrap width; returns how many joins were made."""
    found = wrap_width(page.lines)
    if found is None:
        return 0
    measure, width = found
    slack = SLACK[measure]
    out: list[Line] = []
    joined = 0
    broken = False
    for line in page.lines:
        if out and broken and not line.gap:
            out[-1] = Line(out[-1].text + line.text, gap=out[-1].gap)
            joined += 1
        else:
            out.append(line)
        broken = _measures(line.text)[measure] >= width - slack and not _ends(line.text)
    page.lines = out
    return joined
