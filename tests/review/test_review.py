"""The review page in a real browser (Debian's chromium, driven by Playwright): sets with findings
first, a set's raw page beside its questions with removed lines marked, an edit and an approval
stored as corrections, the edited answer-key edition downloaded, then re-ingest → JSON and DOCX."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RAW, ROOT
from test_review_security import start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
SET_001 = "fee1a1198aaca002"  # seed 001: behaviour questions with answers from an answer part
EDITED = "先倾听并复述客户的诉求，再给出两个可选方案。"


def ingest(raw: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--quiet",
                           "--no-bank"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def site(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    ingest(raw, out)
    server, thread, base = start_server(out, raw)
    yield base, raw, out
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


def test_edit_approve_download_then_reingest(site, browser, tmp_path):
    from docx import Document

    url, raw, out = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    page.goto(url + "/")
    rows = page.locator("table tr")
    assert rows.count() == 1 + 5
    assert "节选" in rows.nth(1).locator("td").nth(3).inner_text()  # sets to review, with findings, come first
    page.screenshot(path=str(tmp_path / "index.png"))

    page.click(f"a[href='/set/{SET_001}']")
    assert page.locator(".removed").count() > 0  # chrome lines of the raw page, marked with their rule
    assert page.locator(".removed").first.get_attribute("title")
    first = page.locator("div.q").first
    question_id = first.get_attribute("id")[2:]
    first.locator("textarea[name$='.answer']").fill(EDITED)
    page.locator("button.save").first.click()
    page.wait_for_load_state()
    assert "已保存" in page.inner_text("#saved")
    assert "已修改：answer" in page.locator(f"#q-{question_id}").inner_text()
    page.click("#approve")
    page.wait_for_load_state()
    assert "已批准" in page.inner_text("#approval")
    page.screenshot(path=str(tmp_path / "set.png"), full_page=False)

    stored = json.loads((out / "corrections" / f"{SET_001}.json").read_text(encoding="utf-8"))
    assert stored["approved"] and stored["questions"][question_id]["answer"] == EDITED
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stored["approved_at"])

    with page.expect_download() as download:
        page.click("text=答案版")
    key = download.value.path()
    assert EDITED in "\n".join(p.text for p in Document(key).paragraphs)

    ingest(raw, out)  # the next ingest applies the stored correction, and says which fields an editor set
    qset = json.loads((out / "json" / f"{SET_001}.json").read_text(encoding="utf-8"))
    question = next(q for s in qset["sections"] for q in s["questions"] if q["id"] == question_id)
    assert question["answer"] == EDITED and question["edited"] == ["answer"] and qset["approved"]
    assert qset["approved_at"] == stored["approved_at"]
    edition = (out / "docx" / f"{SET_001}.answers.docx").read_bytes()
    assert EDITED in "\n".join(p.text for p in Document(io.BytesIO(edition)).paragraphs)


def test_one_save_keeps_every_edit_and_a_bad_value_loses_none(site, browser):
    """Answers typed into two questions are saved together; a score that is no number is refused beside
    its field, with everything typed still in the page and nothing stored, until it is fixed."""
    url, _, out = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{url}/set/{SET_001}")
    first, second = page.locator("div.q").nth(0), page.locator("div.q").nth(1)
    ids = [first.get_attribute("id")[2:], second.get_attribute("id")[2:]]
    first.locator("textarea[name$='.answer']").fill("第一题的新答案")
    second.locator("textarea[name$='.answer']").fill("第二题的新答案")
    second.locator("input[name$='.score']").fill("abc")
    page.locator("button.save").first.click()
    page.wait_for_load_state()
    assert "尚未保存" in page.inner_text("#not-saved")
    assert "分值须是数字" in page.inner_text(f"[id='error-{ids[1]}.score']")
    assert first.locator("textarea[name$='.answer']").input_value() == "第一题的新答案"
    assert second.locator("input[name$='.score']").input_value() == "abc"
    assert not (out / "corrections" / f"{SET_001}.json").exists()
    second.locator("input[name$='.score']").fill("12")
    page.locator("button.save").first.click()
    page.wait_for_load_state()
    stored = json.loads((out / "corrections" / f"{SET_001}.json").read_text(encoding="utf-8"))["questions"]
    assert stored[ids[0]] == {"answer": "第一题的新答案"}
    assert stored[ids[1]] == {"answer": "第二题的新答案", "score": 12.0}


def test_english_by_the_browser_or_the_switch_and_chinese_by_default(site, browser):
    url, _, _ = site
    chinese = browser.new_page(locale="zh-CN")
    chinese.goto(url + "/")
    assert "题集审阅" in chinese.inner_text("h1") and "待审原因" in chinese.inner_text("table")
    chinese.click("#language")  # the switch: English from now on, in this browser
    assert "Question-set review" in chinese.inner_text("h1")
    chinese.goto(url + "/")
    assert "why review" in chinese.inner_text("table")
    english = browser.new_page(locale="en-GB")
    english.goto(f"{url}/set/{SET_001}")
    assert "Save all changes" in english.inner_text("body") and "Raw page" in english.inner_text("body")


def test_the_index_searches_and_filters(site, browser):
    url, _, _ = site
    page = browser.new_page(locale="zh-CN")
    page.goto(url + "/")
    rows = page.locator("table tr")
    assert "001_e6371b6f30c79e48.txt" in rows.nth(1).inner_text()  # the source file is shown
    page.fill("input[name=q]", "e6371b6f")
    page.click("#filter")
    assert page.locator("table tr").count() == 2 and SET_001 in page.inner_text("table")
    page.goto(url + "/?state=review")
    assert page.locator("table tr").count() - 1 == page.locator("tr.review").count() >= 1
    page.goto(url + "/?finding=cut_preview")
    assert all("节选" in page.locator("table tr").nth(k).locator("td").nth(3).inner_text()
               for k in range(1, page.locator("table tr").count()))
    page.goto(url + "/?min=0.99")
    assert all(float(page.locator("table tr").nth(k).locator("td").nth(4).inner_text()) >= 0.99
               for k in range(1, page.locator("table tr").count()))
    page.goto(url + "/?q=没有这样的题集")
    assert "没有符合条件的题集" in page.inner_text("body")


def test_approval_can_be_withdrawn_and_records_who(tmp_path, browser):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    ingest(raw, out)
    server, thread, url = start_server(out, raw, editor="王老师")
    try:
        page = browser.new_page(locale="zh-CN")
        page.goto(f"{url}/set/{SET_001}")
        page.click("#approve")
        page.wait_for_load_state()
        assert "批准人 王老师" in page.inner_text("#approval")
        page.click("#unapprove")
        page.wait_for_load_state()
        assert page.locator("#approve").count() == 1
        stored = json.loads((out / "corrections" / f"{SET_001}.json").read_text(encoding="utf-8"))
        assert not stored.get("approved") and "approved_by" not in stored
    finally:
        server.should_exit = True
        thread.join(timeout=10)


ANSWERED = "".join(f"{n}.第{n}题的内容是什么?\n答案:第{n}个答案\n" for n in range(1, 5))
DOUBTFUL = "复习题\n一、简答题\n" + ANSWERED + "5.客户情绪激动时如何安抚?\n6.第6题的内容是什么?\n答案:第6个答案\n"


def test_the_page_opens_on_the_review_queue_and_a_doubtful_question_shows_its_raw_lines(tmp_path, browser):
    """Flagged sets first, most doubtful first, each with its reasons; in a set, the question that
    caused the flag is marked, and a click takes the editor to its raw lines, marked too."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    (raw / "doubtful.txt").write_text(DOUBTFUL, encoding="utf-8")
    ingest(raw, out)
    server, thread, url = start_server(out, raw)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(url + "/")
        rows = page.locator("table tr")
        flagged = page.locator("tr.review")
        assert flagged.count() >= 2 and rows.nth(1).get_attribute("class") == "review"
        confidences = [float(flagged.nth(k).locator("td").nth(4).inner_text()) for k in range(flagged.count())]
        assert confidences == sorted(confidences)  # most doubtful first
        assert rows.nth(flagged.count() + 1).get_attribute("class") is None  # then the sets not flagged
        doubtful = next(k for k in range(flagged.count()) if "缺答案：5 (1/6)" in flagged.nth(k).inner_text())
        flagged.nth(doubtful).locator("a").click()
        page.wait_for_load_state()
        assert "缺答案：5 (1/6)" in page.inner_text("#review")
        marked = page.locator("div.q.doubt")
        assert marked.count() == 1
        assert "客户情绪激动时如何安抚" in marked.locator("textarea[name$='.stem']").input_value()
        raw_column = page.locator(".cols > div").first  # the columns scroll on their own
        assert raw_column.evaluate("e => getComputedStyle(e).overflowY") == "auto"
        marked.locator("a.to-raw").click()
        target = page.locator("pre span:target")
        assert "客户情绪激动时如何安抚" in target.inner_text() and "doubt" in target.get_attribute("class")
        assert page.locator("pre span.doubt").count() == 1  # question 5's line; its neighbours are not marked
        page.screenshot(path=str(tmp_path / "queue.png"))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_correction_whose_question_is_gone_is_never_applied_elsewhere(tmp_path):
    """The raw page changed: its question ids changed with it, and the run says which correction
    no longer applies instead of putting it on another question."""
    from pipeline.review.corrections import QuestionCorrection, SetCorrection, save
    from pipeline.store.storage import LocalStorage

    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    ingest(raw, out)
    qset = json.loads((out / "json" / f"{SET_001}.json").read_text(encoding="utf-8"))
    ids = [q["id"] for s in qset["sections"] for q in s["questions"]]
    save(LocalStorage(str(out)), SetCorrection(set_id=SET_001, questions={
        ids[0]: QuestionCorrection(score=99), "0000000000000000": QuestionCorrection(answer="x")}))
    ingest(raw, out)
    again = json.loads((out / "json" / f"{SET_001}.json").read_text(encoding="utf-8"))
    questions = [q for s in again["sections"] for q in s["questions"]]
    assert questions[0]["score"] == 99 and questions[0]["edited"] == ["score"]
    assert all(q["answer"] != "x" for q in questions)
    assert any("question 0000000000000000" in w and "not applied" in w for w in again["warnings"])
    page = raw / "001_e6371b6f30c79e48.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n补充一行\n", encoding="utf-8")  # a new set id
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--quiet",
                           "--no-bank"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and f"corrections of set {SET_001} apply to no page now" in proc.stderr
    assert (out / "corrections" / f"{SET_001}.json").exists()  # kept for the editor, never deleted by a run


