"""The per-page steps, in order, and the small frame that runs them.

Each step is a short function `step(page, ctx)` that does one job and may raise `Rejected`.
`PageRunner` owns the loop: it times every step, counts what it removed and rejected, and turns
any unexpected exception into a rejection so that one bad page never stops a batch.
"""

from __future__ import annotations

import hashlib
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pipeline.check import confidence, validate
from pipeline.clean import boilerplate, dedupe, segment, title, unwrap
from pipeline.clean.fold import is_traditional, matching_form, strip_pinyin_garbage
from pipeline.clean.normalise import Restorer, matching_text, own_text
from pipeline.clean.profiles import detect_site, load_profiles
from pipeline.errors import Rejected
from pipeline.grammar import passages
from pipeline.grammar.assemble import build_set, set_id_for
from pipeline.grammar.parse import parse_lines
from pipeline.limits import PAGE_TIMEOUT
from pipeline.models import QuestionSet, Removal
from pipeline.page import Page
from pipeline.read.decode import read_bytes


@dataclass
class Context:
    templates: boilerplate.Templates | None = None


Step = Callable[[Page, Context], None]


def read_step(page: Page, ctx: Context) -> None:
    decoded = read_bytes(page.path, page.raw)
    page.text, page.encoding, page.format = decoded.text, decoded.encoding, decoded.format
    for rule, what in decoded.removed:
        page.remove(rule, what)


def normalise_step(page: Page, ctx: Context) -> None:
    # A converter's pinyin glosses ('現(xiàn)金' → '現金') are conversion garbage, never the author's
    # text: gone before anything reads the page, so no pattern has to step over them. A converter
    # writes traditional script; on a simplified page pinyin in brackets is the author's ('颀长(qí)').
    own = own_text(page.text)
    page.own_text = strip_pinyin_garbage(own) if is_traditional(own) else own
    if page.own_text != own:  # the widths the lines had when a dump wrapped them (unwrap measures those)
        page.glosses = [len(a) - len(b) for a, b in zip(own.split("\n"), page.own_text.split("\n"), strict=True)]
    page.text = matching_text(page.own_text)
    if not page.text.strip():
        raise Rejected("no_text", "nothing is left after removing control characters")


def site_step(page: Page, ctx: Context) -> None:
    head = page.text[:20_000]
    page.site = detect_site(head) or detect_site(matching_form(head))  # a mirror in traditional script too
    generic, _ = load_profiles()
    markers = generic.truncation_markers + (page.site.truncation_markers if page.site else ())
    page.truncated_marker = any(p.search(page.text) for p in markers)
    if not page.truncated_marker and matching_form(page.text[:3000]) != page.text[:3000]:
        form = matching_form(page.text)  # a traditional-script page: its markers in simplified form
        page.truncated_marker = any(p.search(form) for p in markers)


def lines_step(page: Page, ctx: Context) -> None:
    page.lines = boilerplate.to_lines(page.text, page.glosses)


def unwrap_step(page: Page, ctx: Context) -> None:
    joined = unwrap.unwrap(page)
    if joined:
        page.warn("unwrapped", f"{joined} lines broken at a fixed width were joined back")
    # after the width: a wrapped dump's chunks are long lines again
    boilerplate.join_page_chunks(page, rewrapped=joined > 0)


def boilerplate_step(page: Page, ctx: Context) -> None:
    boilerplate.strip_boilerplate(page, ctx.templates)
    if not page.lines:
        raise Rejected("no_content", "only site chrome, no document text")


def title_step(page: Page, ctx: Context) -> None:
    title.find_title(page)


def dedupe_step(page: Page, ctx: Context) -> None:
    dedupe.drop_second_copy(page)


def segment_step(page: Page, ctx: Context) -> None:
    if segment.segment(page):
        # run-on text: chrome glued into long lines is a line of its own now; the same rules apply
        boilerplate.strip_boilerplate(page, ctx.templates)


def parse_step(page: Page, ctx: Context) -> None:
    result = parse_lines(page.lines)
    restore = Restorer(page.own_text, page.text)
    qset = passages.attach(build_set(page, result, set_id_for(page.text), restore))
    if not qset.questions():
        raise Rejected("no_questions", "no questions found on the page")
    page.removed = [(rule, restore(text) or text) for rule, text in page.removed]
    for text in result.dropped:
        page.remove("answer_part_structure", text)
    for q in result.unmatched_answers:
        page.warn("answer_unmatched", f"an answer in the answer part matches no question ({q})")
    page.qset = qset.model_copy(update={"warnings": list(page.warnings)})




def validate_step(page: Page, ctx: Context) -> None:
    assert page.qset is not None
    page.qset = validate.validate(page, page.qset)


def assess_step(page: Page, ctx: Context) -> None:
    assert page.qset is not None
    page.qset = confidence.assess(page.qset, page.doubts)


