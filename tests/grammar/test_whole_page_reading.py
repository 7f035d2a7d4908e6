"""The whole-page reading: one unusual label costs at most its own question, never the rest of the page.

Each test is a rule of the genre on a small made-up page (the kinds of `shared/devset/kinds`), read
from the user's side: raw text in, published questions out.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from pipeline.__main__ import main
from pipeline.errors import Rejected
from pipeline.grammar import labels
from pipeline.run.steps import process_page

CHOICES = "A.甲 B.乙 C.丙 D.丁"


def qset(text: str):
    page = process_page("page.txt", text)
    assert page.qset is not None
    return page.qset


def wrapped_at_spaces(text: str, width: int = 36) -> str:
    """`text` as a dump that wraps at spaces (textwrap) prints it."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=True, drop_whitespace=False)) + "\n"


def numbers(text: str) -> list[str | None]:
    return [q.number for q in qset(text).questions()]


def test_numbering_may_start_anywhere():
    """A preview that starts mid-paper ('16.', '17.', '18.') is a question set all the same."""
    page = "".join(f"{n}.下列说法正确的是()\n{CHOICES}\n" for n in (16, 17, 18))
    assert numbers(page) == ["16", "17", "18"]


def test_a_gap_costs_a_warning_not_the_questions_after_it():
    """Question 3 lost (a misprint, a cut): 4 and 5 are still questions; the gap is reported."""
    page = "一、选择题\n" + "".join(f"{n}.下列说法正确的是()\n{CHOICES}\n" for n in (1, 2, 4, 5))
    found = qset(page)
    assert [q.number for q in found.questions()] == ["1", "2", "4", "5"]
    assert any(w.startswith("numbering_gap") for w in found.warnings)


def test_misprinted_first_label_is_read_by_the_sequence():
    """'1,' for '1.' (kinds K1a): the numbering 2, 3 after it vouches for it."""
    page = "物理测验\n一、判断题\n\n1,地球绕太阳公转。(√)\n\n2.水在100度沸腾。(√)\n\n3.月亮自己会发光。(×)\n"
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3"]
    assert found[0].stem.startswith("地球绕太阳")


def test_stray_mark_before_the_first_label_costs_nothing():
    """')1.下列…' (kinds K1b): a bracket left over from the heading's line; every question is kept."""
    page = ("化学测验\n一、单项选择题(共3题,每题2分。\n)1.下列属于金属的是()。\nA.木材B.铁C.玻璃D.塑料2.下列属于混合物的是()。\n"
            "A.氧气B.蒸馏水C.空气D.二氧化碳3.地壳中含量最多的元素是()。\nA.铁B.铝C.硅D.氧\n")
    assert numbers(page) == ["1", "2", "3"]


def test_label_glued_to_a_numeric_option():
    """'…D.19782.新中国…' (kinds K1c): the option is 1978 and question 2 begins."""
    page = ("历史竞赛\n一、单项选择题(共3题,每题1分)1.中国共产党成立于()年A.1919B.1921C.1949D.19782.新中国的首都是()"
            "A.南京B.北京C.上海D.西安3.改革开放的总设计师是()A.毛泽东B.邓小平C.周恩来D.刘少奇\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3"]
    assert found[0].options[-1].text == "1978"
    assert found[1].stem.startswith("新中国的首都")


def test_label_glued_to_an_option_after_a_bracketed_letter():
    """'(D)812、在下列…', '(D) 43、下列…', '(D)3503 企业因下列…': a numeric option after a bracketed
    letter and the next label run together; the sequence says where the digits part."""
    page = ("一、单项选择题\n1、81的算术平方根是( )(A)9 (B)-9 (C)3 (D)812、下列说法中,正确的是( )(A) 甲 (B) 乙 (C) 丙 (D) 43、"
            "甲公司确认的管理费用金额是( )万元。(A)240(B) 250(C) 340(D)3504 企业因下列交易产生的损益中,不影响营业利润的是( )。"
            "(A)处置损失(B)理财收益(C)保修义务(D)股票期权\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3", "4"]
    assert [q.options[-1].text for q in found[:3]] == ["81", "4", "350"]


