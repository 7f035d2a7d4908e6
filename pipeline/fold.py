"""The matching form of a line: what chrome rules compare against, never what is published.

Mirrors in traditional script (Big5 sites, or simplified pages run through a converter) print the
same chrome in other glyphs, and converters leave pinyin in brackets after a character they could
not map (`社區(qū)`, `繼續(xù)免費閱讀`). The form folds both away so one rule matches every spelling.
"""

from __future__ import annotations

import re
from functools import cache

# "(qū)", "(zhuǎn)": pinyin with a tone mark in brackets, straight after a CJK character.
PINYIN_GARBAGE = re.compile(
    r"(?<=[\u3400-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]*[)）]"
)


@cache
def _converter():
    import opencc  # C++ OpenCC: ~1 µs a line; loaded on first use only

    return opencc.OpenCC("t2s")


def strip_pinyin_garbage(text: str) -> str:
    return PINYIN_GARBAGE.sub("", text) if "(" in text or "（" in text else text


def matching_form(text: str) -> str:
    """Simplified script, converter garbage removed. Same text when there is nothing to fold."""
    if text.isascii():
        return text
    return _converter().convert(strip_pinyin_garbage(text))
