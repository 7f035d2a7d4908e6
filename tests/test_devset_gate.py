"""The evaluation gate: the dev set's real pages, scored by the shared scorer, never fall below the floors.

`tests/data/devset_floors.json` pins one floor per figure of `score.py`. Raise a floor when the
work improves it (`python -m bench.devset --raise-floors`); never lower one silently: a lower
figure is a regression on pages from sites no rule was written for.
"""

from __future__ import annotations

import json

import pytest

from bench.devset import FLOORS, SHARED, score_devset


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict[str, float]:
    if not (SHARED / "devset" / "raw").is_dir():
        pytest.skip(f"dev set not found at {SHARED}/devset (a copy of shared/ beside the repo)")
    return score_devset(tmp_path_factory.mktemp("devset_out"))


def load_floors() -> dict[str, float]:
    """The pinned floors; `_notes` says why a floor was ever lowered (on purpose, never silently)."""
    return {k: v for k, v in json.loads(FLOORS.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def test_every_figure_holds_its_floor(figures):
    floors = load_floors()
    below = {k: (figures.get(k), floor) for k, floor in floors.items() if figures.get(k, 0.0) < floor}
    assert not below, f"dev-set figures below their floors (got, floor): {below}"


def test_floors_cover_every_quality_figure(figures):
    """A figure the scorer reports but the gate does not pin could fall unseen."""
    floors = load_floors()
    pinned = set(figures) - {"pages", "pages_found"}
    assert pinned <= set(floors), f"figures without a floor: {sorted(pinned - set(floors))}"
