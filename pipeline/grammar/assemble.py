"""Assemble step: parser drafts → validated Pydantic records with stable ids.

Page-level decisions that need every question at once live here: whether unlabelled text after
each question is its answer (a page with a question/answer rhythm), and whether a numbered run
is really a list of points (article text) rather than questions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from pipeline.grammar import labels, words
from pipeline.grammar.parse import ParseResult, QDraft, SDraft, family
from pipeline.models import ContentBlock, Option, Question, QuestionSet, Section, Source
from pipeline.page import Page

Restore = Callable[[str | None], str | None]  # a matching-text string → the page's own characters

RHYTHM_SHARE = 0.5
JUDGEMENT_MARKS = frozenset("√×✓✗✔✘")


def stable_id(*parts: str, length: int = 16) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def set_id_for(text: str) -> str:
    """Same cleaned-before-parsing text → same id, whatever the raw encoding or file name."""
    return stable_id("".join(text.split()))


# --- per question ---------------------------------------------------------------------------------
def finish_question(q: QDraft) -> None:
    """Options, score, and an answer printed inside the stem."""
    _options_broken_across_lines(q)
    stem = q.stem_text().strip()
    if not q.options:
        stem = _options_from_stem(q, stem)
    if q.score is None and "分" in stem:
        stem = _score_from_stem(q, stem)
    if q.score is None and q.options and "分" in q.options[-1][1]:
        _score_after_options(q)
    if q.answer is None:
        stem = _key_in_stem(q, stem)
    if q.answer is None and q.options:
        _key_marked_in_place(q)
    q.stem = [stem.lstrip("、,.: ")] if stem else []


# The stem's line ending in its first option: "…I have ____ red one. A. a;"
OPENS_OPTION_RUN = re.compile(r"(?:^|\s)A\s*[.．、]\s*\S[^.．、]*$")


def _options_broken_across_lines(q: QDraft) -> None:
    """Options broken by hard line breaks (kinds K16: '…one. A. a;' / 'an B. an;' / 'a C. the;' / …):
    the stem ends in option A, each later line holds the rest of one option and the next label; the
    lines are the run's, joined back, not notes after the question."""
    if q.options or not q.notes or not q.stem or not OPENS_OPTION_RUN.search(q.stem[-1]):
        return
    letters = labels.OPTION_LETTERS[1:]
    held = 0  # how many of the lines hold the next letter's label
    for k, line in enumerate(q.notes):
        if held < len(letters) and re.search(rf"(?:^|\s){letters[held]}\s*[.．、]", line):
            held += 1
        elif k < len(q.notes) - 1:
            return  # only the last line may hold no label: the last option's end
    joined = " ".join([q.stem[-1], *q.notes])
    run = labels.split_options(joined)
    if held >= 2 and run and len(run[1]) == held + 1:
        q.stem[-1], q.notes = joined, []


def _key_marked_in_place(q: QDraft) -> None:
    """'B、错误(正确答案)', '【B】… 【此项为本题正确答案】' (kinds K9): the options marked right are the key;
    the mark is not their text."""
    marked = []
    for option in q.options:
        m = labels.IN_PLACE_KEY.search(option[1])
        if m:
            option[1] = (option[1][: m.start()] + option[1][m.end():]).strip()
            marked.append(option[0])
    if marked:
        q.answer, q.answer_source = ["".join(marked)], "inline"


