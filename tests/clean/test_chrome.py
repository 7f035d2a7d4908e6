"""One test per chrome rule of the genre: what doc-site chrome looks like on any site, and the author
text beside it that the rule must leave alone. Raw page in, published set out."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.run.steps import process_page

BODY = "一、单选题\n1.下列说法正确的是?\nA.甲\nB.乙\n答案:A\n2.护理程序的第一步是?\nA.评估\nB.诊断\n答案:A\n"


def published(text: str) -> str:
    page = process_page("page.txt", text)
    assert page.qset is not None
    return json.dumps(page.qset.model_dump(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("why", "chrome"),
    [
        ("book118's stats header: bulleted size, page count, date and place", "• 约2.14千字\n- 约 9页\n- 2026-01-23 发布于广东\n• 0\n- 30.24 KB\n"),
        ("a preview's reading progress", "已阅读5页,还剩19页未读 继续免费阅读\n"),
        ("the title repeated once per previewed page", "2026教师资格证考试题及答案_第1页\n2026教师资格证考试题及答案_第2页\n"),
        ("download buttons and the document-intro tab", "下载本文档\n文档简介\n"),
        ("the copyright notice every upload site prints", "版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领\n"),
        ("breadcrumbs without 首页", "当前位置:文档库 › 天大管概期末习题\n"),
        ("a banner made of site vocabulary", "文档库 最新最全的文档下载\n"),
        ("an upload block made of site vocabulary", "《电工题库.pdf》由会员分享,可在线阅读,更多相关《电工题库.pdf(22页珍藏版)》请在淘文阁 - 分享文档赚钱的网站上搜索。\n"),
        ("upload metadata with a timestamp", "时间:2019-05-14 07:10:39\n"),
        ("an aggregator's article marker", "第一篇:《刑法修正案八》试题\n"),
        ("the same chrome in traditional script with converter garbage", "已閱讀5頁,還剩12頁未讀 繼續(xù)免費閱讀\n版權(quán)說明:本文檔由用戶提供並上傳\n下載本文檔\n"),
        ("a numbered notice block made of site vocabulary", "1、本站所有文档均由用户上传,仅供在线阅读预览\n2、下载文档需要消耗积分,VIP会员免费下载\n"
         "3、如文档侵犯您的版权,请联系客服举报\n"),
        ("the file name the site prints as a title line", "2026年电工证考试题库附答案.docxVIP\n"),
        ("a page counter with a slash", "第1页 / 共42页\n第2页/共42页\n"),
        ("the upload fields in one row", "上传人:s****u 文档编号:12808822 上传时间:2020-05-25 格式:DOCX 页数:42\n"),
        ("a row of the viewer's buttons", "返回 下载 相关 举报\n点击查看更多>>\n"),
        ("an online quiz's points scored and clock", "开始时间:17:55:58\n得:2分\n"),
        ("the name of a collection the document is filed in, captioning its link", "数据库试题大全合辑\n合集下载\n"),
        ("… in traditional script", "數據庫試題大全合輯\n合集下載\n"),
        ("a transcript view's header and page marker", "Transcript of 107学年度统一入学测验...\nPage 1: 107学年度统一入学测验\n"),
        ("a listing's metadata without colons and its reading progress (kinds K24)",
         "文档属性\n格式 doc\n文件大小 88.2KB\n资源描述\n图片预览\n还剩6页未读,继续阅读\n文本内容:\n"),
        ("an article page's byline, related links and editor's blurb (kinds K25)",
         "编辑: 小明 2020-05-01\n时间:2022-03-03 10:00:00 张三 会计资格证 我要投稿\n• 相关推荐\n"
         "会计基础是从业资格考试的科目之一,小编整理了会计基础练习题,欢迎阅读\n这是一份会计基础练习题,欢迎下载使用。\n"),
        ("a converter's watermark (kinds K27)", "Corporationstandardizationoffice#AB12CD-EF34GH-IJ56KL\n"),
        ("a blog-style post's header: update time with its counters, the post date, the author in brackets",
         "更新时间:2025-12-17 08:11:22 阅读: 评论:0\n2022年7月18日发\n(作者:不动产税)\n"),
        ("a footer printed on every page, and a page counter as a fraction", "考试资料欢迎下载\n1/22\n"),
        ("a re-publishing site's credit line with its address", "中小学教育网（ www.g12e.com ）编辑整理，转载请注明出处！\n"
         "某某教育网（ www.example.com ）整理！\n"),
        ("g12e's course advert (its site profile)", "中小学教育网课程推荐\n网络课程\n高考：高考全程辅导  高考考前冲刺辅导\n"
         "面授课程：中小学教育网学习中心面授班\n"),
    ],
)
def test_chrome_is_removed(why, chrome):
    text = published(chrome + BODY)
    for line in chrome.strip().splitlines():
        assert line.strip() not in text, why


@pytest.mark.parametrize(
    ("why", "author"),
    [
        ("an interview answer about a platform's customer service", "某次深夜,平台客服系统崩溃,大量客户投诉无法登录。"),
        ("a question about downloads and copyright", "3.网站提供文档下载时,下列哪项做法侵犯版权?"),
        ("a date in a stem", "4.2026-01-23发布的通知要求什么?"),
        ("a numbered list of questions about uploads", "5、网站用户上传文档前需要审核哪些内容?"),
        ("an exam's duration beside its clock", "答题时间:30分钟"),
        ("a passage's credit with its source", "(作者:鲁迅,选自《呐喊》)"),
    ],
)
def test_author_text_beside_chrome_words_is_kept(why, author):
    page = BODY.replace("答案:A\n2.", f"答案:A\n{author}\n2.", 1) if not author[0].isdigit() else BODY + author + "\n"
    assert re.sub(r"^\d+[.、]", "", author)[:12] in published(page), why  # the text, kept as a stem or a line


def test_reading_progress_marks_a_cut_preview():
    page = process_page("page.txt", "已阅读5页,还剩19页未读 继续免费阅读\n" + BODY)
    assert page.qset is not None and page.qset.truncated


def test_a_notice_glued_to_the_document_loses_only_its_own_sentences():
    """Run-on text glues the site's numbered notice to the paper ('…2、本站不保证…完整性。一、单选题…'):
    the notice's sentences go, the paper after them stays."""
    notice = ("- 1、下载文档前请自行甄别文档内容的完整性,平台不提供额外的编辑、内容补充等附加服务。"
              "- 2、\"仅部分预览\"的文档,不可在线预览部分如存在完整性等问题,可反馈申请退款。")
    page = process_page("page.txt", notice + "一、单选题1.下列说法正确的是?A.甲B.乙答案:A2.护理程序的第一步是?A.评估B.诊断答案:A"
                        + "解析:" + "说明" * 60 + "\n")
    assert page.qset is not None
    assert [q.answer for q in page.qset.questions()] == ["A", "A"]
    text = json.dumps(page.qset.model_dump(), ensure_ascii=False)
    assert "甄别" not in text and "申请退款" not in text


