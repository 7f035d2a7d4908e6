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

from . import layout
from .errors import CannotRun
from .limits import KEEP_RUNS, MAX_BYTES, PAGE_TIMEOUT
from .storage import is_url, local_path, open_storage

if TYPE_CHECKING:
    from .ingest import RunReport


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
    allow_empty: bool = False

    def __post_init__(self) -> None:
        for name, value, low in (("max-bytes", self.max_bytes, 1), ("keep-runs", self.keep_runs, 1),
                                 ("wait", self.wait, 0), ("page-timeout", self.page_timeout, 0)):
            at_least(name, value, low)
        for name, location in (("RAW_DIR", self.raw), ("--out", self.out)):
            if not str(location).strip():
                raise CannotRun(f"{name} is empty: give a folder or a URL")


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
    parser.add_argument("--wait", type=float, default=0.0,
                        help="seconds to wait for another ingest on the same --out to finish (default: exit at once)")
    parser.add_argument("--keep-runs", type=int, default=KEEP_RUNS,
                        help=f"run reports kept in CLEAN_DIR/runs/ (default {KEEP_RUNS})")
    parser.add_argument("--allow-empty", action="store_true",
                        help="let a raw folder with no pages clear the outputs of earlier runs")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def from_args(args: argparse.Namespace) -> IngestOptions:
    return IngestOptions(raw=args.raw_dir, out=args.out, max_bytes=args.max_bytes, docx=not args.no_docx,
                         bank=not args.no_bank, wait=args.wait, page_timeout=args.page_timeout,
                         keep_runs=args.keep_runs, allow_empty=args.allow_empty)


def check(options: IngestOptions) -> None:
    """The raw folder exists and the output folder can be written; else `CannotRun`, nothing created."""
    if not open_storage(options.raw).is_dir():
        raise CannotRun(f"raw folder not found: {options.raw}")
    if is_url(options.out):
        return
    out = local_path(options.out)
    probe = out
    while not os.path.exists(probe):  # the nearest folder that exists must let us create the rest
        parent = os.path.dirname(os.path.abspath(probe))
        if parent == os.path.abspath(probe):
            break
        probe = parent
    if not os.path.isdir(probe):
        raise CannotRun(f"--out {options.out}: {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK) or _read_only(probe):
        raise CannotRun(f"--out {options.out}: {probe} is not writable")
    foreign = foreign_files(out)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise CannotRun(f"--out {options.out} holds files an ingest did not write ({shown}): a run replaces "
                        f"what it finds there, so give a new or empty folder, or one an ingest wrote")


def foreign_files(out: str) -> list[str]:
    """What a folder that no ingest claimed holds (empty when it is ours, new or empty).

    Ours: it has the marker, or the manifest of a run from before the marker existed. A README
    beside the outputs is allowed (the repository's clean/ has one).
    """
    try:
        names = sorted(os.listdir(out))
    except (FileNotFoundError, NotADirectoryError):
        return []
    if layout.MARKER in names or layout.MANIFEST in names:
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
    from .ingest import summary_line

    try:
        report = start()
    except CannotRun as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(summary_line(report))
    return 0
