"""Speed work must not change a byte: a whole run over a generated corpus against its recorded hashes.

The corpus (160 pages, text and HTML, reshuffled from raw/ by a fixed seed) and the hashes of
every output are in bench/golden.py and tests/data/generated_corpus_digest.json. When an output
change is intended, record the new hashes with `python -m bench.golden --write` and review the
diff of the digest file together with the code change.
"""

from __future__ import annotations

import json

from bench.golden import DIGEST, build, differences, fingerprint


def test_outputs_on_the_generated_corpus_are_unchanged(tmp_path):
    actual = fingerprint(build(tmp_path))
    expected = json.loads(DIGEST.read_text(encoding="utf-8"))
    diffs = differences(expected, actual)
    assert not diffs, "outputs changed (python -m bench.golden --write if intended):\n" + "\n".join(diffs[:20])


def test_the_fingerprint_covers_every_kind_of_output():
    expected = json.loads(DIGEST.read_text(encoding="utf-8"))
    folders = {name.split("/", 1)[0] for name in expected["files"]}
    assert {"json", "removed.jsonl", "docx", "bank", "questions.jsonl"} <= folders
    statuses = {status for status, _, _ in expected["pages"].values()}
    assert "published" in statuses
    assert sum(name.endswith(".html") for name in expected["pages"]) >= 30
