"""Segment step: split run-on lines at inline headings, field labels and question labels.

Crawled text layers often lose line breaks ("…D 平行投影2、平行于正投影面…", "…D.量力性答案:C解析:…
2.(单项选择)…"). Headings and field labels are split hard; question labels are split *soft*: the
parser rejoins a soft piece whose number does not continue the sequence, so a stray "3、" in a
sentence costs nothing. Options stay on their stem's line: the parser reads an A→B→C run anywhere.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from itertools import pairwise

from pipeline.grammar import labels
from pipeline.limits import LINE_CACHE
from pipeline.page import Line, Page

RUN_ON_MIN = 150  # shorter lines are never split at question labels
HEADING_HINTS = labels.CharClass("题題共每PSD第释")
TOPIC_AFTER_SENTENCE = re.compile(r"[。?!？！][一二三四五六七八九十]{1,2}\s*[、.．]")  # "…访问。二、面向对象1. …"
SPLIT_HINTS = labels.FIELD_HINTS | HEADING_HINTS  # a short line without any of these has nothing to split
# The patterns below open with lookbehinds, so they are tried only where a cheap scan for their
# first characters finds a candidate (`_starts`), never at every position of a long line.
GLUED_PART_NAMES = "选择|填空|判断|简答|问答|解释|计算|论述"  # each two characters: a fixed-width lookbehind below
INLINE_HEADING = labels.rx(
    r"(?<=[\s。.?!)）:])[一二三四五六七八九十]{1,2}\s*[、.]\s*[^\s,。]{1,12}?题"
    r"|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}\s*[、.]\s*[\u4e00-\u9fff]{1,10}题"
    r"(?=\s*。?\s*(?:[:(（]|\d{1,3}\s*(?:[、.](?!\d)|[)）])|第\s*\d{1,3}\s*题|题目\s*\d|每|(?:要求|说明)\s*[:：]))"
    # a part named by its topic after a sentence end, its first question glued: "…供外部访问。二、面向对象1. 什么是…"
    r"|(?<=[。?!？！])[一二三四五六七八九十]{1,2}\s*[、.．]\s*[\u4e00-\u9fffA-Za-z]{2,12}"
    r"(?=(?:1\s*[、.．]|[(（]1[)）]|第\s*1\s*题|第一题)\s*[^\d\s])"
    # a part named without 题 but declared: "… 三、名词解释 (每题 6 分,共 30 分):"
    r"|(?<=[\s。.?!)）:])[一二三四五六七八九十]{1,2}\s*[、.]\s*[\u4e00-\u9fff]{2,10}\s*"
    r"(?=[(（][^()（）]{0,24}(?:共|每)[^()（）]{0,24}[)）])"
    # … also glued to the title, with long instructions: "…答案詳解一、數量關係(在這部分試題中,…共20題)"
    r"|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}\s*、\s*[\u4e00-\u9fff]{2,10}"
    r"(?=[(（][^()（）]{0,80}(?:共|每)[^()（）]{0,40}[)）])"
    # … or in lenticular brackets: "…D、工人阶级二、多项选择〖每小题1分,共计10分〗…"
    r"|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}\s*、\s*[\u4e00-\u9fff]{2,10}"
    r"(?=[〖【][^〖〗【】]{0,40}(?:共|每)[^〖〗【】]{0,40}[〗】])"
    # a part named by its topic right before question 1: "…评卷人得分 一、根据首字母填空 1.The bookstore…"
    r"|(?<=\s)[一二三四五六七八九十]{1,2}、[^\s,。]{2,12}(?=\s+1\s*[.、]\s*\S)"
    # a part by its own name: "…商管專二 試題 第一部份:會計學(…)", "…题库 第二部分 …"
    r"|(?<=[\s。.?!)）:])第[一二三四五六七八九十]{1,2}(?:部分|部份|章|节)"
    # a part named by its kind glued between the title and its first question: "…答案汇总一、选择1将编译…"
    r"|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}\s*[、.]\s*(?:单项|多项|不定项)?(?:" + GLUED_PART_NAMES
    + r")题?(?=\s*1(?!\d))"
    # English parts: "…(90 minutes)Part I Dialogue…", "…the square brackets.Section B Dialogue…"
    r"|(?<=[a-z.)])(?:Part|Section)\s+(?:[IVX]{1,4}|[A-H])\s+(?=[A-Z])"
    # … also after a space, before a bracket: "Paper One Part I Listening (15 minutes 15 %) Section A (10%)"
    r"|(?<=[a-z.)]\s)(?:Part|Section)\s+(?:[IVX]{1,4}|[A-H])\s+(?=[A-Z(]|\()"
    # a part's directions after its heading: "Section A Dialogue CompletionDirection:In this section…"
    r"|(?<=[A-Za-z)\s])Directions?\s*:"
)
INLINE_QUESTION = re.compile(
    rf"(?<![\dA-Za-z./:-])\d{{1,4}}(?:、|{labels.NUMBER_DOT})\s*\S"  # "…$1,132,0563. 鍾勻…": read by sequence
    # … also spaced ("1 . 下列…"), but never a cloze blank closing an English sentence ("…but she 6 . It was…")
    rf"|(?<![\dA-Za-z./:-])(?<![a-z]\s)\d{{1,4}}\s+(?:、|{labels.NUMBER_DOT})\s*\S"
    # a cloze's options-only items glued to the last option before ("…D. escaped2. A. worried about…")
    r"|(?<=[a-z])\d{1,2}\.\s*(?=A\s*[.．、]\s*\w)"
    rf"|(?<=[\s。?!)）;])\d{{1,3}}(?!{labels.UNITS})[\u4e00-\u9fff(（《“]"  # never a count: "每小题 1分"
    # "… 1 我国宪法…", "…:) 1 算法题:…"; never a count ("共 5 题", "每题 8 分")
    rf"|(?<=[\s。?!;\u4e00-\u9fff])(?<![目第题題])(?<!Unit\s)(?<!Lesson\s)(?<!Module\s)\d{{1,3}}\s+(?!{labels.UNITS})"
    r"(?=[\u4e00-\u9fff“]|[A-Z][a-z])"
    # English run-on: "…选择题1There may be…", "…one to one 3A【】contains…"
    r"|(?<=[\s。?!)）;])\d{1,3}(?=[A-Z][a-z]|[A-Z]?(?:【】|\(\s*\)|_{2,}))"
    r"|(?<=[a-z]{3})\d{1,2}(?=[A-Z][a-z])"  # … also after an option's word: "…Dcomposite attribute2In a…"
    r"|(?<=[\u4e00-\u9fff])\d{1,2}(?=[A-Z][a-z]{1,}\s)"  # … or a Chinese one: "…C,和 D,和8In SQL, …"
    rf"|(?<={GLUED_PART_NAMES})1(?!\d|{labels.UNITS})(?=[\u4e00-\u9fff(（“])"  # "一、选择1将编译程序…"
    r"|(?<=[a-z.?!\"”)])\d{1,6}\.(?=\s?[A-Z\"“(])"  # English run-on: "…D.complex2.Which of…", "…D.15May20238.Which…",
    # "…2 sections.16. I didn't answer…"
    # after an option's unit: "…D.110V4.热继电器…", "…30Hz6.电流…"; a page reference: "…见课本P453.原始凭证…"
    # (the reading cuts its digits apart)
    r"|(?<=[A-Za-z])\d{1,5}\.(?=[\u4e00-\u9fff])"
    # … or a formula that lost its symbols: "…(D) ab52)(ba6、不等式…", "…(D)ab.9、若多项式…"
    r"|(?:(?<=[A-Za-z])|(?<=[A-Za-z]\.))\d{1,2}、(?=[\u4e00-\u9fff])"
    # bracketed labels in run-on text: "…(×)（2）"Could you…", "…。 3) 下列…"
    # (never after a letter or a digit: "英语II (1)考核说明" is a title's part number)
    # "…(分数:1.00)A.B.C.D.(2).The…"
    # (never references inside an option: "A( ) (1)(2) B ( ) (1)")
    r"|(?<![A-Za-z0-9(（])(?<![A-Za-z0-9]\s)[(（]\d{1,3}[)）]\.?(?!\s*(?:[(（]\s*\d|[A-H]\s*[(（]))"
    r"(?=\s*[\u4e00-\u9fffA-Za-z\"“(（_—―?])"  # "?" a glyph lost in conversion
    r"|(?<=[\s。?!;)）\u4e00-\u9fff])\d{1,3}[)）](?=\s*[\u4e00-\u9fffA-Z\"“(（_—―?])"
    r"|(?<=[a-z]\s)[(（]\d{1,3}[)）](?=[A-Z][a-z])"  # after an English option: "…for the Earth (2)Today, …"
    r"|(?:(?<=[A-Za-z])|(?<=[A-Za-z]\s))[(（]\d{1,3}[)）](?=[A-Z][a-z]*\s)"  # "…so do I （2）I have…"
    # a statement's key at its end, then the next label: "…建立“中国共产党”D2、1922年…", "…根据地。A4、据…"
    r"|(?<=[\u4e00-\u9fff。”》)）][A-H])\d{1,3}、(?=\S)"
    # a numeric option and the next label glued: "…D.19782.新中国…" (the reading cuts the digits apart)
    r"|(?:(?<=[A-H][.．、])|(?<=\d[A-H]))\d{3,6}(?:、|\.(?!\d))(?=[\u4e00-\u9fff])"  # … "A70B80C114D100E12510、與學習…"
    r"|(?<=\d/)\d{2,6}、(?=[\u4e00-\u9fff《“(（])"  # … a fraction's: "…C、7/1204、《中华人民共和国…"
    # … after a bracketed label: "(D)812、在下列…", "(D) 43、下列…", "(D)3503 企业因下列…"
    r"|(?<=[(（][A-H][)）])\s?\d{2,6}(?:\s?、|\.(?!\d)|\s)(?=\s*[\u4e00-\u9fff])"
)
# In run-on text, a declared part named by its question type, glued to the text before it:
# "…D.过压保护多项选择题(每题2分,共10题)…" (never after an ordinal, a label or a bracket: "一、单项选择题(…)"
# is one heading; and only in long run-on lines: "面试问答题(共20题)" on a line of its own is one name).
TYPE_HEADING = labels.rx(
    rf"(?<![、.．:)）\s一二三四五六七八九十])(?:{'|'.join(labels.QUESTION_TYPES)})\s*"
    r"(?=[(（][^()（）]{0,30}(?:共|每)[^()（）]{0,30}[)）])"
)
HEADING_STARTS = labels.rx("[一二三四五六七八九十PSD第" + "".join(sorted({t[0] for t in labels.QUESTION_TYPES})) + "]")
# Word labels in run-on text: "…每题8分)题目1(8分)您如何…题目2(8分)…", "…第二题…".
# … and interview pages' "Q:" or "☆" after the last answer's sentence end: "…get back to them.Q: What makes
# you…", "…of the phone?☆ Describe a situation…"
WORD_QUESTION = labels.rx(r"题目\s*\d{1,3}(?![\d.])|第[一二三四五六七八九十]{1,3}题|第\s*\d{1,3}\s*题"
                          r"|(?:(?<=[。?!？！.)）])|(?<=[。?!？！.)）]\s))(?:(?:Q|问)\s*\d{0,3}\s*[:：](?!\d)|[☆★]\s*(?=\S))"
                          r"|[【\[](?:例题|例|真题|习题)\d{0,3}[】\]]")  # "…给我发消息【例题】下列…": anywhere
WORD_STARTS = labels.rx(r"[题第Q问☆★【\[]")
DIGIT_STARTS = re.compile(r"[(（]?\d+")
# A bare number between CJK characters: "…d會計主體2下列經濟業務…". Only ever a glued (weakest) split.
GLUED_QUESTION = re.compile(r"(?<=[\u4e00-\u9fff])\d{1,3}(?=[\u4e00-\u9fff])")
# After an option's lowercase formula, then a space: "…D a+b+c/d6 一个编译程序…A( )…"; or straight after
# a unit written in mixed case: "…E1820mL3有關生命體征…" (only where options follow, so that "x2 的值"
# inside an option stays whole).
GLUED_AFTER_LATIN = re.compile(r"(?<=[a-z)])\d{1,2}\s+(?=[\u4e00-\u9fff])|(?<=[a-z][A-Z])\d{1,2}(?=[\u4e00-\u9fff])")


# An answer grid's header row printed without its cells, glued between a heading and its first
# question: "…共计10分〗答案题数123456789101、20世纪…" (题数 1 … 10, then question 1).
ANSWER_GRID = labels.rx(r"(?:答案\s*)?(?:题号|题数|题次)\s*:?\s*(?=1\s*2\s*3)((?:\d{1,2}\s*){3,60})(?:答案|得分)?")


def _answer_grids(text: str) -> set[int]:
    """Where each empty grid's row of numbers 1, 2, 3 … N starts and ends; the digits after N are
    the next question's label."""
    cuts: set[int] = set()
    for m in ANSWER_GRID.finditer(text):
        digits, pos, n = m.group(1), 0, 1
        while (rest := digits[pos:].lstrip()).startswith(str(n)):
            pos, n = len(digits) - len(rest) + len(str(n)), n + 1
        if n > 4:  # 1, 2, 3, 4 at least
            cuts |= {m.start(), m.end() if not digits[pos:].strip() else m.start(1) + pos}
    return cuts


