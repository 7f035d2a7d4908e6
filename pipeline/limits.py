"""Defaults of the run's limits, shared by the steps, the run and both command lines."""

from __future__ import annotations

MAX_BYTES = 20 * 1024 * 1024  # a page larger than this is rejected before it is read
PAGE_TIMEOUT = 10.0  # seconds one page may take to clean and parse before it is rejected
PAGE_MEMORY = 1024  # MB of address space the worker that processes a page may use (its libraries included)
# Distinct lines each per-line cache holds (segment, boilerplate, DOCX runs): a crawl repeats its
# lines, each is judged once; bounded, a few MB per cache.
LINE_CACHE = 1 << 14
KEEP_RUNS = 100  # run reports kept in CLEAN_DIR/runs/ (the oldest go first)
