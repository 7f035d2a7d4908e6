"""Robustness: every bad input of the reliability table, concurrent runs, time and memory limits."""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile

import pytest
from conftest import ROOT, load_manifest, run_ingest, write_pages

from pipeline.errors import Rejected
from pipeline.run.ingest import PageBatch, discover, process_batch
from pipeline.run.lock import LockedError, output_lock
from pipeline.run.options import IngestOptions
from pipeline.run.steps import PageRunner, new_page, process_page

GOOD = "1.请说明A的作用?\n答案:甲\n"


def docx_bytes(document_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
        z.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XXE = f"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="{WORD}"><w:body><w:p><w:r><w:t>1.请说明X的作用?&x;</w:t></w:r></w:p>
<w:p><w:r><w:t>答案:甲</w:t></w:r></w:p></w:body></w:document>"""


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (120 * 1024 * 1024))
    return buffer.getvalue()


BAD_INPUTS = {
    "truncated_utf8.txt": (GOOD + "中").encode("utf-8")[:-1],
    "mixed_encodings.txt": "1.请说明A的作用?\n".encode() + "答案:甲乙丙\n".encode("gb18030"),
    "zip.txt": b"PK\x03\x04" + os.urandom(200),
    "html_bomb.html": b"<html><body>" + b"<p>a</p>" * 300_000 + b"</body></html>",
    "deep.html": b"<html><body>" + b"<div>" * 50_000 + b"1.x?" + b"</div>" * 50_000 + b"</body></html>",
    "not_a_zip.docx": b"this is plain text, not a zip archive",
    "zip_bomb.docx": zip_bomb(),
    "xxe.docx": docx_bytes(XXE),
    "title_traversal.txt": "../../etc/passwd\n1.请说明A的作用?\n答案:甲\n".encode(),
    "title_reserved.txt": "CON\x00/NUL\\aux\n1.请说明B的作用?\n答案:乙\n".encode(),
}
EXPECTED = {
    "truncated_utf8.txt": "published",
    "mixed_encodings.txt": "published",
    "zip.txt": "rejected:binary",
    "html_bomb.html": "rejected:html_too_complex",
    "deep.html": "published",  # libxml2 caps the depth; the text inside is kept
    "not_a_zip.docx": "rejected:bad_docx",
    "zip_bomb.docx": "rejected:zip_bomb",
    "xxe.docx": "published",
    "title_traversal.txt": "published",
    "title_reserved.txt": "published",
    "huge.txt": "rejected:too_large",
    "outside_link.txt": "rejected:symlink_outside",
}


@pytest.fixture(scope="module")
def robust_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("robust")
    raw = base / "raw"
    write_pages(raw, BAD_INPUTS, huge_mb=200)  # huge.txt: rejected by size, never read
    secret = base / "secret.txt"
    secret.write_text("outside the raw folder", encoding="utf-8")
    (raw / "outside_link.txt").symlink_to(secret)
    out = base / "out"
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--quiet"]
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if timer:  # this run's own peak RSS (RUSAGE_CHILDREN would also count earlier children)
        proc = subprocess.run([timer, "-f", "%M", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=300)
        peak_mb = int(proc.stderr.strip().splitlines()[-1]) / 1024
    else:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return proc, out, peak_mb


def status_of(entry: dict) -> str:
    return entry["status"] if entry["status"] != "rejected" else "rejected:" + entry["reason"].split(":", 1)[0]


def test_run_completes_with_every_page_accounted_for(robust_run):
    proc, out, _ = robust_run
    assert proc.returncode == 0, proc.stderr
    got = {e["path"]: status_of(e) for e in load_manifest(out)["pages"]}
    assert got == EXPECTED


def test_memory_stays_bounded_on_giant_inputs(robust_run):
    _, _, peak_mb = robust_run
    assert peak_mb < 600, peak_mb


def test_external_entities_are_never_resolved(robust_run):
    _, out, _ = robust_run
    text = "".join(p.read_text(encoding="utf-8") for p in (out / "json").glob("*.json"))
    assert "root:" not in text and "outside the raw folder" not in text


def test_file_names_come_from_ids_never_from_titles(robust_run):
    _, out, _ = robust_run
    titles = [json.loads(p.read_text(encoding="utf-8"))["title"] for p in (out / "json").glob("*.json")]
    assert "../../etc/passwd" in titles
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
        if path.is_file() and not path.name.startswith("."):
            stem = path.name.split(".")[0]
            assert stem.isalnum(), path.name


def test_mixed_and_truncated_encodings_keep_their_text(robust_run):
    _, out, _ = robust_run
    sets = {json.loads(p.read_text(encoding="utf-8"))["source"]["path"]: json.loads(p.read_text(encoding="utf-8"))
            for p in (out / "json").glob("*.json")}
    mixed = sets["mixed_encodings.txt"]
    assert mixed["sections"][0]["questions"][0]["answer"] == "甲乙丙"
    assert mixed["source"]["encoding"] == "mixed:utf-8+gb18030"
    assert sets["truncated_utf8.txt"]["sections"][0]["questions"][0]["answer"] == "甲"


def test_a_slow_page_is_rejected_with_timeout_and_the_batch_goes_on():
    def stuck(page, ctx):
        time.sleep(30)

    runner = PageRunner(steps=[("stuck", stuck)], page_timeout=0.3)
    start = time.perf_counter()
    with pytest.raises(Rejected) as info:
        runner.run(new_page("slow.txt", b"x"))
    assert info.value.code == "timeout" and time.perf_counter() - start < 5
    assert process_page("ok.txt", GOOD).qset is not None  # the next page is unaffected


def test_raw_folder_disappearing_mid_run(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(3):
        (raw / f"p{i}.txt").write_text(GOOD.replace("A", str(i)), encoding="utf-8")
    files = discover(str(raw))
    (raw / "p1.txt").unlink()
    (raw / "p2.txt").unlink()
    raw.rmdir() if not any(raw.iterdir()) else None
    entries, *_ = process_batch(PageBatch(files, None, {}, IngestOptions(raw=str(raw), out=str(tmp_path / "out"))))
    got = {e.path: (e.status, (e.reason or "").split(":", 1)[0]) for e in entries}
    assert got["p0.txt"][0] == "published"
    assert got["p1.txt"] == ("rejected", "unreadable") and got["p2.txt"] == ("rejected", "unreadable")


def test_two_runs_on_one_output_never_interleave(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    with output_lock(str(out)):
        with pytest.raises(LockedError, match="being written by another ingest"):
            run_ingest(raw, out)
        proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 3 and "another ingest" in proc.stderr
        assert not (out / "json").exists()  # the second run wrote nothing
    assert run_ingest(raw, out, wait=1.0)["published"] == 1  # free again: the next run goes ahead