def _starts(text: str, pattern: re.Pattern[str], starts: re.Pattern[str]) -> set[int]:
    """Where `pattern` matches, tried only where `starts` finds its first character: patterns that
    open with a lookbehind are otherwise tried at every position of a long line."""
    return {c.start() for c in starts.finditer(text) if pattern.match(text, c.start())}


BARE_LABEL = re.compile(r"^\d{1,3}\s*[.、．]?$")  # "1." cut off before "1、…": nothing of its own


def _cut_at(text: str, positions: set[int] | list[int]) -> list[str]:
    starts = sorted({p for p in positions if p > 0})
    if not starts:
        return [text]
    bounds = [0, *starts, len(text)]
    pieces = [text[a:b].strip() for a, b in pairwise(bounds) if text[a:b].strip()]
    out: list[str] = []
    for piece in pieces:  # a bare label stays with what follows it ("1. 1、本站…" is one item)
        if out and BARE_LABEL.match(out[-1]):
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out


# A heading's declaration glued to its first question: "一、单选题(每小题1分)1是对…"
# … or to its name: "一、填空题第1题 …", "二、单项选择题1There may be…", "一、单选题1下列…"
HEADING_THEN_FIRST = labels.rx(r"(?<=[)）])\s*(?=1\s*(?:[、.．:]|[\u4e00-\u9fff(（“])|题目\s*1|第一题|第\s*1\s*题"
                               r"|1\d(?:\.\d)?分)"  # … or a quiz row's "1" then its score: "(30分)12分得:2分()…"
                               r"|(?<=题)(?=第\s*1\s*题|第一题|1(?!\d|" + labels.UNITS
                               + r")(?:[A-Z][a-z]|[\u4e00-\u9fff]))")


