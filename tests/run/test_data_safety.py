"""No run may destroy published work it was not meant to. Each test is a mistake a user makes (or an
accident a scheduler meets) that once deleted or corrupted published sets without a word: run as
the real command lines, in subprocesses, on real files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RAW, ROOT
from test_runs import QUICK, cli, one_line_error, outputs

from pipeline.run.lock import output_lock


def published(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "json").iterdir())}


def seeded(tmp_path: Path) -> tuple[Path, Path]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    assert cli("pipeline", str(raw), "--out", str(out), *QUICK).returncode == 0
    return raw, out


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("error: ")]


# ---- a raw folder that is not what it was -----------------------------------------------------------

def test_a_raw_folder_with_files_but_no_page_never_clears_the_output(tmp_path):
    """`desktop.ini`, a log, a folder of PDFs: the wrong folder, not a corpus that was emptied."""
    _, out = seeded(tmp_path)
    before = published(out)
    wrong = tmp_path / "wrong"
    (wrong / "pdfs").mkdir(parents=True)
    (wrong / "desktop.ini").write_text("[.ShellClassInfo]")
    (wrong / "run.log").write_text("started")
    (wrong / "pdfs" / "paper.pdf").write_bytes(b"%PDF-1.4")
    one_line_error(cli("pipeline", str(wrong), "--out", str(out), *QUICK), 2, "refusing to delete them")
    assert published(out) == before and (out / "docx").exists()


def test_a_run_that_would_remove_most_sets_is_refused_until_allowed(tmp_path):
    """A half-synced share or the wrong subfolder: more than half of the published sets would go."""
    raw, out = seeded(tmp_path)
    before = published(out)
    for page in sorted(raw.iterdir())[:3]:
        page.unlink()
    one_line_error(cli("pipeline", str(raw), "--out", str(out), *QUICK), 2, "would remove 3 of the 5 published sets")
    assert published(out) == before
    proc = cli("pipeline", str(raw), "--out", str(out), *QUICK, "--allow-removal")
    assert proc.returncode == 0 and len(published(out)) == 2
    assert len(json.loads(proc.stdout)["removed_pages"]) == 3


def test_pages_found_but_none_published_is_not_success(tmp_path):
    """A scheduler reads exit codes: a run whose every page was rejected exits 4 and says why."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blob.txt").write_bytes(bytes(range(256)) * 40)
    proc = cli("pipeline", str(raw), "--out", str(out), *QUICK)
    assert proc.returncode == 4, proc.stderr
    (line,) = error_lines(proc)
    assert "2 pages found and none published" in line and "empty: 1" in line
    assert json.loads(proc.stdout)["published"] == 0


def test_the_flow_ends_failed_when_nothing_was_published(tmp_path):
    """The same run as a Prefect flow: its state is Failed with the reason, and its artifact says so."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.flow import ingest_flow, summary_markdown
    from pipeline.run.ingest import RunReport

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    with prefect_test_harness():
        state = ingest_flow(raw_dir=str(raw), out=str(tmp_path / "out"), bank=False, docx=False, return_state=True)
    assert state.is_failed() and "none published" in state.message
    report = RunReport(**state.result(raise_on_failure=False))
    assert summary_markdown(report, str(tmp_path / "out")).startswith("**Nothing published:**")


# ---- output locations -------------------------------------------------------------------------------

@pytest.mark.parametrize("inside", ["out in raw", "raw in out"])
def test_output_and_raw_folders_may_not_overlap(inside, tmp_path):
    """Each run would ingest its own DOCX editions as new pages (5 → 31 → 72 pages over three runs)."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    if inside == "out in raw":
        proc = cli("pipeline", str(raw), "--out", str(raw / "clean"), *QUICK)
    else:
        out = tmp_path / "out"
        shutil.copytree(RAW, out / "raw")
        proc = cli("pipeline", str(out / "raw"), "--out", str(out), *QUICK)
    one_line_error(proc, 2, "overlap")


