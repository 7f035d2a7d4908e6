"""Every core of the machine, the same bytes: batches run on several worker processes at once
(`--workers`, default the cores this process may use), and nothing a user can see depends on how
many: the outputs, the manifest, the limits and Ctrl-C behave as with one."""

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
from conftest import RAW, ROOT, load_manifest

from bench.corpus import generate
from pipeline.run.ingest import ingest
from pipeline.run.options import IngestOptions, cores, worker_count


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file's bytes but the per-run report and the hidden lock."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "runs" not in p.parts and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated pages, the seeds, a page twice under two names, and a page that is no page."""
    raw = tmp_path_factory.mktemp("scale_raw")
    generate(raw / "gen", pages=60)
    shutil.copytree(RAW, raw / "seeds")
    first = sorted((raw / "seeds").iterdir())[0]
    shutil.copy(first, raw / "zz_copy_of_a_seed.txt")
    (raw / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return raw


def test_the_outputs_are_the_same_bytes_at_one_and_at_two_workers(corpus, tmp_path):
    """Sets, DOCX editions, removal records, the bank, questions.jsonl and the manifest: batches
    finish in any order on two workers, yet every file is the byte a one-worker run writes."""
    one = ingest(corpus, tmp_path / "one", workers=1)
    two = ingest(corpus, tmp_path / "two", workers=2)
    assert (one.published, one.rejected) == (two.published, two.rejected) and two.published >= 60
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    assert two.phases.keys() == {"discover", "learn", "batches", "finish"}


def test_an_incremental_run_on_two_workers_changes_nothing(corpus, tmp_path):
    """A second run reads every page as unchanged (but the copy of a seed, read again to learn that it
    is a copy) and rewrites nothing but the manifest's statuses."""
    out = tmp_path / "out"
    ingest(corpus, out, workers=2)
    before = outputs(out)
    again = ingest(corpus, out, workers=2)
    assert again.published <= 1 and again.unchanged >= 64
    after = outputs(out)
    assert after.pop("manifest.json") != before.pop("manifest.json")  # "published" became "unchanged"
    assert after == before


def test_the_default_is_every_core_this_process_may_use():
    options = IngestOptions(raw=str(RAW), out="out")
    assert worker_count(options) == len(os.sched_getaffinity(0)) == cores()
    assert worker_count(IngestOptions(raw=str(RAW), out="out", workers=1)) == 1


def test_a_page_past_its_limit_on_one_worker_leaves_the_other_batches_alone(tmp_path):
    """A page that runs past --page-timeout is rejected, its worker replaced; the batches on the
    other worker are published as usual."""
    raw = tmp_path / "raw"
    generate(raw, pages=40)
    big = "练习\n" + "客户投诉时首先应该做什么？倾听并复述诉求。" * 300_000 + "\n"
    (raw / "slow.txt").write_text(big, encoding="utf-8")
    report = ingest(raw, tmp_path / "out", workers=2, page_timeout=0.5, docx=False, bank=False)
    entry = next(e for e in load_manifest(tmp_path / "out")["pages"] if e["path"] == "slow.txt")
    assert entry["status"] == "rejected" and entry["reason"].startswith("timeout"), entry
    assert report.published == 40


def _workers_of(pid: int) -> list[int]:
    """Worker processes (`python -m pipeline.run.isolate`) started by `pid`."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                cmd = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat[1]) == pid and b"pipeline.run.isolate" in cmd:
                found.append(int(proc.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_ctrl_c_on_two_workers_stops_every_worker_and_keeps_the_last_manifest(tmp_path):
    """Ctrl-C in the middle of a two-worker run: exit 130 with the one-line message, both worker
    processes gone, the last finished run's manifest untouched, and the next run completes."""
    raw = tmp_path / "raw"
    generate(raw, pages=30)
    out = tmp_path / "out"
    ingest(raw, out, workers=1)
    manifest = (out / "manifest.json").read_bytes()
    generate(raw / "more", pages=3000, seed=11)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out),
                             "--workers", "2", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(_workers_of(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _workers_of(proc.pid)
    assert len(workers) == 2, "the run never had two workers"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr.decode()[-2000:]
    assert stderr.decode().strip().splitlines()[-1].startswith("interrupted:")
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "Z" not in (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0])]
    assert (out / "manifest.json").read_bytes() == manifest
    again = ingest(raw, out, workers=2, docx=False, bank=False)
    assert again.published + again.unchanged == 3030
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["pages"]


def test_a_page_creates_only_its_set_and_its_editions(tmp_path):
    """The kernel's time to create files was half of a big run on disk: a page's removal record is a
    row of one removed.jsonl, not a file of its own; a page owns its set and its two editions."""
    out = tmp_path / "out"
    report = ingest(RAW, out)
    per_page = [p for p in out.rglob("*") if p.is_file() and p.parent.name in ("json", "docx", "removed")]
    assert len(per_page) == 3 * report.published
    rows = [json.loads(line) for line in (out / "removed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["set_id"] for r in rows] == sorted(p.stem for p in (out / "json").iterdir())
    assert any(r["removed"] for r in rows)  # the seeds carry site chrome


def test_an_output_folder_of_an_older_version_moves_its_removal_records(tmp_path):
    """A folder written by a version that kept one removed/<set_id>.json a set: the next run writes
    removed.jsonl (here the old record is carried over for a page it does not process again) and
    deletes the old files; the set, its editions and the manifest stay as they were."""
    out = tmp_path / "out"
    ingest(RAW, out, workers=1)
    rows = {json.loads(line)["set_id"]: json.loads(line) for line in
            (out / "removed.jsonl").read_text(encoding="utf-8").splitlines()}
    (out / "removed").mkdir()
    for set_id, row in rows.items():  # as the older version wrote them
        (out / "removed" / f"{set_id}.json").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "removed.jsonl").write_text("", encoding="utf-8")
    before = outputs(out)
    again = ingest(RAW, out, workers=1)
    assert again.unchanged == len(rows)
    assert not list((out / "removed").glob("*.json"))
    moved = {json.loads(line)["set_id"]: json.loads(line) for line in
             (out / "removed.jsonl").read_text(encoding="utf-8").splitlines()}
    assert moved == rows
    after = outputs(out)
    for rel in [r for r in before if r.startswith(("json/", "docx/"))]:
        assert after[rel] == before[rel]
