"""Publish step: write question sets, the manifest and the bulk JSONL, atomically and idempotently.

Every file goes through `Storage.write_atomic` (temp file + rename on local disks), so a reader
or a killed run never sees half a file. A file whose bytes would not change is not touched, so a
rerun over unchanged input leaves mtimes alone. Paths come from `layout`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import orjson

from pipeline.models import Manifest, ManifestEntry, QuestionSet
from pipeline.store import layout
from pipeline.store.entries import Entries, PreviousEntries
from pipeline.store.storage import Storage


def encode_row(row: dict) -> str:
    """One JSONL row: compact, UTF-8 (orjson: the serial part of a big run writes hundreds of
    thousands of rows, and the standard encoder took most of its time)."""
    return orjson.dumps(row).decode("utf-8")


read_json = orjson.loads  # the sets read back after the batches (a set is validated when written)
MANIFEST_HEAD = '{"pipeline_version": %s, "fingerprints": %s, "pages": [\n'


def dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def set_bytes(qset: QuestionSet) -> bytes:
    return qset.model_dump_json(indent=1).encode("utf-8") + b"\n"  # pydantic-core: UTF-8, not ASCII-escaped


def removal_row(set_id: str, removed: list[tuple[str, str]]) -> str:
    """A set's removed lines as its row of removed.jsonl, for debugging the cleaner (kept out of the
    set so no chrome leaks into it)."""
    return encode_row({"set_id": set_id, "removed": [{"rule": rule, "text": text} for rule, text in removed]})


def removal_rows(out: Storage) -> dict[str, str]:
    """The rows of removed.jsonl by set id (empty when there is none)."""
    data = out.read_if_exists(layout.REMOVALS)
    return {read_json(line)["set_id"]: line.decode("utf-8") for line in data.splitlines() if line} if data else {}


def removals_of(out: Storage, set_id: str) -> list[dict]:
    """One set's removed lines ([] when none are recorded)."""
    row = removal_rows(out).get(set_id)
    return read_json(row)["removed"] if row else []


def write_removals(out: Storage, owners: Iterable[tuple[str, str, bool]], new_rows: dict[str, str]) -> None:
    """removed.jsonl for the live sets, one row a set in set-id order: the row this run made for the
    page that owns the set, else the last run's (an unchanged page), else the file an older version
    wrote for the set (removed/<set_id>.json), which then goes with the others of that folder.

    `owners`: (set id, owning page's path, whether this run processed it)."""
    old_rows = removal_rows(out)
    rows = []
    for set_id, path, processed in sorted(owners):
        row = new_rows.get(path) if processed else None
        if row is None:
            row = old_rows.get(set_id)
        if row is None:
            legacy = out.read_if_exists(layout.old_removed_rel(set_id))
            row = encode_row(read_json(legacy)) if legacy else None
        if row is not None:
            rows.append(row + "\n")
    out.write_lines_atomic(layout.REMOVALS, rows)
    for name in out.list_dir(layout.OLD_REMOVED):
        if name.endswith(".json") and layout.is_set_id(name[:-5]):
            out.delete(f"{layout.OLD_REMOVED}/{name}")


def outputs_digest(files: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for rel, data in files:
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:32]


def page_files(qset: QuestionSet, docx: bool) -> list[tuple[str, bytes]]:
    """Every output file of one page (set, editions) as (path, bytes), nothing written yet."""
    files = [(layout.set_rel(qset.id), set_bytes(qset))]
    return files + docx_files(qset) if docx else files


def docx_files(qset: QuestionSet) -> list[tuple[str, bytes]]:
    """The set's two editions as (path, bytes)."""
    from pipeline.publish.docx import render_set  # the renderer loads only when DOCX is published

    return list(zip(layout.docx_rels(qset.id), render_set(qset), strict=True))


def write_files(out: Storage, files: list[tuple[str, bytes]]) -> str:
    """Write a page's outputs; returns the digest of their bytes (kept in the manifest)."""
    for rel, data in files:
        out.write_atomic(rel, data)
    return outputs_digest(files)


def write_page(out: Storage, qset: QuestionSet, docx: bool) -> str:
    return write_files(out, page_files(qset, docx))


def digest_on_disk(out: Storage, set_id: str, docx: bool) -> str | None:
    """The digest of the page's outputs as they are now; None when one is missing."""
    files = []
    for rel in layout.page_outputs(set_id, docx):
        data = out.read_if_exists(rel)
        if data is None:
            return None
        files.append((rel, data))
    return outputs_digest(files)


def outputs_intact(out: Storage, set_id: str, docx: bool, digest: str | None) -> bool:
    """The page's outputs are all there and are the bytes the manifest recorded (nothing damaged)."""
    return digest is not None and digest_on_disk(out, set_id, docx) == digest


@dataclass
class ManifestState:
    """What the last run's manifest says: its entries, the fingerprints it was written with, and a
    problem when it exists but cannot be read (the run then reprocesses every page, and says so)."""

    entries: PreviousEntries = field(default_factory=PreviousEntries)
    fingerprints: dict[str, str | None] = field(default_factory=dict)
    problem: str | None = None


