"""The same page in other clothes gives the same records: meaning-preserving transformations of the
dev pages, with the gold adjusted by the same code.

`python -m bench.metamorphic [NAME …]` ingests the dev set once as it is and once per transformation
and prints each one's question_f1 and answer_acc beside the original's. The CI gate
(`tests/test_metamorphic.py`) holds each within `TOLERANCE` of the original.

A transformation is a function (raw text, gold) → (raw text, gold, file suffix). Where it cannot be
applied to a page (its questions' stems are not found in the text) the page is left as it is.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from html import escape
from pathlib import Path

from pipeline.run.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset"
SCORER = ROOT.parent / "shared" / "tools" / "score.py"
TOLERANCE = 0.03  # question_f1 and answer_acc of a transformed dev set stay within this of the original's
GATED = ("question_f1", "answer_acc")

Gold = dict
Transform = Callable[[str, Gold], tuple[str, Gold, str]]
LABEL_BEFORE = re.compile(r"(\d{1,3})\s*[.、．]\s*$")  # the arabic label right before a stem


def _stem_positions(text: str, gold: Gold) -> list[tuple[int, int, dict]]:
    """(label start, stem start, question) for each gold question whose arabic label and stem are
    found in page order; [] when any is missing (the transformation then leaves the page alone)."""
    found, cursor = [], 0
    for q in gold.get("questions") or []:
        stem = q.get("stem_start")
        if not stem or not q.get("number"):
            return []
        at = text.find(stem, cursor)
        label = LABEL_BEFORE.search(text, max(0, at - 8), at) if at >= 0 else None
        if label is None or label.group(1) != q["number"]:
            return []
        found.append((label.start(), at, q))
        cursor = at + len(stem)
    return found


def drop_first_question(text: str, gold: Gold) -> tuple[str, Gold, str]:
    """The page's first question removed: numbering starts at 2 (a preview that begins mid-paper)."""
    found = _stem_positions(text, gold)
    if len(found) < 3 or found[0][2]["number"] != "1" or found[1][2]["number"] != "2":
        return text, gold, ".txt"
    out = copy.deepcopy(gold)
    out["questions"] = out["questions"][1:]
    return text[: found[0][0]] + text[found[1][0]:], out, ".txt"


def _relabel(style: Callable[[str], str]) -> Transform:
    def transform(text: str, gold: Gold) -> tuple[str, Gold, str]:
        found = _stem_positions(text, gold)
        for label_at, stem_at, q in reversed(found):
            text = text[:label_at] + style(q["number"]) + text[stem_at:]
        return text, gold, ".txt"

    return transform


relabel_comma = _relabel(lambda n: f"{n}、")
relabel_paren = _relabel(lambda n: f"（{n}）")
relabel_di = _relabel(lambda n: f"第{n}题 ")
relabel_rparen = _relabel(lambda n: f"{n}) ")

OPTION_LABEL = re.compile(r"(?<![A-Za-z])([A-H])\s*[.．、]")


def _restyle(style: str) -> Transform:
    def transform(text: str, gold: Gold) -> tuple[str, Gold, str]:
        found = _stem_positions(text, gold)
        bounds = [(a, found[i + 1][0] if i + 1 < len(found) else len(text)) for i, (_, a, q) in enumerate(found)
                  if q.get("options")]
        for start, end in reversed(bounds):
            text = text[:start] + OPTION_LABEL.sub(lambda m: style.format(m.group(1)), text[start:end]) + text[end:]
        return text, gold, ".txt"

    return transform


options_rparen = _restyle("{}）")
options_paren = _restyle("({})")
options_bracket = _restyle("【{}】")
CHROME_LINES = ("第{n}页 / 共{total}页", "下载本文档", "{title}")


def chrome_between(text: str, gold: Gold) -> tuple[str, Gold, str]:
    """A page counter, a download notice and the title repeated, as lines between questions."""
    found = _stem_positions(text, gold)
    if not found:
        return text, gold, ".txt"
    title = text.strip().splitlines()[0][:30]
    out = copy.deepcopy(gold)
    total = len(found) + 1
    for k, (label_at, _, _) in reversed(list(enumerate(found))):
        if k == 0:
            continue
        block = "\n" + "\n".join(line.format(n=k + 1, total=total, title=title) for line in CHROME_LINES) + "\n"
        text = text[:label_at] + block + text[label_at:]
    out["boilerplate"] = [*(gold.get("boilerplate") or []), f"第2页 / 共{total}页", "下载本文档"]
    return text, out, ".txt"


