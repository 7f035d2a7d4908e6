"""The run report: what one run did, written to CLEAN_DIR/runs/<start>.json, summed up in one line on
standard output, and shown by the flow's artifact and `python -m pipeline report`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime


@dataclass
class RunReport:
    started: str
    seconds: float
    pages: int
    published: int
    unchanged: int
    rejected: int
    questions: int
    rejected_reasons: dict[str, int]
    removed_pages: list[str]
    stats: dict = field(default_factory=dict)
    clusters: int | None = None  # question-bank clusters, when the bank is built
    warnings: list[str] = field(default_factory=list)  # findings about the run itself, also printed to stderr
    pages_read: int = 0  # files of a page type (what else raw holds is rejected as unsupported_type)
    # wall seconds of each stage: discover, learn, batches (on the workers), finish (after the batches)
    phases: dict[str, float] = field(default_factory=dict)
    sites: list[dict] = field(default_factory=list)  # per site: pages, published, rejected, flagged, confidence, change
    published_pages: list[str] = field(default_factory=list)  # paths this run published (the first LISTED)
    rejected_pages: list[dict] = field(default_factory=list)  # {path, reason} of every page rejected
    needs_review: list[dict] = field(default_factory=list)  # live sets an editor should look at, most doubtful first

    @property
    def nothing_published(self) -> bool:
        """Pages were there and not one of them gave a set: a scheduler must not see success."""
        return self.pages_read > 0 and self.published + self.unchanged == 0

    def as_dict(self) -> dict:
        return asdict(self)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


SUMMARY_LEAVES_OUT = ("stats", "sites", "needs_review", "published_pages", "rejected_pages")  # the report has them
LISTED = 200  # published pages a run report names (the manifest has every one)


def summary_line(report: RunReport) -> str:
    found = {k: v for k, v in report.as_dict().items() if k not in SUMMARY_LEAVES_OUT}
    return json.dumps({**found, "sets_to_review": len(report.needs_review)}, ensure_ascii=False)
