"""One test per rule of the question grammar, each saying why it exists: raw page text in, the
published records out, asserted field by field. Rules of the genre, written so a page from a site
no rule names comes out right."""

from __future__ import annotations

import re

from pipeline.run.steps import process_page


def qset(text: str):
    page = process_page("page.txt", text)
    assert page.qset is not None
    return page.qset


def questions(text: str):
    return qset(text).questions()


def test_run_on_choice_questions_split_at_options_answers_and_analyses():
    """Crawled text layers glue everything: options, key and analysis must come out of the stem."""
    (a, b) = questions("1.(单项选择)“不愤不启”体现的教学原则是A.因材施教B.循序渐进C.启发性D.量力性答案:C"
                       "解析:孔子强调点拨。2.(单项选择)教师最恰当的反馈是A.罚抄B.口述笔顺答案:B解析:动作言语协同。\n")
    assert a.stem == "(单项选择)“不愤不启”体现的教学原则是"
    assert [(o.label, o.text) for o in a.options] == [("A", "因材施教"), ("B", "循序渐进"), ("C", "启发性"), ("D", "量力性")]
    assert (a.answer, a.analysis) == ("C", "孔子强调点拨。")
    assert (b.number, b.answer, b.analysis) == ("2", "B", "动作言语协同。")


def test_key_glued_to_the_next_number_and_a_year():
    """'答案:C2.…' and '答案:B3.2025年…': the key ends where the next question's number begins."""
    a, b, c = questions("1.甲是什么()A.一B.二C.三答案:C2.乙是什么()A.一B.二答案:B3.2025年新版的规定是()A.一B.二答案:A\n")
    assert [q.answer for q in (a, b, c)] == ["C", "B", "A"]
    assert c.stem.startswith("2025年新版")


def test_answer_label_with_shi_and_a_bare_analysis_word():
    """'正确答案是:A试题解释': a site's own spelling of the key label, and its empty analysis label."""
    (q,) = questions("1、打开位置灯开关,(如图所示)亮起。A.正确B.错误正确答案是:A试题解释\n")
    assert (q.answer, q.analysis, [o.label for o in q.options]) == ("A", None, ["A", "B"])


def test_combined_answer_and_analysis_header_is_one_label():
    """'参考答案与解析:' heads both fields; it must not be cut into '参考答案与' and '解析:'."""
    (q,) = questions("1.你认为幼儿教师最重要的职业素养是什么?\n参考答案与解析:\n答案:爱心和耐心。\n解析:对象是低龄儿童。\n")
    assert (q.answer, q.analysis) == ("爱心和耐心。", "对象是低龄儿童。")


def test_short_answer_label_right_after_a_question():
    """'…什么叫电力系统 ? 答:…' on one line: 答 splits only straight after a question."""
    (q,) = questions("三、名词解释 (每题 6 分,共 30 分): 1、 什么叫电力系统 ? 答:由发电厂、电力网和用户组成的整体。\n")
    assert (q.stem, q.answer) == ("什么叫电力系统 ?", "由发电厂、电力网和用户组成的整体。")


def test_options_of_one_delimiter_only():
    """A dialogue's 'A:…B:' turns are not options; the 'A. B. C. D.' run after them is."""
    (q,) = questions("1.A:Could you tell me the way?B: A. Sorry,I couldnt help.B. Yes,what can I do?C. No idea.D. Its far.\n")
    assert q.stem == "A:Could you tell me the way?B:"
    assert [o.label for o in q.options] == ["A", "B", "C", "D"]


def test_options_glued_in_english_and_lowercase_options_between_cjk():
    """English run-on ('to:A.rareB.common') and bare lowercase options ('a會計賬戶b會計科目')."""
    (q,) = questions("1.The word is most similar to:A.rareB.commonC.ancientD.complex\n")
    assert [(o.label, o.text) for o in q.options][:2] == [("A", "rare"), ("B", "common")]
    (r,) = questions("一、單項選擇題(每小題1分)1是對會計對象進行的基本分類(c )。a會計賬戶b會計科目c會計要素d會計主體\n")
    assert ([o.label for o in r.options], r.answer) == (["a", "b", "c", "d"], "c")


def test_an_option_run_split_by_a_line_break():
    """'A. … B. … C. …' at the end of the stem line and 'D. …' on the next are one run."""
    (q,) = questions("3. _____ such heavy pollution, it may be too late. A. Having suffered B. Suffering C. To suffer\nD. Suffered\n")
    assert [o.label for o in q.options] == ["A", "B", "C", "D"]
    assert q.stem == "_____ such heavy pollution, it may be too late."


def test_bare_letter_option_lines():
    """'A220°' / 'B40°' on lines of their own, in order, after a stem with its blank."""
    (q,) = questions("1.已知线段AB方位角为220°,则线段BA的方位角为()。\nA220°\nB40°\nC50°\nD130°\n")
    assert [(o.label, o.text) for o in q.options] == [("A", "220°"), ("B", "40°"), ("C", "50°"), ("D", "130°")]
    assert q.answer is None


