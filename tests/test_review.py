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
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(url + "/")
    rows = page.locator("table tr")
    assert rows.count() == 1 + 5
    first_findings = rows.nth(1).locator("td").nth(3).inner_text()
    assert "cut preview" in first_findings  # sets with findings come first
    assert rows.nth(5).locator("td").nth(3).inner_text().strip() == "" or "without answers" in \
        rows.nth(5).locator("td").nth(3).inner_text()
    page.screenshot(path=str(tmp_path / "index.png"))

    page.click(f"a[href='/set/{SET_001}']")
    assert page.locator(".removed").count() > 0  # chrome lines of the raw page, marked with their rule
    assert page.locator(".removed").first.get_attribute("title")
    form = page.locator("form.q").first
    question_id = form.get_attribute("id")[2:]
    form.locator("textarea[name=answer]").fill(EDITED)
    form.locator("button").click()
    page.wait_for_load_state()
    assert "edited: answer" in page.locator(f"#q-{question_id}").inner_text()
    page.click("#approve")
    page.wait_for_load_state()
    assert "approved" in page.inner_text("body")
    page.screenshot(path=str(tmp_path / "set.png"), full_page=False)

    stored = json.loads((out / "corrections" / f"{SET_001}.json").read_text(encoding="utf-8"))
    assert stored["approved"] and stored["questions"][question_id]["answer"] == EDITED

    with page.expect_download() as download:
        page.click("text=answer key")
    key = download.value.path()
    assert EDITED in "\n".join(p.text for p in Document(key).paragraphs)

    ingest(raw, out)  # the next ingest applies the stored correction, and says which fields an editor set
    qset = json.loads((out / "json" / f"{SET_001}.json").read_text(encoding="utf-8"))
    question = next(q for s in qset["sections"] for q in s["questions"] if q["id"] == question_id)
    assert question["answer"] == EDITED and question["edited"] == ["answer"] and qset["approved"]
    edition = (out / "docx" / f"{SET_001}.answers.docx").read_bytes()
    assert EDITED in "\n".join(p.text for p in Document(io.BytesIO(edition)).paragraphs)


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
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/")
        rows = page.locator("table tr")
        flagged = page.locator("tr.review")
        assert flagged.count() >= 2 and rows.nth(1).get_attribute("class") == "review"
        confidences = [float(flagged.nth(k).locator("td").nth(4).inner_text()) for k in range(flagged.count())]
        assert confidences == sorted(confidences)  # most doubtful first
        assert rows.nth(flagged.count() + 1).get_attribute("class") is None  # then the sets not flagged
        doubtful = next(k for k in range(flagged.count()) if "answers_missing: 5" in flagged.nth(k).inner_text())
        flagged.nth(doubtful).locator("a").click()
        page.wait_for_load_state()
        assert "answers_missing: 5 (1 of 6)" in page.inner_text("#review")
        marked = page.locator("form.q.doubt")
        assert marked.count() == 1 and "客户情绪激动时如何安抚" in marked.locator("textarea[name=stem]").input_value()
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
    from pipeline.corrections import QuestionCorrection, SetCorrection, save
    from pipeline.storage import LocalStorage

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


def test_an_option_edit_and_a_merge_through_the_page_survive_reingest(tmp_path):
    from fastapi.testclient import TestClient

    from pipeline.review import create_app

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "choice.txt").write_text(CHOICE_PAGE, encoding="utf-8")
    ingest(raw, out)
    (path,) = (out / "json").iterdir()
    qset = json.loads(path.read_text(encoding="utf-8"))
    first, _, third, fourth = [q for s in qset["sections"] for q in s["questions"]]
    client = TestClient(create_app(str(out), str(raw)), base_url="http://127.0.0.1")
    page = client.get(f"/set/{qset['id']}")
    assert page.status_code == 200 and "A. 争辩" in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    options = "A. 争辩\nB. 耐心倾听\nC. 挂断\nD. 转接"
    assert client.post(f"/set/{qset['id']}/question/{first['id']}", data={
        "csrf": token, "options": options, "stem": first["stem"], "answer": first["answer"], "analysis": "",
        "score": ""}).status_code == 200
    assert client.post(f"/set/{qset['id']}/question/{fourth['id']}", data={
        "csrf": token, "merge": "1", "stem": fourth["stem"], "answer": "", "analysis": "", "score": ""}).status_code == 200
    ingest(raw, out)
    again = json.loads(path.read_text(encoding="utf-8"))
    questions = [q for s in again["sections"] for q in s["questions"]]
    assert len(questions) == 3 and questions[0]["edited"] == ["options"]
    assert questions[0]["options"][1] == {"label": "B", "text": "耐心倾听"}
    assert questions[2]["stem"] == f"{third['stem']}\n{fourth['stem']}" and questions[2]["edited"] == ["stem"]
