"""Ingest: the one definition of a run over RAW → CLEAN_DIR: discover → learn → batches → finish.

`run(options)` executes it in this process; the Prefect flow runs the same definition with its
own `Stages` (each stage a task), so both entry points write the same files and share every
check. Locations are local folders or fsspec URLs; paths below CLEAN_DIR come from `layout`.

Incremental: a page is `unchanged` when its raw bytes, the `pages` fingerprint (and, with DOCX,
the `docx` one) match the last manifest and its outputs still hash to what that run wrote; the
bank keeps its own index, rebuilt when its fingerprint changes. After any change, an incremental
run gives the bytes a full rebuild gives.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from . import __version__, corrections, isolate, layout, publish, quality
from .boilerplate import Templates, site_key
from .entries import Entries, PreviousEntries
from .errors import FINAL_REJECTIONS, CannotRun, Rejected, stopped_by
from .fingerprint import fingerprint
from .limits import MAX_BYTES
from .lock import output_lock
from .models import ManifestEntry, QuestionSet
from .options import IngestOptions, check, worker_count
from .page import Page
from .steps import PageRunner, PageTimeout, StepStats, new_page, published_set, time_limit
from .storage import NOT_A_FILE, SYMLINK_OUTSIDE, UNLISTABLE, Storage, open_storage

if TYPE_CHECKING:
    from .bank import Index  # the bank loads its tokenizer only when a run builds it

SUFFIXES = {".txt", ".html", ".htm", ".docx"}
LEARN_SAMPLE = 500  # pages read to learn templates: recurring chrome shows in any sample this size
Previous = PreviousEntries | dict[str, ManifestEntry]  # the last run's entries by path


@dataclass(frozen=True, slots=True)
class RawFile:
    root: str  # the raw location (folder or URL): picklable, reopened wherever the batch runs
    rel: str  # POSIX path below the root, as the OS gave it (undecodable bytes as surrogate escapes)
    size: int  # bytes; -1 for a symlink out of the raw folder

    @property
    def name(self) -> str:
        """The page's name in every output: `rel`, with bytes that are not UTF-8 (a GBK name from an
        unzipped archive) written as `\\xNN` escapes, so that JSON can hold it and people can read it."""
        return readable_name(self.rel)


def readable_name(rel: str) -> str:
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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
    warnings: list[str] = field(default_factory=list)  # findings about the run itself, also printed to stderr
    pages_read: int = 0  # files of a page type (what else raw holds is rejected as unsupported_type)
    # wall seconds of each stage: discover, learn, batches (on the workers), finish (after the batches)
    phases: dict[str, float] = field(default_factory=dict)
    sites: list[dict] = field(default_factory=list)  # per site: pages, published, rejected, flagged, confidence, change
    published_pages: list[str] = field(default_factory=list)  # paths this run published (the first LISTED)
    rejected_pages: list[dict] = field(default_factory=list)  # {path, reason} of every page rejected
    needs_review: list[dict] = field(default_factory=list)  # live sets an editor should look at, most doubtful first

    @property
    def nothing_published(self) -> bool:
        """Pages were there and not one of them gave a set: a scheduler must not see success."""
        return self.pages_read > 0 and self.published + self.unchanged == 0

    def as_dict(self) -> dict:
        return asdict(self)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def versions(options: IngestOptions) -> dict[str, str | None]:
    """The fingerprints this run's outputs are made with (see `fingerprint`)."""
    return {"pages": fingerprint("pages"), "docx": fingerprint("docx") if options.docx else None}


# ---- stage 1: discover ---------------------------------------------------------------------------------

def discover(raw: str) -> list[RawFile]:
    """Every file below the raw location, sorted; symlinks are never followed out of it."""
    return [RawFile(raw, e.rel, e.size) for e in open_storage(raw).list_files()]


def is_page(f: RawFile) -> bool:
    """A file of a type the pipeline reads (what else a raw folder holds is rejected, never read)."""
    return PurePosixPath(f.rel).suffix.lower() in SUFFIXES