def test_options_after_a_figure_caption():
    """A caption line between the stem and its options ('图A-3') belongs to the stem."""
    (q,) = questions("1(La2A3261).如图A-3所示电路,消耗功率为( )。\n\n图A-3\n\n(A)4W;(B)1W;(C)3W;(D)2W。\n\n答案:B\n")
    assert [o.label for o in q.options] == ["A", "B", "C", "D"] and q.answer == "B" and q.analysis is None
    assert q.number == "1" and q.stem.startswith("如图A-3")


def test_keys_printed_in_the_stem():
    """The page prints the key in the stem: '( B )', '__B__', after the last option '(C)'."""
    a, b, c = questions("1.下列对应用程序员不透明的是(B )A.甲 B.乙 C.丙\n2.中国共产党是__B__的先锋队。\nA.甲\nB.乙\n"
                        "3.Which is a synonym?A.LazyB.CarelessC.HardworkingD.Unpredictable(C)\n")
    assert [(q.answer, q.answer_source) for q in (a, b, c)] == [("B", "stem_bracket"), ("B", "stem_blank"), ("C", "stem_bracket")]
    assert c.options[-1].text == "Unpredictable"


def test_filled_blanks_and_fill_in_brackets():
    """Fill-in pages print answers in their blanks: '_安全、可靠_' anywhere; '(支部大会)' in a 填空 part
    whose questions mostly have one, never a lone explanatory bracket elsewhere."""
    (a,) = questions("1、工厂供电的基本要求是 _安全、可靠_ 。\n")
    assert (a.answer, a.answer_source) == ("安全、可靠", "stem_blank")
    fill = questions("一、填空题\n1.申请入党要经过(支部大会)通过。\n2.中共一大在(上海)召开。\n3.三大在(广州)召开。\n")
    assert [q.answer for q in fill] == ["支部大会", "上海", "广州"]
    lone = questions("一、填空题\n1.传送1个数位(0或1)需要个时钟信号?\n2.波特率是多少?\n3.什么是串行通讯?\n")
    assert [q.answer for q in lone] == [None, None, None]
    # An English word between two blanks ("What ____ you ____?") is the author's, a key fills its blank.
    english = questions("1. What ______ you ________ doing?\n2. He is the man _______D_______ dog bit me.\n")
    assert [q.answer for q in english] == [None, "D"]


def test_keys_at_the_end_of_statements():
    """'…建立“中国共产党”D': when most statements end in a letter, those letters are their keys."""
    items = questions("1、蔡和森最早提出建立“中国共产党”D\n2、党的二大通过第一个章程。B\n3、毛泽东创建了井冈山根据地。A\n")
    assert [q.answer for q in items] == ["D", "B", "A"]
    assert items[0].stem == "蔡和森最早提出建立“中国共产党”"

    wrapped = questions("1、蔡和森最早提出建立“中国共产党”D\n2、瓦窑堡会议(1935年12月)总结了两次国内革命战争时期\n\n"
                        "政治策略方面的基本经验,制定了统一战线的策略路线。D\n3、毛泽东创建了井冈山根据地。A\n"
                        "4、胡锦涛讲话中提到的四次大仗D\n")
    # A statement wrapped at a word boundary across a blank line: its second half is no answer, its key is.
    assert [q.answer for q in wrapped] == ["D", "D", "A", "D"]
    assert wrapped[1].stem.endswith("时期政治策略方面的基本经验,制定了统一战线的策略路线。")

def test_stems_wrapped_at_a_fixed_width_go_on_across_blank_lines():
    """Fixed-width dumps wrap mid-sentence and put blank lines between rows."""
    rows = ["1、据王稼祥的夫人朱仲丽在《文汇报》1994年1月16日“笔会”上刊登的《我与王稼", "祥》一文透露,第一次提出的是王稼祥。A",
            "2、1920年初,李大钊和陈独秀等人开始酝酿建党的问题。在法国留学的蔡和森则明确", "提出应该建立“中国共产党”。A",
            "3、第一次比较系统地在中国介绍马克思主义的作品是李大钊在新文化运动中写的:《我的马", "克思主义观》D",
            "4、1920年春节陈望道在家乡义乌分水塘翻译《共产党宣言》,这是首译的中文全译本,成", "为中国共产党的创建的理论基础。D"]
    items = questions("\n\n".join(rows) + "\n")
    assert items[0].stem == "据王稼祥的夫人朱仲丽在《文汇报》1994年1月16日“笔会”上刊登的《我与王稼祥》一文透露,第一次提出的是王稼祥。"
    assert [q.answer for q in items] == ["A", "A", "D", "D"]


