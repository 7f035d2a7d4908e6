"""A review page for editors: `python -m pipeline review --clean CLEAN_DIR [--raw RAW_DIR]`.

A local web page (127.0.0.1 only, no account) over a CLEAN_DIR: the sets, those with findings first
(cut previews, count mismatches, questions without answers, answers matched to no question); one set
shows its raw page beside the parsed questions, with the lines cleaning removed marked by rule. An
editor edits a field of a question, drops one, or approves the set: each is stored as a correction
(`pipeline/corrections.py`), shown at once and applied by every later ingest; the student and
answer-key editions download with the corrections applied. FastAPI and Jinja2 (Prefect's own stack).

It is a web server on the editor's machine, and any page the editor's browser opens can send it
requests, so it takes the usual guards (OWASP's CSRF and DNS-rebinding advice): only a loopback
`Host` is served; every POST carries the page's CSRF token and, when the browser sends them, a
same-origin `Origin`/`Referer`/`Sec-Fetch-Site`; bodies and fields have size limits (413); pages
may not be framed and load nothing from elsewhere (CSP). Corrections are read, changed and written
back under a lock (`corrections.update`), so concurrent edits are never lost.
"""

from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import DictLoader, Environment, select_autoescape
from pydantic import ValidationError

from . import corrections, layout, publish
from .confidence import REVIEW_BELOW
from .models import Option, QuestionSet
from .read import decode
from .storage import LocalStorage

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ title }}</title><style>
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
.flag{color:#a01e1e}.ok{color:#2a7a2a}.cols{display:flex;gap:1.5em}.cols>div{flex:1;min-width:0}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.6em;font-size:90%}.removed{background:#fde2e2;text-decoration:line-through}
.q{border:1px solid #ddd;padding:.6em;margin:.6em 0}textarea{width:100%}label{display:block;margin-top:.3em}
.edited{background:#fff3c4}.doubt{background:#ffe9d6}.q.doubt{border-color:#d9822b}
tr.review td:first-child{border-left:4px solid #d9822b}</style>
</head><body>{% block body %}{% endblock %}</body></html>"""

INDEX = """{% extends "page" %}{% block body %}<h1>题集审阅</h1><p>{{ sets|length }} sets in {{ clean }};
{{ to_review }} to review, first below, most doubtful first</p>
<table><tr><th>set</th><th>title</th><th>questions</th><th>findings</th><th>confidence</th><th>why review</th>
<th>approved</th></tr>
{% for s in sets %}<tr{% if s.needs_review %} class="review"{% endif %}>
<td><a href="/set/{{ s.id }}">{{ s.id }}</a></td><td>{{ s.title or "（无标题）" }}</td><td>{{ s.questions }}</td>
<td class="flag">{{ s.findings|join("; ") }}</td><td>{{ s.confidence }}</td>
<td class="flag">{{ s.reasons|join("; ") }}</td>
<td>{% if s.approved %}<span class="ok">✓</span>{% endif %}</td></tr>
{% endfor %}</table>{% endblock %}"""

SET = """{% extends "page" %}{% block body %}<p><a href="/">← all sets</a></p><h1>{{ q.title }}</h1>
<p>{{ q.source.path }} · <a href="/set/{{ q.id }}/docx/student">student edition</a> ·
<a href="/set/{{ q.id }}/docx/answers">answer key</a>
{% if q.approved %} · <span class="ok">approved</span>{% endif %}</p>
{% if q.needs_review %}<p class="flag" id="review">needs review (confidence {{ q.confidence }}):
{{ q.review_reasons|join("; ") }}</p>{% endif %}
{% if q.warnings %}<ul class="flag">{% for w in q.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}
<form method="post" action="/set/{{ q.id }}/approve"><input type="hidden" name="csrf" value="{{ csrf }}">
<button id="approve">Approve this set</button></form>
<div class="cols"><div><h2>Raw page</h2><pre>{% for r in raw %}{% if r.rule %}<span class="removed"
 title="{{ r.rule }}">{{ r.line }}</span> <small>[{{ r.rule }}]</small>{% else %}<span{% if r.anchor %}
 id="raw-{{ r.anchor }}"{% endif %}{% if r.doubt %} class="doubt"{% endif %}>{{ r.line }}</span>{% endif %}
{% endfor %}</pre></div><div><h2>Parsed</h2>{% for s in q.sections %}<h3>{{ s.heading or "" }}</h3>
{% for x in s.questions %}<form class="q{% if x.confidence < review_below %} doubt{% endif %}" method="post"
 action="/set/{{ q.id }}/question/{{ x.id }}" id="q-{{ x.id }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
<b>{{ x.number or "" }}</b> {% if x.edited %}<small class="edited">edited: {{ x.edited|join(", ") }}</small>{% endif %}
{% if x.confidence < 1 %}<small class="doubt">confidence {{ x.confidence }}</small>{% endif %}
{% if x.id in located %}<a class="to-raw" href="#raw-{{ x.id }}">raw lines</a>{% endif %}
<label>stem<textarea name="stem" rows="3">{{ x.stem }}</textarea></label>
{% if x.options %}<label>options, one a line<textarea name="options" rows="{{ x.options|length }}">
{%- for o in x.options %}{{ o.label }}. {{ o.text }}{% if not loop.last %}
{% endif %}{% endfor %}</textarea></label>{% endif %}
<label>answer<textarea name="answer" rows="2">{{ x.answer or "" }}</textarea></label>
<label>analysis<textarea name="analysis" rows="2">{{ x.analysis or "" }}</textarea></label>
<label>score <input name="score" value="{{ x.score if x.score is not none else "" }}" size="4"></label>
<label><input type="checkbox" name="drop" value="1"> drop this question</label>
<label><input type="checkbox" name="merge" value="1"> merge into the question before (a stem split in two)</label>
<button>Save</button></form>{% endfor %}{% endfor %}</div></div>{% endblock %}"""

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})  # DNS rebinding: any other name is refused
MAX_BODY = 256 * 1024  # one question's form, all fields together
MAX_FIELD = 64 * 1024  # one field: a stem or an analysis is a few KB at most
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEMPLATES = Environment(loader=DictLoader({"page": PAGE, "index": INDEX, "set": SET}),
                        autoescape=select_autoescape(default=True))


MISMATCHES = ("count_mismatch", "total_mismatch", "score_sum_mismatch")  # validate.py's warning kinds


def findings(qset: QuestionSet) -> list[str]:
    """What an editor should look at first."""
    found = ["cut preview"] if qset.truncated else []
    found += [w.split(":", 1)[0] for w in qset.warnings if w.startswith(MISMATCHES)]
    missing = sum(1 for q in qset.questions() if not q.answer)
    if missing:
        found.append(f"{missing} without answers")
    if any(w.startswith("answer_unmatched") for w in qset.warnings):
        found.append("unmatched answers")
    return found


PROBE = 8  # characters of a stem that find its line in the raw page


def located(qset: QuestionSet, lines: list[tuple[str, str | None]]) -> list[dict]:
    """The raw lines, each question's first line anchored to it (`raw-<id>`) and the lines of a question
    the confidence doubts marked, so a click on a question shows its raw lines."""
    rows = [{"line": line, "rule": rule, "anchor": None, "doubt": False} for line, rule in lines]
    squeezed = ["".join(line.split()) if rule is None else "" for line, rule in lines]
    starts: list[tuple[int, bool]] = []  # (its first line, doubted)
    at = 0
    for q in qset.questions():
        probe = "".join(q.stem.split())[:PROBE]
        found = next((i for i in range(at, len(rows)) if probe and probe in squeezed[i]), None)
        if found is None:
            continue
        rows[found]["anchor"] = rows[found]["anchor"] or q.id
        starts.append((found, q.confidence < REVIEW_BELOW))
        at = found + 1
    for k, (first, doubted) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(rows)
        for row in rows[first:end] if doubted else ():
            row["doubt"] = row["rule"] is None
    return rows


def parse_options(text: str) -> list[Option]:
    """'A. 文本' lines as options (the label is what comes before the first '.', else the first space)."""
    options = []
    for line in text.splitlines():
        label, sep, rest = line.strip().partition(".")
        if not sep:
            label, _, rest = line.strip().partition(" ")
        if label:
            options.append(Option(label=label.strip(), text=rest.strip()))
    return options


def host_name(host: str) -> str:
    """`127.0.0.1:8765` → `127.0.0.1`, `[::1]:8765` → `[::1]`."""
    return host if host.endswith("]") else host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def refusal(request: Request) -> tuple[int, str] | None:
    """Why a request must not be served (status, reason), or None: the Host is not loopback, or a
    POST comes from another site (its Origin/Referer names another host, or the browser says so)."""
    host = request.headers.get("host", "")
    if host_name(host).lower() not in LOOPBACK_HOSTS:
        return 400, "this review page answers only to a loopback Host (127.0.0.1, localhost)"
    if request.method != "POST":
        return None
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return 403, "cross-site request refused"
    for header in ("origin", "referer"):
        value = request.headers.get(header)
        if value is not None:
            if urlsplit(value).netloc.lower() != host.lower():
                return 403, f"cross-origin request refused ({header} {value[:80]!r})"
            break  # Origin, when present, decides; Referer only when there is no Origin
    length = request.headers.get("content-length", "0")
    if not length.isdigit() or int(length) > MAX_BODY:
        return 413, f"a request body may have at most {MAX_BODY} bytes"
    return None


async def read_form(request: Request, token: str) -> dict[str, str]:
    """The POSTed form: at most MAX_BODY bytes however it is sent, UTF-8, fields within MAX_FIELD,
    and the page's CSRF token in it; else an HTTP error that says which."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, f"a request body may have at most {MAX_BODY} bytes")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=32)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, f"the form is not UTF-8 form data ({exc.__class__.__name__})") from None
    form = {k: v[0] for k, v in fields.items()}
    if not hmac.compare_digest(form.pop("csrf", "").encode(), token.encode()):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    too_long = [k for k, v in form.items() if len(v.encode("utf-8")) > MAX_FIELD]
    if too_long:
        raise HTTPException(413, f"field {too_long[0]!r} is over {MAX_FIELD} bytes")
    return form


def parse_score(text: str) -> float | None:
    """A score as typed: empty is none; anything else must be a finite number (NaN is not JSON)."""
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise HTTPException(400, f"score {text!r} is not a number") from None
    if not math.isfinite(value):
        raise HTTPException(400, f"score {text!r} is not a finite number")
    return value


def create_app(clean: str, raw: str = "raw") -> FastAPI:
    store = LocalStorage(clean)
    token = secrets.token_urlsafe(32)  # one per server: only pages this server rendered carry it
    app = FastAPI(title="qset review", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        refused = refusal(request)
        response = PlainTextResponse(refused[1], refused[0]) if refused else await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def published(set_id: str) -> QuestionSet:
        data = store.read_if_exists(layout.set_rel(set_id)) if layout.is_set_id(set_id) else None
        if data is None:
            raise HTTPException(404, f"no set {set_id}")
        return QuestionSet.model_validate_json(data)

    def current(set_id: str) -> QuestionSet:
        """The published set with the corrections saved since (what the next ingest will publish); a
        corrections file that cannot be read is a warning of this set only."""
        qset = published(set_id)
        try:
            correction, _ = corrections.load(store, set_id)
        except ValueError as exc:
            problem = f"correction: {layout.correction_rel(set_id)} cannot be read ({exc}): fix or remove it"
            return qset.model_copy(update={"warnings": [*qset.warnings, problem]})
        return corrections.apply(qset, correction) if correction else qset

    def change(set_id: str, edit: Callable[[corrections.SetCorrection], None]) -> None:
        try:
            corrections.update(store, set_id, edit)
        except ValueError as exc:  # never overwrite a file an editor may still want
            raise HTTPException(409, f"{layout.correction_rel(set_id)} cannot be read ({exc}): fix or remove "
                                     f"it first") from None

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        rows = []
        for name in store.list_dir(layout.SETS):
            if not (name.endswith(".json") and layout.is_set_id(name[:-5])):
                continue
            try:
                qset = current(name[:-5])
            except ValidationError:
                rows.append({"id": name[:-5], "title": None, "questions": 0, "approved": False, "needs_review": True,
                             "confidence": 0.0, "reasons": [],
                             "findings": ["the published JSON cannot be read: run ingest again"]})
                continue
            rows.append({"id": qset.id, "title": qset.title, "questions": len(qset.questions()),
                         "findings": findings(qset), "approved": qset.approved,
                         "needs_review": qset.needs_review and not qset.approved, "confidence": qset.confidence,
                         "reasons": qset.review_reasons})
        # the queue: sets to review first, most doubtful first; then the others by their findings
        rows.sort(key=lambda r: (not r["needs_review"], r["confidence"], -len(r["findings"]), r["title"] or "",
                                 r["id"]))
        return TEMPLATES.get_template("index").render(title="题集审阅", sets=rows, clean=clean,
                                                      to_review=sum(r["needs_review"] for r in rows))

    @app.get("/set/{set_id}", response_class=HTMLResponse)
    def one_set(set_id: str) -> str:
        qset = current(set_id)
        raw = located(qset, raw_lines(qset))
        return TEMPLATES.get_template("set").render(title=qset.title or set_id, q=qset, raw=raw, csrf=token,
                                                    review_below=REVIEW_BELOW,
                                                    located={r["anchor"] for r in raw if r["anchor"]})

    def raw_lines(qset: QuestionSet) -> list[tuple[str, str | None]]:
        path = Path(raw) / qset.source.path
        removed: dict[str, list[str]] = {}  # removed text → its rules, one per time it was removed
        for row in publish.removals_of(store, qset.id):
            removed.setdefault(row["text"], []).append(row["rule"])
        try:
            text, _ = decode(path.read_bytes())
        except OSError:
            return [(f"(the raw page {path} cannot be read here)", None)]
        marked = []
        for line in text.splitlines():
            rules = removed.get(line.strip())
            marked.append((line, rules.pop(0) if rules else None))
        return marked

    @app.post("/set/{set_id}/question/{question_id}")
    async def edit(set_id: str, question_id: str, request: Request) -> RedirectResponse:
        form = await read_form(request, token)
        before = next((q for q in current(set_id).questions() if q.id == question_id), None)
        if before is None:
            raise HTTPException(404, f"no question {question_id} in set {set_id}")
        changes: dict[str, object] = {"drop": form.get("drop") == "1", "merge_into_previous": form.get("merge") == "1"}
        if "options" in form:
            options = parse_options(form["options"])
            if [(o.label, o.text) for o in options] != [(o.label, o.text) for o in before.options]:
                changes["options"] = options
        for name in ("stem", "answer", "analysis"):
            value = form.get(name, "").strip() or None
            if name in form and value != getattr(before, name):
                changes[name] = value
        if form.get("score", "").strip() != ("" if before.score is None else f"{before.score:g}"):
            changes["score"] = parse_score(form.get("score", ""))

        def edit_question(correction: corrections.SetCorrection) -> None:
            fix = correction.questions.get(question_id, corrections.QuestionCorrection())
            values = {**{k: getattr(fix, k) for k in fix.model_fields_set}, **changes}
            correction.questions[question_id] = corrections.QuestionCorrection(**values)

        change(set_id, edit_question)
        return RedirectResponse(f"/set/{set_id}#q-{question_id}", status_code=303)

    @app.post("/set/{set_id}/approve")
    async def approve(set_id: str, request: Request) -> RedirectResponse:
        await read_form(request, token)
        published(set_id)

        def approved(correction: corrections.SetCorrection) -> None:
            correction.approved = True

        change(set_id, approved)
        return RedirectResponse(f"/set/{set_id}", status_code=303)

    @app.get("/set/{set_id}/docx/{edition}")
    def docx(set_id: str, edition: str) -> Response:
        from .render_docx import render_set

        if edition not in ("student", "answers"):
            raise HTTPException(404, edition)
        answers = edition == "answers"
        name = Path(layout.docx_rels(set_id)[answers]).name  # the file name a run publishes it under
        return Response(render_set(current(set_id))[answers], media_type=DOCX_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return app


def serve(clean: str, raw: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(clean, raw), host="127.0.0.1", port=port, log_level="warning")
