"""Printable DOCX exams (student and answer-key editions) from question sets.

The template (styles with East Asian fonts, settings, numbering, the footer with its PAGE /
NUMPAGES fields, content types) is what python-docx authored in `docx_template.py`, stored as
pipeline/publish/data/template.docx and read once per process; each exam writes only its body as
WordprocessingML text and zips it after the template's parts, which are compressed once. Rendering
never imports python-docx (tests read every edition back with it). Questions carry literal labels
(never Word auto-numbering). Output bytes are deterministic: the same set gives the same file.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from pipeline.clean import fold
from pipeline.grammar import labels
from pipeline.limits import LINE_CACHE
from pipeline.models import Question, QuestionSet, Section

ANSWER_COLOR = "A01E1E"  # the answer key's dark red
# Faces by the names Word writes on Windows and macOS, which LibreOffice's font replacement table maps to a
# Chinese serif and sans (Noto Serif / Sans CJK) on Linux; '宋体' and '黑体' are known there only in Chinese
# and were replaced by a Japanese sans.
BODY_FONT, HEADING_FONT, LATIN_FONT = "SimSun", "SimHei", "Times New Roman"
DOCUMENT = "word/document.xml"  # the package part each edition writes
TEMPLATE = "data/template.docx"  # below pipeline/: styles, fonts, footer fields (authored by docx_template.py)
NO_ANSWER = "※ 原文未提供答案"  # our own edition's chrome: generic.toml strips it when a DOCX is read back
CUT_BEFORE_ANSWER = "※ 原文预览至此截断，未见答案"  # the answers were to come after the cut (also stripped)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CN_ORDINALS = "一二三四五六七八九十"


def clean_xml_text(text: str | None) -> str:
    """Characters XML 1.0 forbids would make python-docx raise; they carry no text anyway."""
    return _XML_FORBIDDEN.sub("", text or "")


# --- content ---------------------------------------------------------------------------------------
def _score_text(value: int | float | None) -> str:
    return "" if value is None else f"{value:g}"


def say(text: str, traditional: bool) -> str:
    """A word we generate ('每题', '答案'), in the exam's own script."""
    return fold.traditional(text) if traditional and text else text


def section_heading(section: Section, index: int, traditional: bool = False) -> str | None:
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
    declared = say(f"（{'，'.join(parts)}）", traditional) if parts else ""
    return f"{ordinal}、{name}" + declared  # printed in Chinese punctuation


def question_label(q: Question, position: int) -> str:
    """The source's own label where it is a word label (题目1, 第一题), so numbering stays as printed."""
    if q.number and q.label and _is_word_label(q.label):
        return f"{q.label} "
    if q.number:
        return numbered(q.number, q.stem)
    if q.label and not q.label[0].isdigit():
        return q.label if q.label.endswith((":", "☆", "★", "】")) else f"{q.label} "
    return numbered(str(position), q.stem)


def numbered(number: str, stem: str) -> str:
    """'1.', or '1、' before a stem that opens with a digit: '1.3片8259A' would read as 1.3."""
    return f"{number}、" if stem[:1].isdigit() else f"{number}."


@functools.lru_cache(maxsize=4096)
def _is_word_label(label: str) -> bool:
    """Labels repeat across sets (1., 2., 第一题 …): each is parsed once."""
    parsed = labels.question_label(label)
    return parsed is not None and parsed.family in labels.WORD_FAMILIES


def _answer_lines(q: Question) -> int:
    """Writing space for open questions, sized by score and stem; none where a mark is enough."""
    if q.kind in {"choice", "true_false", "fill_blank"}:
        return 0
    base = int(q.score or 0) // 2 or 3 + len(q.stem) // 120  # a line per 2 points, else by the stem's length
    return max(3, min(14, base + len(q.sub_items)))  # and a line for each requirement the stem lists


