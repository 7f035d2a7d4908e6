"""Parsing rules, each shown on a small page: labels, fields, options, answer parts, run-on text."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import Rejected
from pipeline.run.steps import process_page


def qs(text: str, name: str = "page.txt"):
    page = process_page(name, text)
    assert page.qset is not None
    return page.qset


def flat(text: str):
    return qs(text).questions()


@pytest.mark.parametrize(
    ("text", "labels", "numbers"),
    [
        ("第1题 请说明A的作用?\n第2题 请说明B的作用?\n", ["第1题", "第2题"], ["1", "2"]),
        ("第十一题\n请说明A的作用?\n第十二题\n请说明B?\n", ["第十一题", "第十二题"], ["11", "12"]),
        ("1、请说明A的作用?\n2、请说明B的作用?\n", ["1、", "2、"], ["1", "2"]),
        ("1．请说明A的作用？\n2．请说明B的作用？\n", ["1.", "2."], ["1", "2"]),
        ("(1)请说明A的作用?\n(2)请说明B的作用?\n", ["(1)", "(2)"], ["1", "2"]),
        ("题目1(8分)\n请说明A?\n题目2(8分)\n请说明B?\n", ["题目1", "题目2"], ["1", "2"]),
        ("Q: What is A?\nQ: What is B?\n", ["Q:", "Q:"], [None, None]),
        ("☆ What is A?\n☆ What is B?\n", ["☆", "☆"], [None, None]),
    ],
)
def test_label_styles(text, labels, numbers):
    found = flat(text)
    assert [q.label for q in found] == labels
    assert [q.number for q in found] == numbers
    assert found[0].stem.startswith(("请说明A", "What is A"))


def test_full_width_letters_and_digits_fold_and_chinese_punctuation_stays():
    """Matching folds width; the published stem keeps the page's own punctuation (，：？（）)."""
    (q,) = flat("１．请说明ＡＢＣ的作用？（１０分）\n")
    assert q.stem == "请说明ABC的作用？"
    assert q.score == 10
    (r,) = flat("题目1（8分）情景：您是某公司（总部位于硅谷，主要…）的经理，怎么办？\n答案：先倾听，再处理。\n")
    assert (r.stem, r.answer, r.score) == ("情景：您是某公司（总部位于硅谷，主要…）的经理，怎么办？", "先倾听，再处理。", 8)


def test_a_page_in_ascii_punctuation_is_published_as_it_is():
    (q,) = flat("1.如何应对愤怒的客户?(5分)\n答案:保持冷静,倾听。\n")
    assert (q.stem, q.answer) == ("如何应对愤怒的客户?", "保持冷静,倾听。")


def test_section_declarations_in_any_order():
    """Numbers are read from the heading as printed: a total it does not print is not declared."""
    qset = qs("一、单选题(每题2分,共3题)\n1.甲?\n2.乙?\n3.丙?\n二、简答题(共2题)\n1.丁?\n2.戊?\n三、论述题(满分20分)\n1.己?\n")
    s1, s2, s3 = qset.sections
    assert (s1.score_each, s1.count_declared, s1.score_total) == (2, 3, None)
    assert (s2.score_each, s2.count_declared, s2.score_total) == (None, 2, None)
    assert (s3.score_total, s3.name) == (20, "论述题")
    assert [q.score for q in s1.questions] == [2, 2, 2]


def test_parenthesised_and_section_ordinals_are_headings():
    qset = qs("(一)单项选择题(每题2分)\n1.甲是什么?\n(二)判断题\n1.乙对吗?\n第三节 简答题\n1.丙为何重要?\n")
    assert [(s.ordinal, s.name) for s in qset.sections] == [("一", "单项选择题"), ("二", "判断题"), ("三", "简答题")]
    assert [q.score for q in qset.sections[0].questions] == [2]


def test_bare_part_names_are_headings():
    qset = qs("一、案例分析\n1.甲公司为何亏损?\n二、写作\n1.以诚信为题写一篇短文。\n")
    assert [s.name for s in qset.sections] == ["案例分析", "写作"]
    assert [len(s.questions) for s in qset.sections] == [1, 1]


