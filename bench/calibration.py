"""Is the confidence calibrated? `python -m bench.calibration [--json]`.

Runs every dev page (`../shared/devset/raw`) through the pipeline, matches each published question to
the gold with the shared scorer's own rules (`../shared/tools/score.py`: stem start, answer, options,
score) and prints a reliability table: for each confidence band, how many questions and the share
fully right (found, its answer, options and score as the gold has them; a question the gold does not
have is wrong). Then the sets by `needs_review`: the share of their questions fully right, the share of
sets not flagged, and among the sets wrong in any question (or missing one), the share flagged.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.devset import require_shared
from bench.metamorphic import DEVSET, SCORER, TRANSFORMS, build
from pipeline.check import confidence
from pipeline.errors import Rejected
from pipeline.run.steps import process_page

BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class PageResult:
    confidences: list[float]  # each published question's
    right: list[bool]  # … and whether it is fully right
    set_wrong: bool  # a question wrong, or one of the gold's missing
    needs_review: bool
    doubts: list[list[str]] = field(default_factory=list)  # each published question's findings


def page_result(score, gold: dict, qset: dict, doubts: list[list[str]] | None = None) -> PageResult:
    outs = score.questions_of(qset)
    right = [False] * len(outs)
    used: set[int] = set()
    missing = 0
    for g in gold.get("questions") or []:
        if g.get("stem_start"):
            hits = (i for i, q in enumerate(outs) if score.stem_matches(g["stem_start"], q.get("stem", "")))
        else:
            hits = iter(score.by_number(g, gold.get("sections") or [], qset, outs))
        hit = next((i for i in hits if i not in used), None)
        if hit is None:
            missing += 1
            continue
        used.add(hit)
        right[hit] = _fully_right(score, g, outs[hit])
    return PageResult([q.get("confidence", 1.0) for q in outs], right, missing > 0 or not all(right),
                      bool(qset.get("needs_review")), doubts or [[] for _ in outs])


def _fully_right(score, g: dict, q: dict) -> bool:
    if g.get("answer_start"):
        ok = score.answer_matches(g["answer_start"], q.get("answer"))
    else:
        ok = not score.norm(" ".join(score.strings(q.get("answer"))))
    if g.get("options"):
        printed = [o.get("label") if isinstance(o, dict) else str(o) for o in q.get("options") or []]
        ok = ok and [score.norm(x).strip(".、") for x in printed] == [score.norm(x) for x in g["options"]]
    if g.get("score") is not None:
        try:
            ok = ok and float(q.get("score")) == float(g["score"])
        except (TypeError, ValueError):
            ok = False
    return ok


ERRATA = Path(__file__).resolve().parent / "data" / "gold_errata.json"


def corrected(name: str, gold: dict, errata: dict) -> dict:
    """The page's gold with its errata applied (each only where the gold still holds the value it corrects)."""
    for fix in errata.get("pages", {}).get(name, []):
        questions = gold.get("questions") or []
        if fix["index"] < len(questions) and questions[fix["index"]].get(fix["field"]) == fix["gold"]:
            questions[fix["index"]][fix["field"]] = fix["corrected"]
    return gold


def run(raw: Path = DEVSET / "raw", golds: Path = DEVSET / "gold", errata: dict | None = None) -> list[PageResult]:
    score = _scorer()
    results = []
    for path in sorted(raw.iterdir()):
        gold = json.loads((golds / f"{path.stem}.json").read_text(encoding="utf-8"))
        gold = corrected(path.stem, gold, errata) if errata else gold
        try:
            page = process_page(path.name, path.read_bytes())
        except Rejected:
            results.append(PageResult([], [], True, True))  # nothing published: wrong, and flagged by the manifest
            continue
        assert page.qset is not None
        found = confidence.findings(page.qset, page.doubts)
        doubts = [found.doubts.get(i, []) for i in range(len(page.qset.questions()))]
        results.append(page_result(score, gold, json.loads(page.qset.model_dump_json()), doubts))
    return results


def with_variants() -> list[PageResult]:
    """The dev set and its metamorphic variants (`bench.metamorphic`): 15 times the findings to measure."""
    results = run()
    with tempfile.TemporaryDirectory() as tmp:
        for name in TRANSFORMS:
            raw, golds = build(name, Path(tmp) / name)
            results += run(raw, golds)
    return results


def by_finding(results: list[PageResult]) -> list[dict]:
    """For each finding, how many questions had it and the share of them fully right: what its factor
    in `confidence.DOUBTS` should be."""
    rows = []
    for doubt, factor in confidence.DOUBTS.items():
        right = [r for p in results for d, r in zip(p.doubts, p.right, strict=True) if doubt in d]
        rows.append({"finding": doubt, "factor": factor, "questions": len(right),
                     "fully_right": round(sum(right) / len(right), 3) if right else None})
    return rows


def summary(results: list[PageResult]) -> dict:
    pairs = [(c, r) for p in results for c, r in zip(p.confidences, p.right, strict=True)]
    bands = []
    for low, high in BANDS:
        inside = [r for c, r in pairs if low <= c < high]
        bands.append({"band": f"{low:.1f}–{min(high, 1.0):.1f}", "questions": len(inside),
                      "fully_right": round(sum(inside) / len(inside), 3) if inside else None})
    clear = [p for p in results if not p.needs_review]
    clear_right = [r for p in clear for r in p.right]
    wrong = [p for p in results if p.set_wrong]
    return {
        "bands": bands,
        "sets": len(results),
        "sets_not_flagged": round(len(clear) / len(results), 3) if results else None,
        "not_flagged_questions_right": round(sum(clear_right) / len(clear_right), 3) if clear_right else None,
        "wrong_sets_flagged": round(sum(p.needs_review for p in wrong) / len(wrong), 3) if wrong else None,
        "high_confidence_right": next((b["fully_right"] for b in bands if b["band"].startswith("0.9")), None),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--findings", action="store_true", help="also the share of questions right per finding, over "
                    "the dev set and its metamorphic variants (what each factor of confidence.DOUBTS should be)")
    ap.add_argument("--errata", action="store_true", help=f"with the gold values {ERRATA.name} corrects "
                    "(named there, with why); the dev-set gate uses the gold as given")
    args = ap.parse_args(argv)
    require_shared()
    found = summary(run(errata=json.loads(ERRATA.read_text(encoding="utf-8")) if args.errata else None))
    if args.findings:
        found["findings"] = by_finding(with_variants())
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return 0
    print(f"{'confidence':<12}{'questions':>10}{'fully right':>13}")
    for band in found["bands"]:
        share = "" if band["fully_right"] is None else f"{band['fully_right']:.3f}"
        print(f"{band['band']:<12}{band['questions']:>10}{share:>13}")
    print(f"sets: {found['sets']}; not flagged {found['sets_not_flagged']} (target ≥ 0.60), their questions fully "
          f"right {found['not_flagged_questions_right']} (target ≥ 0.98); wrong sets flagged "
          f"{found['wrong_sets_flagged']} (target ≥ 0.90); confidence ≥ 0.9 fully right "
          f"{found['high_confidence_right']} (target ≥ 0.98)")
    if args.findings:
        print(f"\n{'finding':<20}{'factor':>8}{'questions':>11}{'fully right':>13}  (dev set and its variants)")
        for row in found["findings"]:
            share = "" if row["fully_right"] is None else f"{row['fully_right']:.3f}"
            print(f"{row['finding']:<20}{row['factor']:>8}{row['questions']:>11}{share:>13}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
