"""The benchmark: throughput and memory against the floor and a peer, in one run.

    python -m bench.run [--pages 10000] [--docx-sample 400] [--no-flow]

Over one generated corpus (bench/corpus.py, deterministic) it measures, side by side:
the floor (read each file, write it back), one regex pass, trafilatura's `extract` on the HTML
pages (and how much book118 chrome it leaves, against the dev set's gold), our core stage by
stage on text and on HTML pages, keywords (the bank step), DOCX rendering, the Prefect flow
(thread runner, and Dask with 1 and 2 workers, against a running `prefect server`), and peak
RSS of a whole ingest at two corpus sizes. Writes bench/results.md (included by the README).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import ROOT, generate

OUT = ROOT / "bench" / "out"
SHARED = ROOT.parent / "shared" / "devset"


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def floor(files: list[Path], target: Path) -> float:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    os.sync()
    start = time.perf_counter()
    for f in files:
        (target / f.name).write_bytes(f.read_bytes())
    return time.perf_counter() - start


def regex_pass(files: list[Path]) -> float:
    pattern = re.compile(r"[0-9]+[.、]")
    start = time.perf_counter()
    for f in files:
        pattern.findall(f.read_bytes().decode("utf-8"))
    return time.perf_counter() - start


def trafilatura_pass(files: list[Path]) -> float:
    import trafilatura

    start = time.perf_counter()
    for f in files:
        trafilatura.extract(f.read_bytes().decode("utf-8"))
    return time.perf_counter() - start


def chrome_left_by_trafilatura() -> dict | None:
    """Dev pages wrapped in HTML: share of gold boilerplate strings each extractor leaves in."""
    if not SHARED.is_dir():
        return None
    import trafilatura

    from bench.corpus import to_html
    from pipeline.run.steps import process_page

    total = left_traf = left_ours = 0
    for gold_path in sorted((SHARED / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = (SHARED / "raw" / gold.get("source_file", gold_path.stem + ".txt")).read_text(encoding="utf-8")
        page_html = to_html(raw, raw.splitlines()[0])
        extracted = re.sub(r"\s+", "", trafilatura.extract(page_html) or "")
        ours = process_page("p.html", page_html).qset
        ours_text = re.sub(r"\s+", "", ours.model_dump_json() if ours else "")
        for chrome in gold["boilerplate"]:
            c = re.sub(r"\s+", "", chrome)
            total += 1
            left_traf += c in extracted
            left_ours += c.replace('"', '\\"') in ours_text
    return {"strings": total, "trafilatura_left": left_traf, "ours_left": left_ours}


def core_stages(files: list[Path], out: Path, docx: bool = False) -> dict:
    """Our core over the files: per-step seconds from the frame, plus publishing, in one pass."""
    from pipeline.run.ingest import Finish, PageBatch, RawFile, finish, learn, now, process_batch, versions
    from pipeline.run.options import IngestOptions
    from pipeline.store.entries import PreviousEntries

    shutil.rmtree(out, ignore_errors=True)
    os.sync()  # earlier writes and these deletes flushed: each measurement starts from a quiet disk
    raw_root = str(files[0].parent)
    raws = [RawFile(raw_root, f.name, f.stat().st_size) for f in files]
    start = time.perf_counter()
    templates = learn(raws)
    learned, cpu = time.perf_counter(), time.process_time()
    options = IngestOptions(raw=raw_root, out=str(out), docx=docx, bank=False)
    entries, stats, _ = process_batch(PageBatch(raws, templates, {}, options, reuse=False))
    processed, cpu = time.perf_counter(), time.process_time() - cpu
    finish(Finish(options, entries, PreviousEntries(), versions(options), stats, start, now(), []))
    done = time.perf_counter()
    steps = dict(stats.seconds)
    return {"learn": learned - start, "steps": steps, "publish": (processed - learned) - sum(steps.values()),
            "finish": done - processed, "total": done - start, "read_to_json": processed - learned,
            "read_to_json_cpu": cpu}


def bank_pass(out: Path) -> tuple[float, float]:
    from pipeline.bank.index import update_bank
    from pipeline.grammar.words import INIT_SECONDS, tokenizer
    from pipeline.publish import files as publish
    from pipeline.store.storage import LocalStorage

    store = LocalStorage(str(out))
    tokenizer()
    seconds, _ = timed(update_bank, store, publish.published_ids(store))
    return seconds, INIT_SECONDS.get("jieba", 0.0)


def docx_pass(out: Path, sample: int) -> tuple[float, int]:
    from pipeline.publish import files as publish
    from pipeline.publish.docx import render_set
    from pipeline.store.storage import LocalStorage

    store = LocalStorage(str(out))
    sets = publish.load_sets(store, sorted(publish.published_ids(store))[:sample])
    render_set(sets[0])  # template built once per process, as in a run
    seconds, _ = timed(lambda: [render_set(s) for s in sets])
    return seconds, 2 * len(sets)


def peak_rss(raw: Path, out: Path) -> float:
    """Whole-process peak RSS of `ingest` (JSON only), via /usr/bin/time: a forked child would
    report the benchmark's own high-water mark as its ru_maxrss on Linux."""
    shutil.rmtree(out, ignore_errors=True)
    os.sync()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "pipeline", "ingest", str(raw), "--out",
                           str(out), "--no-docx", "--no-bank", "--quiet"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return int(proc.stderr.strip().splitlines()[-1]) / 1024