def test_questions_without_punctuation_are_not_wrapped():
    """An interview list whose questions end without '?' keeps its answers apart."""
    items = questions("1.Activity和Fragment的生命周期\n\n生命周期回调各不相同\n\n2.FragmentTranscation的commit和commitAllowingStateLoss的区别\n\n"
                      "Fragment事务提交的方式\n\n3.如何处理多个旧版本的数据库升级\n\n逐版本升级\n")
    assert items[1].stem == "FragmentTranscation的commit和commitAllowingStateLoss的区别"
    assert items[1].answer == "Fragment事务提交的方式"


def test_numbers_glued_after_an_option_run():
    """'…d會計主體2下列…': a bare number right after a full option run starts the next question;
    a number inside a stem never does."""
    items = questions("一、單項選擇題(每小題1分)1是對會計對象進行的基本分類(c )。a會計賬戶b會計科目c會計要素d會計主體2下列項目屬于流動資產的是(c )。"
                      "a機器設備b土地使用權c包裝物d其他應交款3請列出3個原因并說明原因是什么?" + "很長的說明" * 20 + "\n")
    assert [q.number for q in items] == ["1", "2", "3"]
    assert "3個原因" in items[2].stem


def test_glued_number_read_by_its_sequence():
    """'…D.2023October55.The idiom…': option text ends in 5 and question 5 begins."""
    text = ("1.Which is right?A.oneB.twoC.threeD.four2.Which is right?A.oneB.twoC.threeD.four"
            "3.Which is right?A.oneB.twoC.threeD.four4.Write the date:A.5th October 2023B.October5C.5 OctoberD.2023October5"
            "5.The idiom means:A.to avoidB.to faceC.to eatD.to run6.Which is right?A.oneB.twoC.threeD.four" + " pad" * 20 + "\n")
    items = questions(text)
    assert [q.number for q in items] == ["1", "2", "3", "4", "5", "6"]
    assert items[3].options[-1].text == "2023October5"


def test_item_bank_code_after_the_number():
    """'1(La2A3261).…': an item bank's code between the number and the dot."""
    (q,) = questions("1(La2A3261).依照对称分量法可把三相不对称的正弦量分解为( )对称分量。\n(A)正序;(B)负序;(C)零序;(D)三组。\n答案:D\n")
    assert (q.number, q.answer) == ("1", "D") and q.stem.startswith("依照对称分量法")


def test_listening_items_are_numbered_options_alone():
    """A page cut mid-paper starting at '20. (A) … (B) …': items without stems are still items."""
    items = questions("20. (A) Its publication was banned. (B) It was the first weekly. (C) It caused a revolt. (D) It was first.\n"
                      "21. (A) It had more pages. (B) It was free. (C) It dealt with issues. (D) It was available.\n")
    assert [(q.number, q.stem, len(q.options)) for q in items] == [("20", "", 4), ("21", "", 4)]


def test_headings_by_part_word_english_parts_and_declarations():
    """'第一章绪论', 'Part I … (20 points)', '三、名词解释 (每题 6 分,共 30 分)' inline, '(80 道)'."""
    sections = qset("第一章绪论\n1.什么是测量学?\nPart I Vocabulary and Structure (20 points; 25 minutes)\n1. It is ____ easy.\n"
                    "一、填空题(80 道)\n1.申请入党的人要经过哪一步?\n").sections
    assert [(s.heading, s.count_declared, s.score_total) for s in sections] == [
        ("第一章绪论", None, None), ("Part I Vocabulary and Structure (20 points; 25 minutes)", None, 20),
        ("一、填空题(80 道)", 80, None)]


def test_a_cut_preview_is_told_by_what_it_declares_and_where_it_stops():
    """A last part short of what its total implies (每题2分,共20分: 10), an empty last option ('C.'),
    a long option that stops mid-sentence: the page was cut."""
    assert qset("一、单选题(每题2分,共20分)\n1.甲是?\nA.一\nB.二\n答案:A\n").truncated
    assert qset("1.甲是?\nA.一\nB.二\nC.\n").truncated
    assert qset("1.甲是?\nA.一\nB.没收财产以前犯罪分子所负的正当债务,需要以没收的财产偿还的,经\n").truncated
    assert not qset("一、单选题(每题2分,共4分)\n1.甲是?\nA.一\nB.二\n答案:A\n2.乙是?\nA.一\nB.二\n答案:B\n").truncated


