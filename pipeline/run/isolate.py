"""Every page within its limits: read, cleaned, parsed and published in a worker process that the
run can stop.

A timer inside a process cannot interrupt a regular expression or a C library mid-call (the alarm
is seen only between Python bytecodes), and it cannot run at all in a flow's worker threads. So a
page is handed to a worker process (`python -m pipeline.run.isolate`) with a deadline; a worker past it
is killed and replaced, and the page is rejected `timeout`. The worker's address space is capped
(`page_memory`), so a page that would need more is rejected `too_much_memory` instead of taking the
machine. The learn pass goes through the same worker, so a page that times out there is rejected
once and not tried again in its batch, and the pages it read stay in the worker (up to
`PREPARED_BYTES` of them) for their batch, never in the parent.

`PageService` is what a worker does; `Subprocess` runs one in a child process, `InProcess` here
(`--in-process`: for profiling and debugging, with the timer's limits only). Each thread has its
own worker, kept for the life of the process.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import queue
import resource
import signal
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.errors import Rejected
from pipeline.run.batch import Prepared
from pipeline.store.storage import in_this_process

if TYPE_CHECKING:
    from pipeline.clean.boilerplate import Templates
    from pipeline.models import ManifestEntry
    from pipeline.page import Page
    from pipeline.run.batch import PageBatch, RawFile
    from pipeline.run.steps import StepStats

PREPARED_BYTES = 64 * 1024 * 1024  # pages the learn pass read, held for their batch: bounded by size, not count
HARD_STOP_GRACE = 0.25  # seconds past a page's limit before its worker is killed (the timer inside fires first)
STARTUP_SECONDS = 60.0  # a worker that has not answered by then is not coming


def held_size(page: Page) -> int:
    """What a prepared page holds in memory, roughly: its bytes and its texts (str of CJK: 2–4 bytes a character)."""
    return len(page.raw) + 4 * (len(page.text) + len(page.own_text)) + sum(4 * len(x.text) + 64 for x in page.lines)


class PageService:
    """The work a worker does, one request at a time: learn a page's lines, take a batch's context,
    process a page. Pure core calls; no limits of its own beyond the steps' timer."""

    def __init__(self) -> None:
        self.prepared: OrderedDict[str, Prepared] = OrderedDict()
        self.held = 0
        self.batch: PageBatch | None = None

    def reset(self) -> None:
        """A new run: nothing an earlier run read is handed on."""
        self.prepared.clear()
        self.held = 0

    def learn(self, f: RawFile, max_bytes: int, page_timeout: float) -> tuple[str, set[str]] | ManifestEntry | None:
        """(site, chrome candidates) of a page for template learning; its rejection when it ran out of time (final
        for this run); None when it cannot be read (its batch says why)."""
        from pipeline.clean.boilerplate import chrome_candidates, site_key
        from pipeline.publish import files as publish
        from pipeline.run.batch import read_raw
        from pipeline.run.steps import PRE_STEPS, PageRunner, new_page

        page = None
        try:
            page = new_page(f.name, read_raw(f, max_bytes))
            runner = PageRunner(PRE_STEPS, page_timeout=page_timeout)
            runner.run(page)
        except Rejected as rejected:
            if rejected.code != "timeout":
                return None
            sha = page.sha256 if page is not None else None
            return publish.manifest_entry(path=f.name, sha256=sha, status="rejected", reason=(
                f"timeout: reading it for template learning took longer than {page_timeout:g} s"))
        self._keep(f.name, Prepared(page, runner.stats, held_size(page)))
        return site_key(page), chrome_candidates(line.text for line in page.lines)

    def _keep(self, name: str, prepared: Prepared) -> None:
        if prepared.size > PREPARED_BYTES:
            return
        self.prepared[name] = prepared
        self.held += prepared.size
        while self.held > PREPARED_BYTES:
            _, dropped = self.prepared.popitem(last=False)  # the oldest goes: its batch reads it again
            self.held -= dropped.size

    def start_batch(self, batch: PageBatch) -> None:
        from pipeline.run.batch import corrected_sets
        from pipeline.run.steps import Context, PageRunner
        from pipeline.store.storage import open_storage

        self.batch = batch
        self.out = open_storage(batch.options.out)
        self.corrected = corrected_sets(self.out)
        self.runner = PageRunner(ctx=Context(templates=batch.templates), page_timeout=batch.options.page_timeout)
        self.raw_stores: dict[str, Any] = {}

    def page(self, f: RawFile) -> tuple[ManifestEntry, StepStats, str | None]:
        """One page of the batch: its manifest entry, the stats of its steps, and its row of
        removed.jsonl when it was published."""
        from pipeline.publish import files as publish
        from pipeline.run.batch import process_file
        from pipeline.run.steps import StepStats
        from pipeline.store.storage import open_storage

        assert self.batch is not None, "start_batch first"
        batch, self.runner.stats = self.batch, StepStats()
        prepared = self.prepared.pop(f.name, None)
        if prepared is not None:
            self.held -= prepared.size
        raw_store = self.raw_stores.setdefault(f.root, open_storage(f.root))
        removal = None
        try:
            entry, removal = process_file(f, self.out, self.runner, batch.old.get(f.name), batch.options, raw_store,
                                          batch.reuse, self.corrected, prepared)
        except MemoryError:
            self.runner.stats.rejected["too_much_memory"] += 1
            entry = publish.manifest_entry(path=f.name, sha256=None, status="rejected", reason=(
                f"too_much_memory: the page needed more than the {batch.options.page_memory} MB a page may use"))
        self.runner.stats.peak_memory_mb = peak_memory_mb()
        return entry, self.runner.stats, removal

    def write_questions(self, out: str, set_ids: list[str], cluster_of: dict[str, str],
                        keywords_of: dict[str, list[str]]) -> int:
        """questions.jsonl of a run's live sets, with their bank clusters and keywords."""
        from pipeline.publish import files as publish
        from pipeline.store.storage import open_storage

        return publish.write_questions_jsonl(open_storage(out), set_ids, cluster_of, keywords_of)

    def handle(self, request: tuple) -> object:
        kind, *args = request
        return getattr(self, kind)(*args)


