"""Within-page duplicate step: drop a second copy of the document glued after the first.

Text-layer dumps often carry the article twice (a line-broken copy, then a run-on, slightly
reworded copy). A candidate cut is where the title or the first body line starts again; it is a
second copy when enough of the character shingles after it already occur before it. Then only
what is already there goes: each sentence of the copy whose shingles mostly occur before the cut
is dropped, and a sentence found only in the copy (a reworded tip, a closing summary) is kept.
"""

from __future__ import annotations

import re

from pipeline.page import Line, Page

SHINGLE = 4
MIN_COPY_CHARS = 200
MIN_CONTAINMENT = 0.35  # this much of what follows the cut is already before it: a second copy
REPEATED = 0.5  # a sentence of the copy with this share of its shingles before the cut is a repeat
UNITS = re.compile(r"(?<=[。？！?!])|\s+")  # sentences, and the lines a run-on copy glued with spaces


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + k] for i in range(max(1, len(text) - k + 1))}


def containment(part: str, whole: str | set[str]) -> float:
    """Share of `part`'s shingles that occur in `whole` (a text or its shingles)."""
    a = shingles(part)
    b = whole if isinstance(whole, set) else shingles(whole)
    return len(a & b) / len(a) if a else 0.0


def _candidates(text: str, markers: list[str]) -> list[int]:
    spots: set[int] = set()
    for marker in markers:
        if len(marker) < 6:
            continue
        start = text.find(marker, len(marker))
        while start != -1:
            spots.add(start)
            start = text.find(marker, start + 1)
    return sorted(spots)


def drop_second_copy(page: Page) -> None:
    text = "\n".join(line.text for line in page.lines)
    markers = [m for m in (page.title, page.lines[0].text[:20] if page.lines else None) if m]
    for cut in _candidates(text, markers):
        before, after = text[:cut], text[cut:]
        if len(after) < MIN_COPY_CHARS or len(before) < MIN_COPY_CHARS:
            continue
        seen = shingles(f"{page.title or ''}\n{before}")
        score = containment(after, seen)
        if score >= MIN_CONTAINMENT:
            kept = _unrepeated(_lines_after(page, cut), seen)
            dropped = len(after) - sum(len(line.text) for line in kept)
            _cut_at(page, cut)
            page.lines += kept
            page.remove("duplicate_copy", after if not kept else f"{dropped} repeated characters of: {after}")
            found_only = f"; kept {len(after) - dropped} characters found only in the copy" if kept else ""
            page.warn("duplicate_copy", f"dropped the repeated part of a second copy of the document "
                                        f"({dropped} of {len(after)} characters; {score:.0%} of the copy was "
                                        f"already on the page){found_only}")
            return


def _unrepeated(lines: list[Line], seen: set[str]) -> list[Line]:
    """The copy's lines with every sentence that is already on the page taken out."""
    kept = []
    for line in lines:
        fresh = " ".join(s for s in UNITS.split(line.text) if s.strip() and containment(s, seen) < REPEATED)
        if fresh:
            kept.append(Line(fresh, gap=line.gap))
    return kept


def _lines_after(page: Page, offset: int) -> list[Line]:
    """The page's lines from `offset` on (the line it falls in, from there)."""
    after: list[Line] = []
    pos = 0
    for line in page.lines:
        end = pos + len(line.text)
        if pos >= offset:
            after.append(line)
        elif end > offset:
            after.append(Line(line.text[offset - pos:], gap=line.gap, soft=line.soft))
        pos = end + 1
    return after


def _cut_at(page: Page, offset: int) -> None:
    kept: list[Line] = []
    pos = 0
    for line in page.lines:
        end = pos + len(line.text)
        if end <= offset:
            kept.append(line)
        elif pos < offset:
            kept.append(Line(line.text[: offset - pos].rstrip(), gap=line.gap, soft=line.soft))
            break
        else:
            break
        pos = end + 1
    page.lines = [line for line in kept if line.text]
