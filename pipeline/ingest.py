"""Ingest: every raw page below a location → question sets, manifest and bulk JSONL in CLEAN_DIR.

The functions here are the units the Prefect flow batches (`discover`, `learn`, `process_batch`,
`finish`); `ingest()` chains them for the command line. Locations are local folders or fsspec
URLs. Incremental: a page whose sha256 and pipeline version match the last manifest, with its
output still present, is `unchanged`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath

from . import PIPELINE_VERSION, publish
from .boilerplate import Templates, learn_templates, site_key
from .entries import Entries, PreviousEntries
from .errors import Rejected
from .lock import output_lock
from .models import ManifestEntry, Removal
from .steps import PAGE_TIMEOUT, PRE_STEPS, Context, PageRunner, StepStats, new_page
from .storage import Storage, open_storage

SUFFIXES = {".txt", ".html", ".htm", ".docx"}
MAX_BYTES = 20 * 1024 * 1024  # a page larger than this is rejected before it is read
Previous = PreviousEntries | dict[str, ManifestEntry]  # the last run's entries by path


@dataclass(frozen=True, slots=True)
class RawFile:
    root: str  # the raw location (folder or URL): picklable, reopened wherever the batch runs
    rel: str  # POSIX path below the root: the page's name in every output
    size: int  # bytes; -1 for a symlink out of the raw folder


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
    stats: dict = field(default_factory=dict)
    clusters: int | None = None  # question-bank clusters, when the bank is built

    def as_dict(self) -> dict:
        return asdict(self)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def discover(raw: str) -> list[RawFile]:
    """Every file below the raw location, sorted; symlinks are never followed out of it."""
    return [RawFile(raw, e.rel, e.size) for e in open_storage(raw).list_files()]


def read_raw(f: RawFile, max_bytes: int = MAX_BYTES, store: Storage | None = None) -> bytes:
    if f.size == -1:
        raise Rejected("symlink_outside", "a symlink pointing outside the raw folder (not followed)")
    if PurePosixPath(f.rel).suffix.lower() not in SUFFIXES:
        raise Rejected("unsupported_type", f"not a page type the pipeline reads ({', '.join(sorted(SUFFIXES))})")
    if f.size > max_bytes:
        raise Rejected("too_large", f"{f.size} bytes is over the {max_bytes}-byte limit per page")
    try:
        raw = (store or open_storage(f.root)).read(f.rel, max_bytes + 1)
    except OSError as exc:
        raise Rejected("unreadable", f"cannot read the file: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise Rejected("too_large", f"over the {max_bytes}-byte limit per page")
    return raw


def page_lines(f: RawFile, max_bytes: int = MAX_BYTES, store: Storage | None = None) -> tuple[str, list[str]] | None:
    """(site, lines) of one page for template learning; None when the page cannot be read."""
    try:
        page = new_page(f.rel, read_raw(f, max_bytes, store))
        PageRunner(PRE_STEPS).run(page)
    except Rejected:
        return None
    return site_key(page), [line.text for line in page.lines]


LEARN_SAMPLE = 500  # pages read to learn templates: recurring chrome shows in any sample this size


def learn(files: list[RawFile], max_bytes: int = MAX_BYTES) -> Templates:
    """Chrome templates from an even, deterministic sample of the corpus (every k-th page)."""
    files = files[:: max(1, -(-len(files) // LEARN_SAMPLE))]
    stores: dict[str, Storage] = {}

    def lines_of(f: RawFile) -> tuple[str, list[str]] | None:
        store = stores.setdefault(f.root, open_storage(f.root))
        return page_lines(f, max_bytes, store)

    return learn_templates(x for x in map(lines_of, files) if x is not None)


def previous_entries(out: str) -> PreviousEntries:
    """The last run's entries, when it ran this pipeline version (else every page is new)."""
    return publish.read_manifest(open_storage(out), PIPELINE_VERSION) or PreviousEntries()


def _unchanged(sha256: str, old: ManifestEntry | None, out: Storage, docx: bool) -> bool:
    if old is None or old.sha256 != sha256:
        return False
    if old.status == "rejected":
        return True
    if old.set_id is None:
        return False
    wanted = [publish.set_rel(old.set_id), *(publish.docx_rels(old.set_id) if docx else ())]
    return all(out.exists(rel) for rel in wanted)


def process_file(f: RawFile, out: Storage, runner: PageRunner, old: ManifestEntry | None,
                 max_bytes: int = MAX_BYTES, raw_store: Storage | None = None, docx: bool = True) -> ManifestEntry:
    sha = None
    try:
        page = new_page(f.rel, read_raw(f, max_bytes, raw_store))
        sha = page.sha256
        if old is not None and _unchanged(sha, old, out, docx):
            return old.model_copy(update={"status": "unchanged" if old.status != "rejected" else "rejected"})
        runner.run(page)
    except Rejected as rejected:
        return publish.manifest_entry(path=f.rel, sha256=sha, status="rejected", reason=str(rejected))
    assert page.qset is not None
    counts = page.removal_counts()
    qset = page.qset.model_copy(update={"removed": [Removal(rule=k, count=v) for k, v in sorted(counts.items())]})
    rel = publish.write_set(out, qset)
    publish.write_removed(out, qset.id, page.removed)
    if docx:
        publish.write_docx(out, qset)
    return publish.manifest_entry(path=f.rel, sha256=page.sha256, status="published", set_id=qset.id, output=rel,
                                  questions=len(qset.questions()), warnings=len(qset.warnings))