def test_every_spelling_of_a_local_folder_takes_the_same_lock(tmp_path):
    """`local:///X` once took no lock (two runs wrote at once) and `file://localhost/abs/X` wrote to
    `./localhost/abs/X`: every fsspec spelling of a local path is that path."""
    out = tmp_path / "out"
    for spelling in (f"local://{out}", f"file://localhost{out}", f"FILE://{out}"):
        with output_lock(str(out)):
            one_line_error(cli("pipeline", str(RAW), "--out", spelling, *QUICK), 3, "being written by another ingest")
    proc = cli("pipeline", str(RAW), "--out", f"file://localhost{out}", *QUICK, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(published(out)) == 5 and not (tmp_path / "localhost").exists()


@pytest.mark.parametrize("entry", ["pipeline", "flows.ingest"])
def test_an_unknown_url_scheme_is_one_line(entry, tmp_path):
    env = {"PREFECT_HOME": str(tmp_path / "prefect_home")}
    one_line_error(cli(entry, str(RAW), "--out", "nosuch://x", *QUICK, env=env), 2, "unknown or unavailable")
    one_line_error(cli(entry, "nosuch://raw", "--out", str(tmp_path / "out"), *QUICK, env=env), 2,
                   "unknown or unavailable")
    assert not (tmp_path / "out").exists()


def test_a_folder_is_claimed_by_the_marker_only(tmp_path):
    """A folder that merely holds a file named manifest.json is not ours: its files stay."""
    out = tmp_path / "theirs"
    (out / "json").mkdir(parents=True)
    (out / "docx").mkdir()
    (out / "manifest.json").write_text("{}")
    (out / "json" / "config.json").write_text('{"keep": true}')
    (out / "docx" / "thesis.docx").write_bytes(b"PK thesis")
    one_line_error(cli("pipeline", str(RAW), "--out", str(out), *QUICK), 2, "holds files an ingest did not write")
    assert (out / "json" / "config.json").read_text() == '{"keep": true}'
    assert (out / "docx" / "thesis.docx").read_bytes() == b"PK thesis"


def test_files_of_other_names_in_our_folder_are_never_deleted(tmp_path):
    """A run deletes the outputs of sets it no longer has, by their set-id names, nothing else."""
    _, out = seeded(tmp_path)
    (out / "json" / "config.json").write_text('{"keep": true}')
    (out / "docx" / "thesis.docx").write_bytes(b"PK thesis")
    assert cli("pipeline", str(RAW), "--out", str(out), *QUICK).returncode == 0
    assert (out / "json" / "config.json").exists() and (out / "docx" / "thesis.docx").exists()


def test_a_symlinked_lock_is_never_followed(tmp_path):
    """Opening the lock truncates it: through a symlink that truncated the symlink's target."""
    out = tmp_path / "out"
    assert cli("pipeline", str(RAW), "--out", str(out), *QUICK).returncode == 0
    precious = tmp_path / "precious.txt"
    precious.write_text("the editor's notes")
    (out / ".ingest.lock").unlink()
    (out / ".ingest.lock").symlink_to(precious)
    one_line_error(cli("pipeline", str(RAW), "--out", str(out), *QUICK), 2, "not a plain file")
    assert precious.read_text() == "the editor's notes"


# ---- incremental runs equal full rebuilds -----------------------------------------------------------

CHROME = "星火教育春季学期第二轮复习专用"


def site_page(i: int) -> str:
    return (f"星火练习卷{i}\n{CHROME}\n一、单项选择题\n1.第{i}套卷中客户投诉时首先应该做什么？\n"
            f"A.争辩 B.倾听 C.挂断 D.转接\n答案:B\n2.第{i}套卷中下列哪项属于服务礼仪？\nA.微笑 B.冷漠\n答案:A\n{CHROME}\n")


def state_of(out: Path) -> dict[str, bytes]:
    """Every output's bytes, the manifest without what only an incremental run reports (pages gone)."""
    found = outputs(out)
    manifest = json.loads(found["manifest.json"])
    manifest.pop("removed_pages")
    return {**found, "manifest.json": json.dumps(manifest, sort_keys=True).encode()}


def full_rebuild(raw: Path, tmp_path: Path) -> dict[str, bytes]:
    fresh = tmp_path / f"fresh-{len(list(raw.iterdir()))}-{time.monotonic_ns()}"
    assert cli("pipeline", str(raw), "--out", str(fresh), *QUICK).returncode == 0
    return state_of(fresh)


def sets_of(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: f"{e['set_id']}.json" for e in manifest["pages"] if e["set_id"]}


def test_incremental_equals_full_rebuild_when_pages_come_and_go(tmp_path):
    """A line recurring on a site's pages is learned as chrome once enough pages show it: adding
    pages changes how the earlier ones are cleaned, and removing them changes it back."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for i in range(2):
        (raw / f"p{i}.txt").write_text(site_page(i), encoding="utf-8")
    steps = [lambda: [(raw / f"p{i}.txt").write_text(site_page(i), encoding="utf-8") for i in range(2, 6)],
             lambda: (raw / "p5.txt").write_text(site_page(5) + "3.新增一题？\n答案:略\n", encoding="utf-8"),
             lambda: [(raw / f"p{i}.txt").unlink() for i in range(2, 6)]]
    assert cli("pipeline", str(raw), "--out", str(out), *QUICK).returncode == 0
    learned = []
    for step in steps:
        step()
        proc = cli("pipeline", str(raw), "--out", str(out), *QUICK, "--allow-removal")
        assert proc.returncode == 0, proc.stderr
        assert state_of(out) == full_rebuild(raw, tmp_path)
        learned.append(CHROME not in (out / "json" / sets_of(out)["p0.txt"]).read_text(encoding="utf-8"))
    assert learned == [True, True, False]  # the line is chrome only while enough pages show it


def test_a_transient_rejection_is_tried_again(tmp_path):
    """A page rejected for a time limit is published by the next run with a higher limit; a page the
    bytes themselves reject (empty) stays rejected without being read again."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    (raw / "empty.txt").write_bytes(b"")
    proc = cli("pipeline", str(raw), "--out", str(out), *QUICK, "--page-timeout", "0.000001")
    manifest = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["pages"]}
    assert sum(e["reason"].startswith("timeout") for e in manifest.values() if e["reason"]) >= 1, proc.stderr
    assert cli("pipeline", str(raw), "--out", str(out), *QUICK).returncode == 0
    manifest = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["pages"]}
    assert all(e["status"] == "published" for p, e in manifest.items() if p != "empty.txt")
    assert manifest["empty.txt"]["reason"].startswith("empty")


