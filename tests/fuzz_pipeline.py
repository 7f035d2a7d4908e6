"""Coverage-guided fuzzing of read → clean → parse with atheris (libFuzzer).

    python tests/fuzz_pipeline.py -max_total_time=300      # the budget: seconds
    python tests/fuzz_pipeline.py -runs=20000

The first input byte picks the page type (.txt, .html, .docx); the rest is the page. Anything
but a `Rejected` escaping, or a published set that fails its own schema, is a finding.
Seeds: the pages in raw/ (passed as the corpus directory when none is given).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from pipeline.errors import Rejected
    from pipeline.models import QuestionSet
    from pipeline.run.steps import process_page

SUFFIXES = (".txt", ".html", ".docx")


def one_input(data: bytes) -> None:
    if not data:
        return
    name = "page" + SUFFIXES[data[0] % len(SUFFIXES)]
    try:
        page = process_page(name, data[1:])
    except Rejected as rejected:
        if rejected.code == "internal_error":
            raise RuntimeError(str(rejected)) from rejected.__cause__
        return
    assert page.qset is not None
    QuestionSet.model_validate_json(page.qset.model_dump_json())  # what is published validates


def main() -> None:
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        corpus = Path(__file__).resolve().parent.parent / "bench" / "out" / "fuzz_corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for path in sorted((Path(__file__).resolve().parent.parent / "raw").glob("*.txt")):
            (corpus / path.name).write_bytes(b"\x00" + path.read_bytes()[:4000])
        argv.append(str(corpus))
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
