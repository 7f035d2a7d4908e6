"""`python -m pipeline explain PAGE`: why a page was read as it was.

Runs the page through the steps up to the parse, prints the whole-page reading line by line (each
candidate label, the named gains and costs that chose it, and the runner-up of every disputed line),
then the parse's outcome: the questions published, or the reason the page was rejected.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import Rejected
from pipeline.grammar.parse import Parser
from pipeline.grammar.reading import explain
from pipeline.run.steps import STEPS, Context, PageRunner, new_page

PARSE_AT = next(i for i, (name, _) in enumerate(STEPS) if name == "parse")


def explain_page(path: Path) -> list[str]:
    page = new_page(path.name, path.read_bytes())
    runner = PageRunner(steps=STEPS[:PARSE_AT], ctx=Context())
    try:
        runner.run(page)
    except Rejected as rejected:
        return [f"rejected before the parse: {rejected.code}: {rejected}"]
    reading = Parser(page.lines).reading
    out = [f"{path.name}: {len(page.lines)} lines after cleaning", *explain(reading, page.lines)]
    try:
        PageRunner(steps=STEPS[PARSE_AT:], ctx=Context()).run(page)
    except Rejected as rejected:
        return [*out, f"rejected: {rejected.code}: {rejected}"]
    assert page.qset is not None
    for section in page.qset.sections:
        numbers = " ".join(q.number or "-" for q in section.questions)
        out.append(f"section {section.heading or '(none)'}: {len(section.questions)} questions [{numbers}]")
    out += [f"warning {w}" for w in page.qset.warnings]
    return out
