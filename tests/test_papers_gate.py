"""The whole-paper gate (issue #28): the five complete papers of `../shared/papers`, scored by the
shared scorer, never fall below `tests/data/papers_floors.json` (raised with
`python -m bench.devset --papers --raise-floors`, never lowered silently)."""

from __future__ import annotations

import json

import pytest

from bench.devset import PAPER_FLOORS, PAPERS, score_papers


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict[str, float]:
    if not (PAPERS / "raw").is_dir():
        pytest.skip(f"the papers are not at {PAPERS} (a copy of shared/ beside the repo)")
    return score_papers(tmp_path_factory.mktemp("papers_out"))


def test_every_paper_figure_holds_its_floor(figures):
    floors = {k: v for k, v in json.loads(PAPER_FLOORS.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    below = {k: (figures.get(k), floor) for k, floor in floors.items() if figures.get(k, 0.0) < floor}
    assert not below, f"paper figures below their floors (got, floor): {below}"
    assert set(figures) - {"pages", "pages_found"} <= set(floors)
