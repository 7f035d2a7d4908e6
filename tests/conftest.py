"""Shared fixtures: the project's own sample pages (raw/) and a helper that runs an ingest."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from pipeline.run.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"


def run_ingest(raw_dir: Path, out: Path, **kwargs) -> dict:
    report = ingest(raw_dir, out, **kwargs)
    return report.as_dict()


def write_pages(raw: Path, pages: dict[str, bytes], huge_mb: int = 0) -> None:
    """Raw pages by name, and a sparse `huge.txt` of `huge_mb` MB that a run must refuse by size unread."""
    raw.mkdir(parents=True, exist_ok=True)
    for name, data in pages.items():
        (raw / name).write_bytes(data)
    if huge_mb:
        with open(raw / "huge.txt", "wb") as handle:
            handle.truncate(huge_mb * 1024 * 1024)


def load_manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def sets_by_name(out: Path) -> dict[str, dict]:
    """Published sets keyed by the raw file name."""
    found = {}
    for path in (out / "json").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[Path(data["source"]["path"]).name] = data
    return found


def questions(qset: dict) -> list[dict]:
    return [q for s in qset["sections"] for q in s["questions"]]


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    out = tmp_path_factory.mktemp("seed_out")
    run_ingest(RAW, out)
    return out, sets_by_name(out)


def one_page(tmp_path: Path, name: str, content: bytes | str, **kwargs) -> tuple[dict, dict | None]:
    """Ingest a single page; returns (its manifest entry, its question set or None)."""
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (raw / name).write_bytes(data)
    out = tmp_path / "out"
    run_ingest(raw, out, **kwargs)
    entry = next(e for e in load_manifest(out)["pages"] if e["path"] == name)
    sets = sets_by_name(out)
    return entry, sets.get(name)


@pytest.fixture
def tmpfs(tmp_path):
    """A small file system of our own (needs root: mount): about half of what the seeds' outputs take;
    skipped where the machine does not allow it."""
    mount = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=150k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)
