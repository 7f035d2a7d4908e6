"""The bank's content tokens: jieba's words (`words.py`) with the domain vocabulary as data.

`stopwords.txt` drops function words and instruction verbs (请, 如何, 描述 …) and
`synonyms.txt` maps words that mean the same in question stems to one form (应对 → 处理).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from pipeline.clean.fold import matching_form
from pipeline.grammar.words import tokenizer

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


def _data(name: str) -> str:
    return (resources.files("pipeline.bank") / "data" / name).read_text(encoding="utf-8")


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
    """Width, case, punctuation and script folded: the form two copies of a question share, whether
    printed in simplified or traditional characters (會計憑證 and 会计凭证 are one question)."""
    return _PUNCT.sub(" ", matching_form(unicodedata.normalize("NFKC", text)).lower()).strip()


def _cut(text: str) -> list[str]:
    return tokenizer().cut(text, hmm=False)


def tokens(text: str) -> list[str]:
    """Content tokens: jieba words (no HMM, so deterministic), synonyms folded, stop words dropped."""
    return list(_tokens(text))


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[str, ...]:
    """Each distinct text is tokenised once per process: a crawl repeats its questions many times."""
    table, stop = synonyms(), stopwords()
    out = []
    for word in _cut(normalise_stem(text)):
        word = word.strip()
        if not word or not _WORD.match(word):
            continue
        word = table.get(word, word)
        if word not in stop:
            out.append(word)
    return tuple(out)
