"""Printable DOCX exams (student and answer-key editions) from question sets, via python-docx.

Chinese typography done the way Word, WPS and LibreOffice all honour it: East Asian fonts set on
docDefaults and on every style used (python-docx's `font.name` writes only the Latin attributes,
and the default template's theme attributes would win), `w:lang w:eastAsia="zh-CN"`, A4 pages,
literal question labels (never Word auto-numbering), and a footer with real PAGE / NUMPAGES
fields. Output bytes are deterministic: the same set gives the same file.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from . import labels
from .models import Question, QuestionSet, Section

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
ANSWER_COLOR = RGBColor(0xA0, 0x1E, 0x1E)
NO_ANSWER = "※ 原文未提供答案"  # our own edition's chrome: generic.toml strips it when a DOCX is read back
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CN_ORDINALS = "一二三四五六七八九十"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def clean_xml_text(text: str | None) -> str:
    """Characters XML 1.0 forbids would make python-docx raise; they carry no text anyway."""
    return _XML_FORBIDDEN.sub("", text or "")


# --- fonts and page setup ------------------------------------------------------------------------
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
    return doc


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


# --- content ---------------------------------------------------------------------------------------
def _score_text(value: int | float | None) -> str:
    return "" if value is None else f"{value:g}"


def section_heading(section: Section, index: int) -> str | None:
    if section.heading is None and not section.name:
        return None
    ordinal = section.ordinal or (CN_ORDINALS[index] if index < len(CN_ORDINALS) else str(index + 1))
    name = section.name or section.heading or ""
    parts = []
    if section.count_declared is not None:
        parts.append(f"共{section.count_declared}题")
    if section.score_each is not None:
        parts.append(f"每题{_score_text(section.score_each)}分")
    total = section.score_total
    if total is None and section.score_each is not None and section.count_declared:
        total = section.score_each * section.count_declared  # the printed heading states the sum
    if total is not None:
        parts.append(f"共{_score_text(total)}分")
    return f"{ordinal}、{name}" + (f"（{'，'.join(parts)}）" if parts else "")  # printed in Chinese punctuation


def question_label(q: Question, position: int) -> str:
    """The source's own label where it is a word label (题目1, 第一题), so numbering stays as printed."""
    parsed = labels.question_label(q.label) if q.number and q.label else None
    if parsed is not None and parsed.family in labels.WORD_FAMILIES:
        return f"{q.label} "
    if q.number:
        return f"{q.number}."
    if q.label and not q.label[0].isdigit():
        return q.label if q.label.endswith((":", "☆", "★", "】")) else f"{q.label} "
    return f"{position}."


