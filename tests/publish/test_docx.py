"""Printable DOCX editions, DOCX as input, and the round trip between them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.models import Option, Question, QuestionSet, Section, Source
from pipeline.publish.docx import CUT_MARK, FILL_BLANK_LINE, Exam, _marked, compose, exam_of, is_cut, render, render_set
from pipeline.run.steps import process_page

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def seed_sets(seed_run) -> dict[str, QuestionSet]:
    return {name: QuestionSet.model_validate(data) for name, data in seed_run[1].items()}


def xml_of(data: bytes, part: str = "word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")


def test_both_editions_are_published_for_every_set(seed_run):
    out, sets = seed_run
    for qset in sets.values():
        assert (out / "docx" / f"{qset['id']}.docx").is_file()
        assert (out / "docx" / f"{qset['id']}.answers.docx").is_file()


def test_east_asian_fonts_on_defaults_and_styles(seed_run):
    student, _ = render_set(next(iter(seed_sets(seed_run).values())))
    styles = xml_of(student, "word/styles.xml")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="SimSun"' in defaults and 'w:eastAsia="zh-CN"' in defaults
    doc = Document(io.BytesIO(student))
    for name, face in (("Normal", "SimSun"), ("Heading 1", "SimHei"), ("Title", "SimHei")):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == face
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None


def test_footer_has_real_page_fields_and_a4(seed_run):
    student, key = render_set(next(iter(seed_sets(seed_run).values())))
    for data in (student, key):
        footer = xml_of(data, "word/footer1.xml")
        assert footer.count('w:fldCharType="begin"') == 2
        assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in footer
        assert "<w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText>" in footer
        section = Document(io.BytesIO(data)).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "numPr" not in xml_of(student)  # literal labels, never Word auto-numbering


def test_student_and_answer_key_editions(seed_run):
    qset = seed_sets(seed_run)["001_e6371b6f30c79e48.txt"]
    student, key = render_set(qset)
    student_text = "\n".join(p.text for p in Document(io.BytesIO(student)).paragraphs)
    key_text = "\n".join(p.text for p in Document(io.BytesIO(key)).paragraphs)
    assert "姓名：" in student_text and "【答案】" not in student_text
    assert "一、行为面试题（共4题，每题10分，共40分）" in student_text
    assert "1.请分享一次你作为客服经理处理客户极端投诉的经历" in student_text and "（10分）" in student_text
    assert "【答案】一次,某客户因订单长时间未到" in key_text and "【解析】" in key_text
    # the preview stops in 三-1's analysis: the four questions after it lost their answers to the cut, and
    # the key says so (never invented, and not "the original gave none")
    assert key_text.count("※ 原文预览至此截断，未见答案") == 4 and "原文未提供答案" not in key_text
    assert CUT_MARK in key_text


def test_output_bytes_are_deterministic(seed_run):
    qset = next(iter(seed_sets(seed_run).values()))
    assert render_set(qset) == render_set(qset)


def test_bad_data_never_breaks_a_document():
    source = Source(path="x.txt", sha256="0" * 64)
    q = Question(id="q", number="1", stem="控制字符\x00\x07\x1b 和 \ufffe" + "很长的题干" * 2000, answer=None,
                 options=[Option(label="A", text="甲\x0b")])
    qset = QuestionSet(id="s", title="标题\x01", truncated=False, source=source,
                       sections=[Section(heading="一、空的部分"), Section(heading="二、单选题", questions=[q])])
    student, key = render_set(qset)
    text = "\n".join(p.text for p in Document(io.BytesIO(student)).paragraphs)
    assert "（本部分没有题目）" in text and "控制字符" in text
    assert Document(io.BytesIO(key))


def test_compose_selects_shuffles_renumbers_and_recomputes(seed_run):
    sets = seed_sets(seed_run)
    chosen = [sets["000_582ef3be546073bd.txt"], sets["001_e6371b6f30c79e48.txt"]]
    exam = compose(chosen, title="组卷", sections=["二"], shuffle_seed=4)
    assert [len(s.questions) for s in exam.sections] == [10, 2]
    assert [q.number for q in exam.sections[0].questions] == [str(i) for i in range(1, 11)]
    assert (exam.sections[0].score_total, exam.sections[1].score_total) == (70, 30)
    assert [s.ordinal for s in exam.sections] == ["一", "二"]
    again = compose(chosen, title="组卷", sections=["二"], shuffle_seed=4)
    assert [q.id for q in again.sections[0].questions] == [q.id for q in exam.sections[0].questions]
    other = compose(chosen, title="组卷", sections=["二"], shuffle_seed=5)
    assert [q.id for q in other.sections[0].questions] != [q.id for q in exam.sections[0].questions]


def test_docx_command(seed_run, tmp_path):
    out, sets = seed_run
    paths = [str(out / "json" / f"{s['id']}.json") for s in sets.values()]
    target = tmp_path / "exam.docx"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "docx", *paths, "--out", str(target), "--answers",
                           "--shuffle", "--seed", "2", "--title", "期末考试"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    doc = Document(str(target))
    assert doc.paragraphs[0].text.startswith("期末考试")


def test_round_trip_render_read_parse(seed_run):
    """Each seed's set → answer-key DOCX → read back as a raw page → the same questions."""
    for name, qset in seed_sets(seed_run).items():
        _, key = render_set(qset)
        page = process_page(name.replace(".txt", ".docx"), key)
        assert page.qset is not None, name
        got = page.qset.questions()
        want = [q for q in qset.questions() if not is_cut(qset, q)]  # what the edition prints
        assert [q.stem for q in got] == [q.stem for q in want], name
        assert [[(o.label, o.text) for o in q.options] for q in got] == [[(o.label, o.text) for o in q.options]
                                                                         for q in want], name
        assert [q.answer for q in got] == [_marked(qset, q).answer for q in want], name
        assert [q.score for q in got] == [q.score for q in want], name
        assert "PAGE" not in page.qset.model_dump_json()  # our footer fields come back as results, then go