def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str, gold: Gold) -> tuple[str, Gold, str]:
    """The page in traditional script (a mirror of a simplified page), the gold converted alike."""
    convert = _s2t().convert
    return convert(text), json.loads(convert(json.dumps(gold, ensure_ascii=False))), ".txt"


FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def full_width_crlf(text: str, gold: Gold) -> tuple[str, Gold, str]:
    """Full-width digits and Windows line ends (the scorer folds width: the gold stays)."""
    return text.translate(FULL_WIDTH_DIGITS).replace("\n", "\r\n"), gold, ".txt"


WRAP_AT = 36


def hard_wrap(text: str, gold: Gold) -> tuple[str, Gold, str]:
    """Every line broken at a fixed width, as a fixed-width text dump does."""
    wrapped = ["\n".join(textwrap.wrap(line, WRAP_AT, break_long_words=True, drop_whitespace=False)) or line
               for line in text.split("\n")]
    return "\n".join(wrapped), gold, ".txt"


def run_on(text: str, gold: Gold) -> tuple[str, Gold, str]:
    """Line breaks removed after the first line (a text layer that lost them)."""
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    return (lines[0] + "\n" + "".join(lines[1:]) + "\n") if lines else text, gold, ".txt"


def html_wrapped(text: str, gold: Gold) -> tuple[str, Gold, str]:
    """Each line a paragraph of an HTML page."""
    body = "\n".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n{body}\n</body></html>\n", gold, ".html"


TRANSFORMS: dict[str, Transform] = {
    "drop_first_question": drop_first_question,
    "relabel_comma": relabel_comma,
    "relabel_paren": relabel_paren,
    "relabel_di": relabel_di,
    "relabel_rparen": relabel_rparen,
    "options_rparen": options_rparen,
    "options_paren": options_paren,
    "options_bracket": options_bracket,
    "chrome_between": chrome_between,
    "traditional": traditional,
    "full_width_crlf": full_width_crlf,
    "hard_wrap": hard_wrap,
    "run_on": run_on,
    "html_wrapped": html_wrapped,
}


def build(name: str, target: Path) -> tuple[Path, Path]:
    """The dev set under transformation `name` ("original": as it is): (raw dir, gold dir)."""
    raw, gold = target / "raw", target / "gold"
    raw.mkdir(parents=True)
    gold.mkdir()
    for gpath in sorted((DEVSET / "gold").glob("*.json")):
        page_gold = json.loads(gpath.read_text(encoding="utf-8"))
        source = DEVSET / "raw" / (page_gold.get("source_file") or gpath.stem + ".txt")
        text = source.read_text(encoding="utf-8")
        suffix = source.suffix
        if name != "original":
            text, page_gold, suffix = TRANSFORMS[name](text, page_gold)
        page_gold = {**page_gold, "source_file": source.stem + suffix}
        newline = "" if "\r\n" in text else None
        with (raw / (source.stem + suffix)).open("w", encoding="utf-8", newline=newline) as fh:
            fh.write(text)
        (gold / gpath.name).write_text(json.dumps(page_gold, ensure_ascii=False), encoding="utf-8")
    return raw, gold


def score(name: str, work: Path) -> dict[str, float]:
    raw, gold = build(name, work / name)
    out = work / name / "out"
    ingest(str(raw), str(out), docx=False, bank=False)
    printed = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--out", str(out)],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(next(line for line in reversed(printed.splitlines()) if line.startswith("{")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", choices=[[], *TRANSFORMS], help="transformations (default: all)")
    args = ap.parse_args(argv)
    from bench.devset import require_shared

    require_shared()
    with tempfile.TemporaryDirectory() as tmp:
        base = score("original", Path(tmp))
        print(f"{'transformation':22} {'f1':>6} {'Δ':>7} {'answers':>8} {'Δ':>7}  gate ±{TOLERANCE}")
        print(f"{'original':22} {base['question_f1']:6.3f} {'':7} {base['answer_acc']:8.3f}")
        failed = 0
        for name in args.names or TRANSFORMS:
            got = score(name, Path(tmp))
            deltas = [got[k] - base[k] for k in GATED]
            ok = all(round(d, 3) >= -TOLERANCE for d in deltas)
            failed += not ok
            print(f"{name:22} {got['question_f1']:6.3f} {deltas[0]:+7.3f} {got['answer_acc']:8.3f} {deltas[1]:+7.3f}"
                  f"  {'ok' if ok else 'OUTSIDE'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