def test_per_small_question_score_and_count_mismatch_warning():
    qset = qs("一、选择题:本大题共 4 小题,每小题 2 分,共 8 分。\n1.甲?\n2.乙?\n")
    (section,) = qset.sections
    assert section.count_declared == 4 and section.score_each == 2
    assert any(w.startswith("count_mismatch:") for w in qset.warnings)
    assert qset.truncated is True  # fewer questions than declared at the end of the page


def test_total_mismatch_is_warned():
    qset = qs("一、简答题(共2题,每题5分,共20分)\n1.甲?\n2.乙?\n")
    assert any(w.startswith("total_mismatch:") for w in qset.warnings)


def test_options_one_per_line_and_several_per_line():
    a, b = flat("1.下列正确的是( )\nA.甲\nB.乙\nC.丙 D.丁\n2.下列错误的是( ) A、一 B、二 C、三 D、四\n")
    assert [(o.label, o.text) for o in a.options] == [("A", "甲"), ("B", "乙"), ("C", "丙"), ("D", "丁")]
    assert [o.text for o in b.options] == ["一", "二", "三", "四"]
    assert a.kind == b.kind == "choice"
    assert b.stem == "下列错误的是( )"


def test_parenthesised_option_labels():
    (q,) = flat("1.下列正确的是\n(A)甲 (B)乙 (C)丙 (D)丁\n答案:B\n")
    assert [o.label for o in q.options] == ["A", "B", "C", "D"]
    assert q.answer == "B"


@pytest.mark.parametrize("label", ["答案:", "参考答案:", "正确答案:", "参考回答:", "示例答案:", "【答案】", "Answer:"])
def test_answer_labels(label):
    (q,) = flat(f"1.请说明A的作用?\n{label}A的作用是甲。\n")
    assert q.answer == "A的作用是甲。"
    assert q.answer_source == "inline"


@pytest.mark.parametrize("label", ["解析:", "本题解析:", "【解析】"])
def test_analysis_labels(label):
    (q,) = flat(f"1.请说明A的作用?\n答案:甲\n{label}因为乙。\n")
    assert (q.answer, q.analysis) == ("甲", "因为乙。")


def test_bracketed_answer_and_analysis_on_one_line():
    (q,) = flat("1.下列正确的是( ) A.甲 B.乙 C.丙 D.丁【答案】B【解析】因为乙。\n")
    assert (q.answer, q.analysis, len(q.options)) == ("B", "因为乙。", 4)


def test_scoring_points_kept():
    (q,) = flat("1.请说明A的作用?\n答案:甲\n评分要点:\n要点一\n要点二\n")
    assert q.scoring_points == ["要点一", "要点二"]


def test_answer_in_stem_brackets_is_the_answer_and_the_stem_keeps_the_page_text():
    """The key printed in the stem's bracket is the answer; the stem stays as printed (the student
    edition blanks it)."""
    (q,) = flat("1.下列对应用程序员不透明的是(B )。A.甲 B.乙 C.丙 D.丁\n")
    assert q.answer == "B" and q.answer_source == "stem_bracket"
    assert q.stem == "下列对应用程序员不透明的是(B )。"
    from pipeline.publish.docx import student_stem
    assert student_stem(q) == "下列对应用程序员不透明的是（    ）。"


def test_true_false_and_fill_blank():
    a, b, c = flat("1、车间禁止吸烟。\n(√)\n2、可以裸手接触药物。\n(×)\n3、中国的首都是____。\n")
    assert (a.answer, a.kind) == ("√", "true_false")
    assert (b.answer, b.kind) == ("×", "true_false")
    assert (c.answer, c.kind) == (None, "fill_blank")


def test_unlabelled_answers_on_a_question_answer_rhythm_page():
    a, b, c = flat("1、药品规范何时实行?\n自3月1日起施行。\n2、核心人员指哪些人?\n公司负责人。\n3、宗旨是什么?\n减少污染。\n")
    assert [a.answer, b.answer, c.answer] == ["自3月1日起施行。", "公司负责人。", "减少污染。"]
    assert a.answer_source == "unlabelled"


def test_bullets_inside_an_answer_are_not_questions():
    found = flat("1.如何做好客户沟通?\n答案:要点如下\n● 为什么要倾听?因为客户需要被理解。\n● 及时反馈。\n2.如何处理投诉?\n答案:先道歉。\n")
    assert [q.number for q in found] == ["1", "2"]
    assert "● 为什么要倾听?" in (found[0].answer or "")


