"""Passages: the texts groups of questions ask about, as records of their own.

A paper directs to a passage ('阅读下面的文字，完成5～7题。', '阅读下面的文言文，完成6～9题。'), prints it
(its paragraphs, notes and source line) and then the questions the direction names. The assembled set
holds that text in the part's intro, or as content after the question before it; here it becomes a
`Passage` (its direction, its text, the ids of the questions it serves) and each of those questions
carries its `passage_id`. The direction line stays where it is printed; the passage's lines move into
the record, so a downstream app reads each text once and knows which questions it belongs to.
"""

from __future__ import annotations

import re

from pipeline.grammar import labels
from pipeline.grammar.assemble import stable_id
from pipeline.models import ContentBlock, Passage, Question, QuestionSet, Section

SCORE_ONLY = re.compile(r"^[(（]\s*\d{1,3}\s*分\s*[)）]$")  # "(10 分)" after a direction heading: not the passage


def attach(qset: QuestionSet) -> QuestionSet:
    """The set with its passages found, their lines moved out of intros and content."""
    texts = [x for s in qset.sections for x in (s.heading or "", *s.intro)] + [c.text for c in qset.content]
    if not labels.DIRECTION.search("\n".join(texts)):
        return qset  # most pages direct to no passage: one search of their text outside the questions
    questions = qset.questions()
    passages: list[Passage] = []
    firsts = _first_positions(qset.sections)
    sections = [_from_section(qset.id, s, questions, passages, first) for s, first in zip(qset.sections, firsts,
                                                                                         strict=True)]
    content = _from_content(qset.id, qset.content, questions, passages)
    if not passages:
        return qset
    served = {qid: p.id for p in passages for qid in p.questions}
    sections = [s.model_copy(update={"questions": [q.model_copy(update={"passage_id": served[q.id]})
                                                   if q.id in served else q for q in s.questions]})
                for s in sections]
    return qset.model_copy(update={"sections": sections, "content": content, "passages": passages})


def _served(direction: re.Match[str], questions: list[Question], after: int) -> list[str]:
    """Ids of the questions a direction names, from the first one after position `after` on."""
    first, last = int(direction.group(1)), int(direction.group(2) or direction.group(1))
    found = [q.id for q in questions[after:] if q.number and q.number.isdigit() and first <= int(q.number) <= last]
    return found[: last - first + 1]


def _passage(set_id: str, direction: str | None, lines: list[str], served: list[str]) -> Passage:
    text = "\n".join(lines)
    return Passage(id=stable_id(set_id, "passage", text), direction=direction, text=text, questions=served)


def _first_positions(sections: list[Section]) -> list[int]:
    """Each part's first question's place in the set's page order (past the last for a part without any)."""
    total = sum(len(s.questions) for s in sections)
    firsts, at = [], 0
    for s in sections:
        firsts.append(at if s.questions else total)
        at += len(s.questions)
    return firsts


def _from_section(set_id: str, section: Section, questions: list[Question], passages: list[Passage],
                  start: int) -> Section:
    """A direction in the part's heading or intro: the intro lines after it are the passage (the part's
    questions start at `start` in page order)."""
    lines = list(section.intro)
    for k in range(-1, len(lines)):
        text = section.heading if k < 0 else lines[k]
        m = labels.DIRECTION.search(text or "")
        if m is None:
            continue
        body = [x for x in lines[k + 1:] if not SCORE_ONLY.match(x.strip())]
        served = _served(m, questions, start)
        if body and served:
            passages.append(_passage(set_id, text, body, served))
            kept = lines[: k + 1] + [x for x in lines[k + 1:] if SCORE_ONLY.match(x.strip())]
            return section.model_copy(update={"intro": kept})
    return section


def _from_content(set_id: str, content: list[ContentBlock], questions: list[Question],
                  passages: list[Passage]) -> list[ContentBlock]:
    """A direction among the text after a question: the text after it, up to the next question, is the passage."""
    position = {q.id: i for i, q in enumerate(questions)}
    kept: list[ContentBlock] = []
    k = 0
    while k < len(content):
        block = content[k]
        m = None if block.in_key else labels.DIRECTION.search(block.text)
        if m is None:
            kept.append(block)
            k += 1
            continue
        end = k + 1
        while end < len(content) and content[end].after_question == block.after_question and not content[end].in_key \
                and not labels.DIRECTION.search(content[end].text):
            end += 1
        after = position.get(block.after_question, -1) + 1 if block.after_question else 0
        served = _served(m, questions, after)
        body = [c.text for c in content[k + 1: end]]
        kept.append(block)
        if body and served:
            passages.append(_passage(set_id, block.text, body, served))
        else:
            kept += content[k + 1: end]
        k = end
    return kept
