"""Serve the ingest flow on a cron schedule: one command, against a running Prefect server.

    prefect server start                                   # terminal 1 (UI on http://127.0.0.1:4200)
    PREFECT_API_URL=http://127.0.0.1:4200/api \\
        python -m flows.deploy --raw raw --out clean --cron "0 2 * * *"    # terminal 2

Scheduled runs are only created by a real server; Prefect's embedded server refuses schedules, so
this command refuses to start without one (exit 2, with the command that starts it). The cron,
the locations and the batch size are checked before anything is registered.
For separate deployment and execution use `prefect.yaml` with a work pool and `prefect worker start`.
"""

from __future__ import annotations

import argparse
import os
import sys

from pipeline.errors import EXIT_CANNOT_RUN, EXIT_INTERRUPTED, CannotRun
from pipeline.run.options import IngestOptions, at_least, check, named, parse_or_suggest

from .settings import DEFAULT_BATCH_SIZE, DEFAULT_CRON

START_SERVER = "start one with `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"


def build_deployment(raw_dir: str, out: str, cron: str = DEFAULT_CRON, batch_size: int = DEFAULT_BATCH_SIZE,
                     name: str = "nightly-ingest", timezone: str = "UTC"):
    from prefect.client.schemas.schedules import CronSchedule

    from .flow import ingest_flow

    return ingest_flow.to_deployment(
        name=name,
        schedule=CronSchedule(cron=cron, timezone=timezone),
        parameters={"raw_dir": raw_dir, "out": out, "batch_size": batch_size},
        tags=["ingest"],
        description="Incremental ingest of raw question-set pages into clean JSON",
    )


def check_cron(cron: str) -> None:
    """Prefect's own rule for a cron string (five fields, no random or hashed expressions)."""
    from prefect._internal.schemas.validators import validate_cron_string

    try:
        validate_cron_string(cron)
    except ValueError as exc:
        raise CannotRun(f"--cron {cron!r} is not a cron expression Prefect accepts ({exc})") from None


def check_server(url: str | None) -> None:
    if not url:
        raise CannotRun(f"PREFECT_API_URL is not set: schedules only fire on a real Prefect server; {START_SERVER}")
    import httpx

    try:
        httpx.get(url.rstrip("/") + "/health", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        raise CannotRun(f"no Prefect server answers at {url} ({type(exc).__name__}); {START_SERVER}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.deploy", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--raw", default="raw", help="the raw folder each scheduled run reads")
    parser.add_argument("--out", default="clean", help="the output folder each scheduled run writes")
    parser.add_argument("--cron", default=DEFAULT_CRON, help="when the runs start (five-field cron)")
    parser.add_argument("--timezone", default="UTC", help="the cron's time zone (an IANA name)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="pages per task")
    parser.add_argument("--name", default="nightly-ingest", help="the deployment's name (one per raw/out pair)")
    args = parse_or_suggest(parser, argv)
    try:
        at_least("batch-size", args.batch_size, 1)
        check(IngestOptions(raw=args.raw, out=args.out))
        check_cron(args.cron)
        check_server(os.environ.get("PREFECT_API_URL"))
        deployment = build_deployment(args.raw, args.out, args.cron, args.batch_size, args.name, args.timezone)
    except CannotRun as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except ValueError as exc:  # a timezone Prefect does not know
        print(f"error: {str(exc).splitlines()[-1] if str(exc) else exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    import warnings

    from prefect import serve

    print(f"serving deployment {args.name!r} of {named(args.raw)} → {named(args.out)} on {args.cron!r} "
          f"({args.timezone}); Ctrl-C stops it", file=sys.stderr)
    # Ctrl-C cancels serve's tasks mid-await: Python then warns of coroutines never awaited, which is noise
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)
    try:
        serve(deployment)
    except KeyboardInterrupt:
        print("stopped: the deployment's schedule is paused until it is served again", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
