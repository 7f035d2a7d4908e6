"""Faults that used to lose data or wedge every later run, each reproduced from the user's side:
a giant inline image, a GBK file name, a damaged bank index, read errors, a foreign or respelled
--out, copies of one document, damaged outputs of unchanged pages, odd files in the raw folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RAW, ROOT, load_manifest, run_ingest

from pipeline.publish import files as publish
from pipeline.run.lock import output_lock
from pipeline.store import layout
from pipeline.store.storage import LocalStorage

SEED = RAW / "000_582ef3be546073bd.txt"


def ingest_cli(raw: Path, out: str | Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--quiet", *flags],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "runs" not in p.parts and p.name != "manifest.json" and not p.name.startswith(".")}


def test_a_giant_inline_image_neither_hangs_nor_cuts_the_page(tmp_path):
    """libxml2 took minutes over a 10 MB attribute, or silently dropped everything after it."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    half = len(lines) // 2
    paragraphs = ["".join(f"<p>{x}</p>" for x in part) for part in (lines[:half], lines[half:])]
    image = '<img src="data:image/png;base64,' + "iVBORw0KGgo" * 1_100_000 + '">'
    raw = tmp_path / "raw"
    raw.mkdir()
    page = "<html><head><title>t</title></head><body>{}{}{}</body></html>"
    (raw / "with_image.html").write_text(page.format(paragraphs[0], image, paragraphs[1]), encoding="utf-8")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "plain.html").write_text(page.format(paragraphs[0], "", paragraphs[1]), encoding="utf-8")
    assert ingest_cli(raw, tmp_path / "out", "--no-bank", "--no-docx").returncode == 0
    assert ingest_cli(tmp_path / "plain", tmp_path / "ref", "--no-bank", "--no-docx").returncode == 0
    (got,) = (json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out" / "json").iterdir())
    (ref,) = (json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "ref" / "json").iterdir())
    assert got["sections"] == ref["sections"] and got["truncated"] == ref["truncated"]  # nothing after it is lost
    removed = publish.removals_of(LocalStorage(str(tmp_path / "out")), got["id"])
    assert [r for r in removed if r["rule"] == "oversized_attribute"]  # and the record says what went


def test_a_text_node_over_10_mb_is_read_to_its_end():
    """libxml2 stops a text node at 10 MB unless told otherwise, and the rest of the page was gone."""
    from pipeline.read.html import html_text, html_text_bs4

    body = "1.问题一？答案:" + "很长的文字" * 2_400_000 + " 2.问题二？答案:结尾"
    markup = f"<html><head><title>t</title></head><body><pre>{body}</pre></body></html>"
    for reader in (html_text, html_text_bs4):  # the fast reader and the reference
        assert reader(markup).endswith("2.问题二？答案:结尾"), reader.__name__


def test_a_file_name_that_is_not_utf8_is_published_escaped(tmp_path):
    """GBK names from unzipped archives crashed every run outside the per-page handling."""
    raw = tmp_path / "raw"
    raw.mkdir()
    gbk_name = os.path.join(os.fsencode(raw), "试题".encode("gbk") + b".txt")
    with open(gbk_name, "wb") as handle:
        handle.write(SEED.read_bytes())
    out = tmp_path / "out"
    proc = ingest_cli(raw, out, "--no-bank")
    assert proc.returncode == 0, proc.stderr
    (entry,) = load_manifest(out)["pages"]
    assert entry["status"] == "published" and entry["path"] == "\\xca\\xd4\\xcc\\xe2.txt"  # readable, reversible
    qset = json.loads((out / entry["output"]).read_text(encoding="utf-8"))
    assert qset["source"]["path"] == entry["path"]
    assert json.loads(ingest_cli(raw, out, "--no-bank").stdout)["unchanged"] == 1  # and found again next run