STEPS: list[tuple[str, Step]] = [
    ("read", read_step),
    ("normalise", normalise_step),
    ("site", site_step),
    ("lines", lines_step),
    ("unwrap", unwrap_step),
    ("boilerplate", boilerplate_step),
    ("segment", segment_step),
    ("title", title_step),
    ("dedupe", dedupe_step),
    ("parse", parse_step),
    ("validate", validate_step),
    ("assess", assess_step),
]
PRE_STEPS = STEPS[:4]  # what corpus-level template learning needs: lines, before chrome removal


@dataclass
class StepStats:
    seconds: Counter[str] = field(default_factory=Counter)
    pages: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    peak_memory_mb: float = 0.0  # the largest resident size a page's worker reached (see isolate)

    def add(self, step: str, seconds: float, pages: int = 1) -> None:
        """Time spent outside the page steps (DOCX rendering, the bank), under its own name."""
        self.seconds[step] += seconds
        self.pages[step] += pages

    def merge(self, other: StepStats) -> None:
        for name in ("seconds", "pages", "rejected", "removed", "warnings"):
            getattr(self, name).update(getattr(other, name))
        self.peak_memory_mb = max(self.peak_memory_mb, other.peak_memory_mb)

    def as_dict(self) -> dict:
        return {
            "seconds_per_step": {k: round(v, 4) for k, v in self.seconds.items()},
            "pages_per_step": dict(self.pages),
            "rejected": dict(self.rejected),
            "removed_lines_by_rule": dict(sorted(self.removed.items())),
            "warnings_by_kind": dict(sorted(self.warnings.items())),
            "worker_peak_memory_mb": round(self.peak_memory_mb, 1),
        }



class PageTimeout(Exception):
    """Raised inside a step by the timer when a page runs past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the page after `seconds` (SIGALRM: main thread on POSIX); elsewhere a no-op.

    Worker threads (Prefect's thread runner) cannot be interrupted; there the runner checks the
    clock between steps instead.
    """
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class PageRunner:
    def __init__(self, steps: list[tuple[str, Step]] | None = None, ctx: Context | None = None,
                 page_timeout: float = PAGE_TIMEOUT) -> None:
        self.steps = steps or STEPS
        self.ctx = ctx or Context()
        self.stats = StepStats()
        self.page_timeout = page_timeout

    def run(self, page: Page, done: StepStats | None = None) -> Page:
        """Run every step; on rejection the page comes back with `qset` None and the reason raised.

        `done`: the page already went through the first steps (the learn pass's PRE_STEPS, timed
        in `done`); the rest run here and the stats count the page once for every step."""
        first, limit = 0, self.page_timeout
        if done is not None:
            first = len(done.pages)
            self.stats.seconds.update(done.seconds)
            self.stats.pages.update(done.pages)
            if limit > 0:  # the time the first steps took counts against the page's limit
                limit = max(1e-3, limit - sum(done.seconds.values()))
        try:
            with time_limit(limit):
                return self._run(page, first, limit)
        except PageTimeout:
            self.stats.rejected["timeout"] += 1
            raise Rejected("timeout", f"cleaning and parsing took longer than {self.page_timeout:g} s") from None

    def _run(self, page: Page, first: int = 0, limit: float | None = None) -> Page:
        limit = self.page_timeout if limit is None else limit
        deadline = time.perf_counter() + limit if limit > 0 else float("inf")
        for name, step in self.steps[first:]:
            if time.perf_counter() > deadline:
                raise PageTimeout
            start = time.perf_counter()
            try:
                step(page, self.ctx)
            except PageTimeout:
                raise
            except Rejected as rejected:
                self.stats.rejected[rejected.code] += 1
                raise
            except MemoryError:
                raise  # the page's memory cap: the worker rejects the page as too_much_memory
            except Exception as exc:  # a bug must cost one page, not the batch
                self.stats.rejected["internal_error"] += 1
                raise Rejected("internal_error", f"{name} step failed: {type(exc).__name__}: {exc}") from exc
            finally:
                self.stats.seconds[name] += time.perf_counter() - start
                self.stats.pages[name] += 1
        self.stats.removed.update(page.removal_counts())
        if page.qset:
            self.stats.warnings.update(w.split(":", 1)[0] for w in page.qset.warnings)
        return page


def published_set(page: Page) -> QuestionSet:
    """The set as published: the page's set with its removed lines counted by rule."""
    assert page.qset is not None
    counts = page.removal_counts()
    return page.qset.model_copy(update={"removed": [Removal(rule=k, count=v) for k, v in sorted(counts.items())]})


def new_page(path: str, raw: bytes) -> Page:
    return Page(path=path, raw=raw, sha256=hashlib.sha256(raw).hexdigest())


def process_page(path: str, raw: bytes | str, templates: boilerplate.Templates | None = None) -> Page:
    """One page through every step (no files written). Raises `Rejected` when it yields no set."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    page = new_page(path, data)
    PageRunner(ctx=Context(templates=templates)).run(page)
    return page
