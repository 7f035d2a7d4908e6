"""The Prefect flow: same outputs as the core, incremental reruns, Dask, fsspec storage, schedules."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import RAW, load_manifest, run_ingest

from flows.deploy import build_deployment
from flows.flow import clean_parse_publish, run, summary_markdown
from pipeline.run import ingest as core
from pipeline.run.options import IngestOptions


def outputs(out):
    """Every output file's bytes, without the per-run report."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "runs" not in p.parts and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def core_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("core")
    run_ingest(RAW, out)
    return out


def test_flow_writes_what_the_core_writes_then_reports_unchanged(harness, core_out, tmp_path):
    out = tmp_path / "flow"
    report = run(str(RAW), str(out), batch_size=2)
    assert report["published"] == 5 and report["rejected"] == 0
    assert outputs(out) == outputs(core_out)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (out / "json").iterdir()}
    again = run(str(RAW), str(out), batch_size=2)
    assert again["unchanged"] == 5 and again["published"] == 0
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (out / "json").iterdir()} == before
    assert {e["status"] for e in load_manifest(out)["pages"]} == {"unchanged"}


def test_the_artifact_lists_each_site_and_links_the_sets_to_review(harness, tmp_path):
    """What a data engineer opens in the Prefect UI the next morning: the per-site table and the sets
    that need review, each linked to its JSON."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "site_x").mkdir(parents=True)
    answered = "".join(f"{n}.第{n}题的内容是什么?\n答案:第{n}个答案\n" for n in range(1, 5))
    (raw / "site_x" / "p.txt").write_text("练习题\n" + answered + "5.第5题的内容是什么?\n6.第6题是什么?\n答案:六\n",
                                          encoding="utf-8")
    report = run(str(raw), str(out), docx=False, bank=False)
    (flagged,) = report["needs_review"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
                                          sort="CREATED_DESC", limit=1)
    text = artifacts[0].data
    assert "| site_x | 1 | 1 | 0 | 1 |" in text and "| since the last run |" in text
    assert f"[site_x/p.txt]({(out / flagged['json']).resolve().as_uri()})" in text and "answers_missing: 5" in text


def test_dask_runner_gives_identical_output(harness, core_out, tmp_path):
    out = tmp_path / "dask"
    report = run(str(RAW), str(out), batch_size=2, runner="dask")
    assert report["published"] == 5
    assert outputs(out) == outputs(core_out)


def test_fsspec_memory_filesystem_for_raw_and_output(harness, core_out):
    import fsspec

    fs = fsspec.filesystem("memory")
    for path in sorted(RAW.glob("*.txt")):
        fs.pipe_file(f"/raw-test/{path.name}", path.read_bytes())
    report = run("memory://raw-test", "memory://clean-test", batch_size=3)
    assert report["published"] == 5
    for rel, data in outputs(core_out).items():
        if rel != "manifest.json":
            assert fs.cat_file(f"/clean-test/{rel}") == data, rel
    manifest = json.loads(fs.cat_file("/clean-test/manifest.json"))
    assert [e["status"] for e in manifest["pages"]] == ["published"] * 5


def test_batch_task_rejects_a_bad_page_and_goes_on(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    files = core.discover(str(raw))
    options = IngestOptions(raw=str(raw), out=str(tmp_path / "out"))
    entries, stats, _ = clean_parse_publish.fn(core.PageBatch(files, None, {}, options))
    status = {e.path: e.status for e in entries}
    assert status.pop("broken.txt") == "rejected" and set(status.values()) == {"published"}
    assert stats.rejected == {"binary": 1}


def test_summary_markdown_lists_counts_reasons_warnings_and_stages(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "empty.txt").write_bytes(b"")
    report = core.ingest(str(raw), str(tmp_path / "out"))
    text = summary_markdown(report, str(tmp_path / "out"))
    assert "| 6 | 5 | 0 | 1 | 59 |" in text
    assert "empty: 1" in text and "count_mismatch" in text and "| parse |" in text
    report.warnings.append("no pages found under raw")  # what a run says about itself reaches the artifact
    assert "**Run warnings:**\n- no pages found under raw" in summary_markdown(report, str(tmp_path / "out"))


def test_deployment_carries_schedule_and_parameters():
    deployment = build_deployment("raw", "clean", cron="30 3 * * *", batch_size=50)
    assert deployment.name == "nightly-ingest"
    assert deployment.parameters == {"raw_dir": "raw", "out": "clean", "batch_size": 50}
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "30 3 * * *"


def test_a_second_flow_on_the_same_output_does_not_interleave(harness, tmp_path):
    from pipeline.run.lock import LockedError, output_lock

    out = tmp_path / "locked"
    with output_lock(str(out)), pytest.raises(LockedError):
        run(str(RAW), str(out))
    assert not (out / "json").exists()


def test_the_install_step_makes_prefects_database_in_the_flows_home(tmp_path):
    """`make` runs `python -m flows.database` when it installs, so a first run finds the database made."""
    import os
    import subprocess
    import sys

    home = tmp_path / "prefect_home"
    env = {**os.environ, "PREFECT_HOME": str(home)}
    proc = subprocess.run([sys.executable, "-m", "flows.database"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (home / "prefect.db").stat().st_size > 0


def test_an_existing_dask_cluster_of_processes_gives_identical_output(harness, core_out, tmp_path, monkeypatch):
    """`--dask-address` with worker processes, as on a real cluster: the workers reach the flow's API
    through PREFECT_API_URL (set before they start, as a deployment sets it), run the batch tasks,
    and every file is the byte a one-process core run writes."""
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "dask_processes"
        report = run(str(RAW), str(out), batch_size=2, runner="dask", dask_address=cluster.scheduler_address)
    assert report["published"] == 5
    assert outputs(out) == outputs(core_out)


def test_the_command_starts_its_own_temporary_server_and_leaves_none(tmp_path, monkeypatch):
    """`python -m flows.ingest` starts Prefect's temporary server itself, before it imports Prefect (the
    client then never imports the server application: ~3 s of every run), sends it the run's last logs
    at exit without a connection error, and leaves no server behind; with PREFECT_API_URL set it starts
    none."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    from flows.reaper import _servers

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "home")
    before = set(_servers())
    proc = subprocess.run([sys.executable, "-m", "flows.ingest", str(RAW), "--out", str(tmp_path / "out"), "--quiet",
                           "--no-docx", "--no-bank"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "connection attempts failed" not in proc.stderr.lower() and "Starting temporary server" not in proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1])["published"] == len(list(RAW.iterdir()))
    assert set(_servers()) <= before

    from flows.server import start_temporary_server

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert start_temporary_server() is None  # a configured server is the run's