def test_chrome_inside_run_on_text_is_found_once_the_text_is_split():
    """A crawled text layer with no line breaks: the site's notice items are lines only after
    segmenting, and the same chrome rules then remove them (with their '1.' list markers)."""
    text = ("2026年面试题集.docx本文档由用户AI专业辅助创建,并经网站质量审核通过1. 1、原创力文档(book118)网站文档一经付费"
            "(服务费),不意味着购买了该文档的版权,仅供个人学习之用,侵权必究。2. 2、本站所有内容均由合作方或网友上传,本站不对"
            "文档的完整性做任何保证!付费前请自行鉴别。3. 3、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。"
            "一、情景模拟题(共2题,每题8分)题目1(8分)您如何处理客户的投诉?题目2(8分)您如何安排团队的工作?\n")
    page = process_page("page.txt", text)
    assert page.qset is not None
    assert [(q.number, q.stem) for q in page.qset.questions()] == [("1", "您如何处理客户的投诉?"), ("2", "您如何安排团队的工作?")]
    published = json.dumps(page.qset.model_dump(), ensure_ascii=False)
    assert "侵权必究" not in published and "VIP会员" not in published


def test_a_second_copy_loses_only_what_is_already_on_the_page():
    """Dumps often carry the document twice, the second copy reworded or longer: the repeated part
    goes, a sentence found only in the copy stays (it is the author's text)."""
    intro = ("本卷考查服务礼仪的基本知识，请认真作答。每道题目都来自真实的客户服务场景，答题时间为三十分钟。"
             "作答前请先通读全卷，遇到不会的题目可以先跳过，最后再回来检查。选择题只有一个正确答案，多选不得分。"
             "考试结束后请将试卷和答题卡一并交回，不得带出考场。")
    first = "服务礼仪练习卷\n" + intro + "\n" + BODY + "答题完毕请仔细检查。\n"
    unique = "补充说明：本卷第二部分的案例题将在下次课上讲评，请提前准备好案例材料。"
    page = first + "服务礼仪练习卷 " + intro + BODY.replace("\n", " ") + unique + "\n"
    qset = process_page("page.txt", page).qset
    assert [q.number for q in qset.questions()] == ["1", "2"]  # the copy's questions are not published twice
    assert unique in json.dumps(qset.model_dump(), ensure_ascii=False)
    (warning,) = [w for w in qset.warnings if w.startswith("duplicate_copy")]
    assert "found only in the copy" in warning


