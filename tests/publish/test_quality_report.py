"""Per-site quality in every run (issue #23, part 3): the run report, `python -m pipeline report` and the
flow's artifact list each site's pages, published sets, rejections by reason, flagged sets and mean
confidence with the change since the previous run, and the sets an editor should review, most
doubtful first, each with its reasons and its JSON. A site whose pages start failing shows the next
morning."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_ingest

from pipeline.__main__ import main

ANSWERED = "".join(f"{n}.第{n}题的内容是什么?\n答案:第{n}个答案\n" for n in range(1, 5))
# question 5 lost its key on a page that prints every other key: a set for review
DOUBTFUL = ANSWERED + "5.第5题的内容是什么?\n6.第6题的内容是什么?\n答案:第6个答案\n"


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    for site, names in {"alpha": ("a1", "a2"), "beta": ("b1",)}.items():
        (raw / site).mkdir(parents=True)
        for name in names:
            (raw / site / f"{name}.txt").write_text(f"{name} 练习题\n一、简答题\n" + ANSWERED, encoding="utf-8")
    (raw / "beta" / "b2.txt").write_text("b2 练习题\n一、简答题\n" + DOUBTFUL, encoding="utf-8")
    return raw


def _report(out: Path) -> dict:
    return json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text(encoding="utf-8"))


def test_the_run_report_has_a_row_per_site_and_the_sets_to_review(tmp_path):
    raw, out = _raw(tmp_path), tmp_path / "out"
    run_ingest(raw, out, docx=False)
    report = _report(out)
    sites = {row["site"]: row for row in report["sites"]}  # pages under raw/<site>/ when no profile knows them
    assert (sites["alpha"]["pages"], sites["alpha"]["published"], sites["alpha"]["flagged"]) == (2, 2, 0)
    assert (sites["beta"]["pages"], sites["beta"]["published"], sites["beta"]["flagged"]) == (2, 2, 1)
    assert sites["alpha"]["mean_confidence"] == 1.0 and sites["beta"]["mean_confidence"] < 1.0
    assert sites["alpha"]["change"] is None  # the first run: nothing to compare with
    (doubtful,) = report["needs_review"]
    assert doubtful["path"] == "beta/b2.txt" and "answers_missing: 5 (1 of 6)" in doubtful["reasons"]
    published = json.loads((out / doubtful["json"]).read_text(encoding="utf-8"))
    assert published["needs_review"] and published["confidence"] == doubtful["confidence"]


def test_a_site_whose_pages_start_failing_shows_in_the_change_since_the_last_run(tmp_path, capsys):
    raw, out = _raw(tmp_path), tmp_path / "out"
    run_ingest(raw, out, docx=False)
    (raw / "alpha" / "a2.txt").write_bytes(b"")  # the site's next page comes out empty
    run_ingest(raw, out, docx=False)
    sites = {row["site"]: row for row in _report(out)["sites"]}
    assert sites["alpha"]["rejected"] == {"empty": 1}
    assert sites["alpha"]["change"] == {"pages": 0, "published": -1, "flagged": 0, "rejected": 1,
                                        "mean_confidence": 0.0}
    assert sites["beta"]["change"]["published"] == 0  # its pages unchanged: counted as they were
    assert main(["report", "--clean", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "alpha" in printed and "published -1, rejected +1" in printed
    assert "1 sets to review" in printed and "beta/b2.txt" in printed and "answers_missing" in printed


def test_report_without_a_run_says_so(tmp_path, capsys):
    assert main(["report", "--clean", str(tmp_path)]) == 2
    assert "no run report" in capsys.readouterr().err
