"""Read step: raw bytes → decoded text (txt, html) with its encoding.

Nothing here knows about sites or questions; it only turns bytes into text, or rejects them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from pipeline.errors import Rejected

BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip archive",
    b"\xd0\xcf\x11\xe0": "OLE2 (legacy .doc/.xls) file",
    b"Rar!": "RAR archive",
    b"7z\xbc\xaf": "7z archive",
}
# Pages from these sites come in these encodings; limiting the detector keeps it fast and sane.
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_8", "utf_16", "shift_jis", "euc_kr", "cp1252"]
_HTML_SNIFF = re.compile(rb"<\s*(?:!doctype\s+html|html|body|head|div|p|table)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    format: str  # "txt" | "html" | "docx"
    removed: tuple[tuple[str, str], ...] = ()  # (rule, what) of anything dropped before the text was taken


def sniff_format(name: str, raw: bytes) -> str:
    lower = name.lower()
    if lower.endswith(".docx"):
        return "docx"
    if lower.endswith((".html", ".htm", ".shtml", ".shtm")):
        return "html"
    if _HTML_SNIFF.search(raw[:2048]):
        return "html"
    return "txt"


def check_binary(raw: bytes) -> None:
    for magic, kind in BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise Rejected("binary", f"binary content ({kind}), not a text page")
    head = raw[:8192]
    if head.count(b"\x00") > max(4, len(head) // 100) and not _looks_utf16(head):
        raise Rejected("binary", "binary content (NUL bytes), not a text page")


def _looks_utf16(head: bytes) -> bool:
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


MAX_HTML_TAGS = 250_000  # real pages have a few thousand; past this an HTML "bomb" would eat memory


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 first (it is strict, so a pass is reliable), then detection."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if _looks_utf16(raw):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3 and exc.reason == "unexpected end of data":
            return raw[: exc.start].decode("utf-8"), "utf-8"  # a cut-off last character: drop it
    mixed = _mixed_lines(raw)
    if mixed is not None:
        return mixed
    declared = _META_CHARSET.search(raw[:4096])
    if declared:
        enc = _canonical(declared.group(1).decode("ascii", "ignore"))
        try:
            return raw.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(raw[:200_000], cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise Rejected("undecodable", "no text encoding fits these bytes")
    enc = _canonical(best.encoding)
    text = raw.decode(enc, errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 50):
        raise Rejected("undecodable", f"bytes do not decode cleanly as {enc}")
    return text, enc


def _mixed_lines(raw: bytes) -> tuple[str, str] | None:
    """Files glued from UTF-8 and GB18030 pieces: decode line by line when both kinds occur."""
    lines = raw.split(b"\n")
    utf8 = legacy = 0
    decoded = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode("gb18030"))
                legacy += 1
            except UnicodeDecodeError:
                return None
    if utf8 and legacy:
        return "\n".join(decoded), "mixed:utf-8+gb18030"
    return None


def _canonical(encoding: str) -> str:
    """GBK and GB2312 pages routinely use GB18030-only characters; GB18030 is their superset."""
    name = encoding.lower().replace("-", "_")
    if name in {"gbk", "gb2312", "gb_2312", "cp936", "gb18030"}:
        return "gb18030"
    return name


def read_bytes(name: str, raw: bytes) -> Decoded:
    if not raw.strip():
        raise Rejected("empty", "the file is empty or holds only white space")
    fmt = sniff_format(name, raw)
    if fmt == "docx":
        from pipeline.read.docx import docx_text  # imported lazily: python-docx is only needed for .docx

        return Decoded(docx_text(raw), "docx", "docx")
    check_binary(raw)
    text, encoding = decode(raw)
    if fmt == "html":
        from pipeline.read.html import bounded, html_text

        if raw.count(b"<") > MAX_HTML_TAGS:
            raise Rejected("html_too_complex", f"more than {MAX_HTML_TAGS} tags: refused before parsing")
        text, emptied = bounded(text)
        text = html_text(text)
        removed = tuple(("oversized_attribute", f"an attribute value of {n} characters (inline data)")
                        for n in emptied)
    if not text.strip():
        raise Rejected("no_text", "the page holds no text")
    return Decoded(text, encoding, fmt, removed if fmt == "html" else ())