# --- the body, written as WordprocessingML text ------------------------------------------------------
# python-docx builds the template (styles, fonts, footer fields) once; an exam's body is written here
# as text, element for element what python-docx's add_paragraph / add_run wrote (when this replaced
# them, all 104 editions of the seeds and the dev set were byte-identical; the golden digest pins
# the bytes since, and test_docx reads every edition back with python-docx), ~40× faster.
INDENT = 420  # twips (0.74 cm): options, sub-items, keys and writing lines
INDENT_2 = 839  # twips (1.48 cm): scoring points
SPACE_BEFORE = 120  # twips (6 pt): before each question
RULE_SPACE = 200  # twips (10 pt): above each writing line
_RUN_BREAKS = re.compile(r"([\t\r\n])")
_HAS_BREAK = re.compile(r"[\t\r\n]")
_BREAKS = frozenset("\t\r\n")


# A writing line: an empty paragraph ruled along its bottom, margin to margin (not a row of underscores,
# whose length depends on the font and which a reader's text extraction takes for content).
# Consecutive paragraphs with one border are one bordered group to Word and LibreOffice: the rule
# between them is the `between` border, the last one's the `bottom`.
_RULE = 'w:val="single" w:sz="4" w:space="1" w:color="808080"'
RULED_LINE = (f'<w:p><w:pPr><w:pBdr><w:bottom {_RULE}/><w:between {_RULE}/></w:pBdr>'
              f'<w:spacing w:before="{RULE_SPACE}"/></w:pPr></w:p>')


