"""Assess step: how sure the parser is of each question and of the set, and why an editor should look.

Each finding against a question multiplies its confidence by a factor (`DOUBTS`, one place, each with
why); a set is as sure as its least sure question, lowered by findings about the whole page. A set
needs review when a question falls below `REVIEW_BELOW` or the page shows site chrome in its text.
The factors are calibrated on the dev set: `python -m bench.calibration` prints, per confidence band,
the share of questions that are fully right against the gold.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import labels
from .boilerplate import chrome_words
from .models import Question, QuestionSet

# Finding → factor on the question's confidence, and why it speaks against the reading.
DOUBTS: dict[str, float] = {
    # (each factor the share of questions with the finding that were fully right on the dev set,
    # `python -m bench.calibration`; rounded down)
    "answers_missing": 0.8,  # no answer where most of the page's questions have one: a key lost or misassigned
    "options_irregular": 0.85,  # fewer options than its part's others, none in a choice part, an empty one
    "stem_suspect": 0.85,  # options or an answer label left in the stem, or no stem: a split missed
    "stem_long": 0.9,  # a stem this long may hold the next question
    "numbering_gap": 0.65,  # the number before or after it is missing: a label lost next to it
    "count_mismatch": 0.97,  # its part declares another count: a question lost or split in the part
    "cut_preview": 0.88,  # the last question of a cut preview: it may stop mid-way
    "unnumbered": 0.9,  # no number where its part's others have one: a label the grammar could not read
}
SET_DOUBTS: dict[str, float] = {
    "chrome_suspect": 0.8,  # site vocabulary left in the published text: chrome the rules missed
}
CUT_EXPLAINS = frozenset({"answers_missing", "options_irregular"})
REVIEW_BELOW = 0.86  # a question less sure than this sends its set to review
STEM_LONG = 400
STEM_GLUED_OPTIONS = re.compile(r"(?:^|[\s。?)])A\s*[.、．]\S.{0,40}?B\s*[.、．]\S")


@dataclass
class _Findings:
    """What speaks against each question (by index in page order), and against the set."""

    doubts: dict[int, list[str]] = field(default_factory=dict)
    set_doubts: list[str] = field(default_factory=list)

    def add(self, index: int, doubt: str) -> None:
        self.doubts.setdefault(index, []).append(doubt)


def assess(qset: QuestionSet) -> QuestionSet:
    """The set with every question's confidence, the set's, and its review flag and reasons."""
    questions = qset.questions()
    found = _Findings()
    _answers(questions, found)
    _sections(qset, found)
    _stems_and_options(qset, found)
    if qset.truncated and questions:
        # the cut explains what its last question lacks (its key, its later options): one finding, the cut
        last = len(questions) - 1
        found.doubts[last] = [d for d in found.doubts.get(last, []) if d not in CUT_EXPLAINS] + ["cut_preview"]
    if _chrome_left(qset):
        found.set_doubts.append("chrome_suspect")
    scores = [_score(found.doubts.get(i, [])) for i in range(len(questions))]
    by_id = dict(zip((q.id for q in questions), scores, strict=True))
    sections = [s.model_copy(update={"questions": [q.model_copy(update={"confidence": by_id[q.id]})
                                                   for q in s.questions]}) for s in qset.sections]
    confidence = min(scores, default=1.0)
    for doubt in found.set_doubts:
        confidence *= SET_DOUBTS[doubt]
    reasons = _reasons(questions, found)
    needs_review = any(x < REVIEW_BELOW for x in scores) or bool(found.set_doubts)
    return qset.model_copy(update={"sections": sections, "confidence": round(confidence, 3),
                                   "needs_review": needs_review, "review_reasons": reasons})


def _score(doubts: list[str]) -> float:
    value = 1.0
    for doubt in doubts:
        value *= DOUBTS[doubt]
    return round(value, 3)


def _answers(questions: list[Question], found: _Findings) -> None:
    answered = sum(1 for q in questions if q.answer)
    if answered and answered >= 0.5 * len(questions):
        for i, q in enumerate(questions):
            if not q.answer:
                found.add(i, "answers_missing")


def _sections(qset: QuestionSet, found: _Findings) -> None:
    index = 0
    for si, s in enumerate(qset.sections):
        numbers = [int(q.number) if q.number and q.number.isdigit() else None for q in s.questions]
        numbered = sum(1 for n in numbers if n is not None)
        # a cut preview's last part holds fewer than it declares: the cut explains it
        cut_short = qset.truncated and si == len(qset.sections) - 1 and (s.count_declared or 0) > len(s.questions)
        for k, n in enumerate(numbers):
            i = index + k
            if s.count_declared is not None and s.count_declared != len(s.questions) and not cut_short:
                found.add(i, "count_mismatch")
            if n is None and numbered >= 2:
                found.add(i, "unnumbered")
            before = numbers[k - 1] if k else None
            after = numbers[k + 1] if k + 1 < len(numbers) else None
            if n is not None and ((before is not None and n - before > 1) or (after is not None and after - n > 1)):
                found.add(i, "numbering_gap")
        index += len(s.questions)


def _stems_and_options(qset: QuestionSet, found: _Findings) -> None:
    index = 0
    for s in qset.sections:
        counts = Counter(len(q.options) for q in s.questions if q.options)
        usual = counts.most_common(1)[0][0] if counts else 0
        for k, q in enumerate(s.questions):
            i = index + k
            choice_part = usual and len(counts) and sum(counts.values()) >= 0.75 * len(s.questions)
            if (q.options and (len(q.options) < usual or any(not o.text.strip() for o in q.options))) or (
                    not q.options and choice_part):
                found.add(i, "options_irregular")
            stem = q.stem.strip()
            # (no stem is doubtful only without options: a listening item prints its options alone)
            if (len(stem) < 2 and not q.options) or labels.field_label(stem) or STEM_GLUED_OPTIONS.search(stem):
                found.add(i, "stem_suspect")
            elif len(stem) > STEM_LONG:
                found.add(i, "stem_long")
        index += len(s.questions)


def _chrome_left(qset: QuestionSet) -> bool:
    texts = [qset.title or "", *(c.text for c in qset.content),
             *(x for q in qset.questions() for x in (q.stem, q.answer or ""))]
    return any(chrome_words(t) >= CHROME_WORDS for t in texts if t)


CHROME_WORDS = 3  # three site words in one published string (下载, 文档, 会员 …): chrome left in the text


def _reasons(questions: list[Question], found: _Findings) -> list[str]:
    """'numbering_gap: 4, 6', 'answers_missing: 3 of 12', … in the order of `DOUBTS`, then the set's."""
    reasons = []
    for doubt in DOUBTS:
        hit = [i for i, doubts in found.doubts.items() if doubt in doubts]
        if not hit:
            continue
        names = ", ".join(questions[i].number or questions[i].label or f"#{i + 1}" for i in sorted(hit)[:8])
        count = f" ({len(hit)} of {len(questions)})" if doubt == "answers_missing" else ""
        reasons.append(f"{doubt}: {names}{count}")
    return reasons + list(found.set_doubts)