CHOICE_PAGE = """服务礼仪练习
一、单项选择题
1.客户投诉时首先应该做什么？
A.争辩 B.倾听 C.挂断 D.转接
答案:B
2.下列哪项属于服务礼仪？
A.微笑 B.冷漠 C.打断 D.催促
答案:A
二、简答题
3.什么是服务补救？
4.请举例说明。
"""


def one_set_page(tmp_path: Path, text: str):
    """One raw page ingested, and a client of the review page over it: (raw, out, the set's JSON path,
    the set, the client)."""
    from fastapi.testclient import TestClient

    from pipeline.review.app import create_app

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "page.txt").write_text(text, encoding="utf-8")
    ingest(raw, out)
    (path,) = (out / "json").iterdir()
    qset = json.loads(path.read_text(encoding="utf-8"))
    return raw, out, path, qset, TestClient(create_app(str(out), str(raw)), base_url="http://127.0.0.1")


def test_an_option_edit_and_a_merge_through_the_page_survive_reingest(tmp_path):
    raw, out, path, qset, client = one_set_page(tmp_path, CHOICE_PAGE)
    first, _, third, fourth = [q for s in qset["sections"] for q in s["questions"]]
    page = client.get(f"/set/{qset['id']}")
    assert page.status_code == 200 and "A. 争辩" in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    shown = "A. 争辩\nB. 倾听\nC. 挂断\nD. 转接"
    unlabelled = client.post(f"/set/{qset['id']}/save", data={
        "csrf": token, f"{first['id']}.options": "A. 争辩\n耐心倾听", f"{first['id']}.options.was": shown})
    assert unlabelled.status_code == 422 and "第 2 行没有选项字母" in unlabelled.text  # refused, not stored empty
    assert not (out / "corrections").exists()
    saved = client.post(f"/set/{qset['id']}/save", data={
        "csrf": token, f"{first['id']}.options": "A. 争辩\nB. 耐心倾听\nC. 挂断\nD. 转接",
        f"{first['id']}.options.was": shown, f"{fourth['id']}.merge": "1"})
    assert saved.status_code == 200 and "已保存" in saved.text
    ingest(raw, out)
    again = json.loads(path.read_text(encoding="utf-8"))
    questions = [q for s in again["sections"] for q in s["questions"]]
    assert len(questions) == 3 and questions[0]["edited"] == ["options"]
    assert questions[0]["options"][1] == {"label": "B", "text": "耐心倾听"}
    assert questions[2]["stem"] == f"{third['stem']}\n{fourth['stem']}" and questions[2]["edited"] == ["stem"]


