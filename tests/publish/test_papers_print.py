"""Whole papers printed (issue #28, part 3): the editions print the author's text outside the questions
where the paper has it (注意事项 before the first part, a passage and its directions after the question
before them, the key's leftovers at the end of the key), so an editor regenerating a paper loses
nothing. Measured on each paper of ../shared/papers against its text as python-docx reads it."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from conftest import ROOT
from docx import Document

from pipeline.publish.docx import render_set
from pipeline.run.steps import process_page

PAPERS = ROOT.parent / "shared" / "papers"
NAMES = sorted(p.stem for p in (PAPERS / "raw").glob("*.docx")) if (PAPERS / "raw").is_dir() else []
# a paragraph's label ('1．', 'A．', '（二）'), and in a key the points before the answer ('10、 6分 C E': the
# question's score, printed with the question)
LABEL = re.compile(r"^(?:[（(]?[0-9一二三四五六七八九十ⅠⅡA-Ha-h]{1,3}(?:[)）][．.、，,:：]?|[．.、，,:：]))*"
                   r"(?:\d{1,2}分[。.]?)?")
PRINTED_SHARE = 0.97  # of a paper's paragraphs (not chrome) in one edition or the other


def flat(text: str) -> str:
    return re.sub(r"[\s_＿]+", "", unicodedata.normalize("NFKC", text))


NEXT_OPTION = re.compile(r"\s+[B-H][、.．]")  # 'A、④⑥⑤②①③      B、⑥②①⑤④③': the editions print one option a line
SPACED_LETTER = re.compile(r"^\s*[A-H]\s+(?=\S)")  # 'A 郭浩有胆有勇…': an option letter the editions print as 'A．'


def opening(text: str) -> str:
    """A paragraph's first ten characters after its label ('1．', 'A．', '（二）'), up to its next option,
    as printed anywhere."""
    text = NEXT_OPTION.split(SPACED_LETTER.sub("", text), maxsplit=1)[0]
    return LABEL.sub("", flat(text))[:10]


@pytest.mark.skipif(not NAMES, reason="../shared/papers is not beside the repo")
@pytest.mark.parametrize("name", NAMES)
def test_a_whole_paper_prints_its_author_text_and_its_answers(name):
    page = process_page(f"{name}.docx", (PAPERS / "raw" / f"{name}.docx").read_bytes())
    qset = page.qset
    student, key = ("\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs) for data in render_set(qset))
    printed = flat(student) + flat(key)
    removed = flat(" ".join(text for _, text in page.removed))
    source = (PAPERS / "text" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    paragraphs = [opening(x.removeprefix("[#] ")) for x in source]
    paragraphs = [x for x in paragraphs if len(x) >= 6 and x not in removed]
    missing = [x for x in paragraphs if x not in printed]
    assert len(missing) <= (1 - PRINTED_SHARE) * len(paragraphs), missing
    assert "（节选：" not in student  # a complete paper is no excerpt (its "(节选自…)" source lines are its own)
    for q in qset.questions():  # every answer the paper gives is in the key
        assert not q.answer or flat(q.answer)[:10] in flat(key), (q.number, q.answer)


@pytest.mark.skipif(not NAMES, reason="../shared/papers is not beside the repo")
@pytest.mark.parametrize("name", NAMES)
def test_every_gold_passage_direction_and_stem_is_in_the_student_edition(name):
    """The gold's own snippets (its `non_question_content`: passages, directions, 注意事项, source lines;
    and every question's stem start), each found in the student edition as printed."""
    import json

    gold = json.loads((PAPERS / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    qset = process_page(f"{name}.docx", (PAPERS / "raw" / f"{name}.docx").read_bytes()).qset
    student = flat("\n".join(p.text for p in Document(io.BytesIO(render_set(qset)[0])).paragraphs))
    snippets = [*gold.get("non_question_content", ()), *(q["stem_start"] for q in gold["questions"] if q.get("stem_start"))]
    assert [x for x in snippets if flat(x) not in student] == []
