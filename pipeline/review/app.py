"""A review page for editors: `python -m pipeline review --clean CLEAN_DIR [--raw RAW_DIR] [--editor NAME]`.

A local web page (127.0.0.1 only, no account) over a CLEAN_DIR, in Chinese (English by `?lang=en`
or the browser's Accept-Language; the words are in `review_words.py`). The index is the review
queue: sets that need review first, most doubtful first, with their reasons, then the others; it can
be searched (title, source file, set id) and filtered (site, state, a finding, a least confidence).
One set shows its raw page beside the parsed questions, each in its own scrolling column: removed
lines are marked by rule, a question's "raw lines" link shows where it stands, and the question that
caused the flag is marked. Every question of the set is edited in one form saved in one action: a
value that cannot be stored (a score that is no number, an option line without its letter) is shown
beside its field with everything typed kept, and nothing is stored until the whole form is right.
Each change is stored as a correction (`pipeline/review/corrections.py`), shown at once (findings read
again from the corrected records) and applied by every later ingest; approval records when (and
who, with `--editor`) and can be withdrawn; the student and answer-key editions download with the
corrections applied. FastAPI and Jinja2 (Prefect's own stack).

It is a web server on the editor's machine, and any page the editor's browser opens can send it
requests, so it takes the usual guards (OWASP's CSRF and DNS-rebinding advice): only a loopback
`Host` is served; every POST carries the page's CSRF token and, when the browser sends them, a
same-origin `Origin`/`Referer`/`Sec-Fetch-Site`; bodies and fields have size limits (413); pages
may not be framed and load nothing from elsewhere (CSP). Corrections are read, changed and written
back under a lock (`corrections.update`), and a save stores only the fields its form changed (each
field carries the value it was shown with), so two editors saving at once lose nothing.
"""

from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import DictLoader, Environment, select_autoescape
from pydantic import ValidationError

from pipeline.check.confidence import REVIEW_BELOW
from pipeline.errors import Rejected
from pipeline.models import ManifestEntry, Option, Passage, QuestionSet
from pipeline.publish import files as publish
from pipeline.publish import quality
from pipeline.read.decode import read_bytes
from pipeline.review import corrections
from pipeline.review import words as review_words
from pipeline.store import layout
from pipeline.store.storage import LocalStorage

PAGE = """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title><style>
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
.flag{color:#a01e1e}.ok{color:#2a7a2a}.cols{display:flex;gap:1.5em}
.cols>div{flex:1;min-width:0;max-height:80vh;overflow:auto}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.6em;font-size:90%}.removed{background:#fde2e2;text-decoration:line-through}
.q{border:1px solid #ddd;padding:.6em;margin:.6em 0}textarea{width:100%}label{display:block;margin-top:.3em}
.edited{background:#fff3c4}.doubt{background:#ffe9d6}.q.doubt{border-color:#d9822b}.error{color:#a01e1e;font-weight:bold}
tr.review td:first-child{border-left:4px solid #d9822b}form.filters label{display:inline;margin-right:1em}
:target{outline:2px solid #d9822b}</style>
</head><body><p style="float:right"><a href="?{{ switch }}" id="language">{{ w.language }}</a></p>
{% block body %}{% endblock %}</body></html>"""

