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

from bench import metamorphic
from pipeline.run.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FLOORS = ROOT / "tests" / "data" / "devset_floors.json"
# Five complete 高考 papers in Word with gold (`../shared/papers`): whole documents, not excerpts.
PAPERS = SHARED / "papers"
PAPER_FLOORS = ROOT / "tests" / "data" / "papers_floors.json"
# Five sites of the 'f' pages set aside before any rule of the whole-page reading (#22) was written:
# nobody reads their pages or their per-page lines until the work is done; their figures, before and
# after, say how the rules do on sites they were not written against.
HELD_OUT_SITES = ("xiaomilidoc", "jinchutou", "777doc", "sodocs", "wtabcd")
SUBSETS = ("all", "seen", "held-out")


def held_out(gold_name: str) -> bool:
    """A gold file of a held-out site: 'f113_jinchutou.json'."""
    return gold_name.startswith("f") and Path(gold_name).stem.split("_", 1)[-1] in HELD_OUT_SITES


def gold_dir(subset: str, scratch: Path) -> Path:
    """The gold files of a subset: the whole folder, or a copy of the seen or the held-out ones."""
    gold = SHARED / "devset" / "gold"
    if subset == "all":
        return gold
    scratch.mkdir(parents=True, exist_ok=True)
    for path in gold.glob("*.json"):
        if held_out(path.name) == (subset == "held-out"):
            (scratch / path.name).write_bytes(path.read_bytes())
    return scratch


def run_on(raw: Path, target: Path) -> Path:
    """The dev pages as crawled text layers that lost their line breaks: the first line (the site's
    title line) kept, everything after it glued into one line. Same gold, harder layout."""
    target.mkdir(parents=True, exist_ok=True)
    for page in sorted(raw.iterdir()):
        text, _, _ = metamorphic.run_on(page.read_text(encoding="utf-8"), {})
        (target / page.name).write_text(text, encoding="utf-8")
    return target


def score_devset(out: Path, verbose: bool = False, layout: str = "as-is", subset: str = "all") -> dict[str, float]:
    """Ingest the dev set into `out` and return the scorer's summary (its last JSON line) on the
    pages of `subset`. The whole set is always ingested: a site's chrome is learned from all its pages."""
    raw = SHARED / "devset" / "raw"
    if layout == "run-on":
        raw = run_on(raw, out.parent / (out.name + "_raw"))
    ingest(str(raw), str(out), docx=False, bank=False)
    gold = gold_dir(subset, out.parent / (out.name + "_gold"))
    cmd = [sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(gold),
           "--out", str(out)] + (["--verbose"] if verbose else [])
    printed = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    if verbose:
        print(printed, end="")
    summary = next(line for line in reversed(printed.splitlines()) if line.startswith("{"))
    return json.loads(summary)


def score_papers(out: Path, verbose: bool = False) -> dict[str, float]:
    """Ingest the whole papers into `out` and return the scorer's summary."""
    ingest(str(PAPERS / "raw"), str(out), docx=False, bank=False)
    cmd = [sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(PAPERS / "gold"),
           "--out", str(out)] + (["--verbose"] if verbose else [])
    printed = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    if verbose:
        print(printed, end="")
    return json.loads(next(line for line in reversed(printed.splitlines()) if line.startswith("{")))


def paper_timings() -> list[tuple[str, int, float]]:
    """(paper, its paragraphs, milliseconds of CPU to read, clean and parse it) in a warm process."""
    import re
    import time
    import zipfile

    from pipeline.run.steps import process_page

    papers = sorted((PAPERS / "raw").glob("*.docx"))
    process_page(papers[0].name, papers[0].read_bytes())  # imports and jieba's start-up, paid once
    found = []
    for paper in papers:
        data = paper.read_bytes()
        paragraphs = len(re.findall(rb"<w:p[ >]", zipfile.ZipFile(paper).read("word/document.xml")))
        start = time.process_time()
        process_page(paper.name, data)
        found.append((paper.name, paragraphs, 1000 * (time.process_time() - start)))
    return found


def require_shared(path: Path = SHARED / "devset" / "raw") -> None:
    """The dev set beside the repository, or a one-line error (exit 2) that says where it is looked for."""
    if not path.is_dir():
        print(f"error: the dev set is not at {path} (a copy of shared/ beside the repository, as "
              f"{SHARED.resolve()})", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="the scorer's line per page too")
    ap.add_argument("--raise-floors", action="store_true", help="lift floors to the figures measured now")
    ap.add_argument("--layout", choices=["as-is", "run-on"], default="as-is",
                    help="run-on: every page's line breaks removed (a robustness figure; floors are for as-is)")
    ap.add_argument("--papers", action="store_true", help="the whole papers of ../shared/papers instead (their "
                    "floors: tests/data/papers_floors.json)")
    ap.add_argument("--timing", action="store_true", help="with --papers: each paper's CPU time to read, clean and "
                    "parse, in a warm process")
    ap.add_argument("--subset", choices=SUBSETS, default="all",
                    help=f"score only the pages of the held-out sites ({', '.join(HELD_OUT_SITES)}) or only the others")
    args = ap.parse_args(argv)
    if args.raise_floors and (args.layout != "as-is" or args.subset != "all"):
        ap.error("floors are pinned for the whole dev set as it is")
    require_shared(PAPERS / "raw" if args.papers else SHARED / "devset" / "raw")
    if args.papers and args.timing:
        for name, paragraphs, ms in paper_timings():
            print(f"{name:28} {paragraphs:4} paragraphs  {ms:5.0f} ms CPU")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        figures = score_papers(Path(tmp) / "out", args.verbose) if args.papers else \
            score_devset(Path(tmp) / "out", args.verbose, args.layout, args.subset)
    floors_file = PAPER_FLOORS if args.papers else FLOORS
    floors = json.loads(floors_file.read_text(encoding="utf-8")) if floors_file.exists() else {}
    notes = floors.pop("_notes", {})  # why a floor was ever lowered: kept with the floors
    for key, value in figures.items():
        if key in {"pages", "pages_found"}:
            continue
        floor = floors.get(key)
        mark = "" if floor is None or value >= floor else "  BELOW FLOOR"
        print(f"{key:22} {value:6.3f}   floor {floor if floor is not None else '-'}{mark}")
    if args.raise_floors:
        raised = {k: max(v, floors.get(k, 0.0)) for k, v in figures.items() if k not in {"pages", "pages_found"}}
        floors_file.write_text(json.dumps({**raised, "_notes": notes}, indent=1, ensure_ascii=False) + "\n",
                               encoding="utf-8")
        print(f"floors written to {floors_file.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