@functools.lru_cache(maxsize=LINE_CACHE)
def _run(text: str | None, bold: bool = False, italic: bool = False, color: str | None = None) -> str:
    """One w:r as python-docx writes it: tabs and line breaks as elements, preserve-space when needed."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + (f'<w:color w:val="{color}"/>' if color else "")
    text = clean_xml_text(text)
    if _HAS_BREAK.search(text):
        content = "".join(_break(piece) if piece in _BREAKS else _text(piece)
                          for piece in _RUN_BREAKS.split(text) if piece)
    else:
        content = _text(text) if text else ""  # most runs: one w:t
    inner = (f"<w:rPr>{props}</w:rPr>" if props else "") + content
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def _break(piece: str) -> str:
    return "<w:tab/>" if piece == "\t" else "<w:br/>"


def _text(piece: str) -> str:
    space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
    return f"<w:t{space}>{_escaped(piece)}</w:t>"


def _escaped(text: str) -> str:
    """XML's three escapes (str.replace: a find where, as usual, there is nothing to replace;
    str.translate walks every character of a Chinese text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraph(*runs: str, style: str | None = None, center: bool = False, before: int | None = None,
               indent: int | None = None) -> str:
    props = ((f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:spacing w:before="{before}"/>' if before else "")
             + (f'<w:ind w:left="{indent}"/>' if indent else "") + ('<w:jc w:val="center"/>' if center else ""))
    inner = (f"<w:pPr>{props}</w:pPr>" if props else "") + "".join(runs)
    return f"<w:p>{inner}</w:p>" if inner else "<w:p/>"


def _text_paragraph(text: str, **props: object) -> str:
    """`add_paragraph(text)`: no run at all for empty text."""
    return _paragraph(*((_run(text),) if text else ()), **props)  # type: ignore[arg-type]


def _options(q: Question) -> list[str]:
    texts = [f"{o.label}. {clean_xml_text(o.text)}" for o in q.options]
    longest = max((len(t) for t in texts), default=0)
    per_line = 4 if longest <= 10 else 2 if longest <= 22 else 1
    return [_text_paragraph("\u3000\u3000".join(texts[i:i + per_line]), indent=INDENT)
            for i in range(0, len(texts), per_line)]


def _key_paragraph(tag: str, text: str) -> str:
    return _paragraph(_run(f"【{tag}】", bold=True, color=ANSWER_COLOR), *_marks(text, color=ANSWER_COLOR),
                      indent=INDENT)


MARKS = re.compile(r"([√×✓✗✔✘])")
# √ and × in the East Asian face on every slot: in the Latin face (Times New Roman) √ is a maths radical
_MARK_FONTS = '<w:rFonts w:ascii="{0}" w:hAnsi="{0}" w:eastAsia="{0}" w:cs="{0}" w:hint="eastAsia"/>'


def _marks(text: str, color: str | None = None) -> list[str]:
    """The runs of a text, a judgement mark (√ ×) in a run of its own in the body's East Asian face."""
    if not MARKS.search(text):
        return [_run(text, color=color)]
    return [_mark_run(piece, color) if MARKS.fullmatch(piece) else _run(piece, color=color)
            for piece in MARKS.split(text) if piece]


def _mark_run(mark: str, color: str | None) -> str:
    props = _MARK_FONTS.format(BODY_FONT) + (f'<w:color w:val="{color}"/>' if color else "")
    return f"<w:r><w:rPr>{props}</w:rPr>{_text(mark)}</w:r>"


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


FILL_BLANK_LINE = "答：" + "_" * 24  # where a fill-in question's blanks were lost in the scrape
_BLANK = re.compile(r"_{2,}|（\s*）|\(\s*\)")


Heads = dict[tuple[int, int], tuple[str, list[str]]]  # (position, id of the question) → (stem, its head)


JUDGE_BRACKET = "（    ）"  # where a student marks √ or × on a judgement item that printed none
_HAS_BRACKET = re.compile(r"[(（]\s*[)）]\s*[。.]?$")


def question_head(q: Question, position: int, stem: str, traditional: bool = False) -> list[str]:
    """What both editions print of a question: label, stem and score, its sub-items, its options."""
    score = (_run(say(f"（{_score_text(q.score)}分）", traditional)),) if q.score is not None else ()
    mark = (_run(JUDGE_BRACKET),) if q.kind == "true_false" and not _HAS_BRACKET.search(stem) else ()
    out = [_paragraph(_run(question_label(q, position), bold=True), *_marks(stem), *mark, *score,
                      before=SPACE_BEFORE)]
    out += [_text_paragraph(clean_xml_text(item), indent=INDENT) for item in q.sub_items]
    if q.options:
        out += _options(q)
    return out


def question_xml(q: Question, position: int, answers: bool, fill_in: bool = False,
                 heads: Heads | None = None, traditional: bool = False, cut_off: bool = False) -> list[str]:
    """`fill_in`: the question is under a fill-in heading (填空): a blank to write in, not ruled lines.
    `heads`: the heads one edition wrote, reused by the other where its stem is the same.
    `traditional`: the words we print are in traditional script. `cut_off`: the preview ends before
    its answer would come."""
    stem = q.stem if answers else student_stem(q)
    known = heads.get((position, id(q))) if heads is not None else None
    if known is not None and known[0] == stem:
        out = list(known[1])
    else:
        out = question_head(q, position, stem, traditional)
        if heads is not None:
            heads[(position, id(q))] = (stem, out[:])
    if not answers:
        if fill_in or q.kind == "fill_blank":
            blank = [] if _BLANK.search(q.stem) else [_text_paragraph(say(FILL_BLANK_LINE, traditional), indent=INDENT)]
            return out + blank
        return out + [RULED_LINE] * _answer_lines(q)
    if q.answer:
        out.append(_key_paragraph(say(labels.FIELD_TITLES["answer"], traditional), q.answer))
    else:  # marked as missing, never invented; where the preview ends first, said so
        out.append(_paragraph(_run(say(CUT_BEFORE_ANSWER if cut_off else NO_ANSWER, traditional), italic=True),
                              indent=INDENT))
    if q.analysis:
        out.append(_key_paragraph(say(labels.FIELD_TITLES["analysis"], traditional), q.analysis))
    if q.scoring_points:
        out.append(_key_paragraph(say(labels.FIELD_TITLES["scoring"], traditional), ""))
        out += [_text_paragraph(clean_xml_text(point), indent=INDENT_2) for point in q.scoring_points]
    return out


@dataclass
class Exam:
    title: str
    sections: list[Section]
    note: str | None = None  # printed under the title: what the exam leaves out, e.g. a cut preview's end
    traditional: bool = False  # the sets are in traditional script: so are the words we print
    before: list[str] = field(default_factory=list)  # the author's text before the first part (注意事项 …)
    after: dict[str, list[str]] = field(default_factory=dict)  # question id → the author's text after it
    key_only: list[str] = field(default_factory=list)  # the answer part's text no question took: the key's end
    passages: dict[str, list[str]] = field(default_factory=dict)  # first question's id → the passage before it
    cut_off: frozenset[str] = frozenset()  # ids of the questions whose answers the preview cut off


def body_xml(exam: Exam, answers: bool = False, header_block: bool = True, heads: Heads | None = None) -> str:
    trad = exam.traditional
    title = clean_xml_text(exam.title) + (say("（答案卷）", trad) if answers else "")
    parts = [_text_paragraph(title, style="Title", center=True)]
    if exam.note:
        parts.append(_text_paragraph(clean_xml_text(exam.note), center=True))
    if header_block and not answers:
        parts.append(_text_paragraph(say("姓名：__________\u3000班级：__________\u3000得分：__________", trad),
                                     center=True))
    parts += [_paragraph(*_marks(clean_xml_text(text))) for text in exam.before]
    position = 0
    for index, section in enumerate(exam.sections):
        heading = section_heading(section, index, trad)
        if heading:
            parts.append(_text_paragraph(clean_xml_text(heading), style="Heading1"))
        parts += [_paragraph(*_marks(clean_xml_text(line))) for line in section.intro]  # 要求: 在括号内打√ …
        if not section.questions:
            parts.append(_text_paragraph(say("（本部分没有题目）", trad)))
        fill_in = bool(labels.FILL_IN_PART.search(section.name or ""))
        for q in section.questions:
            position += 1
            parts += [_paragraph(*_marks(clean_xml_text(line))) for line in exam.passages.get(q.id, ())]
            parts += question_xml(q, position, answers, fill_in, heads, trad, q.id in exam.cut_off)
            parts += [_paragraph(*_marks(clean_xml_text(text))) for text in exam.after.get(q.id, ())]
    if answers:
        parts += [_paragraph(*_marks(clean_xml_text(text))) for text in exam.key_only]
    return "".join(parts)


# --- the package -------------------------------------------------------------------------------------
class _Template:
    """The package's fixed parts, read once per process from pipeline/publish/data/template.docx (what
    python-docx authored: `docx_template.py`) and compressed once.

    Per exam only word/document.xml is new: the template's own document.xml with the body put in.
    """

    def __init__(self) -> None:
        stored = resources.files("pipeline.publish").joinpath(TEMPLATE).read_bytes()
        with zipfile.ZipFile(io.BytesIO(stored)) as package:
            entries = [(info.filename, package.read(info)) for info in package.infolist()]
        document = dict(entries)[DOCUMENT].decode("utf-8")
        open_body = document.index("<w:body>") + len("<w:body>")
        self.head, self.tail = document[:open_body], document[document.index("<w:sectPr", open_body):]
        # The fixed parts first, in the template's order, the document last: a package is then one
        # constant prefix, the document's record, and a directory whose fixed entries are constant too.
        fixed = [_deflated(name, blob) for name, blob in entries if name != DOCUMENT]
        self.prefix, self.directory = _records(fixed, 0)
        self.members = len(fixed) + 1

    def package(self, body: str) -> bytes:
        document = _deflated(DOCUMENT, (self.head + body + self.tail).encode("utf-8"))
        record, entry = _records([document], len(self.prefix))
        directory = self.directory + entry
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, self.members, self.members, len(directory),
                          len(self.prefix) + len(record), 0)
        return b"".join((self.prefix, record, directory, end))


