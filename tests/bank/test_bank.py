"""Question bank: near-duplicate quality on labelled pairs, clusters, incremental = full, search."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RAW, ROOT, run_ingest

from pipeline.bank.index import THRESHOLD, components, keywords, similarity
from pipeline.bank.tokens import tokens

PAIRS = [json.loads(line) for line in (Path(__file__).parent.parent / "data" / "near_duplicate_pairs.jsonl")
         .read_text(encoding="utf-8").splitlines()]


def verdicts() -> list[tuple[bool, bool]]:
    return [(p["duplicate"], similarity(tokens(p["a"]), tokens(p["b"])) >= THRESHOLD) for p in PAIRS]


def test_precision_and_recall_on_labelled_pairs():
    results = verdicts()
    tp = sum(1 for truth, said in results if truth and said)
    fp = sum(1 for truth, said in results if not truth and said)
    fn = sum(1 for truth, said in results if truth and not said)
    assert len(PAIRS) >= 40 and sum(p["duplicate"] for p in PAIRS) >= 20
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.9


def test_no_cluster_mixes_different_questions():
    """Cluster every text of the labelled pairs together: no negative pair may share a cluster."""
    texts = sorted({p[k] for p in PAIRS for k in ("a", "b")})
    toks = {t: set(tokens(t)) for t in texts}
    edges = [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:] if similarity(toks[a], toks[b]) >= THRESHOLD]
    cluster = components(texts, edges)
    for p in PAIRS:
        if not p["duplicate"]:
            assert cluster[p["a"]] != cluster[p["b"]], p["note"]


def test_keywords_keep_domain_terms_whole():
    idf = {"客户满意度": 3.0, "净推荐值": 3.0, "区别": 1.0}
    found = keywords(tokens("解释客户满意度(CSAT)和净推荐值(NPS)的区别。"), idf)
    assert {"客户满意度", "净推荐值", "csat", "nps"} <= set(found)
    assert "的" not in found and "解释" not in found


def test_bank_outputs_and_every_question_in_one_cluster(seed_run):
    out, sets = seed_run
    rows = [json.loads(x) for x in (out / "bank" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    clusters = json.loads((out / "bank" / "clusters.json").read_text(encoding="utf-8"))["clusters"]
    members = [m for c in clusters for m in c["members"]]
    seed_questions = [q["id"] for s in sets.values() for sec in s["sections"] for q in sec["questions"]]
    assert sorted(members) == sorted(seed_questions)  # each seed question in exactly one cluster
    assert len(rows) == len(clusters)
    for row in rows:
        assert row["stem"] and row["keywords"] and row["sources"]
    lines = (out / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(x)["cluster_id"] for x in lines)


def test_duplicate_questions_across_pages_become_one_entry(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("面试题甲\n1.如何应对愤怒的客户?\n答案:保持冷静。\n2.新版GMP宗旨是什么?\n", encoding="utf-8")
    (raw / "b.txt").write_text("面试题乙\n1.如何处理愤怒的顾客?\n答案:先倾听,再道歉,最后解决问题。\n2.你为什么选择客服?\n",
                               encoding="utf-8")
    out = tmp_path / "out"
    run_ingest(raw, out)
    rows = [json.loads(x) for x in (out / "bank" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    merged = [r for r in rows if r["size"] == 2]
    assert len(merged) == 1 and len(rows) == 3
    assert merged[0]["answer"] == "先倾听,再道歉,最后解决问题。"  # the most complete answer
    assert {s["title"] for s in merged[0]["sources"]} == {"面试题甲", "面试题乙"}


def test_incremental_bank_equals_full_rebuild(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    pages = sorted(RAW.glob("*.txt"))
    for p in pages[:2]:
        shutil.copy(p, raw / p.name)
    (raw / "extra.txt").write_text("题集\n1.如何处理愤怒的顾客?\n2.新版GMP的宗旨是什么?\n", encoding="utf-8")
    inc = tmp_path / "inc"
    run_ingest(raw, inc)
    for p in pages[2:]:
        shutil.copy(p, raw / p.name)
    (raw / pages[0].name).unlink()  # a page leaves: its questions leave the bank
    run_ingest(raw, inc)
    full = tmp_path / "full"
    run_ingest(raw, full)
    for name in ("questions.jsonl", "clusters.json", "index.bin"):
        assert (inc / "bank" / name).read_bytes() == (full / "bank" / name).read_bytes(), name


def test_search_command(seed_run):
    out, _ = seed_run
    proc = subprocess.run([sys.executable, "-m", "pipeline", "search", "愤怒 客户", "--clean", str(out), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    hits = [json.loads(x) for x in proc.stdout.splitlines()]
    assert hits and "愤怒" in hits[0]["stem"]
    assert hits == sorted(hits, key=lambda h: -h["score"])
    assert hits[0]["sources"][0]["set_id"]


def test_search_matches_across_scripts_and_says_what_it_found(tmp_path):
    """`会计 凭证` finds a page printed in 會計/憑證; a hit shows its answer, its set and question ids, and
    is marked when its stem is the one a cut preview stops in; no hit is a message and exit 1."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.txt").write_text("會計練習\n1.會計憑證的填製要求有哪些?\n答案:真實、完整\n2.原始憑證分為哪幾類?\n答案:兩類\n"
                               "3.記賬憑證的審核", encoding="utf-8")
    out = tmp_path / "out"
    run_ingest(raw, out, docx=False)

    def search(*words: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline", "search", *words, "--clean", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)

    found = search("会计 凭证")
    assert found.returncode == 0 and "會計憑證的填製要求" in found.stdout and "answer: 真實、完整" in found.stdout
    qset = json.loads(next((out / "json").iterdir()).read_text(encoding="utf-8"))
    assert f"set {qset['id']} question {qset['sections'][0]['questions'][0]['id']}" in found.stdout
    assert "[节选截断" in search("审核").stdout  # question 3: the preview stops inside its stem
    none = search("量子 纠缠")
    assert none.returncode == 1 and none.stdout == "" and "no question in" in none.stderr


def test_the_fast_tokenizer_cuts_every_text_as_jieba_does():
    """rjieba (jieba-rs) replaces jieba for speed only where it gives the same words: checked on every
    stem and answer of the seeds and of the dev set, with the user dictionary loaded in both."""
    from pipeline.bank.tokens import normalise_stem
    from pipeline.errors import Rejected
    from pipeline.grammar.words import _Words, reference_tokenizer, tokenizer
    from pipeline.run.steps import process_page

    devset = ROOT.parent / "shared" / "devset" / "raw"
    if not devset.is_dir():
        pytest.skip(f"the dev set is not at {devset} (a copy of shared/ beside the repo): the seeds alone are too few")
    pages = sorted(RAW.iterdir()) + sorted(devset.iterdir())
    texts = []
    for path in pages:
        try:
            qset = process_page(path.name, path.read_bytes()).qset
        except Rejected:  # a page that gives no set has no texts to compare
            continue
        for q in qset.questions():
            texts += [q.stem, *([q.answer[:400]] if q.answer else [])]
    assert len(texts) > 100
    fast, jieba = tokenizer(), reference_tokenizer()
    assert not isinstance(fast, _Words)  # the fast one is what the bank runs here
    for text in map(normalise_stem, texts):
        assert fast.cut(text, hmm=False) == jieba.lcut(text, HMM=False), text
    # the parts of speech that end a term glued to its definition: the same from either tokenizer (but
    # for ASCII runs, 'eng' in jieba, digits 'm' in jieba-rs: the term rule reads both as a term's start)
    slow = _Words(jieba)

    def tags(words):
        return [(w, "eng" if w.isascii() and w.isalnum() else t) for w, t in words]

    for text in texts[:300]:
        assert tags(fast.tag(text[:40], hmm=False)) == tags(slow.tag(text[:40], hmm=False)), text
