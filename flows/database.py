"""`python -m flows.database`: create (or bring up to date) Prefect's database in the flow's
PREFECT_HOME (`./.prefect` unless set), with Prefect's own command.

The first flow run on a fresh home otherwise spends ~6 s of its ~13 s creating that database;
`make` runs this once when it installs, so the first `make ingest` runs like every later one.
"""

from __future__ import annotations

import subprocess
import sys

import flows  # noqa: F401 - sets the flow's PREFECT_HOME default before Prefect reads it


def main() -> int:
    return subprocess.run([sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"],
                          stdout=subprocess.DEVNULL).returncode


if __name__ == "__main__":
    sys.exit(main())
