"""Parse step: cleaned lines → sections and questions (drafts, before ids and validation).

One pass over the lines with a small state machine: the current section, the current question
and the field being filled (stem, sub-items, options, answer, analysis, scoring points, notes).
Numbered labels must continue their section's sequence, so sub-items ("要求: 1. … 2. …") and
lists inside answers never become questions. A trailing answer part ("答案及解析") is matched
back to the questions by section and number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.grammar import labels
from pipeline.grammar.labels import Label
from pipeline.grammar.reading import Reading, margins, read_page
from pipeline.page import Line


@dataclass
class QDraft:
    label: Label | None
    stem: list[str] = field(default_factory=list)
    sub_items: list[str] = field(default_factory=list)
    options: list[list[str]] = field(default_factory=list)  # [letter, text]
    answer: list[str] | None = None
    answer_source: str | None = None
    analysis: list[str] = field(default_factory=list)
    scoring: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # author text after the question, kept as content
    score: int | float | None = None
    field: str = "stem"
    nested: int | None = None  # last number of a numbered list running inside this question
    nested_family: str | None = None  # its label style: "(3)" then "4 …" is the next question, not the list
    nested_asks: bool = False  # an item of that list asks something (sub-questions, not an answer's points)
    tail_width: int = 0  # display width of the last physical line of the stem (for wrapped dumps)
    close_call: bool = False  # the whole-page reading nearly read one of its lines otherwise

    @property
    def number(self) -> int | None:
        return self.label.number if self.label else None

    def stem_text(self) -> str:
        return "\n".join(self.stem)


def family(q: QDraft | None) -> str | None:
    return q.label.family if q is not None and q.label is not None else None


@dataclass
class SDraft:
    heading: str | None = None
    ordinal: str | None = None
    name: str | None = None
    score_each: int | float | None = None
    count_declared: int | None = None
    score_total: int | float | None = None
    intro: list[str] = field(default_factory=list)
    questions: list[QDraft] = field(default_factory=list)
    family: str | None = None

    @property
    def order(self) -> int | None:
        return labels.cn_to_int(self.ordinal) if self.ordinal else None

    def last_number(self) -> int | None:
        for q in reversed(self.questions):
            if q.number is not None and family(q) == self.family:
                return q.number
        return None


@dataclass
class ParseResult:
    sections: list[SDraft]
    content_before: list[str]
    unmatched_answers: list[str]
    dropped: list[str]  # answer-part structure already represented elsewhere (markers, repeated stems)
    orphans: list[str]  # answer-part text that matches no question: kept as content, never a question


# --- headings ---------------------------------------------------------------------------------
QA_ANSWER = re.compile(r"^A\d{0,3}\s*:")
SENTENCE_MARK = re.compile(r"[,。?!;:、]")
PART_NAME = labels.rx(r"^[^,。?!]{0,20}?(?:题|部分|题型|题目)\s*(?:[:(（]|$)")
TYPE_FIRST = labels.rx(rf"^\s*(?:{'|'.join(labels.QUESTION_TYPES)})")  # "单项选择题每题只有一个正确答案…"
# "一、单项选择题每题只有一个正确答案,请…": the part's name, then its instructions (no numbers declared)
TYPE_THEN_TEXT = labels.rx(rf"^[一二三四五六七八九十]{{1,3}}\s*[、.]\s*(?:{'|'.join(labels.QUESTION_TYPES)})"
                           r"(?=[\u4e00-\u9fff])")

CLOSE_CALL = 1.0  # a reading this much less sure decides a line otherwise: the question may be misread
WRAP_SLACK = 8  # display columns: lines within this of the page's wrap width were wrapped there
WRAP_SHARE = 0.3  # of the lines that stop mid-sentence, at least this share stops at the wrap width


_NARROW = re.compile(r"[\x00-\u2e7f]+")


def display_width(text: str) -> int:
    """Columns on a fixed-width page: CJK characters take two."""
    return 2 * len(text) - len("".join(_NARROW.findall(text)))


def wrap_width(lines: list[Line]) -> int | None:
    """The width a fixed-width dump wrapped its text at: the widest width that at least four lines
    stopping mid-sentence reach within a few columns, and a good share of all such lines. None for
    pages without one (their lines end where the author ended them)."""
    widths = sorted((display_width(x.text) for x in lines if len(x.text) >= 16 and not labels.ends_sentence(x.text)),
                    reverse=True)
    for w in widths[:3]:
        near = sum(1 for x in widths if w - WRAP_SLACK <= x <= w)
        if near >= 4 and near >= WRAP_SHARE * len(widths):
            return w
    return None


def parse_heading(text: str, inside_answer: bool, next_order: int | None) -> SDraft | None:
    m = labels.heading_match(text)
    ordinal, rest = (m.group(1), m.group(3)) if m else (None, text)
    if m:
        named_part = m.group(2) in labels.PART_WORDS or m.re is labels.ENGLISH_HEADING
        if named_part and (len(rest) > 60 or (rest.rstrip().endswith("?") and not LOST_MARK_AFTER.search(rest))):
            return None
        declares = (labels.DECLARATION.search(rest) or _names_a_part(rest) or SCORED_PART.match(rest)
                    or labels.COVERS_QUESTIONS.search(rest) or _named_with_points(rest))
        if not named_part and (rest.rstrip().endswith("?") or not declares):
            return None
        if inside_answer and (labels.cn_to_int(ordinal) != next_order and not labels.DECLARATION.search(rest)):
            return None
    else:
        um = labels.UNORDERED_HEADING.match(text)
        if not um or not labels.HEADING_WORDS.search(um.group(1)):
            return None
    heading, intro = _split_heading(text)
    section = SDraft(heading=heading, ordinal=ordinal, intro=[intro] if intro else [])
    declaration = heading[m.start(3):] if m else heading
    section.name = re.split(r"[(（:]", declaration, maxsplit=1)[0].strip() or None
    _read_declaration(section, declaration)
    return section


# "六、(15分)(注意:在试题卷上作答无效)": a paper's part declared by its points alone
POINTS = r"[(（]\s*\d{1,3}(?:\.\d)?\s*分\s*[)）]"  # a part's points in brackets: "(15分)", "（10 分）"
SCORED_PART = re.compile(rf"{POINTS}(?:\s*[(（][^()（）]{{0,30}}[)）])?\s*$"
                         r"|^\s*\d{1,3}\s*分\s*$")  # or bare: "一、80分"
PAPER_TITLE_MAX = 24  # characters of a paper's title line ('语文Ⅱ(附加题)', '2014年普通高等学校招生考试')
# "10、 6分  C E", "1、2分。具体说明…", "13、(6分)": a key's points before its answer (the key's, not its text)
KEY_SCORE = re.compile(r"^\s*[(（]?\s*\d{1,2}(?:\.\d)?\s*分\s*[)）]?\s*[。.,，;；]?\s*")
SUB_QUESTION = re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]")  # "（2）本词隐含了怎样的伤感之情？"


def _next_sub_question(q: QDraft, text: str) -> bool:
    """'（2）…' right after the space to answer '（1）…': the question's next sub-question (its stem,
    sub-items or the lines after its passage hold (1)); an answer's own numbered points start at (1)."""
    m = SUB_QUESTION.match(text)
    if m is None:
        return False
    before = [int(x.group(1)) for line in (*q.stem, *q.sub_items, *q.notes)  # notes: after a poem or passage
              if (x := SUB_QUESTION.match(line.strip()))]
    return bool(before) and int(m.group(1)) == before[-1] + 1