@pytest.mark.parametrize("damage", ["cut", "garbage", "empty", "old two-file index"])
def test_a_damaged_bank_index_is_rebuilt_to_what_a_full_rebuild_gives(damage, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out, full = tmp_path / "out", tmp_path / "full"
    assert ingest_cli(raw, out, "--no-docx").returncode == 0
    index = out / layout.BANK_INDEX
    data = index.read_bytes()
    if damage == "old two-file index":
        index.unlink()
        for rel in layout.OLD_BANK_FILES:
            (out / rel).write_bytes(b"{}")
    else:
        index.write_bytes({"cut": data[: len(data) // 2], "garbage": b"\x00" * 100, "empty": b""}[damage])
    (raw / "001_e6371b6f30c79e48.txt").unlink()  # and a page leaves meanwhile
    assert ingest_cli(raw, out, "--no-docx").returncode == 0
    assert ingest_cli(raw, full, "--no-docx").returncode == 0
    assert outputs(out) == outputs(full)
    assert not any((out / rel).exists() for rel in layout.OLD_BANK_FILES)
    gone = {json.loads(line)["set_id"] for line in (full / "questions.jsonl").read_text(encoding="utf-8").splitlines()}
    assert "fee1a1198aaca002" not in gone  # the removed page's questions leave both JSONL files


def test_a_read_error_keeps_the_last_good_outputs(tmp_path, monkeypatch):
    """A page unreadable for one run (a flaky share) used to lose its JSON, DOCX and removed record."""
    from pipeline.store.storage import LocalStorage

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = tmp_path / "out"
    run_ingest(raw, out, bank=False)
    before = outputs(out)
    real_read = LocalStorage.read

    def flaky(self, rel, limit=None):
        if rel.startswith("000_"):
            raise PermissionError(13, "Permission denied")
        return real_read(self, rel, limit)

    monkeypatch.setattr(LocalStorage, "read", flaky)  # in this process: the run's pages are read here too
    report = run_ingest(raw, out, bank=False, in_process=True)
    entry = next(e for e in load_manifest(out)["pages"] if e["path"].startswith("000_"))
    assert entry["status"] == "rejected" and entry["kept"] and entry["reason"].startswith("unreadable")
    assert report["rejected_reasons"] == {"unreadable": 1}
    assert outputs(out) == before  # nothing deleted
    monkeypatch.setattr(LocalStorage, "read", real_read)
    run_ingest(raw, out, bank=False)
    assert outputs(out) == before and all(e["status"] != "rejected" for e in load_manifest(out)["pages"])


def test_a_folder_that_cannot_be_listed_keeps_its_pages_outputs(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(SEED, raw / "sub" / SEED.name)
    shutil.copy(RAW / "003_b30d6964a8366597.txt", raw / "top.txt")
    out = tmp_path / "out"
    run_ingest(raw, out, bank=False)
    before = outputs(out)
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("/sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run_ingest(raw, out, bank=False)
    pages = {e["path"]: e for e in load_manifest(out)["pages"]}
    assert pages["sub"]["reason"].startswith("unlistable_folder")
    assert pages[f"sub/{SEED.name}"]["kept"] and outputs(out) == before


def test_every_spelling_of_an_output_folder_shares_one_lock(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    with output_lock(str(out)):
        for spelling in (f"file://{out}", f"{out}/", f"{tmp_path}/./out"):
            proc = ingest_cli(raw, spelling, "--no-bank")
            assert proc.returncode == 3 and "another ingest" in proc.stderr, spelling
    assert not (out / "json").exists()


def test_a_folder_no_ingest_wrote_is_never_used_as_output(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    (home / "json").mkdir()
    (home / "json" / "budget.json").write_text("{}")
    proc = ingest_cli(RAW, home, "--no-bank")
    assert proc.returncode == 2 and "holds files an ingest did not write (json, notes.txt)" in proc.stderr
    assert (home / "json" / "budget.json").read_text() == "{}" and (home / "notes.txt").read_text() == "mine"
    out = tmp_path / "out"
    assert ingest_cli(RAW, out, "--no-bank").returncode == 0
    assert (out / layout.MARKER).read_bytes() == layout.MARKER_TEXT  # claimed: later runs may write here
    assert ingest_cli(RAW, out, "--no-bank").returncode == 0


def test_copies_of_one_document_are_not_learned_as_site_chrome(tmp_path):
    """Three copies in a small batch had every line learned as chrome: all three lost their text."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(3):
        (raw / f"copy{i}.txt").write_text(SEED.read_text(encoding="utf-8") + f"\n副本 {i}\n", encoding="utf-8")
    report = run_ingest(raw, tmp_path / "out", bank=False, docx=False)
    alone = run_ingest(RAW, tmp_path / "alone", bank=False, docx=False)
    assert report["published"] == 3
    per_copy = {e["questions"] for e in load_manifest(tmp_path / "out")["pages"]}
    seed_questions = next(e["questions"] for e in load_manifest(tmp_path / "alone")["pages"]
                          if e["path"] == SEED.name)
    assert per_copy == {seed_questions} and alone["published"] == 5


@pytest.mark.parametrize(("damage", "redone"), [("damaged json", 1), ("deleted removal records", 5),
                                               ("deleted edition", 1)])
def test_damaged_or_missing_outputs_of_an_unchanged_page_are_written_again(damage, redone, tmp_path):
    """A damaged set or a deleted edition: that page is published again. The removal records
    (one removed.jsonl for the run) deleted: every page is, since only processing a page gives them."""
    out = tmp_path / "out"
    assert ingest_cli(RAW, out, "--no-bank").returncode == 0
    before = outputs(out)
    set_id = next(e["set_id"] for e in load_manifest(out)["pages"] if e["path"] == SEED.name)
    if damage == "damaged json":
        (out / layout.set_rel(set_id)).write_text('{"id": "half', encoding="utf-8")
    elif damage == "deleted removal records":
        (out / layout.REMOVALS).unlink()
    else:
        (out / layout.docx_rels(set_id)[1]).unlink()
    proc = ingest_cli(RAW, out, "--no-bank")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["published"] == redone and outputs(out) == before


def test_a_copy_never_names_the_set_it_duplicates(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "b_copy.txt")
    shutil.copy(SEED, raw / "a_first.txt")
    run_ingest(raw, tmp_path / "out", bank=False, docx=False)
    pages = {e["path"]: e for e in load_manifest(tmp_path / "out")["pages"]}
    assert pages["b_copy.txt"]["reason"] == "duplicate: same content as a_first.txt"
    qset = json.loads((tmp_path / "out" / pages["a_first.txt"]["output"]).read_text(encoding="utf-8"))
    assert qset["source"]["path"] == "a_first.txt"


def test_fifos_and_symlink_loops_are_in_the_manifest_with_a_reason(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "ok.txt")
    os.mkfifo(raw / "pipe.txt")  # opening it would block the run for ever
    os.symlink(raw / "loop_b.txt", raw / "loop_a.txt")
    os.symlink(raw / "loop_a.txt", raw / "loop_b.txt")
    run_ingest(raw, tmp_path / "out", bank=False, docx=False)
    reasons = {e["path"]: (e["reason"] or "").split(":")[0] for e in load_manifest(tmp_path / "out")["pages"]}
    assert reasons == {"ok.txt": "", "pipe.txt": "not_a_file", "loop_a.txt": "not_a_file", "loop_b.txt": "not_a_file"}


def test_the_page_time_limit_covers_rendering(tmp_path, monkeypatch):
    import time

    from pipeline.publish import docx as render_docx

    monkeypatch.setattr(render_docx, "render_set", lambda qset: time.sleep(5) or (b"", b""))
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / "slow.txt")
    start = time.perf_counter()
    report = run_ingest(raw, tmp_path / "out", bank=False, page_timeout=1.0, in_process=True)  # the timer's own limit
    assert report["rejected_reasons"] == {"timeout": 1} and time.perf_counter() - start < 4
    assert not list((tmp_path / "out" / "json").glob("*.json"))  # nothing of the page half-written


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the watchdog reads /proc")
def test_killing_the_flow_command_ends_its_temporary_server(tmp_path):
    """kill -9 of `python -m flows.ingest` used to leave Prefect's temporary server listening."""
    import time

    from flows.reaper import _children_servers

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect_home")
    proc = subprocess.Popen([sys.executable, "-m", "flows.ingest", str(RAW), "--out", str(tmp_path / "out")],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline, servers = time.monotonic() + 120, set()
    while not servers and time.monotonic() < deadline and proc.poll() is None:
        servers = _children_servers(proc.pid)
        time.sleep(0.2)
    assert servers, "the flow started no temporary server"
    proc.kill()  # the command alone, as `kill -9 PID` does; not its process group
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") for pid in servers):
        time.sleep(0.2)
    alive = [pid for pid in servers if os.path.exists(f"/proc/{pid}") and b"Z" not in
             Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1][:3]]
    for pid in alive:
        os.kill(pid, 9)  # never leave one behind, even when the test fails
    assert not alive