INDEX = """{% extends "page" %}{% block body %}<h1>{{ w.title }}</h1>
<p>{{ w.sets_in.format(n=total, clean=clean) }}; {{ w.to_review.format(n=to_review) }};
{{ w.shown.format(n=sets|length) }}</p>
<form class="filters" method="get" action="/"><input type="hidden" name="lang" value="{{ lang }}">
<label>{{ w.search }} <input name="q" value="{{ f.q }}" placeholder="{{ w.search_hint }}" size="24"></label>
<label>{{ w.col_site }} <select name="site"><option value="">{{ w.any }}</option>{% for s in sites %}
<option{% if s == f.site %} selected{% endif %}>{{ s }}</option>{% endfor %}</select></label>
<label>{{ w.state }} <select name="state"><option value="">{{ w.any }}</option>
{% for v in ("review", "approved", "open") %}<option value="{{ v }}"{% if v == f.state %} selected{% endif %}>
{{ w["state_" + v] }}</option>{% endfor %}</select></label>
<label>{{ w.finding }} <select name="finding"><option value="">{{ w.any }}</option>{% for k, name in finding_names %}
<option value="{{ k }}"{% if k == f.finding %} selected{% endif %}>{{ name }}</option>{% endfor %}</select></label>
<label>{{ w.min_confidence }} <input name="min" value="{{ f.min }}" size="4"></label>
<button id="filter">{{ w.filter }}</button></form>
{% if not sets %}<p>{{ w.no_sets }}</p>{% else %}
<table><tr><th>{{ w.col_set }}</th><th>{{ w.col_title }}</th><th>{{ w.col_questions }}</th><th>{{ w.col_findings }}</th>
<th>{{ w.col_confidence }}</th><th>{{ w.col_why }}</th><th>{{ w.col_approved }}</th><th>{{ w.col_source }}</th>
<th>{{ w.col_site }}</th></tr>
{% for s in sets %}<tr{% if s.needs_review %} class="review"{% endif %}>
<td><a href="/set/{{ s.id }}">{{ s.id }}</a></td><td>{{ s.title or w.no_title }}</td><td>{{ s.questions }}</td>
<td class="flag">{{ s.findings|join("; ") }}</td><td>{{ s.confidence }}</td>
<td class="flag">{{ s.reasons|join("; ") }}</td>
<td>{% if s.approved %}<span class="ok">✓</span>{% endif %}</td><td>{{ s.source }}</td><td>{{ s.site }}</td></tr>
{% endfor %}</table>{% endif %}{% endblock %}"""