RESUME_LOOKAHEAD = 12  # lines after a restarting heading in which its first question stands (a passage between)
KEY_FIRST = re.compile(r"^([A-H]{1,5}|[√×对错])(?![A-Za-z])\s*")  # a key before its analysis: "B 资产是…"
LOST_MARK_AFTER = re.compile(r"[)）]\s*\?+$")  # "交际用语(共计10分,每小题2分)?": a glyph lost in conversion


# "四、名句名篇默写(8 分)": a short name (no sentence in it) and the part's points
# or '五、现代文阅读(一)(20 分)': the name's own ordinal in brackets
NAMED_WITH_POINTS = re.compile(r"^([^\s,，。?？!！:：;；()（）]{2,12}(?:[(（][一二三四五六七八九十]{1,3}[)）])?)"
                               r"\s*[(（]\s*\d{1,3}\s*分\s*[)）]$")


def _named_with_points(rest: str) -> bool:
    m = NAMED_WITH_POINTS.match(rest)
    return m is not None and not labels.looks_like_question(m.group(1))


def _names_a_part(rest: str) -> bool:
    """'单项选择题', '综合考点题库(…)', or a short bare part name such as '案例分析'."""
    if labels.HEADING_WORDS.search(rest) is None:
        return False
    return bool(PART_NAME.match(rest) or TYPE_FIRST.match(rest)) or (len(rest) <= 12 and not SENTENCE_MARK.search(rest))


LABEL_INSIDE = re.compile(r"\d{1,3}\s*[、.．](?!\d)")  # a question begun before the bracket: its own, not the heading's
POINTS_AT_END = re.compile(rf"\s*{POINTS}\s*$")  # the part's points close its line
DECLARED_AFTER = 80  # a heading's declaration may follow its instruction sentence within this many characters


def _split_heading(text: str) -> tuple[str, str]:
    """Long run-on headings: the heading ends at the first full stop outside brackets, or at the end
    of its declaration when one follows that sentence ('一、单项选择题请…选出1个正确答案。(每题1分,共25分)')."""
    named = TYPE_THEN_TEXT.match(text)
    if named and not labels.DECLARATION.search(text, named.end()):
        return named.group(0), text[named.end():].strip()
    depth = 0
    for i, ch in enumerate(text):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0 and i + 1 < len(text):
            declared = _bracket_after(text, i + 1) or labels.DECLARATION.search(text, i + 1, i + 1 + DECLARED_AFTER)
            if (declared and declared.group(0).lstrip()[:1] in "(（" and not labels.DECLARATION.search(text[: i + 1])
                    and not LABEL_INSIDE.search(text, i + 1, declared.start())):
                i = declared.end() - 1
            elif points := POINTS_AT_END.match(text, i + 1):  # "一、阅读材料，完成20～23 题。(10 分)"
                i = points.end() - 1
            return text[: i + 1], text[i + 1:].strip()
    return text, ""


BRACKET_AFTER = re.compile(r"\s*([(（](?:[^()（）]|[(（][^()（）]*[)）])*[)）])")  # one nesting: "內(nèi)"
INNER_BRACKET = re.compile(r"(?<=.)[(（][^()（）]*[)）](?=.)")


def _bracket_after(text: str, start: int) -> re.Match[str] | None:
    """A declaring bracket right after the heading's sentence, however long its instructions
    ('一、不定项选择题。(在每小题的五个备选答案中…每小题1分,本题总分30分)')."""
    m = BRACKET_AFTER.match(text, start)
    return m if m and labels.DECLARATION.fullmatch(INNER_BRACKET.sub("", m.group(1))) else None


def _read_declaration(section: SDraft, text: str) -> None:
    count = labels.first_group(labels.COUNT.search(text) or labels.BARE_COUNT.search(text))
    each = labels.first_group(labels.EACH.search(text))
    total = labels.first_group(labels.TOTAL.search(text))
    section.count_declared = int(count) if count else _count_from_range(text)
    section.score_each = labels.number_value(each) if each else None
    section.score_total = labels.number_value(total) if total else _unitless_total(section, text)
    product = labels.PRODUCT.search(text)  # "5×2=10分": count × each = total, or "2分×5=10分"
    if product and count is None and each is None:
        first, second = product.group("first"), product.group("second")
        count_text, each_text = (second, first) if product.group("unit") else (first, second)
        section.count_declared = int(float(count_text))
        section.score_each = labels.number_value(each_text)
        section.score_total = section.score_total or labels.number_value(product.group("total"))
    # A total the heading does not print is not declared: validate compares each × count itself.