def _options_from_stem(q: QDraft, stem: str) -> str:
    run = labels.split_options(stem)
    circled = None if run else _circled_options(stem)  # A–D first: '①②' may be their text
    if circled:
        head, q.options = circled
        key = KEY_BEFORE_STEM.match(head)
        if key and int(key.group(1)) <= len(q.options):  # "1. (3) 下列何者為質數?①4②6③7④8。"
            q.answer, q.answer_source = [labels.CIRCLED[int(key.group(1)) - 1]], "inline"
            head = head[key.end():]
        return head
    # a numbered item may be options alone (listening items: "20. (A) … (B) …")
    if run and (run[0].strip() or q.number is not None):
        q.options = [[a, b] for a, b in run[1]]
        return run[0]
    lone = labels.LONE_OPTION.search(stem) if "A" in stem else None  # "…?()A.直接告知" at a cut
    if lone:
        q.options = [["A", stem[lone.end():].strip()]]
        return stem[: lone.start(lone.lastindex or 1)].rstrip()  # the stem ends before the letter
    return stem


# Options numbered ①②③④ (kinds K12, exam papers of Taiwan): the key may stand before the stem, '(3)'.
CIRCLED_MARK = re.compile(f"[{labels.CIRCLED}]")
KEY_BEFORE_STEM = re.compile(r"^[(（]\s*([1-9])\s*[)）]\s*")
CIRCLED_RUN_MIN = 3


def _circled_options(stem: str) -> tuple[str, list[list[str]]] | None:
    """(the stem before ①, the options ①, ②, ③ … in order) when the stem ends in such a run."""
    if labels.CIRCLED[0] not in stem:
        return None
    marks = list(CIRCLED_MARK.finditer(stem))
    first = next((i for i in range(len(marks) - 1, -1, -1) if marks[i].group() == labels.CIRCLED[0]), None)
    if first is None:
        return None
    run = marks[first:]
    if len(run) < CIRCLED_RUN_MIN or any(m.group() != labels.CIRCLED[k] for k, m in enumerate(run)):
        return None
    stops = [m.start() for m in run[1:]] + [len(stem)]
    options = [[m.group(), stem[m.end(): stop].strip().rstrip("。")] for m, stop in zip(run, stops, strict=True)]
    if not all(text for _, text in options):
        return None
    return stem[: run[0].start()].rstrip(), options


def _score_from_stem(q: QDraft, stem: str) -> str:
    tail = list(labels.SCORE_LABEL.finditer(stem))
    if tail and tail[-1].end() >= len(stem.rstrip(" 。.")) - 1:
        q.score = labels.number_value(tail[-1].group(1))
        return (stem[: tail[-1].start()] + stem[tail[-1].end():]).strip()
    return stem


# What a quiz export prints after a question's score: the answer sheet's empty labels ("A.B.C.D.").
EMPTY_LABELS = re.compile(r"(?:\s*[A-H]\s*[.．、])*\s*$")


def _score_after_options(q: QDraft) -> None:
    """'D. excited(分数:1.00)A.B.C.D.': the question's score printed after its last option."""
    last = q.options[-1]
    m = next((m for m in labels.SCORE_LABEL.finditer(last[1]) if EMPTY_LABELS.match(last[1], m.end())), None)
    if m:
        q.score = labels.number_value(m.group(1))
        last[1] = last[1][: m.start()].rstrip()


# "(A) () ()": a bracketed letter followed by another bracket opens a run of option labels, not a key.
OPTION_BRACKET_NEXT = re.compile(r"\s*[(（]\s*(?:[A-Ha-h]\s*)?[)）]")


def _key_letters(key: str) -> set[str]:
    """'(a b )' keys options A and B: a key's letters in the options' case."""
    return set(key.replace(" ", "").upper())


