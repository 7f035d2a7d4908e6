"""Chinese segmentation with jieba, loaded once per process, plus the domain vocabulary as data.

`pipeline/data/userdict.txt` keeps domain terms whole (CSAT, 净推荐值, STAR法则 …),
`stopwords.txt` drops function words and instruction verbs (请, 如何, 描述 …) and
`synonyms.txt` maps words that mean the same in question stems to one form (应对 → 处理).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from functools import cache
from importlib import resources

_LOCK = threading.Lock()
INIT_SECONDS: dict[str, float] = {}
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


def _data(name: str) -> str:
    return (resources.files("pipeline") / "data" / name).read_text(encoding="utf-8")


@cache
def tokenizer():
    """The jieba tokenizer with the user dictionary: built once per process, never per page."""
    with _LOCK:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        start = time.perf_counter()
        tok = jieba.Tokenizer()
        tok.initialize()
        for line in _data("userdict.txt").splitlines():
            parts = line.split()
            if parts:
                tok.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)
        INIT_SECONDS["jieba"] = time.perf_counter() - start
        return tok


@cache
def stopwords() -> frozenset[str]:
    return frozenset(w.strip().lower() for w in _data("stopwords.txt").splitlines() if w.strip())


@cache
def synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _data("synonyms.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            canonical, *others = line.split()
            for word in others:
                table[word] = canonical
    return table


def normalise_stem(text: str) -> str:
    """Width, case and punctuation folded: the form two copies of a question share."""
    return _PUNCT.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def tokens(text: str) -> list[str]:
    """Content tokens: jieba words (no HMM, so deterministic), synonyms folded, stop words dropped."""
    table, stop = synonyms(), stopwords()
    out = []
    for word in tokenizer().lcut(normalise_stem(text), HMM=False):
        word = word.strip()
        if not word or not _WORD.match(word):
            continue
        word = table.get(word, word)
        if word not in stop:
            out.append(word)
    return out
