"""The exceptions of the core: a rejected page, and the few reasons a whole run cannot go on.

Exit codes of both command lines (`python -m pipeline ingest`, `python -m flows.ingest`):
0 the run ended (rejected pages included); 2 it could not run or could not finish (bad options,
missing raw folder, unwritable output, no space left, a run that would remove most published
sets); 3 another run holds the output folder; 4 it ended, found pages and published none of them;
130 stopped by Ctrl-C (every file written is whole; the next run resumes).
"""

from __future__ import annotations

import errno

EXIT_OK = 0
EXIT_CANNOT_RUN = 2
EXIT_LOCKED = 3
EXIT_NOTHING_PUBLISHED = 4  # the run ended, found pages, and published none of them: not a success
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it

# Rejections that the page's bytes decide, whatever the options: kept as final while the bytes and the
# code stay the same. Every other one (timeout, too_large, unreadable, internal_error, duplicate) is
# tried again on the next run, which may have a higher limit, the file back, or the owner gone.
FINAL_REJECTIONS = frozenset({"empty", "binary", "bad_docx", "zip_bomb", "no_text", "no_content", "no_questions",
                              "undecodable", "unsupported_type", "html_too_complex", "not_a_file",
                              "symlink_outside"})


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
