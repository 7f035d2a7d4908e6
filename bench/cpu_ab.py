"""User CPU of the core command, old tree against new: `python -m bench.cpu_ab OLD_TREE [--pairs 6] [--pages 1000]`.

Runs `python -m pipeline ingest CORPUS --out TMP --no-docx --no-bank` from OLD_TREE and from this tree,
alternately, under `/usr/bin/time` (user CPU of the command and its waited-for worker processes), over
the first N pages of the generated bench corpus, and prints every pair and the medians. User time moves
far less than wall time on this VM; alternating cancels drift. OLD_TREE: `git worktree add /tmp/base REV`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.corpus import generate

HERE = Path(__file__).resolve().parent.parent


def user_seconds(tree: Path, raw: Path, out: Path, extra: tuple[str, ...] = ()) -> float:
    shutil.rmtree(out, ignore_errors=True)
    python = HERE / ".venv" / "bin" / "python"
    cmd = ["/usr/bin/time", "-f", "%U", str(python), "-m", "pipeline", "ingest", str(raw), "--out", str(out),
           "--no-docx", "--no-bank", "--quiet", *extra]
    done = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    if done.returncode != 0:
        raise SystemExit(f"{tree}: exit {done.returncode}: {done.stderr[-500:]}")
    return float(done.stderr.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--new-workers", type=int, default=1,
                    help="this tree's --workers (1: the parse's cost alone, as in a tree from before --workers)")
    ap.add_argument("--old-workers", type=int, default=None,
                    help="OLD_TREE's --workers, when it has the option (give 1 to compare one process with one)")
    args = ap.parse_args(argv)
    old_extra = ("--workers", str(args.old_workers)) if args.old_workers else ()
    corpus = HERE / "bench" / "out" / "corpus_10000"
    if not corpus.is_dir():
        generate(corpus, pages=10_000)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for page in sorted(corpus.iterdir())[: args.pages]:
            shutil.copyfile(page, raw / page.name)  # a copy: the ingest does not follow symlinks
        old, new = [], []
        for i in range(args.pairs):
            old.append(user_seconds(args.old.resolve(), raw, Path(tmp) / "out_old", old_extra))
            new.append(user_seconds(HERE, raw, Path(tmp) / "out_new", ("--workers", str(args.new_workers))))
            print(f"pair {i + 1}: old {old[-1]:.2f} s  new {new[-1]:.2f} s  ({new[-1] / old[-1] - 1:+.1%})", flush=True)
    m_old, m_new = statistics.median(old), statistics.median(new)
    print(f"median user CPU: old {m_old:.2f} s, new {m_new:.2f} s ({m_new / m_old - 1:+.1%}) over {args.pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