# A part named by its topic glued to its first question: "一、基础知识1. 什么是Java?…" (kinds K5).
TOPIC_THEN_FIRST = labels.rx(r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*[\u4e00-\u9fffA-Za-z]{2,12}"
                             r"(?=(?:1\s*[、.．]|[(（]1[)）]|1[)）]|第\s*1\s*题|第一题)\s*[^\d\s])")


def _heading_then_first(text: str) -> bool:
    return bool(labels.heading_match(text) and (HEADING_THEN_FIRST.search(text) or TOPIC_THEN_FIRST.match(text)))


LEADING_NUMBER = re.compile(r"\d{1,3}")


def _numbered_run(text: str) -> bool:
    """A short line that opens with a number and holds the next two ('1 算法题:… 2 设计题:… 3 问答题:…'),
    or the next one after a sentence's end ('6. Ann is studying at the university. 7. After…')."""
    first = LEADING_NUMBER.match(text)
    if first is None:
        return False
    n = int(first.group(0))
    found = {int(m.group(0)): p for p in _starts(text, INLINE_QUESTION, DIGIT_STARTS) if p
             and (m := LEADING_NUMBER.match(text, p + (text[p] in "(（")))}
    if {n + 1, n + 2} <= found.keys():
        return True
    return n + 1 in found and bool(SENTENCE_END.search(text, 0, found[n + 1]))