def test_docx_input_reads_fields_tables_and_word_numbering(tmp_path):
    doc = Document()
    doc.add_paragraph("客服面试题")
    doc.add_paragraph("请说明A的作用?", style="List Number")
    doc.add_paragraph("答案:甲")
    doc.add_paragraph("请说明B的作用?", style="List Number")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "答案:乙"
    footer = doc.sections[0].footer.paragraphs[0]
    footer.add_run("第")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("result", "1"), ("end", None)):
        if kind == "result":
            footer.add_run(text)
            continue
        element = OxmlElement("w:instrText" if kind == "instr" else "w:fldChar")
        if kind == "instr":
            element.text = text
        else:
            element.set(qn("w:fldCharType"), kind)
        footer.add_run()._r.append(element)
    footer.add_run("页")
    buffer = io.BytesIO()
    doc.save(buffer)
    page = process_page("page.docx", buffer.getvalue())
    assert page.format == "docx" and page.qset is not None
    qs = page.qset.questions()
    assert [q.number for q in qs] == ["1", "2"]  # Word's generated numbers, not in the text layer
    assert [q.answer for q in qs] == ["甲", "乙"]
    assert "PAGE" not in page.text and "第1页" in page.text


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed (.ci/run installs it)")
def test_editions_open_in_libreoffice_with_every_stem(seed_run, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    sets = seed_sets(seed_run)
    sources = []
    for name, qset in sets.items():
        for edition, data in zip(("student", "key"), render_set(qset), strict=True):
            src = tmp_path / f"{name[:3]}.{edition}.docx"
            src.write_bytes(data)
            sources.append((name, src))
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *(str(s) for _, s in sources)],
                   check=True, capture_output=True, timeout=300, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    for name, src in sources:
        pdf = src.with_suffix(".pdf")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        flat = re.sub(r"\s+", "", text)
        assert "第1页共" in flat  # the footer's fields were laid out
        for q in sets[name].questions():
            stem = re.sub(r"\s+", "", q.stem)[:12]
            assert (stem in flat) != is_cut(sets[name], q), (src.name, q.stem[:20])  # a cut stem is never printed
        assert ("节选" in flat) == sets[name].truncated


def test_an_empty_exam_is_a_valid_document():
    data = render(Exam(title="空试卷", sections=[]))
    assert Document(io.BytesIO(data)).paragraphs[0].text == "空试卷"


