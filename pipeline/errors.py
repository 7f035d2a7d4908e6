"""The exceptions of the core: a rejected page, and the few reasons a whole run cannot go on.

Exit codes of both command lines (`python -m pipeline ingest`, `python -m flows.ingest`):
0 the run ended (rejected pages included); 2 it could not run or could not finish (bad options,
missing raw folder, unwritable output, no space left); 3 another run holds the output folder.
"""

from __future__ import annotations

import errno

EXIT_OK = 0
EXIT_CANNOT_RUN = 2
EXIT_LOCKED = 3


class Rejected(Exception):
    """A page that cannot yield a question set. `code` is stable (for counting), `reason` is for people."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


class CannotRun(Exception):
    """The run cannot start or cannot finish; the message says why in one line (exit 2)."""

    exit_code = EXIT_CANNOT_RUN


class LockedError(CannotRun):
    """Another run holds the output location (exit 3)."""

    exit_code = EXIT_LOCKED


def stopped_by(exc: OSError, out: str) -> CannotRun:
    """A write that failed mid-run, as one line: what happened, and that nothing was half-written."""
    if exc.errno == errno.ENOSPC:
        what = "no space left on the device"
    elif exc.errno == errno.EROFS:
        what = "the output folder is on a read-only file system"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        what = "permission denied"
    else:
        what = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    return CannotRun(f"{what} writing {out}{where}: the run stopped; every file there is whole, and the next "
                     f"run finishes the work")
