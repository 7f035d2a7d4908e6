"""Before/after on one machine: `python bench/ab.py TREE [--pages N] [--runs R]`.

TREE is a checkout of the project (this one, or an earlier commit: `git worktree add /tmp/base REV`).
Its own `pipeline` and `bench.run.core_stages` (the benchmark's read → JSON measurement) run over the
first N text pages of the benchmark corpus (`bench/out/corpus_10000`, generated if missing), after
20 pages of warm-up; one line per run. Run two trees alternately: wall time on a shared machine moves
from run to run. For counts that do not, run it under `valgrind --tool=callgrind` with `--runs 1`
twice, `--pages 0` and `--pages 200`, and subtract (start-up and warm-up cancel out).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tree", type=Path)
    ap.add_argument("--pages", type=int, default=7000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.tree.resolve()))  # that tree's pipeline and bench, not this one's
    from bench.corpus import generate
    from bench.run import core_stages

    corpus = HERE / "bench" / "out" / "corpus_10000"
    if not corpus.is_dir():
        generate(corpus, pages=10_000)
    files = sorted(corpus.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        core_stages(files[:20], out)
        for _ in range(args.runs):
            if not args.pages:
                break
            r = core_stages(files[20:20 + args.pages], out)
            pages = len(files[20:20 + args.pages])
            print(f"{args.tree.name}: read → JSON {pages / r['read_to_json']:.0f} pages/s wall, "
                  f"{pages / r['read_to_json_cpu']:.0f} pages/s CPU ({pages} text pages)")
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