@dataclass(frozen=True)
class _Member:
    name: bytes
    crc: int
    size: int
    data: bytes  # raw deflate stream


def _deflated(name: str, blob: bytes) -> _Member:
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)  # level 1: fast; the size difference is small
    return _Member(name.encode("utf-8"), zlib.crc32(blob), len(blob), compressor.compress(blob) + compressor.flush())


_DOS_TIME, _DOS_DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01 00:00:00: the same bytes every time
_MADE_BY, _MODE = 3 << 8 | 20, 0o600 << 16  # "Unix, zip 2.0" and rw-------: as zipfile writes them


def _records(members: list[_Member], offset: int) -> tuple[bytes, bytes]:
    """Already-deflated members as zip records (what zipfile writes), the first at `offset`:
    (their local records, their central-directory entries)."""
    local, central = [], []
    for m in members:
        fields = (20, 0, 8, _DOS_TIME, _DOS_DATE, m.crc, len(m.data), m.size, len(m.name))
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _MADE_BY, *fields, 0, 0, 0, 0, _MODE, offset) + m.name)
        record = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + m.name + m.data
        local.append(record)
        offset += len(record)
    return b"".join(local), b"".join(central)


_TEMPLATE: _Template | None = None
_TEMPLATE_LOCK = threading.Lock()