def test_findings_are_read_again_from_the_corrected_set(tmp_path):
    """An editor gives question 5 its missing answer: the page at once, and the JSON after the next
    ingest, no longer say it is missing, and the set leaves the review queue."""
    raw, out, path, qset, client = one_set_page(tmp_path, DOUBTFUL)
    assert qset["needs_review"] and any(w.startswith("missing_answer") for w in qset["warnings"])
    fifth = next(q for s in qset["sections"] for q in s["questions"] if q["number"] == "5")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get(f"/set/{qset['id']}").text).group(1)
    page = client.post(f"/set/{qset['id']}/save", data={"csrf": token, f"{fifth['id']}.answer": "先倾听再安抚",
                                                        f"{fifth['id']}.answer.was": ""})
    assert 'id="review"' not in page.text and "缺答案" not in page.text
    ingest(raw, out)
    again = json.loads(path.read_text(encoding="utf-8"))
    assert not again["needs_review"] and not any(w.startswith("missing_answer") for w in again["warnings"])


def test_a_set_read_from_a_word_file_shows_the_page_as_the_pipeline_read_it(tmp_path):
    """A Word file's bytes are a zip: the review page shows its paragraphs as the pipeline read them
    (it once answered 500 decoding the zip as text), with what cleaning removed marked."""
    import io

    from docx import Document
    from fastapi.testclient import TestClient

    from pipeline.review.app import create_app

    doc = Document()
    for line in ("中小学教育网（ www.g12e.com ）整理！", "2012年普通高等学校招生全国统一考试", "一、选择题",
                 "1.下列词语中加点的字读音全都正确的一项是", "A.甲 B.乙 C.丙 D.丁"):
        doc.add_paragraph(line)
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    data = io.BytesIO()
    doc.save(data)
    (raw / "paper.docx").write_bytes(data.getvalue())
    ingest(raw, out)
    (path,) = (out / "json").iterdir()
    qset = json.loads(path.read_text(encoding="utf-8"))
    page = TestClient(create_app(str(out), str(raw)), base_url="http://127.0.0.1").get(f"/set/{qset['id']}")
    assert page.status_code == 200 and "下列词语中加点的字读音全都正确的一项是" in page.text
    assert re.search(r'class="removed"\s+title="[^"]+">中小学教育网（ www.g12e.com ）整理！', page.text)
    assert qset["title"] == "2012年普通高等学校招生全国统一考试" and not qset["truncated"]