def test_questions_listed_again_with_their_answers_are_a_key_part():
    """'…4.… 1.为了建设… 正确答案: …': numbering that starts again at 1 with question 1's stem is the
    page's answer part, matched back to its questions; never the fourth question's answer."""
    items = questions("1.您对取消限制小排气量汽车有什么看法?(分数: -1.00) _ 2.如何解决大学生奢侈浪费?(分数: -1.00) _ "
                      "3.怎样组织节约主题活动?(分数: -1.00) _ 1.您对取消限制小排气量汽车有什么看法?(分数: -1.00) _ "
                      "正确答案: (首先,决策非常好。) 解析: 2.如何解决大学生奢侈浪费?(分数: -1.00) _ 正确答案: (加强教育。) 解析:"
                      + " 说明" * 30 + "\n")
    assert [q.number for q in items] == ["1", "2", "3"]
    assert [q.answer for q in items] == ["(首先,决策非常好。)", "(加强教育。)", None]


def test_a_stem_that_goes_on_with_its_options_after_a_blank_line():
    """'…to socialize' / blank / 'in the evenings? A. fact B. tendency C. notion' / 'D. style'."""
    (q,) = questions("8. Have you noticed that there is a _______ among the students to socialize\n\n"
                     "in the evenings? A. fact B. tendency C. notion\n\nD. style\n")
    assert [o.label for o in q.options] == ["A", "B", "C", "D"]
    assert q.stem.endswith("in the evenings?")


def test_options_after_a_second_stem_paragraph():
    """A stem's second paragraph, then 'A.+0.001m' / 'B.-0.001m' lines: the options of that stem."""
    (q,) = questions("1.已知AB两点高程为11.166m,11.157m。\n今自A点开始实施水准测量观测至B点,求高差。\nA.+0.001m\nB.-0.001m\nC.+0.002m\n")
    assert [o.label for o in q.options] == ["A", "B", "C"]
    assert "今自A点" in q.stem


def test_next_number_glued_to_digits_and_parts_named_inline():
    """'…(D)$1,132,0563. 鍾勻…': the option ends in 056, question 3 begins; '第一部份:…' inline heads a part."""
    text = ("育達系列 試題 第一部份:會計學(每題 2 分) 1. 兩個準則制定機構為何? (A)1 2 (B)2 3 (C)1 4 (D)2 42. 正確餘額應為多少? "
            "(A)$572,056 (B)$732,056 (C)$972,056 (D)$1,132,0563. 鍾勻事務所期初權益餘額為多少? (A)1 (B)2 (C)3 (D)4" + " 說明" * 20 + "\n")
    sections = qset(text).sections
    assert sections[-1].heading.startswith("第一部份:會計學") and sections[-1].score_each == 2
    items = [q for s in sections for q in s.questions]
    assert [q.number for q in items] == ["1", "2", "3"]
    assert items[1].options[-1].text == "$1,132,056"


def test_the_editions_print_fields_with_words_the_grammar_reads():
    """One vocabulary: the DOCX renderer prints 【答案】/【解析】/【评分要点】 from the grammar's own table,
    so an edition read back as a page gives the same fields."""
    from pipeline.grammar import labels

    for name, title in labels.FIELD_TITLES.items():
        assert labels.field_label(f"【{title}】x") == (name, "x")


def test_run_on_parts_named_by_their_type_and_numbers_after_units():
    """'…D.过压保护多项选择题(每题2分,共10题)1.…' and '…D.110V4.热继电器…': in run-on text a declared
    type name starts a part wherever it stands, and a number after an option's unit starts a question."""
    text = ("2026秋招:电工真题及答案单项选择题(每题2分,共3题)1.安全电压一般是指?A.220VB.380VC.36V及以下D.110V2.热继电器"
            "主要用于?A.短路保护B.过载保护C.欠压保护D.过压保护3.我国电力系统的频率是?A.50HzB.60HzC.40HzD.30Hz"
            "多项选择题(每题2分,共2题)1.以下属于电工工具的有?A.螺丝刀B.电烙铁C.扳手D.万用表2.接地方式有?A.工作接地B.保护接地\n")
    sections = qset(text).sections
    assert [(s.heading, len(s.questions)) for s in sections] == [("单项选择题(每题2分,共3题)", 3), ("多项选择题(每题2分,共2题)", 2)]
    assert sections[0].questions[0].options[-1].text == "110V"
    assert sections[0].questions[2].options[-1].text == "30Hz"


def test_question_numbers_past_999_are_numbers():
    """An item bank runs past 999 questions: number 1000 on was once read as text of question 999,
    and an answer key for them as nothing."""
    from pipeline.run.steps import process_page

    page = "题库\n一、单项选择题\n" + "".join(
        f"{i}.第{i}题中客户投诉时首先应该做什么？\nA.争辩 B.倾听 C.挂断 D.转接\n" for i in range(1, 1101))
    page += "参考答案\n" + " ".join(f"{i}.{'ABCD'[i % 4]}" for i in range(1, 1101)) + "\n"
    qset = process_page("bank.txt", page).qset
    questions = qset.questions()
    assert [q.number for q in questions] == [str(i) for i in range(1, 1101)]
    assert questions[999].stem.startswith("第1000题") and questions[1099].answer == "ABCD"[1100 % 4]
    assert not qset.content


