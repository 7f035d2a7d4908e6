"""Prefect orchestration over the pure core in `pipeline/`.

Defaults for a fresh machine are set here, before Prefect is imported by any flow module; an
explicit environment always wins. PREFECT_HOME (Prefect's database and settings) defaults to
`./.prefect` so that state stays with the project.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULTS = {
    "PREFECT_HOME": str(Path.cwd() / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    # Server-side batching of task-run records: the embedded SQLite server otherwise stalls (notes/prefect.md)
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "200",
}
for _key, _value in DEFAULTS.items():
    os.environ.setdefault(_key, _value)
