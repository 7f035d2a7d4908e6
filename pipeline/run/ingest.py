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

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from pipeline import __version__
from pipeline.clean.boilerplate import Templates
from pipeline.errors import CannotRun, stopped_by
from pipeline.models import ManifestEntry
from pipeline.publish import files as publish
from pipeline.publish import quality
from pipeline.run import isolate
from pipeline.run.batch import SUFFIXES, PageBatch, Previous, RawFile, is_page, kept_entry
from pipeline.run.lock import output_lock
from pipeline.run.options import IngestOptions, check, worker_count
from pipeline.run.report import LISTED, RunReport, now
from pipeline.run.steps import StepStats
from pipeline.store import layout
from pipeline.store.entries import Entries, PreviousEntries
from pipeline.store.fingerprint import fingerprint
from pipeline.store.storage import Storage, open_storage

if TYPE_CHECKING:
    from pipeline.bank.index import Index  # the bank loads its tokenizer only when a run builds it

LEARN_SAMPLE = 500  # pages read to learn templates: recurring chrome shows in any sample this size


def versions(options: IngestOptions) -> dict[str, str | None]:
    """The fingerprints this run's outputs are made with (see `fingerprint`)."""
    return {"pages": fingerprint("pages"), "docx": fingerprint("docx") if options.docx else None}


# ---- stage 1: discover ---------------------------------------------------------------------------------

def discover(raw: str) -> list[RawFile]:
    """Every file below the raw location, sorted; symlinks are never followed out of it."""
    return [RawFile(raw, e.rel, e.size) for e in open_storage(raw).list_files()]


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
            why = "unlistable_folder: its folder could not be listed"
            kept.append(kept_entry(old, why) if old.has_outputs else old)
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
        from pipeline.bank.index import refresh_bank, write_bank

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
    from pipeline.bank.index import feed_sets, load_index

    index = index if index is not None else load_index(store)
    feed_sets(index, store, [e.set_id for e in entries if e.status == "published" and e.set_id is not None])
    return index


def ingest(raw: object, out: object, progress: Callable[[int], Callable[[], None]] | None = None,
           **options: object) -> RunReport:
    """`run` with options given as keywords (the names of `IngestOptions`): for scripts and tests."""
    return run(IngestOptions(raw=str(raw), out=str(out), **options), Stages(progress))  # type: ignore[arg-type]
