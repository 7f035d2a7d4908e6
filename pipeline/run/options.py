"""The options of an ingest run: declared once for both command lines, validated once, before any work.

`python -m pipeline ingest` and `python -m flows.ingest` add the same arguments (`add_arguments`),
build the same `IngestOptions` (`from_args`) and check the locations the same way (`check`), so a
mistake gets the same one-line message and exit code from both, before Prefect is even imported.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.errors import EXIT_INTERRUPTED, EXIT_NOTHING_PUBLISHED, CannotRun
from pipeline.limits import KEEP_RUNS, MAX_BYTES, PAGE_MEMORY, PAGE_TIMEOUT
from pipeline.store import layout
from pipeline.store.storage import check_location, inside, is_url, local_path, open_storage

if TYPE_CHECKING:
    from pipeline.run.report import RunReport


@dataclass(frozen=True, slots=True)
class IngestOptions:
    raw: str
    out: str
    max_bytes: int = MAX_BYTES
    docx: bool = True
    bank: bool = True
    wait: float = 0.0
    page_timeout: float = PAGE_TIMEOUT
    keep_runs: int = KEEP_RUNS
    allow_removal: bool = False  # let this run remove most published sets (an empty raw folder included)
    page_memory: int = PAGE_MEMORY  # MB a page's worker process may use
    in_process: bool = False  # pages processed in this process: the timer's limits only (profiling, debugging)
    workers: int = 0  # worker processes running batches at once; 0: the cores this process may use

    def __post_init__(self) -> None:
        for name, value, low in (("max-bytes", self.max_bytes, 1), ("keep-runs", self.keep_runs, 1),
                                 ("wait", self.wait, 0), ("page-timeout", self.page_timeout, 0),
                                 ("page-memory", self.page_memory, 256), ("workers", self.workers, 0)):
            at_least(name, value, low)
        for name, location in (("RAW_DIR", self.raw), ("--out", self.out)):
            if not str(location).strip():
                raise CannotRun(f"{name} is empty: give a folder or a URL")
            try:
                check_location(location, name)
            except ValueError as exc:
                raise CannotRun(str(exc)) from None


def at_least(option: str, value: float, low: float) -> None:
    """The one rule and message for a numeric option below its floor (both command lines, deploy)."""
    if value < low:
        raise CannotRun(f"--{option} must be at least {low} (got {value})")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("raw_dir", help="folder or fsspec URL of raw pages")
    parser.add_argument("--out", required=True, help="output folder or fsspec URL (CLEAN_DIR)")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES,
                        help="reject pages larger than this (default 20 MiB)")
    parser.add_argument("--no-docx", action="store_true", help="no printable DOCX editions (existing ones are removed)")
    parser.add_argument("--no-bank", action="store_true",
                        help="no question bank: keywords, near-duplicate clusters (an existing bank is removed)")
    parser.add_argument("--page-timeout", type=float, default=PAGE_TIMEOUT,
                        help="reject a page that takes longer than this many seconds to clean and parse (0: no limit)")
    parser.add_argument("--page-memory", type=int, default=PAGE_MEMORY,
                        help=f"MB of memory the worker process of a page may use; a page that needs more is "
                             f"rejected (default {PAGE_MEMORY})")
    parser.add_argument("--in-process", action="store_true",
                        help="process pages in this process, not a worker that can be stopped (profiling, "
                             "debugging): a page stuck in a library call is then not held to --page-timeout")
    parser.add_argument("--wait", type=float, default=0.0,
                        help="seconds to wait for another ingest on the same --out to finish (default: exit at once)")
    parser.add_argument("--keep-runs", type=int, default=KEEP_RUNS,
                        help=f"run reports kept in CLEAN_DIR/runs/ (default {KEEP_RUNS})")
    parser.add_argument("--allow-removal", "--allow-empty", dest="allow_removal", action="store_true",
                        help="let this run remove more than half of the published sets (a raw folder with no "
                             "pages included); without it such a run is refused with exit 2")
    parser.add_argument("--workers", type=int, default=0,
                        help="worker processes cleaning, parsing and publishing pages at once (default: the cores "
                             "this process may use; 1: one at a time); the outputs are the same bytes at any number")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def from_args(args: argparse.Namespace) -> IngestOptions:
    return IngestOptions(raw=args.raw_dir, out=args.out, max_bytes=args.max_bytes, docx=not args.no_docx,
                         bank=not args.no_bank, wait=args.wait, page_timeout=args.page_timeout,
                         keep_runs=args.keep_runs, allow_removal=args.allow_removal,
                         page_memory=args.page_memory, in_process=args.in_process, workers=args.workers)


def cores() -> int:
    """The cores this process may use (its CPU affinity, which a container or `taskset` narrows)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def worker_count(options: IngestOptions) -> int:
    """How many batches run at once: `workers`, or the cores this process may use."""
    return options.workers or cores()