SENTENCE_END = re.compile(r"[.。?!？！]\s*$")


def _first_after_heading(text: str) -> int | None:
    """Where a heading's first question starts on the heading's line ('二、单项选择题1There may be…')."""
    if not labels.heading_match(text):
        return None
    m = HEADING_THEN_FIRST.search(text) or TOPIC_THEN_FIRST.match(text)
    return m.end() if m else None


INTRO_AFTER = 20  # text this long after a heading's declaration is its passage or instructions


def _heading_then_text(text: str) -> list[str]:
    """A heading ends at its declaration: '三、完形填空 (共计20分, 每题2分) Jules Verne's most famous…'
    is the heading and the passage it introduces."""
    if not labels.heading_match(text):
        return [text]
    m = labels.DECLARATION.search(text, 0, 80)
    if m is None or m.group(0)[:1] not in "(（" or len(text) - m.end() < INTRO_AFTER:
        return [text]
    rest = text[m.end():].strip()
    if HEADING_THEN_FIRST.match(text, m.end()) or rest[:1] in "(（" or rest[:1].isdigit():
        return [text]  # its first question or a further bracket: cut as labels, where the reading weighs them
    return [text[: m.end()].strip(), rest]


def _glued(text: str) -> list[str]:
    """Cuts at bare numbers that follow an A→D option run straight on ("…d會計主體2下列…"). A cut
    inside an option ("…D外下|14象限有閉孔神經 E外上|14象限…|5維持…": a fraction that lost its slash)
    keeps the run going: the next number is weighed against the run it interrupted."""
    pieces, start, run_from, in_option = [], 0, 0, False
    after_latin = [m for m in GLUED_AFTER_LATIN.finditer(text) if labels.split_options(text[m.end():])]
    for m in sorted([*GLUED_QUESTION.finditer(text), *after_latin], key=lambda m: m.start()):
        piece = text[start:m.start()]
        if _ends_option_run(piece):
            run_from, in_option = start, False
        elif pieces and (in_option or LATER_OPTION.search(piece)) and _ends_option_run(text[run_from:m.start()]):
            in_option = True
        else:
            continue
        pieces.append(piece.strip())
        start = m.start()
    return [*pieces, text[start:].strip()] if pieces else [text]


