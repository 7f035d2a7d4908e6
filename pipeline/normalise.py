"""Normalise step: NFKC width folding, control and zero-width characters out, tidy line ends."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline, zero-width characters, BOM, bidi marks, soft hyphen.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TRAILING = re.compile(r"[ \t]+\n")
# Private-use glyphs come from icon fonts in scraped pages; they carry no text.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _PRIVATE_USE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\t", " ")
    return _TRAILING.sub("\n", text).strip("\n ") + "\n" if text.strip() else ""
