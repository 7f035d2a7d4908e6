"""Publish step: write question sets, the manifest and the bulk JSONL, atomically and idempotently.

Every file goes to a temp file in the same folder and is renamed into place, so a reader (or a
killed run) never sees half a file. A file whose bytes would not change is not touched, so a
rerun over unchanged input leaves mtimes alone.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .models import Manifest, ManifestEntry, QuestionSet

MANIFEST = "manifest.json"
QUESTIONS = "questions.jsonl"


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def write_atomic(path: Path, content: bytes) -> bool:
    """Write `content` to `path` via a temp file + rename; False when the file already holds it."""
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def set_path(out: Path, set_id: str) -> Path:
    return out / "json" / f"{set_id}.json"


def write_set(out: Path, qset: QuestionSet) -> Path:
    path = set_path(out, qset.id)
    write_atomic(path, dumps(qset.model_dump(mode="json")).encode("utf-8"))
    return path


def write_removed(out: Path, set_id: str, removed: list[tuple[str, str]]) -> None:
    """The removed lines, for debugging the cleaner (kept out of the set so no chrome leaks into it)."""
    rows = [{"rule": rule, "text": text} for rule, text in removed]
    write_atomic(out / "removed" / f"{set_id}.json", dumps({"set_id": set_id, "removed": rows}).encode("utf-8"))


def read_manifest(out: Path) -> Manifest | None:
    try:
        return Manifest.model_validate_json((out / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None


def write_manifest(out: Path, manifest: Manifest) -> None:
    write_atomic(out / MANIFEST, dumps(manifest.model_dump(mode="json")).encode("utf-8"))


def load_set(path: Path) -> QuestionSet:
    return QuestionSet.model_validate_json(path.read_bytes())


def write_questions_jsonl(out: Path, set_ids: Iterable[str]) -> int:
    """One question a line, with its set id and section heading, in set-id then page order."""
    lines: list[str] = []
    for set_id in sorted(set(set_ids)):
        qset = load_set(set_path(out, set_id))
        for section in qset.sections:
            for q in section.questions:
                row = {"set_id": qset.id, "section": section.heading, **q.model_dump(mode="json")}
                lines.append(json.dumps(row, ensure_ascii=False))
    write_atomic(out / QUESTIONS, ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
    return len(lines)


def remove_outputs(out: Path, set_id: str) -> None:
    for path in (set_path(out, set_id), out / "removed" / f"{set_id}.json"):
        path.unlink(missing_ok=True)


def manifest_entry(**fields: object) -> ManifestEntry:
    return ManifestEntry.model_validate(fields)
