"""Property tests: the pipeline never crashes on any text, and never loses the author's text."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clean.normalise import normalise_text
from pipeline.errors import Rejected
from pipeline.grammar import labels
from pipeline.run.steps import process_page

RAW = Path(__file__).resolve().parent.parent / "raw"
SCHEMA = jsonschema.Draft202012Validator(json.loads(
    (RAW.parent / "schemas" / "question_set.schema.json").read_text(encoding="utf-8")))
REAL_LINES = sorted({line.strip() for p in sorted(RAW.glob("*.txt"))
                     for line in p.read_text(encoding="utf-8").splitlines() if line.strip()})
LABELS = ["1.", "2、", "3.", "第一题", "第二题", "题目1(8分)", "(1)", "(2)", "Q:", "☆", "A.", "B.", "C.甲", "D. 乙",
          "答案:", "【答案】B", "解析:", "参考答案", "答案及解析", "评分要点:", "要求:", "一、单选题(共5题,每题2分)",
          "二、简答题(每题10分,共2题)", "第1页共7页", "第PAGE页共NUMPAGES页", "文档评论(0)", "1、本站所有内容均由网友上传",
          "(√)", "(×)", "____", "( )", "1-5 ABCDA", "1.A 2.B 3.C"]
FRAGMENTS = ["<p>", "</div>", "<script>x=1</script>", "&nbsp;", "\x00", "\x07", "\u200b", "\ufeff", "\r", "\t", "１２３",
             "？", "（１）"]
FIELD_WORDS = {w for spec in labels.FIELD_WORDS.values() for group in spec.values() for w in group}

line = st.one_of(st.sampled_from(REAL_LINES), st.sampled_from(LABELS), st.text(max_size=40),
                 st.builds(lambda a, b: a + b, st.sampled_from(LABELS), st.sampled_from(REAL_LINES)))
page_text = st.lists(line, min_size=1, max_size=40).map("\n".join)
noisy_text = st.lists(st.one_of(line, st.sampled_from(FRAGMENTS)), min_size=1, max_size=40).map("".join)

SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(name: str, data: bytes | str):
    try:
        return process_page(name, data)
    except Rejected as rejected:
        assert rejected.code != "internal_error", str(rejected)
        return None


@SETTINGS
@given(page_text)
def test_never_crashes_on_text(text):
    run("page.txt", text)


@SETTINGS
@given(noisy_text)
def test_never_crashes_on_html_and_noise(text):
    run("page.html", text)
    run("page.txt", text.encode("utf-8", "surrogatepass") if "\ud800" not in text else b"")


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["gbk", "big5", "utf-16", "latin-1"]))
def test_never_crashes_on_bytes(data, encoding):
    run("page.txt", data)
    run("page.html", data.decode("latin-1").encode(encoding, "ignore"))


def strip_label(line: str) -> str:
    """Labels are structure (kept as label/number fields), not running text: compare what follows them."""
    label = labels.question_label(line)
    if label:
        return label.printed + "\n" + label.rest
    found = labels.field_label(line)
    return found[1] if found else line


def chars(text: str) -> Counter[str]:
    """CJK characters and digits of the text outside labels, counted."""
    text = "\n".join(strip_label(x.strip()) for x in text.splitlines())
    return Counter(re.findall(r"[\u4e00-\u9fff0-9]", text))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@SETTINGS
@given(page_text)
def test_no_author_text_is_lost(text):
    """Every character of the page is in the set or in the record of what was removed (and why)."""
    page = run("page.txt", text)
    if page is None:
        return
    assert page.qset is not None
    published = page.qset.model_dump(mode="json")
    SCHEMA.validate(published)  # every published set validates against schemas/question_set.schema.json
    kept = chars(json.dumps(published, ensure_ascii=False))
    removed = chars("\n".join(t for _, t in page.removed))
    source = chars(normalise_text(text))
    field_words = chars("\n".join(FIELD_WORDS))
    missing = {c: n for c, n in source.items() if n > kept[c] + removed[c] + field_words[c] * n}
    assert not missing, missing


TAGS = ["p", "div", "span", "b", "br", "li", "ul", "td", "tr", "table", "h2", "script", "style", "nav", "footer",
        "head", "title", "body", "html", "svg", "template", "form", "pre", "a", "i", "center"]
markup_piece = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"), st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(["<!--c-->", "<!DOCTYPE html>", "<?php x ?>", "<![CDATA[d]]>", "&amp;", "&nbsp;", "&#x4e00;",
                     "<meta property='og:title' content='OG'>", "<p class='a' id=b>", "<br/>", "\n", " ", "\x00"]),
    st.sampled_from(REAL_LINES), st.text(max_size=12))


@SETTINGS
@given(st.lists(markup_piece, max_size=60).map("".join))
def test_fast_html_reader_equals_the_beautifulsoup_reference(markup):
    from pipeline.read.html import html_text, html_text_bs4

    assert html_text(markup) == html_text_bs4(markup)


# --- line breaks carry no meaning the parser needs ------------------------------------------------
STEM_CHARS = "下列关于教学原则的说法正确是哪项学生教师课堂评价方法内容目标能力培养管理组织"
OPTION_CHARS = "因材施教循序渐进启发性量力巩固直观理论联系实际"
stem_text = st.text(alphabet=STEM_CHARS, min_size=6, max_size=24)
option_text = st.text(alphabet=OPTION_CHARS, min_size=2, max_size=8)


@st.composite
def choice_questions(draw):
    """A numbered choice question: stem, options A…, key and (sometimes) an analysis."""
    n_options = draw(st.integers(min_value=2, max_value=5))
    return {
        "prefix": draw(st.sampled_from(["", "(单项选择)", "【单选】"])),
        "stem": draw(stem_text) + draw(st.sampled_from(["是", "的是( )", "?", "是哪一项?", "为2025年"])),
        "options": [draw(option_text) for _ in range(n_options)],
        "delimiter": draw(st.sampled_from([".", "、", "．"])),
        "key": draw(st.sampled_from("ABCDE"[:n_options])),
        "key_label": draw(st.sampled_from(["答案:", "正确答案:", "【答案】", "参考答案:", "正确答案是:"])),
        "analysis": draw(st.one_of(st.none(), stem_text.map(lambda t: t + "。"))),
        "analysis_label": draw(st.sampled_from(["解析:", "【解析】", "答案解析:"])),
    }


def page_lines(title: str, heading: str, items: list[dict]) -> list[str]:
    lines = [title, heading]
    for i, q in enumerate(items, 1):
        lines.append(f"{i}.{q['prefix']}{q['stem']}")
        lines += [f"{chr(65 + k)}{q['delimiter']}{text}" for k, text in enumerate(q["options"])]
        lines.append(f"{q['key_label']}{q['key']}")
        if q["analysis"]:
            lines.append(f"{q['analysis_label']}{q['analysis']}")
    return lines


def records(text: str) -> list[tuple]:
    page = run("page.txt", text)
    assert page is not None and page.qset is not None
    return [(q.number, squash(q.stem), [(o.label, squash(o.text)) for o in q.options], q.answer,
             squash(q.analysis or "")) for q in page.qset.questions()]


@SETTINGS
@given(st.lists(choice_questions(), min_size=1, max_size=6), st.sampled_from(["\n", "", " ", "\n\n"]))
def test_run_on_page_gives_the_same_records_as_the_page_with_line_breaks(items, joiner):
    """Crawled text layers lose line breaks: '…是A.因材施教B.循序渐进答案:B解析:…2.…' must parse as
    the page with one line per label does, and both as the questions that were written."""
    lines = page_lines("2026教师资格证考试题及答案", "一、单项选择题(每题2分)", items)
    expected = [(str(i), squash(q["prefix"] + q["stem"]), [(chr(65 + k), squash(t)) for k, t in enumerate(q["options"])],
                 q["key"], squash(q["analysis"] or "")) for i, q in enumerate(items, 1)]
    assert records("\n".join(lines)) == expected
    assert records(lines[0] + "\n" + joiner.join(lines[1:])) == expected
