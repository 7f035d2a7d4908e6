"""Publishing: layout, idempotent reruns, changed and removed pages, schema and clean/ in sync."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import RAW, ROOT, load_manifest, run_ingest

from pipeline.models import QuestionSet
from pipeline.publish.schema import schema_text
from pipeline.run import isolate
from pipeline.run.ingest import Stages, learn, run
from pipeline.run.options import IngestOptions
from pipeline.store.storage import LocalStorage


def snapshot(out):
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file() and "runs" not in p.parts and not p.name.startswith(".")}


def test_layout_and_contract_fields(seed_run):
    out, sets = seed_run
    assert (out / "manifest.json").is_file() and (out / "questions.jsonl").is_file()
    for qset in sets.values():
        for key in ("schema_version", "id", "title", "truncated", "source", "sections", "warnings"):
            assert key in qset
        assert set(qset["source"]) >= {"path", "sha256", "site"}
        for section in qset["sections"]:
            assert set(section) >= {"heading", "score_each", "count_declared", "score_total", "questions"}
            for q in section["questions"]:
                assert set(q) >= {"id", "number", "stem", "options", "answer", "analysis", "score"}
        QuestionSet.model_validate(qset)
    raw_text = (out / "json" / f"{next(iter(sets.values()))['id']}.json").read_text(encoding="utf-8")
    assert "\\u" not in raw_text  # UTF-8, not ASCII-escaped


def test_questions_jsonl_has_every_question_with_its_set(seed_run):
    out, sets = seed_run
    rows = [json.loads(line) for line in (out / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == sum(len(s["questions"]) for q in sets.values() for s in q["sections"])
    ids = {q["id"] for q in sets.values()}
    assert {r["set_id"] for r in rows} == ids


def test_manifest_entries(seed_run):
    out, _sets = seed_run
    manifest = load_manifest(out)
    assert len(manifest["pages"]) == 5
    for entry in manifest["pages"]:
        assert entry["status"] == "published" and len(entry["sha256"]) == 64
        assert (out / entry["output"]).is_file()


def test_manifest_is_one_entry_a_line_and_reads_back(tmp_path):
    from pipeline.models import Manifest, ManifestEntry
    from pipeline.publish.files import read_manifest, write_manifest
    from pipeline.store.entries import Entries
    from pipeline.store.storage import LocalStorage

    store = LocalStorage(str(tmp_path))
    rows = [ManifestEntry(path=f"题/{i}.txt", sha256="0" * 64, status="published", set_id=f"s{i}", output=f"json/s{i}.json",
                          questions=i) for i in range(3)]
    rows.append(ManifestEntry(path="bad.txt", sha256=None, status="rejected", reason="empty: nothing"))
    fingerprints = {"pages": "p1", "docx": None}
    write_manifest(store, "0.1.0+p1", fingerprints, Entries(rows), ["gone.txt"])
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert len(text.splitlines()) == 2 + len(rows)  # head, a line per page, tail: greppable
    manifest = Manifest.model_validate_json(text)  # and still one JSON document
    assert manifest.pages == rows and manifest.removed_pages == ["gone.txt"]
    previous = read_manifest(store)
    assert [previous.entries[r.path] for r in rows] == rows and len(previous.entries) == 4
    assert previous.fingerprints == fingerprints and previous.problem is None
    (tmp_path / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    assert [read_manifest(store).entries[r.path] for r in rows] == rows  # other layouts: parsed whole
    (tmp_path / "manifest.json").write_text(text[: len(text) // 2], encoding="utf-8")
    cut = read_manifest(store)  # cut short: no previous run, never a crash, and the run is told
    assert not cut.entries and "damaged" in cut.problem


def test_rerun_is_idempotent_and_incremental(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = tmp_path / "out"
    first = run_ingest(raw, out)
    assert first["published"] == 5
    before = snapshot(out)
    second = run_ingest(raw, out)
    assert second["unchanged"] == 5 and second["published"] == 0
    after = snapshot(out)
    changed = [k for k in before if before[k] != after.get(k)]
    assert changed == ["manifest.json"]  # only the statuses: published → unchanged
    third = run_ingest(raw, out)
    assert third["unchanged"] == 5
    assert snapshot(out) == after  # nothing at all is rewritten now


def test_changed_page_replaces_its_outputs_and_removed_page_is_reported(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = tmp_path / "out"
    run_ingest(raw, out)
    old = {e["path"]: e["set_id"] for e in load_manifest(out)["pages"]}
    page = raw / "004_9b367ef1490fc05b.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("如何应对愤怒的客户", "如何安抚愤怒的客户"), encoding="utf-8")
    (raw / "003_b30d6964a8366597.txt").unlink()
    report = run_ingest(raw, out)
    assert report["published"] == 1 and report["unchanged"] == 3
    assert report["removed_pages"] == ["003_b30d6964a8366597.txt"]
    new = {e["path"]: e["set_id"] for e in load_manifest(out)["pages"]}
    assert new["004_9b367ef1490fc05b.txt"] != old["004_9b367ef1490fc05b.txt"]
    names = {p.stem for p in (out / "json").glob("*.json")}
    assert names == set(new.values())  # no stale set left behind
    assert old["003_b30d6964a8366597.txt"] not in names


def test_same_content_twice_is_one_set(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (RAW / "000_582ef3be546073bd.txt").read_bytes()
    (raw / "a.txt").write_bytes(text)
    (raw / "b.txt").write_bytes(text)
    out = tmp_path / "out"
    run_ingest(raw, out)
    entries = {e["path"]: e for e in load_manifest(out)["pages"]}
    assert entries["a.txt"]["status"] == "published"
    assert entries["b.txt"]["status"] == "rejected" and "duplicate" in entries["b.txt"]["reason"]


def test_same_input_gives_byte_identical_output(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run_ingest(RAW, a)
    run_ingest(RAW, b)
    assert {k: v[1] for k, v in snapshot(a).items()} == {k: v[1] for k, v in snapshot(b).items()}


def test_schema_file_is_generated_from_the_models():
    committed = (ROOT / "schemas" / "question_set.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `make schema` (python -m pipeline schema)"


def test_published_sets_validate_against_the_json_schema(seed_run):
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "question_set.schema.json").read_text(encoding="utf-8"))
    for qset in seed_run[1].values():
        jsonschema.validate(qset, schema)


def test_a_fresh_clone_publishes_the_seeds_and_stays_clean(tmp_path):
    """clean/ is the run's output, not source: a fresh clone tracks only its README, so the first
    `make ingest` there shows the work it did and dirties nothing git tracks."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    assert subprocess.run(["git", "ls-files", "clean"], cwd=clone, capture_output=True, text=True,
                          check=True).stdout.split() == ["clean/.qset-output", "clean/README.md"]
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "raw", "--out", "clean", "--quiet"],
                          cwd=clone, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    seeds = len(list((clone / "raw").iterdir()))
    assert json.loads(proc.stdout)["published"] == seeds
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True)
    assert status.stdout == ""