def test_a_cut_preview_prints_only_its_complete_questions_and_says_so(seed_run):
    """Seed 000 stops inside its last stem (分析社交媒体在国际): that question, and the heading that
    only it was under, are not printed; the title says the exam is an excerpt; headings state what
    is printed, not what the page declared."""
    sets = seed_sets(seed_run)
    cut = sets["000_582ef3be546073bd.txt"]
    student, key = render_set(cut)
    for data in (student, key):
        text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        assert "分析社交媒体在国际" not in text
        assert re.search(r"（节选：原文共\d+题，本卷印出20题）", text)
        for section in exam_of(cut).sections:
            assert f"共{len(section.questions)}题" in text
    exam = exam_of(cut)
    assert sum(len(s.questions) for s in exam.sections) == len(cut.questions()) - 1
    answer_cut = sets["002_d6a70402e76c7f1e.txt"]  # stops inside its last answer: printed, marked in the key
    key_text = "\n".join(p.text for p in Document(io.BytesIO(render_set(answer_cut)[1])).paragraphs)
    assert key_text.rstrip().endswith(CUT_MARK) or CUT_MARK in key_text


def test_compose_leaves_cut_questions_out_and_merges_sections_of_one_kind(seed_run):
    sets = seed_sets(seed_run)
    cut, other = sets["000_582ef3be546073bd.txt"], sets["001_e6371b6f30c79e48.txt"]
    stems = [q.stem for s in compose([cut]).sections for q in s.questions]
    assert not any(x.strip()[-9:] == "分析社交媒体在国际" for x in stems) and len(stems) == len(cut.questions()) - 1
    assert len([q for s in compose([cut], include_cut=True).sections for q in s.questions]) == len(cut.questions())
    both = compose([cut, other])
    names = [s.name or s.heading for s in both.sections]
    assert len(names) == len(set(names))  # 行为面试题 of both sets is one section, not 二 and 四
    merged = next(s for s in both.sections if s.name == "行为面试题")
    expected = sum(len(s.questions) for qset in (cut, other) for s in qset.sections if s.name == "行为面试题")
    assert len(merged.questions) == expected and [q.number for q in merged.questions][-1] == str(expected)


def test_seed_without_shuffle_is_an_error(seed_run, tmp_path):
    out, sets = seed_run
    path = str(out / "json" / f"{next(iter(sets.values()))['id']}.json")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "docx", path, "--out", str(tmp_path / "x.docx"),
                           "--seed", "3"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "--seed only takes effect with --shuffle" in proc.stderr
    assert not (tmp_path / "x.docx").exists()


def _one_section_set(name: str, *questions: Question) -> QuestionSet:
    source = Source(path="x.txt", sha256="0" * 64)
    return QuestionSet(id="s1", title="t", truncated=False, source=source,
                       sections=[Section(heading=f"一、{name}", ordinal="一", name=name, questions=list(questions))])


def test_writing_space_is_ruled_lines_sized_by_score_and_requirements():
    """Open questions get real ruled lines, margin to margin: a line per 2 points (3 at least) and
    one more per listed requirement; a choice question gets none."""
    def q(qid: str, **fields) -> Question:
        return Question(id=qid, number=qid, stem="请回答。", answer=None, **fields)

    qset = _one_section_set("简答题", q("1", score=8, sub_items=["甲", "乙", "丙", "丁", "戊"]), q("2", score=20),
                            q("3", kind="choice", options=[Option(label="A", text="是"), Option(label="B", text="否")]))
    body = zipfile.ZipFile(io.BytesIO(render_set(qset)[0])).read("word/document.xml").decode("utf-8")
    chunks = body.split("<w:spacing w:before=\"120\"/>")[1:]  # one chunk per question, from its stem paragraph
    assert [chunk.count("<w:pBdr>") for chunk in chunks] == [4 + 5, 10, 0]
    assert "_" * 48 not in body


def test_fill_in_questions_whose_blanks_were_lost_get_a_blank_not_writing_lines():
    lost = Question(id="1", number="1", stem="世界上第一片微处理器型号是,是由Intel公司研制的。", answer=None)
    kept = Question(id="2", number="2", stem="转换时间为________微秒。", answer=None)
    text = "\n".join(p.text for p in Document(io.BytesIO(render_set(_one_section_set("填空题", lost, kept))[0])).paragraphs)
    assert text.count(FILL_BLANK_LINE) == 1 and "<w:pBdr>" not in text
    body = zipfile.ZipFile(io.BytesIO(render_set(_one_section_set("填空题", lost, kept))[0])).read("word/document.xml")
    assert b"<w:pBdr>" not in body


def test_the_stored_template_is_what_python_docx_authors_now():
    """render_docx reads pipeline/publish/data/template.docx instead of importing python-docx; the file must
    be what docx_template builds (after editing docx_template.py: python -m pipeline.publish.docx_template)."""
    from pipeline.publish import docx_template

    assert docx_template.stored_members() == docx_template.members()