def _key_in_stem(q: QDraft, stem: str) -> str:
    """The key printed in the stem's bracket, in its filled blanks, after the last option, or as a
    √/× at its end. The stem keeps a bracket or blank as printed (the student edition blanks it)."""
    if q.options:
        letters = {o[0].upper() for o in q.options}
        m = next((m for m in labels.BRACKET_CHOICE.finditer(stem)
                  if _key_letters(m.group(1)) <= letters and not OPTION_BRACKET_NEXT.match(stem, m.end())), None)
        last = q.options[-1]
        tail = labels.BRACKET_CHOICE.search(last[1])
        if m:
            q.answer, q.answer_source = [m.group(1).replace(" ", "")], "stem_bracket"
        elif tail and tail.end() == len(last[1].rstrip(" 。.")) and _key_letters(tail.group(1)) <= letters:
            q.answer, q.answer_source = [tail.group(1).replace(" ", "")], "stem_bracket"  # "…D.Unpredictable(C)"
            last[1] = last[1][: tail.start()].rstrip()
    if q.answer is None and "_" in stem:
        # in a choice question a blank holds option letters, even of options a preview cut off
        allowed = set(labels.OPTION_LETTERS) | {o[0] for o in q.options}
        filled = [m.group(1) for m in labels.FILLED_BLANK.finditer(stem)
                  if (not q.options or set(m.group(1)) <= allowed) and not labels.FORM_FIELDS.match(m.group(1))
                  and not labels.BLANK_NUMBER.match(m.group(1))]
        if filled:
            q.answer, q.answer_source = ["; ".join(filled)], "stem_blank"
    if q.answer is None and not JUDGEMENT_MARKS.isdisjoint(stem):
        m = labels.INLINE_JUDGEMENT.search(stem)
        if m:
            q.answer, q.answer_source = [m.group(1)], "inline"
            return stem[: m.start()].rstrip()
    return stem


def keys_of_cut_choices(section: SDraft) -> None:
    """'13.刊登…一文杂志是(C)' where a preview cut the options off: in a part whose choice questions
    print their keys in the stem's bracket, an item without options keeps the key its bracket holds."""
    choices = [q for q in section.questions if q.options]
    keyed = [q for q in choices if q.answer_source == "stem_bracket"]
    if len(keyed) < 3 or len(keyed) < RHYTHM_SHARE * len(choices):
        return
    letters = {o[0].upper() for q in choices for o in q.options}
    for q in section.questions:
        if q.options or q.answer is not None or not q.stem:
            continue
        m = next((m for m in labels.BRACKET_CHOICE.finditer(q.stem_text()) if _key_letters(m.group(1)) <= letters
                  and not OPTION_BRACKET_NEXT.match(q.stem_text(), m.end())), None)
        if m:
            q.answer, q.answer_source = [m.group(1).replace(" ", "")], "stem_bracket"


def definitions(section: SDraft) -> None:
    """A part that asks to define terms, printed with its key: each item is the term, then its
    definition with no mark between ('2. 特征是设计者对…', '1. 数控编程根据被加工零件…'). When most of
    the part's items read so, the definition is the answer and the term the stem."""
    if not (section.name and labels.DEFINITION_PART.search(section.name)):
        return
    split = [(q, cut) for q in section.questions
             if q.answer is None and not q.options and len(q.stem) == 1 and (cut := _term_end(q.stem[0]))]
    if len(split) < max(2, RHYTHM_SHARE * len(section.questions)):
        return
    for q, cut in split:
        text = q.stem[0]
        definition = text[cut:].lstrip("".join(labels.DEFINITION_STOPS) + " ")
        q.stem, q.answer, q.answer_source = [text[:cut]], [definition], "inline"


TERM_TAGS = ("n", "j", "s", "l", "vn", "eng", "m")  # what a term opens with: nouns, abbreviations, Latin, digits


def _term_end(text: str) -> int | None:
    """Where the term at the start of a definition ends: at the first word that opens the definition,
    if the term is 2–12 characters, opens with a noun and a definition of some length follows."""
    if len(text) < 12 or "?" in text:
        return None
    tagged = words.tagged(text[:40])
    if not tagged or not tagged[0][1].startswith(TERM_TAGS):
        return None
    end = 0
    for word, tag in tagged:
        if word in labels.DEFINITION_OPENERS or tag == "p" or word[0] in labels.DEFINITION_STOPS:
            break
        end += len(word)
    # a definition that restates the term's first word ('危机评估危机评估,就是…', '危机的辩证含义危机的内涵…')
    restated = text.find(text[:2], 2, end + 2)
    if restated >= 2:
        end = min(end, restated)
    return end if 2 <= end <= 12 and len(text) - end >= 8 else None


