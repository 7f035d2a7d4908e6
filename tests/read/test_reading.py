"""Reading: encodings, width folding, HTML pages wrapped in site chrome."""

from __future__ import annotations

import html

from conftest import RAW, one_page

from pipeline.clean.normalise import normalise_text
from pipeline.read.decode import decode
from pipeline.read.html import html_text, html_text_bs4
from pipeline.run.steps import process_page

PAGE_TW = "客服面試題\n一、簡答題(共2題,每題5分)\n1．如何應對憤怒的客戶？\n答案：保持冷靜，傾聽。\n2．如何處理投訴？\n答案：先道歉。\n"
PAGE = "客服面试题\n一、简答题(共2题,每题5分)\n1．如何应对愤怒的客户？\n答案：保持冷静，倾听。\n2．如何处理投诉？\n答案：先道歉。\n"


def test_utf8_with_and_without_bom():
    assert decode(PAGE.encode("utf-8"))[1] == "utf-8"
    text, enc = decode(b"\xef\xbb\xbf" + PAGE.encode("utf-8"))
    assert enc == "utf-8-sig" and text == PAGE


def test_gbk_gb18030_and_big5_pages_parse_the_same(tmp_path):
    expected = process_page("u.txt", PAGE).qset
    assert expected is not None
    for encoding in ("gbk", "gb18030", "big5"):
        source = PAGE if encoding != "big5" else PAGE_TW
        page = process_page(f"{encoding}.txt", source.encode(encoding))
        assert page.qset is not None
        assert page.encoding in {"gb18030", "big5"}, (encoding, page.encoding)
        assert [q.answer for q in page.qset.questions()] == (["保持冷静，倾听。", "先道歉。"] if source is PAGE
                                                             else ["保持冷靜，傾聽。", "先道歉。"])
        assert [q.score for q in page.qset.questions()] == [5, 5]


def test_utf16_page():
    page = process_page("w.txt", b"\xff\xfe" + PAGE.encode("utf-16-le"))
    assert page.qset is not None and len(page.qset.questions()) == 2


def test_nfkc_and_invisible_characters():
    text = normalise_text("１．什么是ＣＲＭ？\u200b\u00ad（１０分）\x07\r\n")
    assert text == "1.什么是CRM?(10分)\n"


def wrap_in_site(body: str, title: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in body.splitlines())
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{html.escape(title)}.docx-原创力文档</title>
<meta property="og:title" content="{html.escape(title)}.docx">
<script>var config = {{view_token: 'abc', aid: 1, actual_page: 9}};</script>
<style>.webpreview-item {{ color: red }}</style></head>
<body><header><nav><a href="/">首页</a> <a href="/vip">VIP</a> 登录 注册</nav></header>
<div class="menubar"><button>下载</button></div>
<div class="webpreview-item">{paragraphs}</div>
<div class="related-doc-list"><h3>相关文档</h3></div>
<footer>原创力文档 版权所有 400-050-0827</footer></body></html>"""


def test_html_seed_pages_parse_like_their_text(tmp_path):
    for path in sorted(RAW.glob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8")
        txt_set = process_page(path.name, text).qset
        assert txt_set is not None
        page = process_page(path.stem + ".html", wrap_in_site(text, txt_set.title or "题集"))
        assert page.format == "html" and page.qset is not None
        got = page.qset
        assert [len(s.questions) for s in got.sections] == [len(s.questions) for s in txt_set.sections]
        assert [q.answer for q in got.questions()] == [q.answer for q in txt_set.questions()]
        assert got.title == (txt_set.title or "题集")
        dump = got.model_dump_json()
        for chrome in ("view_token", "首页", "相关文档", "版权所有", ".webpreview", ".docx", "原创力文档"):
            assert chrome not in dump


def test_html_keeps_block_structure_and_drops_scripts():
    text = html_text("<html><body><div>1.甲?<br>答案:一</div><script>alert(1)</script><p>2.<b>乙</b>?</p></body></html>")
    assert text.splitlines() == ["1.甲?", "答案:一", "2.乙?"]


def test_gbk_html_declared_in_meta(tmp_path):
    body = wrap_in_site(PAGE, "客服面试题").replace('charset="utf-8"', 'charset="gbk"')
    entry, qset = one_page(tmp_path, "page.html", body.encode("gbk"))
    assert entry["status"] == "published"
    assert qset is not None and qset["source"]["encoding"] == "gb18030"
    assert len(qset["sections"][0]["questions"]) == 2


def test_fast_html_reader_agrees_with_the_reference_on_deep_and_odd_pages():
    pages = ["<div>" * n + "<p>1. 题目</p>" + "</div>" * n for n in (100, 248, 249, 250, 255, 300, 5000)]
    pages += ["<p>a<!DOCTYPE html>b</p>", "<html><head><title>t</title></head></html>", "<p>a<?php x ?>b</p>",
              "<p>a<!--c-->b</p>", "<html><head><meta property='og:title' content=' OG '></head><body>x</body></html>"]
    for markup in pages:
        assert html_text(markup) == html_text_bs4(markup), markup[:60]
    assert "1. 题目" in html_text(pages[-7])  # 5,000 deep: libxml2's tree stops at 255, the text is still read


def test_an_html_paragraph_ends_where_a_text_page_prints_a_blank_line():
    """Each <p> a paragraph: the answer in the paragraph after a question is its own, as on a text page
    that separates them with a blank line; a <br> inside a block is only a line break."""
    from pipeline.read.html import html_text

    markup = "<html><body><p>1.题目一</p><p>答案一</p><div>甲<br>乙</div><p>2.题目二</p></body></html>"
    assert html_text(markup) == "1.题目一\n\n答案一\n\n甲\n乙\n2.题目二"
