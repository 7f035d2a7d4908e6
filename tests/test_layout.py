"""The tree is the architecture (issue #26): records at the top, then the subpackages in the order data
flows (store, read, grammar, clean, check, publish, bank, review, run), each importing only those
before it; no import cycle; a page's steps never import what is built from their results; and the
version fingerprints cover the code and data each kind of output is made with."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pipeline
from pipeline.store.fingerprint import describe, read_module

ORDER = ["store", "read", "grammar", "clean", "check", "publish", "bank", "review", "run"]
RECORDS = {"pipeline", "pipeline.models", "pipeline.page", "pipeline.errors", "pipeline.limits"}


def modules() -> list[str]:
    return [*sorted(m.name for m in pkgutil.walk_packages(pipeline.__path__, "pipeline.")), "pipeline"]


def graph(types: bool = True) -> dict[str, set[str]]:
    """Every module's imports of other modules of the package, lazy ones included (read from the source);
    `types=False`: without those under `if TYPE_CHECKING:` (a name for an annotation moves no data)."""
    names = set(modules())
    return {n: {i for i in read_module(n).imports if i in names and i != n} - (set() if types else typing_only(n))
            for n in names}


def typing_only(name: str) -> set[str]:
    """Modules imported only for annotations (inside `if TYPE_CHECKING:`)."""
    path = Path(inspect.getfile(importlib.import_module(name)))
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in node.body:
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    found |= {inner.module, *(f"{inner.module}.{a.name}" for a in inner.names)}
    return found


def rank(module: str) -> int:
    if module in RECORDS:
        return -1
    if module == "pipeline.__main__":
        return len(ORDER)  # the command line uses everything
    return ORDER.index(module.split(".")[1])


def test_no_module_imports_itself_through_others():
    g, state, cycle = graph(), {}, []

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(g[node]):
            if state.get(nxt) == "open":
                cycle.append([*path[path.index(nxt):], node, nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, node])
        state[node] = "done"

    for node in sorted(g):
        if node not in state:
            visit(node, [])
    assert not cycle, cycle


def test_each_subpackage_imports_only_records_and_the_subpackages_before_it():
    against = [(a, b) for a, imports in graph(types=False).items() for b in imports if rank(b) > rank(a)]
    assert not against, against  # (importer, imported): data would flow back


def test_a_page_s_steps_never_import_what_is_built_from_their_results():
    closure, pending = set(), ["pipeline.run.steps"]
    g = graph()
    while pending:
        name = pending.pop()
        if name not in closure:
            closure.add(name)
            pending += g[name]
    built_after = [m for m in closure if m.split(".")[1:2] in (["publish"], ["bank"], ["review"], ["run"])
                   and m != "pipeline.run.steps" and m != "pipeline.run"]
    assert not built_after, built_after


def test_every_subpackage_says_what_it_holds():
    for name in ORDER:
        doc = __import__(f"pipeline.{name}", fromlist=["_"]).__doc__ or ""
        assert len(doc.strip().splitlines()) == 2, name


def test_the_fingerprints_cover_the_code_and_data_each_output_is_made_with():
    pages, docx, bank = describe("pages"), describe("docx"), describe("bank")
    every = set(modules())
    for pkg in ("read", "clean", "grammar", "check"):
        inside = {m for m in every if m.startswith(f"pipeline.{pkg}.") and not m.endswith(".sites")}  # sites: data
        assert inside <= set(pages["modules"]), inside - set(pages["modules"])
    assert {"pipeline.run.steps", "pipeline.publish.files", "pipeline.review.corrections"} <= set(pages["modules"])
    assert any(d.startswith("clean/sites/") for d in pages["data"]) and "grammar/data/userdict.txt" in pages["data"]
    assert "pipeline.publish.docx" in docx["modules"] and "publish/data/template.docx" in docx["data"]
    assert {"pipeline.bank.index", "pipeline.bank.tokens", "pipeline.grammar.words"} <= set(bank["modules"])
    assert {"bank/data/synonyms.txt", "bank/data/stopwords.txt", "grammar/data/userdict.txt"} <= set(bank["data"])
