"""Command lines as an editor or a data engineer meets them (issue #24, item 13): a typo gets its
command's usage and a suggestion, a wrong file or a busy port a one-line reason, relative locations
are named where they are, and the flow's artifact says what the run did."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RAW, ROOT
from test_runs import cli


@pytest.mark.parametrize("entry", ["pipeline", "flows.ingest"])
def test_a_mistyped_option_gets_its_command_s_usage_and_a_suggestion(entry, tmp_path):
    proc = cli(entry, str(RAW), "--out", str(tmp_path / "out"), "--no-dcox")
    assert proc.returncode == 2 and "did you mean --no-docx?" in proc.stderr
    assert f"usage: python -m {entry}{' ingest' if entry == 'pipeline' else ''}" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_relative_location_is_named_where_it_is(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "no_such_raw", "--out", "out"], cwd=tmp_path,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2 and f"no_such_raw ({tmp_path / 'no_such_raw'})" in proc.stderr


def test_docx_given_a_raw_page_says_what_it_wants(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "docx", str(RAW / sorted(p.name for p in RAW.iterdir())[0]),
                           "--out", str(tmp_path / "x.docx")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "is not a question set" in proc.stderr and "Traceback" not in proc.stderr
    assert "validation error" not in proc.stderr and not (tmp_path / "x.docx").exists()


def test_review_on_a_busy_port_says_so_before_printing_its_address(seed_run):
    out, _ = seed_run
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "pipeline", "review", "--clean", str(out), "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and f"port {port} on 127.0.0.1 is in use" in proc.stderr
    assert "http://" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_bench_commands_without_the_dev_set_say_where_they_looked(monkeypatch, capsys):
    from bench import devset

    with pytest.raises(SystemExit) as stopped:
        devset.require_shared(Path("/nowhere/shared/devset/raw"))
    assert stopped.value.code == 2 and "the dev set is not at /nowhere/shared/devset/raw" in capsys.readouterr().err


def test_deploy_help_names_every_option_with_its_default():
    proc = subprocess.run([sys.executable, "-m", "flows.deploy", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0
    for option, default in (("--raw", "raw"), ("--out", "clean"), ("--cron", "0 2 * * *"), ("--name", "nightly-ingest"),
                            ("--batch-size", "500"), ("--timezone", "UTC")):
        assert option in proc.stdout and f"(default: {default})" in " ".join(proc.stdout.split())
    from flows.deploy import build_deployment

    assert build_deployment("raw", "clean", name="exams-2026").name == "exams-2026"


def test_the_artifact_names_the_pages_a_run_published_and_rejected(tmp_path):
    """What a run did, by page: the published ones, the rejected ones with why; a run where every page
    was unchanged says so instead of 'no warnings'."""
    from flows.flow import summary_markdown
    from pipeline.run import ingest as core

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for p in sorted(RAW.iterdir())[:2]:
        (raw / p.name).write_bytes(p.read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    first = summary_markdown(core.ingest(str(raw), str(out), docx=False, bank=False), str(out))
    names = sorted(p.name for p in RAW.iterdir())[:2]
    assert f"**Published this run (2):** {names[0]}, {names[1]}" in first
    assert "- empty.txt: empty" in first
    (raw / "empty.txt").unlink()
    again = summary_markdown(core.ingest(str(raw), str(out), docx=False, bank=False), str(out))
    assert "no page was processed this run (2 unchanged" in again and "Published this run" not in again
    report = json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text(encoding="utf-8"))
    assert report["published_pages"] == [] and report["rejected_pages"] == []