SET = """{% extends "page" %}{% block body %}<p><a href="/">{{ w.all_sets }}</a></p><h1>{{ q.title or w.no_title }}</h1>
<p>{{ q.source.path }} · <a href="/set/{{ q.id }}/docx/student">{{ w.student }}</a> ·
<a href="/set/{{ q.id }}/docx/answers">{{ w.answers }}</a></p>
<form method="post" action="/set/{{ q.id }}/approve"><input type="hidden" name="csrf" value="{{ csrf }}">
{% if q.approved %}<span class="ok" id="approval">{{ w.approved_note.format(at=q.approved_at or "",
 by=w.by.format(who=q.approved_by) if q.approved_by else "") }}</span>
<input type="hidden" name="approved" value="0"> <button id="unapprove">{{ w.unapprove }}</button>
{% else %}<input type="hidden" name="approved" value="1"><button id="approve">{{ w.approve }}</button>{% endif %}</form>
{% if q.needs_review %}<p class="flag" id="review">
{{ w.needs_review.format(c=q.confidence, r=reasons|join("; ")) }}</p>{% endif %}
{% if warnings %}<ul class="flag" id="findings">{% for kind, details in warnings %}<li>{{ kind }}
<small>{{ details }}</small></li>{% endfor %}</ul>{% endif %}
{% if saved %}<p class="ok" id="saved">{{ w.saved }}</p>{% endif %}
{% if errors %}<p class="error" id="not-saved">{{ w.not_saved.format(n=errors|length) }}</p>{% endif %}
<div class="cols"><div><h2>{{ w.raw_page }}</h2><pre>{% for r in raw %}{% if r.rule %}<span class="removed"
 title="{{ r.rule }}">{{ r.line }}</span> <small>[{{ r.rule }}]</small>{% else %}<span{% if r.anchor %}
 id="raw-{{ r.anchor }}"{% endif %}{% if r.doubt %} class="doubt"{% endif %}>{{ r.line }}</span>{% endif %}
{% endfor %}</pre></div><div><h2>{{ w.parsed }}</h2>
<form method="post" action="/set/{{ q.id }}/save" id="set-form"><input type="hidden" name="csrf" value="{{ csrf }}">
<p><button class="save">{{ w.save }}</button></p>
{% for s in q.sections %}<h3>{{ s.heading or "" }}</h3>
{% for x in s.questions %}{% for p in passages.get(x.id, ()) %}{% set name = p.id + ".passage" %}
<div class="passage" id="p-{{ p.id }}">{% if p.direction %}<p><b>{{ p.direction }}</b></p>{% endif %}
<label>{{ w.passage }}{% if p.edited %} <small class="edited">{{ w.edited.format(fields=w.passage) }}</small>{% endif %}
<textarea name="{{ name }}" rows="6">{{ typed.get(name, shown[name]) }}</textarea></label>
<input type="hidden" name="{{ name }}.was" value="{{ shown[name] }}"></div>{% endfor %}
<div class="q{% if x.confidence < review_below %} doubt{% endif %}" id="q-{{ x.id }}">
<b>{{ x.number or "" }}</b> {% if x.edited %}<small class="edited">
{{ w.edited.format(fields=x.edited|join(", ")) }}</small>{% endif %}
{% if x.confidence < 1 %}<small class="doubt">{{ w.confidence.format(c=x.confidence) }}</small>{% endif %}
{% if x.id in located %}<a class="to-raw" href="#raw-{{ x.id }}">{{ w.raw_lines }}</a>{% endif %}
{% for field, rows in (("stem", 3), ("options", x.options|length or 0), ("answer", 2), ("analysis", 2)) %}
{% set name = x.id + "." + field %}{% if field != "options" or x.options or typed.get(name) %}
<label>{{ w[field] }}<textarea name="{{ name }}"
 rows="{{ rows or 2 }}">{{ typed.get(name, shown[name]) }}</textarea></label>
<input type="hidden" name="{{ name }}.was" value="{{ shown[name] }}">
{% if errors.get(name) %}<span class="error" id="error-{{ name }}">{{ errors[name] }}</span>{% endif %}{% endif %}
{% endfor %}
{% set name = x.id + ".score" %}<label>{{ w.score }} <input name="{{ name }}" value="{{ typed.get(name, shown[name]) }}"
 size="4"></label><input type="hidden" name="{{ name }}.was" value="{{ shown[name] }}">
{% if errors.get(name) %}<span class="error" id="error-{{ name }}">{{ errors[name] }}</span>{% endif %}
<label><input type="checkbox" name="{{ x.id }}.drop" value="1"{% if typed.get(x.id + ".drop") %} checked{% endif %}>
 {{ w.drop }}</label>
<label><input type="checkbox" name="{{ x.id }}.merge" value="1"{% if typed.get(x.id + ".merge") %} checked{% endif %}>
 {{ w.merge }}</label></div>{% endfor %}{% endfor %}
<p><button class="save">{{ w.save }}</button></p></form></div></div>{% endblock %}"""

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})  # DNS rebinding: any other name is refused
MAX_BODY = 2 * 1024 * 1024  # a whole set's form, every field twice (as typed and as shown)
MAX_FIELD = 64 * 1024  # one field: a stem or an analysis is a few KB at most
MAX_FIELDS = 8192  # a set of 500 questions, 16 fields each
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
TEXT_FIELDS = ("stem", "answer", "analysis")
LANG_COOKIE = "lang"


MISMATCHES = ("count_mismatch", "total_mismatch", "score_sum_mismatch")  # validate.py's warning kinds


def finding_codes(qset: QuestionSet) -> list[tuple[str, int]]:
    """What an editor should look at first, as (code, count)."""
    found = [("cut_preview", 0)] if qset.truncated else []
    found += [(w.split(":", 1)[0], 0) for w in qset.warnings if w.startswith(MISMATCHES)]
    missing = sum(1 for q in qset.questions() if not q.answer)
    if missing:
        found.append(("without_answers", missing))
    if any(w.startswith("answer_unmatched") for w in qset.warnings):
        found.append(("unmatched_answers", 0))
    return found


def findings(qset: QuestionSet, lang: str = "en") -> list[str]:
    return [review_words.FINDINGS[lang][code].format(n=n) for code, n in finding_codes(qset)]


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


def options_text(options: list[Option]) -> str:
    return "\n".join(f"{o.label}. {o.text}" for o in options)


def parse_options(text: str) -> tuple[list[Option], int | None]:
    """'A. 文本' lines as options, and the number of the first line without a letter label (None: all
    have one). A label is one or two letters or a circled number before '.', '、', ')' or a space."""
    options = []
    for n, line in enumerate((x.strip() for x in text.splitlines()), 1):
        if not line:
            continue
        label, rest = _option_label(line)
        if label is None:
            return options, n
        options.append(Option(label=label, text=rest))
    return options, None