def _count_from_range(text: str) -> int | None:
    """'第 1-45小题': the part's questions by their numbers; not '阅读…，完成14-17题', a direction
    over a passage that names the questions it serves."""
    m = labels.COUNT_RANGE.search(text)
    if not m or labels.COVERS_QUESTIONS.search(text):
        return None
    first, last = (int(g) for g in m.groups() if g is not None)
    return last - first + 1 if last > first else None


def _unitless_total(section: SDraft, text: str) -> int | float | None:
    m = labels.BARE_TOTAL.search(text)
    if not (m and section.count_declared and section.score_each):
        return None
    value = labels.number_value(m.group(1))
    return value if value == section.count_declared * section.score_each else None


# --- the parser -------------------------------------------------------------------------------
class Parser:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.sections: list[SDraft] = [SDraft()]
        self.content_before: list[str] = []
        self.q: QDraft | None = None
        self.answer_part = False
        self.key_section: SDraft | None = None
        self.key_q: QDraft | None = None
        self.unmatched: list[str] = []
        self.dropped: list[str] = []
        self.orphans: list[str] = []
        self.index = 0
        self._reading: Reading | None = None
        self.notices = False  # inside a paper's 注意事项 list, before its first part
        self.notice_number = 0  # the last number of that list

    @property
    def reading(self) -> Reading:
        """The whole-page reading, made on first need: a page whose labels all read plainly never asks."""
        if self._reading is None:
            self._reading = read_page(self.lines, self.heading_lines())
        return self._reading

    @property
    def section(self) -> SDraft:
        return self.sections[-1]

    def all_questions(self) -> list[QDraft]:
        return [q for s in self.sections for q in s.questions]

    def heading_lines(self) -> list[int]:
        """Lines that read as section headings on their own: where numbering may start again."""
        return [i for i, line in enumerate(self.lines)
                if labels.may_be_heading(line.text) and parse_heading(line.text, False, 0) is not None]

    def run(self) -> ParseResult:
        owners: list[QDraft | None] = []  # the question each line went to (None: a heading, the answer part …)
        for i, line in enumerate(self.lines):
            self.index = i
            if self.answer_part and self._questions_resume(i):
                self._title_out_of_key(i)
                self.answer_part, self.key_q, self.key_section = False, None, None  # a second paper in the file
            if self.answer_part:
                self.key_line(line)
            elif self._starts_answer_part(i):
                self.answer_part = True
                self.q = None
                self.dropped.append(line.text)
            elif self._questions_repeated(line):
                self.answer_part = True  # the questions again, each with its answer: a key part
                self.q = None
                self.key_line(line)
            else:
                self.body_line(line)
            owners.append(None if self.answer_part else self.q)
        self._mark_close_calls(owners)
        sections = [s for s in self.sections if s.questions or s.heading or s.intro]
        return ParseResult(sections, self.content_before, self.unmatched, self.dropped, self.orphans)

    def _mark_close_calls(self, owners: list[QDraft | None]) -> None:
        """Questions holding a line the reading decided by less than `CLOSE_CALL` (only pages that
        needed the reading: on the others every label read plainly)."""
        if self._reading is None:
            return
        for index, margin in margins(self._reading).items():
            owner = owners[index]
            if margin < CLOSE_CALL and owner is not None:
                owner.close_call = True

    # body ------------------------------------------------------------------------------------
    def body_line(self, line: Line) -> None:
        heading = self._heading(line.text)
        if heading:
            self.sections.append(heading)
            self.q, self.notices = None, False
            if len(heading.intro) == 1 and (self._item_before_its_answer(heading.intro[0])
                                            or self._item_before_its_options(Line(heading.intro[0]))):
                self._new_question(None, heading.intro.pop())  # "二、简答题简述…的作用。" / "参考答案:…"
            return
        if self.q is not None and line.text[:1] in labels.PAPER_BREAK_OPENINGS and labels.PAPER_BREAK.match(line.text):
            self.q.field = "after"  # "绝密★启用前", "第Ⅱ卷": the next volume; what follows is not this question's
            self.q.after.append(line.text)
            return
        if (self.notices or line.text[:1] in labels.NOTICE_OPENINGS) and self._notice(line):
            self._keep_as_content(line.text)
            return
        label = labels.question_label(line.text, allow_weak=line.soft)
        planned = self.reading.at(self.index) if _may_be_misread(line, label) else None
        if planned is not None and planned.cut:  # "…D.1978" + "2.新中国…", ")" + "1.下列…": cut where the reading cut
            self._put_back(line.text[:planned.cut])
            line = Line(line.text[planned.cut:], gap=line.gap, soft=line.soft, glued=line.glued)
            label = labels.question_label(line.text, allow_weak=line.soft)
        text = line.text
        if planned is not None and (label is None or label.number != planned.label.number):
            # a label only the page's numbering reads ("1,地球…", "1 算法题…"), or reads otherwise than
            # the grammar ("12分()…": question 1 and its score, not question 12)
            label = planned.label
        if line.soft and self.q is not None and text[:2].isdigit() and not (label and self._accept(label, line)):
            split = self._glued_number(line)
            if split:  # "…October55.The idiom": the text ends in 5, question 5 begins
                head, line = split
                self._rejoin(head)
                text, label = line.text, labels.question_label(line.text, allow_weak=True)
        if label and self._options_of_numbered_blank(label):
            return
        if label and self._sub_part(label, text):
            return
        if label and self._accept(label, line):
            self._new_question(label, text)
            return
        if label and label.number is not None and self.q is not None:
            self.q.nested, self.q.nested_family = label.number, label.family
            self.q.nested_asks = self.q.nested_asks or labels.looks_like_question(label.rest)
        if label is None and self._item_before_its_options(line):
            self._new_question(None, text)  # an unlabelled item: its options follow, or stand on its line
            return
        if line.soft and self.q is not None:
            self._rejoin(text)
            return
        if self._item_before_its_answer(text):
            self._new_question(None, text)  # an unlabelled item: its answer follows on the next line
            return
        if self.q is None:
            self._keep_as_content(text)
            return
        self._question_line(self.q, line)

    def _sub_part(self, label: Label, text: str) -> bool:
        """'1.SQL编程(2题,每题5分)' then '题目1:…' (kinds K6b): a numbered line that declares a count and
        is followed by word-labelled questions is a sub-part heading, not a question."""
        if label.family == "timu" or len(label.rest) > TOPIC_MAX + 16 or not labels.DECLARATION.search(label.rest):
            return False
        following = labels.question_label(self.following)
        if following is None or following.family != "timu" or following.number != 1:
            return False
        section = SDraft(heading=text, name=re.split(r"[(（]", label.rest, maxsplit=1)[0].strip() or None)
        _read_declaration(section, label.rest)
        self.sections.append(section)
        self.q = None
        return True

    def _options_of_numbered_blank(self, label: Label) -> bool:
        """'● …___(12)___的平均时间复杂度最低。' / '(12)A.冒泡排序 B.快速排序…' (kinds K13): the options of the
        item whose blank carries that number, not a question of their own."""
        q = self.q
        if q is None or q.options or label.family != "paren" or label.number is None:
            return False
        if not re.search(rf"_\s*[(（]\s*{label.number}\s*[)）]\s*_", q.stem_text()):
            return False
        run = labels.split_options(label.rest)
        if run is None or run[0].strip():
            return False
        q.options, q.field = [[a, b] for a, b in run[1]], "options"
        return True

    def _notice(self, line: Line) -> bool:
        """'注意事项:' / '1.本试卷满分100分…' / '2.请将答案写在答题卡上…' (kinds K20): a paper's rules before
        its first part are its text, not questions. They end at a heading, or where numbering restarts."""
        if not self.notices:
            first = self.q is None and not self.all_questions()  # or a second volume's, after its break
            self.notices = bool(labels.NOTICES_HEAD.match(line.text)) and (first or self._closed())
            return self.notices
        label = labels.question_label(line.text)
        if label is not None and label.number is not None and label.number <= self.notice_number:
            self.notices = False  # "1.下列…" after rules 1 and 2: the questions begin
            return False
        if label is not None and label.number is not None:
            self.notice_number = label.number
        return True

    def _item_before_its_answer(self, text: str) -> bool:
        """Pages of unlabelled items, each followed by its key ('…是操作系統的功能。()' / '答案:錯'): a line
        that asks, right before an answer line, when no labelled question holds the place."""
        q = self.q
        if q is not None and (q.label is not None or not q.answer):
            return False
        found = labels.field_label(self.following)
        if found is None or found[0] != "answer" or labels.field_label(text) is not None:
            return False
        return bool(labels.BLANK.search(text) or labels.looks_like_question(text))

    def _item_before_its_options(self, line: Line) -> bool:
        """Pages of unlabelled choice items (kinds K4: '水的沸点是()' / 'A.50度B.80度C.100度D.120度'): a
        line that asks, right before its option run, where no labelled question holds the place (none
        yet, or an unlabelled one whose options ran)."""
        q, text = self.q, line.text
        if q is not None and (q.label is not None or not (q.options or labels.split_options(q.stem_text()))):
            return False
        if labels.leading_option(text) or labels.field_label(text) is not None:
            return False
        run = labels.split_options(text)
        stem = run[0] if run and run[0].strip() else text  # the item and its options on one line
        if (stem is text and not self._options_start(self.following)) or len(stem) > UNLABELLED_ITEM_MAX:
            return False
        # (its blank or its question mark: directions before a part's options ask nothing themselves)
        return bool(labels.BLANK.search(stem) or stem.rstrip().endswith("?"))

    def _keep_as_content(self, text: str) -> None:
        """Author's text outside the questions: after the question a paper break closed, else the
        section's intro, or the page's opening content."""
        if self._closed():
            assert self.q is not None
            self.q.after.append(text)
        else:
            (self.section.intro if self.section.heading else self.content_before).append(text)

    def _closed(self) -> bool:
        """The current question ended at a paper break ('第Ⅱ卷'): what follows is the paper's, not its."""
        return self.q is not None and self.q.field == "after"

    def _put_back(self, head: str) -> None:
        """Text the reading cut off a label line: it belongs to what came before."""
        if self.q is not None:
            self._rejoin(head)
        else:
            self._keep_as_content(head)

    def _vouched(self, label: Label) -> bool:
        return self.reading.vouches(self.index, label)

    def _glued_number(self, line: Line) -> tuple[str, Line] | None:
        """A soft label whose leading digits belong to the text before it ('…October5' + '5.The…',
        '…$1,132,056' + '3. 鍾勻…'): the reading where its last digits continue the sequence."""
        digits = re.match(r"\d+", line.text)
        if digits is None or len(digits.group(0)) < 2:
            return None
        for cut in range(1, len(digits.group(0))):
            rest = Line(line.text[cut:], soft=True)
            shorter = labels.question_label(rest.text, allow_weak=True)
            if shorter and shorter.number is not None and shorter.number > 0 and self._accept(shorter, rest):
                return line.text[:cut], rest
        return None

    def _heading(self, text: str) -> SDraft | None:
        inside = self.q is not None and self.q.field in {"answer", "analysis", "notes", "scoring", "sub_items"}
        heading_like = labels.may_be_heading(text)
        if not heading_like and not (inside and labels.TOPIC_HEADING.match(text)):
            return None if inside else self._topic_heading(text, None)
        # The next expected ordinal matters only inside an answer: not worked out for every line.
        order = next((s.order for s in reversed(self.sections) if s.order), 0) if inside else 0
        found = parse_heading(text, inside, order + 1) if heading_like else None
        return found or self._topic_heading(text, order + 1 if inside else None)

    def _topic_heading(self, text: str, next_order: int | None) -> SDraft | None:
        """'一、2019年上半年', '题组二 浮力' right before a numbered question: a part named by its topic.
        Inside an answer (`next_order` given) only the next part's ordinal before a question 1 is one:
        an answer's own '二、…' list goes on otherwise."""
        if not labels.TOPIC_HEADING.match(text):
            return None
        following = labels.question_label(self.following)
        if following is None or following.number is None:
            # a chapter named by its topic, its first part next ('一、教育心理学概述' / '一、单项选择题')
            if next_order is not None or not self._chapter_then_part(text):
                return None
        elif next_order is not None and following.number != 1:
            return None
        m = labels.heading_match(text)
        ordinal = m.group(1) if m and m.re is labels.HEADING else None
        if next_order is not None and (ordinal is None or labels.cn_to_int(ordinal) != next_order):
            return None
        return SDraft(heading=text, ordinal=ordinal, name=(m.group(3) if m else text).strip() or None)

    def _chapter_then_part(self, text: str) -> bool:
        """'一、教育心理学概述' then '一、单项选择题': a chapter, and the first part of it."""
        m, nxt = labels.heading_match(text), self.following
        return bool(m and labels.may_be_heading(nxt) and (n := labels.heading_match(nxt))
                    and n.group(1) == m.group(1) and parse_heading(nxt, False, 0) is not None)

    def _accept(self, label: Label, line: Line) -> bool:
        """Is this label a new question here? The consistent reading: numbers continue their
        section's sequence; lists inside questions and answers stay where they are."""
        q, sec = self.q, self.section
        in_body = q is not None and q.field in {"answer", "analysis", "scoring", "notes"}
        if line.glued:
            return self._accept_glued(label)
        if label.number is None:
            return self._accept_unnumbered(label, in_body)
        if _doubtful(label) and self.reading.outvoted(self.index, label):
            return False
        if sec.family is not None and label.family != sec.family:
            return False
        if sec.family is None:
            return self._accept_first_of_family(label, line, in_body)
        return self._accept_in_sequence(label, line, in_body)

    def _accept_glued(self, label: Label) -> bool:
        """'…d會計主體2下列…': only right after a question whose options ran A→D."""
        q, last = self.q, self.section.last_number()
        if self._vouched(label) and label.number is not None:  # the whole-page reading chose it
            return last is None or label.number > last
        return (q is not None and label.number is not None and last is not None and label.number == last + 1
                and bool(q.options or labels.split_options(q.stem_text())))

    def _accept_unnumbered(self, label: Label, in_body: bool) -> bool:
        q, sec = self.q, self.section
        if label.family == "star":
            if in_body and q is not None and q.number is not None:
                return False  # a bullet inside the answer of a numbered question
            return "star" in (sec.family, family(q)) or labels.looks_like_question(label.rest)
        return not (in_body and label.family == "q" and family(q) not in (None, "q"))

    def _accept_first_of_family(self, label: Label, line: Line, in_body: bool) -> bool:
        q = self.q
        if q is not None and q.label is not None and q.label.family != label.family and q.label.number is not None:
            return False  # a different numbering inside a question: its sub-items
        if in_body and q is not None:
            return False  # a list inside an answer
        questions = self.all_questions()
        if label.family == "circled" and not self._vouched(label):
            return False  # "①2010年上海世博会…": a passage's paragraph numbers, unless the page reads them as questions
        previous = [x.number for x in questions if x.number is not None and family(x) == label.family]
        if label.number == 1 or (previous and label.number == previous[-1] + 1):
            return True
        if self._vouched(label):
            return True  # the page's numbering starts here (at 16 in a preview, or after a misprint)
        if not questions and _only_options(label.rest):
            return True  # a page that starts mid-paper: "20. (A) Its publication… (B) …" is an item all the same
        strong = label.family in {"timu", "di"} or labels.looks_like_question(label.rest)
        return not line.soft and not questions and strong

    def _accept_in_sequence(self, label: Label, line: Line, in_body: bool) -> bool:
        q, last = self.q, self.section.last_number()
        assert last is not None and label.number is not None
        nested_goes_on = (q is not None and q.nested is not None and label.number == q.nested + 1
                          and label.family == q.nested_family)
        if label.number == last + 1:
            if nested_goes_on and (q.nested_asks or not labels.looks_like_question(label.rest)):
                return False  # the list inside this question goes on, unless it stated and this asks
            # in a long answer a soft "2、" is a list item, unless what follows it asks something
            long_body = in_body and line.soft and q is not None and len("".join(q.answer or q.notes)) > 12
            return not long_body or labels.looks_like_question(label.rest) or self._vouched(label)
        if label.number <= last or nested_goes_on:
            return False
        if self._vouched(label):
            return True  # a gap the page's numbering reads through: a numbering_gap warning, not lost questions
        if in_body or line.soft:
            return False
        return label.number <= last + 3 and labels.looks_like_question(label.rest)

    def _new_question(self, label: Label | None, text: str) -> None:
        rest = label.rest if label is not None else text
        score = labels.SCORE_LABEL.match(rest.lstrip())
        if score is None and label is not None and label.printed.isdigit():
            score = labels.LEADING_SCORE.match(rest)  # "1" + "2分()驾驶时…": a bare number, then its score
        q = QDraft(label=label, tail_width=display_width(text))
        if score:
            q.score = labels.number_value(score.group(1))
            rest = rest.lstrip()[score.end():]
        rest = rest.lstrip(" 、,.:>")  # "1.>电流…": a generator's label ends in >
        first = labels.leading_option(rest) if rest else None
        if first and first[0] in "Aa" and not labels.split_options(rest):
            q.options, q.field = [[first[0], first[1].strip()]], "options"  # "1. A) At the bank." (kinds K15)
        elif rest and not self._opens_with_its_answer(q, rest):
            q.stem.append(rest)
        if label is not None and label.number is not None and self.section.family is None:
            self.section.family = label.family
        self.section.questions.append(q)
        self.q = q

    @staticmethod
    def _opens_with_its_answer(q: QDraft, rest: str) -> bool:
        """'1.【答案及解析】B 资产是…' (kinds K10): an item of a key part printed without its stem; the
        key is the answer, what follows it the analysis."""
        found = labels.field_label(rest)
        if found is None or found[0] != "answer":
            return False
        key = KEY_FIRST.match(found[1])
        q.answer, q.answer_source = [key.group(1) if key else found[1]], "inline"
        after = found[1][key.end():].strip() if key else ""
        q.field = "analysis" if after else "answer"
        if after:
            q.analysis.append(after)
        return True

    def _rejoin(self, text: str) -> None:
        """A soft split whose label was rejected: glue it back onto what it was cut from."""
        assert self.q is not None
        q = self.q
        target = {"stem": q.stem, "sub_items": q.sub_items, "answer": q.answer, "analysis": q.analysis,
                  "scoring": q.scoring, "notes": q.notes}.get(q.field)
        if q.field == "options" and q.options:
            q.options[-1][1] += text
        elif target:
            target[-1] += text
        elif target is not None:
            target.append(text)
        else:
            q.after.append(text)

    def _question_line(self, q: QDraft, line: Line) -> None:
        text = line.text
        stem = labels.STEM_FIELD.match(text)
        if stem and q.field == "stem" and len(q.stem) == 1 and _topic_only(q.stem[0]):
            # "1.变量作用域(4分)" / "题目:说明…" (kinds K21): the label line names the topic, this is the stem
            topic, score = q.stem[0], labels.SCORE_LABEL.search(q.stem[0])
            if score and q.score is None:
                q.score = labels.number_value(score.group(1))
                topic = (topic[: score.start()] + topic[score.end():]).strip()
            q.after.append(topic)
            q.stem = [text[stem.end():]]
            return
        found = labels.field_label(text)
        if found is None and q.label is not None and q.label.family == "q" and QA_ANSWER.match(text):
            found = ("answer", text.split(":", 1)[1].strip())  # "Q1: … / A1: …" pages
        if found:
            name, rest = found
            if name == "requirements":
                q.field = "sub_items"
                q.sub_items.append(text)
                return
            q.field = name
            if name == "answer":
                q.answer = q.answer or []
                q.answer_source = "inline"
            target = self._field_list(q, name)
            if rest:
                target.append(rest)
            return
        self._plain_line(q, line)

    def _field_list(self, q: QDraft, name: str) -> list[str]:
        if name == "answer":
            if q.answer is None:
                q.answer = []
            return q.answer
        return {"stem": q.stem, "analysis": q.analysis, "scoring": q.scoring, "notes": q.notes,
                "sub_items": q.sub_items, "after": q.after}[name]

    def _plain_line(self, q: QDraft, line: Line) -> None:
        text = line.text
        if q.field == "answer" and not "".join(q.answer or []).strip(" _＿") and _next_sub_question(q, text):
            # "（1）…？ 答：______ （2）…？": the next sub-question, after a space to answer the last one in
            q.answer, q.answer_source = None, None
            q.field = "notes" if q.notes else "sub_items" if q.sub_items else "stem"
            self._field_list(q, q.field).append(text)
            return
        if labels.ONLY_BLANK.match(text) and q.stem and q.field in {"stem", "notes"} and not q.notes:
            q.stem[-1] += text  # "1.>电流的单位是安培。" / "( )": the blank after the stem (kinds K19)
            q.field = "stem"
            return
        if q.field == "notes" and not q.options and q.notes and self._options_start(text):
            # options after a figure caption or a stem's second paragraph ("图A-3"): those were the stem's,
            # unless the stem was whole, its blank and full stop printed: a line injected there is not
            # (kinds K27: "我国交流电的频率是()。" / "中国最长的河流是哪一条" / "A.50Hz …")
            whole = labels.BLANK.search(q.stem_text()) and labels.ends_sentence(q.stem[-1]) if q.stem else False
            (q.after if whole else q.stem).extend(q.notes)
            q.notes, q.field = [], "stem"
        if q.field == "sub_items" and not q.options and _circled_material(q) and self._options_start(text):
            # "…最恰当的一组是" "①…" … "⑥…" "A.④⑥⑤ B.⑥②①": the circled lines are what the options combine
            q.field = "stem"
        if q.field in {"stem", "options"}:
            opt = labels.leading_option(text) or self._weak_option_line(q, text)
            if opt and (q.stem or q.options) and _may_go_on(q, opt[0]):
                self._add_options(q, text, opt[0])
                return
            judgement = labels.JUDGEMENT.match(text)
            if judgement and q.stem:
                q.answer, q.answer_source, q.field = [judgement.group(1)], "unlabelled", "answer"
                return
        if q.field == "stem":
            self._stem_line(q, line)
        elif q.field == "options":
            if line.gap and len(text) > 60:
                q.field = "notes"
                q.notes.append(text)
            else:
                q.options[-1][1] = (q.options[-1][1] + " " + text).strip()
        else:
            self._field_list(q, q.field).append(text)

    def _options_start(self, text: str) -> bool:
        """An option run starts on this line: A and B here, or A here and B on the next line."""
        if labels.split_options(text):
            return True
        opt = labels.leading_option(text)
        after = labels.leading_option(self.following)
        return bool(opt and after and opt[0] in "Aa" and after[0] == chr(ord(opt[0]) + 1))

    def _goes_on(self, q: QDraft, line: Line) -> bool:
        """The stem continues on this line: no blank line before it, or the stem was wrapped at the
        page's width, or this line ends the stem with its options."""
        return not line.gap or self._wrapped(q.tail_width) or _ends_with_options(line.text)

    @cached_property
    def wrap(self) -> int | None:
        """The page's wrap width, measured on first use: most pages never ask."""
        return wrap_width(self.lines)

    @property
    def following(self) -> str:
        """The text of the line after the current one ('' at the end)."""
        return self.lines[self.index + 1].text if self.index + 1 < len(self.lines) else ""

    def _wrapped(self, width: int) -> bool:
        return self.wrap is not None and width >= self.wrap - WRAP_SLACK

    def _weak_option_line(self, q: QDraft, text: str) -> tuple[str, str] | None:
        """'A220°' / 'B40°' on lines of their own: an option when its letter is the next one expected
        and, for A, the next line starts with B."""
        expected = chr(ord(q.options[-1][0]) + 1) if q.options else "A"
        if not text.startswith(expected) or len(text) < 2 or (text[1].isascii() and text[1].isalpha()):
            return None
        if expected == "A" and _undelimited_run(text):
            return "A", text[1:].strip()  # 'A作业性 B 战略性C战术性 D 战略战术性': the whole run on one line
        if expected == "A":
            following = self.following
            if not following.startswith("B") or (following[1:2].isascii() and following[1:2].isalpha()):
                return None
        return expected, text[1:].strip()

    def _stem_line(self, q: QDraft, line: Line) -> None:
        text = line.text
        if not q.stem:
            score = labels.BARE_SCORE.match(text) if q.score is None else None
            if score:
                q.score = labels.number_value(score.group(1))
            else:
                q.stem.append(text)
            return
        last = q.stem[-1]
        numbered_sub = labels.question_label(text) is not None
        if numbered_sub:
            q.sub_items.append(text)
            q.field = "sub_items"
        elif self._goes_on(q, line) and not labels.ends_sentence(last):
            # A stem wrapped at the page width goes on after the break, even across a blank line.
            q.stem[-1] = last + ("" if _cjk_edge(last, text) else " ") + text
            q.tail_width = display_width(text)
        elif not line.gap and text.rstrip().endswith("?") and len(text) < 120:
            q.stem.append(text)
        else:
            q.field = "notes"
            q.notes.append(text)

    def _add_options(self, q: QDraft, text: str, first: str) -> None:
        if not q.options and first not in "Aa":
            # "…A. Having suffered B. Suffering C. To suffer" / "D. Suffered": the run began in the stem
            earlier = _run_in_stem(q, first)
            if earlier and earlier[0].strip():
                q.stem = [earlier[0]]
                q.options = [[a, b] for a, b in earlier[1]]
        run = labels.split_options(text, start=first)
        single = labels.leading_option(text) or self._weak_option_line(q, text)
        pairs = run[1] if run else [(first, single[1] if single else text[1:].strip())]
        for letter, body in pairs:
            q.options.append([letter, body])
        q.field = "options"

    # answer part ------------------------------------------------------------------------------
    def _questions_repeated(self, line: Line) -> bool:
        """Numbering that starts again at 1 with question 1's own stem: the page lists its questions
        a second time with their answers ('…4.… 1.为了建设节约型社会… 正确答案: …')."""
        if not line.text.startswith("1") or line.text[1:2].isdigit():
            return False
        label = labels.question_label(line.text, allow_weak=line.soft)
        questions = self.all_questions()
        if label is None or label.number != 1 or len(questions) < 2 or questions[0].number != 1:
            return False
        # the repeat may number in another style ('第1题' above, '1.' in the key part): the stem decides
        return _similarity(label.rest, questions[0].stem_text()) >= 0.8

    def _starts_answer_part(self, index: int) -> bool:
        if not labels.ANSWER_PART.match(self.lines[index].text) or not self.all_questions():
            return False
        for line in self.lines[index + 1: index + 8]:
            label = labels.question_label(line.text)
            if label and label.number is not None:
                return any(q.number == label.number for q in self.all_questions())
            if _compact_key(line.text):
                return True
        return False

    def _title_out_of_key(self, index: int) -> None:
        """'语文Ⅱ(附加题)' right before the next paper's first part: its title, not the end of the last
        answer of the key before it; kept as the page's content."""
        before = self.lines[index - 1].text if index else ""
        q = self.key_q
        field = self._field_list(q, q.field) if q is not None and q.field in ("answer", "analysis", "scoring") else []
        if field and field[-1] == before and len(before) <= PAPER_TITLE_MAX and not SENTENCE_MARK.search(before):
            field.pop()
            self.orphans.append(before)

    def _questions_resume(self, index: int) -> bool:
        """A part heading that starts the numbering again ('一、阅读材料，完成20～23题。') and whose first
        question is numbered past every question so far: the key is over, a second paper begins."""
        m = labels.heading_match(self.lines[index].text)
        if m is None or labels.cn_to_int(m.group(1)) != 1:
            return False
        known = max((q.number for q in self.all_questions() if q.number is not None), default=0)
        for line in self.lines[index + 1: index + 1 + RESUME_LOOKAHEAD]:
            label = labels.question_label(line.text)
            if label is not None and label.number is not None:
                return label.number > known and self._match_question(label.number, label.rest) is None
        return False

    def key_line(self, line: Line) -> None:
        text = line.text
        keys = _compact_key(text)
        if keys:
            for number, value in keys:
                self._assign_key(number, value)
            return
        heading = labels.heading_match(text)
        if heading and len(text) <= 60 and not labels.question_label(text):
            self.key_section = self._match_section(heading.group(1), heading.group(3))
            self.key_q = None
            self.dropped.append(text)
            return
        label = labels.question_label(text)
        found = labels.field_label(text)
        if label and label.number is not None and not found:
            self.key_q = self._match_question(label.number, label.rest)
            if self.key_q is None:
                self.unmatched.append(text[:40])
                self.orphans.append(text)
            elif label.rest and not _similar(KEY_SCORE.sub("", label.rest, count=1) or label.rest,
                                             self.key_q.stem_text()):
                self.dropped.append(label.printed)
                inner = labels.field_label(label.rest)  # "1.答:…" / "1.【答案】…"
                if inner and inner[0] == "answer":
                    self.dropped.append(label.rest[: len(label.rest) - len(inner[1])])
                answer = inner[1] if inner and inner[0] == "answer" else label.rest
                self._set_key_answer(self.key_q, [KEY_SCORE.sub("", answer, count=1) or answer])
            else:
                self.dropped.append(text)  # the question repeated above its answer
            return
        q = self.key_q
        if q is None:
            self.orphans.append(text)
            return
        name, rest = found or ("", "")
        if name == "answer":
            self._set_key_answer(q, [rest] if rest else [])
            return
        if name in {"analysis", "scoring"}:
            q.field = name
            if rest:
                self._field_list(q, name).append(rest)
            return
        if q.field in {"answer", "analysis", "scoring"}:
            self._field_list(q, q.field).append(text)
        else:
            self.orphans.append(text)

    def _set_key_answer(self, q: QDraft, lines: list[str]) -> None:
        """The answer part's text for `q`. An answer the question already has (inline, or earlier in
        the part) is kept and this one follows it: an answer is never overwritten, its text never lost."""
        if q.answer:
            q.answer = q.answer + lines
        else:
            q.answer, q.answer_source = lines, "answer_part"
        q.field = "answer"

    def _assign_key(self, number: int, value: str) -> None:
        q = self._match_question(number, "")
        if q is None:
            self.unmatched.append(f"{number}.{value}")
            self.orphans.append(f"{number}. {value}")
        else:
            self._set_key_answer(q, [value])
            q.field = "done"

    def _match_section(self, ordinal: str, name: str) -> SDraft | None:
        """The part a key's heading names: by its name first (a file of two papers numbers its parts
        一、二 … twice), else by its ordinal."""
        named = [s for s in self.sections if s.name and s.questions and s.name in name]
        if named:
            return named[-1] if len(named) > 1 and named[-1].order == labels.cn_to_int(ordinal) else named[0]
        order = labels.cn_to_int(ordinal)
        return next((s for s in self.sections if s.order == order and s.questions), None)

    def _match_question(self, number: int, stem: str) -> QDraft | None:
        pool = self.key_section.questions if self.key_section else self.all_questions()
        hits = [q for q in pool if q.number == number]
        if not hits and self.key_section:  # the part read wrong; a number only one question has decides
            hits = [q for q in self.all_questions() if q.number == number][:2]
            hits = hits if len(hits) == 1 else []
        if len(hits) == 1:
            return hits[0]
        if hits and stem:
            return max(hits, key=lambda q: _similarity(stem, q.stem_text()))
        if stem:
            best = max(self.all_questions(), key=lambda q: _similarity(stem, q.stem_text()), default=None)
            if best is not None and _similarity(stem, best.stem_text()) >= 0.6:
                return best
        return hits[0] if hits else None