def test_removed_pages_are_reported_whatever_moment_a_run_is_killed(tmp_path):
    """kill -9 during an incremental run: the pages gone from raw are named by a run report, the
    killed run's if it got that far, else the rerun's."""
    raw, base = tmp_path / "raw", tmp_path / "base"
    raw.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW.iterdir())]
    for i in range(150):
        (raw / f"p{i:03}.txt").write_text(texts[i % 5] + f"\n附录第{i}号\n", encoding="utf-8")
    assert cli("pipeline", str(raw), "--out", str(base), *QUICK, "--no-docx").returncode == 0
    gone = {f"p{i:03}.txt" for i in range(0, 150, 15)}
    for name in gone:
        (raw / name).unlink()
    for trial, delay in enumerate((0.3, 0.8, 1.3, 1.8, 2.6)):
        out = tmp_path / f"out{trial}"
        shutil.copytree(base, out)
        cmd = [sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), *QUICK, "--no-docx"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert cli("pipeline", str(raw), "--out", str(out), *QUICK, "--no-docx").returncode == 0
        reported = set()
        for report in (out / "runs").iterdir():
            reported |= set(json.loads(report.read_text(encoding="utf-8"))["removed_pages"])
        assert gone <= reported, (delay, sorted(gone - reported))
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert not gone & {e["path"] for e in manifest["pages"]}


# ---- stopping and failing cleanly -------------------------------------------------------------------

def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("entry", ["pipeline", "flows.ingest"])
def test_ctrl_c_stops_at_once_with_one_line(entry, tmp_path):
    """Ctrl-C reaches the whole process group (and Prefect's temporary server with it): the run stops
    within seconds, says in one line what is kept, exits 130, and the next run finishes the work."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW.iterdir())]
    for i in range(3000):
        (raw / f"p{i:04}.txt").write_text(texts[i % 5] + f"\n附录第{i}号\n", encoding="utf-8")
    cmd = [sys.executable, "-m", entry, *(["ingest"] if entry == "pipeline" else []), str(raw), "--out", str(out),
           *QUICK, "--no-docx"]
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect_home")}
    # A terminal's job: Ctrl-C as the shell leaves it (the test process may run with SIGINT ignored,
    # and an ignored signal is inherited: then the command rightly ignores it too)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True, preexec_fn=_default_sigint)
    deadline = time.monotonic() + 120
    while not (out / "json").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)  # stopped while it publishes
    os.killpg(proc.pid, signal.SIGINT)
    stopped = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr[-2000:]
    assert time.monotonic() - stopped < 5
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith("interrupted: ")]
    proc = cli("pipeline", str(raw), "--out", str(out), *QUICK, "--no-docx")
    assert proc.returncode == 0 and json.loads(proc.stdout)["pages"] == 3000


def test_a_full_disk_during_a_flow_run_is_one_line_and_no_retries(tmpfs, tmp_path):
    """The flow once retried writes that no retry can mend and printed three tracebacks (123 lines):
    a full disk ends the flow Failed with one `error:` line, exit 2, every file whole."""
    out = tmpfs / "out"
    proc = cli("flows.ingest", str(RAW), "--out", str(out), *QUICK, env={"PREFECT_HOME": str(tmp_path / "home")})
    assert proc.returncode == 2, proc.stderr[-3000:]
    (line,) = error_lines(proc)
    assert "no space left on the device" in line
    assert "Traceback" not in proc.stderr and "Retrying" not in proc.stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
