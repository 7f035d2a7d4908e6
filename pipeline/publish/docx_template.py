"""The DOCX editions' template, authored with python-docx: `python -m pipeline.publish.docx_template`
writes pipeline/publish/data/template.docx, which `render_docx` reads (so that rendering never imports
python-docx: 0.19 s of every run that publishes DOCX). A test checks the stored file is what this
module builds now; after editing it, run the command again.

Chinese typography done the way Word, WPS and LibreOffice all honour it: East Asian fonts set on
docDefaults and on every style used (python-docx's `font.name` writes only the Latin attributes,
and the default template's theme attributes would win), `w:lang w:eastAsia="zh-CN"`, A4 pages,
and a footer with real PAGE / NUMPAGES fields.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from pipeline.publish.docx import BODY_FONT, HEADING_FONT, LATIN_FONT  # the faces live with the renderer

STORED = Path(__file__).resolve().parent / "data" / "template.docx"


def _set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Latin and East Asian faces on one w:rPr, theme attributes removed, zh-CN language."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # theme attributes beat explicit names (python-docx #1601)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _child(parent, tag: str, index: int | None = None):
    """The first `tag` child of `parent`, created (at `index`, else last) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if index is None:
            parent.append(found)
        else:
            parent.insert(index, found)
    return found


def _doc_defaults_rpr(doc: DocumentType):
    """styles.xml w:docDefaults/w:rPrDefault/w:rPr: what every run inherits."""
    defaults = _child(doc.styles.element, "w:docDefaults", 0)
    return _child(_child(defaults, "w:rPrDefault", 0), "w:rPr")


def new_document() -> DocumentType:
    doc = Document()
    _set_fonts(_doc_defaults_rpr(doc), BODY_FONT)
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.line_spacing = 1.25
    for name in ("Title", "Heading 1", "Heading 2"):
        style = doc.styles[name]
        _set_fonts(style.element.get_or_add_rPr(), HEADING_FONT)
        style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Title"].font.size = Pt(18)
    doc.styles["Heading 1"].font.size = Pt(12)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.0)
    _page_footer(section)
    _slim(doc)
    return doc


# python-docx's default template carries parts no exam uses (Word 2010's stylesWithEffects, web
# settings, a customXml item, a thumbnail) and 164 styles with 137 latent-style entries: most of
# every edition's bytes (the seeds' editions: 56 KB → 11–14 KB). What stays: the styles the
# editions name, what those are based on or linked to, and the defaults.
_UNUSED_PARTS = frozenset({"stylesWithEffects", "webSettings", "customXml", "thumbnail"})
_STYLES_NAMED = frozenset({"Normal", "Title", "Heading1", "Heading2", "Footer"})
_STYLE_LINKS = ("w:basedOn", "w:link", "w:next")


def _slim(doc: DocumentType) -> None:
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.rsplit("/", 1)[-1] in _UNUSED_PARTS]:
            rels.pop(rid)
    styles = doc.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    wanted = set(_STYLES_NAMED) | {i for i, style in by_id.items() if style.get(qn("w:default")) == "1"}
    todo = list(wanted)
    while todo:
        style = by_id.get(todo.pop())
        links = [style.find(qn(tag)) for tag in _STYLE_LINKS] if style is not None else []
        for target in {link.get(qn("w:val")) for link in links if link is not None} - wanted:
            wanted.add(target)
            todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles.remove(style)


def _field(paragraph, instruction: str) -> None:
    """A complex field (begin / instrText / separate / cached result / end), each in its own run."""
    def run_with(element) -> None:
        paragraph.add_run()._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run("1")  # cached result until the reader lays the pages out
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" 页 共 ")
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(" 页")


def members() -> list[tuple[str, bytes]]:
    """The package's parts as python-docx writes them, in its order: (zip member name, bytes)."""
    doc = new_document()
    package = doc.part.package
    parts = list(package.iter_parts())
    found = [("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob), ("_rels/.rels", package.rels.xml)]
    for part in parts:
        found.append((part.partname.membername, part.blob))
        if len(part.rels):
            found.append((part.partname.rels_uri.membername, part.rels.xml))
    return found


def stored_members(path: Path = STORED) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def write(path: Path = STORED) -> None:
    """The template as a deterministic zip (fixed dates): the same code writes the same bytes."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as package:
        for name, data in members():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            package.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(path)


if __name__ == "__main__":
    write()
    print(f"wrote {STORED}", file=sys.stderr)