def _may_be_misread(line: Line, label: Label | None) -> bool:
    """A line the whole-page reading may read otherwise than the label grammar: a number or a stray
    mark that the grammar reads as no label ('1,…', '1 算法题', ')1.…'), or digits glued before a
    label in run-on text ('19782.…'). Other lines never ask for the reading."""
    text = line.text
    if label is None:
        first = text[:1]
        if first.isdigit():
            return True
        if first in labels.STRAY_OPENINGS:
            return bool(labels.STRAY_MARK.match(text))  # not every line that opens with a bracket
        return first in labels.OCR_ONES and bool(labels.OCR_ONE.match(text))  # nor every "I …"
    return (line.soft or line.glued) and text[:2].isdigit()


def _doubtful(label: Label) -> bool:
    """A label the reading may outvote: one counting something ('1.0分') or a list item ('…30万元;')."""
    rest = label.rest
    counting = (rest[:1].isdigit() or label.printed.isdigit()) and labels.QUANTITY.match(rest)  # "1.0分", "1分"
    return bool(counting) or rest.rstrip().endswith((";", "；"))


UNLABELLED_ITEM_MAX = 150  # an unlabelled item's stem is short; a longer line is a passage or directions
TOPIC_MAX = 24  # a label line this short, asking nothing, may name only its question's topic