def test_a_page_number_field_dumped_with_its_code_goes_and_the_title_after_it_stays():
    text = published("PAGEPAGE44教师招聘考试教育心理学试题及答案\n" + BODY)
    assert "PAGEPAGE44" not in text and "教师招聘考试教育心理学试题及答案" in text


def test_a_listing_s_name_field_is_the_title_and_a_byline_never_is():
    """'名称 2023届…' names the document (kinds K24); '编辑: 小明 2020-05-01' is no title (kinds K25)."""
    named = process_page("page.txt", "文档属性\n名称 2023届 高考语文 专项训练\n格式 doc\n" + BODY).qset
    assert named is not None and named.title == "2023届 高考语文 专项训练"
    bylined = process_page("page.txt", "编辑: 小明 2020-05-01\n" + BODY).qset
    assert bylined is not None and bylined.title != "编辑: 小明 2020-05-01"


def test_a_line_injected_between_a_whole_stem_and_its_options_is_not_the_stem_s():
    """'我国交流电的频率是()。' / '中国最长的河流是哪一条' / 'A.50Hz …' (kinds K27): the stem was whole."""
    page = process_page("page.txt", "一、单项选择题\n1.我国交流电的频率是()。\n中国最长的河流是哪一条\n"
                                    "A.50Hz B.60Hz C.100Hz D.220Hz\n2.下列属于绝缘体的是()。\nA.铜 B.铝 C.橡胶 D.铁\n")
    assert page.qset is not None
    assert page.qset.questions()[0].stem == "我国交流电的频率是()。"


def test_an_uploader_s_year_tag_after_the_title_goes():
    """'…试题及答案【2021年整理】': the uploader's tag, not part of the document's title."""
    page = process_page("page.txt", "2020年道路交通安全知识竞赛试题及答案【2021年整理】\n" + BODY)
    assert page.qset is not None and page.qset.title == "2020年道路交通安全知识竞赛试题及答案"


def test_the_text_beside_every_page_counter_is_the_site_s_running_head():
    """A run-on dump prints each page's header with its counter ('全 民 竞 赛 网 … 第 2 页 共 3 页'): the
    same text before two or more counters is chrome, wherever it falls (here inside an answer)."""
    head = "全 民 竞 赛 网 支 持 微信竞赛形式"
    page = (f"{head} 第 1 页 共 2 页 消防安全知识试题 一、是非题 1.电闸保险丝熔断后可以用铜丝替代。 答案:错误 "
            f"2.凡是能引起可燃物着火的热源统称为点火源。 答案:正确 {head} 第 2 页 共 2 页 3.发生了燃烧就发生了火灾。 答案:错误\n")
    text = published(page)
    assert "竞 赛" not in text and "第 2 页" not in text
    assert [q.answer for q in process_page("page.txt", page).qset.questions()] == ["错误", "正确", "错误"]


def test_the_lines_after_every_page_counter_are_the_site_s_running_head():
    """A converter prints each page's counter on its own line and the site's header on the next ones
    ('第5页 / 共15页' / '下载本文档' / '文档库 最新最全的文档下载'): lines that follow every counter alike are
    chrome, also glued to nothing (a fill-in's key on the line before stays its key)."""
    items = ["1.逻辑形式由哪两个部分组成。\n\n常项、变项", "2.概念不能限制和划分。\n\n单独概念",
             "3.性质判断的主项和谓项有几种关系。\n\n全同关系、交叉关系", "4.三段论的中项必须周延几次。\n\n至少一次"]
    head = "下载本文档\n文档库 最新最全的文档下载\n"
    page = "一、填空\n" + "".join(f"{item}\n第{n + 2}页 / 共9页\n{head}" for n, item in enumerate(items)) + "5.结束了吗。\n\n是\n"
    text = published(page)
    assert "文档库" not in text and "第3页" not in text
    found = process_page("page.txt", page).qset.questions()
    assert [q.answer for q in found] == ["常项、变项", "单独概念", "全同关系、交叉关系", "至少一次", "是"]
    # the title a site repeats after each counter goes too, even when it opens like a label
    title = "1、2006年公务员录用考试面试题及答案解析"
    asks = ["你如何看待大学生的奢侈浪费现象?", "学校要举行一个以节约为主题的活动,你如何组织?", "你怎么看?",
            "有一个节能产品发布会,你作为政府官员受邀参加了会议,主办方邀请你发言,你会怎么说?"]
    page = "".join(f"{n}.{ask}\n\n第{n + 1}页 / 共5页\n{title}\n\n" for n, ask in enumerate(asks, 1))
    assert [q.number for q in process_page("page.txt", title + "\n" + page).qset.questions()] == ["1", "2", "3", "4"]


