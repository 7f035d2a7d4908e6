"""The review page is a web server on an editor's machine, and every web site that editor visits can
send it requests. Each test here is an attack or an accident that once changed or lost published
work, sent as a real HTTP request to a real server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import ROOT

PAGE = "服务礼仪练习\n一、单项选择题\n" + "".join(
    f"{i}.客户第{i}次投诉时首先应该做什么？\nA.争辩{i} B.倾听{i} C.挂断{i} D.转接{i}\n答案:B\n" for i in range(1, 13))


def ingest(raw: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--quiet",
                           "--no-bank", "--no-docx"], cwd=ROOT, capture_output=True, text=True, timeout=300)


def start_server(out: Path, raw: Path, **app_options):
    import uvicorn

    from pipeline.review.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(out), str(raw), **app_options), host="127.0.0.1", port=port,
                                        log_level="critical"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return srv, thread, f"http://127.0.0.1:{port}"


def token_of(client: httpx.Client, set_id: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(f"/set/{set_id}").text).group(1)


@pytest.fixture
def server(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "choice.txt").write_text(PAGE, encoding="utf-8")
    assert ingest(raw, out).returncode == 0
    srv, thread, base = start_server(out, raw)
    (path,) = (out / "json").iterdir()
    qset = json.loads(path.read_text(encoding="utf-8"))
    with httpx.Client(base_url=base, timeout=30) as client:
        yield {"client": client, "base": base, "out": out, "raw": raw, "qset": qset,
               "token": token_of(client, qset["id"])}
    srv.should_exit = True
    thread.join(timeout=10)


def correction_file(s) -> Path:
    return s["out"] / "corrections" / f"{s['qset']['id']}.json"


def first_question(s) -> dict:
    return s["qset"]["sections"][0]["questions"][0]


def edit_url(s) -> str:
    return f"/set/{s['qset']['id']}/save"


def edit(s, field: str, value: str, question: dict | None = None) -> dict[str, str]:
    """The form fields that change one field of a question (what the page posts: the value as typed
    and as it was shown)."""
    q = question or first_question(s)
    shown = "" if q.get(field) is None else str(q[field])
    return {f"{q['id']}.{field}": value, f"{q['id']}.{field}.was": shown}


def test_a_cross_origin_form_post_changes_nothing(server):
    """Any site the editor visits can POST a form here (CSRF): an Origin that is not this page's, a
    browser that says cross-site, or a form without the page's token is refused before it is read."""
    c, url = server["client"], f"/set/{server['qset']['id']}/approve"
    token = server["token"]
    assert c.post(url, data={"csrf": token}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert c.post(url, data={"csrf": token}, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert c.post(url, data={"csrf": token}, headers={"Referer": "http://evil.example/x"}).status_code == 403
    assert c.post(url, data={}).status_code == 403
    assert c.post(url, data={"csrf": "guess"}).status_code == 403
    assert c.post(edit_url(server), data={"csrf": token, **edit(server, "answer", "C")},
                  headers={"Origin": "http://evil.example"}).status_code == 403
    assert not correction_file(server).exists()
    same_origin = c.post(url, data={"csrf": token}, headers={"Origin": server["base"]})
    assert same_origin.status_code == 303 and json.loads(correction_file(server).read_text())["approved"]


def test_only_a_loopback_host_is_served_and_pages_cannot_be_framed(server):
    """DNS rebinding: a name the attacker controls resolves to 127.0.0.1, and its pages then read
    ours as same-origin. Only loopback Host names are answered."""
    c = server["client"]
    assert c.get("/", headers={"Host": "evil.example:8765"}).status_code == 400
    assert c.post(f"/set/{server['qset']['id']}/approve", data={"csrf": server["token"]},
                  headers={"Host": "evil.example"}).status_code == 400
    page = c.get("/", headers={"Host": "localhost"})
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_a_large_body_is_refused_before_it_is_stored(server):
    """A 300 MB form was once stored as a correction, and the next ingest timed the page out and
    deleted its outputs: bodies and fields are limited (413) whether or not a length is declared."""
    from pipeline.review.app import MAX_BODY, MAX_FIELD

    c, token = server["client"], server["token"]
    big = c.post(edit_url(server), content=b"csrf=" + token.encode() + b"&x.stem=" + b"x" * (MAX_BODY + 10),
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413

    def chunks():
        yield b"csrf=" + token.encode() + b"&x.stem="
        for _ in range(MAX_BODY // 16384 + 4):
            yield b"y" * 16384

    streamed = c.post(edit_url(server), content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413
    field = c.post(edit_url(server), data={"csrf": token, **edit(server, "stem", "z" * (MAX_FIELD + 1))})
    assert field.status_code == 413
    assert not correction_file(server).exists()


def test_bad_form_values_are_refused_never_500_and_never_stored(server):
    """Invalid UTF-8 is a client error (400); `nan`/`inf` are not numbers JSON can hold: the page comes
    back (422) with the error beside the score, nothing stored."""
    c, token = server["client"], server["token"]
    raw_body = b"csrf=" + token.encode() + b"&x.stem=%FF%FE"
    bad = c.post(edit_url(server), content=raw_body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert bad.status_code == 400
    for score in ("nan", "inf", "-Infinity"):
        refused = c.post(edit_url(server), data={"csrf": token, **edit(server, "score", score)})
        assert refused.status_code == 422 and f'id="error-{first_question(server)["id"]}.score"' in refused.text
    assert not correction_file(server).exists()


def test_a_correction_file_naming_another_set_is_never_followed(server):
    """The file name is the set id. A file inside that names `../../../PWNED` once made an approve
    write outside CLEAN_DIR: it is refused (409), shown as the set's finding, never applied."""
    target = correction_file(server)
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps({"set_id": "../../../PWNED", "approved": True}), encoding="utf-8")
    c = server["client"]
    assert c.post(f"/set/{server['qset']['id']}/approve", data={"csrf": server["token"]}).status_code == 409
    assert not list(server["out"].parent.rglob("PWNED*"))
    assert "cannot be read" in c.get(f"/set/{server['qset']['id']}").text
    proc = ingest(server["raw"], server["out"])
    qset = json.loads((server["out"] / "json" / f"{server['qset']['id']}.json").read_text(encoding="utf-8"))
    assert proc.returncode == 0 and not qset["approved"]
    assert any("names set" in w for w in qset["warnings"])
    assert c.get("/set/..%2F..%2Fx").status_code == 404


def test_one_malformed_correction_costs_only_its_own_set(server):
    """The index lists every set; a hand-broken corrections file is that set's finding, not a 500."""
    target = correction_file(server)
    target.parent.mkdir(exist_ok=True)
    target.write_text("{not json", encoding="utf-8")
    index = server["client"].get("/")
    assert index.status_code == 200 and server["qset"]["id"] in index.text
    page = server["client"].get(f"/set/{server['qset']['id']}")
    assert page.status_code == 200 and "cannot be read" in page.text


def test_concurrent_edits_and_approvals_lose_nothing(server):
    """Each request reads, changes and writes the set's corrections file: without a lock two at once
    lose one of them although both answer 303. Two review pages on one CLEAN_DIR (two editors, or a
    page left open in another terminal) take turns with the requests."""
    sid = server["qset"]["id"]
    questions = server["qset"]["sections"][0]["questions"]
    other, thread, base = start_server(server["out"], server["raw"])
    try:
        with httpx.Client(base_url=base, timeout=30) as second:
            pages = [(server["client"], server["token"]), (second, token_of(second, sid))]

            def send(i: int) -> int:
                c, token = pages[i % 2]
                if i == len(questions):
                    return c.post(f"/set/{sid}/approve", data={"csrf": token}).status_code
                return c.post(f"/set/{sid}/save", data={"csrf": token, **edit(
                    server, "analysis", f"analysis {i}", questions[i])}).status_code

            with ThreadPoolExecutor(8) as pool:  # each question edited once, the set approved once, all at once
                codes = list(pool.map(send, range(len(questions) + 1)))
    finally:
        other.should_exit = True
        thread.join(timeout=10)
    assert set(codes) == {303}
    stored = json.loads(correction_file(server).read_text(encoding="utf-8"))
    assert stored["approved"]
    assert {qid: v["analysis"] for qid, v in stored["questions"].items()} == {
        q["id"]: f"analysis {i}" for i, q in enumerate(questions)}