def process_batch(files: list[RawFile], out: str, templates: Templates | None, old: Previous,
                  max_bytes: int = MAX_BYTES, on_page: Callable[[], None] | None = None,
                  docx: bool = True, page_timeout: float = PAGE_TIMEOUT) -> tuple[Entries, StepStats]:
    """Clean, parse and publish a batch; a bad page becomes a rejected entry, never an exception."""
    store = open_storage(out)
    raw_stores: dict[str, Storage] = {}
    runner = PageRunner(ctx=Context(templates=templates), page_timeout=page_timeout)
    entries = Entries()
    for f in files:
        raw_store = raw_stores.setdefault(f.root, open_storage(f.root))
        entries.append(process_file(f, store, runner, old.get(f.rel), max_bytes, raw_store, docx))
        if on_page:
            on_page()
    return entries, runner.stats


def resolve_duplicates(entries: Iterable[ManifestEntry]) -> Entries:
    """Two pages with the same content: the first (by path) owns the set, the other is rejected."""
    ordered = (entries if isinstance(entries, Entries) else Entries(entries)).sorted_by_path()
    owners: set[str] = set()
    duplicates: dict[str, str] = {}  # path → its set id, for a page whose set an earlier page owns
    for e in ordered:
        if e.set_id and e.status != "rejected":
            if e.set_id in owners:
                duplicates[e.path] = e.set_id
            else:
                owners.add(e.set_id)
    if not duplicates:
        return ordered  # the usual case: no copy of the entries
    duplicated = set(duplicates.values())
    owner = {}  # set id → the first path that has it, for the duplicated sets only
    for e in ordered:
        if e.set_id in duplicated and e.set_id not in owner and e.status != "rejected":
            owner[e.set_id] = e.path
    resolved = Entries()
    for e in ordered:
        if e.path in duplicates:
            e = e.model_copy(update={"status": "rejected", "set_id": None, "output": None,
                                     "reason": f"duplicate: same content as {owner[duplicates[e.path]]}"})
        resolved.append(e)
    return resolved


def finish(out: str, entries: Iterable[ManifestEntry], old: Previous, started: float,
           stats: StepStats, started_at: str, bank: bool = True) -> RunReport:
    """Resolve duplicates, delete stale outputs, write the manifest, the JSONL and a run report."""
    store = open_storage(out)
    entries = resolve_duplicates(entries)
    live: set[str] = set()
    seen: set[str] = set()
    count = {"published": 0, "unchanged": 0, "rejected": 0}
    reasons: dict[str, int] = {}
    for e in entries:  # one pass: the entries are parsed back one at a time
        if old:
            seen.add(e.path)  # only needed to find pages gone since the last run
        count[e.status] += 1
        if e.set_id and e.status != "rejected":
            live.add(e.set_id)
        if e.status == "rejected" and e.reason:
            code = e.reason.split(":", 1)[0]
            reasons[code] = reasons.get(code, 0) + 1
    gone = sorted(p for p in old if p not in seen)
    for set_id in publish.published_ids(store):
        if set_id not in live:  # changed or removed pages, older versions
            publish.remove_outputs(store, set_id)
    for folder, suffix in (("removed", ".json"), ("docx", ".answers.docx"), ("docx", ".docx")):
        for name in store.list_dir(folder):
            if name.endswith(suffix) and name[: -len(suffix)] not in live and "." not in name[: -len(suffix)]:
                store.delete(f"{folder}/{name}")
    publish.sweep_temp_files(store)
    publish.write_manifest(store, PIPELINE_VERSION, entries, gone)
    clusters = None
    if bank:
        from .bank import update_bank  # jieba and datasketch load only when the bank is built

        result = update_bank(store, publish.iter_sets(store, live))
        questions = publish.write_questions_jsonl(store, live, result.cluster_of, result.keywords_of)
        clusters = result.clusters
    else:
        questions = publish.write_questions_jsonl(store, live)
    report = RunReport(started_at, round(time.perf_counter() - started, 3), len(entries), count["published"],
                       count["unchanged"], count["rejected"], questions, reasons, gone, stats.as_dict(), clusters)
    run_name = started_at.replace(":", "").replace("-", "")
    store.write_atomic(f"runs/{run_name}.json", publish.dumps(report.as_dict()))
    return report


def ingest(raw: str, out: str, max_bytes: int = MAX_BYTES,
           progress: Callable[[int], Callable[[], None]] | None = None, docx: bool = True,
           bank: bool = True, wait: float = 0.0, page_timeout: float = PAGE_TIMEOUT) -> RunReport:
    raw, out = str(raw), str(out)
    if not open_storage(raw).is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw}")
    with output_lock(out, wait):
        return _ingest(raw, out, max_bytes, progress, docx, bank, page_timeout)


def _ingest(raw: str, out: str, max_bytes: int, progress: Callable[[int], Callable[[], None]] | None,
            docx: bool, bank: bool, page_timeout: float) -> RunReport:
    started, started_at = time.perf_counter(), now()
    files = discover(raw)
    old = previous_entries(out)
    templates = learn(files, max_bytes)
    tick = progress(len(files)) if progress else None
    entries, stats = process_batch(files, out, templates, old, max_bytes, on_page=tick, docx=docx,
                                   page_timeout=page_timeout)
    return finish(out, entries, old, started, stats, started_at, bank=bank)


def summary_line(report: RunReport) -> str:
    return json.dumps({k: v for k, v in report.as_dict().items() if k != "stats"}, ensure_ascii=False)
