"""Crash safety: a run killed with SIGKILL at random points, then rerun, ends like a clean run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from bench.corpus import generate


def outputs(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "runs" not in p.parts and p.name != "manifest.json" and not p.name.startswith(".")}


def manifest_without_status(out):
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in data["pages"]:
        entry.pop("status")
    return data


def start(cmd, env=None):
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env=env)


def kill_group(proc):
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, as a machine crash would
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    raw = tmp_path_factory.mktemp("crash_raw")
    generate(raw, pages=150, seed=11, html_share=0.3)
    ref = tmp_path_factory.mktemp("crash_ref")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(ref), "--quiet"],
                          cwd=ROOT, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return raw, ref


def assert_complete_and_valid(out):
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every file that exists is whole
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_killed_core_runs_end_like_a_clean_run(corpus, tmp_path):
    raw, ref = corpus
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--quiet"]
    rng = random.Random(5)
    for _ in range(4):
        proc = start(cmd)
        time.sleep(rng.uniform(0.8, 2.5))
        if proc.poll() is None:
            kill_group(proc)
    for path in out.rglob("*.json"):
        if not path.name.startswith("."):
            json.loads(path.read_text(encoding="utf-8"))  # files in place are never half-written
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert_complete_and_valid(out)
    assert outputs(out) == outputs(ref)
    assert manifest_without_status(out) == manifest_without_status(ref)


def test_killed_flow_run_ends_like_a_clean_run(corpus, tmp_path):
    raw, ref = corpus
    out = tmp_path / "flow_out"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect_home")}
    cmd = [sys.executable, "-m", "flows.ingest", str(raw), "--out", str(out), "--batch-size", "25"]
    proc = start(cmd, env)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "json").glob("*.json"))) < 20:
        time.sleep(0.1)
    assert proc.poll() is None, "the flow ended before it could be killed"
    kill_group(proc)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert_complete_and_valid(out)
    assert outputs(out) == outputs(ref)
    assert manifest_without_status(out) == manifest_without_status(ref)
