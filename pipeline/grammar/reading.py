"""The whole-page reading: which numbered labels on a page are its questions.

A page is read once as a whole before the line-by-line parse. Every line that may open with a
question label is a *candidate*, read every way it can be (a clean label, one found inside run-on
text, a number glued to its text, a misprinted `1,`, a number whose first digits belong to the text
before it). The reading chosen is the chain of candidates, in page order, with the highest value:
each question read is a gain, and how each follows the one before it (the sequence goes on, a gap,
a restart under a new heading, another label style) a cost. The costs are named and live in one
table (`labels.READING_COSTS`), so `python -m pipeline explain PAGE` can say why each line was or was
not read as a question.

The parser still makes the local decisions the reading cannot (a list inside an answer, sub-items);
the reading tells it which labels the page's numbering vouches for, so that one misprinted, missing
or glued label costs at most its own question and never the rest of the page.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from pipeline.grammar import labels
from pipeline.grammar.labels import READING_COSTS as COST
from pipeline.grammar.labels import Label
from pipeline.page import Line

WINDOW = 48  # a question's predecessor is among the 48 candidates before it: keeps the reading linear
LEADING_DIGITS = re.compile(r"\d{2,}")
NOT_TEXT = re.compile(r"[\sA-Ha-h()（）\[\]【】_.、,，:：;；]")  # option letters, blanks, marks: no text of its own
NEVER_ALONE = frozenset({"quantity", "list_item", "no_text"})  # evidence against the label itself, not only its place
DOUBT = 1.5  # a candidate whose costs take this much off its gain is doubtful: another reading may outvote it


@dataclass(frozen=True)
class Candidate:
    index: int  # the line
    label: Label
    cut: int = 0  # characters at the line's start that belong to the text before (glued digits, a stray mark)
    terms: tuple[tuple[str, float], ...] = ()  # the named gains (+) and costs (-) of reading it as a question

    @property
    def gain(self) -> float:
        return sum(value for _, value in self.terms)

    @property
    def number(self) -> int:
        assert self.label.number is not None
        return self.label.number


def _terms(kind: str | None, rest: str, cut: int) -> tuple[tuple[str, float], ...]:
    terms = [("question", COST["question"])]
    if kind:
        terms.append((kind, -COST[kind]))
    if kind != "misprinted_label" and labels.QUANTITY.match(rest) and (kind or rest[:1].isdigit()):
        terms.append(("quantity", -COST["quantity"]))  # "1分,共45分", and "1.0分" read as label 1
    if cut:
        terms.append(("digits_cut", -COST["digits_cut"]))
    if labels.looks_like_question(rest):
        terms.append(("asks", COST["asks"]))
    if kind != "bare_number" and len(NOT_TEXT.sub("", rest)) < 2:  # a bare number's item is on the lines below
        terms.append(("no_text", -COST["no_text"]))
    if rest.rstrip().endswith((";", "；")):
        terms.append(("list_item", -COST["list_item"]))
    return tuple(terms)


def _misread(text: str) -> tuple[Label, str] | None:
    """A label only a sequence can vouch for: '1,…', '1 算法题…', '1' alone on its line."""
    for pattern, kind in ((labels.MISPRINTED_LABEL, "misprinted_label"), (labels.OCR_ONE, "misprinted_label"),
                          (labels.SPACED_NUMBER, "weak_label"), (labels.WEAK_LATIN, "weak_label"),
                          (labels.BARE_NUMBER, "bare_number")):
        m = pattern.match(text)
        if m:
            digits = ("1" if m.group(1) else "") + m.group(2)  # OCR_ONE's letter stands for a 1
            return Label("arabic", int(digits), m.group(0).strip(), text[m.end():]), kind
    return None


def line_candidates(index: int, line: Line) -> list[Candidate]:
    """Every way the line may open with a numbered question label."""
    text, cut, stray = line.text, 0, labels.STRAY_MARK.match(line.text)
    if stray:
        text, cut = text[stray.end():], stray.end()
    out = []
    read = _read_label(text, line, stray is not None)
    if read is not None:
        label, kind = read
        out.append(Candidate(index, label, cut, _terms(kind, label.rest, 0)))
    digits = LEADING_DIGITS.match(text)
    if digits and (line.soft or line.glued) and not stray:
        for k in range(1, len(digits.group(0))):  # "19782.新中国…": question 2 after the year 1978
            if text[k] == "0":
                continue  # "3504 企业…": the option is 350, the label 4, never "04"
            read = _read_label(text[k:], line, False)
            if read is not None and read[0].number:
                out.append(Candidate(index, read[0], k, _terms(read[1], read[0].rest, k)))
            if score := labels.LEADING_SCORE.match(text, k):  # "12分()驾驶时…": question 1, worth 2 points
                label = Label("arabic", int(text[:k]), text[:k], text[k:])
                out.append(Candidate(index, label, 0, _terms("glued_label", text[score.end():], 0)))
    return out


def _read_label(text: str, line: Line, stray: bool) -> tuple[Label, str | None] | None:
    label = labels.question_label(text, allow_weak=True)
    if label is not None and label.number is not None:
        kind = "misprinted_label" if stray else _kind(text, line)
        return label, kind
    if label is not None:
        return None  # an unnumbered label ('☆', 'Q:'): the parser's own rules read those
    return _misread(text)


def _kind(text: str, line: Line) -> str | None:
    if line.glued:
        return "glued_label"
    if labels.question_label(text) is None:
        return "weak_label"  # only the weak pattern read it: "1以下生物…"
    return "soft_label" if line.soft else None


@dataclass
class Reading:
    """The chosen chain, and what explaining it needs."""

    candidates: list[Candidate]
    best: list[float]  # value of the best chain that ends at each candidate
    back: list[int]  # its predecessor (-1: the chain starts there)
    chosen: dict[int, Candidate] = field(default_factory=dict)  # line index → the candidate read there
    headings: list[int] = field(default_factory=list)

    def at(self, index: int) -> Candidate | None:
        return self.chosen.get(index)

    def vouches(self, index: int, label: Label) -> bool:
        """The reading takes this line as a question with this number."""
        c = self.chosen.get(index)
        return c is not None and c.label.number == label.number and c.label.family == label.family

    def outvoted(self, index: int, label: Label) -> bool:
        """A doubtful label (a quantity, a misprint) that the reading passed over for another line
        with the same number: "(每題1.0分…)1輸卵管…" is question 1, "1.0分" is not."""
        if index in self.chosen:
            return False
        here = [c for c in self.candidates if c.index == index and c.label.number == label.number]
        if not here or max(c.gain for c in here) > COST["question"] - DOUBT:
            return False
        if any(name in NEVER_ALONE for c in here for name, _ in c.terms):
            return True  # a quantity or a list item the reading passed over is text, rival or not
        return any(c.label.number == label.number and c.label.family == label.family for c in self.chosen.values())

    def value(self) -> float:
        return max(self.best, default=0.0)


def transition(prev: Candidate, cand: Candidate, headed: bool) -> tuple[str, float]:
    """The named cost of `cand` following `prev` in one reading; `headed`: a heading between them."""
    change = 0.0
    if prev.label.family != cand.label.family:
        if not headed:
            return "family_change", COST["family_change"]
        change = COST["restart_after_heading"]
    step = cand.number - prev.number
    if step == 1:
        return ("sequence_continues", change) if not change else ("new_part", change)
    if step > 1:
        cost = min(COST["gap_cap"], COST["numbering_gap"] + COST["gap_per_number"] * (step - 2))
        return "numbering_gap", cost + change
    if headed:
        return "restart_after_heading", COST["restart_after_heading"] + change + _start_cost(cand)
    return "restart", COST["restart"]


def _start_cost(cand: Candidate) -> float:
    return 0.0 if cand.number == 1 else COST["start_not_one"]


def read_page(lines: list[Line], headings: list[int]) -> Reading:
    """Choose the best chain of question labels on the page (a dynamic programme over candidates)."""
    cands = [c for i, line in enumerate(lines) if line.text[:1] in _OPENINGS for c in line_candidates(i, line)]
    cands = _combined_by_options(lines, _in_passages(lines, cands))
    best: list[float] = []
    back: list[int] = []
    gains = [c.gain for c in cands]
    for j, cand in enumerate(cands):
        gain = gains[j]
        value, prev = gain - _start_cost(cand), -1
        for i in range(max(0, j - WINDOW), j):
            if best[i] + gain <= value:
                continue  # no cost is negative: this predecessor cannot do better
            p = cands[i]
            if p.index >= cand.index:
                continue  # another reading of the same line
            cost = transition(p, cand, _headed(headings, p.index, cand.index))[1]
            through = best[i] - cost + gain
            if through > value:
                value, prev = through, i
        best.append(value)
        back.append(prev)
    reading = Reading(cands, best, back, headings=headings)
    chain: list[Candidate] = []
    if cands:
        j = max(range(len(cands)), key=best.__getitem__)
        while j >= 0 and best[j] > 0:
            chain.append(cands[j])
            j = back[j]
    chain.reverse()
    for k, cand in enumerate(chain):
        if _vouched(cand, chain[k - 1] if k else None, chain[k + 1] if k + 1 < len(chain) else None):
            reading.chosen[cand.index] = cand
    return reading


def _in_passages(lines: list[Line], cands: list[Candidate]) -> list[Candidate]:
    """A direction naming questions a–b ('阅读下面的作品，完成12～15题。') is followed by its passage, then
    question a: a label between the two is the passage's own numbering (paragraphs ①②…, lines 1. 2.)."""
    spans = []
    for d, line in enumerate(lines):
        if ("题" in line.text or "題" in line.text) and (m := labels.DIRECTION.search(line.text)):
            first = int(m.group(1))
            end = next((c.index for c in cands if c.index > d and c.number == first and c.label.family != "circled"),
                       None)
            if end is not None:
                spans.append((d, end))
    if not spans:
        return cands
    cost = ("in_passage", -COST["in_passage"])
    return [replace(c, terms=(*c.terms, cost)) if any(d < c.index < end for d, end in spans) else c for c in cands]


