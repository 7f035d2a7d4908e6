"""Validate step: check declared counts and totals, find cut previews, say what is missing."""

from __future__ import annotations

import re
from itertools import pairwise

from pipeline.grammar import labels
from pipeline.models import QuestionSet
from pipeline.page import Page

OPTION_COMPLETE_MAX = 30  # an option longer than this that ends without punctuation was cut
LIST_GOES_ON = ("、", ",", "，")


def _label(heading: str | None) -> str:
    return heading[:24] if heading else "(no heading)"


def check_sections(qset: QuestionSet) -> list[str]:
    found: list[str] = []
    for s in qset.sections:
        n = len(s.questions)
        if s.count_declared is not None and s.count_declared != n:
            found.append(f"count_mismatch: {_label(s.heading)} declares {s.count_declared} questions, found {n}")
        if s.score_each is not None and s.count_declared and s.score_total is not None:
            expected = s.score_each * s.count_declared
            if abs(expected - s.score_total) > 1e-9:
                found.append(f"total_mismatch: {_label(s.heading)} declares {s.count_declared} × {s.score_each} "
                             f"= {expected:g}, but a total of {s.score_total:g}")
        scores = [q.score for q in s.questions if q.score is not None]
        complete = n and len(scores) == n and s.count_declared in (None, n)
        if complete and s.score_total is not None and abs(sum(scores) - s.score_total) > 1e-9:
            found.append(f"score_sum_mismatch: {_label(s.heading)} question scores add up to {sum(scores):g}, "
                         f"not the declared {s.score_total:g}")
        numbers = [int(q.number) for q in s.questions if q.number and q.number.isdigit()]
        for a, b in pairwise(numbers):
            if b != a + 1:
                found.append(f"numbering_gap: {_label(s.heading)} goes from {a} to {b}")
    return found


def check_answers(qset: QuestionSet) -> list[str]:
    questions = qset.questions()
    answered = [q for q in questions if q.answer]
    missing = [(s.ordinal, q) for s in qset.sections for q in s.questions if not q.answer]
    if answered and missing:
        numbers = ", ".join("-".join(x for x in (o, q.number or q.label) if x) or "?" for o, q in missing[:8])
        return [f"missing_answer: {len(missing)} of {len(questions)} questions have no answer ({numbers})"]
    return []


def is_truncated(page: Page, qset: QuestionSet) -> bool:
    if page.truncated_marker:
        return True
    if page.format == "docx":
        return False  # a Word file is the whole document (sites cut their previews as pages), unless it says so
    last = page.lines[-1].text if page.lines else ""
    aside = OPEN_ASIDE.search(last)
    ended = labels.ends_sentence(last) and not (aside and not labels.SCORE_LABEL.fullmatch(aside.group(0)))
    if last and (not ended or _empty_option(last)) and not _complete_tail(last, qset):
        return True
    final = qset.sections[-1] if qset.sections else None
    if not (final and final.questions):
        return False
    last_question = final.questions[-1]
    if not (last_question.stem or last_question.options or last_question.answer):
        return True  # its label and nothing after it: the cut
    return len(final.questions) < (_expected_count(final) or 0) or _last_question_cut(final.questions)


# "…中芳香烃(双环芳烃)": an aside in words closes a clause, not the text (never a score, key or blank).
OPEN_ASIDE = re.compile(r"[(（][^()（）]*[\u4e00-\u9fff]{2}[^()（）分]*[)）]$")
RUN_MIN = 2  # questions before the last that show the rhythm it breaks


def _last_question_cut(questions: list) -> bool:
    """The last question stops short of what every other one has: fewer options than any of them,
    or no answer where all of them have one. The preview was cut inside it."""
    *others, last = questions
    if len(others) < RUN_MIN:
        return False
    counts = [len(q.options) for q in others]
    if all(counts) and len(last.options) < min(counts):
        return True
    return all(q.answer for q in others) and not last.answer


def _expected_count(section) -> int | None:
    """Declared, or implied by the declared total and the score of each ('每题2分,共20分': 10)."""
    if section.count_declared:
        return section.count_declared
    if section.score_each and section.score_total:
        implied = section.score_total / section.score_each
        return int(implied) if float(implied).is_integer() else None
    return None


def _empty_option(line: str) -> bool:
    option = labels.leading_option(line)
    return option is not None and not option[1].strip()


FULL_RUN = 4


def _complete_tail(last: str, qset: QuestionSet) -> bool:
    """A last line without a full stop is still complete when it is an option, a key or a code line.
    An option cut mid-text is not: an empty one ('C.'), or a long one that stops mid-sentence."""
    if last.rstrip().endswith(LIST_GOES_ON):
        return False  # "答:铜、铝、": a list stopped mid-way
    option = labels.leading_option(last)
    if option and (not option[1].strip() or len(option[1]) > OPTION_COMPLETE_MAX):
        return False
    run = None if option else labels.split_options(last)  # "人体最大的器官是()A.心脏B.肝脏C.皮肤D.肺": a whole item
    # (a run A→D at least: one that stops at C may have lost its D to the cut)
    ends_run = bool(run and len(run[1]) >= FULL_RUN and 0 < len(run[1][-1][1]) <= OPTION_COMPLETE_MAX)
    if option or ends_run or labels.JUDGEMENT.match(last):
        questions = qset.questions()
        return bool(questions) and all(s.count_declared in (None, len(s.questions)) for s in qset.sections)
    found = labels.field_label(last)
    if found and found[0] == "answer" and 0 < len(found[1]) <= 8:
        return True  # a short key such as "答案:B" ends a question
    return last.endswith(("}", ";", ">"))


RECORD_FINDINGS = ("count_mismatch:", "total_mismatch:", "score_sum_mismatch:", "numbering_gap:", "missing_answer:")


def revalidate(qset: QuestionSet) -> QuestionSet:
    """The findings that read only the records, read again: after an editor's corrections, a count now
    met or an answer now given is no longer a finding."""
    kept = [w for w in qset.warnings if not w.startswith(RECORD_FINDINGS)]
    return qset.model_copy(update={"warnings": kept + check_sections(qset) + check_answers(qset)})


def validate(page: Page, qset: QuestionSet) -> QuestionSet:
    warnings = list(qset.warnings) + check_sections(qset) + check_answers(qset)
    truncated = is_truncated(page, qset)
    if truncated:
        warnings.append("truncated: the page stops mid-document (a cut preview)")
    return qset.model_copy(update={"warnings": warnings, "truncated": truncated})