def _answer_lines(q: Question) -> int:
    """Writing space for open questions, sized by score and stem; none where a mark is enough."""
    if q.kind in {"choice", "true_false", "fill_blank"}:
        return 0
    by_score = int(q.score or 0) // 2
    return max(3, min(12, by_score or 3 + len(q.stem) // 120 + len(q.sub_items)))


def _options(doc: DocumentType, q: Question) -> None:
    texts = [f"{o.label}. {clean_xml_text(o.text)}" for o in q.options]
    longest = max((len(t) for t in texts), default=0)
    per_line = 4 if longest <= 10 else 2 if longest <= 22 else 1
    for i in range(0, len(texts), per_line):
        p = doc.add_paragraph("\u3000\u3000".join(texts[i:i + per_line]))
        p.paragraph_format.left_indent = Cm(0.74)


def _key_paragraph(doc: DocumentType, tag: str, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = Cm(0.74)
    label = p.add_run(f"【{tag}】")
    label.bold = True
    label.font.color.rgb = ANSWER_COLOR
    body = p.add_run(clean_xml_text(text))
    body.font.color.rgb = ANSWER_COLOR


def student_stem(q: Question) -> str:
    """The stem as a student sees it: an answer the page printed inside it ('(B )', '__B__',
    '(支部大会)') is blanked; the published stem keeps the page's text."""
    if not q.answer or q.answer_source not in {"stem_bracket", "stem_blank"}:
        return q.stem
    keys = {part.strip() for part in q.answer.split(";")}

    def blank(m: re.Match[str]) -> str:
        if m.group(1).strip() not in keys:
            return m.group(0)
        return "____" if m.group(0).startswith("_") else "（    ）"

    stem = q.stem
    for pattern in (labels.BRACKET_CHOICE, labels.FILLED_BLANK, labels.FILLED_BRACKET):
        stem = pattern.sub(blank, stem)
    return stem


def add_question(doc: DocumentType, q: Question, position: int, answers: bool) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(6)
    p.add_run(question_label(q, position)).bold = True
    p.add_run(clean_xml_text(q.stem if answers else student_stem(q)))
    if q.score is not None:
        p.add_run(f"（{_score_text(q.score)}分）")
    for item in q.sub_items:
        sub = doc.add_paragraph(clean_xml_text(item))
        sub.paragraph_format.left_indent = Cm(0.74)
    if q.options:
        _options(doc, q)
    if answers:
        if q.answer:
            _key_paragraph(doc, labels.FIELD_TITLES["answer"], q.answer)
        else:
            marker = doc.add_paragraph()
            marker.paragraph_format.left_indent = Cm(0.74)
            marker.add_run(NO_ANSWER).italic = True  # marked as missing, never invented
        if q.analysis:
            _key_paragraph(doc, labels.FIELD_TITLES["analysis"], q.analysis)
        if q.scoring_points:
            _key_paragraph(doc, labels.FIELD_TITLES["scoring"], "")
            for point in q.scoring_points:
                doc.add_paragraph(clean_xml_text(point)).paragraph_format.left_indent = Cm(1.48)
    else:
        for _ in range(_answer_lines(q)):
            doc.add_paragraph("_" * 48).paragraph_format.left_indent = Cm(0.74)


@dataclass
class Exam:
    title: str
    sections: list[Section]


class _Base(threading.local):
    """One configured document per thread, emptied and refilled for each exam.

    Building the template (styles, fonts, footer fields) costs more than the exam itself, and
    every part but the body is the same for every exam: those parts are serialised once.
    """

    def __init__(self) -> None:
        self.doc = new_document()
        self.static: dict[str, bytes] = {}

    def fresh(self) -> DocumentType:
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        return self.doc

    def package(self) -> bytes:
        """The .docx bytes, zip entries written in python-docx's order with a fixed timestamp."""
        package = self.doc.part.package
        parts = list(package.iter_parts())
        main = self.doc.part.partname
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            def put(name: str, blob: bytes) -> None:
                info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, blob, compresslevel=1)  # fast; the size difference is small

            if "[Content_Types].xml" not in self.static:
                self.static["[Content_Types].xml"] = _ContentTypesItem.from_parts(parts).blob
                self.static["_rels/.rels"] = package.rels.xml
            put("[Content_Types].xml", self.static["[Content_Types].xml"])
            put("_rels/.rels", self.static["_rels/.rels"])
            for part in parts:
                name = part.partname.membername
                if part.partname == main:
                    put(name, part.blob)
                else:
                    if name not in self.static:
                        self.static[name] = part.blob
                    put(name, self.static[name])
                if len(part.rels):
                    rels_name = part.partname.rels_uri.membername
                    if rels_name not in self.static:
                        self.static[rels_name] = part.rels.xml
                    put(rels_name, self.static[rels_name])
        return out.getvalue()


_BASE: _Base | None = None


def _base() -> _Base:
    global _BASE
    if _BASE is None:
        _BASE = _Base()
    return _BASE


def render(exam: Exam, answers: bool = False, header_block: bool = True) -> bytes:
    base = _base()
    doc = base.fresh()
    title = doc.add_paragraph(clean_xml_text(exam.title) + ("（答案卷）" if answers else ""), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if header_block and not answers:
        info = doc.add_paragraph("姓名：__________\u3000班级：__________\u3000得分：__________")
        info.alignment = WD_ALIGN_PARAGRAPH.CENTER
    position = 0
    for index, section in enumerate(exam.sections):
        heading = section_heading(section, index)
        if heading:
            doc.add_paragraph(clean_xml_text(heading), style="Heading 1")
        if not section.questions:
            doc.add_paragraph("（本部分没有题目）")
        for q in section.questions:
            position += 1
            add_question(doc, q, position, answers)
    return base.package()


def exam_of(qset: QuestionSet) -> Exam:
    return Exam(title=qset.title or "试题", sections=list(qset.sections))


def render_set(qset: QuestionSet) -> tuple[bytes, bytes]:
    """(student edition, answer-key edition) of one question set."""
    exam = exam_of(qset)
    return render(exam, answers=False), render(exam, answers=True)


def compose(sets: Iterable[QuestionSet], title: str | None = None, sections: list[str] | None = None,
            shuffle_seed: int | None = None) -> Exam:
    """One exam from several sets: chosen sections, questions renumbered, totals recomputed."""
    import random

    rng = random.Random(shuffle_seed)
    chosen: list[Section] = []
    sets = list(sets)
    for qset in sets:
        for s in qset.sections:
            if sections and not any(sel in (s.ordinal or "") or sel in (s.heading or "") for sel in sections):
                continue
            questions = list(s.questions)
            if shuffle_seed is not None:
                rng.shuffle(questions)
            renumbered = [q.model_copy(update={"number": str(i), "label": None}) for i, q in enumerate(questions, 1)]
            scores = [q.score for q in renumbered]
            total = sum(x for x in scores if x is not None) if renumbered and None not in scores else None
            chosen.append(s.model_copy(update={
                "questions": renumbered, "count_declared": len(renumbered), "score_total": total,
                "ordinal": CN_ORDINALS[len(chosen)] if len(chosen) < len(CN_ORDINALS) else str(len(chosen) + 1),
                "score_each": s.score_each if all(x == s.score_each for x in scores) else None,
            }))
    default_title = sets[0].title if len(sets) == 1 and sets[0].title else "组合试卷"
    return Exam(title=title or default_title, sections=chosen)