def test_the_same_answer_before_two_page_counters_is_not_a_running_head():
    """'答案:正确 第 1 页 共 2 页' twice: a field is never chrome, however it repeats beside counters."""
    page = ("一、是非题 1.电闸保险丝熔断后可以用铜丝替代。 答案:正确 第 1 页 共 2 页 2.凡是能引起可燃物着火的热源统称为点火源。 "
            "答案:正确 第 2 页 共 2 页 3.发生了燃烧就发生了火灾。 答案:错误\n")
    assert [q.answer for q in process_page("page.txt", page).qset.questions()] == ["正确", "正确", "错误"]


def test_watermarks_injected_into_a_paper_s_lines_go_and_the_line_stays():
    """Re-publishing sites inject their source tags and their address spelt apart into the author's own
    lines ('…轻装简从w_w_w.k*s*5 u.c*o m', '浸：逐渐。[来源:学科网]'): the tag goes, the line stays."""
    page = ("一、选择题\n1.下列词语中没有错别字的一项是[来源:Z.xx.k.Com]\nA.游泳 B.踊跃 C.祝贺 D.轻装简从w_w_w.k*s*5 u.c*o m\n"
            "2.对下列句子中加点词的解释,不正确的一项是\nA.浸:逐渐。[来源:学科网] B.甲 C.乙 D.丙\n")
    text = published(page)
    assert "来源" not in text and "w_w_w" not in text and "k*s*5" not in text
    assert "轻装简从" in text and "浸:逐渐。" in text


def test_g12e_s_lecture_advert_after_every_question_goes():
    page = ("中小学教育网课程推荐\n1.下列词语中加点的字读音全都正确的一项是\nA.甲 B.乙 C.丙 D.丁\n"
            "试题点评：本题在高考强化提高班讲座2第2讲《字音的识记与辨析》中有详细讲解，在寒假特训班中均有涉及。\n"
            "2.下列各句中加点的成语使用恰当的一项是\nA.甲 B.乙 C.丙 D.丁\n")
    page_record = process_page("page.txt", page)
    assert page_record.site is not None and page_record.site.name == "g12e"
    assert "试题点评" not in published(page) and len(page_record.qset.questions()) == 2


def test_g12e_s_footer_goes_and_the_essay_material_before_it_stays():
    """The site's footer after a paper's last question (its name and address, then an advert; its
    addresses and telephone lines) is its chrome; the essay's material before it is the author's."""
    footer = ("中小学教育网（www.g12e.com）汇集百所国家级示范校的近千名知名教师，面向中小学生提供课外辅导。\n"
              "总部地址：北京市海淀区知春路1号，学院国际大厦\n咨询电话：010-82330666 / 4006 500 666（全天24小时服务）\n"
              "电话：010-82330666 / 4006500666 传真：010-82330766 全天24小时服务\n")
    page = ("中小学教育网课程推荐\n20.仿照下面的示例，另写三句话。（6分）\n21.阅读下面的材料，写一篇不少于800字的文章。（60分）\n"
            "周末，我从学校回家帮着干农活。\n" + footer)
    text = published(page)
    assert "周末，我从学校回家帮着干农活。" in text
    assert not any(line[:8] in text for line in footer.splitlines())


def test_a_paper_s_classification_mark_is_not_its_title():
    """'绝密★启用前' above a paper's title: the mark stays in the text, the line after it is the title."""
    found = process_page("paper.txt", "绝密★启用前\n2012年普通高等学校招生全国统一考试\n" + BODY).qset
    assert found.title == "2012年普通高等学校招生全国统一考试"
    assert any(c.text == "绝密★启用前" for c in found.content)
