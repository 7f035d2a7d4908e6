"""Pages that once ran past every limit, measured: `python -m bench.limits [--write]`.

Each case is a raw folder of its own (the seeds plus the case's pages) ingested by
`python -m pipeline ingest` with the default limits (--page-timeout 10, --page-memory 1024,
--max-bytes 20 MiB). For each: wall seconds, what became of the case's pages, the command's own peak
resident memory and the largest peak of its worker processes (getrusage of the command and of its
reaped children: a worker killed at a page's limit included). `--write` puts the table
in bench/limits.md, which the README quotes.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(paragraphs: list[str], numbering: str = "") -> bytes:
    body = "".join(p if p.startswith("<w:p>") else f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
        if numbering:
            archive.writestr("word/numbering.xml", numbering)
    return buffer.getvalue()


def roman_list() -> dict[str, bytes]:
    numbering = (f'<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                 '<w:start w:val="1000000000000000"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/>'
                 '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    item = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t>说明</w:t></w:r></w:p>')
    return {"roman.docx": docx(["练习卷", item, "1.下列说法正确的是？A.甲 B.乙 答案:A"], numbering)}


def big_docx() -> dict[str, bytes]:
    """About 9 MB packed (the size that once peaked at 1.58 GB): a bank exported from Word, its
    stems varied enough that deflate packs them only about 3:1."""
    rng = random.Random(7)
    common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    rows = [f"{i}.{''.join(rng.choices(common, k=40))}？A.争辩 B.倾听 C.挂断 D.转接 答案:B" for i in range(1, 176_000)]
    return {"bank.docx": docx(["题库", *rows])}


def spaces(megabytes: int) -> Callable[[], dict[str, bytes]]:
    return lambda: {f"spaces{megabytes}.txt": ("练习\n1.下列说法正确的是?" + " " * (megabytes << 20) + "x\n").encode()}


def many_big_pages() -> dict[str, bytes]:
    """Long articles: one question, then paragraphs (each page distinct from the first line on)."""
    prose = "".join(f"第{i}段：客户服务的要点在于倾听、复述与跟进，每次沟通都应留下记录。\n" for i in range(1, 230_000))
    return {f"big{n:02}.txt": (f"练习{n}\n1.客户投诉时首先应该做什么？\n答案:倾听\n" + prose).encode()[: 15 << 20]
            for n in range(20)}


CASES: dict[str, Callable[[], dict[str, bytes]]] = {
    "5 MB of spaces on one line": spaces(5),
    "19 MB of spaces on one line": spaces(19),
    "1 KB DOCX, list numbered from 10^15 in roman numerals": roman_list,
    "a DOCX of about 9 MB (176,000 paragraphs)": big_docx,
    "20 pages of 15 MB": many_big_pages,
}


# The ingest command in a process that then reports its own peak and its reaped workers' (one of them
# may have been killed at a page's limit: the run report cannot know that one's peak).
PEAKS = """
import json, resource, sys
from pipeline.__main__ import main
from pipeline.run import isolate
code = main(["ingest", *sys.argv[1:]])
isolate.close_workers()
peak = lambda who: resource.getrusage(who).ru_maxrss
print(json.dumps({"command": peak(resource.RUSAGE_SELF), "workers": peak(resource.RUSAGE_CHILDREN), "code": code}),
      file=sys.stderr)
"""


def measure(name: str, make: Callable[[], dict[str, bytes]], work: Path) -> dict:
    raw, out = work / "raw", work / "out"
    shutil.copytree(RAW, raw)
    pages = make()
    for file_name, data in pages.items():
        (raw / file_name).write_bytes(data)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAKS, str(raw), "--out", str(out), "--quiet", "--no-bank"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peaks = json.loads(proc.stderr.strip().splitlines()[-1])
    rows = [json.loads(line.rstrip(",\n")) for line in (out / "manifest.json").read_text().splitlines()
            if line.startswith('{"path"')]
    outcome = {}
    for row in rows:
        if row["path"] in pages:
            what = row["status"] if row["status"] != "rejected" else row["reason"].split(":")[0]
            outcome[what] = outcome.get(what, 0) + 1
    return {"case": name, "size": sum(map(len, pages.values())), "seconds": round(seconds, 1),
            "outcome": ", ".join(f"{k} {v}" for k, v in sorted(outcome.items())),
            "parent_mb": round(peaks["command"] / 1024), "workers_mb": round(peaks["workers"] / 1024),
            "exit": proc.returncode}


def table(results: list[dict]) -> str:
    lines = ["| case | bytes | seconds | the case's pages | command's peak RSS | largest worker's peak RSS |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['case']} | {r['size']:,} | {r['seconds']} | {r['outcome']} | {r['parent_mb']} MB | "
              f"{r['workers_mb']} MB |" for r in results]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write the table to bench/limits.md")
    args = ap.parse_args(argv)
    results = []
    for name, make in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            results.append(measure(name, make, Path(tmp)))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    text = table(results)
    print(text)
    if args.write:
        (ROOT / "bench" / "limits.md").write_text(
            "# Pages that once ran past every limit (`python -m bench.limits --write`)\n\n"
            "Default limits: --page-timeout 10 s, --page-memory 1024 MB, --max-bytes 20 MiB; the seeds "
            "are ingested beside each case.\n\n" + text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