def test_keys_glued_after_a_fill_ins_full_stop():
    """A converter that lost a fill-in's blanks and a line break glues the key ('…五种关系。全同关系、交叉关系')
    to the stem; on a page that prints every other key on the line after its item, that list is the key.
    A sentence after the full stop is no key, nor is a list on a page without the rhythm."""
    page = ("一、填空\n1.任何逻辑形式都是由和两个部分组成的。\n\n常项、变项\n\n2.概念不能限制和划分。\n\n单独概念\n\n"
            "3.主项S和谓项P在外延上可能有、、五种关系。全同关系、交叉关系、全异关系\n\n4.违反规则会犯的逻辑错误。\n\n中项不周延\n\n"
            "5.判断的质是什么。在其它情况下,它都是真的\n\n真\n")
    items = questions(page)
    assert [q.answer for q in items] == ["常项、变项", "单独概念", "全同关系、交叉关系、全异关系", "中项不周延", "真"]
    assert items[2].stem == "主项S和谓项P在外延上可能有、、五种关系。"
    plain = questions("1.甲是什么。乙、丙\n2.丁是什么。\n3.戊是什么。\n")
    assert [q.answer for q in plain] == [None, None, None]


def test_a_cut_choice_keeps_the_key_in_its_bracket():
    """A preview cut after the last question's stem ('13.…杂志是(C)'): in a part that prints each
    key in the stem's bracket, the item without options keeps its key. Elsewhere a bracketed letter
    in an open question is the author's text."""
    part = "".join(f"{n}.问题{n}是(B)\nA.甲\nB.乙\nC.丙\nD.丁\n" for n in range(1, 4))
    items = questions(part + "4.刊登毛泽东《民众大联合》一文杂志是(C)\n")
    assert [q.answer for q in items] == ["B", "B", "B", "C"]
    (lone,) = questions("1.图中(A)处的电压是多少?\n")
    assert lone.answer is None


def test_a_definition_part_printed_with_its_definitions():
    """'一、概念解释' printed with its key: each item is a term glued to its definition ('特征是设计者…',
    '窗口在用户空间中…'); the definition is the answer. A part of bare terms keeps them as stems, and a
    part of another kind keeps its statements whole."""
    part = ("一、概念解释(每题3分,共12分)\n1. 数控编程根据被加工零件的图纸和技术要求编制成加工程序文件。\n"
            "2. 特征是设计者对设计对象的功能、形状等信息的高层次抽象描述。\n3. 窗口在用户空间中定义的确定显示内容的一个矩形区域。\n")
    items = questions(part)
    assert [(q.stem, q.answer[:4]) for q in items] == [("数控编程", "根据被加"), ("特征", "是设计者"), ("窗口", "在用户空")]
    bare = questions("一、名词解释\n1. 数控编程\n2. 特征\n3. 窗口\n")
    assert [(q.stem, q.answer) for q in bare] == [("数控编程", None), ("特征", None), ("窗口", None)]
    other = questions("一、简答题\n1. 特征是设计者对设计对象的功能、形状等信息的描述。\n2. 窗口在用户空间中定义的确定显示内容的区域。\n")
    assert [q.answer for q in other] == [None, None]


def test_every_word_of_the_vocabulary_also_matches_in_traditional_script():
    """Big5 sites print the same vocabulary in traditional glyphs ('判斷題', '名詞解釋', '參考答案'): every
    character of the label vocabulary that has a traditional form (OpenCC's) matches in that form too."""
    import opencc

    from pipeline.clean import segment  # noqa: F401  (its patterns join the vocabulary)
    from pipeline.grammar import labels
    from pipeline.run import steps  # noqa: F401  (their patterns join the vocabulary)

    source = "".join(labels.VOCABULARY)
    converters = [opencc.OpenCC(config) for config in ("s2t", "s2tw", "s2hk")]  # OpenCC's, Taiwan's, Hong Kong's
    to_simplified = opencc.OpenCC("t2s")
    missing = set()
    for char in set(re.findall(r"[\u4e00-\u9fff]", source)) - set(labels.TRADITIONAL.values()):
        has_forms = any(c.convert(char) != char for c in converters)
        form = labels.TRADITIONAL.get(char)  # one of its traditional forms ('钟': 鐘 the clock, 鍾 the cup)
        if has_forms and (form is None or to_simplified.convert(form) != char):
            missing.add(char)
    assert not missing, "".join(sorted(missing))
    assert labels.JUDGEMENT_PART.search("一、判斷題(每題2分,共20分)")


