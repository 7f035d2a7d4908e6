"""Passages (issue #28, part 2): the text a group of questions asks about is a record of its own, read
by a downstream app from the JSON (validated against the schema) with the questions it serves."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import jsonschema
from conftest import ROOT, run_ingest

from pipeline.run.steps import process_page

PAPER = """2012年普通高等学校招生全国统一考试
一、现代文阅读（9分）
阅读下面的文字，完成1～2题。
书画的装裱
书画的装裱是伴随着书画创作产生的一门技艺。
（选自《中国书画》）
1.下列关于书画装裱的表述，不正确的一项是
A.甲 B.乙 C.丙 D.丁
2.根据原文内容，下列理解和分析不正确的一项是
A.甲 B.乙 C.丙 D.丁
3.下列词语中，没有错别字的一项是
A.甲 B.乙 C.丙 D.丁
"""


def test_a_passage_and_the_questions_its_direction_names():
    qset = process_page("paper.txt", PAPER).qset
    (passage,) = qset.passages
    assert unicodedata.normalize("NFKC", passage.direction) == unicodedata.normalize("NFKC", "阅读下面的文字，完成1～2题。")
    assert passage.text.splitlines() == ["书画的装裱", "书画的装裱是伴随着书画创作产生的一门技艺。", "（选自《中国书画》）"]
    by_number = {q.number: q for q in qset.questions()}
    assert passage.questions == [by_number["1"].id, by_number["2"].id]
    assert by_number["1"].passage_id == by_number["2"].passage_id == passage.id and by_number["3"].passage_id is None
    # its lines are the passage's, read once; the direction stays where the paper prints it
    outside = [*qset.sections[0].intro, *(c.text for c in qset.content)]
    assert passage.direction in outside and not any("装裱是伴随" in x for x in outside)


def test_a_downstream_app_reads_each_passage_with_its_questions(tmp_path):
    """What an app does with the published JSON: validate it against schemas/, then show each passage
    with the questions that ask about it; a row of questions.jsonl, read alone, carries its passage,
    and a question found in the bank by search comes with it too."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "paper.txt").write_text(PAPER, encoding="utf-8")
    run_ingest(raw, out, docx=False)
    schema = json.loads((ROOT / "schemas" / "question_set.schema.json").read_text(encoding="utf-8"))
    (path,) = (out / "json").iterdir()
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    questions = {q["id"]: q for s in data["sections"] for q in s["questions"]}
    shown = {p["text"].splitlines()[0]: [questions[qid]["number"] for qid in p["questions"]] for p in data["passages"]}
    assert shown == {"书画的装裱": ["1", "2"]}
    assert all(questions[qid]["passage_id"] == p["id"] for p in data["passages"] for qid in p["questions"])
    rows = [json.loads(x) for x in (out / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["number"]: r["passage_id"] is not None for r in rows} == {"1": True, "2": True, "3": False}
    (passage,) = data["passages"]
    assert [r["passage"] for r in rows] == [{"direction": passage["direction"], "text": passage["text"]}] * 2 + [None]
    found = subprocess.run([sys.executable, "-m", "pipeline", "search", "书画装裱", "--clean", str(out), "--json"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    hit = json.loads(found.stdout.splitlines()[0])
    assert hit["stem"].startswith("下列关于书画装裱") and [p["id"] for p in hit["passages"]] == [passage["id"]]
    assert hit["passages"][0]["text"] == passage["text"]
    text = subprocess.run([sys.executable, "-m", "pipeline", "search", "书画装裱", "--clean", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120).stdout
    assert "passage: 书画的装裱" in text


def test_the_editions_print_a_passage_once_before_the_questions_it_serves():
    import io

    from docx import Document

    from pipeline.publish.docx import render_set

    qset = process_page("paper.txt", PAPER).qset
    for data in render_set(qset):
        lines = [p.text for p in Document(io.BytesIO(data)).paragraphs]
        at = {name: next(i for i, x in enumerate(lines) if name in x)
              for name in ("完成1", "书画的装裱是伴随", "下列关于书画装裱", "根据原文内容")}
        assert at["完成1"] < at["书画的装裱是伴随"] < at["下列关于书画装裱"] < at["根据原文内容"]
        assert sum("书画的装裱是伴随" in x for x in lines) == 1