LATER_OPTION = re.compile(r"(?<![A-Za-z])[B-H](?=[\u4e00-\u9fff])")  # "…神經 E外上…": a run going on


def _ends_option_run(text: str) -> bool:
    run = labels.split_options(text)
    return bool(run and run[1] and run[1][-1][1])


KEY_LETTERS = re.compile(r"^\s*(?:[A-H√×](?:\s*[,，、]?\s*[A-H]){0,7})$")


def _fields(text: str) -> list[str]:
    """Hard cuts at field labels; an answer key glued to the next number ('答案:C2.…') is cut there too."""
    pieces = _cut_at(text, labels.inline_fields(text))
    out: list[str] = []
    for piece in pieces:
        found = labels.field_label(piece)
        if found and found[0] == "answer" and len(found[1]) > 1:
            head_len = len(piece) - len(found[1])
            m = labels.ANSWER_THEN_NUMBER.search(found[1], 1)
            if m and KEY_LETTERS.match(found[1][: m.start()]):  # a key of up to eight letters: "A, B, D2. …"
                out += [piece[: head_len + m.start()].strip(), found[1][m.start():].strip()]
                continue
            key = labels.KEY_THEN_ITEM.match(found[1])
            if key:  # "答案:錯" + the next item, which asks with its own blank
                out += [piece[: head_len + key.end()].strip(), found[1][key.end():].strip()]
                continue
        out.append(piece)
    return out


def split_line(line: Line) -> list[Line]:
    """Hard splits at inline headings and field labels; then, on run-on text (a long line, or one
    that already held a heading or a field), soft splits at question labels. Only the first piece
    keeps the line's paragraph break."""
    pieces = _pieces(line.text)
    if pieces is None:
        return [line]
    return [Line(text, gap=line.gap and i == 0, soft=soft, glued=glued) for i, (text, soft, glued) in enumerate(pieces)]


Piece = tuple[str, bool, bool]  # text, soft, glued


