"""The Prefect flow: the core's run definition (`pipeline.run.ingest.run`) with each stage a task.

discover → learn chrome templates → clean+parse+publish batches (submitted to the task runner:
threads, or Dask) → finish. The stages, their checks and the files they write are the core's;
this module adds retries, the task runner, logging and the run summary as an artifact.
One task runs a whole batch of pages: Prefect's per-task cost is milliseconds, a page's parse is less.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from pipeline.errors import CannotRun
from pipeline.limits import KEEP_RUNS, MAX_BYTES, PAGE_MEMORY, PAGE_TIMEOUT
from pipeline.publish import quality
from pipeline.run import ingest as core
from pipeline.run.options import IngestOptions, cores, nothing_published
from pipeline.run.report import summary_line

from .settings import DEFAULT_BATCH_SIZE

P = ParamSpec("P")
R = TypeVar("R")


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    """Prefect's run logger inside a run; a plain logger when a task body is called directly."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("flows.ingest")


# Failures no retry can mend: a full disk, a read-only or forbidden folder, a run the core refuses.
FINAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


class Stopped:
    """A final failure carried out of a task as its result: Prefect neither retries it nor logs a
    traceback for it; the flow raises it again (`unwrap`) and ends in a Failed state that says why."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def carried(body: Callable[P, R]) -> Callable[P, R | Stopped]:
    @functools.wraps(body)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Stopped:
        try:
            return body(*args, **kwargs)
        except CannotRun as exc:
            return Stopped(exc)
        except OSError as exc:
            if exc.errno in FINAL_ERRNOS:
                return Stopped(exc)
            raise  # a passing fault of remote storage: the task's retries are for these

    return wrapper


def unwrap(value: R | Stopped) -> R:
    if isinstance(value, Stopped):
        raise value.error
    return value


@task(retries=3, retry_delay_seconds=[1, 4, 16], cache_policy=NO_CACHE)
@carried
def discover_pages(raw_dir: str) -> list[core.RawFile]:
    return core.discover(raw_dir)


@task(cache_policy=NO_CACHE)
@carried
def learn_templates(files: list[core.RawFile], options: IngestOptions) -> core.Learned:
    return core.learn(files, options)


@task(retries=2, retry_delay_seconds=[2, 8], cache_policy=NO_CACHE)
@carried
def clean_parse_publish(batch: core.PageBatch) -> core.BatchResult:
    """One batch: every page is read, cleaned, parsed and published; a bad page is rejected, not raised."""
    result = core.process_batch(batch)
    done = {s: sum(1 for e in result.entries if e.status == s) for s in ("published", "unchanged", "rejected")}
    run_logger().info("batch of %d pages: %s", len(batch.files), done)
    return result


@task(retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
@carried
def finish_run(job: core.Finish) -> core.RunReport:
    """Corpus-level steps: duplicates, stale outputs, manifest, the question bank, JSONL, run report."""
    return core.finish(job)


class TaskStages(core.Stages):
    """The core's stages as Prefect tasks; batches go to the flow's task runner all at once."""

    def discover(self, raw: str) -> list[core.RawFile]:
        return unwrap(discover_pages(raw))

    def learn(self, files: list[core.RawFile], options: IngestOptions) -> core.Learned:
        return unwrap(learn_templates(quote(files), options))  # quote(): Prefect need not walk every page record

    def process(self, batches: list[core.PageBatch]) -> Iterator[core.BatchResult]:
        run_logger().info("%d pages in %d batches", sum(len(b.files) for b in batches), len(batches))
        futures = [clean_parse_publish.submit(batch) for batch in batches]
        for future in futures:
            yield unwrap(future.result())

    def finish(self, job: core.Finish) -> core.RunReport:
        return unwrap(finish_run(quote(job)))

    def warn(self, message: str) -> None:
        run_logger().warning("%s", message)


def summary_markdown(report: core.RunReport, out: str) -> str:
    rows = [f"**Nothing published:** {nothing_published(report)}", ""] if report.nothing_published else []
    rows += [
        "| pages | published | unchanged | rejected | questions | seconds |",
        "|---|---|---|---|---|---|",
        f"| {report.pages} | {report.published} | {report.unchanged} | {report.rejected} | {report.questions} "
        f"| {report.seconds} |",
        "",
        "**Rejected by reason:** " + (", ".join(f"{k}: {v}" for k, v in report.rejected_reasons.items()) or "none"),
        "",
        "**Warnings by kind:** " + _warnings(report),
        "",
        "| stage | seconds |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in report.stats["seconds_per_step"].items()),
    ]
    if report.warnings:
        rows += ["", "**Run warnings:**", *(f"- {w}" for w in report.warnings)]
    if report.removed_pages:
        rows += ["", "**Pages gone from raw since the last run:** " + ", ".join(report.removed_pages)]
    rows += ["", quality.markdown(report.sites, report.needs_review, out)]
    rows += _pages(report)
    return "\n".join(rows)


SHOWN = 50  # pages named in the artifact; the run report has more, the manifest every one


def _warnings(report: core.RunReport) -> str:
    found = ", ".join(f"{k}: {v}" for k, v in report.stats["warnings_by_kind"].items())
    if found:
        return found
    if report.published == 0 and report.unchanged:
        return f"no page was processed this run ({report.unchanged} unchanged: their warnings stand in their sets)"
    return "none"


def _pages(report: core.RunReport) -> list[str]:
    rows = []
    if report.published_pages:
        more = report.published - min(SHOWN, len(report.published_pages))
        rows += ["", f"**Published this run ({report.published}):** " + ", ".join(report.published_pages[:SHOWN])
                 + (f" … and {more} more" if more > 0 else "")]
    if report.rejected_pages:
        rows += ["", f"**Rejected ({report.rejected}):**"]
        rows += [f"- {r['path']}: {r['reason']}" for r in report.rejected_pages[:SHOWN]]
        if len(report.rejected_pages) > SHOWN:
            rows.append(f"- … and {len(report.rejected_pages) - SHOWN} more (the run report lists them all)")
    return rows


@flow(name="ingest", log_prints=True)
def ingest_flow(raw_dir: str = "raw", out: str = "clean", batch_size: int = DEFAULT_BATCH_SIZE,
                max_bytes: int = MAX_BYTES, docx: bool = True, bank: bool = True, wait: float = 0.0,
                page_timeout: float = PAGE_TIMEOUT, keep_runs: int = KEEP_RUNS, allow_removal: bool = False,
                page_memory: int = PAGE_MEMORY, in_process: bool = False, workers: int = 0) -> dict | State:
    """One run over raw_dir (the core's run definition, with the lock on `out` held throughout).

    Ends Failed, with a one-line message and no traceback, when the run cannot go on (`CannotRun`:
    a full disk, a refused removal …) or when it found pages and published none of them."""
    try:
        options = IngestOptions(raw=raw_dir, out=out, max_bytes=max_bytes, docx=docx, bank=bank, wait=wait,
                                page_timeout=page_timeout, keep_runs=keep_runs, allow_removal=allow_removal,
                                page_memory=page_memory, in_process=in_process, workers=workers)
        report = core.run(options, TaskStages(), batch_size=batch_size)
    except CannotRun as exc:
        run_logger().error("%s", exc)
        return Failed(message=str(exc), data=exc)
    create_markdown_artifact(key="ingest-summary", markdown=summary_markdown(report, out),
                             description=f"ingest of {raw_dir} into {out}")
    run_logger().info("%s", summary_line(report))
    if report.nothing_published:
        return Failed(message=nothing_published(report), data=report.as_dict())
    return report.as_dict()


def task_runner(kind: str, dask_address: str | None = None, workers: int = 0):
    """Threads by default, `workers` of them (0: the cores this process may use); Dask on an existing
    scheduler, or on a local cluster of `workers` workers.

    A thread is enough to use a core: each batch task hands its pages to a worker process of its own
    (`pipeline.run.isolate`), so the threads only wait, and every worker process parses on a core of its
    own, with the embedded server (Prefect's process pool and a local Dask cluster of processes would
    each start a temporary server of their own there: they need one they can reach). A local Dask
    cluster uses worker processes when a server is configured (PREFECT_API_URL): a real one, or the
    temporary server `python -m flows.ingest` starts for its run (`flows.server`)."""
    count = workers or cores()
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        processes = bool(os.environ.get("PREFECT_API_URL"))
        return DaskTaskRunner(cluster_kwargs={"n_workers": count, "threads_per_worker": 1,
                                              "processes": processes, "dashboard_address": None})
    return ThreadPoolTaskRunner(max_workers=count)


def run(raw_dir: str, out: str, batch_size: int = DEFAULT_BATCH_SIZE, runner: str = "thread",
        dask_address: str | None = None, **options: object) -> dict:
    """The flow with a task runner, from Python; `options` are `IngestOptions` fields (docx, bank,
    workers …)."""
    workers = options.get("workers") or 0
    assert isinstance(workers, int)
    configured = ingest_flow.with_options(task_runner=task_runner(runner, dask_address, workers))
    state = configured(raw_dir=raw_dir, out=out, batch_size=batch_size, return_state=True, **options)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):  # CannotRun: the one-line reason; anything else: a bug, shown whole
        raise result
    return result
