"""DOCX → text: paragraphs and tables in document order, Word's own list numbers, footers.

Field codes are read as their result, never as their instruction text (`PAGE`, `NUMPAGES`): a
text extractor that dumps `w:instrText` is where book118's `第PAGE页共NUMPAGES页` comes from.
Zip bombs and non-zip files are rejected before any XML is parsed; XML entities are not resolved.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict

from lxml import etree

from pipeline.errors import Rejected

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200  # deflate of real documents stays far below this; zip bombs do not
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
CN_NUMERALS = "零一二三四五六七八九十"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _check_zip(raw: bytes) -> zipfile.ZipFile:
    if not raw.startswith(b"PK"):
        raise Rejected("bad_docx", "a .docx file that is not a zip archive")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise Rejected("bad_docx", f"a broken zip archive: {exc}") from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise Rejected("zip_bomb", f"unpacks to {total} bytes from {packed} (ratio {total / packed:.0f}): refused")
    if "word/document.xml" not in archive.namelist():
        raise Rejected("bad_docx", "no word/document.xml in the archive")
    return archive


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    if name not in archive.namelist():
        return None
    try:
        return etree.fromstring(archive.read(name), PARSER)
    except etree.XMLSyntaxError as exc:
        raise Rejected("bad_docx", f"{name} is not well-formed XML: {exc}") from exc


def _run_text(p: etree._Element) -> str:
    """Visible text of a paragraph: w:t (field results included), tabs and breaks; no instrText."""
    parts: list[str] = []
    for el in p.iter(_q("t"), _q("tab"), _q("br"), _q("cr")):
        if any(a.tag == _q("del") for a in el.iterancestors()):
            continue
        if el.tag == _q("t"):
            parts.append(el.text or "")
        elif el.tag == _q("tab"):
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


# --- numbering -----------------------------------------------------------------------------------
# numFmt values Word shows as 一, 二, 三 …: chineseCounting(Thousand), ideographTraditional…, taiwaneseCounting,
# japaneseCounting (a Chinese paper made in a Japanese-locale Word: '%1、' → 一、)
CJK_COUNTING = ("chinese", "ideograph", "taiwaneseCounting", "japaneseCounting")
def _format(value: int, fmt: str) -> str:
    if fmt in {"upperLetter", "lowerLetter"}:
        letter = chr(ord("A") + (value - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in {"upperRoman", "lowerRoman"} and 0 < value < 4000:  # past that no roman numeral (10^15 was 4 GB)
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt.startswith(CJK_COUNTING):  # Word offers the same 一、二 … under several names
        return _chinese(value)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "bullet":
        return ""
    return str(value)


def _roman(value: int) -> str:
    out = []
    for n, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= n:
            out.append(s)
            value -= n
    return "".join(out)


def _chinese(value: int) -> str:
    if value < 10:
        return CN_NUMERALS[value]
    tens, ones = divmod(value, 10)
    if value < 100:
        return ("" if tens == 1 else CN_NUMERALS[tens]) + "十" + (CN_NUMERALS[ones] if ones else "")
    return str(value)


class Numbering:
    """Word's automatic list numbers, computed as Word displays them (the text layer lacks them)."""

    def __init__(self, root: etree._Element | None, styles: etree._Element | None = None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
        self.style_num: dict[str, etree._Element] = {}  # list styles ("List Number") carry numPr themselves
        for style in styles.findall("w:style", NS) if styles is not None else ():
            num_pr = style.find("w:pPr/w:numPr", NS)
            if num_pr is not None:
                self.style_num[style.get(_q("styleId"), "")] = num_pr
        if root is None:
            return
        abstract = {}
        for a in root.findall("w:abstractNum", NS):
            levels = {}
            for lvl in a.findall("w:lvl", NS):
                ilvl = int(lvl.get(_q("ilvl"), "0"))
                fmt = lvl.find("w:numFmt", NS)
                text = lvl.find("w:lvlText", NS)
                start = lvl.find("w:start", NS)
                levels[ilvl] = (fmt.get(_q("val"), "decimal") if fmt is not None else "decimal",
                                text.get(_q("val"), "") if text is not None else "",
                                int(start.get(_q("val"), "1")) if start is not None else 1)
            abstract[a.get(_q("abstractNumId"))] = levels
        for num in root.findall("w:num", NS):
            ref = num.find("w:abstractNumId", NS)
            if ref is not None:
                self.levels[num.get(_q("numId"))] = abstract.get(ref.get(_q("val")), {})

    def label(self, p: etree._Element) -> str:
        num_pr = p.find("w:pPr/w:numPr", NS)
        if num_pr is None:
            style = p.find("w:pPr/w:pStyle", NS)
            num_pr = self.style_num.get(style.get(_q("val"), "")) if style is not None else None
        if num_pr is None:
            return ""
        num_id_el, ilvl_el = num_pr.find("w:numId", NS), num_pr.find("w:ilvl", NS)
        num_id = num_id_el.get(_q("val")) if num_id_el is not None else None
        ilvl = int(ilvl_el.get(_q("val"), "0")) if ilvl_el is not None else 0
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters[num_id or ""]
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return ""
        return re.sub(r"%(\d)", lambda m: _format(counters[int(m.group(1)) - 1] or 1,
                                                  levels.get(int(m.group(1)) - 1, (fmt,))[0]), text)


def _block_lines(body: etree._Element, numbering: Numbering) -> list[str]:
    lines: list[str] = []
    for el in body:
        if el.tag == _q("p"):
            text = _run_text(el)
            label = numbering.label(el)
            lines.append(f"{label}{text}" if label else text)
        elif el.tag == _q("tbl"):
            for row in el.iter(_q("tr")):
                cells = [" ".join(_run_text(p) for p in cell.iter(_q("p"))).strip() for cell in row.iter(_q("tc"))]
                lines.append("  ".join(c for c in cells if c))
        elif el.tag == _q("sdt"):
            content = el.find("w:sdtContent", NS)
            if content is not None:
                lines += _block_lines(content, numbering)
    return lines


def docx_text(raw: bytes) -> str:
    archive = _check_zip(raw)
    document = _xml(archive, "word/document.xml")
    body = document.find("w:body", NS) if document is not None else None
    if body is None:
        raise Rejected("bad_docx", "the document has no body")
    numbering = Numbering(_xml(archive, "word/numbering.xml"), _xml(archive, "word/styles.xml"))
    lines = _block_lines(body, numbering)
    for name in sorted(n for n in archive.namelist() if re.match(r"word/footer\d*\.xml$", n)):
        footer = _xml(archive, name)
        if footer is not None:
            lines += [_run_text(p) for p in footer.iter(_q("p"))]
    return "\n".join(lines)
