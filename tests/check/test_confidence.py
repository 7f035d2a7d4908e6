"""Confidence in the records (issue #23): every question and set says how sure the parser is, a set
says whether an editor should look and why, and the bank's rows carry the question's confidence."""

from __future__ import annotations

import json

import pytest

from pipeline.run.ingest import ingest
from pipeline.run.steps import process_page

ANSWERED = "".join(f"{n}.第{n}题的内容是什么?\n答案:第{n}个答案\n" for n in range(1, 5))


def qset(text: str):
    page = process_page("page.txt", text)
    assert page.qset is not None
    return page.qset


def test_a_clean_page_is_sure_and_needs_no_review():
    found = qset("练习题\n一、简答题(共4题)\n" + ANSWERED)
    assert [q.confidence for q in found.questions()] == [1.0] * 4
    assert (found.confidence, found.needs_review, found.review_reasons) == (1.0, False, [])


def test_an_answer_missing_where_the_page_answers_its_questions_sends_the_set_to_review():
    """A key lost on a page that prints every other key: that question is doubtful, the set flagged,
    the reason names it."""
    page = ANSWERED + "5.第5题的内容是什么?\n6.第6题的内容是什么?\n答案:第6个答案\n"
    found = qset("练习题\n一、简答题(共6题)\n" + page)
    by_number = {q.number: q.confidence for q in found.questions()}
    assert by_number["5"] < 0.9 and by_number["4"] == 1.0
    assert found.needs_review and found.confidence == by_number["5"]
    assert "answers_missing: 5 (1 of 6)" in found.review_reasons


def test_a_numbering_gap_and_a_count_not_met_are_findings():
    """A part that declares five and shows four, with a gap: findings against its questions (in a
    cut preview's last part the cut explains a count not met)."""
    found = qset("练习题\n一、简答题(共5题)\n1.甲是什么?\n2.乙是什么?\n4.丁是什么?\n5.戊是什么?\n"
                 "二、论述题(共1题)\n1.己是什么?\n")
    reasons = " ".join(found.review_reasons)
    assert "numbering_gap: 一-2, 一-4" in reasons and "count_mismatch" in reasons  # numbers restart: named with the part
    assert {q.number: q.confidence for q in found.questions()}["1"] > {q.number: q.confidence for q in found.questions()}["2"]


def test_a_cut_preview_alone_does_not_send_a_set_to_review():
    """Most pages of these sites are previews cut at some point: the last question is less sure, the
    set is not flagged for it alone."""
    found = qset("练习题\n1.下列属于金属的是()\nA.木材 B.铁 C.玻璃 D.塑料\n2.下列属于气体的是()\nA.氧气 B.水 C.冰 D.铜\n"
                 "3.下列属于液体的是()\nA.水 B.铁 C.石头 D.木头\n4.下列属于固体的是()\nA.水 B.铁 C.汽 D.气\n"
                 "已阅读5页,还剩8页未读 继续免费阅读\n")
    assert found.truncated and found.questions()[-1].confidence < 1.0
    assert not found.needs_review and "cut_preview: 4" in found.review_reasons


def test_site_chrome_left_in_the_text_is_a_finding_about_the_set():
    found = qset("练习题\n" + ANSWERED.replace("答案:第4个答案", "答案:第4个答案,本站文档由会员上传,下载VIP会员免费"))
    assert "chrome_suspect" in found.review_reasons and found.needs_review


