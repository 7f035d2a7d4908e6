"""The confidence's calibration on the dev set (issue #23), as `python -m bench.calibration` prints it:
a sure question is right, a set not flagged is right, and a wrong set is flagged. The targets are
the issue's; with `bench/data/gold_errata.json` (gold values wrong by the dev set's own conventions,
each named there) every one of them holds, and the gold as given holds the three it can."""

from __future__ import annotations

import json

import pytest

from bench import calibration
from bench.metamorphic import DEVSET

TARGETS = {"high_confidence_right": 0.98, "not_flagged_questions_right": 0.98, "sets_not_flagged": 0.60,
           "wrong_sets_flagged": 0.90}
ERRATA = json.loads(calibration.ERRATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev():
    if not (DEVSET / "raw").is_dir():
        pytest.skip(f"dev set not found at {DEVSET}")


def test_the_targets_hold_with_the_gold_errata(dev):
    found = calibration.summary(calibration.run(errata=ERRATA))
    assert {k: found[k] >= v for k, v in TARGETS.items()} == dict.fromkeys(TARGETS, True), found


def test_the_question_targets_hold_on_the_gold_as_given(dev):
    found = calibration.summary(calibration.run())
    held = ("high_confidence_right", "not_flagged_questions_right", "sets_not_flagged")
    assert all(found[k] >= TARGETS[k] for k in held), found


def test_an_erratum_applies_only_where_the_gold_still_holds_the_value_it_corrects():
    errata = {"pages": {"p": [{"index": 0, "field": "stem_start", "gold": "本質(zhì)是", "corrected": "本質是"}]}}
    gold = {"questions": [{"stem_start": "本質(zhì)是"}]}
    assert calibration.corrected("p", gold, errata)["questions"][0]["stem_start"] == "本質是"
    changed = {"questions": [{"stem_start": "另一个题干"}]}  # the gold was fixed upstream: left alone
    assert calibration.corrected("p", changed, errata)["questions"][0]["stem_start"] == "另一个题干"
