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
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipeline.clean.boilerplate import chrome_words
from pipeline.grammar import labels
from pipeline.models import Question, QuestionSet, Section

# Finding → factor on the question's confidence, and why it speaks against the reading.
DOUBTS: dict[str, float] = {
    # (each factor the share of questions with the finding that were fully right over the dev set and
    # its 14 metamorphic variants, `python -m bench.calibration --findings`, rounded down; stem_suspect
    # and stem_long are too rare there to measure and stay below the review line)
    "answers_missing": 0.58,  # no answer where most of the page's questions have one: a key lost or misassigned
    "options_irregular": 0.5,  # fewer options than its part's others, none in a choice part, an empty one
    "stem_suspect": 0.85,  # options or an answer label left in the stem, or no stem: a split missed
    "stem_long": 0.85,  # a stem this long may hold the next question
    "numbering_gap": 0.71,  # the number before or after it is missing: a label lost next to it
    "count_mismatch": 0.89,  # its part declares another count: a question lost or split in the part
    "cut_preview": 0.87,  # the last question of a cut preview: it may stop mid-way
    "answer_long": 0.54,  # a long answer where the page's others are keys: the next item glued to its key
    "close_call": 0.76,  # the whole-page reading nearly read one of its lines otherwise (a label, or text)
    "unnumbered": 0.97,  # no number where its part's others have one: a label the grammar could not read
}
SET_DOUBTS: dict[str, float] = {
    "chrome_suspect": 0.8,  # site vocabulary left in the published text: chrome the rules missed
    # options in text kept outside the questions: a question whose label was lost, or that the page
    # (an excerpt starting mid-way) shows only the end of
    "options_outside": 0.8,
}
CUT_EXPLAINS = frozenset({"answers_missing", "options_irregular"})
REVIEW_BELOW = 0.86  # a question less sure than this sends its set to review
STEM_LONG = 400
OPTION_RUN = re.compile(r"(?:^|[\s。.?)])[(（]?B\s*[.、．)）]\s*\S.{0,80}?[(（]?C\s*[.、．)）]\s*\S.{0,80}?"
                        r"[(（]?D\s*[.、．)）]\s*\S")
STEM_GLUED_OPTIONS = re.compile(r"(?:^|[\s。?)])A\s*[.、．]\S.{0,40}?B\s*[.、．]\S")


@dataclass
class Findings:
    """What speaks against each question (by index in page order), and against the set."""

    doubts: dict[int, list[str]] = field(default_factory=dict)
    set_doubts: list[str] = field(default_factory=list)

    def add(self, index: int, doubt: str) -> None:
        self.doubts.setdefault(index, []).append(doubt)


def assess(qset: QuestionSet, parsed: dict[str, list[str]] | None = None) -> QuestionSet:
    """The set with every question's confidence, the set's, and its review flag and reasons.
    `parsed`: what the parse itself found against questions, by question id (`close_call`)."""
    questions = qset.questions()
    found = findings(qset, parsed)
    scores = [_score(found.doubts.get(i, [])) for i in range(len(questions))]
    sections = [_scored(s, scores[first: first + len(s.questions)]) for first, _, s in _by_section(qset)]
    confidence = min(scores, default=1.0)
    for doubt in found.set_doubts:
        confidence *= SET_DOUBTS[doubt]
    reasons = _reasons(qset, found)
    needs_review = any(x < REVIEW_BELOW for x in scores) or bool(found.set_doubts)
    return qset.model_copy(update={"sections": sections, "confidence": round(confidence, 3),
                                   "needs_review": needs_review, "review_reasons": reasons})


def findings(qset: QuestionSet, parsed: dict[str, list[str]] | None = None) -> Findings:
    """What speaks against each question of the set (by its index in page order), and against the set."""
    questions = qset.questions()
    found = Findings()
    for i, q in enumerate(questions):
        for doubt in (parsed or {}).get(q.id, ()):
            found.add(i, doubt)
    _answers(questions, found)
    _sections(qset, found)
    _stems_and_options(qset, found, questions[-1] if questions else None)
    if qset.truncated and questions:
        # the cut explains what its last question lacks (its key, its later options): one finding, the
        # cut; not options it shows and the parse did not split off
        last = len(questions) - 1
        explained = CUT_EXPLAINS if not _options_unsplit(questions[last]) else CUT_EXPLAINS - {"options_irregular"}
        found.doubts[last] = [d for d in found.doubts.get(last, []) if d not in explained] + ["cut_preview"]
    if _chrome_left(qset):
        found.set_doubts.append("chrome_suspect")
    if any(OPTION_RUN.search(c.text) for c in qset.content):
        found.set_doubts.append("options_outside")
    return found


def _scored(section: Section, scores: list[float]) -> Section:
    """The section with its questions' confidence (a sure question is left as built: 1.0 already)."""
    if all(x == 1.0 for x in scores):
        return section
    return section.model_copy(update={"questions": [q if x == 1.0 else q.model_copy(update={"confidence": x})
                                                    for q, x in zip(section.questions, scores, strict=True)]})


def _score(doubts: list[str]) -> float:
    value = 1.0
    for doubt in doubts:
        value *= DOUBTS[doubt]
    return round(value, 3)