def filled_brackets(section: SDraft) -> None:
    """A fill-in part (填空) that prints its answers in the blanks' brackets ('要经过(支部大会)通过'):
    when most of its questions hold a filled bracket, those are the answers. A lone bracket in one
    stem of a part whose blanks were lost ('传送1个数位(0或1)需要') is the author's text."""
    if not (section.name and labels.FILL_IN_PART.search(section.name)):
        return
    found = []
    for q in section.questions:
        if q.answer is None and not q.options and q.stem:
            stem = q.stem_text()
            filled = [m.group(1) for m in labels.FILLED_BRACKET.finditer(stem)
                      if not labels.SCORE_LABEL.fullmatch(m.group(0))]
            if filled:
                found.append((q, filled))
    if len(found) < max(2, RHYTHM_SHARE * len(section.questions)):
        return
    for q, filled in found:
        q.answer, q.answer_source = ["; ".join(filled)], "stem_blank"


KEY_ENDS = frozenset("ABCDEFGH√×")  # what a line ending in a key ends with: the search runs only there


def trailing_keys(questions: list[QDraft]) -> None:
    """Pages that print each statement's key at its end ('…建立“中国共产党”D'): when most questions
    without options or answers end so, the letters are their answers."""
    open_ones = [q for q in questions if not q.options and q.answer is None and q.stem]
    keyed = [(q, m) for q in open_ones if (q.notes or q.stem)[-1].rstrip()[-1:] in KEY_ENDS
             and (m := labels.TRAILING_KEY.search((q.notes or q.stem)[-1]))]
    if len(keyed) < 3 or len(keyed) < RHYTHM_SHARE * len(questions):
        return
    for q, m in keyed:
        tail = q.notes or q.stem
        tail[-1] = tail[-1][: m.start()].rstrip()
        # A statement wrapped across a blank line keeps its key at its very end: the text between is
        # the statement's own continuation, not a note.
        for part in q.notes:
            joint = "" if labels.CJK.match(q.stem[-1][-1:]) or labels.CJK.match(part[:1]) else " "
            q.stem[-1] += joint + part
        q.notes = []
        q.answer, q.answer_source = [m.group(1)], "inline"


# "I think the Internet is very helpful. -- A. Yes, so do I": one option label inside the text.
KEY_IN_PLACE = re.compile(r"(?:^|(?<=[\s\-—?]))(?:[(（【]\s*)?([A-D])\s*[.．)）】、]\s*(?=\S)")


def keys_in_place(section: SDraft) -> None:
    """Sample papers that print each item with only its right option, where it goes ('We A.used to
    swim…', '-- A. Yes, so do I'): when most of a part's items hold exactly one option label and no
    run, that option is the key. The text stays as printed; the option is the label and what follows."""
    open_ones = [q for q in section.questions if not q.options and q.answer is None and q.stem]
    if len(open_ones) < 3 or len(open_ones) < RHYTHM_SHARE * len(section.questions):
        return
    keyed = [(q, found[0]) for q in open_ones
             if len(found := list(KEY_IN_PLACE.finditer(q.stem_text()))) == 1]
    if len(keyed) < 3 or len(keyed) < RHYTHM_SHARE * len(section.questions):
        return
    for q, m in keyed:
        stem = q.stem_text()
        q.options = [[m.group(1), stem[m.end():].strip()]]
        q.answer, q.answer_source = [m.group(1)], "stem_bracket"


