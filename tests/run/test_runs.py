"""A run as a scheduler meets it: one set of options and messages on both entry points, a state
that an edit of code or data cannot leave stale, and recovery from damaged state, a full disk,
a read-only folder. Every test runs the real command lines in subprocesses on real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RAW, ROOT

from pipeline.run.lock import output_lock

ENTRY_POINTS = ["pipeline", "flows.ingest"]  # `python -m pipeline ingest …`, `python -m flows.ingest …`
QUICK = ("--quiet", "--no-bank")  # where the bank is not what a test is about, it spares jieba's start-up


def cli(entry: str, *args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 300):
    cmd = [sys.executable, "-m", entry, *(["ingest"] if entry == "pipeline" else []), *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def outputs(out: Path) -> dict[str, bytes]:
    """Every output's bytes, without the per-run reports and the manifest's statuses."""
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and "runs" not in p.parts and p.name != "manifest.json" and not p.name.startswith(".")}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["pages"]:
        entry.pop("status")
    found["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return found


def one_line_error(proc: subprocess.CompletedProcess, code: int, words: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stderr[-2000:])
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


# ---- one set of options, one set of messages -------------------------------------------------------

@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_user_mistakes_are_one_line_and_exit_2_before_any_server_starts(entry, tmp_path):
    prefect_home = tmp_path / "prefect_home"
    env = {"PREFECT_HOME": str(prefect_home)}
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    one_line_error(cli(entry, str(RAW), "--out", str(a_file), env=env), 2, "is a file, not a folder")
    one_line_error(cli(entry, str(RAW), "--out", str(a_file / "below"), env=env), 2, "is a file, not a folder")
    missing_out = tmp_path / "never_created"
    one_line_error(cli(entry, str(tmp_path / "no_such_raw"), "--out", str(missing_out), env=env), 2,
                   "raw folder not found")
    assert not missing_out.exists()  # a run that cannot start creates nothing
    one_line_error(cli(entry, str(RAW), "--out", "", env=env), 2, "--out is empty")
    one_line_error(cli(entry, str(RAW), "--out", str(missing_out), "--max-bytes", "0", env=env), 2,
                   "--max-bytes must be at least 1")
    one_line_error(cli(entry, str(RAW), "--out", str(missing_out), "--keep-runs", "0", env=env), 2,
                   "--keep-runs must be at least 1")
    if entry == "flows.ingest":
        one_line_error(cli(entry, str(RAW), "--out", str(missing_out), "--batch-size", "0", env=env), 2,
                       "--batch-size must be at least 1")
    locked = tmp_path / "locked"
    with output_lock(str(locked)):  # another run is writing: exit 3, also before any server starts
        one_line_error(cli(entry, str(RAW), "--out", str(locked), env=env), 3, "being written by another ingest")
    assert not prefect_home.exists()  # Prefect never started: the answers cost no server start-up


def test_deploy_mistakes_are_one_line(tmp_path):
    def deploy(*args: str, url: str | None = "http://127.0.0.1:9/api"):
        env = {**os.environ, "PREFECT_HOME": str(tmp_path / "ph")}
        env.pop("PREFECT_API_URL", None)
        if url:
            env["PREFECT_API_URL"] = url
        return subprocess.run([sys.executable, "-m", "flows.deploy", "--raw", str(RAW), *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, env=env)

    one_line_error(deploy(url=None), 2, "prefect server start")
    one_line_error(deploy(), 2, "no Prefect server answers at http://127.0.0.1:9/api")
    one_line_error(deploy("--batch-size", "0"), 2, "--batch-size must be at least 1")
    one_line_error(deploy("--cron", "61 2 * * *"), 2, "is not a cron expression Prefect accepts")


def test_a_bad_cron_is_refused_with_prefects_own_rule():
    from flows.deploy import check_cron
    from pipeline.errors import CannotRun

    check_cron("0 2 * * *")
    with pytest.raises(CannotRun, match="not a cron expression"):
        check_cron("61 2 * * *")
    with pytest.raises(CannotRun, match="not a cron expression"):
        check_cron("every night")


def test_an_empty_raw_folder_warns_and_never_clears_earlier_outputs(tmp_path):
    empty, out = tmp_path / "empty", tmp_path / "out"
    empty.mkdir()
    proc = cli("pipeline", str(empty), "--out", str(out), *QUICK)
    assert proc.returncode == 0 and f"warning: no pages found under {empty}" in proc.stderr
    report = json.loads(proc.stdout)
    assert report["pages"] == 0 and report["warnings"] == [f"no pages found under {empty}"]
    run_report = json.loads(next((out / "runs").iterdir()).read_text(encoding="utf-8"))
    assert run_report["warnings"] == report["warnings"]  # the flow's artifact lists the same
    assert cli("pipeline", str(RAW), "--out", str(out), *QUICK, "--no-docx").returncode == 0
    held = sorted((out / "json").iterdir())
    # An unmounted share looks like an empty folder: refuse to delete what earlier runs published.
    one_line_error(cli("pipeline", str(empty), "--out", str(out), *QUICK), 2, "refusing to delete them")
    assert sorted((out / "json").iterdir()) == held
    proc = cli("pipeline", str(empty), "--out", str(out), *QUICK, "--allow-empty")
    assert proc.returncode == 0 and not list((out / "json").iterdir())


def test_run_reports_are_kept_for_the_last_n_runs(tmp_path):
    out = tmp_path / "out"
    for _ in range(4):
        assert cli("pipeline", str(RAW), "--out", str(out), *QUICK, "--no-docx", "--keep-runs", "2").returncode == 0
    reports = sorted((out / "runs").iterdir())
    assert len(reports) == 2
    assert all(json.loads(p.read_text())["unchanged"] == 5 for p in reports)  # the newest two are kept


# ---- a fingerprint of everything that changes an output ------------------------------------------

def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT / "pipeline", dest / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "raw").mkdir()
    for seed in sorted(RAW.iterdir())[:2]:  # two seeds carry every kind of output an edit below changes
        shutil.copy(seed, dest / "raw" / seed.name)
    return dest


def fingerprints_in(work: Path) -> dict[str, str]:
    code = "import json; from pipeline.store.fingerprint import fingerprints; print(json.dumps(fingerprints()))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


FUTURE = "from __future__ import annotations\n"
EDITS = {  # kind of input → (file below pipeline/, old text, new text, the fingerprints it must change)
    "docstring": ("grammar/parse.py", '"""', '"""A sentence of prose, nothing more. ', set()),
    "comment": ("bank/index.py", "THRESHOLD = 0.62", "THRESHOLD = 0.62  # a comment", set()),
    "parser code": ("grammar/parse.py", FUTURE, FUTURE + "EXTRA_CONSTANT = 1\n", {"pages"}),
    "site rule": ("clean/sites/generic.toml", "\n", "\n# a comment line in TOML is data too\n", {"pages"}),
    "renderer": ("publish/docx.py", FUTURE, FUTURE + "EXTRA_CONSTANT = 1\n", {"docx"}),
    "synonyms": ("bank/data/synonyms.txt", "\n", "\n处理 应对 解决\n", {"bank"}),
    "tokenizer": ("bank/tokens.py", FUTURE, FUTURE + "EXTRA_CONSTANT = 1\n", {"bank"}),
    # the parser reads parts of speech (a term glued to its definition): jieba's words are both's
    "segmentation": ("grammar/words.py", FUTURE, FUTURE + "EXTRA_CONSTANT = 1\n", {"pages", "bank"}),
    "user dictionary": ("grammar/data/userdict.txt", "\n", "\n数控编程 10 n\n", {"pages", "bank"}),
    "bank parameter": ("bank/index.py", "KEYWORDS = 8", "KEYWORDS = 5", {"bank"}),
    # the renderer prints its words; the bank folds script with fold.py, which reads its traditional forms
    "grammar": ("grammar/labels.py", FUTURE, FUTURE + "EXTRA_CONSTANT = 1\n", {"pages", "docx", "bank"}),
    "models": ("models.py", FUTURE, FUTURE + "EXTRA_CONSTANT = 1\n", {"pages", "docx"}),  # the bank reads JSON
}


def test_the_fingerprint_moves_with_code_and_data_never_with_prose(tmp_path):
    work = copy_project(tmp_path / "work")
    before = fingerprints_in(work)
    for kind, (rel, old, new, moves) in EDITS.items():
        path = work / "pipeline" / rel
        original = path.read_text(encoding="utf-8")
        edit(path, old, new)
        after = fingerprints_in(work)
        changed = {name for name in before if before[name] != after[name]}
        assert changed == moves, f"{kind}: {changed} != {moves}"
        path.write_text(original, encoding="utf-8")


def test_every_data_file_of_the_package_is_in_a_fingerprint():
    from pipeline.store.fingerprint import COMPONENTS, describe

    covered = {rel for name in COMPONENTS for rel in describe(name)["data"]}
    package = ROOT / "pipeline"
    data = {p.relative_to(package).as_posix() for p in package.rglob("*")
            if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts}
    assert data and data <= covered, data - covered


@pytest.mark.parametrize("kind", ["synonyms", "site rule", "renderer", "bank parameter", "tokenizer code"])
def test_after_any_change_incremental_equals_a_full_rebuild(kind, tmp_path):
    edits = {  # edits that change outputs of the seeds
        "synonyms": ("bank/data/synonyms.txt", "\n", "\n客户 顾客 用户 客人 消费者\n"),
        "site rule": ("clean/sites/generic.toml", "  '^本文档由用户\\S{0,12}创建.*$',\n", ""),
        "renderer": ("publish/docx.py", "INDENT = 420", "INDENT = 520"),
        "bank parameter": ("bank/index.py", "KEYWORDS = 8", "KEYWORDS = 3"),
        "tokenizer code": ("bank/tokens.py", "def tokens(", "def _unused():\n    return 1\n\n\ndef tokens("),
    }
    rel, old, new = edits[kind]
    flags = ("--quiet", "--no-docx") if kind in ("synonyms", "bank parameter", "tokenizer code") else QUICK
    work = copy_project(tmp_path / "work")
    inc, full = work / "inc", work / "full"
    assert cli("pipeline", "raw", "--out", str(inc), *flags, cwd=work).returncode == 0
    before = outputs(inc)
    json_mtimes = {p.name: p.stat().st_mtime_ns for p in (inc / "json").iterdir()}
    edit(work / "pipeline" / rel, old, new)
    proc = cli("pipeline", "raw", "--out", str(inc), *flags, cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert cli("pipeline", "raw", "--out", str(full), *flags, cwd=work).returncode == 0
    assert outputs(inc) == outputs(full), kind
    if kind in ("synonyms", "bank parameter"):  # the bank is rebuilt; the sets are not touched
        assert outputs(inc)["bank/questions.jsonl"] != before["bank/questions.jsonl"]
        assert json.loads(proc.stdout)["published"] == 0
        assert {p.name: p.stat().st_mtime_ns for p in (inc / "json").iterdir()} == json_mtimes
    if kind == "site rule":
        assert outputs(inc)["questions.jsonl"] != before["questions.jsonl"] or any(
            outputs(inc)[k] != before[k] for k in before if k.startswith("json/"))
    if kind == "renderer":
        assert any(outputs(inc)[k] != before[k] for k in before if k.startswith("docx/"))


# ---- state that survives what schedules meet --------------------------------------------------------

@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference") / "out"
    assert cli("pipeline", str(RAW), "--out", str(out), *QUICK).returncode == 0
    return outputs(out)


@pytest.mark.parametrize("damage", ["truncated", "not json", "empty", "wrong shape"])
def test_a_damaged_manifest_is_rebuilt_with_a_warning(damage, reference, tmp_path):
    out = tmp_path / "out"
    assert cli("pipeline", str(RAW), "--out", str(out), *QUICK).returncode == 0
    manifest = out / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text({"truncated": text[: len(text) // 2], "not json": "<html>oops</html>", "empty": "",
                         "wrong shape": '{"pages": 3}'}[damage], encoding="utf-8")
    proc = cli("pipeline", str(RAW), "--out", str(out), *QUICK)
    assert proc.returncode == 0 and "warning: manifest.json is damaged" in proc.stderr
    assert "every page is processed again" in proc.stderr
    assert outputs(out) == reference


def test_a_stale_lock_of_a_killed_run_does_not_block(reference, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".ingest.lock").write_text("pid 999999")  # a run killed with kill -9 left its lock file
    proc = cli("pipeline", str(RAW), "--out", str(out), *QUICK)
    assert proc.returncode == 0, proc.stderr
    assert outputs(out) == reference


def test_a_full_disk_stops_the_run_and_the_next_run_finishes_the_work(tmpfs, reference):
    out = tmpfs / "out"
    proc = cli("pipeline", str(RAW), "--out", str(out), *QUICK)
    one_line_error(proc, 2, "no space left on the device")
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]  # nothing half-written
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    subprocess.run(["mount", "-o", "remount,size=20m", str(tmpfs)], check=True)
    proc = cli("pipeline", str(RAW), "--out", str(out), *QUICK)
    assert proc.returncode == 0, proc.stderr
    assert outputs(out) == reference


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_read_only_output_folder_is_refused_before_any_work(entry, tmpfs, tmp_path):
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    env = {"PREFECT_HOME": str(tmp_path / "prefect_home")}
    one_line_error(cli(entry, str(RAW), "--out", str(tmpfs / "out"), env=env), 2, "is not writable")
    one_line_error(cli(entry, str(RAW), "--out", str(tmpfs), env=env), 2, "is not writable")