def flow_runs(raw: Path, repeats: int) -> dict:
    from bench.flow_overhead import start_server

    server, url = start_server(OUT / "bench_prefect_home")
    try:
        env = {**os.environ, "PREFECT_API_URL": url, "PREFECT_HOME": str(OUT / "bench_prefect_home"),
               "PREFECT_LOGGING_LEVEL": "WARNING"}
        code = f"""
import json, os, shutil, time
from distributed import LocalCluster
from pipeline.run.ingest import ingest
from flows.ingest import run
raw = {str(raw)!r}
if __name__ == "__main__":
    # Long-lived clusters, as deployed: started before the runs and warmed by one small run each.
    clusters = {{n: LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
                for n in (1, 2)}}
    for n, cluster in clusters.items():
        run({str(ROOT / "raw")!r}, {str(OUT)!r} + "/flow_warm", runner="dask", dask_address=cluster.scheduler_address,
            docx=False, bank=False)
    res = {{"core": [], "thread": [], "dask1": [], "dask2": [], "existing1": [], "existing2": []}}
    for i in range({repeats}):
        for kind in res:
            out = {str(OUT)!r} + "/flow_" + kind
            shutil.rmtree(out, ignore_errors=True)
            os.sync()  # the deletes and the last run's writes reach the disk before the clock starts
            t = time.perf_counter()
            if kind == "core":
                ingest(raw, out, docx=False, bank=False)
            elif kind == "thread":
                run(raw, out, docx=False, bank=False)
            elif kind.startswith("existing"):
                run(raw, out, runner="dask", dask_address=clusters[int(kind[-1])].scheduler_address, docx=False,
                    bank=False)
            else:
                run(raw, out, runner="dask", workers=int(kind[-1]), docx=False, bank=False)
            res[kind].append(time.perf_counter() - t)
    for cluster in clusters.values():
        cluster.close()
    print(json.dumps(res))
"""
        script = OUT / "flow_runs.py"  # a file, not -c: Dask's worker processes import the main module
        script.write_text(code, encoding="utf-8")
        proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True)
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        os.killpg(server.pid, 15)


