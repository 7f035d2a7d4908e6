"""One page, and one batch of pages, as a worker runs them: a raw file read within its limits, its
steps run (or its last outputs kept when nothing it depends on changed), its set corrected by the
editor's corrections and published; a bad page becomes a rejected entry, never an exception.
`ingest` makes the batches and `isolate` runs them in worker processes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.clean.boilerplate import Templates, site_key
from pipeline.errors import FINAL_REJECTIONS, Rejected
from pipeline.limits import MAX_BYTES
from pipeline.models import ManifestEntry, QuestionSet
from pipeline.page import Page
from pipeline.publish import files as publish
from pipeline.review import corrections
from pipeline.run.options import IngestOptions
from pipeline.run.steps import PageRunner, PageTimeout, StepStats, new_page, published_set, time_limit
from pipeline.store import layout
from pipeline.store.entries import PreviousEntries
from pipeline.store.storage import NOT_A_FILE, SYMLINK_OUTSIDE, UNLISTABLE, Storage, open_storage

SUFFIXES = {".txt", ".html", ".htm", ".docx"}
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


@dataclass
class Prepared:
    """A page the learn pass read and took through PRE_STEPS, with those steps' stats."""

    page: Page
    done: StepStats
    size: int


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
                 prepared: Prepared | None = None) -> tuple[ManifestEntry, str | None]:
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
            return kept_entry(old, str(rejected)), None  # a read error is not a deletion
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


def kept_entry(old: ManifestEntry, why: str) -> ManifestEntry:
    """The last entry of a page that could not be read this run, its outputs kept until it reads again."""
    return old.model_copy(update={"status": "rejected", "kept": True,
                                  "reason": f"{why}; the outputs of its last good read are kept"})