def test_options_without_delimiters_on_their_own_line_then_the_next_question():
    """'A作业性 B 战略性C战术性 D 战略战术性6 保健因素是指…': an option run written without delimiters
    on its own line is the options, and the next question glued after the last option starts there."""
    page = ("一、单项选择题\n4、管理既是科学又体现()。\nA.效率 B.技术 C.价值 D.艺术\n"
            "5、为组织未来设立总体目标的计划称为()计划。\n\nA作业性 B 战略性C战术性 D 战略战术性6 保健因素是指那些和人们的()有关的因素。\n\n"
            "A.成就B.不满情绪C.年龄 D. 保健品\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["4", "5", "6"]
    assert [o.text for o in found[1].options] == ["作业性", "战略性", "战术性", "战略战术性"]
    assert found[2].stem.startswith("保健因素") and len(found[2].options) == 4


def test_label_glued_to_a_formula_that_lost_its_symbols():
    """'…(D) ab52)(ba6、不等式…', '…(D)ab.9、若多项式…': a converter that drops a maths formula leaves its
    letters glued to the next label."""
    page = ("一、选择题\n5、下列运算正确的是( )(A) (B) 2360)1((C) (D) ab52)(ba6、不等式 的正整数解的个数为( )(A)3 个 (B)4 个 "
            "(C)5 个 (D)6 个7、下列各式正确的是( ) (A) (B) 22)(ba(C) (D)ab.8、若多项式 是一个整式的平方,则 的值是( )"
            "(A)36 (B)9 (C)-9 (D)±9\n")
    assert numbers(page) == ["5", "6", "7", "8"]


def test_bare_number_and_space_labels_in_run_on_text():
    """'1 算法题: … 2 设计题: …' (kinds K3): a number and a space label questions in run-on text."""
    page = ("笔试题目\n1 算法题: 写一个函数求两个正整数的最大公约数,并分析复杂度。 2 设计题: 设计一个缓存淘汰策略,说明数据结构的选择。"
            " 3 问答题: 请说明进程与线程的区别,以及各自适用的场景。" + " 补充说明。" * 20 + "\n")
    assert numbers(page) == ["1", "2", "3"]


def test_numbers_alone_on_their_lines_label_the_items_below():
    """A quiz export prints each number on a line of its own, then its score, then the item."""
    items = "".join(f"{n}\n2分\n()下列做法正确的是第{n}种______。\nA.甲\nB.乙\nC.丙\n" for n in (1, 2, 3))
    found = qset("交通知识竞赛\n一、单选题(30分)\n" + items).questions()
    assert [q.number for q in found] == ["1", "2", "3"]
    assert all(len(q.options) == 3 for q in found)


def test_a_quantity_is_not_a_label():
    """'(每題1.0分,共20.0分)1輸卵管…': '1.0分' counts points; question 1 is the item after it."""
    page = ("一、單選題:請選擇一個最佳答案。 (每題1.0分,共20.0分)1輸卵管結扎術常在哪一部位進行( )A子宮部 B峽部 C壺腹部 D漏斗部 "
            "2有關生命體征的概念下列哪項正確( )A體溫 B脈搏 C呼吸 D血壓 3臀大肌深面( )A無重要神經 B坐骨神經 C股神經 D閉孔神經"
            + " 說明" * 30 + "\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3"]
    assert found[0].stem.startswith("輸卵管")


def test_a_list_inside_a_stem_is_not_a_run_of_questions():
    """'(1)因出租…;(2)因处置…;' items ending in ';' are a list inside the question's sentence."""
    page = ("一、单项选择题\n1.甲公司发生的有关交易如下:(1)因出租房屋取得租金收入120万元;(2)因处置固定资产产生净收益30万元;"
            "(3)收到现金股利60万元。甲公司确认的管理费用金额是( )。\n(A)240 (B)250 (C)340 (D)350\n"
            "2.下列项目中,不应计入管理费用的是( )。\n(A)排污费 (B)补偿费 (C)报废净损失 (D)招待费\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2"]
    assert "(2)因处置" in found[0].stem


def test_three_question_like_items_never_end_no_questions():
    """Every label misread at once (a comma for each dot) still reads as a numbered run."""
    page = "测验\n1,地球绕太阳公转吗?\n2,水在100度沸腾吗?\n3,月亮自己会发光吗?\n"
    assert numbers(page) == ["1", "2", "3"]


def test_a_lone_doubtful_number_is_not_a_question():
    """'3 个苹果' with no numbering around it is a quantity in a sentence: the page has no questions."""
    with pytest.raises(Rejected):
        process_page("page.txt", "购物清单\n3 个苹果和两斤梨。\n")


def test_judgement_part_items_are_true_false_without_an_answer():
    """判断题 statements are to be judged true or false, whether the page prints the key or not."""
    found = qset("一、判断题(每题2分)\n1.地球绕太阳公转。( )\n2.月亮自己会发光。( )\n").questions()
    assert [q.kind for q in found] == ["true_false", "true_false"]


def test_pinyin_glosses_of_a_converter_are_not_published():
    """'現(xiàn)金', '本質(zhì)': a converter's pinyin glued after characters it could not map."""
    found = qset("會計試題\n1.下列屬于現(xiàn)金的是()\nA.本質(zhì)B.支票C.匯票D.股票\n").questions()[0]
    assert found.stem == "下列屬于現金的是()"
    assert found.options[0].text == "本質"


def test_explain_prints_the_reading_and_its_named_costs(tmp_path, capsys):
    """`python -m pipeline explain PAGE`: each candidate line, the named terms that decided it, the
    runner-up of a disputed line, and the outcome."""
    page = tmp_path / "page.txt"
    page.write_text("一、选择题\n1,地球绕太阳公转吗?\n2.水在100度沸腾吗?\n3.月亮会发光吗?\n购物:3 个苹果\n", encoding="utf-8")
    assert main(["explain", str(page)]) == 0
    out = capsys.readouterr().out
    assert "question 1, (arabic) [question +3.00, misprinted_label -1.50" in out
    assert "sequence_continues" in out
    assert "section 一、选择题: 3 questions [1 2 3]" in out
    named = set(re.findall(r"([a-z_]+) [+-]\d+\.\d\d", out))
    assert named <= set(labels.READING_COSTS) | {"sequence_continues", "new_part"}


def test_explain_says_why_a_page_is_rejected(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_text("购物清单\n3 个苹果和两斤梨。\n", encoding="utf-8")
    assert main(["explain", str(page)]) == 0
    assert "rejected: no_questions" in capsys.readouterr().out


def test_lines_broken_at_a_fixed_width_are_joined_back():
    """A text dump breaks every long line at one width, inside labels and keys ('答' | '案:B'): the
    page reads as the unbroken one does, and says it was unwrapped."""

    items = [f"{n}.下列关于{'第' * n}种情况的说法中正确的是哪一项呢()A.甲说法B.乙说法C.丙说法D.丁说法答案:B" for n in range(1, 7)]
    plain = "单元测验\n" + "\n".join(items) + "\n"
    wrapped = "单元测验\n" + "\n".join(line for item in items for line in textwrap.wrap(item, 20)) + "\n"
    want, got = qset(plain), qset(wrapped)
    assert [(q.number, q.stem, [o.text for o in q.options], q.answer) for q in got.questions()] == \
           [(q.number, q.stem, [o.text for o in q.options], q.answer) for q in want.questions()]
    assert any(w.startswith("unwrapped") for w in got.warnings)
    assert not any(w.startswith("unwrapped") for w in want.warnings)


def test_parts_named_by_topic_head_sections():
    """'一、2019年上半年', '题组二 浮力' (kinds K6): a short topic line right before a numbered question
    opens a part, whether or not it names a question type; the numbering may run on across parts."""
    page = ("历年真题汇编\n一、2019年上半年\n1.下列哪个数是质数?\nA.4 B.6 C.7 D.9\n题组二 浮力\n"
            "2.浮力的方向总是怎样的?\nA.竖直向上 B.竖直向下 C.水平 D.不确定\n")
    sections = qset(page).sections
    assert [(s.heading, [q.number for q in s.questions]) for s in sections] == [
        ("一、2019年上半年", ["1"]), ("题组二 浮力", ["2"])]


def test_a_topic_line_inside_an_answer_is_the_answer():
    """'一、…' items inside an answer are its points, never a new part."""
    page = "1.简述教学原则?\n答:\n一、直观性原则\n二、启发性原则\n2.简述德育方法?\n答:说服教育。\n"
    found = qset(page)
    assert [q.number for q in found.questions()] == ["1", "2"]
    assert "直观性原则" in found.questions()[0].answer


def test_a_preview_page_listing_names_the_document():
    """'编译原理试题汇总_第1页' lines (removed as chrome) give the title; the first item is not taken for it."""
    page = "编译原理试题汇总_第1页\n编译原理试题汇总_第2页\n资源描述\n1.编译程序的前端包括哪些部分?\n2.什么是文法?\n"
    found = qset(page)
    assert found.title == "编译原理试题汇总"
    assert [q.number for q in found.questions()] == ["1", "2"]


def test_a_title_said_three_times_is_said_once():
    assert qset("科目四安全驾驶题库科目四安全驾驶题库科目四安全驾驶题库\n1.什么是安全距离?\n").title == "科目四安全驾驶题库"


def test_a_form_header_after_the_title_is_kept_as_the_page_s_text():
    """'…试卷及答案学号_ 姓名_': the title stops at the form header; the header stays on the page."""
    found = qset("2019年护士三基考试试卷及答案学号_ 姓名_ 科室_\n1.输卵管结扎术常在哪一部位进行( )\nA.子宫部 B.峡部 C.壶腹部\n")
    assert found.title == "2019年护士三基考试试卷及答案"
    assert "姓名_" in found.model_dump_json()


def test_a_title_glued_to_the_first_item_gives_the_item_back():
    """A listing title, then the same words opening the first line with the first item glued on."""
    page = ("操作系统期末考试答案_第1页\n操作系统期末考试答案若信号量初值为2当前值为-1则没有进程在等待。()\n答案:错\n"
            "操作系统是一种通用软件。()\n答案:错\n把逻辑地址转换为物理地址的工作称为地址映射。()\n答案:对\n")
    found = qset(page)
    assert found.title == "操作系统期末考试答案"
    assert found.questions()[0].stem.startswith("若信号量初值为2")


def test_a_declaration_after_the_heading_s_instruction_belongs_to_the_heading():
    """'一、单项选择题请…选出1个正确答案。(每题1分,共25分)': the part's numbers, not the first stem's."""
    (section,) = qset("一、单项选择题请在下列各题答案选项中,选出1个正确答案。(每题1分,共25分)\n1.下列说法正确的是()\nA.甲 B.乙\n"
                      ).sections
    assert section.heading.endswith("(每题1分,共25分)")
    assert (section.score_each, section.score_total) == (1, 25)
    assert section.questions[0].score == 1


def test_a_long_instruction_bracket_after_the_heading_s_sentence_is_the_heading_s():
    """'一、不定项选择题。(在每小题的五个备选答案中…每小题1分,本题总分30分)': however long, the
    bracket that declares the part belongs to its heading."""
    (section,) = qset("一、不定项选择题。(在每小题的五个备选答案中,选出正确的答案,并将正确答案的序号分别填在题干的括号内,"
                      "多选、少选、错选均不得分。每小题1分,本题总分30分)\n1.下列说法正确的是()\nA.甲 B.乙\n").sections
    assert (section.score_each, section.score_total) == (1, 30)


@pytest.mark.parametrize(("why", "heading", "declared"), [
    ("a range of question numbers counts them", "一、单项选择题 第 1-45小题,每小题 1分,共 45分。", (45, 1, 45)),
    ("a range whose dash was lost, and a total whose unit was lost", "第一部分:会计学(1 25 题,每题 2 分,共 50 )",
     (25, 2, 50)),
    ("a bare total before the score each", "二、词汇与结构(20分,每小题2分)", (None, 2, 20)),
    ("a glyph lost after the declaration is no question mark", "第一部分 交际用语(共计10分,每小题2分)?", (None, 2, 10)),
])
def test_a_heading_s_declared_numbers(why, heading, declared):
    (section,) = qset(f"{heading}\n1.下列说法正确的是()\nA.甲 B.乙\n2.下列说法错误的是()\nA.甲 B.乙\n").sections
    assert (section.count_declared, section.score_each, section.score_total) == declared, why


def test_a_count_in_run_on_text_is_not_a_label():
    """'…每小题 1分,共 45分。' in run-on text: a number followed by a unit counts, it never opens a question."""
    page = ("一、单项选择题 第 1-45小题,每小题 1分,共 45分。下列每题给出的四个选项中,只有一个选项是符合题目要求的。"
            "1 我国宪法第 58条规定了什么 ?( ) (A)授权性规范 (B)义务性规范 2 公法与私法的划分主要出现在 ( )。"
            "(A)民法法系 (B)普通法法系 3 下列哪个选项不属于我国国家监督体系 ?( ) (A)政协 (B)审计\n")
    found = qset(page)
    assert [q.number for q in found.questions()] == ["1", "2", "3"]
    assert found.sections[0].score_each == 1
    assert "58条规定" in found.questions()[0].stem


def test_a_heading_ends_at_its_declaration_when_a_passage_follows():
    """'三、完形填空 (共计20分, 每题2分) Jules Verne's…': the heading, then the passage it introduces."""
    page = ("三、完形填空 (共计20分, 每题2分) Jules Verne's most famous book is about the sea and its wonders.\n"
            "1. A. on B. in\n2. A. at B. by\n")
    (section,) = qset(page).sections
    assert section.heading.endswith("每题2分)")
    assert (section.score_each, section.score_total) == (2, 20)


def test_a_score_alone_between_a_bare_label_and_its_stem_is_the_question_s():
    """Quiz exports print '1' / '2分' / the stem on lines of their own."""
    page = "".join(f"{n}\n2分\n()下列说法正确的是______。\nA.甲\nB.乙\n" for n in (1, 2, 3))
    assert [q.score for q in qset(page).questions()] == [2, 2, 2]


def test_a_part_named_by_its_topic_glued_to_its_first_question():
    """'一、基础知识1. 什么是Java?…' (kinds K5): the part's heading, then its first question."""
    page = ("Java面试题\n一、基础知识1. 什么是Java?\nJava是一种编程语言。\n2. Java的特点有哪些?\n跨平台,面向对象。\n"
            "二、面向对象1. 什么是继承?\n子类获取父类的属性和方法。\n")
    found = qset(page)
    assert [s.heading for s in found.sections] == ["一、基础知识", "二、面向对象"]
    assert found.questions()[0].stem == "什么是Java?"


def test_an_answer_printed_straight_after_its_question_mark():
    """Interview pages: '什么是Java?Java是一种…'. On a page that answers its questions, the text after
    the question mark is the answer; a further instruction ('?请举例说明') stays in the stem, and so does a
    second question ('什么是异常?如何处理异常?异常是…')."""
    page = ("1. 什么是Java?Java是一种广泛使用的编程语言。\n2. 什么是JVM?JVM是Java虚拟机。\n"
            "3. 什么是多态?请举例说明。\n4. 什么是异常?Java中如何处理异常?异常是程序运行时的错误。\n")
    found = qset(page).questions()
    assert [q.answer for q in found[:2]] == ["Java是一种广泛使用的编程语言。", "JVM是Java虚拟机。"]
    assert found[2].answer is None and found[2].stem == "什么是多态?请举例说明。"
    assert (found[3].stem, found[3].answer) == ("什么是异常?Java中如何处理异常?", "异常是程序运行时的错误。")


def test_a_part_named_by_its_kind_glued_between_the_title_and_its_first_question():
    """'…考试题及答案汇总一、选择1将编译程序…2正规式…': the part, then questions 1 and 2."""
    page = ("编译原理考试题及答案汇总一、选择1将编译程序分成若干个遍是为了 _B_。A. 提高效率B. 结构清晰C. 节省内存D. 降低效率"
            "2正规式等价是指 _C_。A. 状态数相等 B. 弧数相等 C. 语言相等 D. 都相等 3中间代码生成时所依据的是_C_。"
            "A.语法规则 B 词法规则 C 语义规则 D 等价变换规则\n")
    found = qset(page)
    assert found.sections[0].heading == "一、选择"
    assert [q.number for q in found.questions()] == ["1", "2", "3"]


def test_tick_box_options_and_item_references_inside_them():
    """'A( ) 字符串 B( ) 语句': options with a box to tick; '(1)(2)' inside an option refers to the
    stem's statements and opens no question."""
    page = ("一、选择题 1 编译程序中不包含的部分是_A_。A( ) 文法分析 B( ) 语法分析 C( ) 代码优化 D( ) 目标代码生成 "
            "2 词法分析器用于识别 _C_。A( ) 字符串 B( ) 语句 C( ) 单词 D( ) 标识符 "
            "3 下面关于解释程序的描述正确的是_B_。(1) 不产生目标代码(2) 适用于COBOL语言(3) 为打破僵局而开发"
            "A( ) (1)(2) B ( ) (1) C ( ) (1)(2)(3) D ( ) (2)(3) "
            "4 语法分析器可以发现源程序中的_D_。A( ) 语义错误 B( ) 语法错误 C( ) 拼写错误 D( ) 语法和语义错误\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3", "4"]
    assert [[o.label for o in q.options] for q in found] == [["A", "B", "C", "D"]] * 4
    assert found[1].options[0].text == "字符串"
    assert found[2].options[0].text == "(1)(2)"


def test_a_strong_option_run_that_goes_on_in_looser_labels():
    """'A. a+b B. (a+b) C a+b/c D a+b+c': one run of four, not two options and a stem's tail."""
    (q,) = qset("1.后缀式ab+cd+/可用表达式_B_来表示。A. a+b/c+d B. (a+b)/(c+d) C a+b/(c+d) D a+b+c/d\n").questions()
    assert [o.label for o in q.options] == ["A", "B", "C", "D"]
    assert q.options[2].text == "a+b/(c+d)"


def test_an_english_option_ending_in_digits_glued_to_the_next_label():
    """'…D.15May20238.Which word…': the year 2023, then question 8 (the sequence decides the cut)."""
    page = ("一、单选题(每题2分)7.Whatisthecorrectwaytowritethedate\"May15,2023\"?A.15thMay2023B.May15th,2023"
            "C.2023-05-15D.15May20238.Whichwordbestcompletesthesentence:\"Theweatheris______today.\"A.niceB.nicely"
            "C.nicedD.nicety9.Whatisthecorrectwaytowritethenumber123?A.123B.120-3C.100and23D.100.2310.Whichofthe"
            "followingiscorrect?A.SheworksB.TheyworkC.HeworkD.Weworks\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["7", "8", "9", "10"]
    assert found[0].options[-1].text == "15May2023"
    assert found[2].options[-1].text == "100.23"


@pytest.mark.parametrize(("why", "tail"), [
    ("the last choice question stops before its options", "5.下列说法正确的是(C)\n"),
    ("the last question has fewer options than any other", "5.下列说法正确的是( )\nA.甲\nB.乙\n"),
    ("the text stops inside an aside", "5.下列说法正确的是( )\nA.甲\nB.乙\nC.丙\nD.丁\n答案:A\n解析:石油的族组成,以饱和烃(双环芳烃)\n"),
])
def test_a_preview_cut_inside_its_last_question_is_truncated(why, tail):
    """Cut previews stop anywhere: the last question then lacks what every other one has."""
    body = "".join(f"{n}.下列说法正确的是( )\nA.甲\nB.乙\nC.丙\nD.丁\n答案:A\n" for n in range(1, 5))
    assert qset(body + tail).truncated, why
    assert not qset(body).truncated, "the same page ending with a whole question is not"


def test_english_parts_and_sections_in_run_on_text():
    """'Paper One Part I Listening Comprehension (15 minutes 15 %) Section A (10%) Directions: …': a
    part, a section with its weight as total, and the directions as the section's text."""
    page = ("Paper One Part I Listening Comprehension (15 minutes 15 %) Section A (10%) Directions: In this section "
            "you will hear ten short conversations. 1. A. Once a week. B. Twice a week. C. Three times. D. Never. "
            "2. A. At home. B. At school. C. In the park. D. In the shop. Section B (5%) Directions: You will hear "
            "a passage. 3. A. Yes. B. No. C. Maybe. D. Never.\n")
    found = qset(page)
    assert [(s.heading, s.score_total) for s in found.sections] == [
        ("Part I Listening Comprehension (15 minutes 15 %)", 15), ("Section A (10%)", 10), ("Section B (5%)", 5)]
    assert [q.number for q in found.questions()] == ["1", "2", "3"]


@pytest.mark.parametrize(("why", "page", "headings"), [
    ("a chapter named by its topic, then its first part", "一、教育心理学概述\n一、单项选择题\n1.核心内容是()。\nA.甲 B.乙\n",
     ["一、教育心理学概述", "一、单项选择题"]),
    ("a part named by its kind, then its instructions", "一、单项选择题每题只有一个正确答案,请选出。\n1.核心内容是()。\nA.甲 B.乙\n",
     ["一、单项选择题"]),
    ("a topic part after a form header, before question 1, in run-on text",
     "Unit 3 单元复习卷 评卷人得分 一、根据首字母填空 1.The bookstore is on your right, b the bank. 【答案】beside "
     "【详解】本题考查方位介词:书店在银行旁边。故填beside。 2.My house is next to the bus station, so it is very c "
     "for me. 【答案】convenient 【详解】句意:坐公交对我来说很方便。故填convenient。\n", ["一、根据首字母填空"]),
    ("a declared part glued to the title", "招聘笔试参考题库附带答案详解一、数量关系(在这部分试题中,每道题呈现一段文字,共20题)"
     "1.某工厂原计划15天完成。原计划每天生产多少件?A.16件B.18件C.20件D.22件\n", ["一、数量关系(在这部分试题中,每道题呈现一段文字,共20题)"]),
])
def test_headings_the_genre_writes_without_a_declaration_of_their_own(why, page, headings):
    assert [s.heading for s in qset(page).sections] == headings, why


def test_a_part_s_only_question_written_into_its_heading_line():
    """'二、简答题简述…的作用。' then '参考答案:…': the part, and its one unlabelled question with its answer."""
    found = qset("二、简答题简述教育心理学对教师专业发展的作用。\n参考答案:1提供科学的学生观;2指导教学实践;3促进个性化教育;\n")
    (q,) = found.questions()
    assert found.sections[0].heading == "二、简答题"
    assert q.stem == "简述教育心理学对教师专业发展的作用。" and q.answer.startswith("1提供科学的学生观")


def test_pinyin_glosses_go_before_the_page_is_read():
    """'數(shù)量關(guān)系': the glosses break every pattern over the words they sit in, so they go first."""
    page = "一、數(shù)量關(guān)系(每題2分,共4分)\n1.某工廠生產(chǎn)零件多少件?\nA.16件 B.18件\n2.原計(jì)劃多少天?\nA.1 B.2\n"
    (section,) = qset(page).sections
    assert section.heading == "一、數量關系(每題2分,共4分)" and section.score_each == 2


def test_a_page_that_labels_most_answers_leaves_the_label_off_some():
    """'答:…' after most questions; after some the answer follows bare, as text or as numbered points."""
    page = ("1、石油中的硫化物对石油加工有什么影响?\n答:设备腐蚀、催化剂中毒。\n"
            "2、汽油的抗爆性与组成有什么关系?\n(1)对于同族烃类,其辛烷值随相对分子量的增大而降低。\n"
            "(2)当相对分子量相近时,芳香烃最好。\n"
            "3、化学组成对汽油的安定性有什么影响?\n答:不饱和烃是导致汽油不安定的主要原因。\n"
            "4、油品失去流动性的原因是什么?\n\n粘温凝固和构造凝固\n"
            "5、为什么要求柴油的粘度要适中?\n答:粘度过小会使功率下降。\n")
    answers = [q.answer for q in qset(page).questions()]
    assert answers[1].startswith("(1)对于同族烃类") and answers[3] == "粘温凝固和构造凝固"
    assert all(answers)


def test_a_lone_later_letter_after_a_fill_in_question_is_its_key_not_an_option():
    """'E、I' fills the two blanks of the question before it: options start at A."""
    page = "".join(f"{n}.主项与谓项均不周延的判断形式是______。\n{key}\n" for n, key in ((1, "E、I"), (2, "A、O"), (3, "I、O")))
    found = qset(page).questions()
    assert found[0].options == [] and found[0].answer == "E、I"


def test_a_scanned_one_read_as_a_letter_is_still_the_label():
    """'l7. In his…' between 16 and 18: a scan read the 1 of 17 as l; the numbering vouches for it."""
    page = "".join(f"{n}. She _____ to school every day.\nA) go\nB) goes\nC) going\nD) went\n" for n in ("16", "l7", "18"))
    assert [q.number for q in qset(page).questions()] == ["16", "17", "18"]


def test_a_label_glued_after_an_english_option():
    """'D. wearing clothes that are good for the Earth (2)Today, green fashion is ___.': two questions."""
    page = ("(1)From this passage, we know that green fashion means________.\nA. putting green on\nB. making clothes\n"
            "C. wearing green\nD. wearing clothes that are good for the Earth (2)Today, green fashion is ______.\n"
            "A. the same as before\nB. making people work\nC. popular\nD. expensive\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2"]
    assert found[0].options[-1].text == "wearing clothes that are good for the Earth"


def test_english_run_on_questions_glued_to_the_last_option_s_word():
    """'二、单项选择题1There may be…Dcomposite attribute2In a bank…': the part, then questions 1, 2, 3."""
    page = ("二、单项选择题1There may be instances where an attribute has a set of values. This attribute is said to be "
            "【】A. single valued B. multivalued C. simple D. composite attribute2In a particular bank, a loan can "
            "belong to only one customer, then the relationship is【】A. one to many B. many to many C. many to one "
            "D. one to one3The result of true and null is【】A. null B. true C. false D. not null\n")
    found = qset(page)
    assert found.sections[0].heading == "二、单项选择题"
    assert [q.number for q in found.questions()] == ["1", "2", "3"]
    assert found.questions()[0].options[-1].text == "composite attribute"


def test_a_short_line_holding_a_numbered_run_is_split_at_its_numbers():
    """'1 算法题:… 2 设计题:… 3 问答题:…' on one short line (kinds K3): a number and a space label questions."""
    page = "笔试题目汇总\n1 算法题: 写一个函数求最大公约数。 2 设计题: 设计一个缓存淘汰策略。 3 问答题: 请说明进程与线程的区别。\n"
    assert [q.stem[:3] for q in qset(page).questions()] == ["算法题", "设计题", "问答题"]


def test_an_item_that_opens_with_its_answer_label():
    """'1.【答案及解析】B 资产是…' (kinds K10): the key letter is the answer, the rest the analysis."""
    page = "一、单项选择题\n" + "".join(f"{n}.【答案及解析】{k} 资产是企业拥有或控制的资源。故选{k}。\n" for n, k in ((1, "B"), (2, "D")))
    found = qset(page).questions()
    assert [(q.answer, q.analysis) for q in found] == [("B", "资产是企业拥有或控制的资源。故选B。"),
                                                      ("D", "资产是企业拥有或控制的资源。故选D。")]


@pytest.mark.parametrize(("why", "page", "answer", "analysis"), [
    ("an answer word without its colon before the key, and its analysis right after",
     "1.Which one is a fruit?\nA.desk B.apple C.chair D.pen答案 B解析 apple 是水果\n", "B", "apple 是水果"),
    ("a key-points label", "1.简述诚信的意义。\n参考答案要点:诚信是立身之本\n", "诚信是立身之本", None),
    ("a label marked for the reader", "1.什么是摩擦力?(★)答:阻碍物体相对运动的力。\n", "阻碍物体相对运动的力。", None),
    ("a thinking-path label", "1.下列属于哺乳动物的是\nA.鲸 B.鲨鱼 C.海龟 D.青蛙\n本题思路:鲸用肺呼吸、胎生哺乳。\n", None,
     "鲸用肺呼吸、胎生哺乳。"),
])
def test_field_labels_the_genre_prints(why, page, answer, analysis):
    """Kinds K8: answer and analysis labels beyond '答案:' / '解析:'."""
    (q,) = qset(page).questions()
    assert (q.answer, q.analysis) == (answer, analysis), why


def test_options_marked_right_where_they_stand_are_the_key():
    """'A、离开时关闭电源(正确答案)B、…' (kinds K9): the marked options are the answer, the mark is no text."""
    (q,) = qset("1. 下列做法正确的是()\nA、离开时关闭电源(正确答案)B、用湿手插拔插头C、定期检查电线(正确答案)D、超负荷用电\n"
                ).questions()
    assert q.answer == "AC" and q.options[0].text == "离开时关闭电源"


def test_a_multi_letter_key_glued_to_the_next_number():
    """'答案:A, B, D2. 安全用电…' (kinds K11): the key, then question 2."""
    page = ("二、多项选择题\n1. 导体材料可以是()。\nA. 铜B. 铝C. 橡胶D. 银答案:A, B, D2. 安全用电的措施包括()。\n"
            "A. 接地保护B. 漏电保护C. 湿手操作D. 定期检查答案:A, B, D\n")
    assert [(q.number, q.answer) for q in qset(page).questions()] == [("1", "A, B, D"), ("2", "A, B, D")]


def test_items_that_are_options_alone():
    """'1. A) At the bank.' / 'B) …' (kinds K15): a listening item has options and no stem, and no answer."""
    page = "Part I Listening\n" + "".join(f"{n}. A) At the bank.\nB) At the post office.\nC) At a hotel.\nD) At a school.\n"
                                          for n in (1, 2))
    found = qset(page).questions()
    assert [[o.label for o in q.options] for q in found] == [["A", "B", "C", "D"]] * 2
    assert [q.answer for q in found] == [None, None]


def test_a_stem_that_opens_with_a_quantity():
    """'2.220V电压属于()' (kinds K18): question 2 whose stem starts with 220V, not the decimal 2.220."""
    page = ("一、单项选择题\n1.我国低压配电的线电压是()\nA.110V B.220V C.380V D.500V\n2.220V电压属于()\n"
            "A.高压 B.低压 C.特高压 D.超高压\n3.测量电流的仪表是()\nA.电压表 B.电流表 C.欧姆表 D.功率表\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3"] and found[1].stem.startswith("220V")


def test_the_blank_of_one_question_pushed_onto_the_next_label_line():
    """'1.>电流…' / '( ) 2.>电压…' (kinds K19): both are questions; the blank is question 1's."""
    page = "一、判断题\n1.>电流的单位是安培。\n\n( ) 2.>电压的单位是伏特。\n\n( ) 3.>电阻的单位是欧姆。\n"
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3"]
    assert found[0].stem == "电流的单位是安培。( )" and found[1].stem.startswith("电压")


def test_a_paper_s_rules_before_its_first_part_are_its_text():
    """'注意事项:' then '1.本试卷满分100分…' (kinds K20): content, not questions; the questions start again at 1."""
    for page in ("期中考试\n注意事项:\n1.本试卷满分100分。\n2.请将答案写在答题卡上。\n一、选择题(共2题,每题2分)\n"
                 "1.下列哪个是偶数?\nA.1 B.3 C.4 D.5\n2.下列哪个是奇数?\nA.2 B.4 C.6 D.7\n",
                 "注意事项:\n1.本试卷满分100分。\n2.请将答案写在答题卡上。\n1.下列哪个是偶数?\nA.1 B.3 C.4 D.5\n"
                 "2.下列哪个是奇数?\nA.2 B.4 C.6 D.7\n"):
        found = qset(page)
        assert [q.stem for q in found.questions()] == ["下列哪个是偶数?", "下列哪个是奇数?"]
        assert "1.本试卷满分100分。" in [c.text for c in found.content]


def test_a_topic_label_line_then_a_labelled_stem():
    """'1.变量作用域(4分)' / '题目:说明…' (kinds K21): label, topic and score, then the stem; not an answer."""
    page = "一、基础知识(2题,共8分)\n\n1.变量作用域(4分)\n\n题目:说明全局变量与局部变量的区别。\n\n2.列表推导式(4分)\n\n题目:用列表推导式生成平方。\n"
    found = qset(page)
    assert [(q.stem, q.score, q.answer) for q in found.questions()] == [
        ("说明全局变量与局部变量的区别。", 4, None), ("用列表推导式生成平方。", 4, None)]
    assert "变量作用域" in [c.text for c in found.content]


@pytest.mark.parametrize(("why", "page"), [
    ("a lone option glued to the last stem at the cut (kinds K17)",
     "一、单选题\n1.下列属于可再生能源的是?A.煤B.石油C.太阳能D.天然气\n参考答案:C\n2.以下哪项属于清洁能源?A.风能\n"),
    ("the last question has fewer options than the others (kinds K23)",
     "".join(f"{n}.下列哪种工具用于测试?\nA.Postman\nB.Word\nC.Excel\nD.Photoshop\n答案:A\n" for n in (1, 2))
     + "3.测试用例的核心要素不包括?\nA.预期结\n"),
    ("an answer list stops on 、 (kinds K23b)", "1.什么是电路?\n答:电流流通的路径。\n2.电路由哪些部分组成?\n"
     "答:电源、导线。\n3.常见的导体有哪些?\n答:铜、铝、\n"),
])
def test_a_cut_inside_a_short_last_option_or_answer(why, page):
    assert qset(page).truncated, why


def test_a_numbered_blank_and_the_options_that_carry_its_number():
    """'● …___(12)___…' / '(12)A.冒泡排序 B.…' (kinds K13): one item with its options; the blank's number
    is not its answer."""
    page = ("数据结构历年试题\n● 在以下排序算法中,___(12)___的平均时间复杂度最低。\n(12)A.冒泡排序 B.快速排序 C.插入排序 D.选择排序\n"
            "● 栈的特点是___(13)___。\n(13)A.先进先出 B.后进先出 C.随机存取 D.顺序存取\n")
    found = qset(page).questions()
    assert [([o.label for o in q.options], q.answer) for q in found] == [(["A", "B", "C", "D"], None)] * 2


def test_a_numbered_line_that_declares_its_items_is_a_sub_part():
    """'1.SQL编程(2题,每题5分)' then '题目1:…' (kinds K6b): a sub-part heading; the 题目 items are the questions."""
    page = ("二、编程题(共4题,共20分)\n1.SQL编程(2题,每题5分)\n题目1:写出查询所有学生姓名的语句。\n答案:SELECT name FROM student;\n"
            "题目2:写出统计学生人数的语句。\n答案:SELECT COUNT(*) FROM student;\n2.Shell编程(2题,每题5分)\n"
            "题目1:写出列出当前目录所有文件的命令。\n答案:ls -a\n题目2:写出查看磁盘使用情况的命令。\n答案:df -h\n")
    found = qset(page)
    assert [s.heading for s in found.sections][1:] == ["1.SQL编程(2题,每题5分)", "2.Shell编程(2题,每题5分)"]
    assert [(q.answer, q.score) for q in found.questions()] == [
        ("SELECT name FROM student;", 5), ("SELECT COUNT(*) FROM student;", 5), ("ls -a", 5), ("df -h", 5)]


def test_chapter_item_labels():
    """'2-1什么是杠杆原理?' (kinds K2): chapter-item labels are question labels."""
    page = "第2章习题答案\n\n2-1什么是杠杆原理?\n\n答:动力乘以动力臂等于阻力乘以阻力臂。\n\n2-2滑轮有哪几种?答:定滑轮和动滑轮两种。\n"
    found = qset(page).questions()
    assert [(q.number, q.stem) for q in found] == [("1", "什么是杠杆原理?"), ("2", "滑轮有哪几种?")]


def test_a_sample_paper_that_prints_each_item_with_its_right_option_in_place():
    """'1. I think it is helpful. -- A. Yes, so do I' / '6. It's not safe C.playing in the street.': each
    item shows only its right option; that option is the key, and the text stays as printed."""
    page = ("第一部分 交际用语(共计10分,每小题2分)\n1. I think the Internet is very helpful. -- A. Yes, so do I\n"
            "2. I have an appointment with Dr. Johnson. -- C. Please wait a minute.\n"
            "3. It's not safe C.playing in the street.\n4. We A.used to swim every day when we were children.\n")
    found = qset(page).questions()
    assert [(q.answer, [o.label for o in q.options]) for q in found] == [("A", ["A"]), ("C", ["C"]), ("C", ["C"]),
                                                                          ("A", ["A"])]
    assert found[3].stem == "We A.used to swim every day when we were children."


def test_one_option_label_in_a_few_stems_is_no_key():
    """A stem that mentions 'A.' once is not a key printed in place unless most items of the part do so."""
    page = ("1. What does point A. mean here?\n2. Describe the picture.\n3. Explain the rule.\n"
            "4. Give an example.\n")
    assert all(q.answer is None for q in qset(page).questions())


def test_a_page_wrapped_at_spaces_is_joined_where_the_next_word_did_not_fit():
    """A dump that wraps at spaces (textwrap) leaves lines of varying width: a line is joined to the next
    when the next word would not have fitted; a line the author ended short stays."""
    run_on = ("一、交际用语(共计10分,每小题2分) 1. I think the Internet is very helpful. -- A. Yes, so do I "
              "2. I have an appointment with Dr. Johnson. -- C. Please wait a minute, he is busy now. "
              "3. Afternoon, sir. Where to? -- A. Please get me to the airport as soon as you can. "
              "4. Can I help you to get it down from the shelf? -- C. Thanks. It is so nice of you. "
              "5. I am trying to call Marie, but there is no answer at all. -- B. Really? Maybe she is out.")
    page = wrapped_at_spaces(run_on)
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3", "4", "5"]
    assert found[1].stem.startswith("I have an appointment with Dr. Johnson.")


def test_a_question_that_asks_ends_a_list_inside_the_question_before():
    """'(2)汽油…有什么关系?' / '(1)对于同族烃类…' / '(2)当相对分子量…' / '(3)化学组成…有什么影响?': the list's
    items state, (3) asks, so it is the next question, not the list's third item."""
    page = ("(1)石油中的硫化物对石油加工有什么影响?\n答:设备腐蚀。\n(2)汽油的抗爆性与组成有什么关系?\n"
            "(1)对于同族烃类,其辛烷值随相对分子量的增大而降低。\n(2)当相对分子量相近时,芳香烃最好。\n"
            "(3)化学组成对汽油的安定性有什么影响?\n答:不饱和烃是主要原因。\n(4)为什么要求柴油的粘度要适中?\n答:粘度过小功率下降。\n")
    assert [q.number for q in qset(page).questions()] == ["1", "2", "3", "4"]


def test_a_score_printed_after_the_last_option():
    """Quiz exports: '…D. excited(分数:1.00)A.B.C.D.': the question's score, then the answer sheet's labels."""
    page = "".join(f"({n}).The passengers were _ when he got off.A. sad B. worried C. happy D. excited(分数:1.00)A.B.C.D.\n"
                   for n in (1, 2))
    found = qset(page).questions()
    assert [(q.score, q.options[-1].text) for q in found] == [(1, "excited")] * 2


def test_later_options_glued_between_cjk_characters():
    """'A无重要神经血管 B坐骨大孔有股神经穿出 C坐骨小孔有坐骨神经穿出D外下象限 E外上象限': after A, B and C, a
    letter between two CJK characters still opens the next option."""
    page = "".join(f"{n}.臀大肌深面( )A无重要神经血管 B坐骨大孔有股神经穿出 C坐骨小孔有坐骨神经穿出D外下象限有闭孔神经 "
                   f"E外上象限无重要神经血管\n" for n in (1, 2))
    found = qset(page).questions()
    assert [[o.label for o in q.options] for q in found] == [["A", "B", "C", "D", "E"]] * 2


def test_a_topic_part_after_an_answer_when_the_numbering_restarts():
    """'…多态是同名方法不同实现。' / '三、异常处理' / '1. 什么是异常?': the next part, not a line of the answer."""
    page = ("一、基础知识\n1. 什么是Java?\nJava是一种语言。\n2. 什么是JVM?\nJVM是虚拟机。\n二、面向对象\n1. 什么是继承?\n"
            "继承是获取父类的属性。\n2. 什么是多态?\n多态是同名方法不同实现。\n三、异常处理\n1. 什么是异常?\n异常是运行时错误。\n")
    assert [s.heading for s in qset(page).sections] == ["一、基础知识", "二、面向对象", "三、异常处理"]


def test_an_answer_begun_after_the_question_mark_goes_on_below():
    """'什么是多态性?多态性是指…' then '它可以提高…': the answer starts after the '?' and goes on below."""
    page = ("1. 什么是Java?Java是一种编程语言。\n\n它由Sun公司发布。\n2. 什么是多态性?多态性是指同名方法有不同实现。\n\n"
            "它可以提高代码的可维护性。\n3. 解释封装的含义。\n\n封装隐藏对象的内部细节。\n")
    found = qset(page).questions()
    assert found[1].stem == "什么是多态性?"
    assert found[1].answer == "多态性是指同名方法有不同实现。\n它可以提高代码的可维护性。"


def test_labels_before_a_dialogue_dash_or_a_lost_glyph_in_run_on_text():
    """'… 4) — Can I help you? … 5) ?It's not safe …': a dash opening a dialogue turn, or a glyph lost
    in conversion, may follow a label."""
    page = ("一、交际用语(共计6分,每小题2分) 1) I think the Internet is very helpful. -- A. Yes, so do I 2) — Can I help "
            "you to get it down? —C. Thanks. It is so nice of you. 3) ?It is not safe C.playing in the street.\n")
    assert [q.number for q in qset(page).questions()] == ["1", "2", "3"]


def test_a_statement_item_after_a_long_answer_is_the_next_question_where_the_numbering_vouches():
    """'答案:正确 <a site's running header>' then '9.发现火灾时…' in run-on text: the answer grew long
    with chrome, but 9 continues the page's numbering, so it is question 9, not a point of the answer
    (a 判断题 statement does not ask: the whole-page reading vouches for it instead)."""
    items = "".join(f"{n}.灭火器材设置点附近不能堆放物品第{n}条。 答案:正确 " for n in range(1, 9))
    page = f"一、是非题 {items}全 民 竞 赛 网 支 持 微信竞赛形式 9.发现火灾时先自救再报警。 答案:错误 10.泡沫灭火器可用于带电灭火。 答案:错误\n"
    found = qset(page).questions()
    assert [q.number for q in found] == [str(n) for n in range(1, 11)]
    assert [q.answer for q in found[-2:]] == ["错误", "错误"]


def test_a_cloze_passage_s_blanks_are_not_labels_and_its_option_items_are_the_questions():
    """A 完形填空 passage numbers its blanks in the text ('…but she 6 . It was…'); its questions are the
    option-only items after it, glued to each other ('…D. escaped2. A. worried…')."""
    passage = ("Her only son 1 to the war. The old man was always 2 food. The next morning he was 3 dead. "
               "She had hoped the government could help her but she 4 . It was a cold windy night and she "
               "could not 5 asleep at all. ")
    items = ("1. A. sentB. ran awayC. was sent D. escaped2. A. worried aboutB. pleased withC. thinking about"
             "D. hearing of3. A. knownB. foundC. told D. fallen4. A. succeededB. failedC. won D. lost"
             "5. A. goB. fallC. get D. help")
    found = qset("完形填空 " + passage + items + "\n").questions()
    assert [q.number for q in found] == ["1", "2", "3", "4", "5"]
    assert all([o.label for o in q.options] == ["A", "B", "C", "D"] for q in found)


def test_an_empty_answer_grid_between_a_heading_and_its_first_question():
    """'一、单项选择〖每小题1分,共计10分〗答案题数123456789101、20世纪…': the grid's row 1…10 is printed
    without its cells; the '1、' after it opens question 1. A part declared in 〖〗 brackets is a heading
    also glued to the option before it."""
    def part(ordinal: str, kind: str, stem: str) -> str:
        grid = "".join(str(n) for n in range(1, 6))
        return f"{ordinal}、{kind}〖每小题1分,共计5分〗答案题数{grid}" + "".join(
            f"{n}、{stem}第{n}条()。A、甲B、乙C、丙D、丁" for n in range(1, 6))
    found = qset("期末考试卷(A)" + part("一", "单项选择", "我国建国初期属于") + part("二", "多项选择", "当今世界发展的趋势有")
                 + "\n")
    assert [s.heading for s in found.sections] == ["一、单项选择〖每小题1分,共计5分〗", "二、多项选择〖每小题1分,共计5分〗"]
    assert [[q.number for q in s.questions] for s in found.sections] == [["1", "2", "3", "4", "5"]] * 2


def test_english_options_glued_to_their_words_after_the_stem_s_blank():
    """'…is said to be 【】Asingle valued Bmultivalued Csimple Dcomposite': after the blank (or the stem's
    full stop) capitals in order, each glued to its short option, are the options; a label glued
    to the blank ('3A【】contains…') or to a Chinese option ('…D,和8In SQL…') still opens a question."""
    page = ("二、单项选择题1This type of attribute is said to be 【】Asingle valued Bmultivalued Csimple Dcomposite attribute"
            "2In a bank, the relationship set from customer to loan is【】Aone to many Bmany to many Cmany to one Done to one "
            "3A【】contains metadata, that is, data about data.Atable Bview Cdata dictionary Dtrigger"
            "4The basic operations of the algebra are【】。A,-,和 B,-,和C,和 D,和"
            "5In SQL, =some is identical to in, and【】is identical to not in。AsomeB=all CallD=some\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3", "4", "5"]
    assert [[o.label for o in q.options] for q in found] == [["A", "B", "C", "D"]] * 5
    assert found[1].options[0].text == "one to many"


def test_prose_with_capitals_in_order_is_no_glued_option_run():
    """'…. After lunch Bob came home, Carol cooked and Dan …': capitals in order after a full stop are
    words of a sentence, not options (an option glued to its word is short)."""
    page = ("1.Read the passage and answer. After lunch, the whole family went for a long walk in the park. Bob came home "
            "late in the evening. Carol cooked a very large dinner for everyone. Dan was reading upstairs all day long.\n"
            "2.Who cooked the dinner?\n")
    assert [q.options for q in qset(page).questions()] == [[], []]


def test_numbers_glued_after_options_in_units_and_inside_an_option():
    """A nursing paper in run-on text: '…E1820mL3有關生命體征…' (the next label glued to a unit in mixed
    case), '…C68mLD1015mL…' (an option glued to the unit before it), '…D外下14象限…E外上14象限…5維持…'
    (a fraction that lost its slash cuts an option, and the next label is still weighed against the
    run it interrupted), and a cut preview ending '…( )A對電刺激敏感' (its one option)."""
    page = ("一、單選題(每題1.0分,共5.0分)1輸卵管結扎術常在哪一部位進行( )A子宮部 B峽部 C壺腹部 D漏斗部 E四部均可"
            "2該患者應取血( )A23mL B45mL C68mLD1015mL E1820mL3有關生命體征的概念下列哪項正確( )A體溫 B脈搏 C呼吸"
            " D血壓 E瞳孔4臀大肌深面( )A無重要神經血管 B坐骨大孔有股神經穿出 C坐骨小孔有坐骨神經穿出D外下14象限有閉孔神經"
            " E外上14象限無重要神經血管5維持血漿膠體滲透壓的主要蛋白質是( )A清蛋白 B脂蛋白 C糖蛋白D免疫球蛋白 E金屬結合蛋白"
            "6消化道平滑肌的一般特性為( )A對電刺激敏感\n")
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3", "4", "5", "6"]
    assert [len(q.options) for q in found] == [5, 5, 5, 5, 5, 1]
    assert found[3].options[-1].text == "外上14象限無重要神經血管"


def test_a_wrapped_english_paper_with_lost_glyphs_and_labels_at_line_ends():
    """Wrapped at spaces: a long run of lost glyphs ('airport??????') leaves a line shorter than any
    slack, '??' is no sentence end, and a line that ends in a bare label ('…B.sleeping. 9.') was broken
    right after it even when the next line opens with an option ('C.Bidding…')."""
    run_on = ("第一部分 交际用语(共计10分,每小题2分) 1. Afternoon, sir. Where to? -- A. Please get me to the "
              "airport?????????????????????? 2. Can I help you to get it down????? ?? -- C. Thanks. It is so "
              "nice of you????? ??????????????????? 3. I am trying to call Marie. -- B. Really? Maybe she is out "
              "第二部分 词汇与结构(20分,每小题2分) 4. He spends a quarter of the day B.sleeping. 5. "
              "C.Bidding for the Olympic Games begins about ten years in advance. 6. Ann is studying B.politics "
              "at the university. 7. After C.winning the bid, major construction began in Beijing.")
    page = wrapped_at_spaces(run_on)
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3", "4", "5", "6", "7"]


def test_a_gap_the_numbering_reads_through_after_an_unlabelled_note():
    """'…B.sleeping.' / 'C.Bidding…' (question 9 lost its label in the dump) / '10. Ann…': a note after a
    question does not stop the numbering the page goes on with."""
    page = ("一、词汇与结构\n6. It is not safe C.playing in the street.\n7. We A.used to swim every day.\n"
            "8. He spends a quarter of the day B.sleeping.\nBidding for the Olympic Games begins years in advance.\n"
            "10. Ann is studying B.politics at university.\n11. After C.winning the bid, construction began.\n")
    assert [q.number for q in qset(page).questions()] == ["6", "7", "8", "10", "11"]


def test_a_chunked_dump_wrapped_at_a_fixed_width_is_joined_before_its_chunks():
    """A dump cut into chunks '1、…', '2、…' (kinds: page chunks) and then wrapped at a fixed width: the
    chunks are found once the wrapped lines are joined, so the '2、' that cuts question 1's text is
    not read as question 2."""
    body = "会计要素是对会计对象按经济特征所作的基本分类,是会计核算对象的具体化," * 6
    first = "1、 一、简答题(每题10分) 1、请简述会计要素的含义及其分类。" + body
    second = ("2、包括资产、负债、所有者权益、收入、费用和利润六项。" + body + "2、请简述会计科目与账户的区别。" + body
              + "3、请简述借贷记账法的记账规则。" + body)
    page = "".join(chunk[i:i + 40] + "\n" for chunk in (first, second) for i in range(0, len(chunk), 40))
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3"]
    assert found[1].stem.startswith("请简述会计科目与账户的区别")


def test_a_chunked_dump_wrapped_again_keeps_its_chunks_where_sentences_end_at_the_width():
    """A chunked dump wrapped at a fixed width, whose wrapped lines sometimes end a sentence at the
    width (so they stay apart): the chunks are the prefixes 1, 2, 3 … that fall the same length of
    text apart and cut a sentence; the questions numbered '2、', '3、' between them stay questions."""
    # (the items' length puts a full stop at the width inside a chunk: that line and the next stay apart)
    items = [f"{n}、请简述会计要素第{n}项的含义及其各种不相同的分类,并举例说明它在企业会计核算中的具体作用。" for n in range(1, 16)]
    text = "一、简答题(每题10分)" + "".join(items)
    chunks = [text[i:i + 300] for i in range(0, len(text), 300)]
    dump = "".join(f"{k}、{chunk}\n" for k, chunk in enumerate(chunks, 1))
    page = "".join(line[i:i + 36] + "\n" for line in dump.splitlines() for i in range(0, len(line), 36))
    found = qset(page).questions()
    assert [q.number for q in found] == [str(n) for n in range(1, 16)]
    assert all(q.stem.endswith("具体作用。") for q in found[:-1])


def test_a_number_before_a_part_s_ordinal_heading_is_a_chunk_prefix():
    """'1、 一、填空题 (每空 1 分,共 20 分):' on a line of its own (a chunked dump whose chunks were cut
    apart again): a question is never numbered before its part, so the '1、' goes and the part heads
    its questions."""
    page = ("1、 一、填空题 (每空 1 分,共 3 分):\n1、工厂供电的基本要求是 _安全、可靠_。\n2、 一级负荷由 _两_ 个独立电源供电。\n"
            "3、 电能质量的基本指标是 _电压_ 和 _频率_。\n")
    found = qset(page)
    assert [s.heading for s in found.sections] == ["一、填空题 (每空 1 分,共 3 分):"]
    assert [q.number for q in found.questions()] == ["1", "2", "3"]


def test_a_dump_wrapped_before_its_pinyin_glosses_were_removed():
    """A converter's glosses ('現(xiàn)金') were on the lines when a dump wrapped them at a fixed width:
    the lines reached the width with them, so the wrap is measured with them, though they are gone."""
    text = "".join(f"{n}、企業(yè)以銀行存款(kuǎn)歸還前欠貨(huò)款的會計分錄,正確的是(A)A.借應付賬款B.借銀行存款C.借應收賬款D.借庫存現(xiàn)金"
                   for n in range(1, 7))
    page = "".join(text[i:i + 36] + "\n" for i in range(0, len(text), 36))
    found = qset(page).questions()
    assert [q.number for q in found] == ["1", "2", "3", "4", "5", "6"]
    assert all(q.answer == "A" and len(q.options) == 4 and "(xiàn)" not in q.options[3].text for q in found)


def test_numeric_options_glued_to_their_letters_and_the_next_label():
    """'…比率智商是(C)A70B80C114D100E12510、與學習…': options that are numbers glued to their letters, the
    last one glued to the next label (its digits cut where the numbering reads '10、')."""
    page = "".join(f"{n}、下列關于學習動機的說法第{n}條正確的是(ABC)A學習B教學C評價D測量E管理" for n in range(1, 9))
    page += "9、一個7歲兒童的智力年齡是8歲,則他的比率智商是(C)A70B80C114D100E12510、與學習直接相關的動機是(ABC)A認知B附屬C自我D外部\n"
    found = qset(page).questions()
    assert [q.number for q in found][-2:] == ["9", "10"]
    assert [o.text for o in found[-2].options] == ["70", "80", "114", "100", "125"]


# --- pages whose line breaks were lost (run-on text) ---------------------------------------------
def test_run_on_interview_labels_after_a_sentence_end():
    """'…get back to them.Q: What makes you angry?参考回答:I'm…☆ Describe a situation…': interview labels
    ('Q:', '☆') glued after the last answer's sentence end; '参考回答:First…' holds no key 'F'."""
    page = ("客服面试题\nQ: How will you handle a complaint?参考回答:First of all, I will smile as I answer the phone."
            "☆ Describe a situation where you calmed down an angry customer.Q: How much do you know about CRM?"
            "参考回答:CRM, or Customer Relationship Management, is a business strategy.Q: What makes you angry?"
            "参考回答:I am an even-tempered person by nature." + " Then I listen." * 20 + "\n")
    found = qset(page).questions()
    assert [q.stem[:12] for q in found] == ["How will you", "Describe a s", "How much do ", "What makes y"]
    assert found[0].answer.startswith("First of all") and found[2].answer.startswith("CRM, or")


def test_run_on_keys_glued_to_the_next_label():
    """'…答案:B2(La2A4262).依照…' and '…建立“中国共产党”D2、1922年…': a key, then the next label (with an
    item bank's code, or after a statement's key) where the line breaks were lost."""
    bank = "".join(f"{n}(La2A326{n}).如图所示电路中,电阻R{n}上消耗的功率为( )。(A)4W;(B)1W;(C)3W;(D)2W。答案:B"
                   for n in range(1, 5))
    assert [q.answer for q in qset("电力电缆技师试卷\n一、选择题(每题1分,共4题)" + bank + "\n").questions()] == ["B"] * 4
    statements = "".join(f"{n}、这次会议在井冈山召开,通过了党的一个重要章程,时间是19{n}0年。{k}" for n, k in enumerate("DBACD", 1))
    assert [q.answer for q in qset("党史知识竞赛答案\n" + statements + "\n").questions()] == list("DBACD")


def test_a_site_line_rule_never_takes_a_run_on_document():
    """A site's line rule takes a whole line ('^Posted\\s+\\S.*$'): on a page whose line breaks were lost
    the document is on that line, so a line far longer than chrome is kept for the reading."""
    page = ("Android面试题\nPosted lxn_李小牛tags:篇首语:本文由小常识网(cha138.com)小编为大家整理。"
            + "".join(f"{n}.第{n}个组件的生命周期是怎样的?它在创建、启动、暂停、停止和销毁时分别回调哪些方法,各有什么作用。" for n in range(1, 12))
            + "\n")
    assert [q.number for q in qset(page).questions()] == [str(n) for n in range(1, 12)]


def test_run_on_part_heading_with_its_instructions_after_an_option():
    """'…D.每三年一次二、判断题要求:判断下列…1.…': a part's heading glued after an option, its
    instructions ('要求:') following."""
    choices = "".join(f"{n}.消防演练的频率应不少于:A.每半年一次B.每年一次C.每两年一次D.每三年一次" for n in range(1, 4))
    page = "消防知识竞赛\n一、选择题" + choices + "二、判断题要求:判断下列说法是否正确。" + "".join(
        f"{n}.消防通道第{n}段可以堆放杂物。(×)" for n in range(1, 4)) + "\n"
    found = qset(page)
    assert [s.heading[:5] for s in found.sections] == ["一、选择题", "二、判断题"]
    assert [q.answer for q in found.sections[1].questions] == ["×", "×", "×"]


def test_run_on_quiz_rows_a_bare_number_then_its_score():
    """'一、单选题(30分)12分得:2分()发现…A.…22分得:2分()驾驶时…': a quiz export's rows ('1' / '2分' /
    '得:2分') run together: question 1 worth 2 points, not question 12."""
    rows = "".join(f"{n}2分得:2分()驾驶时第{n}条,你应当______。A.打电话B.听收音机C.看报纸D.系安全带" for n in range(1, 6))
    found = qset("交通知识竞赛\n一、单选题(10分)" + rows + "\n").questions()
    assert [(q.number, q.score) for q in found] == [(str(n), 2) for n in range(1, 6)]
    assert all(q.stem.startswith("()驾驶时") for q in found)


def test_run_on_fill_in_keys_after_the_full_stop():
    """'2.对概念进行限制和概括的逻辑根据是。概念外延之间的反变关系3.…': a fill-in part that lost its blanks
    and its line breaks: most items end in a short phrase after their full stop, their keys."""
    items = ["任何逻辑形式都是由和两个部分组成的。常项、变项", "对概念进行限制和概括的逻辑根据是。概念外延之间的反变关系",
             "概念不能限制和划分。单独概念", "违反三段论规则会犯的逻辑错误。中项不周延"]
    page = "逻辑学练习\n一、填空" + "".join(f"{n}.{item}" for n, item in enumerate(items, 1)) + "\n"
    assert [q.answer for q in qset(page).questions()] == ["常项、变项", "概念外延之间的反变关系", "单独概念", "中项不周延"]


def test_run_on_english_labels_topic_headings_and_page_references():
    """Run-on text: an English label after a sentence end and a space ('…2 sections.16. I didn't…'), a
    part named by its topic after a sentence end ('…访问。二、面向对象1. 什么是…'), a page reference
    before the next label ('…见课本P453.原始凭证…': page 45, question 3)."""
    english = ("Part II Vocabulary\nDirections: It consists of 2 sections.16. I didn't answer the phone ___ I didn't hear it."
               "A) ifB) unlessC) asD) because17. My brother is ___ than me.A) tallB) tallerC) tallestD) the tallest"
               "18. She has lived here ___ three years.A) sinceB) forC) inD) at\n")
    assert [q.number for q in qset(english).questions()] == ["16", "17", "18"]
    topics = ("Java面试题\n一、基础知识1. 什么是Java?Java是一种编程语言。2. 什么是JVM?JVM是Java虚拟机。"
              "二、面向对象1. 什么是封装?封装是隐藏对象的内部细节。2. 什么是继承?继承是获取已有类的属性。\n")
    assert [s.heading for s in qset(topics).sections] == ["一、基础知识", "二、面向对象"]
    refs = "会计学原理复习题\n一、单项选择题" + "".join(
        f"{n}.原始凭证第{n}项的填制要求是( D )。A.真实B.完整C.及时D.以上都是解析:相关知识点见课本P4{n + 4}" for n in range(1, 5)) + "\n"
    assert [q.number for q in qset(refs).questions()] == ["1", "2", "3", "4"]


def test_run_on_answers_after_a_request_or_an_asking_word():
    """'解释封装性的含义。封装是…' (a request ended by a full stop, its answer straight after) and
    '…的特点是什么答:…' (the short label after a question that ends by its asking word) on an
    interview page that answers its questions."""
    page = ("Java面试题\n1. 什么是Java?Java是一种编程语言。2. 解释封装性在Java中的含义。封装是隐藏对象内部细节的概念。"
            "3. 嵌入式系统的特点是什么答:专用性强,软硬件可裁剪。4. 什么是JVM?JVM是Java虚拟机。\n")
    found = qset(page).questions()
    assert [q.answer for q in found] == ["Java是一种编程语言。", "封装是隐藏对象内部细节的概念。", "专用性强,软硬件可裁剪。",
                                         "JVM是Java虚拟机。"]
    assert found[1].stem == "解释封装性在Java中的含义。"


def test_a_concept_part_whose_definitions_restate_their_terms():
    """'一、概念分析' printed with its key, each definition restating its term ('危机评估危机评估,就是…')
    or opening with '所谓' ('应急疏散所谓应急疏散是指…')."""
    page = ("公共危机管理参考答案\n一、概念分析(本大题共3小题,每小题5分,共15分)1、危机的辩证含义危机的内涵包括危险与机遇两层含义。"
            "2、应急疏散所谓应急疏散是指将受到威胁的民众紧急转移到安全地带。3、危机评估危机评估,就是对危机事件的危害后果进行统计和评价。\n")
    found = qset(page).questions()
    assert [(q.stem, q.answer[:4]) for q in found] == [("危机的辩证含义", "危机的内"), ("应急疏散", "所谓应急"), ("危机评估", "危机评估")]


def test_an_example_label_in_brackets_anywhere():
    """'…给我发消息【例题】下列…': a bracketed example label starts a question wherever it stands."""
    page = ("计算机系统结构知识点\n下载word有问题请点击这里给我发消息【例题】下列对应用程序员不透明的是(B)(2012年单选题)"
            "A.标志符B.输入输出系统C.虚拟地址D.寄存器【例题】主存的逻辑结构属于(B)A.系统结构B.计算机组成C.实现D.以上都不是"
            "【例题】计算机系统结构不包括(A)A.主存速度B.机器工作状态C.信息保护D.数据表示\n")
    found = qset(page).questions()
    assert [(q.stem[:6], q.answer) for q in found] == [("下列对应用程", "B"), ("主存的逻辑结", "B"), ("计算机系统结", "A")]


def test_run_on_label_glued_to_a_fraction_option_and_a_notice_glued_to_the_page():
    """'…C、7/1204、《中华人民共和国…': the option is 7/120 and question 4 begins; '…3、资料包下载后请先用
    软件解压,在使用对应软件打开科目四题库1、打开位置灯…': a download notice glued to the document goes."""
    rows = ["1、道路交通安全法共有(B)章(B)条。A、9/130B、8/124C、7/120", "2、实施条例共有(A)章(A)条。A、8/115B、9/130C、10/130",
            "3、《中华人民共和国道路交通安全法》自(A)起施行。A、2004年5月1日B、2004年1月1日C、2003年10月28日",
            "4、《道路交通安全法》规定,机动车应当(B)。A、随意停放B、依法登记C、无需年检"]
    found = qset("交通法规知识竞赛\n一、单选题" + "".join(rows) + "\n").questions()
    assert [q.number for q in found] == ["1", "2", "3", "4"] and found[0].options[-1].text == "7/120"
    notice = ("如果您无法下载资料,请参考说明:\n1、部分资料下载需要金币,请确保您的账户上有足够的金币2、已购买过的文档,再次下载不重复扣费"
              "3、资料包下载后请先用软件解压,在使用对应软件打开科目四驾驶知识题库" + "".join(
                  f"{n}、驾驶机动车第{n}条规定是否正确。A.正确B.错误正确答案是:A" for n in range(1, 5)) + "\n")
    text = qset(notice).model_dump_json()
    assert "解压" not in text and [q.number for q in qset(notice).questions()] == ["1", "2", "3", "4"]


def test_a_chunked_dump_that_lost_its_line_breaks_keeps_its_questions():
    """A dump cut into chunks '1、…', '2、…', '3、…' whose line breaks were lost as well: the prefixes
    stand inside the text a chunk's length apart, cutting sentences ('…额定功率3、换算到暂载率…'); they go,
    and the questions numbered '2、', '3、' between them stay."""
    items = [f"{n}、电焊机第{n}台的有功功率是指将额定功率换算到暂载率为(D)时的有功功率。A.15 B.25 C.50 D.100" for n in range(1, 13)]
    text = "一、单项选择题(每题2分)" + "".join(items)
    dump = "".join(f"{k}、{text[i:i + 300]}" for k, i in enumerate(range(0, len(text), 300), 1))
    found = qset("工厂供电试题\n" + dump + "\n").questions()
    assert [q.number for q in found] == [str(n) for n in range(1, 13)]
    assert all(q.answer == "D" and q.stem.endswith("时的有功功率。") for q in found)


def test_unlabelled_choice_items_in_a_stem_then_options_rhythm():
    """Items without labels (kinds K4): a line that asks (its blank, its question mark) right before its
    option run is a question, on lines of their own or run together, where the last option ends as the
    run's others do ('A.50度B.80度C.100度D.120度地球上…': the next stem starts after '度'). Directions
    before a part's options ask nothing and stay text."""
    items = ["水在标准大气压下的沸点是()A.50度B.80度C.100度D.120度", "地球上面积最大的大洋是()A.大西洋B.印度洋C.北冰洋D.太平洋",
             "人体最大的器官是()A.心脏B.肝脏C.皮肤D.肺"]
    run_on = qset("常识题库\n(一)单项选择题(共3题,每题1分)" + "".join(items) + "\n")
    lined = qset("常识题库\n(一)单项选择题(共3题,每题1分)\n" + "".join(
        item.replace("()", "()\n", 1) + "\n" for item in items))
    for found in (run_on, lined):
        assert [q.stem for q in found.questions()] == ["水在标准大气压下的沸点是()", "地球上面积最大的大洋是()", "人体最大的器官是()"]
        assert [o.text for o in found.questions()[0].options] == ["50度", "80度", "100度", "120度"]
        assert found.questions()[1].options[-1].text == "太平洋"
        assert not found.truncated  # the declared three, the last with its whole run: complete
    directions = qset("English Test\nDirections: Read the passage and choose the best answer to each question.\n"
                      "A) first B) second C) third D) fourth\n1. What is it? A. a B. b C. c D. d\n")
    assert [q.number for q in directions.questions()] == ["1"]


def test_circled_options_and_a_key_before_the_stem():
    """'1. (3) 下列何者為質數?①4②6③7④8。' (kinds K12, Taiwan's papers): options numbered ①–④ (kept circled,
    never folded to digits), the key '(3)' printed between the label and the stem: option ③. A stem
    whose '①②' are statements chosen by A–D options keeps them."""
    page = ("資訊技能題庫\n1. (3) 下列何者為質數?①4②6③7④8。 2. (1) 一個位元組等於多少位元?①8②16③32④64。 "
            "3. (2) 下列何者為輸入裝置?①螢幕②鍵盤③喇叭④印表機。\n")
    found = qset(page).questions()
    assert [q.stem for q in found] == ["下列何者為質數?", "一個位元組等於多少位元?", "下列何者為輸入裝置?"]
    assert [(o.label, o.text) for o in found[0].options] == [("①", "4"), ("②", "6"), ("③", "7"), ("④", "8")]
    assert [q.answer for q in found] == ["③", "①", "②"]
    statements = qset("测验\n1.下列说法正确的是()①水是液体②冰是固体③气是液体A.①②B.②③C.①③D.①②③\n").questions()
    assert [o.label for o in statements[0].options] == ["A", "B", "C", "D"] and "①水是液体" in statements[0].stem


def test_options_broken_across_blank_lines_and_an_empty_option():
    """Hard breaks inside options (kinds K16: '…one. A. a;' / 'an B. an;' / …) rejoin the run; an empty
    option inside a run ('A.10V B.C.12V D.15V') is an option without text, not B's text 'C.12V…';
    'A.B两点' in a stem is no run."""
    page = ("English Test\n1.―Do you have ____ umbrella? ―Yes, I have ____ red one. A. a;\n\nan B. an;\n\na C. the;\n\n"
            "a D. an;\n\nthe\n2.某电路电压为()\nA.10V B.C.12V D.15V\n3.已知A.B两点的距离为10米,求其中点位置。\n")
    found = qset(page).questions()
    assert [(o.label, o.text) for o in found[0].options] == [("A", "a; an"), ("B", "an; a"), ("C", "the; a"), ("D", "an; the")]
    assert [(o.label, o.text) for o in found[1].options] == [("A", "10V"), ("B", ""), ("C", "12V"), ("D", "15V")]
    assert found[2].options == [] and found[2].stem.startswith("已知A.B两点")


def test_a_passage_s_own_numbering_between_its_direction_and_the_questions_it_names():
    """'阅读下面的作品，完成12～15题。' then a passage whose paragraphs are numbered ①②③, then 12.–15.:
    the direction names the questions, so labels between it and question 12 are the passage's own
    numbering, however many there are (nine paragraphs outnumber four questions)."""
    paragraphs = "".join(f"{c}她顺着月台走过去，走过了车站，停了下来。\n" for c in "①②③④⑤⑥⑦⑧⑨")
    page = ("四、名句名篇默写(8 分)\n11.补写出下列名句名篇中的空缺部分。\n(1)想当年：金戈铁马，▲\n(2)蒹葭苍苍，▲\n"
            f"五、现代文阅读(一)(20 分)\n阅读下面的作品，完成12～15 题。\n安娜之死\n{paragraphs}"
            "12. 本文前五段写出了安娜的绝望，请简析其具体内容 (6 分)\n13. 第六段的描写具有什么特点？(4 分)\n"
            "14. 这样写有什么意义？(4 分)\n15. 请探究作品结尾画线句的意蕴 (6 分)\n")
    found = qset(page)
    assert [q.number for q in found.questions()] == ["11", "12", "13", "14", "15"]
    part = found.sections[-1]
    assert (part.heading, part.score_total, [q.number for q in part.questions]) == (
        "五、现代文阅读(一)(20 分)", 20, ["12", "13", "14", "15"])