def targets(m: dict) -> list[tuple[str, str, bool]]:
    """The benchmark issue's targets, each against this run's own numbers."""
    rss, n = m["rss"], m["pages"]
    growth = rss[n] / rss[1000] - 1
    rows = [
        ("text pages, read → JSON: ≥ 1,000 pages/s and ≥ 1/8 of one regex pass",
         f"{m['text']:,.0f} pages/s, 1/{m['regex'] / m['text']:.0f} of the regex pass",
         m["text"] >= 1000 and m["text"] >= m["regex"] / 8),
        ("HTML pages: ≥ 300 pages/s and faster than trafilatura",
         f"{m['html']:,.0f} pages/s, trafilatura {m['trafilatura']:,.0f}",
         m["html"] >= 300 and m["html"] > m["trafilatura"]),
        ("with jieba keywords: ≥ 250 pages/s", f"{m['keywords']:,.0f} pages/s", m["keywords"] >= 250),
        ("DOCX: ≥ 50 documents/s", f"{m['docx']:,.0f} documents/s", m["docx"] >= 50),
        ("peak RSS < 400 MB, growing < 10% from 1,000 to 10,000 pages",
         f"{rss[1000]:.0f} → {rss[n]:.0f} MB ({100 * growth:+.0f}%)", max(rss.values()) < 400 and growth < 0.10),
    ]
    if m["flow"]:
        f = m["flow"]
        rows += [("the flow adds ≤ 20% to the core's wall time", f"{100 * (f['thread'] / f['core'] - 1):+.0f}%",
                  f["thread"] <= 1.2 * f["core"]),
                 ("2 Dask workers ≥ 1.6× one, on an existing cluster", f"{f['existing1'] / f['existing2']:.2f}×",
                  f["existing1"] / f["existing2"] >= 1.6),
                 ("2 Dask workers ≥ 1.6× one, local cluster started and stopped by each run",
                  f"{f['dask1'] / f['dask2']:.2f}×", f["dask1"] / f["dask2"] >= 1.6)]
    return rows


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--docx-sample", type=int, default=400)
    parser.add_argument("--flow-pages", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-flow", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpus = OUT / f"corpus_{args.pages}"
    if not corpus.is_dir():
        generate(corpus, pages=args.pages, seed=7, html_share=0.3)
    files = sorted(corpus.iterdir())
    txt = [f for f in files if f.suffix == ".txt"]
    html = [f for f in files if f.suffix == ".html"]
    mb = sum(f.stat().st_size for f in files) / 1e6
    rows: list[tuple[str, str, str, str]] = []

    t_floor = floor(files, OUT / "floor")
    rows.append(("floor: read + write back", rate(len(files), t_floor), f"{mb / t_floor:.1f}", "all"))
    t_regex = regex_pass(files)
    rows.append(("one regex pass", rate(len(files), t_regex), f"{mb / t_regex:.1f}", "all"))
    html_mb = sum(f.stat().st_size for f in html) / 1e6
    t_traf = trafilatura_pass(html)
    rows.append(("trafilatura.extract", rate(len(html), t_traf), f"{html_mb / t_traf:.1f}", "HTML"))

    txt_mb = sum(f.stat().st_size for f in txt) / 1e6
    core_txt = core_stages(txt, OUT / "core_txt")
    core_html = core_stages(html, OUT / "core_html")
    for label, res, part, part_mb in (("text", core_txt, txt, txt_mb), ("HTML", core_html, html, html_mb)):
        for step, seconds in res["steps"].items():
            rows.append((f"core {label}: {step}", rate(len(part), seconds), f"{part_mb / seconds:.1f}", label))
        rows.append((f"core {label}: publish JSON", rate(len(part), res["publish"]), "", label))
        rows.append((f"**core {label}: read → JSON**", f"**{rate(len(part), res['read_to_json'])}**",
                     f"{part_mb / res['read_to_json']:.1f}", label))
        rows.append((f"core {label}: read → JSON, CPU time only (disk waits left out)",
                     rate(len(part), res["read_to_json_cpu"]), f"{part_mb / res['read_to_json_cpu']:.1f}", label))
    t_bank, jieba_init = bank_pass(OUT / "core_txt")
    rows.append(("keywords + bank (jieba, MinHash)", rate(len(txt), t_bank), "", "text"))
    with_kw = core_txt["read_to_json"] + t_bank
    rows.append(("**core text with keywords**", f"**{rate(len(txt), with_kw)}**", "", "text"))
    t_docx, docs = docx_pass(OUT / "core_txt", args.docx_sample)
    rows.append(("**DOCX rendering (documents/s)**", f"**{rate(docs, t_docx)}**", "", f"{docs} docs"))

    rss = {}
    for n in (1000, args.pages):
        sub = OUT / f"rss_{n}"
        if not sub.is_dir():
            sub.mkdir(parents=True)
            for f in files[:n]:
                os.link(f, sub / f.name)
        rss[n] = peak_rss(sub, OUT / f"rss_out_{n}")

    flow = None
    if not args.no_flow:
        flow_raw = OUT / f"flow_raw_{args.flow_pages}"
        if not flow_raw.is_dir():
            flow_raw.mkdir(parents=True)
            for f in files[: args.flow_pages]:
                os.link(f, flow_raw / f.name)
        flow = flow_runs(flow_raw, args.repeats)

    chrome = chrome_left_by_trafilatura()
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `python -m bench.run --pages {args.pages}` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{len(files)} generated pages ({len(txt)} text, {len(html)} HTML, {mb:.0f} MB). One process, one core.",
        "",
        "| what | pages/s | MB/s | pages |",
        "|---|---:|---:|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        f"- jieba dictionary load: {jieba_init:.2f} s once per process (not in the rates above).",
        f"- Peak RSS of a whole `ingest` (JSON only): {rss[1000]:.0f} MB at 1,000 pages, "
        f"{rss[args.pages]:.0f} MB at {args.pages:,} pages ({100 * (rss[args.pages] / rss[1000] - 1):+.0f}%).",
    ]
    if chrome:
        lines.append(f"- Chrome left in (dev pages wrapped in HTML, {chrome['strings']} gold boilerplate strings): "
                     f"trafilatura {chrome['trafilatura_left']}, ours {chrome['ours_left']}.")
    med = {k: statistics.median(v) for k, v in flow.items()} if flow else None
    if med:
        lines.append(
            f"- Flow over {args.flow_pages:,} pages against a running Prefect server (medians of {args.repeats}): "
            f"core {med['core']:.2f} s, flow with the thread runner {med['thread']:.2f} s "
            f"({100 * (med['thread'] / med['core'] - 1):+.0f}%); Dask with a local cluster the flow starts and stops: "
            f"1 worker {med['dask1']:.2f} s, 2 workers {med['dask2']:.2f} s ({med['dask1'] / med['dask2']:.2f}×); "
            f"Dask on an existing cluster (started beforehand and warmed by one small run): 1 worker "
            f"{med['existing1']:.2f} s, 2 workers {med['existing2']:.2f} s "
            f"({med['existing1'] / med['existing2']:.2f}×).")
    measured = {"text": len(txt) / core_txt["read_to_json"], "regex": len(files) / t_regex,
                "html": len(html) / core_html["read_to_json"], "trafilatura": len(html) / t_traf,
                "keywords": len(txt) / with_kw, "docx": docs / t_docx, "rss": rss, "pages": args.pages, "flow": med}
    lines += ["", "Against the targets (this run):", "", "| target | measured | met |", "|---|---|---|",
              *(f"| {a} | {b} | {'yes' if ok else '**no**'} |" for a, b, ok in targets(measured))]
    lines.append(f"\nThe whole benchmark took {time.perf_counter() - started:.0f} s.")
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