def test_a_page_ending_in_a_score_field_is_complete():
    """'2.单位安排你组织一次培训,你会怎么做?(分数: 2.00)' (kinds K22): the score field closes the item; an
    aside in words at the end ('…中芳香烃(双环芳烃') still may not."""
    page = process_page("page.txt", "公务员面试真题\n一、面试问答 (总题数: 2,分数: 4.00)\n1.有人说细节决定成败,你怎么看?(分数: 2.00)\n"
                                    "2.单位安排你组织一次培训,你会怎么做?(分数: 2.00)\n")
    assert page.qset is not None and not page.qset.truncated
    assert [q.score for q in page.qset.questions()] == [2, 2]


def test_a_label_alone_at_the_cut_is_a_question_without_a_stem():
    # A preview cut right after a label ("4." as the last line) still shows question 4: the page numbers
    # it, the set is cut there, and its part holds what it declares. A bare label that continues no
    # sequence, or has text after it, stays text.
    cut = qset("三、应急应变题(共4题,每题7分)\n1.题目:医院突发火灾,你如何组织撤离?\n2.题目:患者突然晕厥,你如何处理?\n"
               "3.题目:家属对护理操作提出质疑,你如何安抚?\n4.\n")
    last = cut.questions()[-1]
    assert (last.number, last.stem, last.score) == ("4", "", 7)
    assert cut.truncated and len(cut.sections[0].questions) == 4
    assert "4 without answers" not in " ".join(cut.review_reasons) and not cut.needs_review
    lone = qset("1.题目:医院突发火灾,你如何组织撤离?\n2.题目:患者突然晕厥,你如何处理?\n7.\n")
    assert [q.number for q in lone.questions()] == ["1", "2"]


def test_a_paper_s_part_declared_by_its_points_alone_is_a_heading():
    """'六、（15分）（注意：在试题卷上作答无效）': a whole paper's part heading gives only its points; its
    questions are its own, and the heading is never glued to the answer before it."""
    found = qset("五、（12分）\n17.这篇文章是怎样构思的？请简要分析。\n六、（15分）（注意：在试题卷上作答无效）\n"
                 "18.仿照下面的示例，另写三句话。\n")
    assert [s.heading for s in found.sections] == ["五、（12分）", "六、（15分）（注意：在试题卷上作答无效）"]
    assert [q.number for s in found.sections for q in s.questions] == ["17", "18"]
    assert all(q.answer is None for q in found.questions())
    named = qset("四、名句名篇默写(8 分)\n11.补写出下列名句名篇中的空缺部分。\n五、现代文阅读(20 分)\n12.下面的说法正确的是\n")
    assert [s.heading for s in named.sections] == ["四、名句名篇默写(8 分)", "五、现代文阅读(20 分)"]
    asked = qset("一、请简述你的三个优势(10分)\n答：认真、负责。\n二、你为什么选择这份工作？(10分)\n答：喜欢。\n")
    assert [s.heading for s in asked.sections] == [None] and len(asked.questions()) == 2  # questions, not parts


def test_a_line_to_write_on_after_an_answer_label_is_no_answer():
    """'答：________': the space a paper leaves for the student's answer, never its answer."""
    found = questions("15.解释下列句子在文中的含意。（4分）\n答：＿＿＿＿＿＿＿＿＿＿＿＿\n"
                      "16.从整个文段来看，下面的句子有什么问题？\n答：1________ 2________\n")
    assert [(q.number, q.answer) for q in found] == [("15", None), ("16", None)]


def test_a_word_file_is_a_whole_document_not_a_cut_preview(tmp_path):
    """Sites cut their previews as pages; a Word file an editor has is the whole paper, even when its
    last line ends without a full stop (an essay prompt's requirements, a footer), unless it says it
    was cut."""
    import io

    from docx import Document

    doc = Document()
    for line in ("一、选择题", "1.下列说法正确的是", "A.甲 B.乙 C.丙 D.丁", "2.作文", "要求：自定立意，自拟标题，不少于800字"):
        doc.add_paragraph(line)
    data = io.BytesIO()
    doc.save(data)
    whole = process_page("paper.docx", data.getvalue()).qset
    assert not whole.truncated
    doc.add_paragraph("预览已结束，剩余3页可下载查看")
    cut = io.BytesIO()
    doc.save(cut)
    assert process_page("paper.docx", cut.getvalue()).qset.truncated


TWO_PAPERS = """语文Ⅰ试题
一、语言文字运用（6分）
1.下列词语中，字形和加点字的读音全都正确的一项是
A.甲 B.乙 C.丙 D.丁
2.下列各句中，没有语病的一项是
A.甲 B.乙 C.丙 D.丁
二、作文（70分）
3.阅读下面的材料，根据要求写一篇不少于800字的文章。
语文Ⅰ试题参考答案
一、语言文字运用（6分）
1. C        2. A
二、作文（70分）
3. 略
语文Ⅱ(附加题)
一、阅读材料，完成4～5题。（10分）
今日读《列女传》蔡琰二诗，其词明白感慨。
4.用斜线给上面文言文中的画线部分断句。（3分）
5.蔡琰的这首诗写于何时何地？（2分）
语文Ⅱ(附加题)参考答案
一、阅读材料，完成4～5题。（10分）
4. 又琰之流离/ 必在父死之后
5. 洛阳
"""