def decide_notes(questions: list[QDraft]) -> None:
    """Unlabelled text after a question: its answer on rhythm pages, else analysis or content. A page
    that labels most of its open questions' answers ('答:…') and leaves the label off some answers
    those too: the text right after an open question is its answer."""
    labelled = any(q.answer_source in {"inline", "answer_part"} for q in questions)
    with_notes = [q for q in questions if q.notes]
    rhythm = not labelled and len(with_notes) >= max(2, RHYTHM_SHARE * len(questions))
    mostly_answered = _mostly_answered(questions)
    for q in with_notes:
        if (rhythm or (mostly_answered and not q.options)) and q.answer is None:
            q.answer, q.answer_source = q.notes, "unlabelled"
        elif q.answer is not None and q.answer_source == "inline" and not q.analysis:
            q.analysis = q.notes  # commentary between a question and its labelled answer
        else:
            q.after.extend(q.notes)
        q.notes = []
    _cap_last_answer(questions)


def _mostly_answered(questions: list[QDraft]) -> bool:
    """At least three open questions, most of them with a labelled answer written out."""
    open_ones = [q for q in questions if not q.options]
    answered = sum(1 for q in open_ones if q.answer_source == "inline" and _written(q.answer))
    return len(open_ones) >= 3 and answered >= RHYTHM_SHARE * len(open_ones)


def _written(answer: list[str] | None) -> bool:
    """An answer with text in it: not '答：' or '答：______', the space a paper leaves to write in."""
    text = _text(answer)
    return bool(text) and not ANSWER_SPACE.match(text or "")


def answers_in_points(questions: list[QDraft]) -> None:
    """'汽油的抗爆性与组成有什么关系?' then '(1)对于同族烃类…(2)…': on a page that labels most answers,
    numbered points that ask nothing, after a question that asked, are its answer, not its sub-items."""
    if not _mostly_answered(questions):
        return
    for q in questions:
        if (q.answer is None and not q.options and q.sub_items and q.stem and q.stem[-1].rstrip().endswith("?")
                and not any(labels.looks_like_question(x) for x in q.sub_items)):
            q.answer, q.answer_source, q.sub_items = q.sub_items + q.notes, "unlabelled", []
            q.notes = []


def answers_after_question(questions: list[QDraft]) -> None:
    """"什么是Java?Java是一种…": on a page that answers its open questions, the text after an unanswered
    one's question mark is its answer (with the stem's later lines), unless that text asks something
    itself ('…?请举例说明')."""
    candidates = [q for q in questions if not (q.options or not q.stem or q.sub_items
                                               or (q.answer is not None and q.answer_source != "unlabelled"))]
    if sum(1 for q in questions if q.answer) + len(candidates) < max(2, RHYTHM_SHARE * len(questions)):
        return  # too few could be answered for the page to answer its questions (most pages: choices)
    found = []
    for q in candidates:  # (an answer read from the lines after the question begins after its '?')
        m = _asked_then_answered(q.stem[0], by_full_stop=q.answer is None)
        if m:
            found.append((q, m))
    answered = sum(1 for q in questions if q.answer)
    unanswered_found = sum(1 for q, _ in found if not q.answer)
    if not found or answered + unanswered_found < max(2, RHYTHM_SHARE * len(questions)):
        return
    for q, (asked, answer) in found:
        q.answer, q.answer_source = [answer, *q.stem[1:], *(q.answer or [])], "unlabelled"
        q.stem = [asked]


# "…可能有、、、、五种关系。全同关系、真包含于关系、…": a fill-in whose blanks the converter lost, its keys
# (two or more short terms joined by 、) glued after its full stop.
_KEY_TERM = r"[^\s。，,；;？?！!：:、]{1,14}"
KEYS_AFTER_STOP = re.compile(rf"^(.{{4,}}。)\s*({_KEY_TERM}(?:\s*、\s*{_KEY_TERM})+)$", re.S)