def test_requirements_and_sub_items_stay_inside_their_question():
    found = flat("题目1(8分)\n情景:客户投诉。\n要求:\n1.如何处理?\n2.如何沟通?\n题目2(8分)\n情景:系统崩溃。\n")
    assert len(found) == 2
    assert found[0].sub_items == ["要求:", "1.如何处理?", "2.如何沟通?"]


def test_lists_inside_answers_are_not_questions():
    found = flat("1.有哪些Span?\n答案:常用的有\n1. BackgroundColorSpan\n2. ImageSpan\n2.有哪些Drawable?\n答案:BitmapDrawable\n")
    assert [q.number for q in found] == ["1", "2"]
    assert "2. ImageSpan" in (found[0].answer or "")


def test_answer_part_matched_by_section_and_number():
    text = ("一、简答题(共2题)\n1.甲是什么?\n2.乙是什么?\n二、论述题(共1题)\n1.丙为何重要?\n"
            "参考答案\n一、简答题\n1.甲是什么?\n答案:甲是一。\n2.\n答案:乙是二。\n二、论述题\n1.丙为何重要?\n答案:因为三。\n")
    found = flat(text)
    assert [q.answer for q in found] == ["甲是一。", "乙是二。", "因为三。"]
    assert {q.answer_source for q in found} == {"answer_part"}


def test_answer_part_items_with_their_own_answer_label():
    found = flat("一、简答题(共2题)\n1.简述三级安全教育的内容。\n2.发生事故后应如何报告?\n参考答案\n一、简答题\n"
                 "1.答:公司级、车间级、班组级。\n2.答:立即报告负责人。\n")
    assert [q.answer for q in found] == ["公司级、车间级、班组级。", "立即报告负责人。"]


def test_compact_answer_key():
    found = flat("1.甲( )\nA.一 B.二\n2.乙( )\nA.一 B.二\n3.丙( )\nA.一 B.二\n参考答案\n1.A 2.B 3.A\n")
    assert [q.answer for q in found] == ["A", "B", "A"]


def test_compact_key_with_several_ranges():
    stems = "".join(f"{i}.第{i}题( )\nA.一 B.二\n" for i in range(1, 7))
    found = flat(stems + "参考答案\n1-3 ABA 4-6 BBA\n")
    assert [q.answer for q in found] == ["A", "B", "A", "B", "B", "A"]


def test_unmatched_key_answer_is_a_warning_not_a_question():
    qset = qs("1.甲( )\nA.一 B.二\n2.乙( )\nA.一 B.二\n答案\n1.A 2.B 7.C\n")
    assert len(qset.questions()) == 2
    assert any(w.startswith("answer_unmatched:") for w in qset.warnings)


def test_page_footer_inside_a_question_is_removed():
    (q,) = flat("1、决定程序执行次序的是和寄存器。第1页共7页\n")
    assert q.stem == "决定程序执行次序的是和寄存器。"


def test_run_on_page_without_line_breaks():
    text = ("一、单项选择题:(本题包括 3 小题,每题 2 分,共 6 分)1、建筑工程常用的投影法是( ) 。A 透视投影 B 轴测投影 "
            "C 正投影 D 平行投影2、平行于坐标轴的直线是( ) 。A 水平线 B 正垂线 C 侧垂线 D 侧平线3、屋面防水属于( ) 。"
            "A 柔性防水 B 刚性防水 C 涂膜防水 D 上人屋面")
    found = flat(text)
    assert [q.number for q in found] == ["1", "2", "3"]
    assert [len(q.options) for q in found] == [4, 4, 4]
    assert found[1].options[3].text == "侧平线"
    assert {q.score for q in found} == {2}


def test_a_number_inside_a_sentence_does_not_start_a_question():
    (q,) = flat("1.播客可以分为3类,下列不属于播客分类的是( )。\nA.甲\nB.乙\n")
    assert q.stem.startswith("播客可以分为3类")


def test_truncated_preview_detected():
    qset = qs("1.请说明A的作用?\n2.请说明B在国际")
    assert qset.truncated is True
    assert not qs("1.请说明A的作用?\n2.请说明B的作用?\n").truncated


