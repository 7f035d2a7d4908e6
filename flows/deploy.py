"""Serve the ingest flow on a cron schedule: one command, against a running Prefect server.

    prefect server start                                   # terminal 1 (UI on http://127.0.0.1:4200)
    PREFECT_API_URL=http://127.0.0.1:4200/api \\
        python -m flows.deploy --raw raw --out clean --cron "0 2 * * *"    # terminal 2

Scheduled runs are only created by a real server; Prefect's embedded server refuses schedules.
For separate deployment and execution use `prefect.yaml` with a work pool and `prefect worker start`.
"""

from __future__ import annotations

import argparse
import os
import sys

from flows.ingest import DEFAULT_BATCH_SIZE, ingest_flow

DEFAULT_CRON = "0 2 * * *"


def build_deployment(raw_dir: str, out: str, cron: str = DEFAULT_CRON, batch_size: int = DEFAULT_BATCH_SIZE,
                     name: str = "nightly-ingest", timezone: str = "UTC"):
    from prefect.client.schemas.schedules import CronSchedule

    return ingest_flow.to_deployment(
        name=name,
        schedule=CronSchedule(cron=cron, timezone=timezone),
        parameters={"raw_dir": raw_dir, "out": out, "batch_size": batch_size},
        tags=["ingest"],
        description="Incremental ingest of raw question-set pages into clean JSON",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.deploy", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", default="raw")
    parser.add_argument("--out", default="clean")
    parser.add_argument("--cron", default=DEFAULT_CRON)
    parser.add_argument("--timezone", default="UTC")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--name", default="nightly-ingest")
    args = parser.parse_args(argv)
    if not os.environ.get("PREFECT_API_URL"):
        print("warning: PREFECT_API_URL is not set; the embedded server registers the deployment but never "
              "fires its schedule. Run `prefect server start` and set PREFECT_API_URL.", file=sys.stderr)
    from prefect import serve

    serve(build_deployment(args.raw, args.out, args.cron, args.batch_size, args.name, args.timezone))
    return 0


if __name__ == "__main__":
    sys.exit(main())
