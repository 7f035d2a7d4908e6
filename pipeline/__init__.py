"""Turn question-set pages scraped from document-sharing sites into clean, validated data.

The pure core: read → normalise → strip boilerplate → segment → parse → validate → publish.
It never imports Prefect; `flows/` orchestrates it.
"""

from __future__ import annotations

import hashlib
from importlib import resources

__version__ = "0.1.0"


def _source_fingerprint() -> str:
    """Hash of the package's code and site rules: any change to either reprocesses every page."""
    digest = hashlib.sha256()
    root = resources.files("pipeline")
    for sub in (root, root / "sites"):
        for entry in sorted(sub.iterdir(), key=lambda e: e.name):
            if entry.name.endswith((".py", ".toml", ".txt")) and entry.is_file():
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


PIPELINE_VERSION = f"{__version__}+{_source_fingerprint()}"