JUDGEMENT_PAGE = (ROOT / "docs" / "judgement_sample.txt").read_text(encoding="utf-8")  # also docs/ picture


def _texts(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_a_judgement_exam_prints_its_instructions_and_brackets_to_mark():
    """A 判断题 part's 要求 line is printed in both editions, every item gets a （    ） to mark when the
    page printed none, and a label before a stem that opens with a digit cannot read as a decimal."""
    qset = process_page("j.txt", JUDGEMENT_PAGE).qset
    student, key = (_texts(x) for x in render_set(qset))
    for text in (student, key):
        assert "要求:判断下列说法是否正确,正确的在括号内打√,错误的打×。" in text
        assert "1.会计凭证是登记账簿的依据。（    ）" in text
        assert "2、3片8259A级联最多可管理22级中断。" in text and "2.3片" not in text
    assert "【答案】×" in key


def test_judgement_marks_are_printed_in_the_east_asian_face():
    """√ and × in a run of their own whose every font slot is the body's Chinese face: in the Latin
    face (Times New Roman) √ prints as a maths radical."""
    qset = process_page("j.txt", JUDGEMENT_PAGE).qset
    key = xml_of(render_set(qset)[1])
    run = re.search(r"<w:r><w:rPr>(<w:rFonts[^>]*/>)[^<]*(?:<w:color[^>]*/>)?</w:rPr><w:t>×</w:t></w:r>", key)
    assert run and 'w:ascii="SimSun"' in run.group(1) and 'w:eastAsia="SimSun"' in run.group(1)


def test_a_traditional_exam_prints_generated_words_in_traditional_script():
    page = JUDGEMENT_PAGE.replace("会计基础知识练习", "會計基礎知識練習").replace("判断题", "判斷題").replace(
        "会计凭证是登记账簿的依据", "會計憑證是登記賬簿的依據").replace("企业的银行存款日记账应当由出纳人员登记",
                                                  "企業的銀行存款日記賬應當由出納人員登記").replace(
        "现金日记账可以采用活页式账簿", "現金日記賬可以採用活頁式賬簿")
    student, key = (_texts(x) for x in render_set(process_page("t.txt", page).qset))
    assert "每題2分" in student and "姓名：" in student and "班級：" in student
    assert "【答案】" in key and "（答案卷）" in key and "每题" not in student + key and "班级" not in student


def _cut_in_options() -> QuestionSet:
    items = "".join(f"{n}.第{n}题选哪个?\nA.甲 B.乙 C.丙 D.丁\n答案:A\n" for n in range(1, 4))
    qset = process_page("c.txt", "练习题\n" + items + "4.第4题选哪个?\nA.现金 B.政").qset
    assert qset.truncated and len(qset.questions()[-1].options) == 2
    return qset


def test_a_question_cut_in_its_options_is_left_out_unless_asked_for():
    qset = _cut_in_options()
    student = _texts(render_set(qset)[0])
    assert "第4题选哪个" not in student and "本卷印出3题" in student
    whole = render(exam_of(qset, include_cut=True))
    assert "第4题选哪个" in _texts(whole)
    assert len([q for s in compose([qset], include_cut=True).sections for q in s.questions]) == 4


def test_answers_the_preview_cut_off_are_said_to_be_cut_not_missing():
    items = "".join(f"{n}.第{n}题是什么?\n" for n in range(1, 5))
    page = "练习题\n" + items + "参考答案\n1.答案一\n2.答案二。解析:因为"
    qset = process_page("k.txt", page).qset
    key = _texts(render_set(qset)[1])
    assert key.count("※ 原文预览至此截断，未见答案") == 2 and "原文未提供答案" not in key
    assert "因为" + CUT_MARK in key  # the analysis the cut falls in ends with the mark


def test_a_composed_exam_of_cut_previews_says_so_and_an_unknown_section_lists_those_there_are(seed_run, tmp_path):
    out, sets = seed_run
    cut = sets["000_582ef3be546073bd.txt"]
    exam = compose([QuestionSet.model_validate(cut)])
    assert exam.note and "节选" in exam.note
    proc = subprocess.run([sys.executable, "-m", "pipeline", "docx", str(out / "json" / f"{cut['id']}.json"),
                           "--sections", "五", "--out", str(tmp_path / "x.docx")], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 2 and "no section matches 五" in proc.stderr
    assert all(s["heading"] in proc.stderr for s in cut["sections"] if s["heading"])


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice and poppler are not installed (.ci/run installs them)")
def test_a_judgement_exam_prints_in_chinese_faces_with_its_brackets(tmp_path):
    """Through LibreOffice as an editor prints it: the 要求 line, the brackets to mark, the label that
    cannot read as a decimal; with Noto CJK installed (.ci/run), the body in a Chinese serif and the
    headings in a Chinese sans, never a Japanese or Latin stand-in for the Chinese text."""
    office = shutil.which("soffice")
    student, key = render_set(process_page("j.txt", JUDGEMENT_PAGE).qset)
    for name, data in (("student", student), ("key", key)):
        (tmp_path / f"{name}.docx").write_bytes(data)
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "student.docx"), str(tmp_path / "key.docx")],
                   check=True, capture_output=True, timeout=300, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "student.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "要求:判断下列说法是否正确" in flat and "会计凭证是登记账簿的依据。（）" in flat
    assert "2、3片8259A" in flat and "每题2分" in flat
    key_text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(tmp_path / "key.pdf"), "-"], capture_output=True,
                                                 text=True, check=True).stdout)
    assert "【答案】×" in key_text and "【答案】√" in key_text
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if "Noto Serif CJK" not in families or "Noto Sans CJK" not in families:
        return  # the faces asserted below are the ones .ci/run installs
    fonts = subprocess.run(["pdffonts", str(tmp_path / "student.pdf")], capture_output=True, text=True,
                           check=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts  # body serif (SimSun), headings sans (SimHei)
    assert "WenQuanYi" not in fonts


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are not installed (.ci/run installs them)")
def test_cut_previews_and_traditional_sets_print_as_they_should(tmp_path):
    """Through LibreOffice: a question cut in its options is not printed; answers the preview cut off
    and an analysis it cut say so in the key; a traditional set's printed words are traditional; an
    exam composed of excerpts says so."""
    office = shutil.which("soffice")
    cut = _cut_in_options()
    answers_page = "练习题\n" + "".join(f"{n}.第{n}题是什么?\n" for n in range(1, 5)) + "参考答案\n1.答案一\n2.答案二。解析:因为"
    trad = JUDGEMENT_PAGE.replace("会计基础知识练习", "會計基礎知識練習").replace("会计凭证是登记账簿的依据",
                                                                    "會計憑證是登記賬簿的依據")
    editions = {"cut": render_set(cut)[0], "key": render_set(process_page("k.txt", answers_page).qset)[1],
                "trad": render_set(process_page("t.txt", trad).qset)[0], "composed": render(compose([cut]))}
    for name, data in editions.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *(str(tmp_path / f"{name}.docx") for name in editions)],
                   check=True, capture_output=True, timeout=300, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})

    def text(name: str) -> str:
        found = subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, text=True,
                               check=True).stdout
        return re.sub(r"\s+", "", found)

    assert "第4题选哪个" not in text("cut") and "第3题选哪个" in text("cut") and "本卷印出3题" in text("cut")
    assert text("key").count("原文预览至此截断，未见答案") == 2 and "因为……（原文至此截断）" in text("key")
    assert "每題2分" in text("trad") and "班級" in text("trad") and "每题" not in text("trad")
    assert "节选：1份原文为节选" in text("composed")


def test_word_s_japanese_counting_numbers_a_heading_in_chinese_numerals():
    """A paper made in a Japanese-locale Word numbers its part headings with japaneseCounting ('%1、'):
    Word shows 一、, so the heading reads '一、（12分，每小题3分）' and its questions are that part's."""
    doc = Document()
    doc.add_paragraph("（12分，每小题3分）", style="List Number")
    doc.add_paragraph("1．下列词语中加点的字，读音完全相同的一组是")
    doc.add_paragraph("A．甲 B．乙 C．丙 D．丁")
    doc.add_paragraph("2．下列词语中没有错别字的一组是")
    doc.add_paragraph("A．甲 B．乙 C．丙 D．丁")
    numbering = doc.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        if level.get(qn("w:ilvl")) == "0":
            level.find(qn("w:numFmt")).set(qn("w:val"), "japaneseCounting")
            level.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    buffer = io.BytesIO()
    doc.save(buffer)
    qset = process_page("paper.docx", buffer.getvalue()).qset
    (section,) = qset.sections
    assert section.heading == "一、（12分，每小题3分）" and (section.score_each, section.score_total) == (3, 12)
    assert [q.number for q in section.questions] == ["1", "2"]
