"""End Prefect's temporary server when the command that started it is killed (kill -9 included).

With no PREFECT_API_URL, Prefect starts a temporary API server as a child process (uvicorn) and
stops it when the flow returns. A SIGKILL gives it no chance: the server kept listening minutes
later. So the command line forks a small watchdog first (before any thread exists): it notes the
server processes its parent starts, and when its parent is gone (the pipe between them closes,
however the parent ended) it sends them SIGTERM. Linux only (it reads /proc); elsewhere a no-op.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys

SERVER_MARK = b"prefect.server.api.server:create_app"  # in the temporary server's command line


def _servers() -> dict[int, tuple[int, int]]:
    """Prefect temporary servers running now: pid → (parent pid, process group)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if SERVER_MARK not in handle.read():
                    continue
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            found[int(entry)] = (int(fields[1]), int(fields[2]))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _children_servers(parent: int) -> set[int]:
    return {pid for pid, (ppid, _) in _servers().items() if ppid == parent}


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _watch(parent: int, group: int, pipe: int) -> None:
    servers: set[int] = set()
    while True:
        ready, _, _ = select.select([pipe], [], [], 0.5)
        if ready and not os.read(pipe, 1):
            break  # the parent is gone
        servers |= _children_servers(parent)
    # Also one started since the last look: still the dead command's child (its files close before
    # its children are re-parented), or orphaned in our process group (re-parented outside it).
    servers |= {pid for pid, (ppid, pgid) in _servers().items()
                if ppid == parent or (pgid == group and _group_of(ppid) != group)}
    for pid in servers:
        with contextlib.suppress(OSError):  # already stopped by Prefect, as after every normal run
            os.kill(pid, signal.SIGTERM)


def end_server_with_me() -> None:
    """Start the watchdog (call before Prefect is imported: forking is safe only without threads)."""
    if not sys.platform.startswith("linux") or os.environ.get("PREFECT_API_URL") or not os.path.isdir("/proc"):
        return
    parent = os.getpid()
    read_end, write_end = os.pipe()
    if os.fork():
        os.close(read_end)  # the write end stays open, unused, for this process's whole life
        return
    try:
        os.close(write_end)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # never hold the parent's output open: readers wait for its end
            os.dup2(devnull, fd)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run; the watchdog outlives it
        _watch(parent, os.getpgid(parent), read_end)
    finally:
        os._exit(0)
