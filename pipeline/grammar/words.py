"""Chinese segmentation (jieba's dictionary and algorithm) with the domain's user dictionary, loaded
once per process: the words and their parts of speech.

`pipeline/grammar/data/userdict.txt` keeps domain terms whole (CSAT, 净推荐值, STAR法则 …). The parser reads
parts of speech (where a term glued to its definition ends); the bank cuts stems into words.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cache
from importlib import resources

_LOCK = threading.Lock()
INIT_SECONDS: dict[str, float] = {}


def _user_words() -> list[tuple[str, int | None, str | None]]:
    words = []
    text = resources.files("pipeline.grammar").joinpath("data/userdict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if parts:
            words.append((parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None))
    return words


@cache
def reference_tokenizer():
    """jieba itself with the user dictionary (the reference the fast tokenizer is tested against)."""
    with _LOCK:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        start = time.perf_counter()
        tok = jieba.Tokenizer()
        tok.initialize()
        for word, freq, tag in _user_words():
            tok.add_word(word, freq, tag or "n")  # a user word without a tag is a noun, as in jieba-rs
        INIT_SECONDS["jieba"] = time.perf_counter() - start
        return tok


@cache
def tokenizer():
    """The tokenizer the bank uses, with the user dictionary, built once per process: rjieba (jieba-rs,
    jieba's dictionary and algorithm in Rust: 0.1 s to start instead of ~1 s, ~10× faster cuts, the
    same words: tested on every stem and answer of the seeds and the dev set), else jieba."""
    try:
        import rjieba
    except ImportError:
        return _Words(reference_tokenizer())
    with _LOCK:
        start = time.perf_counter()
        tok = rjieba.Jieba()
        for word, freq, tag in _user_words():
            tok.add_word(word, freq, tag)
        INIT_SECONDS["jieba"] = time.perf_counter() - start
        return tok


class _Words:
    """jieba's `lcut` under rjieba's name (`cut(text, hmm)`), for when rjieba is not installed."""

    def __init__(self, tok) -> None:
        self.tok = tok

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        return self.tok.lcut(text, HMM=hmm)

    def tag(self, text: str, hmm: bool = True) -> list[tuple[str, str]]:
        return [(w.word, w.flag) for w in _tagger(self.tok).cut(text, HMM=hmm)]


@cache
def _tagger(tok):
    """One part-of-speech tagger per tokenizer: the first one made takes the user words' tags."""
    from jieba.posseg import POSTokenizer

    return POSTokenizer(tok)


def tagged(text: str) -> list[tuple[str, str]]:
    """jieba's words with their part of speech ('n' noun, 'p' preposition, 'v' verb …), no HMM."""
    return tokenizer().tag(text, hmm=False)