@lru_cache(maxsize=LINE_CACHE)
def _pieces(text: str) -> tuple[Piece, ...] | None:
    """The pieces of a line's text; None when it stays whole. A pure function of the text: a crawl
    repeats its lines (chrome, copies of one document, shared questions), each is split once."""
    long = len(text) >= RUN_ON_MIN
    if (not long and not SPLIT_HINTS.found_in(text) and not _option_line(text)
            and not TOPIC_THEN_FIRST.match(text) and not (text[:1].isdigit() and _numbered_run(text))):
        return None  # nothing to split on: the common case, kept cheap
    if not (HEADING_HINTS.found_in(text) or TOPIC_AFTER_SENTENCE.search(text)):
        headings = [text]
    else:
        cuts = _starts(text, INLINE_HEADING, HEADING_STARTS)
        if "题" in text:
            cuts |= _answer_grids(text)
        if long:
            cuts |= _starts(text, TYPE_HEADING, HEADING_STARTS)
        headings = [h for cut in _cut_at(text, cuts) for h in _heading_then_text(cut)]
    fields_possible = labels.FIELD_HINTS.found_in(text)
    pieces = [p for h in headings for p in (_fields(h) if fields_possible else [h])]
    # "D. harmony 7. It is easy to …", "一、单选题(每小题1分)1是对…", "答:…污染环境2、汽油的…": labels
    # inside short lines too, after an option, a heading's declaration or an answer, or in a run ("1 … 2 … 3 …")
    option_line = (_option_line(text) or _heading_then_first(text)
                   or (fields_possible and labels.field_label(text) is not None) or _numbered_run(text))
    if len(pieces) == 1 and not long and not option_line:
        return None
    if not (long or len(pieces) > 1 or option_line):
        return tuple((piece, False, False) for piece in pieces)
    out: list[Piece] = []
    for piece in pieces:
        starts = _starts(piece, INLINE_QUESTION, DIGIT_STARTS) | _starts(piece, WORD_QUESTION, WORD_STARTS)
        starts |= _unlabelled_items(piece)
        first = _first_after_heading(piece)
        if first:
            starts.add(first)  # where the heading's first question starts, whatever its label
        for k, q_piece in enumerate(_cut_at(piece, starts)):
            glued = _glued(q_piece) if long else [q_piece]
            out.append((glued[0], k > 0, False))
            out += [(g, True, True) for g in glued[1:]]
    return tuple(out)


def _option_line(text: str) -> bool:
    """A line of options: one opening with a label ('A.…'), or a run A→D with no delimiters
    ('A作业性 B 战略性C战术性 D 战略战术性6 保健因素是指…': the next question may be glued to its end)."""
    if labels.leading_option(text) is not None:
        return True
    if text[:1] != "A":
        return False
    run = labels.split_options(text)
    return bool(run and not run[0].strip() and len(run[1]) >= 3)


# An unlabelled item's blank right before its option run: "…沸点是()A.50度B.80度…"
BLANK_THEN_OPTIONS = re.compile(r"(?:\(\s*\)|(?<!_)_{2,})\s*(?=A\s*[.．、])")  # (a run of blanks read once)
OPTION_LABEL = re.compile(r"(?<![A-Za-z])([A-H])\s*[.．、]")


def _unlabelled_items(text: str) -> set[int]:
    """Where unlabelled choice items start in run-on text (kinds K4: '…()A.50度B.80度C.100度D.120度地球上
    面积最大的大洋是()A.大西洋…'): between one option run and the next item's blank, the last option
    ends where the run's other options do (their common ending: '度', '洋'); the next stem starts there."""
    cuts: set[int] = set()
    blanks = [m.end() for m in BLANK_THEN_OPTIONS.finditer(text)]
    for run_start, next_blank in pairwise(blanks):
        found = [m for m in OPTION_LABEL.finditer(text, run_start, next_blank)]
        letters = [m.group(1) for m in found]
        if len(found) < 3 or letters != [chr(ord("A") + i) for i in range(len(found))]:
            continue
        others = [text[a.end(): b.start()].strip() for a, b in pairwise(found)]
        ending = _common_ending(others)
        last = text[found[-1].end(): next_blank]
        end = last.find(ending) if ending else -1
        if end >= 0 and end + len(ending) < len(last.rstrip("()_ ")):
            cuts.add(found[-1].end() + end + len(ending))
    return cuts


def _common_ending(texts: list[str]) -> str:
    """The characters every text ends with (a unit or a word's last character), '' when none."""
    ends = os.path.commonprefix([t[::-1] for t in texts])  # noqa: RUF071  (by character is what is wanted)
    return ends[::-1] if texts and all(texts) else ""


RUN_ON_PIECES = 3  # a long line cut into this many pieces or more was run-on text


def segment(page: Page) -> bool:
    """Split every line; True when some long line turned out to be run-on text (many pieces)."""
    out: list[Line] = []
    run_on = False
    for line in page.lines:
        pieces = split_line(line)
        run_on = run_on or (len(pieces) >= RUN_ON_PIECES and len(line.text) >= RUN_ON_MIN)
        out += pieces
    page.lines = out
    return run_on