PASSAGE_PAGE = """二、（9分，每小题3分）
阅读下面的文字，完成5～7题。
扬子津原来是个近江面的较低洼处。
可是它与南岸从润州入江的运河渡口并不正好相对。
5．下列关于本文第一段内容的表述，不符合原文意思的一项是
A．甲 B．乙 C．丙 D．丁
6．下列理解，不符合原文意思的一项是
A．甲 B．乙 C．丙 D．丁
7．根据原文内容，下列推断不正确的一项是
A．甲 B．乙 C．丙 D．丁
"""


def test_a_passage_is_corrected_once_for_its_questions_and_a_dropped_question_leaves_it(tmp_path):
    """A passage is edited where it stands, before the first question it serves, in the same one save;
    after the next ingest the passage carries the editor's text (`edited: ["text"]`) and serves the
    questions still in the set: a dropped one no longer."""
    raw, out, path, qset, client = one_set_page(tmp_path, PASSAGE_PAGE)
    (passage,) = qset["passages"]
    five, six, seven = [q for s in qset["sections"] for q in s["questions"]]
    assert passage["questions"] == [five["id"], six["id"], seven["id"]]
    page = client.get(f"/set/{qset['id']}")
    assert page.status_code == 200 and f'name="{passage["id"]}.passage"' in page.text
    assert page.text.index(f'id="p-{passage["id"]}"') < page.text.index(f'id="q-{five["id"]}"')
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    fixed = passage["text"].replace("较低洼处", "较低洼之处")
    saved = client.post(f"/set/{qset['id']}/save", data={
        "csrf": token, f"{passage['id']}.passage": fixed, f"{passage['id']}.passage.was": passage["text"],
        f"{seven['id']}.drop": "1"})
    assert saved.status_code == 200 and "已保存" in saved.text and "较低洼之处" in saved.text
    ingest(raw, out)
    again = json.loads(path.read_text(encoding="utf-8"))
    (edited,) = again["passages"]
    assert (edited["text"], edited["edited"], edited["questions"]) == (fixed, ["text"], [five["id"], six["id"]])


def test_the_review_page_shows_every_given_paper(tmp_path):
    """The five whole papers of ../shared/papers, with the README's own command's layout: each set's
    page answers (the raw column is the paper as the pipeline read it) and the list shows each paper's
    title, never （无标题）, a watermark or 绝密★启用前, and no complete paper as a cut preview."""
    from fastapi.testclient import TestClient

    from pipeline.review.app import create_app

    papers = ROOT.parent / "shared" / "papers" / "raw"
    if not papers.is_dir():
        pytest.skip(f"the papers are not at {papers}")
    raw, out = tmp_path / "raw", tmp_path / "clean"
    shutil.copytree(papers, raw)
    ingest(raw, out)
    client = TestClient(create_app(str(out), str(raw)), base_url="http://127.0.0.1")
    index = client.get("/")
    sets = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "json").iterdir()]
    assert len(sets) == len(list(papers.glob("*.docx"))) == 5
    for qset in sets:
        assert qset["title"] and qset["title"] in index.text and not qset["truncated"]
        assert not any(mark in qset["title"] for mark in ("绝密", "www.", "整理"))
        page = client.get(f"/set/{qset['id']}")
        first = qset["sections"][0]["questions"][0]["stem"][:12]
        assert page.status_code == 200 and first in page.text, qset["source"]["path"]
    assert "（无标题）" not in index.text
