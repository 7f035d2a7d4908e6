"""One ingest at a time per output location: an exclusive lock file in CLEAN_DIR.

A second run on the same folder waits up to `wait` seconds, then exits with a clear message;
it never interleaves its writes with the first. Object stores (fsspec URLs) have no portable
lock: there, schedule runs so that they do not overlap (a Prefect concurrency limit does it).
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import CannotRun, LockedError
from pipeline.store.layout import LOCK
from pipeline.store.storage import is_url, local_path

__all__ = ["LockedError", "output_lock", "wait_until_free"]


@contextmanager
def output_lock(out: str, wait: float = 0.0) -> Iterator[None]:
    if is_url(out):
        yield
        return
    folder = Path(local_path(out)).resolve()  # one lock file for every spelling of the folder
    folder.mkdir(parents=True, exist_ok=True)
    try:  # never through a symlink: truncating the lock would truncate whatever it points at
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENXIO, errno.EISDIR):
            raise
        raise CannotRun(f"{folder / LOCK} is not a plain file (a symlink, folder or FIFO): refusing to use it "
                        f"as the lock; remove it and run again") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise CannotRun(f"{folder / LOCK} is not a plain file: refusing to use it as the lock; remove it and run again")
    handle = os.fdopen(fd, "r+")  # held for the whole run, closed below
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise LockedError(f"{out} is being written by another ingest ({holder}); "
                                      f"try again when it has finished") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process is killed


def wait_until_free(out: str, wait: float = 0.0) -> None:
    """Raise `LockedError` now if another run holds `out` (after waiting up to `wait` seconds).

    The flow's command line asks this before it starts Prefect's server, so a scheduled run that
    overlaps another is told in one line; the run itself takes the lock again and holds it.
    """
    if is_url(out) or not os.path.isdir(local_path(out)):
        return
    with output_lock(out, wait):
        pass
