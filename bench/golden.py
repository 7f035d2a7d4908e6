"""Output fingerprint of a whole run over a generated corpus: the guard for speed work.

    python -m bench.golden            # compare this code's outputs with tests/data/generated_corpus_digest.json
    python -m bench.golden --write    # record them (only when an output change is intended)

A deterministic corpus (bench/corpus.py, fixed seed; text and HTML pages) goes through a full
ingest (sets, removed-line records, questions.jsonl, bank, DOCX for a sample) and every output
file is hashed. An optimisation must leave every hash as it was; tests/test_golden.py checks it.
The manifest and run reports are left out of the hashes (they carry the pipeline version and
clock times), but each page's status, set id and reason are part of the fingerprint.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from bench.corpus import ROOT, generate

DIGEST = ROOT / "tests" / "data" / "generated_corpus_digest.json"
PAGES, SEED, HTML_SHARE = 160, 2026, 0.3
DOCX_EVERY = 8  # DOCX for every 8th set: the renderer is covered without dominating the test's time


def add_edge_pages(raw: Path) -> None:
    """Pages the generator never makes: other encodings, rejects, a DOCX input."""
    seed = sorted((ROOT / "raw").glob("*.txt"))[0].read_text(encoding="utf-8")
    (raw / "edge_gbk.txt").write_bytes(seed.encode("gbk", errors="replace"))
    (raw / "edge_utf16.txt").write_bytes(seed.encode("utf-16"))
    (raw / "edge_empty.txt").write_bytes(b"")
    (raw / "edge_chrome_only.html").write_text(
        "<html><head><title>x-原创力文档</title></head><body><nav>首页</nav><p>相关文档</p></body></html>",
        encoding="utf-8")
    from pipeline.publish.docx import render_set
    from pipeline.run.steps import process_page

    qset = process_page("seed.txt", seed).qset
    assert qset is not None
    (raw / "edge_answer_key.docx").write_bytes(render_set(qset)[1])  # our own edition read back as input


def build(work: Path) -> Path:
    """Generate the corpus below `work`, ingest it, render a DOCX sample; return the output folder."""
    from pipeline.publish import files as publish
    from pipeline.publish.docx import render_set
    from pipeline.run.ingest import ingest
    from pipeline.store import layout
    from pipeline.store.storage import LocalStorage

    raw, out = work / "raw", work / "out"
    generate(raw, pages=PAGES, seed=SEED, html_share=HTML_SHARE)
    add_edge_pages(raw)
    ingest(raw, out, docx=False, bank=True)
    store = LocalStorage(str(out))
    for set_id in sorted(publish.published_ids(store))[::DOCX_EVERY]:
        editions = render_set(publish.load_set(store, set_id))
        for rel, data in zip(layout.docx_rels(set_id), editions, strict=True):
            store.write_atomic(rel, data)
    return out


def fingerprint(out: Path) -> dict:
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        # bank/index.bin is the bank's internal state (it names the bank fingerprint): not an output
        if path.is_file() and rel not in ("manifest.json", "bank/index.bin") and not rel.startswith(("runs/", ".")):
            files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    pages = {e["path"]: [e["status"], e.get("set_id"), e.get("reason")] for e in manifest["pages"]}
    return {"corpus": {"pages": PAGES, "seed": SEED, "html_share": HTML_SHARE}, "pages": pages, "files": files}


def differences(expected: dict, actual: dict) -> list[str]:
    found = []
    for key in ("corpus", "pages", "files"):
        want, got = expected.get(key, {}), actual[key]
        if key == "corpus":
            if want != got:
                found.append(f"corpus settings: {want} → {got}")
            continue
        for name in sorted(set(want) | set(got)):
            if want.get(name) != got.get(name):
                found.append(f"{key}: {name}: {want.get(name)} → {got.get(name)}")
    return found


def current() -> dict:
    with tempfile.TemporaryDirectory() as work:
        return fingerprint(build(Path(work)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.golden", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record the current outputs as the expected ones")
    args = parser.parse_args(argv)
    actual = current()
    if args.write:
        DIGEST.write_text(json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(actual['files'])} files, {len(actual['pages'])} pages in {DIGEST.relative_to(ROOT)}")
        return 0
    diffs = differences(json.loads(DIGEST.read_text(encoding="utf-8")), actual)
    print("\n".join(diffs) or f"identical: {len(actual['files'])} files, {len(actual['pages'])} pages")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