def test_entries_spill_to_disk_and_survive_pickling(monkeypatch):
    import pickle

    from pipeline.models import ManifestEntry
    from pipeline.store.entries import Entries

    monkeypatch.setattr(Entries, "SPOOL_BYTES", 1000)  # a few rows, then the buffer moves to a temp file
    rows = [ManifestEntry(path=f"{name}.txt", sha256=None, status="rejected", reason="empty: 空") for name in
            ["b", "a", "题", "c"] * 10]
    entries = Entries(rows)
    assert entries._buffer._rolled  # on disk now
    assert list(entries) == rows and len(entries) == 40
    assert [e.path for e in entries.sorted_by_path()] == sorted(e.path for e in rows)
    assert list(pickle.loads(pickle.dumps(entries))) == rows  # batches go to and from Dask workers
    more = Entries(rows[:2])
    more.extend(entries)
    assert list(more) == rows[:2] + rows


def test_discovery_sorts_like_paths_and_skips_hidden(tmp_path):
    from pipeline.run.ingest import discover

    for rel in ["a-b/x.txt", "a/b/y.txt", "a/z.txt", ".hidden/h.txt", "a/.h.txt", "题/q.txt", "0.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    assert [f.rel for f in discover(str(tmp_path))] == ["0.txt", "a/b/y.txt", "a/z.txt", "a-b/x.txt", "题/q.txt"]


class _LearnKeepsNothing(Stages):
    """The stages as a flow runs them: the learn pass hands no page on, every page is read in its batch."""

    def learn(self, files, options):
        learned = learn(files, options)
        isolate.worker(options).call(("reset",))  # nothing the learn pass read is handed on
        return learned


def test_the_learn_pass_hands_its_pages_on_and_changes_no_output(tmp_path, monkeypatch):
    """A sampled page is read once per run, not once to learn and again to process, and the outputs
    and the run's step counts are those of a run that reads it twice."""
    reads: list[str] = []
    real_read = LocalStorage.read
    monkeypatch.setattr(LocalStorage, "read", lambda self, rel, limit=None: reads.append(rel) or real_read(self, rel, limit))
    handed = run(IngestOptions(raw=str(RAW), out=str(tmp_path / "handed"), bank=False, in_process=True), Stages())
    raw_reads = [r for r in reads if not r.startswith(("json/", "removed/", "docx/", "manifest"))]
    assert sorted(raw_reads) == sorted(p.name for p in RAW.iterdir() if p.is_file())  # each page once
    twice = run(IngestOptions(raw=str(RAW), out=str(tmp_path / "twice"), bank=False, in_process=True),
                _LearnKeepsNothing())
    assert snapshot_bytes(tmp_path / "handed") == snapshot_bytes(tmp_path / "twice")
    assert handed.stats["pages_per_step"] == twice.stats["pages_per_step"]
    assert handed.stats["removed_lines_by_rule"] == twice.stats["removed_lines_by_rule"]


def snapshot_bytes(out):
    return {rel: data for rel, (_, data) in snapshot(out).items() if rel != "manifest.json"}