def peak_memory_mb() -> float:
    """This process's largest resident size so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- the parent's side -----------------------------------------------------------------------------

class WorkerStopped(Exception):
    """The worker did not answer in time (`timed_out`) or died (a signal, the memory cap's OOM kill)."""

    def __init__(self, timed_out: bool, detail: str) -> None:
        super().__init__(detail)
        self.timed_out = timed_out


class InProcess:
    """The service called here: the same work, limited by the steps' timer only."""

    def __init__(self) -> None:
        self.service = PageService()

    def call(self, request: tuple, seconds: float | None = None) -> object:
        return self.service.handle(request)


class Subprocess:
    """A `PageService` in a child process: each call has a deadline, after which the child is killed
    (and started again on the next call, with the batch it had)."""

    def __init__(self, page_memory: int) -> None:
        self.page_memory = page_memory
        self.proc: subprocess.Popen | None = None
        self.batch_request: tuple | None = None  # replayed to a replacement worker
        self.interrupted = False  # the run was stopped (Ctrl-C): no replacement is started

    def _start(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        cmd = [sys.executable, "-m", "pipeline.run.isolate", str(to_child_r), str(from_child_w), str(self.page_memory)]
        self.proc = subprocess.Popen(cmd, pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                                     start_new_session=True)  # Ctrl-C is the parent's to handle: it ends us
        os.close(to_child_r)
        os.close(from_child_w)
        self.send_conn = Connection(to_child_w, readable=False)
        self.recv_conn = Connection(from_child_r, writable=False)
        self._answer(STARTUP_SECONDS)  # "ready": its imports done, so no page's time pays for them
        if self.batch_request is not None:
            self._exchange(self.batch_request, STARTUP_SECONDS)

    def call(self, request: tuple, seconds: float | None = None) -> object:
        if request[0] == "start_batch":
            self.batch_request = request
        if self.proc is None or self.proc.poll() is not None:
            if self.interrupted:
                raise KeyboardInterrupt  # the run is stopping: its other batches end here too
            self._start()
            if request[0] == "start_batch":
                return None
        return self._exchange(request, seconds)

    def _exchange(self, request: tuple, seconds: float | None) -> object:
        self._send(request)  # `call` has just checked the worker: no second poll on a page's path
        return self._answer(seconds)

    def _send(self, request: tuple) -> None:
        self.send_conn.send_bytes(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))

    def send(self, request: tuple) -> None:
        """Hand the worker a request without waiting for its answer (`receive` takes it)."""
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        self._send(request)

    def receive(self, seconds: float | None = None) -> object:
        return self._answer(seconds)

    def interrupt(self) -> None:
        """Stop the worker for good in this run (Ctrl-C in the parent): the thread waiting on it
        sees KeyboardInterrupt, not a dead worker to replace."""
        self.interrupted = True
        self.stop()

    def _answer(self, seconds: float | None) -> object:
        try:
            answered = self.recv_conn.poll(seconds)
        except (EOFError, OSError):  # closed under us: the run was interrupted
            answered = True
        if not answered:
            self.stop()
            raise WorkerStopped(True, f"no answer within {seconds:g} s")
        try:
            status, value = pickle.loads(self.recv_conn.recv_bytes())
        except (EOFError, OSError):
            code = self.stop()
            if self.interrupted:
                raise KeyboardInterrupt from None
            raise WorkerStopped(False, _death(code)) from None
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        """End the worker as a run ends: it sees its input close and exits; waiting for it counts its
        CPU time and memory in this process's (what `/usr/bin/time` reports)."""
        self.interrupted = False
        if self.proc is None:
            return
        self.send_conn.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self.stop()

    def stop(self) -> int | None:
        """Kill the worker (its whole session: anything it started goes too); its exit code."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        for conn in (self.send_conn, self.recv_conn):
            if not conn.closed:
                conn.close()
        return proc.wait()


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        return f"the worker was killed by {signal.Signals(-code).name}"
    return f"the worker exited ({code})"


_local = threading.local()
_started: list[Subprocess] = []


@atexit.register
def close_workers() -> None:
    """Close every worker this process started (at exit, or before a caller reads its children's usage)."""
    for started in _started:
        started.close()


def worker(options: Any) -> InProcess | Subprocess:
    """This thread's worker for these options (one kind per thread, kept for the process's life)."""
    here = options.in_process or in_this_process(options.raw) or in_this_process(options.out)
    kind = InProcess if here else Subprocess
    current = getattr(_local, "worker", None)
    if not isinstance(current, kind) or (kind is Subprocess and current.page_memory != options.page_memory):
        if isinstance(current, Subprocess):
            current.stop()
        current = kind() if kind is InProcess else Subprocess(options.page_memory)
        _local.worker = current
        if isinstance(current, Subprocess):
            _started.append(current)
    return current


_spares: list[Subprocess] = []  # workers beyond the calling thread's own, kept for the process's life


def workers_for(options: Any, count: int) -> list[InProcess | Subprocess]:
    """`count` workers for one run: this thread's own first (it holds the pages the learn pass read),
    then spares started once and kept, like the thread's own, for later runs in this process. Pages
    processed in this process (`in_process`, a memory:// location) have one worker: threads would
    only take turns at the GIL."""
    own = worker(options)
    if isinstance(own, InProcess) or count <= 1:
        return [own]
    for spare in [s for s in _spares if s.page_memory != options.page_memory]:
        spare.close()
        _spares.remove(spare)
    while len(_spares) < count - 1:
        spare = Subprocess(options.page_memory)
        _spares.append(spare)
        _started.append(spare)
    return [own, *_spares[: count - 1]]


def in_background(options: Any, request: tuple) -> Callable[[], Any]:
    """Start `request` on this thread's worker and return what waits for its answer: the parent
    works meanwhile. In process (`in_process`, memory://), it runs here and now. A worker that dies
    on it (its memory cap) leaves the work to this process."""
    service = worker(options)
    if isinstance(service, InProcess):
        answer = service.call(request)
        return lambda: answer

    def wait() -> Any:
        try:
            return service.receive()
        except (WorkerStopped, MemoryError):
            return PageService().handle(request)

    try:
        service.send(request)
    except (WorkerStopped, OSError):
        return lambda: PageService().handle(request)
    return wait


def deadline(page_timeout: float) -> float | None:
    return page_timeout + HARD_STOP_GRACE if page_timeout > 0 else None


def stopped_entry(f: RawFile, stop: WorkerStopped, page_timeout: float, what: str) -> ManifestEntry:
    """The rejection of a page whose worker had to be stopped (or died) while it had the page."""
    from pipeline.publish import files as publish

    if stop.timed_out:
        reason = f"timeout: {what} took longer than {page_timeout:g} s (its worker was stopped)"
    else:
        reason = f"worker_died: {stop} while {what} this page (the memory cap, or a crash in a library)"
    return publish.manifest_entry(path=f.name, sha256=None, status="rejected", reason=reason)


def run_batch(batch: PageBatch, on_page: Callable[[], None] | None = None, service: InProcess | Subprocess | None = None
              ) -> tuple[list[ManifestEntry], StepStats, dict[str, str]]:
    """Every page of the batch through one worker (this thread's by default), each within the page
    limit: the entries, the steps' stats, and the rows of removed.jsonl by page path."""
    from pipeline.run.steps import StepStats

    options = batch.options
    service = service or worker(options)
    service.call(("start_batch", batch), STARTUP_SECONDS)
    entries, stats, removals = [], StepStats(), {}
    for f in batch.files:
        if f.name in batch.rejected:
            entry = batch.rejected[f.name]
        else:
            try:
                entry, page_stats, removal = service.call(("page", f), deadline(options.page_timeout))
                stats.merge(page_stats)
                if removal is not None:
                    removals[f.name] = removal
            except WorkerStopped as stop:
                entry = stopped_entry(f, stop, options.page_timeout, "cleaning, parsing and publishing")
                stats.rejected[entry.reason.split(":", 1)[0]] += 1
        entries.append(entry)
        if on_page:
            on_page()
    return entries, stats, removals


Result = TypeVar("Result")


def in_parallel(services: list[Any], jobs: list[Any], work: Callable[[Any, Any], Result]) -> Iterator[Result]:
    """`work(service, job)` for every job, on as many threads as there are services, each job on a
    free service; results in the jobs' order. Ctrl-C (or any error) stops every worker at once: no
    batch goes on, no replacement is started, and the exception goes on up."""
    if len(services) <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield work(services[0], job)
        return
    free: queue.SimpleQueue[Any] = queue.SimpleQueue()
    for service in services:
        free.put(service)

    def borrow(job: Any) -> Result:
        service = free.get()
        try:
            return work(service, job)
        finally:
            free.put(service)

    pool = ThreadPoolExecutor(max_workers=len(services), thread_name_prefix="batch")
    futures = [pool.submit(borrow, job) for job in jobs]
    try:
        for future in futures:
            yield future.result()
    except BaseException:
        for service in services:
            if isinstance(service, Subprocess):
                service.interrupt()
        pool.shutdown(wait=True, cancel_futures=True)
        for service in services:
            if isinstance(service, Subprocess):
                service.interrupted = False  # the next run may start it again
        raise
    pool.shutdown(wait=True)


def run_batches(batches: list[PageBatch], workers: int, on_page: Callable[[], None] | None = None
                ) -> Iterator[tuple[list[ManifestEntry], StepStats, dict[str, str]]]:
    """The batches on `workers` worker processes at once, results in the batches' order."""
    if not batches:
        return iter(())
    services = workers_for(batches[0].options, min(workers, len(batches)))
    return in_parallel(services, batches, lambda service, batch: run_batch(batch, on_page, service))


def learn_pages(files: list[RawFile], options: Any, workers: int = 1) -> tuple[Templates, dict[str, ManifestEntry]]:
    """Chrome templates from `files` (read on up to `workers` workers, in contiguous shares), and the
    pages that ran out of time while read for it (rejected once: their batch does not try them again)."""
    from pipeline.clean.boilerplate import learn_templates

    services = workers_for(options, min(workers, max(1, len(files) // LEARN_SHARE_MIN)))
    size = max(1, -(-len(files) // len(services)))
    shares = [files[i: i + size] for i in range(0, len(files), size)] or [[]]  # in order: learned as one worker would
    rejected: dict[str, ManifestEntry] = {}
    learned: list[tuple[str, set[str]]] = []
    for share_learned, share_rejected in in_parallel(services, shares, lambda s, share: _learn(s, share, options)):
        learned += share_learned
        rejected.update(share_rejected)
    return learn_templates(learned), rejected


LEARN_SHARE_MIN = 50  # pages: fewer are learned on one worker (a worker's start costs more than they do)


def _learn(service: InProcess | Subprocess, files: list[RawFile], options: Any
           ) -> tuple[list[tuple[str, set[str]]], dict[str, ManifestEntry]]:
    service.call(("reset",), STARTUP_SECONDS)
    rejected: dict[str, ManifestEntry] = {}
    learned: list[tuple[str, set[str]]] = []
    for f in files:
        try:
            result = service.call(("learn", f, options.max_bytes, options.page_timeout), deadline(options.page_timeout))
        except WorkerStopped as stop:
            rejected[f.name] = stopped_entry(f, stop, options.page_timeout, "reading for template learning")
            continue
        if isinstance(result, tuple):
            learned.append(result)
        elif result is not None:
            rejected[f.name] = result
    return learned, rejected


# ---- the child's side ------------------------------------------------------------------------------

def serve(read_fd: int, write_fd: int, page_memory_mb: int) -> None:
    """The worker's loop: one pickled request in, one (status, value) out, until the parent goes."""
    if page_memory_mb > 0:
        cap = page_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    inbox, outbox = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    service = PageService()
    from pipeline.publish import docx  # noqa: F401 - loaded now, before any page's clock starts
    from pipeline.run import batch  # noqa: F401 - (its steps, the publishing of a page's files)

    try:
        outbox.send_bytes(pickle.dumps(("ok", "ready")))
    except OSError:  # the parent went while we started (Ctrl-C, kill): nobody to serve
        return
    while True:
        try:
            request = pickle.loads(inbox.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, object] = ("ok", service.handle(request))
        except MemoryError:
            service.reset()
            reply = ("error", MemoryError(f"over the worker's {page_memory_mb} MB"))
        except Exception as exc:  # the parent re-raises it: a bug is not the worker's to hide
            reply = ("error", exc)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception that does not pickle: its text does
            data = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {reply[1]!r}")))
        try:
            outbox.send_bytes(data)
        except OSError:  # the parent is gone (Ctrl-C, kill): nobody to answer, nothing to say
            return


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