def keys_after_stop(questions: list[QDraft]) -> None:
    """On a page whose open questions mostly have an unlabelled answer (the line after each), an
    unanswered one whose last line ends in a list of short terms after its full stop: that list is
    its key, where the page dropped the line break."""
    open_ones = [q for q in questions if not q.options and q.stem]
    answered = [q for q in open_ones if q.answer is not None and q.answer_source == "unlabelled"]
    if len(open_ones) < 3 or len(answered) < RHYTHM_SHARE * len(open_ones):
        return
    for q in open_ones:
        if q.answer is None and not q.sub_items and (m := KEYS_AFTER_STOP.match(q.stem[-1])):
            q.stem[-1], q.answer, q.answer_source = m.group(1), [m.group(2)], "unlabelled"


# "2.对概念进行限制和概括的逻辑根据是。概念外延之间的反变关系": a fill-in's key after its full stop, where
# the page lost every line break: a short phrase that ends no sentence.
KEY_AFTER_STOP = re.compile(r"^(.{4,}。)\s*([^\s。？?！!；;,，][^。？?！!；;,，]{0,47})$", re.S)  # no clause: no comma


def fill_in_keys_after_stop(section: SDraft) -> None:
    """In a fill-in part (填空) that lost its blanks and its line breaks, when most of its unanswered
    items end in a short phrase after their full stop, those phrases are their keys."""
    if not (section.name and labels.FILL_IN_PART.search(section.name)):
        return
    open_ones = [q for q in section.questions if not q.options and q.stem and q.answer is None and not q.sub_items]
    found = [(q, m) for q in open_ones if not q.notes and (m := KEY_AFTER_STOP.match(q.stem[-1]))
             and not labels.looks_like_question(m.group(2))]
    if len(found) < 3 or len(found) < RHYTHM_SHARE * len(open_ones):
        return
    for q, m in found:
        q.stem[-1], q.answer, q.answer_source = m.group(1), [m.group(2)], "unlabelled"


def _asked_then_answered(text: str, by_full_stop: bool) -> tuple[str, str] | None:
    """The question and its answer, split after the first '?' that the rest does not ask again
    ('什么是异常?Java中如何处理异常?异常是…': two questions, then the answer)."""
    for end in (i + 1 for i, ch in enumerate(text) if ch == "?" and i >= 2):
        rest = text[end:].strip()
        if len(rest) >= 4 and _says_something(rest) and not labels.looks_like_question(rest):
            return text[:end], rest
    # "解释封装性在Java中的含义。封装是…": a request ended by a full stop, its answer straight after
    # (only where nothing follows on the lines after: an answer there means the sentence is the stem's)
    end = text.find("。") + 1
    if by_full_stop and 4 <= end <= ASKED_MAX and labels.looks_like_question(text[:end]):
        rest = text[end:].strip()
        if len(rest) >= 4 and _says_something(rest) and not labels.looks_like_question(rest):
            return text[:end], rest
    return None


ASKED_MAX = 40  # a request longer than this before its full stop is a passage or a case, not one request


def _says_something(text: str) -> bool:
    """More than the question's score and blank ('(分数: -1.00) _')."""
    return len(WORDS.findall(SCORE_FIELD.sub("", text))) >= 4


WORDS = re.compile(r"[^\W_]")
SCORE_FIELD = re.compile(r"[(（【][^()（）【】]{0,12}分[^()（）【】]{0,8}[)）】]")


def _cap_last_answer(questions: list[QDraft]) -> None:
    """If every other answer is one paragraph, the last question's extra paragraphs are trailing content."""
    answered = [q for q in questions if q.answer]
    if len(answered) < 3 or answered[-1] is not questions[-1]:
        return
    last, others = answered[-1], answered[:-1]
    if all(len(q.answer or []) == 1 for q in others) and len(last.answer or []) > 1:
        assert last.answer is not None
        last.after = last.answer[1:] + last.after
        last.answer = last.answer[:1]