def _combined_by_options(lines: list[Line], cands: list[Candidate]) -> list[Candidate]:
    """'①…' '②…' '③…' then 'A.①③② B.③②①': circled lines whose options combine their numbers are the
    items of the question before them (sentences to order, statements to choose among), not questions."""
    runs: list[list[int]] = []  # positions in `cands` of circled candidates on consecutive lines
    for k, c in enumerate(cands):
        if c.label.family != "circled":
            continue
        if runs and cands[runs[-1][-1]].index == c.index - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    marked = {k for run in runs if _combines(lines, cands[run[-1]].index + 1) for k in run}
    if not marked:
        return cands
    cost = ("combined_by_options", -COST["combined_by_options"])
    return [replace(c, terms=(*c.terms, cost)) if k in marked else c for k, c in enumerate(cands)]


def _combines(lines: list[Line], index: int) -> bool:
    """The line at `index` opens an option run that combines circled numbers ('A、④⑥⑤②①③')."""
    option = labels.leading_option(lines[index].text) if index < len(lines) else None
    head = option[1].lstrip()[:2] if option else ""
    return len(head) == 2 and not head.strip(labels.CIRCLED)  # (an empty option 'A.' combines nothing)


# A label of these kinds is read only where the numbering vouches for it: a neighbour in the chain
# that it continues, or that continues it. Alone, "1 个苹果" is a quantity, not question 1.
SEQUENCE_ONLY = frozenset({"weak_label", "glued_label", "misprinted_label", "bare_number", "digits_cut", "quantity"})


