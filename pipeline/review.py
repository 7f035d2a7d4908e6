"""A review page for editors: `python -m pipeline review --clean CLEAN_DIR [--raw RAW_DIR]`.

A local web page (127.0.0.1 only, no account) over a CLEAN_DIR: the sets, those with findings first
(cut previews, count mismatches, questions without answers, answers matched to no question); one set
shows its raw page beside the parsed questions, with the lines cleaning removed marked by rule. An
editor edits a field of a question, drops one, or approves the set: each is stored as a correction
(`pipeline/corrections.py`), shown at once and applied by every later ingest; the student and
answer-key editions download with the corrections applied. FastAPI and Jinja2 (Prefect's own stack).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import DictLoader, Environment, select_autoescape

from . import corrections, layout
from .models import Option, QuestionSet
from .read import decode
from .storage import LocalStorage

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ title }}</title><style>
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
.flag{color:#a01e1e}.ok{color:#2a7a2a}.cols{display:flex;gap:1.5em}.cols>div{flex:1;min-width:0}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.6em;font-size:90%}.removed{background:#fde2e2;text-decoration:line-through}
.q{border:1px solid #ddd;padding:.6em;margin:.6em 0}textarea{width:100%}label{display:block;margin-top:.3em}
.edited{background:#fff3c4}</style></head><body>{% block body %}{% endblock %}</body></html>"""

INDEX = """{% extends "page" %}{% block body %}<h1>题集审阅</h1><p>{{ sets|length }} sets in {{ clean }}</p>
<table><tr><th>set</th><th>title</th><th>questions</th><th>findings</th><th>approved</th></tr>
{% for s in sets %}<tr><td><a href="/set/{{ s.id }}">{{ s.id }}</a></td><td>{{ s.title or "（无标题）" }}</td>
<td>{{ s.questions }}</td>
<td class="flag">{{ s.findings|join("; ") }}</td><td>{% if s.approved %}<span class="ok">✓</span>{% endif %}</td></tr>
{% endfor %}</table>{% endblock %}"""

SET = """{% extends "page" %}{% block body %}<p><a href="/">← all sets</a></p><h1>{{ q.title }}</h1>
<p>{{ q.source.path }} · <a href="/set/{{ q.id }}/docx/student">student edition</a> ·
<a href="/set/{{ q.id }}/docx/answers">answer key</a>
{% if q.approved %} · <span class="ok">approved</span>{% endif %}</p>
{% if q.warnings %}<ul class="flag">{% for w in q.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}
<form method="post" action="/set/{{ q.id }}/approve"><button id="approve">Approve this set</button></form>
<div class="cols"><div><h2>Raw page</h2><pre>{% for line, rule in raw %}{% if rule %}<span class="removed"
 title="{{ rule }}">{{ line }}</span> <small>[{{ rule }}]</small>{% else %}{{ line }}{% endif %}
{% endfor %}</pre></div><div><h2>Parsed</h2>{% for s in q.sections %}<h3>{{ s.heading or "" }}</h3>
{% for x in s.questions %}<form class="q" method="post" action="/set/{{ q.id }}/question/{{ x.id }}" id="q-{{ x.id }}">
<b>{{ x.number or "" }}</b> {% if x.edited %}<small class="edited">edited: {{ x.edited|join(", ") }}</small>{% endif %}
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


def create_app(clean: str, raw: str = "raw") -> FastAPI:
    store = LocalStorage(clean)
    app = FastAPI(title="qset review", docs_url=None, redoc_url=None, openapi_url=None)

    def current(set_id: str) -> QuestionSet:
        """The published set with the corrections saved since (what the next ingest will publish)."""
        data = None if "/" in set_id else store.read_if_exists(layout.set_rel(set_id))
        if data is None:
            raise HTTPException(404, f"no set {set_id}")
        qset = QuestionSet.model_validate_json(data)
        correction, _ = corrections.load(store, set_id)
        return corrections.apply(qset, correction) if correction else qset

    def correction_of(set_id: str) -> corrections.SetCorrection:
        return corrections.load(store, set_id)[0] or corrections.SetCorrection(set_id=set_id)

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        rows = []
        for name in store.list_dir(layout.SETS):
            if name.endswith(".json") and not name.startswith("."):
                qset = current(name[:-5])
                rows.append({"id": qset.id, "title": qset.title, "questions": len(qset.questions()),
                             "findings": findings(qset), "approved": qset.approved})
        rows.sort(key=lambda r: (-len(r["findings"]), r["title"] or "", r["id"]))
        return TEMPLATES.get_template("index").render(title="题集审阅", sets=rows, clean=clean)

    @app.get("/set/{set_id}", response_class=HTMLResponse)
    def one_set(set_id: str) -> str:
        qset = current(set_id)
        return TEMPLATES.get_template("set").render(title=qset.title or set_id, q=qset, raw=raw_lines(qset))

    def raw_lines(qset: QuestionSet) -> list[tuple[str, str | None]]:
        path = Path(raw) / qset.source.path
        removed_data = store.read_if_exists(layout.removed_rel(qset.id))
        removed: dict[str, list[str]] = {}  # removed text → its rules, one per time it was removed
        for row in json.loads(removed_data)["removed"] if removed_data else []:
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
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8"), keep_blank_values=True).items()}
        before = next((q for q in current(set_id).questions() if q.id == question_id), None)
        if before is None:
            raise HTTPException(404, f"no question {question_id} in set {set_id}")
        correction = correction_of(set_id)
        fix = correction.questions.get(question_id, corrections.QuestionCorrection())
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
            try:
                changes["score"] = float(form["score"]) if form.get("score", "").strip() else None
            except ValueError:
                raise HTTPException(400, f"score {form['score']!r} is not a number") from None
        values = {**{k: getattr(fix, k) for k in fix.model_fields_set}, **changes}
        correction.questions[question_id] = corrections.QuestionCorrection(**values)
        corrections.save(store, correction)
        return RedirectResponse(f"/set/{set_id}#q-{question_id}", status_code=303)

    @app.post("/set/{set_id}/approve")
    def approve(set_id: str) -> RedirectResponse:
        current(set_id)
        correction = correction_of(set_id)
        correction.approved = True
        corrections.save(store, correction)
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
