"""Command line: `python -m pipeline ingest RAW_DIR --out CLEAN_DIR`, `docx`, `search`, `export`, `report`, `review`,
`explain`, `schema`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def _progress(enabled: bool) -> Callable[[int], Callable[[], None]] | None:
    if not enabled:
        return None
    from tqdm import tqdm

    def start(total: int) -> Callable[[], None]:
        bar = tqdm(total=total, unit="page", file=sys.stderr, leave=False)
        return lambda: bar.update(1)

    return start


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.run.options import execute, from_args

    def start():
        from pipeline.run.ingest import Stages, run

        options = from_args(args)
        return run(options, Stages(_progress(not args.quiet and sys.stderr.isatty())))

    return execute(start)


def cmd_docx(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from pipeline.models import QuestionSet
    from pipeline.publish.docx import compose, render
    from pipeline.store.storage import LocalStorage

    if args.seed is not None and not args.shuffle:
        print("error: --seed only takes effect with --shuffle (add --shuffle, or drop --seed)", file=sys.stderr)
        return 2
    sets = []
    for path in args.sets:
        try:
            sets.append(QuestionSet.model_validate_json(path.read_bytes()))
        except OSError as exc:
            print(f"error: cannot read {path.resolve()}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        except ValidationError:
            print(f"error: {path.resolve()} is not a question set: give the JSON of one, e.g. "
                  f"clean/json/<id>.json (a raw page goes to `python -m pipeline ingest` first)", file=sys.stderr)
            return 2
    seed = (args.seed or 0) if args.shuffle else None
    exam = compose(sets, title=args.title, sections=args.sections, shuffle_seed=seed, include_cut=args.include_cut)
    if not any(s.questions for s in exam.sections):
        there = [s.heading or s.ordinal or "(untitled)" for q in sets for s in q.sections]
        wanted = f"no section matches {' '.join(args.sections)}; the sets have: {', '.join(there)}" if args.sections \
            else "no questions selected"
        print(f"error: {wanted}", file=sys.stderr)
        return 2
    data = render(exam, answers=args.answers)
    LocalStorage(str(args.out.parent)).write_atomic(args.out.name, data)
    print(f"{args.out}: {sum(len(s.questions) for s in exam.sections)} questions in {len(exam.sections)} sections")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    import json

    from pipeline.bank.index import search
    from pipeline.store.storage import open_storage

    data = open_storage(args.clean).read_if_exists("bank/questions.jsonl")
    if data is None:
        print(f"error: no bank in {args.clean} (run `python -m pipeline ingest` first)", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    if args.min_confidence is not None:
        rows = _sure_enough(rows, _confidences(args.clean), args.min_confidence)
    found = search(rows, args.query, args.limit)
    if not found:
        sure = f" at confidence ≥ {args.min_confidence:g}" if args.min_confidence is not None else ""
        print(f"no question in {Path(args.clean).resolve()}/bank matches {args.query!r}{sure}", file=sys.stderr)
        return NO_HITS
    cut, passage_of = _source_facts(args.clean, [s for _, row in found for s in row["sources"]])
    for score, row in found:
        passages = list({p["id"]: p for s in row["sources"] if (p := passage_of.get(s["question_id"]))}.values())
        row = {**row, "cut": any(s["question_id"] in cut for s in row["sources"]), "passages": passages}
        if args.json:
            print(json.dumps({"score": score, **{k: v for k, v in row.items() if k != "terms"}}, ensure_ascii=False))
            continue
        marked = "  [节选截断 cut preview]" if row["cut"] else ""
        sure = f"  confidence {row['confidence']:g}" if "confidence" in row else ""
        print(f"{score:7.2f}  {_one_line(row['stem'])}{marked}")
        print(f"         answer: {_one_line(row['answer'] or '—')}")
        for passage in passages[:1]:  # the text it asks about ('阅读下面的文字，完成5～7题。'): --json gives it whole
            print(f"         passage: {_one_line(passage['text'])}")
        for source in row["sources"][:3]:
            print(f"         set {source['set_id']} question {source['question_id']}  {source['title'] or ''}{sure}")
        if len(row["sources"]) > 3:
            print(f"         … {len(row['sources']) - 3} more sources (--json lists them)")
    return 0


NO_HITS = 1  # search found nothing: a script can tell it from an error (2)


def _one_line(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _source_facts(clean: str, sources: list[dict]) -> tuple[set[str], dict[str, dict]]:
    """Of the questions among `sources`: the ids of those a cut preview stops in (their stems are
    incomplete), and the passage each asks about (id, direction, text), by question id."""
    from pipeline.models import QuestionSet
    from pipeline.publish.docx import is_cut
    from pipeline.store import layout
    from pipeline.store.storage import open_storage

    store, cut, passage_of = open_storage(clean), set(), {}
    for set_id in {s["set_id"] for s in sources}:
        data = store.read_if_exists(layout.set_rel(set_id)) if layout.is_set_id(set_id) else None
        if data is None:
            continue
        qset = QuestionSet.model_validate_json(data)
        if qset.truncated:
            cut |= {q.id for q in qset.questions() if is_cut(qset, q)}
        for p in qset.passages:
            shown = {"id": p.id, "direction": p.direction, "text": p.text}
            passage_of |= {qid: shown for qid in p.questions}
    return cut, passage_of


def _confidences(clean: str) -> dict[str, float]:
    """Each published question's confidence by its id (from questions.jsonl; the bank's rows are clusters)."""
    import json

    from pipeline.store import layout
    from pipeline.store.storage import open_storage

    data = open_storage(clean).read_if_exists(layout.QUESTIONS) or b""
    found = {}
    for line in data.decode("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            found[row["id"]] = float(row.get("confidence", 1.0))
    return found


def _sure_enough(rows: list[dict], confidence: dict[str, float], threshold: float) -> list[dict]:
    """The bank rows with a source question at or above the threshold, only those sources kept, each row
    with the best confidence of its sources."""
    kept = []
    for row in rows:
        sources = [s for s in row["sources"] if confidence.get(s["question_id"], 1.0) >= threshold]
        if sources:
            best = max(confidence.get(s["question_id"], 1.0) for s in sources)
            kept.append({**row, "sources": sources, "size": len(sources), "confidence": best})
    return kept


def cmd_export(args: argparse.Namespace) -> int:
    """The published questions at or above a confidence, one JSON object a line (questions.jsonl's rows)."""
    from pipeline.store import layout
    from pipeline.store.storage import LocalStorage, open_storage

    data = open_storage(args.clean).read_if_exists(layout.QUESTIONS)
    if data is None:
        print(f"error: no {layout.QUESTIONS} in {args.clean} (run `python -m pipeline ingest` first)", file=sys.stderr)
        return 2
    kept = [line for line in data.decode("utf-8").splitlines()
            if line.strip() and _confidence_of(line) >= args.min_confidence]
    text = "".join(f"{line}\n" for line in kept)
    if args.out is None:
        sys.stdout.write(text)
    else:
        LocalStorage(str(args.out.parent)).write_atomic(args.out.name, text.encode("utf-8"))
        print(f"{args.out}: {len(kept)} questions at confidence ≥ {args.min_confidence:g}", file=sys.stderr)
    return 0


def _confidence_of(line: str) -> float:
    import json

    return float(json.loads(line).get("confidence", 1.0))  # rows written before confidence existed: sure


def _unit_interval(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def cmd_report(args: argparse.Namespace) -> int:
    """The newest run's quality by site and its sets to review (from its report in runs/)."""
    import json

    from pipeline.publish import quality
    from pipeline.store import layout
    from pipeline.store.storage import open_storage

    store = open_storage(args.clean)
    names = sorted(n for n in store.list_dir(layout.RUNS) if n.endswith(".json") and not n.startswith("."))
    data = store.read_if_exists(f"{layout.RUNS}/{names[-1]}") if names else None
    if data is None:
        print(f"error: no run report in {args.clean}/{layout.RUNS} (run `python -m pipeline ingest` first)",
              file=sys.stderr)
        return 2
    report = json.loads(data)
    sites, queue = report.get("sites") or [], report.get("needs_review") or []
    if args.json:
        print(json.dumps({"run": names[-1], "sites": sites, "needs_review": queue}, ensure_ascii=False))
        return 0
    table = [quality.SITE_COLUMNS, *quality.site_rows(sites)]
    widths = [max(_width(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    print(f"run {report.get('started')}: {report.get('pages')} pages")
    for row in table:
        print("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])
    print(f"\n{len(queue)} sets to review, most doubtful first:")
    for r in queue[: args.limit]:
        print(f"  {r['confidence']!s:>6}  {r['json']}  {r['path']}  {'; '.join(r['reasons'])}")
    if len(queue) > args.limit:
        print(f"  … {len(queue) - args.limit} more (--limit, or --json)")
    return 0


def _width(text: str) -> int:
    from pipeline.grammar.parse import display_width

    return display_width(text)


def cmd_review(args: argparse.Namespace) -> int:
    from pipeline.store.storage import LocalStorage

    if not LocalStorage(args.clean).exists("json"):
        print(f"error: no question sets in {args.clean} (run `python -m pipeline ingest` first)", file=sys.stderr)
        return 2
    import os
    import socket

    from pipeline.review.app import serve

    with socket.socket() as probe:  # a busy port is said before the URL is printed, not by uvicorn after
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", args.port))
        except OSError:
            print(f"error: port {args.port} on 127.0.0.1 is in use (another review page?): pass --port with a free "
                  f"one", file=sys.stderr)
            return 2
    print(f"review page: http://127.0.0.1:{args.port}/  (Ctrl-C to stop)", file=sys.stderr)
    serve(args.clean, args.raw, args.port, args.editor or os.environ.get("QSET_EDITOR") or None)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from pipeline.run.explain import explain_page

    try:
        lines = explain_page(args.page)
    except OSError as exc:
        print(f"error: cannot read {args.page}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from pipeline.publish.schema import write_schema

    path = write_schema(args.path)
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    from pipeline.run.options import add_arguments, parse_or_suggest

    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="clean and parse every raw page below RAW_DIR into CLEAN_DIR")
    add_arguments(ing)
    ing.set_defaults(func=cmd_ingest)
    dox = sub.add_parser("docx", help="compose a printable exam from one or more clean sets")
    dox.add_argument("sets", nargs="+", type=Path, help="question-set JSON files (CLEAN_DIR/json/<id>.json)")
    dox.add_argument("--out", type=Path, required=True, help="the .docx file to write")
    dox.add_argument("--answers", action="store_true", help="the answer-key edition")
    dox.add_argument("--sections", nargs="+", default=None, help="keep sections whose ordinal or heading matches")
    dox.add_argument("--shuffle", action="store_true", help="shuffle questions within each section")
    dox.add_argument("--seed", type=int, default=None, help="seed for --shuffle (same seed, same exam; default 0)")
    dox.add_argument("--include-cut", action="store_true",
                     help="also print the question a cut preview stops in (left out by default)")
    dox.add_argument("--title", default=None)
    dox.set_defaults(func=cmd_docx)
    sea = sub.add_parser("search", help="find questions in the bank by keywords")
    sea.add_argument("query", help='words to look for, e.g. "愤怒 客户"')
    sea.add_argument("--clean", default="clean", help="the CLEAN_DIR holding bank/ (default clean/)")
    sea.add_argument("--limit", type=int, default=10)
    sea.add_argument("--json", action="store_true", help="one JSON object a line instead of text")
    sea.add_argument("--min-confidence", type=_unit_interval, default=None,
                     help="only questions at or above this confidence (0–1), as `export` keeps them")
    sea.set_defaults(func=cmd_search)
    out = sub.add_parser("export", help="the questions at or above a confidence, as JSONL, for apps that must not "
                         "show a doubtful answer")
    out.add_argument("--clean", default="clean", help="the CLEAN_DIR holding questions.jsonl (default clean/)")
    out.add_argument("--min-confidence", type=_unit_interval, default=0.9, help="0–1 (default 0.9)")
    out.add_argument("--out", type=Path, default=None, help="a .jsonl file to write (default: standard output)")
    out.set_defaults(func=cmd_export)
    rep = sub.add_parser("report", help="the last run's quality by site and the sets an editor should review")
    rep.add_argument("--clean", default="clean", help="the CLEAN_DIR the run wrote (default clean/)")
    rep.add_argument("--limit", type=int, default=20, help="sets to review listed (default 20)")
    rep.add_argument("--json", action="store_true", help="the site table and the whole queue as JSON")
    rep.set_defaults(func=cmd_report)
    rev = sub.add_parser("review", help="a local web page to review sets, correct them and download the editions")
    rev.add_argument("--clean", default="clean", help="the CLEAN_DIR to review (default clean/)")
    rev.add_argument("--raw", default="raw", help="the raw folder the sets came from, to show each page beside them")
    rev.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    rev.add_argument("--editor", default=None, help="the name an approval records (default: $QSET_EDITOR, else none)")
    rev.set_defaults(func=cmd_review)
    exp = sub.add_parser("explain", help="show why a raw page was read (or rejected) as it was")
    exp.add_argument("page", type=Path, help="one raw page (text, HTML or DOCX)")
    exp.set_defaults(func=cmd_explain)
    sch = sub.add_parser("schema", help="write the JSON Schema of a question set")
    sch.add_argument("--path", type=Path, default=Path("schemas/question_set.schema.json"))
    sch.set_defaults(func=cmd_schema)
    args = parse_or_suggest(parser, argv, sub.choices)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