def _vouched(cand: Candidate, prev: Candidate | None, nxt: Candidate | None) -> bool:
    if not SEQUENCE_ONLY.intersection(name for name, _ in cand.terms):
        return True
    return any(other is not None and other.label.family == cand.label.family
               and 1 <= abs(cand.number - other.number) <= 2 for other in (prev, nxt))


def _headed(headings: list[int], start: int, end: int) -> bool:
    """A heading line between lines `start` and `end`."""
    k = bisect_left(headings, start)
    return k < len(headings) and headings[k] < end


# What a candidate line can open with: a digit, a stray mark before one, or a word label's first character.
_OPENINGS = frozenset("0123456789" + labels.OCR_ONES + labels.STRAY_OPENINGS + "".join(
    ch for _, openings, _ in labels.QUESTION_PATTERNS for ch in openings
) + "".join(labels.TRADITIONAL.get(c, "") for c in "题试问例第"))


def margins(reading: Reading) -> dict[int, float]:
    """For each candidate line, how much less the best reading that decides it the other way is worth
    (a chosen line read as another number or as text; a line left as text read as a question)."""
    after = _best_from(reading)
    overall = reading.value()
    through: dict[int, list[tuple[float, Candidate]]] = {}
    for k, c in enumerate(reading.candidates):
        through.setdefault(c.index, []).append((reading.best[k] + after[k] - c.gain, c))
    found = {}
    for index, values in through.items():
        chosen = reading.chosen.get(index)
        # (the same number read with another cut, '0004.' as '4', is no other reading of the question)
        rivals = [value for value, c in values if c is not chosen
                  and (chosen is None or c.label.number != chosen.label.number)]
        if rivals:
            found[index] = overall - max(rivals)
    return found