def _answers(questions: list[Question], found: Findings) -> None:
    answered = [q.answer for q in questions if q.answer]
    if answered and len(answered) >= 0.5 * len(questions):
        for i, q in enumerate(questions):
            if not q.answer:
                found.add(i, "answers_missing")
    keys = sum(1 for a in answered if len(a.strip()) <= KEY_MAX)
    if len(answered) >= 3 and keys >= 0.75 * len(answered):
        for i, q in enumerate(questions):  # '錯進程間的同步是指…': a key with the next item glued to it
            if q.answer and len(q.answer.strip()) > KEY_MAX * 3:
                found.add(i, "answer_long")


KEY_MAX = 4  # a key ('B', 'ABD', '√', '錯'): where a page's answers are keys, a long one holds more


def _by_section(qset: QuestionSet) -> Iterator[tuple[int, int, Section]]:
    """(index of its first question in page order, its own index, the section)."""
    first = 0
    for si, s in enumerate(qset.sections):
        yield first, si, s
        first += len(s.questions)


def _sections(qset: QuestionSet, found: Findings) -> None:
    for first, si, s in _by_section(qset):
        numbers = [int(q.number) if q.number and q.number.isdigit() else None for q in s.questions]
        numbered = sum(1 for n in numbers if n is not None)
        # a cut preview's last part holds fewer than it declares: the cut explains it
        cut_short = qset.truncated and si == len(qset.sections) - 1 and (s.count_declared or 0) > len(s.questions)
        mismatch = s.count_declared is not None and s.count_declared != len(s.questions) and not cut_short
        for k, n in enumerate(numbers):
            if mismatch:
                found.add(first + k, "count_mismatch")
            if n is None and numbered >= 2:
                found.add(first + k, "unnumbered")
            before = numbers[k - 1] if k else None
            after = numbers[k + 1] if k + 1 < len(numbers) else None
            if n is not None and ((before is not None and n - before > 1) or (after is not None and after - n > 1)):
                found.add(first + k, "numbering_gap")


def _stems_and_options(qset: QuestionSet, found: Findings, last: Question | None) -> None:
    for first, _, s in _by_section(qset):
        counts = Counter(len(q.options) for q in s.questions if q.options)
        usual = counts.most_common(1)[0][0] if counts else 0
        choice_part = usual and sum(counts.values()) >= 0.75 * len(s.questions)
        for k, q in enumerate(s.questions):
            if (q.options and (len(q.options) < usual or any(not o.text.strip() for o in q.options))) or (
                    not q.options and choice_part):
                found.add(first + k, "options_irregular")
            stem = q.stem.strip()
            # (no stem is doubtful only without options: a listening item prints its options alone;
            # nor is a label the cut left alone: the cut is the finding)
            no_stem = len(stem) < 2 and not q.options and not (qset.truncated and q is last)
            if no_stem or labels.field_label(stem) or STEM_GLUED_OPTIONS.search(stem):
                found.add(first + k, "stem_suspect")
            elif len(stem) > STEM_LONG:
                found.add(first + k, "stem_long")


def _options_unsplit(q: Question) -> bool:
    """Its stem ends in option A's label and text, or an option holds the next one's label glued after
    its text ('現金B.政'): options the page shows that the parse did not split off."""
    if not q.options:
        return bool(OPTION_A_IN_STEM.search(q.stem))
    return any(NEXT_LABEL_GLUED.search(o.text) for o in q.options)


OPTION_A_IN_STEM = re.compile(r"(?:^|[\s。?.)）_])A\s*[.、．]\s*\S")
NEXT_LABEL_GLUED = re.compile(r"[\u4e00-\u9fff][B-H](?:\s*[.、．]|[(（][^()（）]{1,8}[)）]\s*[.、．])")


def _chrome_left(qset: QuestionSet) -> bool:
    texts = [t for t in (qset.title, *(c.text for c in qset.content),
                         *(x for q in qset.questions() for x in (q.stem, q.answer))) if t]
    # one scan of the whole set first: fewer chrome words in all of it than one string needs, none has them
    return chrome_words("\n".join(texts)) >= CHROME_WORDS and any(chrome_words(t) >= CHROME_WORDS for t in texts)


CHROME_WORDS = 3  # three site words in one published string (下载, 文档, 会员 …): chrome left in the text


def question_names(qset: QuestionSet) -> list[str]:
    """Each question as an editor finds it: its number ('4'), with its part's ordinal where numbers
    start again in each part ('二-4'), its label, or its place ('#3')."""
    plain = [q.number or q.label for q in qset.questions()]
    numbered = [x for x in plain if x]
    repeated = len(set(numbered)) < len(numbered)
    names = []
    for _, _, s in _by_section(qset):
        for q in s.questions:
            name = q.number or q.label or f"#{len(names) + 1}"
            names.append(f"{s.ordinal}-{name}" if repeated and s.ordinal and (q.number or q.label) else name)
    return names


def _reasons(qset: QuestionSet, found: Findings) -> list[str]:
    """'numbering_gap: 4, 6', 'answers_missing: 3 (1 of 12)', … in the order of `DOUBTS`, then the set's."""
    reasons = []
    names_of = question_names(qset)
    for doubt in DOUBTS:
        hit = [i for i, doubts in found.doubts.items() if doubt in doubts]
        if not hit:
            continue
        names = ", ".join(names_of[i] for i in sorted(hit)[:8])
        count = f" ({len(hit)} of {len(names_of)})" if doubt == "answers_missing" else ""
        reasons.append(f"{doubt}: {names}{count}")
    return reasons + list(found.set_doubts)
