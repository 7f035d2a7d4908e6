"""Score the pipeline on the shared dev set: `python -m bench.devset [--verbose] [--raise-floors]`.

Ingests `../shared/devset/raw` (JSON only: no DOCX, no bank), runs the shared scorer on the output
and prints its figures beside the floors of the evaluation gate (`tests/data/devset_floors.json`).
`--raise-floors` lifts each floor to the measured figure where that is higher; it never lowers one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FLOORS = ROOT / "tests" / "data" / "devset_floors.json"


def score_devset(out: Path, verbose: bool = False) -> dict[str, float]:
    """Ingest the dev set into `out` and return the scorer's summary (its last JSON line)."""
    ingest(str(SHARED / "devset" / "raw"), str(out), docx=False, bank=False)
    cmd = [sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(SHARED / "devset" / "gold"),
           "--out", str(out)] + (["--verbose"] if verbose else [])
    printed = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    if verbose:
        print(printed, end="")
    summary = next(line for line in reversed(printed.splitlines()) if line.startswith("{"))
    return json.loads(summary)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="the scorer's line per page too")
    ap.add_argument("--raise-floors", action="store_true", help="lift floors to the figures measured now")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        figures = score_devset(Path(tmp), args.verbose)
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
    for key, value in figures.items():
        if key in {"pages", "pages_found"}:
            continue
        floor = floors.get(key)
        mark = "" if floor is None or value >= floor else "  BELOW FLOOR"
        print(f"{key:22} {value:6.3f}   floor {floor if floor is not None else '-'}{mark}")
    if args.raise_floors:
        raised = {k: max(v, floors.get(k, 0.0)) for k, v in figures.items() if k not in {"pages", "pages_found"}}
        FLOORS.write_text(json.dumps(raised, indent=1) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