def test_two_papers_in_one_file_each_with_its_key():
    """A file of papers and their keys: a key headed by its paper's name ('语文Ⅰ试题参考答案'); the next
    paper's first part starts the numbering of its parts again and its questions go on past the first
    paper's: questions, not key lines; each key's parts found by their names, not their ordinals."""
    found = qset(TWO_PAPERS)
    assert [(q.number, q.answer) for q in found.questions()] == [
        ("1", "C"), ("2", "A"), ("3", "略"), ("4", "又琰之流离/ 必在父死之后"), ("5", "洛阳")]
    second = found.sections[-1]  # the second paper's first part, named by the questions it covers
    assert second.heading.startswith("一、阅读材料") and [q.number for q in second.questions] == ["4", "5"]


def test_a_paper_s_rules_and_its_numbered_paragraphs_are_not_questions():
    """'考生注意：' heads a paper's rules (1.–4.), and a passage numbers its paragraphs ①②③: neither is a
    question; the paper's questions are 1., 2. … after them, and a key gives each answer after its points."""
    page = ("考生注意：\n1．本考试设试卷和答题纸两部分。\n2．答题前，务必填写准考证号。\n3．考试时间150分钟。\n"
            "一、80分\n（一）阅读下文，完成第1—2题。（5分）\n①2010年上海世博会中国国家馆“东方之冠”。\n②城市地标是一座城市的建筑。\n"
            "1．第②段中列举了我国多处城市地标，其作用是什么？（2分）\n2．对“历史文脉”理解不符合原文的一项是（3分）\n"
            "A．甲 B．乙 C．丙 D．丁\n参考答案\n1、2分。具体说明城市地标聚集了城市的魅力。\n2、3分  B\n")
    found = questions(page)
    assert [(q.number, q.stem[:6]) for q in found] == [("1", "第②段中列举"), ("2", "对“历史文脉")]
    assert [q.answer for q in found] == ["具体说明城市地标聚集了城市的魅力。", "B"]


def test_the_next_sub_question_after_a_space_to_answer_is_no_answer():
    """'（1）…' '答：' '（2）…' '答：': a paper's sub-questions, each with its space to answer; the second is the
    question's, not the first one's answer. An answer's own points ('答案:' '(1)…' '(2)…') stay its answer."""
    (paper,) = questions("15.解释下列两句话在文中的含意。（4分）\n（1）这些情景，这些声音，是过去了\n答：\n"
                         "（2）想到这里，我的心又平静了下来。\n答：\n")
    assert paper.answer is None and "（2）想到这里" in paper.stem + "".join(paper.sub_items)
    (keyed,) = questions("1.孩子们争抢玩具，你会怎么做？\n答案:\n(1)立即制止，引导幼儿说出原因；\n(2)通过绘本讲解分享。\n")
    assert keyed.answer and keyed.answer.startswith("(1)立即制止")


def test_options_after_the_circled_sentences_they_combine():
    """'…衔接最恰当的一组是' '①…' '②…' '③…' 'A.①③② B.③②①': a choice question whose options combine the
    circled sentences printed before them; the sentences are its items, the letters its options."""
    _, q = questions("3、下列各句中，没有语病的一句是\nA、甲 B、乙 C、丙 D、丁\n"
                     "4、依次填入下面一段文字横线处的语句，衔接最恰当的一组是\n①民间的书写将“荼”减去一笔\n"
                     "②随着饮茶习俗的推广\n③“荼”简写为“茶”，汉代已露端倪\nA、①③②      B、③②①\n"
                     "C、②①③      D、①②③\n")
    assert [o.label for o in q.options] == ["A", "B", "C", "D"] and q.options[0].text.startswith("①③②")
    assert [x[:1] for x in q.sub_items] == ["①", "②", "③"]
    _, lines = questions("12.下列说法正确的一项是\nA.甲\nB.乙\nC.丙\nD.丁\n"
                         "13.下列各项中每句话都能体现本文主旨的一项是\n①夫传言不可以不察。\n②闻而审，则为福矣。\n"
                         "③凡闻言必熟论。\nA.①②\nB.①③\nC.②③\nD.③\n")
    assert [o.label for o in lines.options] == ["A", "B", "C", "D"]


