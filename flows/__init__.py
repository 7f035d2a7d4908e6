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
    # The temporary server lives for one run: the services that act on schedules, late or paused runs,
    # triggers and vacuuming have nothing to do there, and starting them cost ~2.5 s a run
    # (5 pages: 11.7 s → 9.0 s). A real server (`prefect server start`) reads its own environment.
    **{f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in (
        "CANCELLATION_CLEANUP", "DB_VACUUM", "FOREMAN", "LATE_RUNS", "SCHEDULER", "PAUSE_EXPIRATIONS",
        "REPOSSESSOR", "CLEANUP_RECONCILER", "TRIGGERS", "EVENT_LOGGER")},
}
for _key, _value in DEFAULTS.items():
    os.environ.setdefault(_key, _value)
