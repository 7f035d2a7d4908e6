"""Within-page duplicate step: drop a second copy of the document glued after the first.

Text-layer dumps often carry the article twice (a line-broken copy, then a run-on, slightly
reworded copy). A candidate cut is where the title or the first body line starts again; the
cut is taken when most of the character shingles after it already occur before it.
"""

from __future__ import annotations

from .page import Line, Page

SHINGLE = 4
MIN_COPY_CHARS = 200
MIN_CONTAINMENT = 0.35


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + k] for i in range(max(1, len(text) - k + 1))}


def containment(part: str, whole: str) -> float:
    """Share of `part`'s shingles that occur in `whole`."""
    a = shingles(part)
    return len(a & shingles(whole)) / len(a) if a else 0.0


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
        score = containment(after, before)
        if score >= MIN_CONTAINMENT:
            _cut_at(page, cut)
            page.remove("duplicate_copy", after)
            page.warn("duplicate_copy", f"dropped a second copy of the document ({len(after)} characters, "
                                        f"{score:.0%} of it already on the page)")
            return


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