def _option_label(line: str) -> tuple[str | None, str]:
    for sep in (".", "、", "．", ")", "）", " "):
        label, found, rest = line.partition(sep)
        label = label.strip().lstrip("(（")
        letters = label.isalpha() and label.isascii() and len(label) <= 2
        if found and label and (letters or label in "①②③④⑤⑥⑦⑧"):
            return label, rest.strip()
    return None, ""


def shown_values(qset: QuestionSet) -> dict[str, str]:
    """Every field of the set's form as the page shows it (`<question id>.<field>`)."""
    shown = {}
    for q in qset.questions():
        for name in TEXT_FIELDS:
            shown[f"{q.id}.{name}"] = getattr(q, name) or ""
        shown[f"{q.id}.options"] = options_text(q.options)
        shown[f"{q.id}.score"] = "" if q.score is None else f"{q.score:g}"
    for p in qset.passages:
        shown[f"{p.id}.passage"] = p.text
    return shown


def read_score(text: str) -> tuple[float | None, bool]:
    """A score as typed: (its value, whether it is one). Empty is none; else a finite number."""
    if not text.strip():
        return None, True
    try:
        value = float(text)
    except ValueError:
        return None, False
    return value, math.isfinite(value) and value >= 0


def passages_before(qset: QuestionSet) -> dict[str, list[Passage]]:
    """Each passage by the question it is shown before: the first one it serves, or the set's first
    question for one that serves none any more (its questions dropped: its text is still the author's)."""
    first = next((q.id for q in qset.questions()), "")
    found: dict[str, list[Passage]] = {}
    for p in qset.passages:
        found.setdefault(p.questions[0] if p.questions else first, []).append(p)
    return found


def _typed(form: dict[str, str], name: str) -> str | None:
    """What the editor typed in a field, or None where it is what the page showed (left alone, whoever
    changed it since) or the form did not hold it."""
    typed = form.get(name, "").replace("\r\n", "\n")
    if name not in form or typed == form.get(f"{name}.was", "").replace("\r\n", "\n"):
        return None
    return typed


def passage_changes(form: dict[str, str], qset: QuestionSet) -> dict[str, str]:
    """Each passage's text where the editor changed it (an emptied one keeps its text: a passage is
    the author's, it is corrected, never deleted)."""
    typed = {p.id: _typed(form, f"{p.id}.passage") for p in qset.passages}
    return {pid: text.strip("\n") for pid, text in typed.items() if text is not None and text.strip()}


def changes_of(form: dict[str, str], qset: QuestionSet, lang: str) -> tuple[dict[str, dict], dict[str, str]]:
    """From a saved form: each question's changed fields (only those the editor changed), and the
    fields that cannot be stored, with why."""
    words = review_words.PAGE[lang]
    changes: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for q in qset.questions():
        fix: dict[str, object] = {}

        def edited(field: str, key: str = q.id) -> str | None:
            return _typed(form, f"{key}.{field}")

        for field in TEXT_FIELDS:
            value = edited(field)
            if value is not None:
                fix[field] = value.strip() or None
        if (value := edited("options")) is not None:
            options, bad = parse_options(value)
            if bad is None:
                fix["options"] = options
            else:
                errors[f"{q.id}.options"] = words["err_options"].format(n=bad)
        if (value := edited("score")) is not None:
            score, ok = read_score(value)
            if ok:
                fix["score"] = score
            else:
                errors[f"{q.id}.score"] = words["err_score"]
        if form.get(f"{q.id}.drop") == "1":
            fix["drop"] = True
        if form.get(f"{q.id}.merge") == "1":
            fix["merge_into_previous"] = True
        if fix:
            changes[q.id] = fix
    return changes, errors


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
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, f"the form is not UTF-8 form data ({exc.__class__.__name__})") from None
    form = {k: v[0] for k, v in fields.items()}
    if not hmac.compare_digest(form.pop("csrf", "").encode(), token.encode()):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    too_long = [k for k, v in form.items() if len(v.encode("utf-8")) > MAX_FIELD]
    if too_long:
        raise HTTPException(413, f"field {too_long[0]!r} is over {MAX_FIELD} bytes")
    return form


