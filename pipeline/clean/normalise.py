"""Normalise step: the page's own text, and the matching text every later step reads.

The *own text* is the page cleaned of what carries no text (controls, zero-width and private-use
glyphs, CRLF) with compatibility forms folded (NFKC: `Ａ１` → `A1`, `⑴` → `(1)`), except Chinese
punctuation, which stays as printed (`，：；？！（）～`), and circled numbers (`①`). The *matching
text* folds that punctuation to ASCII too, one character for one, so the grammar matches one
spelling. Published text is the page's own: `Restorer` maps strings of the matching text back to
the own text they came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from pipeline.grammar.labels import CIRCLED, CharClass

# C0/C1 controls except tab and newline, zero-width characters, BOM, bidi marks, soft hyphen.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Private-use glyphs come from icon fonts in scraped pages; they carry no text.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Chinese punctuation the page keeps, and the ASCII it matches as.
CHINESE_PUNCTUATION = "，：；？！（）～"  # ～: the range mark of "阅读下面的文字，完成5～7题。"
MATCHING_PUNCTUATION = ",:;?!()~"
_PAIRS = tuple(zip(CHINESE_PUNCTUATION, MATCHING_PUNCTUATION, strict=True))
_MARKS = CharClass(MATCHING_PUNCTUATION)
# The ellipsis stays one character too ("……" is not "......"): it is a sentence end either way. Circled
# numbers stay circled: they label options ('①4②6③7④8', kinds K12) and sub-items, never plain digits.
_PARKED = tuple((mark, chr(0xE000 + i)) for i, mark in enumerate(CHINESE_PUNCTUATION + "…" + CIRCLED))


def own_text(text: str) -> str:
    """The page's text as it should be published: clean, width-folded, its punctuation kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _PRIVATE_USE.sub("", text)
    # NFKC everything but the kept marks: park them on private-use code points (which NFKC leaves
    # alone and which were just removed from the text), fold, then put them back.
    for mark, parked in _PARKED:
        text = text.replace(mark, parked)
    text = unicodedata.normalize("NFKC", text)
    for mark, parked in _PARKED:
        text = text.replace(parked, mark)
    text = text.replace("\t", " ")
    # Trailing spaces line by line: a regex for them backtracks over every run of spaces that no
    # line break ends (5 MB of spaces took 50 s), this is linear.
    text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    return text.strip("\n ") + "\n" if text.strip() else ""


def matching_text(own: str) -> str:
    """The own text with its Chinese punctuation as ASCII: same length, character for character."""
    for chinese, ascii_mark in _PAIRS:  # eight C-speed replaces beat one dict-driven translate
        own = own.replace(chinese, ascii_mark)
    return own


def normalise_text(text: str) -> str:
    """The matching text of a raw page (what the grammar reads)."""
    return matching_text(own_text(text))


class Restorer:
    """Maps strings cut from the matching text back to the page's own characters.

    A string found in the matching text takes the own text's punctuation at that place; a string the
    parser joined from several lines is restored line by line; what is not found at all takes the
    spelling the page uses most for each mark.
    """

    def __init__(self, own: str, matching: str) -> None:
        self.own, self.matching = own, matching
        self.active = own != matching
        self._majority: dict[int, str] | None = None
        self._cursor = 0  # strings come mostly in page order: look after the last one first

    def __call__(self, text: str | None) -> str | None:
        if text is None or not self.active or not _has_marks(text):
            return text
        pos = self._find(text)
        if pos >= 0:
            return self._copy(text, pos)
        return "\n".join(self._line(part) for part in text.split("\n"))

    def _find(self, text: str) -> int:
        pos = self.matching.find(text, self._cursor)
        if pos < 0:
            pos = self.matching.find(text)
        if pos >= 0:
            self._cursor = pos
        return pos

    def _line(self, text: str) -> str:
        if not _has_marks(text):
            return text
        pos = self._find(text)
        return self._copy(text, pos) if pos >= 0 else text.translate(self.majority())

    def _copy(self, text: str, pos: int) -> str:
        return self.own[pos: pos + len(text)]  # the two texts differ in those marks alone

    def majority(self) -> dict[int, str]:
        if self._majority is None:
            full = Counter(m for o, m in zip(self.own, self.matching, strict=True) if o != m)
            self._majority = {ord(a): c for a, c in zip(MATCHING_PUNCTUATION, CHINESE_PUNCTUATION, strict=True)
                              if full[a] * 2 > self.matching.count(a)}
        return self._majority


def _has_marks(text: str) -> bool:
    return _MARKS.found_in(text)
