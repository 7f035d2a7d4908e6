"""Publish step: write question sets, the manifest and the bulk JSONL, atomically and idempotently.

Every file goes through `Storage.write_atomic` (temp file + rename on local disks), so a reader
or a killed run never sees half a file. A file whose bytes would not change is not touched, so a
rerun over unchanged input leaves mtimes alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .entries import Entries, PreviousEntries
from .models import Manifest, ManifestEntry, QuestionSet
from .storage import Storage

MANIFEST = "manifest.json"
QUESTIONS = "questions.jsonl"


def dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def set_rel(set_id: str) -> str:
    return f"json/{set_id}.json"


def removed_rel(set_id: str) -> str:
    return f"removed/{set_id}.json"


def set_bytes(qset: QuestionSet) -> bytes:
    return qset.model_dump_json(indent=1).encode("utf-8") + b"\n"  # pydantic-core: UTF-8, not ASCII-escaped


def write_set(out: Storage, qset: QuestionSet) -> str:
    rel = set_rel(qset.id)
    out.write_atomic(rel, set_bytes(qset))
    return rel


def write_removed(out: Storage, set_id: str, removed: list[tuple[str, str]]) -> None:
    """The removed lines, for debugging the cleaner (kept out of the set so no chrome leaks into it)."""
    rows = [{"rule": rule, "text": text} for rule, text in removed]
    out.write_atomic(removed_rel(set_id), (json.dumps({"set_id": set_id, "removed": rows}, ensure_ascii=False)
                                           + "\n").encode("utf-8"))


MANIFEST_HEAD = '{"pipeline_version": %s, "pages": [\n'


def read_manifest(out: Storage, version: str) -> PreviousEntries | None:
    """The entries of the last run's manifest, if it was written by this pipeline version.

    Read line by line (one entry a line, as `write_manifest` writes them): nothing but the rows
    is held. A manifest in another layout is parsed whole.
    """
    data = out.read_if_exists(MANIFEST)
    if data is None:
        return None
    head, _, body = data.partition(b"\n")
    if head.decode("utf-8", "replace") != MANIFEST_HEAD.rstrip("\n") % json.dumps(version):
        return _read_whole_manifest(data, version)
    rows: dict[str, bytes] = {}
    try:
        for line in body.splitlines():
            row = line.rstrip(b",")
            if row.startswith(b"{"):
                rows[ManifestEntry.model_validate_json(row).path] = row
    except ValueError:
        return None  # damaged: treated as no previous run
    return PreviousEntries(rows)


def _read_whole_manifest(data: bytes, version: str) -> PreviousEntries | None:
    try:
        manifest = Manifest.model_validate_json(data)
    except ValueError:
        return None  # unreadable (an older format): treated as no previous run
    return PreviousEntries.of(manifest.pages) if manifest.pipeline_version == version else None


def write_manifest(out: Storage, version: str, entries: Entries, removed_pages: list[str]) -> None:
    """Streamed, one entry a line: the manifest of a big crawl never sits in memory whole."""
    def lines() -> Iterator[str]:
        yield MANIFEST_HEAD % json.dumps(version)
        last = len(entries) - 1
        for i, row in enumerate(entries.rows()):
            yield row.decode("utf-8") + (",\n" if i < last else "\n")
        yield '], "removed_pages": ' + json.dumps(removed_pages, ensure_ascii=False) + "}\n"

    out.write_lines_atomic(MANIFEST, lines(), durable=True)


def load_set(out: Storage, set_id: str) -> QuestionSet:
    return QuestionSet.model_validate_json(out.read(set_rel(set_id)))


def load_sets(out: Storage, set_ids: Iterable[str]) -> list[QuestionSet]:
    return list(iter_sets(out, set_ids))


def iter_sets(out: Storage, set_ids: Iterable[str]) -> Iterator[QuestionSet]:
    """Sets one at a time, in id order: corpus-level steps stream, they never hold the corpus."""
    for set_id in sorted(set(set_ids)):
        yield load_set(out, set_id)


def write_questions_jsonl(out: Storage, set_ids: Iterable[str], cluster_of: dict[str, str] | None = None,
                          keywords_of: dict[str, list[str]] | None = None) -> int:
    """One question a line, with its set id, section heading, bank cluster and keywords.

    The sets are read back as plain JSON, not models: they were validated when this run (or the
    one that published them) wrote them, and re-validating every set made this serial step the
    flow's longest.
    """
    count = 0

    def lines() -> Iterator[str]:
        nonlocal count
        for set_id in sorted(set(set_ids)):
            qset = json.loads(out.read(set_rel(set_id)))
            for section in qset["sections"]:
                for q in section["questions"]:
                    row = {"set_id": qset["id"], "section": section["heading"], **q}
                    if cluster_of is not None:
                        row["cluster_id"] = cluster_of.get(q["id"])
                    if keywords_of is not None:
                        row["keywords"] = keywords_of.get(q["id"], [])
                    count += 1
                    yield json.dumps(row, ensure_ascii=False) + "\n"

    out.write_lines_atomic(QUESTIONS, lines())
    return count


def docx_rels(set_id: str) -> tuple[str, str]:
    return f"docx/{set_id}.docx", f"docx/{set_id}.answers.docx"


def write_docx(out: Storage, qset: QuestionSet) -> None:
    from .render_docx import render_set  # python-docx loads only when DOCX is published

    student, key = render_set(qset)
    for rel, data in zip(docx_rels(qset.id), (student, key), strict=True):
        out.write_atomic(rel, data)


def remove_outputs(out: Storage, set_id: str) -> None:
    for rel in (set_rel(set_id), removed_rel(set_id), *docx_rels(set_id)):
        out.delete(rel)


def published_ids(out: Storage) -> list[str]:
    """Ids of the sets in json/, sorted."""
    return [name[:-5] for name in out.list_dir("json") if name.endswith(".json") and not name.startswith(".")]


def sweep_temp_files(out: Storage) -> int:
    """Temp files a killed run left behind (never renamed into place)."""
    count = 0
    for folder in ("", "json", "removed", "docx", "runs"):
        for name in out.list_dir(folder):
            if name.startswith(".") and name.endswith(".tmp"):
                out.delete(f"{folder}/{name}" if folder else name)
                count += 1
    return count


def manifest_entry(**fields: object) -> ManifestEntry:
    return ManifestEntry.model_validate(fields)
