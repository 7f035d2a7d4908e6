"""The README's pictures: `python docs/pictures.py` (LibreOffice, poppler and Debian's chromium).

- docs/judgement_exam_page1.png: page 1 of the student edition of docs/judgement_sample.txt, as
  LibreOffice prints it;
- docs/review_page.png: the review page on the seeds, a set opened on its review queue's first entry;
- docs/paper_in.png, docs/paper_out.png: page 1 of a whole paper (../shared/papers, when it is beside the
  repository) as Word prints it, and page 1 of its student edition.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "review"))


def judgement_page(work: Path) -> None:
    from pipeline.publish.docx import render_set
    from pipeline.run.steps import process_page

    sample = ROOT / "docs" / "judgement_sample.txt"
    qset = process_page(sample.name, sample.read_text(encoding="utf-8")).qset
    assert qset is not None
    (work / "exam.docx").write_bytes(render_set(qset)[0])
    subprocess.run([shutil.which("soffice") or "soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work),
                    str(work / "exam.docx")], check=True, capture_output=True,
                   env={"HOME": str(work), "PATH": "/usr/bin:/bin"})
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(work / "exam.pdf"),
                    str(ROOT / "docs" / "judgement_exam_page1")], check=True)


def page_one(docx: Path, png: Path, work: Path) -> None:
    """Page 1 of a DOCX as LibreOffice prints it, as a PNG."""
    subprocess.run([shutil.which("soffice") or "soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work),
                    str(docx)], check=True, capture_output=True, env={"HOME": str(work), "PATH": "/usr/bin:/bin"})
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(work / (docx.stem + ".pdf")), str(png.with_suffix(""))], check=True)


def paper_pages(work: Path) -> None:
    from pipeline.publish.docx import render_set
    from pipeline.run.steps import process_page

    source = ROOT.parent / "shared" / "papers" / "raw" / "p01_2014_jiangsu.docx"
    if not source.is_file():
        return
    qset = process_page(source.name, source.read_bytes()).qset
    assert qset is not None
    edition = work / "edition.docx"
    edition.write_bytes(render_set(qset)[0])
    page_one(source, ROOT / "docs" / "paper_in.png", work)
    page_one(edition, ROOT / "docs" / "paper_out.png", work)


def review_page(work: Path) -> None:
    from playwright.sync_api import sync_playwright
    from test_review_security import start_server

    from pipeline.run.ingest import ingest

    raw, out = work / "raw", work / "out"
    shutil.copytree(ROOT / "raw", raw)
    ingest(str(raw), str(out), docx=False, bank=False)
    server, thread, url = start_server(out, raw)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            page.goto(url + "/")
            page.locator("tr.review a").first.click()
            page.wait_for_load_state()
            page.screenshot(path=str(ROOT / "docs" / "review_page.png"))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        judgement_page(Path(tmp))
        review_page(Path(tmp))
        paper_pages(Path(tmp))
