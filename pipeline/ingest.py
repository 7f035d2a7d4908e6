"""Ingest: every raw page below a folder → question sets, manifest and bulk JSONL in CLEAN_DIR.

The functions here are the units the Prefect flow batches (`discover`, `learn`, `process_batch`,
`finish`); `ingest()` chains them for the command line. Incremental: a page whose sha256 and
pipeline version match the last manifest, with its output still present, is `unchanged`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import PIPELINE_VERSION, publish
from .boilerplate import Templates, learn_templates, site_key, strip_boilerplate  # noqa: F401
from .errors import Rejected
from .models import Manifest, ManifestEntry, Removal
from .steps import PRE_STEPS, Context, PageRunner, StepStats, new_page

SUFFIXES = {".txt", ".html", ".htm", ".docx"}
MAX_BYTES = 20 * 1024 * 1024  # a page larger than this is rejected before it is read


@dataclass(frozen=True)
class RawFile:
    path: str  # absolute or as given, to open
    rel: str  # POSIX path relative to the raw folder: the page's name in every output
    size: int


@dataclass
class Outcome:
    entry: ManifestEntry
    removed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RunReport:
    started: str
    seconds: float
    pages: int
    published: int
    unchanged: int
    rejected: int
    questions: int
    rejected_reasons: dict[str, int]
    removed_pages: list[str]
    stats: dict

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def discover(raw_dir: Path) -> list[RawFile]:
    """Every file below raw_dir, sorted; symlinks are never followed out of the folder."""
    root = raw_dir.resolve()
    found: list[RawFile] = []
    for path in sorted(raw_dir.rglob("*")):
        if path.name.startswith(".") or path.is_dir():
            continue
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                found.append(RawFile(str(path), path.relative_to(raw_dir).as_posix(), -1))
                continue
            size = path.stat().st_size
        except OSError:
            size = -2
        found.append(RawFile(str(path), path.relative_to(raw_dir).as_posix(), size))
    return found


def read_raw(f: RawFile, max_bytes: int = MAX_BYTES) -> bytes:
    if f.size == -1:
        raise Rejected("symlink_outside", "a symlink pointing outside the raw folder (not followed)")
    if Path(f.rel).suffix.lower() not in SUFFIXES:
        raise Rejected("unsupported_type", f"not a page type the pipeline reads ({', '.join(sorted(SUFFIXES))})")
    if f.size > max_bytes:
        raise Rejected("too_large", f"{f.size} bytes is over the {max_bytes}-byte limit per page")
    try:
        with open(f.path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise Rejected("unreadable", f"cannot read the file: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise Rejected("too_large", f"over the {max_bytes}-byte limit per page")
    return raw


def page_lines(f: RawFile, max_bytes: int = MAX_BYTES) -> tuple[str, list[str]] | None:
    """(site, lines) of one page for template learning; None when the page cannot be read."""
    try:
        page = new_page(f.rel, read_raw(f, max_bytes))
        runner = PageRunner(PRE_STEPS)
        runner.run(page)
    except Rejected:
        return None
    return site_key(page), [line.text for line in page.lines]


def learn(files: Iterable[RawFile], max_bytes: int = MAX_BYTES) -> Templates:
    return learn_templates(x for x in (page_lines(f, max_bytes) for f in files) if x is not None)


def previous_entries(out: Path) -> dict[str, ManifestEntry]:
    manifest = publish.read_manifest(out)
    if manifest is None or manifest.pipeline_version != PIPELINE_VERSION:
        return {}
    return {e.path: e for e in manifest.pages}


def is_unchanged(f: RawFile, sha256: str, old: ManifestEntry | None, out: Path) -> bool:
    if old is None or old.sha256 != sha256:
        return False
    if old.status == "rejected":
        return True
    return old.set_id is not None and publish.set_path(out, old.set_id).exists()


def process_file(f: RawFile, out: Path, runner: PageRunner, old: ManifestEntry | None,
                 max_bytes: int = MAX_BYTES) -> Outcome:
    sha = None
    try:
        raw = read_raw(f, max_bytes)
        page = new_page(f.rel, raw)
        sha = page.sha256
        if old is not None and is_unchanged(f, sha, old, out):
            status = "unchanged" if old.status != "rejected" else "rejected"
            return Outcome(old.model_copy(update={"status": status}))
        runner.run(page)
    except Rejected as rejected:
        return Outcome(publish.manifest_entry(path=f.rel, sha256=sha, status="rejected", reason=str(rejected)))
    assert page.qset is not None
    counts = page.removal_counts()
    qset = page.qset.model_copy(update={"removed": [Removal(rule=k, count=v) for k, v in sorted(counts.items())]})
    path = publish.write_set(out, qset)
    publish.write_removed(out, qset.id, page.removed)
    entry = publish.manifest_entry(path=f.rel, sha256=page.sha256, status="published", set_id=qset.id,
                                   output=path.relative_to(out).as_posix(), questions=len(qset.questions()),
                                   warnings=len(qset.warnings))
    return Outcome(entry, page.removed)


def process_batch(files: list[RawFile], out: Path, templates: Templates | None,
                  old: dict[str, ManifestEntry], max_bytes: int = MAX_BYTES,
                  on_page: Callable[[], None] | None = None) -> tuple[list[ManifestEntry], StepStats]:
    runner = PageRunner(ctx=Context(templates=templates))
    entries = []
    for f in files:
        entries.append(process_file(f, out, runner, old.get(f.rel), max_bytes).entry)
        if on_page:
            on_page()
    return entries, runner.stats


def finish(out: Path, entries: list[ManifestEntry], old: dict[str, ManifestEntry], started: float,
           stats: StepStats, started_at: str) -> RunReport:
    """Resolve duplicates, delete stale outputs, write the manifest, the JSONL and a run report."""
    entries = sorted(entries, key=lambda e: e.path)
    owner: dict[str, str] = {}
    for i, e in enumerate(entries):
        if e.set_id and e.status != "rejected":
            if e.set_id in owner:
                entries[i] = e.model_copy(update={"status": "rejected", "set_id": None, "output": None,
                                                  "reason": f"duplicate: same content as {owner[e.set_id]}"})
            else:
                owner[e.set_id] = e.path
    live = set(owner)
    seen = {e.path for e in entries}
    gone = sorted(p for p in old if p not in seen)
    for e in old.values():
        if e.set_id and e.set_id not in live:
            publish.remove_outputs(out, e.set_id)
    for path in (out / "json").glob("*.json") if (out / "json").exists() else []:
        if path.stem not in live:  # outputs of an older pipeline version or another raw folder
            publish.remove_outputs(out, path.stem)
    publish.write_manifest(out, Manifest(pipeline_version=PIPELINE_VERSION, pages=entries, removed_pages=gone))
    questions = publish.write_questions_jsonl(out, live)
    count = {s: sum(1 for e in entries if e.status == s) for s in ("published", "unchanged", "rejected")}
    reasons: dict[str, int] = {}
    for e in entries:
        if e.status == "rejected" and e.reason:
            code = e.reason.split(":", 1)[0]
            reasons[code] = reasons.get(code, 0) + 1
    report = RunReport(started_at, round(time.perf_counter() - started, 3), len(entries), count["published"],
                       count["unchanged"], count["rejected"], questions, reasons, gone, stats.as_dict())
    run_file = out / "runs" / f"{started_at.replace(':', '').replace('-', '')}.json"
    publish.write_atomic(run_file, publish.dumps(report.as_dict()).encode("utf-8"))
    return report


def ingest(raw_dir: Path, out: Path, max_bytes: int = MAX_BYTES,
           progress: Callable[[int], Callable[[], None]] | None = None) -> RunReport:
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    started, started_at = time.perf_counter(), datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    out.mkdir(parents=True, exist_ok=True)
    files = discover(raw_dir)
    old = previous_entries(out)
    templates = learn(files, max_bytes)
    tick = progress(len(files)) if progress else None
    entries, stats = process_batch(files, out, templates, old, max_bytes, on_page=tick)
    return finish(out, entries, old, started, stats, started_at)


def summary_line(report: RunReport) -> str:
    return json.dumps({k: v for k, v in report.as_dict().items() if k != "stats"}, ensure_ascii=False)
