"""Command line of the Prefect flow: the core's ingest options plus how to run the batches.

    python -m flows.ingest RAW_DIR --out CLEAN_DIR [--batch-size N] [--task-runner thread|dask]
                                                   [--dask-address tcp://host:8786] [core options]

Writes exactly what `python -m pipeline ingest` writes, with the same options, messages and exit
codes (`pipeline.errors`). Every option and location is checked before Prefect is imported, so a
mistake costs no server start. With no PREFECT_API_URL set, the command starts a temporary Prefect
server for the run (`flows.server`: Prefect's own, launched early) whose state lives in PREFECT_HOME
(default: ./.prefect here). The flow itself and its
tasks are in `flows.flow`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from dataclasses import fields

from pipeline.errors import EXIT_INTERRUPTED
from pipeline.run.lock import wait_until_free
from pipeline.run.options import INTERRUPTED, add_arguments, at_least, check, execute, from_args, parse_or_suggest

from .server import start_temporary_server
from .settings import DEFAULT_BATCH_SIZE

FLOW_NAMES = {"ingest_flow", "run", "summary_markdown", "clean_parse_publish", "task_runner", "TaskStages"}


def __getattr__(name: str) -> object:
    """`flows.ingest.ingest_flow` and friends, loaded (with Prefect) only when asked for."""
    if name in FLOW_NAMES:
        from . import flow

        return getattr(flow, name)
    raise AttributeError(name)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m flows.ingest", description=__doc__.splitlines()[0])
    add_arguments(p)
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="pages per task")
    p.add_argument("--task-runner", choices=["thread", "dask"], default="thread")
    p.add_argument("--dask-address", default=None, help="an existing Dask scheduler, e.g. tcp://host:8786")
    return p


def stop_at_once_on_ctrl_c() -> None:
    """Ctrl-C: one line and exit 130 now. Prefect's temporary server got the same signal and is gone,
    so letting Prefect unwind would retry a dead server for minutes. Stopping here loses nothing:
    every file is written whole (temp file, rename), the manifest is the last finished run's, the
    lock goes with the process, and the next run resumes."""

    def stop(signum: int, frame: object) -> None:
        os.write(2, f"{INTERRUPTED}\n".encode())  # not print(): the flow's log_prints would take it as a log line
        os._exit(EXIT_INTERRUPTED)

    signal.signal(signal.SIGINT, stop)


def main(argv: list[str] | None = None) -> int:
    args = parse_or_suggest(parser(), argv)

    def start():
        at_least("batch-size", args.batch_size, 1)
        options = from_args(args)
        check(options)  # before the server starts
        wait_until_free(options.out, options.wait)
        from pipeline.run.report import RunReport

        from .reaper import end_server_with_me

        end_server_with_me()
        stop_at_once_on_ctrl_c()
        server = start_temporary_server()  # it starts while Prefect is imported (flows/server.py)
        from .flow import run

        if server is not None:
            server.wait(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
        rest = {f.name: getattr(options, f.name) for f in fields(options) if f.name not in ("raw", "out")}
        report = run(options.raw, options.out, args.batch_size, args.task_runner, args.dask_address, **rest)
        return RunReport(**report)

    return execute(start)


if __name__ == "__main__":
    sys.exit(main())
