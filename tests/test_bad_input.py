"""Bad input never stops a run: each page gets a manifest entry with a clear reason."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, load_manifest, write_pages

GOOD = "1.请说明A的作用?\n答案:甲\n"
BAD = {
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n  ",
    "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "random.txt": os.urandom(4096),
    "nohtmltext.html": b"<html><head><script>var a=1;</script></head><body><div> </div></body></html>",
    "article.txt": "这是一篇普通的文章。\n没有任何题目。\n".encode(),
    "picture.png": b"\x89PNG\r\n\x1a\n0000",
}
REASONS = {
    "empty.txt": "empty",
    "blank.txt": "empty",
    "image.txt": "binary",
    "random.txt": ("binary", "undecodable"),
    "nohtmltext.html": "no_text",
    "article.txt": "no_questions",
    "picture.png": "unsupported_type",
    "huge.txt": "too_large",
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    write_pages(raw, {**BAD, "good.txt": GOOD.encode("utf-8")}, huge_mb=50)  # huge.txt: refused unread
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    return proc, load_manifest(out), out


def test_run_exits_zero_and_publishes_the_good_page(bad_run):
    proc, manifest, out = bad_run
    assert proc.returncode == 0, proc.stderr
    statuses = {e["path"]: e["status"] for e in manifest["pages"]}
    assert statuses.pop("good.txt") == "published"
    assert set(statuses.values()) == {"rejected"}
    assert len(list((out / "json").glob("*.json"))) == 1


@pytest.mark.parametrize("name", sorted(REASONS))
def test_each_bad_page_has_its_reason(bad_run, name):
    _, manifest, _ = bad_run
    entry = next(e for e in manifest["pages"] if e["path"] == name)
    assert entry["status"] == "rejected"
    code = entry["reason"].split(":", 1)[0]
    expected = REASONS[name]
    assert code in (expected if isinstance(expected, tuple) else (expected,)), entry["reason"]
    assert len(entry["reason"]) > len(code) + 5  # a reason a person can read


def test_no_temp_files_left(bad_run):
    _, _, out = bad_run
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_bad_arguments_exit_non_zero(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(tmp_path / "missing"), "--out",
                           str(tmp_path / "o")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "not found" in proc.stderr
