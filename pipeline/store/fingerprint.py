"""Version fingerprints: a hash of everything that can change an output, one per kind of output.

A component's fingerprint covers the code its root modules run (their import closure inside the
package, lazy imports included, stopping at another component's root), read as syntax trees with
docstrings dropped (comments never reach the tree), so an edit to prose reprocesses nothing; the
data files that code names (`pipeline/data/*`, `pipeline/clean/sites/*`); and the versions of the
third-party distributions it imports (jieba, python-docx, lxml …) and of Python itself.

- `pages`: a page's JSON set and removed record (read → … → assemble → publish).
- `docx`: the printable editions of a set (the renderer).
- `bank`: the question bank (tokenizer, its dictionaries, MinHash parameters).

A changed `pages` reprocesses every page; a changed `docx` re-renders the editions from the
published sets; a changed `bank` rebuilds the bank's index. Nothing else is ever stale.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = "pipeline"
ROOT = Path(__file__).resolve().parent.parent  # the package
DATA_FOLDERS = ("data", "sites")  # folders (in a module's own subpackage) of data files it may read by name
NOT_OUTPUT_CODE = frozenset({"pipeline.store.fingerprint"})  # computes fingerprints, changes no output
COMPONENTS: dict[str, tuple[str, ...]] = {  # component → root modules
    "pages": ("pipeline.run.steps", "pipeline.publish.files", "pipeline.review.corrections"),
    "docx": ("pipeline.publish.docx",),
    "bank": ("pipeline.bank.index",),
}


@dataclass(frozen=True)
class Module:
    name: str
    code: bytes  # digest of the syntax tree without docstrings
    imports: frozenset[str]  # modules of this package it imports
    externals: frozenset[str]  # top-level third-party import names
    data: frozenset[str]  # data files (relative to the package) it names


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def _module_path(name: str) -> Path | None:
    parts = name.split(".")[1:]
    if not parts:
        return ROOT / "__init__.py"
    rel = Path(*parts)
    for candidate in (ROOT / rel.with_suffix(".py"), ROOT / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _resolve(current: str, node: ast.ImportFrom) -> list[str]:
    """Absolute names of what an import statement names (the module and each imported name)."""
    if node.level:
        path = _module_path(current)
        parts = current.split(".") if path is not None and path.name == "__init__.py" else current.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        prefix = ".".join(parts + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]


def _data_files(name: str, constants: set[str]) -> frozenset[str]:
    """The data files (relative to the package) module `name` names: in the data folders of its own
    subpackage, by file name, by `data/<file>`, or all of a folder it names (`files("pipeline.clean.sites")`)."""
    package = name.split(".")[1] if name.count(".") >= 2 else ""
    found = set()
    for folder in DATA_FOLDERS:
        where = ROOT / package / folder
        if not package or not where.is_dir():
            continue
        files = sorted(p for p in where.iterdir() if p.is_file() and not p.name.endswith(".py"))
        rel = f"{package}/{folder}"
        if folder in constants or f"{PACKAGE}.{package}.{folder}" in constants:
            found.update(f"{rel}/{p.name}" for p in files)
        found.update(f"{rel}/{p.name}" for p in files if p.name in constants or f"{folder}/{p.name}" in constants)
    return frozenset(found)


CACHE = ROOT / "__pycache__" / "fingerprint-syntax.json"  # file digest → what its syntax tree holds


@cache
def _syntax_cache() -> dict[str, dict]:
    try:
        return json.loads(CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


_USED: set[str] = set()  # keys this process looked up: what is saved (old versions of files drop out)
_NEW: set[str] = set()


def _save_syntax_cache() -> None:
    """Best effort (like .pyc files): a read-only install just parses again next time."""
    tmp = CACHE.with_name(f".{CACHE.name}.{os.getpid()}.tmp")
    _NEW.clear()
    try:
        CACHE.parent.mkdir(exist_ok=True)
        kept = {k: v for k, v in _syntax_cache().items() if k in _USED}
        tmp.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
        os.replace(tmp, CACHE)
    except OSError:
        tmp.unlink(missing_ok=True)


def _syntax(name: str, source: bytes) -> dict:
    """The tree's digest (docstrings dropped), the names it imports and its short string constants;
    cached by the file's bytes, since parsing and dumping every module costs a quarter second."""
    key = hashlib.sha256(name.encode() + b"\0" + source).hexdigest()
    _USED.add(key)
    cached = _syntax_cache().get(key)
    if cached is not None:
        return cached
    tree = ast.parse(source)
    imports, constants = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imports.update(_resolve(name, node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 80:
            constants.add(node.value)
    code = hashlib.sha256(ast.dump(_without_docstrings(tree)).encode("utf-8")).hexdigest()
    found = {"code": code, "imports": sorted(imports), "constants": sorted(constants)}
    _syntax_cache()[key] = found
    _NEW.add(key)
    return found


@cache
def read_module(name: str) -> Module | None:
    path = _module_path(name)
    if path is None:
        return None
    syntax = _syntax(name, path.read_bytes())
    imports, externals = set(), set()
    for imported in syntax["imports"]:
        top = imported.split(".")[0]
        if top == PACKAGE:
            if _module_path(imported) is not None:
                imports.add(imported)
        elif top and top not in sys.stdlib_module_names:
            externals.add(top)
    return Module(name, syntax["code"].encode(), frozenset(imports), frozenset(externals),
                  _data_files(name, set(syntax["constants"])))


def closure(roots: tuple[str, ...], stop: frozenset[str]) -> list[Module]:
    """The package modules the roots run, following imports, not entering `stop` (other roots)."""
    seen: dict[str, Module] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        module = read_module(name)
        if module is None:
            continue
        seen[name] = module
        parent = name.rsplit(".", 1)[0]
        for imported in (*module.imports, *([parent] if parent != name and "." in name else [])):
            if imported not in seen and imported not in stop:
                pending.append(imported)
    return [seen[n] for n in sorted(seen)]


@cache
def _distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


@cache
def _installed() -> str:
    """A digest of which distributions are installed where (cheap: folder listings, no metadata read)."""
    names = []
    for folder in sys.path:
        try:
            names += [n for n in os.listdir(folder or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()[:16]


def _version(top: str) -> str:
    """`dist==version` of the distribution(s) providing an import name, cached while nothing is (un)installed."""
    key = f"dist {_installed()} {top}"
    _USED.add(key)
    cached = _syntax_cache().get(key)
    if cached is None:
        cached = _syntax_cache()[key] = {"version": _look_up_version(top)}
        _NEW.add(key)
    return cached["version"]


def _look_up_version(top: str) -> str:
    try:  # most distributions are named as they are imported: no scan of every installed one
        return f"{top}=={metadata.version(top)}"
    except metadata.PackageNotFoundError:
        pass
    dists = _distributions().get(top) or [top]
    versions = []
    for dist in sorted(set(dists)):
        try:
            versions.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}==?")
    return ",".join(versions)


def _modules(component: str) -> list[Module]:
    stop = frozenset(r for c, rs in COMPONENTS.items() if c != component for r in rs) | NOT_OUTPUT_CODE
    return closure(COMPONENTS[component], stop)


def describe(component: str) -> dict[str, list[str]]:
    """What the component's fingerprint covers: modules, data files, distributions (for humans and tests)."""
    modules = _modules(component)
    return {
        "modules": [m.name for m in modules],
        "data": sorted({d for m in modules for d in m.data}),
        "distributions": sorted({_version(e) for m in modules for e in m.externals}),
    }


@cache
def fingerprint(component: str) -> str:
    covered = describe(component)
    digest = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for module in _modules(component):
        digest.update(f"\0module {module.name}\0".encode())
        digest.update(module.code)
    for rel in covered["data"]:
        digest.update(f"\0data {rel}\0".encode())
        digest.update((ROOT / rel).read_bytes())
    for dist in covered["distributions"]:
        digest.update(f"\0dist {dist}\0".encode())
    if _NEW:
        _save_syntax_cache()
    return digest.hexdigest()[:16]


def fingerprints() -> dict[str, str]:
    return {name: fingerprint(name) for name in COMPONENTS}
