"""A run's quality by site, and the sets an editor should look at: what the run report and the flow's
artifact show, so that a site whose pages start failing is visible the morning after.

Built from the manifest entries alone (each carries its set's confidence and review flag), so pages
left unchanged count as they were, and the change is read against the previous run's report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import PurePosixPath

from pipeline.models import ManifestEntry
from pipeline.store import layout
from pipeline.store.storage import Storage

UNKNOWN = "unknown"


def site_of(entry: ManifestEntry) -> str:
    """The site a profile recognised; else the raw folder the page sits in (`raw/<site>/…`); else unknown."""
    if entry.site and entry.site != UNKNOWN:
        return entry.site
    parts = PurePosixPath(entry.path).parts
    return parts[0] if len(parts) > 1 else UNKNOWN


def site_table(entries: Iterable[ManifestEntry], previous: dict[str, dict] | None = None) -> list[dict]:
    """One row per site: pages, published (live sets), rejected by reason, flagged, mean confidence,
    and the change of each since the previous run (None for a site that run did not see)."""
    rows: dict[str, dict] = {}
    confidences: dict[str, list[float]] = {}
    for e in entries:
        site = site_of(e)
        row = rows.setdefault(site, {"site": site, "pages": 0, "published": 0, "rejected": {}, "flagged": 0})
        row["pages"] += 1
        if e.has_outputs:
            row["published"] += 1
            row["flagged"] += bool(e.needs_review)
            if e.confidence is not None:
                confidences.setdefault(site, []).append(e.confidence)
        if e.status == "rejected":
            code = (e.reason or "rejected").split(":", 1)[0]
            row["rejected"][code] = row["rejected"].get(code, 0) + 1
    for site, row in rows.items():
        found = confidences.get(site)
        row["mean_confidence"] = round(sum(found) / len(found), 3) if found else None
        row["change"] = _change(row, (previous or {}).get(site))
    return sorted(rows.values(), key=lambda r: (-r["pages"], r["site"]))


def _change(row: dict, before: dict | None) -> dict | None:
    if before is None:
        return None
    change = {k: row[k] - before.get(k, 0) for k in ("pages", "published", "flagged")}
    change["rejected"] = sum(row["rejected"].values()) - sum((before.get("rejected") or {}).values())
    old, new = before.get("mean_confidence"), row["mean_confidence"]
    change["mean_confidence"] = round(new - old, 3) if old is not None and new is not None else None
    return change


def review_queue(entries: Iterable[ManifestEntry]) -> list[dict]:
    """The live sets that need review, most doubtful first, each with its reasons and its JSON."""
    queue = [{"set_id": e.set_id, "path": e.path, "site": site_of(e), "confidence": e.confidence,
              "reasons": list(e.review_reasons), "json": layout.set_rel(e.set_id)}
             for e in entries if e.has_outputs and e.needs_review and e.set_id]
    return sorted(queue, key=lambda r: (r["confidence"] if r["confidence"] is not None else 1.0, r["path"]))


def previous_sites(store: Storage, started_at: str) -> dict[str, dict]:
    """The site table of the newest run report before this run's ({} when there is none, or it has none)."""
    mine = PurePosixPath(layout.run_rel(started_at)).name
    names = sorted(n for n in store.list_dir(layout.RUNS) if n.endswith(".json") and not n.startswith(".")
                   and n < mine)
    for name in reversed(names):
        data = store.read_if_exists(f"{layout.RUNS}/{name}")
        try:
            report = json.loads(data) if data else None
        except ValueError:
            continue  # a damaged report: the one before it
        if isinstance(report, dict):
            return {row["site"]: row for row in report.get("sites") or [] if isinstance(row, dict) and "site" in row}
    return {}


def _signed(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:+.{digits}f}" if digits else f"{value:+d}"


def site_rows(sites: list[dict]) -> list[list[str]]:
    """The site table as text cells: site, pages, published, rejected (by reason), flagged, mean
    confidence, and the change since the previous run."""
    rows = []
    for s in sites:
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(s["rejected"].items())) or "0"
        conf = "" if s["mean_confidence"] is None else f"{s['mean_confidence']:.3f}"
        c = s.get("change")
        change = "new" if c is None else (f"published {_signed(c['published'])}, rejected {_signed(c['rejected'])}, "
                                          f"flagged {_signed(c['flagged'])}, confidence "
                                          f"{_signed(c['mean_confidence'], 3)}")
        rows.append([s["site"], str(s["pages"]), str(s["published"]), rejected, str(s["flagged"]), conf, change])
    return rows


SITE_COLUMNS = ["site", "pages", "published", "rejected", "flagged", "mean confidence", "since the last run"]
REVIEW_SHOWN = 50  # sets listed in the artifact; the run report lists them all


def markdown(sites: list[dict], queue: list[dict], out: str) -> str:
    """The per-site table and the sets to review (linked to their JSON) as Markdown, for the artifact."""
    lines = ["**By site**", "", "| " + " | ".join(SITE_COLUMNS) + " |", "|" + "---|" * len(SITE_COLUMNS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in site_rows(sites)]
    lines += ["", f"**Sets to review:** {len(queue)}" + (", most doubtful first" if queue else "")]
    for r in queue[:REVIEW_SHOWN]:
        target = _link(out, r["json"])
        lines.append(f"- [{r['path']}]({target}) confidence {r['confidence']}: {'; '.join(r['reasons'])}")
    if len(queue) > REVIEW_SHOWN:
        lines.append(f"- … and {len(queue) - REVIEW_SHOWN} more (the run report in {layout.RUNS}/ lists them all)")
    return "\n".join(lines)


def _link(out: str, rel: str) -> str:
    """A link a reader can open: a file URL for a local output folder, else the storage URL and path."""
    if "://" in out:
        return f"{out.rstrip('/')}/{rel}"
    from pathlib import Path

    return (Path(out).resolve() / rel).as_uri()