def test_a_poem_then_sub_questions_each_with_its_space_to_answer():
    """'阅读下面的诗，回答问题。（5分）', the poem, then '（1）…？' '答：____' '（2）…？' '答：____': the second
    sub-question follows the first after the poem, not an answer; the question keeps its points."""
    *_, q = questions("13.下列对本文的理解不正确的一项是\nA.甲 B.乙 C.丙 D.丁\n14.下列说法正确的一项是\nA.甲 B.乙 C.丙 D.丁\n"
                      "15.把文言文中画横线的语句翻译成现代汉语。(8分)\n(1)此愚者之所以大过也。\n译文:____\n"
                     "16.阅读下面的诗，回答问题。（5分）\n黄氏延绿轩 （明）高启\n葱葱溪树暗，靡靡江芜湿。\n"
                     "雨过晓开帘，一时放春入。\n（1）“葱葱”、“靡靡”两个叠音词有什么作用？\n答：____________\n"
                     "（2）“一时放春入”表现了怎样的情景？\n答：____________\n")
    assert (q.answer, q.score) == (None, 5)


def test_material_after_a_question_on_a_paper_of_spaces_to_answer_is_no_answer():
    """A paper that leaves '答：' lines to write on labels no answer: the text after a question there
    (a sentence to imitate, an essay's material) is the question's material, not its answer."""
    page = ("17.这篇文章是怎样构思的？请简要分析。(6分)\n答：\n18.请修改下面的句子。(5分)\n答：________\n"
            "19.请展开合理想象，进行生动描写。(6分)\n答：\n20.仿照给定的句子续写两句话。\n"
            "树是水土的卫士，让它绿化大地山川。\n21.阅读下面的材料，按照要求作文。\n"
            "几何学上的点只有位置而没有长度。\n")
    assert [(q.number, q.answer) for q in questions(page)] == [
        ("17", None), ("18", None), ("19", None), ("20", None), ("21", None)]


def test_a_direction_names_questions_it_does_not_count():
    """'五、阅读下面的文字，完成14-17题' names the questions a passage serves: no declared count (the dev
    set's gold reads counts from declarations only), while '第 1-45小题' numbers a part's questions.
    A part's points may close its line after the direction: '一、阅读材料，完成20～23 题。(10 分)'."""
    direction = qset("五、阅读下面的文字，完成14-17题\n14.下列理解不正确的一项是\nA.甲 B.乙 C.丙 D.丁\n").sections[0]
    assert (direction.heading, direction.count_declared) == ("五、阅读下面的文字，完成14-17题", None)
    numbered = qset("一、单项选择题 第 1-3小题，每小题 1分，共 3分。\n1.甲是\nA.甲 B.乙\n").sections[0]
    assert (numbered.count_declared, numbered.score_each, numbered.score_total) == (3, 1, 3)
    scored = qset("一、阅读材料，完成20～23 题。(10 分)\n今日读《列女传》。\n20.用斜线断句。（3分）\n").sections[0]
    assert (scored.heading, scored.count_declared, scored.score_total) == ("一、阅读材料，完成20～23 题。(10 分)", None, 10)


def test_a_paper_s_second_volume_ends_the_question_before_it():
    """'绝密★启用前' / the paper's title / '第Ⅱ卷' / '注意事项：' and its rules: the second volume of a paper
    begins; its lines are the paper's text after the last question of the first, never that question's
    last option, and its rules (1.–3.) are no questions."""
    page = ("9.下列说法正确的一项是\nA.甲 B.乙 C.丙\nD.丁\n10.下列对原文的概括不正确的一项是\nA.甲 B.乙 C.丙\n"
            "D.郭浩政治有方，金州状况好转。\n绝密☆启用前\n2012年普通高等学校招生全国统一考试\n语文\n第II卷\n注意事项：\n"
            "1.答题前，考生先在答题卡上填写姓名。\n2.第II卷共4页，在试卷上作答无效。\n3.第II卷共11小题，共120分。\n"
            "四、（23分）\n11.把文言文阅读材料中画横线的句子翻译成现代汉语。（10分）\n")
    found = qset(page)
    assert [q.number for q in found.questions()] == ["9", "10", "11"]
    assert found.questions()[1].options[-1].text == "郭浩政治有方，金州状况好转。"
    kept = [c.text for c in found.content]
    assert "第II卷" in kept and "1.答题前，考生先在答题卡上填写姓名。" in kept


def test_a_paper_s_part_declared_by_its_bare_points():
    """'一、80分' / '二、70分' (a 上海卷's two parts): an ordinal and the part's points, nothing else, is a
    part heading with its total, whether or not the paper's rules stand before it."""
    found = qset("考生注意：\n1．本考试设试卷和答题纸两部分。\n2．考试时间150分钟。\n一、80分\n"
                 "1．第②段中列举了我国多处城市景观，用意是什么？（2分）\n2．对“历史文脉”理解不符合文意的一项是（3分）\n"
                 "A．甲 B．乙 C．丙 D．丁\n二、70分\n3．作文\n")
    assert [(s.heading, s.score_total, [q.number for q in s.questions]) for s in found.sections] == [
        ("一、80分", 80, ["1", "2"]), ("二、70分", 70, ["3"])]
