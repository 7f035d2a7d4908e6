"""Turn question-set pages scraped from document-sharing sites into clean, validated data.

The pure core: read → normalise → strip boilerplate → segment → parse → validate → publish.
It never imports Prefect; `flows/` orchestrates it.
"""

from __future__ import annotations

__version__ = "0.1.0"
