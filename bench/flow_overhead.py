"""What the Prefect flow adds to the core's wall time, against a running Prefect server.

    python -m bench.flow_overhead [--pages 2000] [--batch-sizes 50,200,500] [--repeats 3]

Starts `prefect server start` (its own PREFECT_HOME under the work folder), then in one process
times the core (`pipeline.run.ingest.ingest`) and the flow (flow call to flow return) over the same
generated pages, alternating, each into a fresh output folder, and checks the outputs are equal.
The embedded server's own start-up is measured on its own line, not counted in the overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port",
                             str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as reply:
                if reply.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("prefect server did not start within 120 s")


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "runs" not in p.parts and p.name != "manifest.json" and not p.name.startswith(".")}


def measure(raw: Path, work: Path, batch_sizes: list[int], repeats: int) -> dict:
    """Runs in a process whose environment already points at the server."""
    from flows.ingest import run
    from pipeline.run.ingest import ingest

    core_times: list[float] = []
    flow_times: dict[int, list[float]] = {b: [] for b in batch_sizes}
    reference = None
    for i in range(repeats):
        out = work / f"core{i}"
        start = time.perf_counter()
        ingest(str(raw), str(out), docx=False, bank=False)
        core_times.append(time.perf_counter() - start)
        reference = reference or outputs(out)
        for b in batch_sizes:
            out = work / f"flow{b}_{i}"
            start = time.perf_counter()
            run(str(raw), str(out), batch_size=b, docx=False, bank=False)
            flow_times[b].append(time.perf_counter() - start)
            assert outputs(out) == reference, "flow output differs from the core's"
    core = statistics.median(core_times)
    return {
        "core_seconds": [round(t, 3) for t in core_times],
        "core_median": round(core, 3),
        "flow": {b: {"seconds": [round(t, 3) for t in ts], "median": round(statistics.median(ts), 3),
                     "overhead_pct": round(100 * (statistics.median(ts) / core - 1), 1)}
                 for b, ts in flow_times.items()},
    }


def embedded_startup() -> float:
    """Whole-process time of one flow run on a tiny input with the embedded server (DB already created)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PREFECT_HOME": str(Path(tmp) / "home")}
        env.pop("PREFECT_API_URL", None)
        cmd = [sys.executable, "-m", "flows.ingest", str(ROOT / "raw"), "--out", str(Path(tmp) / "out")]
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)  # creates the DB
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
        return round(time.perf_counter() - start, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flow_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--batch-sizes", default="50,200,500")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "flow_overhead")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    raw = args.work / "raw"
    sizes = [int(x) for x in args.batch_sizes.split(",")]
    if args.child:
        print(json.dumps(measure(raw, args.work, sizes, args.repeats)))
        return 0
    if args.work.exists():
        shutil.rmtree(args.work)
    from bench.corpus import generate

    generate(raw, pages=args.pages, seed=3)
    server, url = start_server(args.work / "prefect_home")
    try:
        env = {**os.environ, "PREFECT_API_URL": url, "PREFECT_HOME": str(args.work / "prefect_home")}
        child = subprocess.run([sys.executable, "-m", "bench.flow_overhead", "--child", "--work", str(args.work),
                                "--batch-sizes", args.batch_sizes, "--repeats", str(args.repeats)],
                               cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        result = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        os.killpg(server.pid, 15)
    result["pages"] = args.pages
    result["embedded_server_whole_process_seconds"] = embedded_startup()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