def test_the_bank_rows_carry_each_question_s_confidence(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("练习题\n一、简答题(共6题)\n" + ANSWERED + "5.第5题的内容是什么?\n6.第6题是什么?\n答案:六\n",
                               encoding="utf-8")
    ingest(str(raw), str(tmp_path / "out"), docx=False, bank=True)
    rows = [json.loads(line) for line in (tmp_path / "out" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["confidence"] < 1.0 for r in rows] == [False, False, False, False, True, False]
    published = json.loads(next((tmp_path / "out" / "json").iterdir()).read_text(encoding="utf-8"))
    assert published["needs_review"] is True and published["review_reasons"]


def test_the_cut_explains_what_the_last_question_of_a_preview_lacks():
    """A preview cut after question 4's stem: its key and options were cut away, not lost by the parser;
    the one finding is the cut, and the set is not sent to review for it."""
    found = qset("练习题\n" + "".join(f"{n}.第{n}题选哪个?\nA.甲 B.乙 C.丙 D.丁\n答案:A\n" for n in range(1, 4))
                 + "4.第4题选哪个?\n已阅读5页,还剩8页未读\n")
    assert found.truncated and found.review_reasons == ["cut_preview: 4"] and not found.needs_review


def test_a_line_the_whole_page_reading_nearly_read_otherwise_is_a_close_call():
    """'8 是双胞胎…' continues question 3's text, but read as question 8 it costs little: the reading's
    margin is small, so question 3 is doubtful and the set goes to review ('close_call: 3')."""
    found = qset("一、单项选择题\n1 以下生物结构中有 ADP 生成的是 A水稻 B蓝藻 C酵母菌 D人\n"
                 "2 下列描述正确的是 A甲 B乙 C丙 D丁\n3 右图是家族系谱图,其中\n8 是双胞胎,下列描述正确的是 A甲 B乙 C丙 D丁\n")
    by_number = {q.number: q.confidence for q in found.questions()}
    assert by_number["3"] < 0.86 and by_number["1"] == by_number["2"] == 1.0
    assert found.needs_review and "close_call: 3" in found.review_reasons


def test_options_the_cut_question_shows_but_the_parse_left_unsplit_are_not_put_down_to_the_cut():
    """A preview cut inside question 4's options: fewer options is the cut's doing, but option A left
    in the stem ('…_.A. that…') is the parser's, a finding of its own that sends the set to review."""
    head = "".join(f"{n}.Question {n} asks _.\nA. one\nB. two\nC. three\nD. four\n" for n in (1, 2, 3))
    cut = qset(head + "4.The story tries to tell us _.A. that a bad impression is easily left on the trai")
    unsplit = cut.questions()[-1]
    assert cut.truncated and not unsplit.options and "A. that" in unsplit.stem
    assert cut.needs_review and any(r.startswith("options_irregular: 4") for r in cut.review_reasons)
    split = qset(head + "4.The story tries to tell us _.\nA. that a bad impression is easily left on the trai")
    assert split.truncated and not split.needs_review


def test_a_long_answer_among_keys_is_doubtful():
    """Where a page's answers are keys (对/错, letters), one that runs on holds the next item glued to its
    key ('错进程间的同步是指…'): a finding against it."""
    items = "".join(f"{n}.第{n}个陈述是正确的。答案:{'对' if n % 2 else '错'}\n" for n in range(1, 5))
    found = qset("判断题\n" + items + "5.第5个陈述是正确的。答案:错进程间的同步是指进程间在逻辑上的相互制约关系。\n")
    assert any(r.startswith("answer_long: 5") for r in found.review_reasons) and found.needs_review


def test_options_left_outside_any_question_are_a_finding_about_the_set():
    """An excerpt that starts inside a question shows its last options before the first label: kept as
    text, they are a question the set lacks."""
    head = "in England. (B) The early history of magazines. (C) The life of Daniel Defoe. (D) Newspapers.\n"
    items = "".join(f"{n}. (A) Option one. (B) Option two. (C) Option three. (D) Option four.\n" for n in (20, 21, 22))
    found = qset(head + items)
    assert "options_outside" in found.review_reasons and found.needs_review
    assert "options_outside" not in qset(items).review_reasons


def test_export_writes_only_the_questions_at_or_above_a_confidence(tmp_path, capsys):
    """`python -m pipeline export --min-confidence 0.9`: for an app that must not show a doubtful
    answer, the questions.jsonl rows at or above the threshold; a threshold outside 0–1 is refused."""
    from pipeline.__main__ import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("练习题\n一、简答题(共6题)\n" + ANSWERED + "5.第5题的内容是什么?\n6.第6题是什么?\n答案:六\n",
                               encoding="utf-8")
    clean = tmp_path / "out"
    ingest(str(raw), str(clean), docx=False, bank=False)
    assert main(["export", "--clean", str(clean), "--min-confidence", "0.9", "--out", str(tmp_path / "sure.jsonl")]) == 0
    rows = [json.loads(x) for x in (tmp_path / "sure.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["number"] for r in rows] == ["1", "2", "3", "4", "6"] and all(r["confidence"] >= 0.9 for r in rows)
    assert main(["export", "--clean", str(clean), "--min-confidence", "0"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6
    with pytest.raises(SystemExit):
        main(["export", "--clean", str(clean), "--min-confidence", "1.5"])
    assert main(["export", "--clean", str(tmp_path / "nothing")]) == 2


def test_search_can_leave_out_doubtful_questions(tmp_path, capsys):
    """`search --min-confidence 0.9`: the bank's matches whose question is sure enough, each with its
    confidence; a match whose only source is doubtful is left out."""
    from pipeline.__main__ import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("练习题\n一、简答题(共6题)\n" + ANSWERED + "5.客户情绪激动时如何安抚?\n6.第6题是什么?\n答案:六\n",
                               encoding="utf-8")
    clean = tmp_path / "out"
    ingest(str(raw), str(clean), docx=False)
    assert main(["search", "客户 情绪", "--clean", str(clean), "--json"]) == 0
    (found,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert found["stem"].startswith("客户情绪激动")
    assert main(["search", "客户 情绪", "--clean", str(clean), "--json", "--min-confidence", "0.9"]) == 1
    assert capsys.readouterr().out == ""  # no hits: exit 1 and a message, nothing on standard output
    assert main(["search", "第6题", "--clean", str(clean), "--min-confidence", "0.9"]) == 0
    assert "confidence 1" in capsys.readouterr().out