def explain(reading: Reading, lines: list[Line]) -> list[str]:
    """The chosen reading line by line, and for each disputed line the best reading that decides it
    the other way, with how much less it is worth."""
    out = [f"reading value {reading.value():.2f}; {len(reading.chosen)} questions chosen from "
           f"{len({c.index for c in reading.candidates})} candidate lines"]
    after = _best_from(reading)
    overall = reading.value()
    by_line: dict[int, list[int]] = {}
    for j, c in enumerate(reading.candidates):
        by_line.setdefault(c.index, []).append(j)
    for index, js in sorted(by_line.items()):
        chosen = reading.chosen.get(index)
        text = lines[index].text[:48]
        if chosen is not None:
            j = reading.candidates.index(chosen)
            prev = reading.back[j]
            how = ("starts the reading" if prev < 0 else
                   "{} {:+.2f}".format(*_named(transition(reading.candidates[prev], chosen,
                                                           _headed(reading.headings, reading.candidates[prev].index,
                                                                   index)))))
            out.append(f"L{index + 1:<5} question {chosen.label.printed or chosen.number} ({chosen.label.family}) "
                       f"[{_show(chosen.terms)}; {how}]  {text}")
            rivals = [(reading.best[k] + after[k] - reading.candidates[k].gain, k) for k in js
                      if reading.candidates[k] is not chosen]
            if rivals:
                value, k = max(rivals)
                rival = reading.candidates[k].number
                out.append(f"        runner-up: number {rival} here, worth {overall - value:.2f} less")
        else:
            value, k = max((reading.best[k] + after[k] - reading.candidates[k].gain, k) for k in js)
            c = reading.candidates[k]
            out.append(f"L{index + 1:<5} text, not a question; runner-up: question {c.number} ({c.label.family}) "
                       f"[{_show(c.terms)}], worth {overall - value:.2f} less  {text}")
    return out


def _named(term: tuple[str, float]) -> tuple[str, float]:
    return term[0], -term[1] if term[1] else 0.0


def _show(terms: tuple[tuple[str, float], ...]) -> str:
    return ", ".join(f"{name} {value:+.2f}" for name, value in terms)


def _best_from(reading: Reading) -> list[float]:
    """Value of the best chain that starts at each candidate (the DP run backwards), for explaining."""
    cands = reading.candidates
    after = [0.0] * len(cands)
    for j in range(len(cands) - 1, -1, -1):
        value = gain = cands[j].gain
        for k in range(j + 1, min(len(cands), j + 1 + WINDOW)):
            if gain + after[k] <= value or cands[k].index <= cands[j].index:
                continue  # (no cost is negative: this successor cannot do better)
            cost = transition(cands[j], cands[k], _headed(reading.headings, cands[j].index, cands[k].index))[1]
            if cost == float("inf"):
                continue
            value = max(value, cands[j].gain + after[k] - cost)
        after[j] = value
    return after
