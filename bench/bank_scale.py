"""Cluster 100,000 generated rewordings of real questions; report wall time and peak memory.

    python -m bench.bank_scale [--questions 100000] [--seed 1]

The base pool is every stem, sub-item and answer sentence of the pages in raw/. Each generated
question rewords one of them: synonym swaps, full/half-width punctuation, a numbering prefix,
"请" added or dropped, and (half of them) one content word deleted, so that the token sets of
near duplicates differ and LSH has real work to do.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import time
from pathlib import Path

from bench.corpus import ROOT
from pipeline.bank.index import load_index, update_bank
from pipeline.bank.tokens import synonyms
from pipeline.grammar.words import INIT_SECONDS, tokenizer
from pipeline.models import Question, QuestionSet, Section, Source
from pipeline.publish import files as publish
from pipeline.run.steps import process_page
from pipeline.store.storage import LocalStorage


def base_pool() -> list[str]:
    pool: set[str] = set()
    for path in sorted((ROOT / "raw").glob("*.txt")):
        qset = process_page(path.name, path.read_bytes()).qset
        assert qset is not None
        for q in qset.questions():
            pool.add(q.stem)
            pool.update(q.sub_items)
            for sentence in re.split(r"[。!?]", q.answer or ""):
                if 8 <= len(sentence) <= 80:
                    pool.add(sentence + "。")
    return sorted(x for x in pool if len(x) >= 6)


def reword(rng: random.Random, text: str, variants: dict[str, list[str]]) -> str:
    words = tokenizer().cut(text, hmm=False)
    out = []
    for w in words:
        if w in variants and rng.random() < 0.6:
            w = rng.choice(variants[w])
        out.append(w)
    if rng.random() < 0.5:
        content = [i for i, w in enumerate(out) if len(w) >= 2]
        if content:
            del out[rng.choice(content)]
    text = "".join(out)
    if rng.random() < 0.5:
        text = text.replace(",", ",").replace("?", "?")
    if rng.random() < 0.3:
        text = "请" + text
    prefix = rng.choice(["", "", f"{rng.randint(1, 30)}.", f"第{rng.randint(1, 9)}题 ", f"({rng.randint(1, 9)})"])
    return prefix + text


def generate(n: int, seed: int) -> list[QuestionSet]:
    rng = random.Random(seed)
    groups: dict[str, list[str]] = {}
    for word, canonical in synonyms().items():
        groups.setdefault(canonical, [canonical]).append(word)
    variants = {w: g for g in groups.values() for w in g}
    pool = base_pool()
    sets = []
    per_set = 100
    for s in range(n // per_set):
        questions = []
        for i in range(per_set):
            stem = reword(rng, rng.choice(pool), variants)
            questions.append(Question(id=f"{s:05d}-{i:03d}", number=str(i + 1), stem=stem, answer=None))
        source = Source(path=f"gen/{s}.txt", sha256="0" * 64)
        sets.append(QuestionSet(id=f"set{s:05d}", title=f"生成题集{s}", truncated=False, source=source,
                                sections=[Section(heading=None, questions=questions)]))
    return sets


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bank_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "bank_scale")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tokenizer()
    sets = generate(args.questions, args.seed)
    generated = time.perf_counter()
    shutil.rmtree(args.work, ignore_errors=True)
    store = LocalStorage(str(args.work))
    for qset in sets:
        publish.write_page(store, qset, docx=False)
    result = update_bank(store, [s.id for s in sets])
    clustered = time.perf_counter()
    more = generate(args.questions // 100, args.seed + 1)
    for i, s in enumerate(more):  # an incremental update: 1% new pages
        more[i] = s.model_copy(update={"id": f"new{i:05d}"})
        publish.write_page(store, more[i], docx=False)
    update_bank(store, [s.id for s in sets + more])
    updated = time.perf_counter()
    report = {
        "questions": result.questions,
        "clusters": result.clusters,
        "distinct_token_sets": len(load_index(store).keys),
        "jieba_init_seconds": round(INIT_SECONDS.get("jieba", 0.0), 2),
        "generate_seconds": round(generated - start, 1),
        "cluster_seconds": round(clustered - generated, 1),
        "incremental_update_seconds_1pct_new": round(updated - clustered, 1),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
