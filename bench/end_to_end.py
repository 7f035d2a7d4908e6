"""The job users run, end to end: `python -m pipeline ingest` with its defaults (JSON + DOCX + bank).

    python -m bench.end_to_end [--pages 1000] [--large 20000] [--repeat 3] [--write]

On one core (taskset -c 0), in one run: the floor (read each file, write it back) and one regex
pass over the same files, then the command as users run it on two corpora of `--pages` pages:
`distinct` (generated pages, bench/corpus.py) and `repeated` (the five seeds copied, a distinct line
added to each copy, as doc sites repeat documents); each also with `--no-docx --no-bank` (the core);
DOCX and the bank are timed by the default run's own report (its `docx` and `bank` seconds). Then
the default command on `--large` distinct pages for the growth of time per page and the peak RSS.
Every other figure is a whole process (start-up included), timed from outside, into a fresh output
folder once the disk has settled (`settle_disk`); each `--pages` command is the fastest of
`--repeat` runs, the `--large` one runs once. `--write` puts the table in bench/end_to_end.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import ROOT, generate
from bench.run import floor, regex_pass

OUT = ROOT / "bench" / "out" / "end_to_end"
ONE_CORE = ["taskset", "-c", "0"] if shutil.which("taskset") else []


def settle_disk(folder: Path, limit: float = 60.0, per_file: float = 1e-4) -> float:
    """Wait until creating a file in `folder` is quick again; the seconds waited.

    On a disk mounted with `discard` (this machine's root is), deleting many files slows every file
    created for seconds after, while the trims run: a timed run must not pay for the deletions of
    the one before it (the outputs of the last benchmark, removed when this one starts).
    """
    probe = folder / ".settle"
    probe.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        os.sync()
        tick = time.perf_counter()
        for i in range(200):
            (probe / str(i)).write_bytes(b"x" * 4096)
        each = (time.perf_counter() - tick) / 200
        for i in range(200):
            (probe / str(i)).unlink()
        if each < per_file:
            break
        time.sleep(1)
    shutil.rmtree(probe)
    os.sync()
    return time.perf_counter() - start


def repeated(raw: Path, pages: int) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("*.txt"))]
    raw.mkdir(parents=True, exist_ok=True)
    for i in range(pages):
        (raw / f"copy{i:06d}.txt").write_text(seeds[i % len(seeds)] + f"\n本文档编号 {i:06d}\n", encoding="utf-8")


def ingest(raw: Path, out: Path, *flags: str, repeat: int = 1) -> dict:
    """Whole `python -m pipeline ingest` processes into a fresh folder: the fastest of `repeat` (wall
    seconds, peak RSS in MB, its summary, its report's seconds per step). The fastest, as timeit
    reports it: this VM's disk and CPU move from run to run, by up to a fifth, and only ever slow a
    run down."""
    runs = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        settle_disk(OUT)
        cmd = [*ONE_CORE, "/usr/bin/time", "-f", "%M", sys.executable, "-m", "pipeline", "ingest", str(raw),
               "--out", str(out), "--quiet", *flags]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        report = json.loads(max((out / "runs").glob("*.json")).read_text(encoding="utf-8"))
        runs.append({"wall": wall, "rss_mb": int(proc.stderr.strip().splitlines()[-1]) / 1024,
                     "summary": json.loads(proc.stdout), "seconds": report["stats"]["seconds_per_step"]})
    return min(runs, key=lambda r: r["wall"])


def corpus_row(name: str, raw: Path, pages: int, repeat: int) -> dict:
    """The default command, the core alone, and DOCX and the bank as the run report times them (its
    `docx` and `bank` seconds, imports included): a difference of two whole runs is within the noise."""
    full = ingest(raw, OUT / f"{name}_out", repeat=repeat)
    core = ingest(raw, OUT / f"{name}_core", "--no-docx", "--no-bank", repeat=repeat)
    seconds = full["seconds"]
    editions = 2 * full["summary"]["published"]
    return {
        "pages": pages, "published": full["summary"]["published"],
        "default": pages / full["wall"], "default_wall": full["wall"], "rss_mb": full["rss_mb"],
        "core": pages / core["wall"],
        "docx_editions_per_s": editions / seconds["docx"],
        "bank_pages_per_s": pages / seconds["bank"],
    }


TMPFS = Path("/dev/shm")  # the same job with the kernel's file creation out of the way


def timed_run(module: str, raw: Path, out: Path, *flags: str, env: dict | None = None) -> dict:
    """One whole `python -m MODULE RAW --out OUT` process on every core: wall, user and kernel seconds
    (its worker processes included: they are waited for), peak RSS, and its run report."""
    shutil.rmtree(out, ignore_errors=True)
    settle_disk(out.parent)
    command = ["pipeline", "ingest"] if module == "pipeline" else [module]
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-m", *command, str(raw), "--out", str(out), *flags]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})})
    wall, user, kernel, rss = proc.stderr.strip().splitlines()[-1].split()
    report = json.loads(max((out / "runs").glob("*.json")).read_text(encoding="utf-8"))
    return {"wall": float(wall), "user": float(user), "kernel": float(kernel), "rss_mb": int(rss) / 1024,
            "phases": report.get("phases", {}), "worker_mb": report["stats"].get("worker_peak_memory_mb")}


def scale_rows(pages: int, repeat: int) -> dict:
    """The default job (JSON + DOCX + bank) on `pages` distinct pages at 1 worker and at every core, on
    this disk and on tmpfs, and the flow at 1 worker and at its default; the fastest of `repeat` each,
    the configurations alternating within each round so that a slow spell of the VM hits them all."""
    raw = OUT / "scale_raw"
    generate(raw, pages=pages, seed=9, html_share=0.3)
    shm = TMPFS if TMPFS.is_dir() else None
    home = {"PREFECT_HOME": str(OUT / "scale_prefect_home"), "PREFECT_LOGGING_LEVEL": "WARNING"}
    configs = {
        "core, 1 worker, disk": ("pipeline", OUT / "scale_out", ["--quiet", "--workers", "1"], None),
        "core, default, disk": ("pipeline", OUT / "scale_out", ["--quiet"], None),
        "flow, 1 worker, disk": ("flows.ingest", OUT / "scale_flow", ["--quiet", "--workers", "1"], home),
        "flow, default, disk": ("flows.ingest", OUT / "scale_flow", ["--quiet"], home),
        # the flow as the issue measured it: the thread runner parsing in the flow's own process (one core)
        "flow, threads in process, disk": ("flows.ingest", OUT / "scale_flow", ["--quiet", "--workers", "2",
                                                                                "--in-process"], home),
    }
    if shm is not None:
        configs["core, 1 worker, tmpfs"] = ("pipeline", shm / "qset_scale_out", ["--quiet", "--workers", "1"], None)
        configs["core, default, tmpfs"] = ("pipeline", shm / "qset_scale_out", ["--quiet"], None)
    runs: dict[str, list[dict]] = {name: [] for name in configs}
    timed_run("flows.ingest", ROOT / "raw", OUT / "scale_warm", "--quiet", env=home)  # the Prefect home made once
    for _ in range(repeat):
        for name, (module, out, flags, env) in configs.items():
            runs[name].append(timed_run(module, raw, out, *flags, env=env))
    if shm is not None:
        shutil.rmtree(shm / "qset_scale_out", ignore_errors=True)
    return {"pages": pages, "cores": os.cpu_count(), "repeat": repeat,
            "runs": {name: min(found, key=lambda r: r["wall"]) for name, found in runs.items()}}


def render_scale(scale: dict) -> str:
    pages, runs = scale["pages"], scale["runs"]
    lines = [f"Every core (`python -m bench.end_to_end --scale {pages}`): {pages:,} distinct pages, the default job "
             f"(JSON + DOCX + bank), whole processes, the fastest of {scale['repeat']} alternating runs, "
             f"{scale['cores']} cores",
             "", "| run | pages/s | wall | user | kernel | serial part (learn + finish) "
             "| peak RSS (parent / a worker) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in runs.items():
        serial = r["phases"].get("learn", 0) + r["phases"].get("finish", 0) + r["phases"].get("discover", 0)
        lines.append(f"| {name} | {pages / r['wall']:,.0f} | {r['wall']:.2f} s | {r['user']:.2f} s | "
                     f"{r['kernel']:.2f} s | {serial:.2f} s ({serial / r['wall']:.0%}) | "
                     f"{r['rss_mb']:,.0f} MB / {r['worker_mb'] or 0:,.0f} MB |")
    core1, core_n = runs["core, 1 worker, disk"], runs["core, default, disk"]
    flow1, flow_n = runs["flow, 1 worker, disk"], runs["flow, default, disk"]
    threads = runs["flow, threads in process, disk"]
    lines += ["", f"- core: default ÷ 1 worker = **{core1['wall'] / core_n['wall']:.2f}×**; "
              f"flow: default ÷ the thread runner parsing in its own process (the runner the issue measured) = "
              f"**{threads['wall'] / flow_n['wall']:.2f}×**; default ÷ 1 worker process = "
              f"{flow1['wall'] / flow_n['wall']:.2f}×"]
    if "core, default, tmpfs" in runs:
        on_disk = runs["core, default, tmpfs"]["wall"] / core_n["wall"]
        lines.append(f"- the default job on disk runs at **{on_disk:.0%}** of its speed on tmpfs "
                     f"(1 worker: {runs['core, 1 worker, tmpfs']['wall'] / core1['wall']:.0%})")
    serial = sum(core1["phases"].get(k, 0) for k in ("discover", "learn", "finish"))
    startup = core1["wall"] - sum(core1["phases"].values())
    fixed = serial + max(0.0, startup)
    parallel = core1["wall"] - fixed
    projected = {n: pages / (fixed + parallel / n) for n in (2, 8, 16)}
    lines.append(f"- projection, not a measurement (Amdahl, from the 1-worker run: {fixed:.1f} s serial — start-up, "
                 f"learn, finish — and {parallel:.1f} s that the workers share): "
                 + ", ".join(f"{n} cores ≈ {v:,.0f} pages/s" for n, v in projected.items())
                 + f" (measured at {scale['cores']}: {pages / core_n['wall']:,.0f})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.end_to_end", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each 1,000-page command; the fastest counts")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--scale", type=int, default=6000,
                        help="pages of the every-core comparison (0: skip it)")
    parser.add_argument("--only-scale", action="store_true", help="only the every-core comparison")
    args = parser.parse_args(argv)
    shutil.rmtree(OUT, ignore_errors=True)
    if args.only_scale:
        return every_core(args)
    raws = {"distinct": OUT / "distinct", "repeated": OUT / "repeated"}
    generate(raws["distinct"], pages=args.pages, seed=7, html_share=0.3)
    repeated(raws["repeated"], args.pages)
    rows = {}
    for name, raw in raws.items():
        files = sorted(raw.iterdir())
        settle_disk(OUT)
        rows[name] = {"floor": len(files) / floor(files, OUT / f"{name}_floor"),
                      "regex": len(files) / regex_pass(files), **corpus_row(name, raw, len(files), args.repeat)}
    large = OUT / "large"
    generate(large, pages=args.large, seed=8, html_share=0.3)
    big = ingest(large, OUT / "large_out")
    small_per_page = rows["distinct"]["default_wall"] / args.pages
    growth = {"pages": args.large, "default": args.large / big["wall"], "rss_mb": big["rss_mb"],
              "per_page_ratio": (big["wall"] / args.large) / small_per_page}
    table = render(rows, growth, args.pages, args.repeat)
    print(table)
    if args.write:
        (ROOT / "bench" / "end_to_end.md").write_text(table + "\n", encoding="utf-8")
    return every_core(args) if args.scale else 0


def every_core(args: argparse.Namespace) -> int:
    table = render_scale(scale_rows(args.scale, args.repeat))
    print(table)
    if args.write:
        (ROOT / "bench" / "scale.md").write_text(table + "\n", encoding="utf-8")
    return 0


def render(rows: dict, growth: dict, pages: int, repeat: int) -> str:
    lines = [f"`python -m bench.end_to_end` ({pages:,} pages a corpus, one core, whole processes, start-up included, "
             f"the fastest of {repeat} runs)",
             "", "| corpus | floor | one regex pass | default ingest (JSON + DOCX + bank) | ÷ regex | core only "
             "(`--no-docx --no-bank`) | DOCX | bank | peak RSS |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['floor']:,.0f} pages/s | {r['regex']:,.0f} pages/s | {r['default']:,.0f} pages/s "
                     f"| 1/{r['regex'] / r['default']:.0f} | {r['core']:,.0f} pages/s | "
                     f"{r['docx_editions_per_s']:,.0f} editions/s | {r['bank_pages_per_s']:,.0f} pages/s | "
                     f"{r['rss_mb']:,.0f} MB |")
    lines += ["", f"Growth: the default command on {growth['pages']:,} distinct pages ran at {growth['default']:,.0f} "
              f"pages/s, {growth['per_page_ratio']:.2f}× the time per page at {pages:,}, peak RSS "
              f"{growth['rss_mb']:,.0f} MB."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