def _label_at_the_cut(sections: list[SDraft]) -> QDraft | None:
    """'3.题目:…' then '4.' as the page's last line: the preview cut question 4 off after its label.
    It is a question with no stem (the page numbers it), not text; a bare label that continues no
    sequence, or is followed by anything, is text."""
    drafts = [q for s in sections for q in s.questions]
    last = drafts[-1] if drafts else None
    if last is None or last.stem or last.options or last.answer or as_text(last) != [last.label.printed if last.label
                                                                                      else ""]:
        return None
    part = next(s for s in sections if s.questions and s.questions[-1] is last)
    before = part.questions[-2] if len(part.questions) > 1 else None
    if last.number is None or before is None or family(before) != family(last) or before.number != last.number - 1:
        return None
    return last


def as_text(q: QDraft) -> list[str]:
    """A draft that turned out not to be a question, back as the lines of text it held."""
    head = " ".join(x for x in [q.label.printed if q.label else "", q.stem_text()] if x)
    options = [f"{a}.{b}" for a, b in q.options]
    rest = [*q.sub_items, *options, *(q.answer or []), *q.analysis, *q.scoring, *q.notes, *q.after]
    return [x for x in [head, *rest] if x]


def _is_point_list(run: list[QDraft]) -> bool:
    """'1. 抗压能力。客服人员…' items: a list of points in article text, not questions."""
    if len(run) < 2 or any(q.answer or q.options or q.score is not None for q in run):
        return False
    plain = [q for q in run if not labels.looks_like_question(q.stem_text())]
    return len(plain) >= 2 * len(run) / 3


def demote_point_lists(section: SDraft, other_styles: bool) -> list[str]:
    """Numbered runs that are lists of points become content (only beside questions of another style)."""
    if not other_styles:
        return []
    kept: list[QDraft] = []
    run: list[QDraft] = []
    demoted: list[str] = []

    def flush() -> None:
        if _is_point_list(run):
            target = kept[-1].after if kept else demoted
            for q in run:
                target.extend(as_text(q))
        else:
            kept.extend(run)
        run.clear()

    for q in section.questions:
        if q.label is not None and q.number is not None:
            run.append(q)
        else:
            flush()
            kept.append(q)
    flush()
    section.questions = kept
    return demoted


# --- records ---------------------------------------------------------------------------------
def _text(lines: list[str] | None) -> str | None:
    if lines is None:
        return None
    joined = "\n".join(x for x in lines if x.strip()).strip()
    return joined or None


def _kind(q: QDraft, answer: str | None, stem: str, part: str | None = None) -> str:
    if q.options:
        return "choice"
    if answer and labels.JUDGEMENT.match(answer):
        return "true_false"
    if part and labels.JUDGEMENT_PART.search(part):
        return "true_false"  # a statement in a 判断题 part is one to judge, answered or not
    if labels.BLANK.search(stem):
        return "fill_blank"
    return "open"


# Only blanks to write on (with their numbers): "________", "1______ 2______", "(  )(  )"
ANSWER_SPACE = re.compile(r"^(?=.*(?:[_＿]{3}|[(（]\s+[)）]))[\s_＿\d()（）、,，.:：]*$")


def to_question(q: QDraft, set_id: str, index: str, score_each: int | float | None,
                restore: Restore = lambda x: x, part: str | None = None) -> Question:
    """The record of a question; its id and kind read the matching text, its strings are `restore`d
    to the page's own characters (in this order: stem, sub-items, options, answer, analysis, points)."""
    stem = q.stem_text()
    answer = _text(q.answer)
    if answer and ANSWER_SPACE.match(answer):
        answer = None  # "答:______": the line a student writes on, not an answer
    return Question(
        id=stable_id(set_id, index, stem),
        number=str(q.number) if q.number is not None else None,
        label=q.label.printed if q.label else None,
        kind=_kind(q, answer, stem, part),  # type: ignore[arg-type]
        stem=restore(stem) or stem,
        sub_items=[restore(x) or x for x in q.sub_items if x.strip()],
        options=[Option(label=a, text=restore(b) or b) for a, b in q.options],
        answer=restore(answer),
        answer_source=q.answer_source if answer else None,  # type: ignore[arg-type]
        analysis=restore(_text(q.analysis)),
        scoring_points=[restore(x) or x for x in q.scoring if x.strip()],
        score=q.score if q.score is not None else score_each,
    )


