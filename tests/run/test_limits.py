"""Every page finishes or is rejected within its time limit, and within a memory cap, in both entry
points and whatever runs it: a page is processed in a worker process that the run stops when it
must (pipeline/run/isolate.py). Each test is a page that once ran past every limit, or the fault that
only a process boundary survives."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import time
import zipfile
from pathlib import Path

import pytest
from conftest import RAW, load_manifest
from test_runs import QUICK, cli

from pipeline.run import isolate
from pipeline.run.ingest import discover, learn, process_batch
from pipeline.run.options import IngestOptions
from pipeline.run.steps import process_page


def raw_with(tmp_path: Path, name: str, data: bytes) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / name).write_bytes(data)
    return raw


def entry_of(out: Path, name: str) -> dict:
    return next(e for e in load_manifest(out)["pages"] if e["path"] == name)


def test_a_line_of_five_million_spaces_is_cleaned_in_linear_time():
    """Trailing spaces were stripped with `[ \\t]+\\n`, which backtracks over every run of spaces no
    line break ends: 5 MB of them took 50 s whatever --page-timeout said."""
    start = time.perf_counter()
    qset = process_page("spaces.txt", "练习\n1.下列说法正确的是?" + " " * 5_000_000 + "x\nA.甲\nB.乙\n答案:A\n").qset
    assert time.perf_counter() - start < 5 and qset.questions()[0].answer == "A"


def test_a_run_of_underscores_is_read_in_linear_time():
    """A filled blank (`__B__`) was searched from every underscore of a run: 200,000 of them took
    over 100 s in the parser."""
    start = time.perf_counter()
    qset = process_page("blank.txt", "练习\n1.下列说法正确的是" + "_" * 2_000_000 + "x\n答案:A\n").qset
    assert time.perf_counter() - start < 5 and qset.questions()[0].answer == "A"


def roman_docx(start: int) -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    listed = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
              '<w:r><w:t>本卷说明：请独立完成。</w:t></w:r></w:p>')
    items = "".join(f"<w:p><w:r><w:t>{i}.下列说法正确的是？A.甲 B.乙 答案:A</w:t></w:r></w:p>" for i in (1, 2, 3))
    document = f'<w:document {w}><w:body><w:p><w:r><w:t>练习卷</w:t></w:r></w:p>{listed}{items}</w:body></w:document>'
    numbering = (f'<w:numbering {w}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
                 '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", numbering)
    return buffer.getvalue()


@pytest.mark.parametrize("entry", ["pipeline", "flows.ingest"])
def test_a_list_numbered_from_ten_to_the_fifteen_in_roman_numerals(entry, tmp_path):
    """A 1 KB DOCX once grew to 4.4 GB in a flow's worker thread: Word's list number 10^15 written
    as 10^12 Ms. Roman numerals stop at 3999 (as Word's do); past that the number is decimal."""
    raw = raw_with(tmp_path, "roman.docx", roman_docx(10**15))
    out = tmp_path / "out"
    start = time.perf_counter()
    proc = cli(entry, str(raw), "--out", str(out), *QUICK, env={"PREFECT_HOME": str(tmp_path / "home")})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert time.perf_counter() - start < 60
    entry_row = entry_of(out, "roman.docx")
    assert entry_row["status"] == "published", entry_row
    text = (out / "json" / f"{entry_row['set_id']}.json").read_text(encoding="utf-8")
    assert "1000000000000000" in text and "MMMM" not in text


def test_a_page_over_the_memory_cap_is_rejected_and_the_rest_go_on(tmp_path):
    """A page whose cleaning needs more memory than --page-memory is rejected with that reason;
    the machine is not taken and every other page is published."""
    big = ("练习\n" + "".join(f"{i}.第{i}题客户投诉时首先应该做什么？A.争辩 B.倾听 答案:B " for i in range(200_000))).encode()
    raw = raw_with(tmp_path, "big.txt", big)
    out = tmp_path / "out"
    proc = cli("pipeline", str(raw), "--out", str(out), *QUICK, "--page-memory", "300", "--page-timeout", "120")
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = entry_of(out, "big.txt")
    assert row["status"] == "rejected" and row["reason"].split(":")[0] in ("too_much_memory", "worker_died"), row
    assert json.loads(proc.stdout)["published"] == 5


def test_a_stuck_worker_is_stopped_at_the_page_limit_and_replaced(tmp_path):
    """A page stuck where no timer reaches it (here: its worker frozen with SIGSTOP, as in a long
    call into a C library) is rejected when its limit passes; the next page gets a new worker."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a_stuck.txt", "b_next.txt"):
        shutil.copy(sorted(RAW.iterdir())[1], raw / name)
    (raw / "b_next.txt").write_text((raw / "b_next.txt").read_text(encoding="utf-8") + "\n附言\n", encoding="utf-8")
    options = IngestOptions(raw=str(raw), out=str(tmp_path / "out"), page_timeout=1.0, docx=False, bank=False)
    files = discover(str(raw))
    learned = learn(files, options)
    worker = isolate.worker(options)
    real_call = worker.call
    calls = []

    def freeze_on_first_page(request, seconds=None):
        if request[0] == "page" and not calls:
            calls.append(request)
            os.kill(worker.proc.pid, signal.SIGSTOP)  # it can neither read the page nor answer
        return real_call(request, seconds)

    worker.call = freeze_on_first_page
    try:
        from pipeline.run.ingest import PageBatch

        start = time.perf_counter()
        entries, stats, _ = process_batch(PageBatch(files, learned.templates, {}, options))
        elapsed = time.perf_counter() - start
    finally:
        del worker.call
    got = {e.path: e for e in entries}
    assert got["a_stuck.txt"].status == "rejected" and got["a_stuck.txt"].reason.startswith("timeout")
    assert "worker was stopped" in got["a_stuck.txt"].reason
    assert got["b_next.txt"].status == "published"
    assert elapsed < 1.0 + isolate.HARD_STOP_GRACE + isolate.STARTUP_SECONDS / 10
    assert stats.rejected["timeout"] == 1


def test_a_page_that_times_out_while_learning_is_rejected_once(tmp_path):
    """The learn pass ran its steps under a fixed 10 s whatever --page-timeout said, then the batch
    ran the same page again. Now the learn pass has the page's limit, and its rejection is final for
    the run."""
    big = ("练习\n" + "客户投诉时首先应该做什么？倾听并复述诉求。" * 300_000 + "\n").encode()
    raw = raw_with(tmp_path, "big.txt", big)
    out = tmp_path / "out"
    proc = cli("pipeline", str(raw), "--out", str(out), *QUICK, "--page-timeout", "0.05")
    row = entry_of(out, "big.txt")
    assert row["status"] == "rejected" and "template learning" in row["reason"], row
    report = json.loads(proc.stdout)
    assert report["rejected_reasons"].get("timeout", 0) >= 1