def parse_or_suggest(parser: argparse.ArgumentParser, argv: list[str] | None,
                     commands: dict[str, argparse.ArgumentParser] | None = None) -> argparse.Namespace:
    """`parse_args`, but an unknown option is refused with its own command's usage and the option it
    was probably meant to be ('--no-dcox' → did you mean --no-docx?)."""
    import difflib

    args, unknown = parser.parse_known_args(argv)
    if not unknown:
        return args
    command = (commands or {}).get(getattr(args, "command", None) or "", parser)
    known = [o for action in command._actions for o in action.option_strings]
    guesses = [g for word in unknown if word.startswith("-")
               for g in difflib.get_close_matches(word.split("=")[0], known, n=1, cutoff=0.6)]
    hint = f" (did you mean {', '.join(guesses)}?)" if guesses else ""
    command.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
    raise AssertionError("unreachable: error() exits")


def named(location: str) -> str:
    """A location as given, and where it is when that was relative: 'raw (/home/ed/exams/raw)'."""
    if is_url(location) or os.path.isabs(location):
        return location
    return f"{location} ({os.path.abspath(location)})"


def check(options: IngestOptions) -> None:
    """The raw folder exists and the output folder can be written; else `CannotRun`, nothing created."""
    if not open_storage(options.raw).is_dir():
        raise CannotRun(f"raw folder not found: {named(options.raw)}")
    if is_url(options.out):
        return
    out = local_path(options.out)
    if not is_url(options.raw):
        raw, real_out = os.path.realpath(local_path(options.raw)), os.path.realpath(out)
        if inside(real_out, raw) or inside(raw, real_out):
            raise CannotRun(f"--out {options.out} and RAW_DIR {options.raw} overlap: a run would read its own "
                            f"outputs as pages (or write among them); give folders apart")
    probe = out
    while not os.path.exists(probe):  # the nearest folder that exists must let us create the rest
        parent = os.path.dirname(os.path.abspath(probe))
        if parent == os.path.abspath(probe):
            break
        probe = parent
    if not os.path.isdir(probe):
        raise CannotRun(f"--out {named(options.out)}: {os.path.abspath(probe)} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK) or _read_only(probe):
        raise CannotRun(f"--out {named(options.out)}: {os.path.abspath(probe)} is not writable")
    foreign = foreign_files(out)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise CannotRun(f"--out {options.out} holds files an ingest did not write ({shown}): a run replaces "
                        f"what it finds there, so give a new or empty folder, or one an ingest wrote")


def foreign_files(out: str) -> list[str]:
    """What a folder that no ingest claimed holds (empty when it is ours, new or empty).

    Ours: it has the marker, a plain file (a file that only happens to be called manifest.json
    claims nothing). A README beside the outputs is allowed (the repository's clean/ has one).
    """
    try:
        names = sorted(os.listdir(out))
    except (FileNotFoundError, NotADirectoryError):
        return []
    marker = os.path.join(out, layout.MARKER)
    if os.path.isfile(marker) and not os.path.islink(marker):
        return []
    return [n for n in names if n not in (layout.LOCK, "README.md")]


def _read_only(folder: str) -> bool:
    """A read-only mount (os.access says yes to root there)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def execute(start: Callable[[], RunReport]) -> int:
    """Run, then print the warnings (stderr) and the summary line; a run that cannot go on is one
    line on stderr and its exit code, the same from both command lines."""
    from pipeline.run.report import summary_line

    try:
        report = start()
    except CannotRun as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(summary_line(report))
    if report.nothing_published:
        print(f"error: {nothing_published(report)}", file=sys.stderr)
        return EXIT_NOTHING_PUBLISHED
    return 0


INTERRUPTED = ("interrupted: stopped by Ctrl-C; every file written is whole and the last finished run's manifest "
               "stands, so the next run resumes where this one stopped")


def nothing_published(report: RunReport) -> str:
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(report.rejected_reasons.items())) or "none"
    return f"{report.pages_read} pages found and none published (rejected by reason: {reasons})"