def read_manifest(out: Storage) -> ManifestState:
    """The last run's manifest, read line by line (one entry a line, as `write_manifest` writes them)."""
    data = out.read_if_exists(layout.MANIFEST)
    if data is None:
        return ManifestState()
    head, _, body = data.partition(b"\n")
    try:
        meta = json.loads(head + b"]}")
        rows: dict[str, bytes] = {}
        for line in body.splitlines():
            row = line.rstrip(b",")
            if row.startswith(b"{"):
                rows[ManifestEntry.model_validate_json(row).path] = row
        if not body.rstrip().endswith(b"}"):
            raise ValueError("it ends before its last line")
        return ManifestState(PreviousEntries(rows), dict(meta.get("fingerprints") or {}))
    except ValueError:
        return _read_whole_manifest(data)


def _read_whole_manifest(data: bytes) -> ManifestState:
    try:
        manifest = Manifest.model_validate_json(data)
    except ValueError as exc:
        first = str(exc).splitlines()[0][:120]
        return ManifestState(problem=f"{layout.MANIFEST} is damaged ({first})")
    return ManifestState(PreviousEntries.of(manifest.pages), dict(manifest.fingerprints))


def write_manifest(out: Storage, version: str, fingerprints: dict[str, str | None], entries: Entries,
                   removed_pages: list[str]) -> None:
    """Streamed, one entry a line: the manifest of a big crawl never sits in memory whole."""
    def lines() -> Iterator[str]:
        yield MANIFEST_HEAD % (json.dumps(version), json.dumps(fingerprints, sort_keys=True))
        last = len(entries) - 1
        for i, row in enumerate(entries.rows()):
            yield row.decode("utf-8") + (",\n" if i < last else "\n")
        yield '], "removed_pages": ' + json.dumps(removed_pages, ensure_ascii=False) + "}\n"

    out.write_lines_atomic(layout.MANIFEST, lines(), durable=True)


def load_set(out: Storage, set_id: str) -> QuestionSet:
    return QuestionSet.model_validate_json(out.read(layout.set_rel(set_id)))


def load_sets(out: Storage, set_ids: Iterable[str]) -> list[QuestionSet]:
    return [load_set(out, set_id) for set_id in sorted(set(set_ids))]


def write_questions_jsonl(out: Storage, set_ids: Iterable[str], cluster_of: dict[str, str] | None = None,
                          keywords_of: dict[str, list[str]] | None = None) -> int:
    """One question a line, with its set id, section heading, passage, bank cluster and keywords.

    The sets are read back as plain JSON, not models: they were validated when this run (or the
    one that published them) wrote them, and re-validating every set made this serial step the
    flow's longest.
    """
    count = 0

    def lines() -> Iterator[str]:
        nonlocal count
        for set_id in sorted(set(set_ids)):
            qset = read_json(out.read(layout.set_rel(set_id)))
            passages = {p["id"]: {"direction": p["direction"], "text": p["text"]} for p in qset.get("passages", ())}
            for section in qset["sections"]:
                for q in section["questions"]:
                    # the passage it asks about comes with it: a row is read alone
                    row = {"set_id": qset["id"], "section": section["heading"], **q,
                           "passage": passages.get(q.get("passage_id") or "")}
                    if cluster_of is not None:
                        row["cluster_id"] = cluster_of.get(q["id"])
                    if keywords_of is not None:
                        row["keywords"] = keywords_of.get(q["id"], [])
                    count += 1
                    yield encode_row(row) + "\n"

    out.write_lines_atomic(layout.QUESTIONS, lines())
    return count


def remove_outputs(out: Storage, set_id: str) -> None:
    for rel in layout.page_outputs(set_id, docx=True):
        out.delete(rel)


def published_ids(out: Storage) -> list[str]:
    """Ids of the sets in json/, sorted."""
    return [name[:-5] for name in out.list_dir(layout.SETS) if name.endswith(".json") and layout.is_set_id(name[:-5])]


def remove_stale(out: Storage, live: set[str], docx: bool, bank: bool) -> None:
    """Outputs of sets no page owns any more, and of kinds this run's options do not publish."""
    for set_id in published_ids(out):
        if set_id not in live:  # changed or removed pages, older versions
            remove_outputs(out, set_id)
    for folder, suffix in ((layout.DOCX, ".answers.docx"), (layout.DOCX, ".docx")):
        for name in out.list_dir(folder):
            stem = name[: -len(suffix)]
            if name.endswith(suffix) and layout.is_set_id(stem) and (  # a file of another name is not ours
                    stem not in live or (folder == layout.DOCX and not docx)):
                out.delete(f"{folder}/{name}")
    if not bank:
        for rel in (layout.BANK_INDEX, layout.BANK_QUESTIONS, layout.BANK_CLUSTERS, *layout.OLD_BANK_FILES):
            out.delete(rel)


def sweep_temp_files(out: Storage) -> int:
    """Temp files a killed run left behind (never renamed into place)."""
    count = 0
    for folder in layout.FOLDERS:
        for name in out.list_dir(folder):
            if name.startswith(".") and name.endswith(".tmp"):
                out.delete(f"{folder}/{name}" if folder else name)
                count += 1
    return count


def prune_runs(out: Storage, keep: int) -> int:
    """Keep the newest `keep` run reports (names sort by start time)."""
    reports = [name for name in out.list_dir(layout.RUNS) if name.endswith(".json") and not name.startswith(".")]
    old = reports[: max(0, len(reports) - keep)]
    for name in old:
        out.delete(f"{layout.RUNS}/{name}")
    return len(old)


def manifest_entry(**fields: object) -> ManifestEntry:
    return ManifestEntry.model_validate(fields)