def matches(row: dict, f: dict[str, str]) -> bool:
    """The index's search and filters: text in the title, source file or set id; site; state; a finding;
    a least confidence."""
    text = f.get("q", "").strip().lower()
    if text and not any(text in (row[k] or "").lower() for k in ("title", "source", "id")):
        return False
    if f.get("site") and row["site"] != f["site"]:
        return False
    state = f.get("state")
    if (state == "review" and not row["needs_review"]) or (state == "approved" and not row["approved"]) or (
            state == "open" and row["approved"]):
        return False
    if f.get("finding") and f["finding"] not in row["codes"]:
        return False
    try:
        least = float(f.get("min") or 0)
    except ValueError:
        least = 0.0
    return row["confidence"] >= least


def create_app(clean: str, raw: str = "raw", editor: str | None = None) -> FastAPI:
    store = LocalStorage(clean)
    token = secrets.token_urlsafe(32)  # one per server: only pages this server rendered carry it
    app = FastAPI(title="qset review", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        refused = refusal(request)
        response = PlainTextResponse(refused[1], refused[0]) if refused else await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        chosen = request.query_params.get("lang")
        if chosen in review_words.LANGUAGES and not refused:
            response.set_cookie(LANG_COOKIE, chosen, samesite="strict", httponly=True)
        return response

    def language(request: Request) -> str:
        return review_words.pick(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                                 request.headers.get("accept-language"))

    def render(name: str, request: Request, status: int = 200, **values: object) -> HTMLResponse:
        lang = language(request)
        words = review_words.PAGE[lang]
        switch = urlencode({**request.query_params, "lang": words["language_code"]})
        html = TEMPLATES.get_template(name).render(lang=lang, w=words, switch=switch, **values)
        return HTMLResponse(html, status_code=status)

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

    def sites() -> dict[str, str]:
        """Each set's site as the run report counts it (the manifest's entries)."""
        data = store.read_if_exists(layout.MANIFEST)
        if data is None:
            return {}
        try:
            entries = [ManifestEntry.model_validate(e) for e in _manifest_pages(data)]
        except (ValueError, ValidationError):
            return {}
        return {e.set_id: quality.site_of(e) for e in entries if e.set_id}

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        lang = language(request)
        site_of = sites()
        rows = []
        for name in store.list_dir(layout.SETS):
            if not (name.endswith(".json") and layout.is_set_id(name[:-5])):
                continue
            set_id = name[:-5]
            try:
                qset = current(set_id)
            except ValidationError:
                rows.append({"id": set_id, "title": None, "source": "", "site": site_of.get(set_id, ""),
                             "questions": 0, "approved": False, "needs_review": True, "confidence": 0.0,
                             "reasons": [], "codes": [], "findings": [review_words.PAGE[lang]["unreadable"]]})
                continue
            rows.append({"id": qset.id, "title": qset.title, "source": qset.source.path,
                         "site": site_of.get(set_id) or qset.source.site or "", "questions": len(qset.questions()),
                         "findings": findings(qset, lang), "codes": [c for c, _ in finding_codes(qset)],
                         "approved": qset.approved, "needs_review": qset.needs_review and not qset.approved,
                         "confidence": qset.confidence,
                         "reasons": [review_words.reason(r, lang) for r in qset.review_reasons]})
        # the queue: sets to review first, most doubtful first; then the others by their findings
        rows.sort(key=lambda r: (not r["needs_review"], r["confidence"], -len(r["findings"]), r["title"] or "",
                                 r["id"]))
        wanted = {k: request.query_params.get(k, "") for k in ("q", "site", "state", "finding", "min")}
        shown = [r for r in rows if matches(r, wanted)]
        names = review_words.FINDINGS[lang]
        finding_names = [(k, names[k].format(n="N")) for k in ("cut_preview", *MISMATCHES, "without_answers",
                                                               "unmatched_answers")]
        return render("index", request, title=review_words.PAGE[lang]["title"], sets=shown, total=len(rows),
                      clean=clean, to_review=sum(r["needs_review"] for r in rows), f=wanted,
                      sites=sorted({r["site"] for r in rows if r["site"]}), finding_names=finding_names)

    def set_page(request: Request, qset: QuestionSet, status: int = 200, typed: dict[str, str] | None = None,
                 errors: dict[str, str] | None = None, saved: bool = False) -> HTMLResponse:
        lang = language(request)
        raw_rows = located(qset, raw_lines(qset))
        return render("set", request, status, title=qset.title or qset.id, q=qset, raw=raw_rows, csrf=token,
                      review_below=REVIEW_BELOW, located={r["anchor"] for r in raw_rows if r["anchor"]},
                      shown=shown_values(qset), typed=typed or {}, errors=errors or {}, saved=saved,
                      passages=passages_before(qset),
                      reasons=[review_words.reason(r, lang) for r in qset.review_reasons],
                      warnings=[review_words.warning(x, lang) for x in qset.warnings])

    @app.get("/set/{set_id}", response_class=HTMLResponse)
    def one_set(set_id: str, request: Request) -> HTMLResponse:
        return set_page(request, current(set_id), saved=request.query_params.get("saved") == "1")

    def raw_lines(qset: QuestionSet) -> list[tuple[str, str | None]]:
        path = Path(raw) / qset.source.path
        removed: dict[str, list[str]] = {}  # removed text → its rules, one per time it was removed
        for row in publish.removals_of(store, qset.id):
            removed.setdefault(row["text"], []).append(row["rule"])
        try:  # the page as the pipeline read it: a Word file's paragraphs, an HTML page's text
            text = read_bytes(path.name, path.read_bytes()).text
        except OSError:
            return [(f"({path.resolve()} cannot be read here)", None)]
        except Rejected as exc:
            return [(f"({path.resolve()} cannot be read: {exc})", None)]
        marked = []
        for line in text.splitlines():
            rules = removed.get(line.strip())
            marked.append((line, rules.pop(0) if rules else None))
        return marked

    @app.post("/set/{set_id}/save", response_model=None)
    async def save(set_id: str, request: Request) -> Response:
        form = await read_form(request, token)
        qset = current(set_id)
        changes, errors = changes_of(form, qset, language(request))
        texts = passage_changes(form, qset)
        if errors:  # nothing is stored; the page comes back with what was typed and why
            return set_page(request, qset, 422, typed=form, errors=errors)

        def edit(correction: corrections.SetCorrection) -> None:
            for question_id, fix in changes.items():
                before = correction.questions.get(question_id, corrections.QuestionCorrection())
                values = {**{k: getattr(before, k) for k in before.model_fields_set}, **fix}
                correction.questions[question_id] = corrections.QuestionCorrection(**values)
            for passage_id, text in texts.items():
                correction.passages[passage_id] = corrections.PassageCorrection(text=text)

        if changes or texts:
            change(set_id, edit)
        return RedirectResponse(f"/set/{set_id}?saved=1", status_code=303)

    @app.post("/set/{set_id}/approve")
    async def approve(set_id: str, request: Request) -> RedirectResponse:
        form = await read_form(request, token)
        published(set_id)
        approving = form.get("approved", "1") != "0"

        def approved(correction: corrections.SetCorrection) -> None:
            correction.approved = approving
            correction.approved_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if approving else None
            correction.approved_by = editor if approving else None

        change(set_id, approved)
        return RedirectResponse(f"/set/{set_id}", status_code=303)

    @app.get("/set/{set_id}/docx/{edition}")
    def docx(set_id: str, edition: str) -> Response:
        from pipeline.publish.docx import render_set

        if edition not in ("student", "answers"):
            raise HTTPException(404, edition)
        answers = edition == "answers"
        name = Path(layout.docx_rels(set_id)[answers]).name  # the file name a run publishes it under
        return Response(render_set(current(set_id))[answers], media_type=DOCX_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return app


def _manifest_pages(data: bytes) -> list[dict]:
    import json

    return json.loads(data).get("pages") or []


def serve(clean: str, raw: str, port: int, editor: str | None = None) -> None:
    import uvicorn

    uvicorn.run(create_app(clean, raw, editor), host="127.0.0.1", port=port, log_level="warning")