def _template() -> _Template:
    global _TEMPLATE
    with _TEMPLATE_LOCK:
        if _TEMPLATE is None:
            _TEMPLATE = _Template()
        return _TEMPLATE


def render(exam: Exam, answers: bool = False, header_block: bool = True, heads: Heads | None = None) -> bytes:
    return _template().package(body_xml(exam, answers, header_block, heads))


SENTENCE_END = tuple("。？！?!.）)」』”\"…；;")


CUT_MARK = "……（原文至此截断）"


def cut_field(qset: QuestionSet, q: Question) -> str | None:
    """Where a cut preview stops inside question `q`: "stem" or "options" (the question cannot be
    printed whole: left out unless asked for), "answer" or "analysis" (printed, marked as cut in the
    answer key), or None (not the question the cut falls in, or whole)."""
    if not qset.truncated or q is not _cut_question(qset):
        return None
    for name in ("analysis", "answer"):
        text = (getattr(q, name) or "").rstrip()
        if text:
            return None if text.endswith(SENTENCE_END) else name
    if _answers_apart(qset):
        return None  # the cut falls in the answer part: the question itself was printed whole before it
    if q.options:
        usual = Counter(len(x.options) for x in qset.questions() if x.options and x is not q).most_common(1)
        short = len(q.options) < (usual[0][0] if usual else FULL_OPTIONS)
        return "options" if short or not q.options[-1].text.strip() else None
    return None if q.stem.rstrip().endswith(SENTENCE_END) else "stem"


FULL_OPTIONS = 4  # a choice question's options where no other question of the set shows its count


def _answers_apart(qset: QuestionSet) -> bool:
    return any(x.answer_source == "answer_part" for x in qset.questions())


def _cut_question(qset: QuestionSet) -> Question | None:
    """The question a cut preview stops in: the last one, or where the answers stand in a part of
    their own after the questions, the last one answered."""
    questions = qset.questions()
    if _answers_apart(qset):
        answered = [x for x in questions if x.answer or x.analysis]
        return answered[-1] if answered else None
    return questions[-1] if questions else None


def answers_cut_off(qset: QuestionSet) -> list[Question]:
    """Questions without an answer because the preview ends before it: after the last answered
    question of a set that answers its questions."""
    questions = qset.questions()
    if not qset.truncated:
        return []
    last = max((i for i, x in enumerate(questions) if x.answer), default=None)
    return [] if last is None else [x for x in questions[last + 1:] if not x.answer]


def is_cut(qset: QuestionSet, q: Question) -> bool:
    return cut_field(qset, q) in ("stem", "options")


def _marked(qset: QuestionSet, q: Question) -> Question:
    field = cut_field(qset, q)
    if field in ("answer", "analysis"):
        return q.model_copy(update={field: (getattr(q, field) or "").rstrip() + CUT_MARK})
    return q


def printed_section(section: Section, questions: list[Question], ordinal: str | None = None,
                    declare: bool = False) -> Section:
    """A section as printed: the count and total its heading states are those of the questions
    printed, not the ones declared. `declare`: state them even where the page declared none."""
    scores = [q.score for q in questions]
    each = section.score_each if questions and all(x == section.score_each for x in scores) else None
    if each is None and section.score_each is not None and None in scores:
        each = section.score_each  # questions without their own score take the declared one
    total = sum(x for x in scores if x is not None) if questions and None not in scores else None
    if total is None and each is not None:
        total = each * len(questions)
    stated = declare or section.score_total is not None or section.score_each is not None
    return section.model_copy(update={
        "questions": questions, "score_each": each if stated else None, "score_total": total if stated else None,
        "count_declared": len(questions) if declare or section.count_declared is not None else None,
        "ordinal": ordinal or section.ordinal})


