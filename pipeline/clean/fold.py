"""The matching form of a line: what chrome rules compare against, never what is published.

Mirrors in traditional script (Big5 sites, or simplified pages run through a converter) print the
same chrome in other glyphs, and converters leave pinyin in brackets after a character they could
not map (`社區(qū)`, `繼續(xù)免費閱讀`). The form folds both away so one rule matches every spelling.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.grammar import labels

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# "(qū)", "(zhuǎn)": pinyin with a tone mark in brackets, straight after a CJK character.
PINYIN_GARBAGE = re.compile(rf"(?<=[\u3400-\u9fff])[(（][a-zü]*[{TONE_MARKS}][a-zü{TONE_MARKS}]*[)）]")


@cache
def _converter():
    import opencc  # C++ OpenCC: ~1 µs a line; loaded on first use only

    return opencc.OpenCC("t2s")


_TONES = labels.CharClass(TONE_MARKS)


def strip_pinyin_garbage(text: str) -> str:
    return PINYIN_GARBAGE.sub("", text) if _TONES.found_in(text) else text


# Characters only traditional script writes (the grammar's own variants and other common ones): a
# page with none of them, and no tone marks, is simplified already and skips the converter.
TRADITIONAL_ONLY = frozenset(labels.TRADITIONAL.values()) | frozenset(
    "這個們說時來會國過學閱頁還續載檔權與發變讓從當給經區網絡級書長開門見視語認記設證義議資貨買賣費貴車軌輸轉辦農運進遠"
)
_NEEDS_FOLDING = re.compile("[" + "".join(sorted(TRADITIONAL_ONLY | _TONES.chars)) + "]")  # one C-speed scan


def needs_folding(text: str) -> bool:
    """The text holds traditional script or tone marks (a whole page asked once, its lines skip)."""
    return not text.isascii() and bool(_NEEDS_FOLDING.search(text))


def matching_form(text: str) -> str:
    """Simplified script, converter garbage removed. Same text when there is nothing to fold."""
    if not needs_folding(text):
        return text
    return _converter().convert(strip_pinyin_garbage(text))


TRADITIONAL_SHARE = 0.05  # of a text's CJK characters that t2s changes: above it, the text is in traditional script


def is_traditional(text: str) -> bool:
    """The text is written in traditional script (most of its characters with two forms take the
    traditional one), so what we generate beside it should be too."""
    if not needs_folding(text):
        return False
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    simplified = _converter().convert(text)
    changed = sum(1 for a, b in zip(text, simplified, strict=False) if a != b)
    return cjk > 0 and changed >= TRADITIONAL_SHARE * cjk


@cache
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


@cache
def traditional(text: str) -> str:
    """Words we generate ('每题', '答案'), in traditional script for a traditional page."""
    return _to_traditional().convert(text)