def test_intro_and_tips_are_kept_as_content():
    qset = qs("客服面试题\n以下是常见问题。\n1.如何应对愤怒的客户?\n答案:保持冷静。\n")
    assert qset.title == "客服面试题"
    assert [c.text for c in qset.content] == ["以下是常见问题。"]


def test_page_without_questions_is_rejected():
    with pytest.raises(Rejected) as info:
        process_page("p.txt", "这是一篇普通的文章,没有任何题目。\n它只有两段话。\n")
    assert info.value.code == "no_questions"


def test_ids_are_stable_and_content_derived():
    a = qs("1.请说明A?\n2.请说明B?\n")
    b = qs("1.请说明A?\n2.请说明B?\n", name="other/name.txt")
    c = qs("1.请说明A?\n2.请说明C?\n")
    assert a.id == b.id and a.questions()[0].id == b.questions()[0].id
    assert a.id != c.id


def test_chrome_lines_recurring_across_a_sites_pages_are_learned(tmp_path):
    """A line that no rule lists but that recurs on most pages of one site is removed as chrome."""
    from conftest import load_manifest, run_ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(4):
        (raw / f"p{i}.txt").write_text(
            f"题集{i}\n原创力文档 新用户注册送三天会员\n1.请说明第{i}个概念的作用?\n答案:作用{i}。\n", encoding="utf-8")
    out = tmp_path / "out"
    run_ingest(raw, out)
    for entry in load_manifest(out)["pages"]:
        data = json.loads((out / entry["output"]).read_text(encoding="utf-8"))
        assert "新用户注册送三天会员" not in json.dumps(data, ensure_ascii=False)
        assert {r["rule"]: r["count"] for r in data["removed"]}.get("learned_template") == 1
        assert data["sections"][0]["questions"][0]["answer"].startswith("作用")


def test_q_and_a_numbered_pairs():
    found = flat("Interview\nQ1: Why do you want this job?\nA1: I enjoy helping people.\nQ2: How do you cope?\nA2: Calmly.\n")
    assert [(q.number, q.answer) for q in found] == [("1", "I enjoy helping people."), ("2", "Calmly.")]


def test_run_on_page_with_a_numbered_prefix_and_inline_keys():
    qset = qs("1、2019年会计考试题库 一、单项选择题(本类题共2小题,每小题1分,共2分)1、会计的基本职能是( )。"
              "A.核算和监督 B.预测和决策 C.计划和控制 D.分析和考核 答案:A 2、会计主体是指( )。A.特定单位 B.企业法人 "
              "C.会计人员 D.会计机构 答案:A")
    assert [len(s.questions) for s in qset.sections] == [2]
    assert [q.answer for q in qset.questions()] == ["A", "A"]
    assert qset.truncated is False and not qset.warnings  # a closing key is a complete ending
    assert qset.content[0].text.endswith("2019年会计考试题库")


def test_bracketed_numbered_labels():
    found = flat("面试题目汇总\n【问题1】请介绍一下你自己。\n【参考答案】我是销售。\n【问题2】你的缺点是什么?\n【参考答案】追求完美。\n")
    assert [(q.number, q.label, q.answer) for q in found] == [("1", "【问题1】", "我是销售。"), ("2", "【问题2】", "追求完美。")]


def test_product_declarations_give_count_each_and_total():
    """'(5×2=10分)' and '(2分×5=10分)': count × each = total, the unit telling which is which."""
    qset = qs("一、判断题(5×2=10分)\n1.甲。()\n二、简答题(2分×3=6分)\n1.乙?\n")
    s1, s2 = qset.sections
    assert (s1.count_declared, s1.score_each, s1.score_total) == (5, 2, 10)
    assert (s2.count_declared, s2.score_each, s2.score_total) == (3, 2, 6)


def test_an_inline_answer_is_kept_when_an_answer_part_keys_the_same_question():
    """Found by the property test: a key part after inline answers must not overwrite them (their text
    would be in neither the set nor the removal record)."""
    qset = qs("1、1.客户在电话中情绪激动,你如何处理?请举例说明。\n答案:\n-事后复盘:推动IT部门优化系统冗余,避免类似事件。\n"
              "参考答案\n1. 先倾听,再安抚。\n")
    (q,) = qset.questions()
    assert "事后复盘" in q.answer and "先倾听" in q.answer