def _topic_only(text: str) -> bool:
    return len(text) <= TOPIC_MAX and not text.rstrip().endswith("?") and not labels.BLANK.search(text)


def _circled_material(q: QDraft) -> bool:
    """The question's sub-items are all circled ('①…', '②…'): statements or sentences its options pick from."""
    return all(x.lstrip()[:1] in labels.CIRCLED for x in q.sub_items)


def _may_go_on(q: QDraft, letter: str) -> bool:
    """An option run starts at A, or goes on from one in the stem: a lone 'E、I' after a fill-in
    question is its key ('E、I' fills its two blanks), not an option E."""
    return bool(q.options or letter in "Aa" or _run_in_stem(q, letter))


def _undelimited_run(text: str) -> bool:
    """A line that is an option run A→C or further, its letters written straight before their text."""
    run = labels.split_options(text)
    return bool(run and not run[0].strip() and len(run[1]) >= 3)


def _run_in_stem(q: QDraft, letter: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The option run in the stem that `letter` goes on from ("…A. … B. … C. …" then "D. …")."""
    earlier = labels.split_options(q.stem_text())
    return earlier if earlier and ord(earlier[1][-1][0]) + 1 == ord(letter) else None


def _ends_with_options(text: str) -> bool:
    """'in the evenings? A. fact B. tendency C. notion': the stem's end and its options."""
    run = labels.split_options(text)
    return bool(run and run[0].strip())


def _only_options(text: str) -> bool:
    run = labels.split_options(text)
    return bool(run) and not run[0].strip()


def _cjk_edge(left: str, right: str) -> bool:
    return bool(left and right and (ord(left[-1]) > 0x2E80 or ord(right[0]) > 0x2E80))


_KEY_PAIR = re.compile(rf"({labels.QNUM})\s*[.、:\-]?\s*([A-H]{{1,5}}|[√×✓✗对错])(?![A-Za-z\u4e00-\u9fff])")
_KEY_RANGES = re.compile(rf"({labels.QNUM})[-~～—]({labels.QNUM})[:.、]?([A-H]+)[,;，；]?")


def _compact_key(text: str) -> list[tuple[int, str]]:
    """'1.A 2.B 3.C', '1-5 ABCDA' or '1-5 ABCDA 6-10 BBCAD': an answer key line."""
    squeezed = text.replace(" ", "")
    ranges = list(_KEY_RANGES.finditer(squeezed))
    if ranges and sum(len(m.group(0)) for m in ranges) >= 0.8 * len(squeezed):
        keys = []
        for m in ranges:
            a, b, letters = int(m.group(1)), int(m.group(2)), m.group(3)
            if b - a + 1 != len(letters):
                return []
            keys += [(a + i, ch) for i, ch in enumerate(letters)]
        return keys
    pairs = _KEY_PAIR.findall(text)
    if len(pairs) >= 2 and sum(len(n) + len(v) for n, v in pairs) >= 0.5 * len(text.replace(" ", "")):
        return [(int(n), v) for n, v in pairs]
    return []


def _similarity(a: str, b: str) -> float:
    sa, sb = _grams(a), _grams(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb)))


def _grams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + 2] for i in range(max(1, len(text) - 1))}


def _similar(a: str, b: str) -> bool:
    return _similarity(a, b) >= 0.5


def parse_lines(lines: list[Line]) -> ParseResult:
    return Parser(lines).run()