def read_raw(f: RawFile, max_bytes: int = MAX_BYTES, store: Storage | None = None) -> bytes:
    if f.size == SYMLINK_OUTSIDE:
        raise Rejected("symlink_outside", "a symlink pointing outside the raw folder (not followed)")
    if f.size == UNLISTABLE:
        raise Rejected("unlistable_folder", "a folder that could not be listed: the outputs of its pages are kept")
    if f.size == NOT_A_FILE:
        raise Rejected("not_a_file", "not a regular file (a FIFO, socket, device or symlink loop): never opened")
    if not is_page(f):
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


# ---- stage 2: learn ------------------------------------------------------------------------------------

@dataclass
class Learned:
    """What the learn pass found: chrome templates, and the pages that ran out of time while read
    for it (rejected once: their batch does not try them again)."""

    templates: Templates
    rejected: dict[str, ManifestEntry] = field(default_factory=dict)


def learn(files: list[RawFile], options: IngestOptions | None = None) -> Learned:
    """Chrome templates from an even, deterministic sample of the corpus (every k-th page), each page
    read by a worker within the page limits (see `isolate`)."""
    options = options or IngestOptions(raw=files[0].root if files else ".", out=".", workers=1)
    sample = files[:: max(1, -(-len(files) // LEARN_SAMPLE))]
    templates, rejected = isolate.learn_pages(sample, options, worker_count(options))
    return Learned(templates, rejected)


# ---- stage 3: batches ----------------------------------------------------------------------------------

class PageBatch:
    """One unit of work: some pages, the learned templates, those pages' previous entries, the options.

    A plain class on purpose: Prefect walks list, dict, dataclass and model arguments item by item
    looking for futures (seconds per 10,000 pages in the flow's one thread), but leaves other
    objects alone, and it travels to a Dask worker whole.
    """

    __slots__ = ("files", "old", "options", "rejected", "reuse", "templates")

    def __init__(self, files: list[RawFile], templates: Templates | None, old: Previous, options: IngestOptions,
                 reuse: bool = True, rejected: dict[str, ManifestEntry] | None = None) -> None:
        self.files, self.templates, self.options, self.reuse = files, templates, options, reuse
        previous = old if isinstance(old, PreviousEntries) else PreviousEntries.of(old.values())
        self.old = previous.subset(f.name for f in files)  # O(batch) to each worker, not O(corpus)
        self.rejected = {f.name: rejected[f.name] for f in files if f.name in rejected} if rejected else {}

    def __repr__(self) -> str:
        return f"PageBatch({len(self.files)} pages from {self.files[0].rel if self.files else '-'})"


BATCHES_PER_WORKER = 4  # a run's pages in this many batches per worker: a slow batch leaves the others work


def batches_of(files: list[RawFile], size: int, learned: Learned, old: Previous,
               options: IngestOptions, reuse: bool) -> list[PageBatch]:
    """`size` 0: as many batches as keep every worker busy (one batch with one worker)."""
    if size <= 0:
        workers = worker_count(options)
        size = len(files) if workers == 1 else -(-len(files) // (workers * BATCHES_PER_WORKER))
    size = max(1, size)
    return [PageBatch(files[i:i + size], learned.templates, old, options, reuse, learned.rejected)
            for i in range(0, len(files), size)]


def _unchanged(sha256: str, old: ManifestEntry, out: Storage, docx: bool, corrected: frozenset[str],
               templates: Templates | None) -> bool:
    """The last run's entry still holds: same bytes, the same chrome learned for its site, a final
    rejection or outputs that still hash to what was written (and the same corrections)."""
    if old.sha256 != sha256:
        return False
    if old.site is not None and old.chrome_sha256 != (templates.digest(old.site) if templates else None):
        return False
    if old.status == "rejected" and not old.kept:
        return (old.reason or "").split(":", 1)[0] in FINAL_REJECTIONS
    if old.set_id is None:
        return False
    digest = corrections.digest(out, old.set_id) if old.set_id in corrected else None
    return digest == old.corrections_sha256 and publish.outputs_intact(out, old.set_id, docx, old.outputs_sha256)


def _chrome(page: Page | None, templates: Templates | None) -> dict[str, str | None]:
    """The entry's record of the chrome the page was cleaned with (nothing before it has lines)."""
    if page is None or not page.lines:
        return {}
    site = site_key(page)
    return {"site": site, "chrome_sha256": templates.digest(site) if templates else None}


def process_file(f: RawFile, out: Storage, runner: PageRunner, old: ManifestEntry | None, options: IngestOptions,
                 raw_store: Storage, reuse: bool, corrected: frozenset[str],
                 prepared: isolate.Prepared | None = None) -> tuple[ManifestEntry, str | None]:
    """The page's manifest entry, and its row of removed.jsonl when this run published it.

    `reuse`: the last run made its outputs with this run's fingerprints, so unchanged pages may stay.
    `corrected`: ids of the sets that have corrections (listed once per batch, not looked up per page).
    `prepared`: the page as the learn pass left it (read, its first steps done)."""
    sha, page = None, None
    templates = runner.ctx.templates
    try:
        page = prepared.page if prepared else new_page(f.name, read_raw(f, options.max_bytes, raw_store))
        sha = page.sha256
        if reuse and old is not None and _unchanged(sha, old, out, options.docx, corrected, templates):
            if old.status == "rejected" and not old.kept:
                return old, None
            return old.model_copy(update={"status": "unchanged", "kept": False, "reason": None}), None
        runner.run(page, prepared.done if prepared else None)
    except Rejected as rejected:
        if rejected.code == "unreadable" and old is not None and old.has_outputs:
            return _kept(old, str(rejected)), None  # a read error is not a deletion
        return publish.manifest_entry(path=f.name, sha256=sha, status="rejected", reason=str(rejected),
                                      **_chrome(page, templates)), None
    qset, correction_digest = _corrected(out, published_set(page), corrected)
    try:
        with time_limit(options.page_timeout):  # rendering a giant page is bounded like parsing it
            files = publish.page_files(qset, docx=False)
            if options.docx:
                start = time.perf_counter()
                files += publish.docx_files(qset)
                runner.stats.add("docx", time.perf_counter() - start)
    except PageTimeout:
        return publish.manifest_entry(path=f.name, sha256=sha, status="rejected",
                                      reason=f"timeout: rendering took longer than {options.page_timeout:g} s"), None
    digest = publish.write_files(out, files)
    entry = publish.manifest_entry(path=f.name, sha256=page.sha256, status="published", set_id=qset.id,
                                   output=layout.set_rel(qset.id), questions=len(qset.questions()),
                                   warnings=len(qset.warnings), outputs_sha256=digest,
                                   corrections_sha256=correction_digest, confidence=qset.confidence,
                                   needs_review=qset.needs_review, review_reasons=qset.review_reasons,
                                   **_chrome(page, templates))
    return entry, publish.removal_row(qset.id, page.removed)


def corrected_sets(out: Storage) -> frozenset[str]:
    return frozenset(n[:-5] for n in out.list_dir(layout.CORRECTIONS) if n.endswith(".json"))


def _corrected(out: Storage, qset: QuestionSet, corrected: frozenset[str]) -> tuple[QuestionSet, str | None]:
    """The set with its editor's corrections applied, and their digest (None without any)."""
    if qset.id not in corrected:
        return qset, None
    try:
        correction, digest = corrections.load(out, qset.id)
    except ValueError as exc:  # a hand-edited file that does not parse: said in the set, never fatal
        problem = f"correction: {layout.correction_rel(qset.id)} cannot be read ({str(exc).splitlines()[0]})"
        return qset.model_copy(update={"warnings": [*qset.warnings, problem]}), corrections.digest(out, qset.id)
    return (corrections.apply(qset, correction), digest) if correction else (qset, None)


class BatchResult(NamedTuple):
    """What a batch gives back: its pages' entries, its steps' stats, and the removed.jsonl rows of
    the pages it published (by page path; the finish writes them in set order)."""

    entries: Entries
    stats: StepStats
    removals: dict[str, str]


def process_batch(batch: PageBatch, on_page: Callable[[], None] | None = None) -> BatchResult:
    """Clean, parse and publish a batch, each page in this thread's worker within the page limits;
    a bad page becomes a rejected entry, never an exception."""
    entries, stats, removals = isolate.run_batch(batch, on_page)
    return BatchResult(Entries(entries), stats, removals)


# ---- stage 4: finish -----------------------------------------------------------------------------------

@dataclass
class Finish:
    """What the corpus-level stage needs from the stages before it."""

    options: IngestOptions
    entries: Entries
    previous: PreviousEntries
    versions: dict[str, str | None]
    stats: StepStats
    started: float
    started_at: str
    warnings: list[str]
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds of the stages before finish
    finished_batches: float = 0.0  # perf_counter when the last batch came back
    removals: dict[str, str] = field(default_factory=dict)  # page path → its removed.jsonl row (published pages)
    bank_index: Index | None = None  # the bank's index, fed with each batch's sets while the others ran


def resolve_duplicates(entries: Iterable[ManifestEntry], store: Storage | None = None, docx: bool = True) -> Entries:
    """Two pages with the same content: the first (by path) owns the set, the other is rejected.
    With `store`, the owner's set is made to name the owner (see `_named_by_owner`)."""
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
            e = e.model_copy(update={"status": "rejected", "set_id": None, "output": None, "outputs_sha256": None,
                                     "reason": f"duplicate: same content as {owner[duplicates[e.path]]}"})
        elif e.set_id in owner and e.outputs_sha256:
            e = _named_by_owner(store, e, docx) if store is not None else e
        resolved.append(e)
    return resolved


def _named_by_owner(out: Storage, owner: ManifestEntry, docx: bool) -> ManifestEntry:
    """The set of a duplicated page names the page that owns it (a copy processed later may have
    written it), and the owner's entry records the digest of what is on disk."""
    assert owner.set_id is not None
    qset = publish.load_set(out, owner.set_id)
    if qset.source.path != owner.path:
        qset = qset.model_copy(update={"source": qset.source.model_copy(update={"path": owner.path})})
        out.write_atomic(layout.set_rel(owner.set_id), publish.set_bytes(qset))
    return owner.model_copy(update={"outputs_sha256": publish.digest_on_disk(out, owner.set_id, docx)})


def _kept(old: ManifestEntry, why: str) -> ManifestEntry:
    """The last entry of a page that could not be read this run, its outputs kept until it reads again."""
    return old.model_copy(update={"status": "rejected", "kept": True,
                                  "reason": f"{why}; the outputs of its last good read are kept"})


def _with_unlisted(entries: Entries, previous: PreviousEntries) -> Entries:
    """The last run's entries of pages below folders that could not be listed this run, kept.

    A folder that cannot be read is not a folder whose pages were deleted.
    """
    folders = [e.path + "/" for e in entries if e.status == "rejected" and (e.reason or "").startswith("unlistable")]
    if not folders:
        return entries
    kept = Entries(entries)
    for path in previous:
        if path.startswith(tuple(folders)):
            old = previous[path]
            kept.append(_kept(old, "unlistable_folder: its folder could not be listed") if old.has_outputs else old)
    return kept


def refuse_mass_removal(previous: PreviousEntries, entries: Entries, options: IngestOptions) -> None:
    """`CannotRun` when this run would leave more than half of the last run's sets without a page
    (gone from raw, or now rejected): the wrong raw folder, a half-synced share, a broken reader. A
    page whose set is replaced by a newer version of it loses nothing. Checked before anything is
    deleted; the sets written so far are kept, and `--allow-removal` lets the run go on."""
    held = [path for path in previous if previous[path].has_outputs]
    if len(held) < 2:
        return
    live = {e.path for e in entries if e.has_outputs}
    lost = [path for path in held if path not in live]
    if len(lost) * 2 > len(held):
        raise CannotRun(f"this run would remove {len(lost)} of the {len(held)} published sets (their pages are gone "
                        f"from {options.raw} or now rejected, e.g. {lost[0]}): refusing; check the raw folder, or pass "
                        f"--allow-removal to remove them")


def finish(job: Finish) -> RunReport:
    """Resolve duplicates, delete stale outputs, write the manifest, the bank, the JSONL and a run report."""
    options, store = job.options, open_storage(job.options.out)
    entries = resolve_duplicates(_with_unlisted(job.entries, job.previous), store, options.docx)
    live: set[str] = set()
    seen: set[str] = set()
    count = {"published": 0, "unchanged": 0, "rejected": 0}
    reasons: dict[str, int] = {}
    published_pages: list[str] = []
    rejected_pages: list[dict] = []
    for e in entries:  # one pass: the entries are parsed back one at a time
        if job.previous:
            seen.add(e.path)  # only needed to find pages gone since the last run
        count[e.status] += 1
        if e.has_outputs:
            live.add(e.set_id)
        if e.status == "published" and len(published_pages) < LISTED:
            published_pages.append(e.path)
        if e.status == "rejected" and e.reason:
            code = e.reason.split(":", 1)[0]
            reasons[code] = reasons.get(code, 0) + 1
            rejected_pages.append({"path": e.path, "reason": e.reason})
    gone = sorted(p for p in job.previous if p not in seen)
    if not options.allow_removal:
        refuse_mass_removal(job.previous, entries, options)
    for name in store.list_dir(layout.CORRECTIONS):
        if name.endswith(".json") and not layout.is_set_id(name[:-5]):
            job.warnings.append(f"{layout.CORRECTIONS}/{name} is not named by a set id: it applies to no set and is "
                                f"ignored")
        elif name.endswith(".json") and name[:-5] not in live:
            job.warnings.append(f"corrections of set {name[:-5]} apply to no page now (its raw page changed or "
                                f"left): {layout.CORRECTIONS}/{name} is kept, not applied")
    publish.write_removals(store, [(e.set_id, e.path, e.status == "published") for e in entries
                                   if e.has_outputs and e.set_id is not None], job.removals)
    publish.remove_stale(store, live, options.docx, options.bank)
    publish.sweep_temp_files(store)
    clusters = None
    if options.bank:
        start = time.perf_counter()  # with the import: the tokenizer and rensa load only when the bank is built
        from .bank import refresh_bank, write_bank

        index, result = refresh_bank(store, live, job.bank_index)
        # questions.jsonl needs the clusters and keywords, and nothing else of the bank: a worker
        # process writes it while this one writes bank/
        written = isolate.in_background(options, ("write_questions", options.out, sorted(live), result.cluster_of,
                                                  result.keywords_of))
        write_bank(store, index, result)
        job.stats.add("bank", time.perf_counter() - start, len(live))
        questions = written()
        clusters = result.clusters
    else:
        questions = publish.write_questions_jsonl(store, live)
    ended = time.perf_counter()
    phases = {**job.phases, "finish": round(ended - job.finished_batches, 3)} if job.phases else {}
    report = RunReport(job.started_at, round(ended - job.started, 3), len(entries),
                       count["published"], count["unchanged"], count["rejected"], questions, reasons, gone,
                       job.stats.as_dict(), clusters, job.warnings,
                       pages_read=sum(1 for e in entries if PurePosixPath(e.path).suffix.lower() in SUFFIXES),
                       phases=phases, sites=quality.site_table(entries, quality.previous_sites(store, job.started_at)),
                       needs_review=quality.review_queue(entries), published_pages=published_pages,
                       rejected_pages=rejected_pages)
    # The report before the manifest: a run killed between them is redone from the last manifest, so
    # the pages gone since are reported again, never lost (the manifest is the commit point).
    store.write_atomic(layout.run_rel(job.started_at), publish.dumps(report.as_dict()))
    publish.write_manifest(store, f"{__version__}+{job.versions['pages']}", job.versions, entries, gone)
    publish.prune_runs(store, options.keep_runs)
    return report


# ---- the run -------------------------------------------------------------------------------------------

class Stages:
    """How each stage executes. This one runs them here, one batch after another; the flow's
    subclass runs each as a Prefect task (retries, Dask), with the same arguments."""

    def __init__(self, progress: Callable[[int], Callable[[], None]] | None = None) -> None:
        self.progress = progress

    def discover(self, raw: str) -> list[RawFile]:
        return discover(raw)

    def learn(self, files: list[RawFile], options: IngestOptions) -> Learned:
        return learn(files, options)

    def process(self, batches: list[PageBatch]) -> Iterator[BatchResult]:
        """The batches on the run's worker processes at once, their results in the batches' order."""
        tick = self.progress(sum(len(b.files) for b in batches)) if self.progress else None
        workers = worker_count(batches[0].options) if batches else 1
        for entries, stats, removals in isolate.run_batches(batches, workers, tick):
            yield BatchResult(Entries(entries), stats, removals)

    def finish(self, job: Finish) -> RunReport:
        return finish(job)

    def warn(self, message: str) -> None:
        """A finding about the run (it goes in the report either way); the flow logs it too."""


def run(options: IngestOptions, stages: Stages | None = None, batch_size: int = 0) -> RunReport:
    """One run. Raises `CannotRun` (a one-line reason) when it cannot start or finish; never leaves
    a half-written file. `batch_size` 0: batches sized to the workers (see `batches_of`)."""
    check(options)
    try:
        with output_lock(options.out, options.wait):
            return _run(options, stages or Stages(), batch_size)
    except OSError as exc:
        raise stopped_by(exc, options.out) from exc


def _run(options: IngestOptions, stages: Stages, batch_size: int) -> RunReport:
    started, started_at = time.perf_counter(), now()
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        stages.warn(message)

    clock = time.perf_counter
    files = stages.discover(options.raw)
    discovered = clock()
    store = open_storage(options.out)
    if not store.exists(layout.MARKER):
        store.write_atomic(layout.MARKER, layout.MARKER_TEXT)
    previous = publish.read_manifest(store)
    if previous.problem:
        warn(f"{previous.problem}: every page is processed again")
    if not any(is_page(f) for f in files):
        held = len(publish.published_ids(store))
        found = f" ({len(files)} files, none of them a page: {', '.join(sorted(SUFFIXES))})" if files else ""
        if held and not options.allow_removal:
            raise CannotRun(f"no pages found under {options.raw}{found}, but {options.out} holds {held} sets from "
                            f"earlier runs: refusing to delete them (an unmounted share, the wrong folder?); pass "
                            f"--allow-removal to clear them")
        warn(f"no pages found under {options.raw}{found}")
    current = versions(options)
    reuse = previous.fingerprints.get("pages") == current["pages"] and (
        not options.docx or previous.fingerprints.get("docx") == current["docx"])
    if reuse and len(previous.entries) and not store.exists(layout.REMOVALS):
        # the removal records of unchanged pages come only from processing them again
        warn(f"{layout.REMOVALS} is missing: every page is processed again")
        reuse = False
    learning = clock()
    learned = stages.learn(files, options)
    learned_at = clock()
    batches = batches_of(files, batch_size, learned, previous.entries, options, reuse)
    entries, stats, removals = Entries(), StepStats(), {}
    bank_index = None
    for result in stages.process(batches):
        entries.extend(result.entries)
        stats.merge(result.stats)
        removals.update(result.removals)
        if options.bank and len(batches) > 1:  # this process waits on the workers: it indexes what they wrote
            fed = clock()
            bank_index = _feed_bank(store, bank_index, result.entries)
            stats.add("bank", clock() - fed, 0)
    done = clock()
    phases = {"discover": round(discovered - started, 3), "learn": round(learned_at - learning, 3),
              "batches": round(done - learned_at, 3)}
    return stages.finish(Finish(options, entries, previous.entries, current, stats, started, started_at, warnings,
                                phases, done, removals, bank_index))


def _feed_bank(store: Storage, index: Index | None, entries: Entries) -> Index:
    """The bank's index with the sets of a finished batch added (loaded on first use)."""
    from .bank import feed_sets, load_index

    index = index if index is not None else load_index(store)
    feed_sets(index, store, [e.set_id for e in entries if e.status == "published" and e.set_id is not None])
    return index


def ingest(raw: object, out: object, progress: Callable[[int], Callable[[], None]] | None = None,
           **options: object) -> RunReport:
    """`run` with options given as keywords (the names of `IngestOptions`): for scripts and tests."""
    return run(IngestOptions(raw=str(raw), out=str(out), **options), Stages(progress))  # type: ignore[arg-type]


SUMMARY_LEAVES_OUT = ("stats", "sites", "needs_review", "published_pages", "rejected_pages")  # the report has them
LISTED = 200  # published pages a run report names (the manifest has every one)


def summary_line(report: RunReport) -> str:
    found = {k: v for k, v in report.as_dict().items() if k not in SUMMARY_LEAVES_OUT}
    return json.dumps({**found, "sets_to_review": len(report.needs_review)}, ensure_ascii=False)