def exam_of(qset: QuestionSet, include_cut: bool = False) -> Exam:
    """The printable exam of one set: a cut preview prints only its complete questions (the one it
    stops in too with `include_cut`) and says so."""
    declared = sum(s.count_declared or 0 for s in qset.sections)
    printed_questions = _printed(qset, include_cut)
    sections = [printed_section(s, printed_questions[i]) for i, s in enumerate(qset.sections)]
    sections = [s for s, whole in zip(sections, qset.sections, strict=True) if s.questions or not whole.questions]
    printed = sum(len(s.questions) for s in sections)
    trad = fold.is_traditional(_sample(qset))
    note = None
    if qset.truncated:
        whole = f"原文共{declared}题" if declared > printed else "原文不完整"
        note = say(f"（节选：{whole}，本卷印出{printed}题）", trad)
    before, after, key_only = _author_text(qset)
    return Exam(title=qset.title or say("试题", trad), sections=sections, note=note, traditional=trad,
                cut_off=_cut_off_ids(qset), before=before, after=after, key_only=key_only,
                passages={p.questions[0]: p.text.splitlines() for p in qset.passages if p.questions})


def _author_text(qset: QuestionSet) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The set's text outside its questions where the page has it: before the first part, after a
    question (a passage before the questions it serves, directions, source lines), and the key's."""
    before: list[str] = []
    after: dict[str, list[str]] = {}
    key_only: list[str] = []
    for block in qset.content:
        if block.in_key:
            key_only.append(block.text)
        elif block.after_question is None:
            before.append(block.text)
        else:
            after.setdefault(block.after_question, []).append(block.text)
    return before, after, key_only


def _printed(qset: QuestionSet, include_cut: bool) -> list[list[Question]]:
    """Each section's questions as printed: marked where the cut falls in an answer, the question the
    cut stops in left out unless `include_cut`."""
    return [[_marked(qset, q) for q in s.questions if include_cut or not is_cut(qset, q)] for s in qset.sections]


def _cut_off_ids(qset: QuestionSet) -> frozenset[str]:
    return frozenset(x.id for x in answers_cut_off(qset))


SAMPLE = 4000  # characters of a set that tell its script


def _sample(qset: QuestionSet) -> str:
    return "".join([qset.title or "", *(q.stem for q in qset.questions())])[:SAMPLE]


def render_set(qset: QuestionSet) -> tuple[bytes, bytes]:
    """(student edition, answer-key edition) of one question set."""
    exam, heads = exam_of(qset), {}  # the two editions share what both print of each question
    return render(exam, answers=False, heads=heads), render(exam, answers=True, heads=heads)


def compose(sets: Iterable[QuestionSet], title: str | None = None, sections: list[str] | None = None,
            shuffle_seed: int | None = None, include_cut: bool = False) -> Exam:
    """One exam from several sets: chosen sections, sections of the same kind merged under one
    heading, questions renumbered, counts and totals recomputed; a cut question only when asked."""
    import random

    rng = random.Random(shuffle_seed)
    merged: dict[str, tuple[Section, list[Question]]] = {}  # kind (name or heading) → first section, questions
    sets = list(sets)
    cut_off: set[str] = set()
    for qset in sets:
        printed = _printed(qset, include_cut)
        cut_off |= _cut_off_ids(qset)
        for s, chosen in zip(qset.sections, printed, strict=True):
            if sections and not any(sel in (s.ordinal or "") or sel in (s.heading or "") for sel in sections):
                continue
            kind = s.name or s.heading or ""
            first, questions = merged.setdefault(kind, (s, []))
            questions += chosen
    chosen: list[Section] = []
    for first, questions in merged.values():
        if shuffle_seed is not None:
            rng.shuffle(questions)
        renumbered = [q.model_copy(update={"number": str(i), "label": None}) for i, q in enumerate(questions, 1)]
        ordinal = CN_ORDINALS[len(chosen)] if len(chosen) < len(CN_ORDINALS) else str(len(chosen) + 1)
        chosen.append(printed_section(first, renumbered, ordinal, declare=True))
    trad = sum(fold.is_traditional(_sample(x)) for x in sets) * 2 > len(sets)  # the script most sets are in
    default_title = sets[0].title if len(sets) == 1 and sets[0].title else say("组合试卷", trad)
    cut = [x for x in sets if x.truncated]
    note = say(f"（节选：{len(cut)}份原文为节选，截断处的题目未印出）", trad) if cut and not include_cut else (
        say(f"（节选：{len(cut)}份原文为节选）", trad) if cut else None)
    return Exam(title=title or default_title, sections=chosen, note=note, traditional=trad,
                cut_off=frozenset(cut_off))