def demote_stray_first(sections: list[SDraft]) -> list[str]:
    """A lone '1、…' before the first heading whose section numbers again from 1 is a page or
    document prefix ("1、2019年…题库 一、单项选择题 1、…"), not a question."""
    if len(sections) < 2 or sections[0].heading is not None or len(sections[0].questions) != 1:
        return []
    q, following = sections[0].questions[0], sections[1].questions
    if q.number == 1 and following and following[0].number == 1 and not (q.options or q.answer or q.score):
        sections[0].questions = []
        return as_text(q)
    return []


def build_set(page: Page, result: ParseResult, set_id: str, restore: Restore = lambda x: x) -> QuestionSet:
    """The set's records. Every published string goes through `restore` (back to the page's own
    characters) as the record is made, in page order: title, then each section's heading, name and
    intro before its questions, the content blocks last."""
    result.content_before.extend(demote_stray_first(result.sections))
    for s in result.sections:
        for q in s.questions:
            finish_question(q)
        filled_brackets(s)
        fill_in_keys_after_stop(s)
        definitions(s)
        keys_in_place(s)
        keys_of_cut_choices(s)
    questions = [q for s in result.sections for q in s.questions]
    trailing_keys(questions)
    styles = {q.label.family for q in questions if q.label}
    content_head = list(result.content_before)
    for s in result.sections:
        content_head += demote_point_lists(s, other_styles=len(styles) > 1)
    cut_label = _label_at_the_cut(result.sections)
    questions = [q for s in result.sections for q in s.questions if q.stem or q.options or q.answer]
    answers_in_points(questions)
    decide_notes(questions)
    answers_after_question(questions)
    keys_after_stop(questions)
    title = restore(page.title)
    sections: list[Section] = []
    content: list[tuple[str | None, str]] = [(None, t) for t in content_head]  # (after question, text)
    for si, s in enumerate(result.sections):
        if not (s.heading or any(q.stem or q.options or q.answer for q in s.questions)):
            content += [(None, t) for q in s.questions for t in as_text(q)]
            continue  # nothing of it is printed as a section
        heading, name, intro = restore(s.heading), restore(s.name), [restore(x) or x for x in s.intro]
        records = []
        for qi, q in enumerate(s.questions):
            if not (q.stem or q.options or q.answer) and q is not cut_label:  # a bare label: kept as text
                after = records[-1].id if records else None
                content += [(after, t) for t in as_text(q)]
                continue
            record = to_question(q, set_id, f"{si}.{qi}", s.score_each, restore, s.heading)
            records.append(record)
            if q.close_call:
                page.doubts.setdefault(record.id, []).append("close_call")
            content += [(record.id, t) for t in q.after]
        if records or s.heading:
            sections.append(Section(heading=heading, ordinal=s.ordinal, name=name, score_each=s.score_each,
                                    count_declared=s.count_declared, score_total=s.score_total, intro=intro,
                                    questions=records))
    key_text = len(content)  # what follows is the answer part's text that matched no question
    content += [(None, t) for t in result.orphans]
    return QuestionSet(
        id=set_id,
        title=title,
        truncated=False,
        source=Source(path=page.path, sha256=page.sha256, site=page.site.name if page.site else None,
                      encoding=page.encoding, format=page.format),  # type: ignore[arg-type]
        sections=sections,
        content=[ContentBlock(after_question=after, text=restore(t) or t, in_key=k >= key_text)
                 for k, (after, t) in enumerate(content)],
        warnings=list(page.warnings),
    )
