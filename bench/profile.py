"""Where the time goes: cProfile of the core on text pages, or of the bank step.

    python -m bench.profile text [--pages 2000]   # share of each step, and of record building in parsing
    python -m bench.profile bank [--pages 2000]   # share of jieba's segmentation in the bank step

Runs over the text pages of the generated corpus (bench/corpus.py, seed 7, as bench.run uses),
generating it under bench/out if needed. The shares are of profiled time: cProfile slows
everything, so read them as proportions, not rates.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import pstats
import shutil
import sys

from bench.corpus import generate
from bench.run import OUT


def corpus_files(pages: int) -> list:
    corpus = OUT / f"corpus_{pages}"
    if not corpus.is_dir():
        generate(corpus, pages=pages, seed=7, html_share=0.3)
    return sorted(corpus.glob("*.txt"))


def cumulative(stats: pstats.Stats, name: str) -> float:
    """Cumulative seconds of every function called `name` (file:line(name) keys)."""
    return sum(row[3] for key, row in stats.stats.items() if key[2] == name)  # type: ignore[attr-defined]


def profile(fn, *args) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.runcall(fn, *args)
    return pstats.Stats(profiler)


def text(pages: int) -> None:
    from pipeline.errors import Rejected
    from pipeline.run.ingest import RawFile, learn
    from pipeline.run.steps import process_page

    files = corpus_files(pages)
    raws = [RawFile(str(files[0].parent), f.name, f.stat().st_size) for f in files]
    templates = learn(raws).templates
    pages_read = [(f.name, f.read_bytes()) for f in files]

    def process_all() -> None:  # in this process: a batch runs its pages in a worker cProfile cannot see
        for name, data in pages_read:
            with contextlib.suppress(Rejected):
                process_page(name, data, templates)

    stats = profile(process_all)
    total = cumulative(stats, "process_all")
    for step in ("boilerplate_step", "segment_step", "parse_step", "validate_step"):
        print(f"{step:18} {100 * cumulative(stats, step) / total:5.1f}% of the pages' time")
    print(f"build_set (records) {100 * cumulative(stats, 'build_set') / cumulative(stats, 'parse_step'):5.1f}% "
          "of parse_step")
    stats.sort_stats("tottime").print_stats(12)


def bank(pages: int) -> None:
    from pipeline.bank.index import update_bank
    from pipeline.grammar.words import tokenizer
    from pipeline.publish import files as publish
    from pipeline.run.ingest import ingest
    from pipeline.store.storage import LocalStorage

    files = corpus_files(pages)
    raw, out = OUT / "profile_raw", OUT / "profile_out"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    raw.mkdir(parents=True)
    for f in files:
        (raw / f.name).write_bytes(f.read_bytes())
    ingest(raw, out, docx=False, bank=False)
    store = LocalStorage(str(out))
    sets = publish.published_ids(store)
    tokenizer()  # the dictionary load is start-up, not per page
    stats = profile(update_bank, store, sets)
    total = cumulative(stats, "update_bank")
    print(f"jieba lcut {100 * cumulative(stats, 'lcut') / total:5.1f}% of the bank step "
          f"({len(sets)} sets, {total:.1f} s profiled)")
    stats.sort_stats("tottime").print_stats(8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["text", "bank"])
    parser.add_argument("--pages", type=int, default=2000, help="corpus size (the text pages of it are used)")
    args = parser.parse_args(argv)
    {"text": text, "bank": bank}[args.what](args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
