"""The label vocabulary of question pages: question numbers, headings, fields, options, scores.

Pure regexes and tiny helpers; the parser decides what a match means in context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Traditional-script pages (Big5 sites) use the same vocabulary in other glyphs: every pattern
# below is compiled with each simplified character also matching its traditional form.
TRADITIONAL = dict(zip(
    "题问单选择简论计识满参试详点评习么为请谈说释较举项确标读写综实务术员业关对错别处应该总数万与专两个义于产从优会党净准则区"
    "压叁变号后吗听国场学宪层属岁干异户据断杠条构样渐现电砖种级线组细经结绕统绩编节见证词译语误账贰资过进钢阅阐阳陆页须风钟几类启绝",
    "題問單選擇簡論計識滿參試詳點評習麼為請談說釋較舉項確標讀寫綜實務術員業關對錯別處應該總數萬與專兩個義於產從優會黨淨準則區"
    "壓叄變號後嗎聽國場學憲層屬歲幹異戶據斷槓條構樣漸現電磚種級線組細經結繞統績編節見證詞譯語誤賬貳資過進鋼閱闡陽陸頁須風鐘幾類啟絕",
    strict=True,
))


def variants(pattern: str) -> str:
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        trad = TRADITIONAL.get(ch)
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        if trad and trad != ch:
            out.append(ch + trad if in_class else f"[{ch}{trad}]")
        else:
            out.append(ch)
    return "".join(out)


VOCABULARY: list[str] = []  # every pattern compiled with its traditional variants (the vocabulary)


def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    VOCABULARY.append(pattern)
    return re.compile(variants(pattern), flags)


class CharClass:
    """A set of characters asked "does this text hold one of them?" on every line: one regex
    search (C, no objects made) instead of `frozenset.isdisjoint(text)`, which builds a
    one-character string per CJK character (~7× slower on a line)."""

    __slots__ = ("_search", "chars")

    def __init__(self, chars: str | frozenset[str]) -> None:
        self.chars = frozenset(chars)
        self._search = re.compile("[" + "".join(sorted(re.escape(c) for c in self.chars)) + "]").search

    def found_in(self, text: str) -> bool:
        return self._search(text) is not None

    def __or__(self, other: CharClass) -> CharClass:
        return CharClass(self.chars | other.chars)


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100}
CN_NUM = "[一二三四五六七八九十百零〇两壹贰叁肆伍陆柒捌玖拾佰]"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(text: str) -> int | None:
    """'十二' → 12, '二十' → 20, '一百零五' → 105; arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


# "3." as a label: not a decimal ("3.5"), but a stem may start with a number ("3.5年后", "5.1921年7月…").
# A score is never a label and its stem ("每题1.0分"); other units may be ("3.5年后" read by sequence).
NUMBER_DOT = (r"\.(?!\d)|\.(?=\d{1,3}(?!\d|\s*分)[\u4e00-\u9fff])|\.(?=(?:1[5-9]|20)\d{2}\s*年)"
              r"|\.(?=\d{1,4}[A-Za-z]{1,3}[\u4e00-\u9fff])")  # "2.220V电压属于()": a stem opening with a quantity
# What a number counts when a unit follows it ("1分", "45小题", "3 个", "1.0分"): a quantity, not a label.
UNITS = (r"(?:分|小题|小題|道|题|題|个|個|年|月|日|天|次|人|元|万|萬|页|頁|岁|歲|名|种|種|条|條|米|克|项|項|倍|位|层|層"
         r"|%|％)")


# Label families that are words ('题目1', '第一题'): printed as the page printed them.
WORD_FAMILIES = frozenset({"timu", "di"})


@dataclass(frozen=True)
class Label:
    family: str  # numbering style: arabic, paren, rparen, circled, timu, di, q, star, example
    number: int | None
    printed: str  # the label as printed, e.g. "题目1", "第一题", "Q:"
    rest: str  # the line after the label


# A question's number: up to four digits (an item bank runs past 999; a longer number is a code or a
# year's neighbour, and a number is only read as a label where it continues the page's sequence).
QNUM = r"\d{1,4}"
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")  # a CJK character or full-width form: no space beside it
ITEM_CODE = r"[(（][A-Za-z][A-Za-z0-9-]{2,15}[)）]"  # an item bank's code after the number: "1(La2A3261)."

# (family, the characters a label of it opens with, its pattern). The openings route each line to
# the few patterns it could match: a "1." line tries two patterns, not nine.
QUESTION_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    ("timu", "题试问例第", rx(rf"^(题目|试题|问题|例题|第)\s*({CN_NUM}+|{QNUM})\s*(?:题|问)?\s*[:.、]?\s*")),
    ("di", "第", rx(rf"^(第)\s*({CN_NUM}+|{QNUM})\s*[题问]\s*[:.、]?\s*")),
    ("example", "【[", rx(r"^[【\[](例题|例|题目|试题|问题|真题|习题)(\d{0,3})[】\]]\s*")),
    ("q", "Q问", rx(r"^(Q|问)\s*(\d{0,3})\s*[:.](?!\d)\s*")),
    ("star", "☆★●◆■▲◇□○", rx(r"^([☆★●◆■▲◇□○])\s*")),
    ("paren", "(（", rx(rf"^([(（])\s*({QNUM})\s*[)）]\s*")),
    ("circled", CIRCLED, rx(rf"^([{CIRCLED}])\s*")),
    ("rparen", "0123456789", rx(rf"^()({QNUM})\s*[)）]\s*")),
    # chapter-item labels "2-1什么是杠杆原理?" (kinds K2): the item's number within its chapter
    ("chapter", "0123456789",
     rx(rf"^(\d{{1,2}}\s*[-－–])(\d{{1,3}})(?!\d|\s*{UNITS})\s*(?:、|\.(?!\d)|:)?\s*")),
    # "1.", "1、", and the item-bank form "1(La2A3261)." with the item's code before the dot
    ("arabic", "0123456789",
     rx(rf"^()({QNUM})\s*(?:{ITEM_CODE})?\s*(?:、|{NUMBER_DOT})\s*")),
]
DI_QUESTION = rx(rf"^第\s*(?:{CN_NUM}+|{QNUM})\s*[题问]")


def _by_first(table: list[tuple[str, str, re.Pattern[str]]]) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """First character → the patterns a label opening with it may match, in the table's order."""
    routes: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for family, openings, pattern in table:
        for ch in openings + "".join(TRADITIONAL.get(c, "") for c in openings):
            routes.setdefault(ch, []).append((family, pattern))
    return routes


_PATTERNS_BY_FIRST = _by_first(QUESTION_PATTERNS)
# Run-on text glues the number straight to the stem ("1以下生物结构…"): only used for soft splits.
WEAK_ARABIC = rx(r"^()(\d{1,3})(?=[\u4e00-\u9fff(（《“])")


# Misreadings of a label that a page's numbering can vouch for: accepted only where the whole-page
# reading (`reading.py`) finds them continuing a sequence. Each opens with the label's number.
MISPRINTED_LABEL = re.compile(r"^()(\d{1,3})\s*[,，](?!\d)\s*")  # "1,地球绕太阳…" (a comma for the dot)
OCR_ONES = "lI|"  # what a scan reads a 1 as
OCR_ONE = re.compile(rf"^([{OCR_ONES}])(\d{{1,2}})\s*[.．、](?!\d)\s*")  # "l7. In his…": the 1 of 17 read as l
STRAY_MARKS = ")）]】,，.。;；"  # what a line may carry over from the one before, ahead of its label
# ")1.下列…": a bracket left over; "( ) 2.>…": the blank of the question before, pushed onto this line
STRAY_MARK = re.compile(rf"^(?:[(（]\s*[)）]|[{re.escape(STRAY_MARKS)}])\s*(?=\d)")
STRAY_OPENINGS = STRAY_MARKS + "(（"  # the first characters STRAY_MARK can match
ONLY_BLANK = re.compile(r"^[(（]\s*[)）]$")  # a line that is only an answer blank: the stem's, not a note
BARE_NUMBER = re.compile(r"^()(\d{1,3})\s*$")  # "1" on a line of its own, the item below it
SPACED_NUMBER = re.compile(r"^()(\d{1,3})\s+(?=[\u4e00-\u9fff(（“]|[A-Z][a-z])")  # "1 算法题:…", "1 我国宪法…"
# "1There may be…", "3A【】contains…" in English run-on text
WEAK_LATIN = re.compile(r"^()(\d{1,3})(?=[A-Z][a-z]|[A-Z]?(?:【】|\(\s*\)|_{2,}))")
# A bare-number label's score right after it, as a quiz export prints it on the next line ("1" / "2分"):
# "12分()驾驶时…" where the line breaks were lost (never minutes or a fraction: "5分钟", "3分之1").
LEADING_SCORE = rx(r"(\d{1,2}(?:\.\d)?)\s*分(?![钟之])")
QUANTITY = rx(rf"^\s*(?:\d{{1,3}}\s*)?{UNITS}")

# The costs of the whole-page reading, in one place: why a line was (or was not) read as a question.
# A reading's value is the sum of its questions' gains minus the costs of how they follow each other;
# `python -m pipeline explain PAGE` prints every term. A label is worth reading when its gain is more
# than what it costs to fit it in.
READING_COSTS: dict[str, float] = {
    "question": 3.0,  # gain: one more question read (the page is a question set: labels are what it is made of)
    "asks": 0.5,  # gain: what follows the label asks something ("…是()", "?", "简述…")
    "soft_label": 0.5,  # a label found inside run-on text, not at a line's start: a number in a sentence may look so
    "weak_label": 1.0,  # a number glued to its text or followed by a space ("1以下…", "1 算法题"): often a quantity
    "glued_label": 1.5,  # a bare number between CJK characters: the weakest label of all
    "misprinted_label": 1.5,  # "1," for "1.", or a stray ")" before the label: only when the sequence vouches
    "bare_number": 1.5,  # a number alone on its line: a label only where the numbering runs through such lines
    "quantity": 2.0,  # a weak label whose text starts with a unit ("1分", "45小题"): a number counting something
    "list_item": 2.5,  # an item that ends in ';' ("(2)因处置固定资产产生净收益30万元;"): a list inside a sentence
    "no_text": 3.0,  # nothing after the label but option letters and blanks ("(2) B ( )"): a numbered blank
    "digits_cut": 0.5,  # the label's digits cut off a number glued before it ("…D.1978" + "2.新中国…")
    "combined_by_options": 3.0,  # circled items whose options combine them ("A.①③② B.③②①"): a question's items
    "in_passage": 3.0,  # between a direction naming questions a–b and question a: the passage's own numbering
    "start_not_one": 0.5,  # numbering may start anywhere (a preview from question 16), but 1 is likeliest
    "numbering_gap": 1.0,  # a missing number: a misprint or a question lost; costs a warning, never the rest
    "gap_per_number": 0.25,  # each further missing number: far jumps are years, amounts, codes
    "gap_cap": 3.5,  # no gap costs more than this: past it, the numbering itself must vouch for the label
    "restart_after_heading": 0.5,  # numbering starting again under a new section heading: normal
    "restart": 4.0,  # starting again without a heading: a list inside a question, or a key part
    "family_change": float("inf"),  # another label style ("1." then "(2)") without a heading between: those
    # are sub-items; one reading keeps one style per part (the parser's rule too)
}


NUMBERED_FAMILIES = frozenset({"timu", "di", "paren", "rparen", "arabic", "q", "example", "chapter"})


def question_label(text: str, allow_weak: bool = False) -> Label | None:
    for family, pattern in _PATTERNS_BY_FIRST.get(text[:1], ()):
        m = pattern.match(text)
        if not m:
            continue
        if family == "timu" and m.group(1) == "第":
            # "第1页" and "第一部分" are not question labels: "第N" needs 题/问 right after it.
            if not DI_QUESTION.match(text):
                continue
            family = "di"
        groups = m.groups()
        number = None
        if family in NUMBERED_FAMILIES and len(groups) > 1 and groups[1]:
            number = cn_to_int(groups[1])
        elif family == "circled":
            number = CIRCLED.index(groups[0]) + 1
        return Label(family, number, m.group(0).strip(), text[m.end():])
    if allow_weak:
        m = WEAK_ARABIC.match(text)
        if m:
            return Label("arabic", int(m.group(2)), m.group(2), text[m.end():])
    return None


# --- section headings ------------------------------------------------------------------------
# Parts of a document by their own name: "第一部分", "第二节", "第一章" head a section whatever follows.
PART_WORDS = ("部分", "部份", "节", "章")
HEADING = rx(rf"^(?:第\s*)?({CN_NUM}{{1,3}})\s*([、.]|{'|'.join(PART_WORDS)})\s*(.+)$")
PAREN_HEADING = rx(rf"^[(（]({CN_NUM}{{1,3}})()[)）]\s*(.+)$")  # "(一)单项选择题": a heading in the same shape
# English papers: "Part I Vocabulary and Structure (20 points)", "Section A Dialogue Completion".
ENGLISH_HEADING = re.compile(r"^(?:Part|PART|Section|SECTION)\s+([IVX]{1,4}|[A-H]|\d{1,2})()\b[\s.:]*(.*)$")
# Words that name a kind of question or a part of a paper.
HEADING_WORD_LIST = ("题", "问答", "选择", "填空", "判断", "简答", "论述", "分析", "计算", "案例", "情景", "材料",
                     "阅读", "写作", "作文", "听力", "综合", "实务", "知识", "面试", "技能", "技巧", "部分", "名词解释",
                     "解释", "辨析", "翻译", "改错")
HEADING_WORDS = rx("|".join(HEADING_WORD_LIST))
# Names of question types: a part named by one and declared ('多项选择题(每题2分,共10题)') is a heading
# wherever it stands, also glued to the text before it.
QUESTION_TYPES = ("不定项选择题", "单项选择题", "多项选择题", "单选题", "多选题", "判断题", "填空题", "简答题",
                  "问答题", "论述题", "计算题", "案例分析题", "名词解释", "是非题")
# A cheap pre-check: a heading line holds one of these characters in its first 40 (a part word,
# a declaration, an English part, or the first character of a heading word, in either script).
_HINT_CHARS = "共每满章节部PS" + "".join(w[0] for w in HEADING_WORD_LIST)
HEADING_HINT = CharClass(_HINT_CHARS + "".join(TRADITIONAL.get(c, "") for c in _HINT_CHARS))


_HEADING_OPENINGS = frozenset("第(（PS" + CN_NUM[1:-1])  # what HEADING, PAREN_HEADING, ENGLISH_HEADING open with


def may_be_heading(text: str) -> bool:
    """A cheap pre-check: a heading opens with an ordinal, 第, a bracket or Part/Section, or ends
    with its declaration ('单项选择题(每题2分)'); and holds a heading character in its first 40."""
    if not text or (text[0] not in _HEADING_OPENINGS and not text.rstrip().endswith((")", "）"))):
        return False
    return HEADING_HINT.found_in(text[:40])


def heading_match(text: str) -> re.Match[str] | None:
    """Ordinal, separator, then the rest of a heading line: '一、…', '第一部分…', '第二节…', '(一)…',
    'Part I …'. Groups: 1 ordinal, 2 separator or part word, 3 the rest."""
    if text[:1] not in _HEADING_OPENINGS:
        return None  # the common line: none of the three can open here
    return HEADING.match(text) or PAREN_HEADING.match(text) or ENGLISH_HEADING.match(text)


# A part named by its topic, not its question type ("一、2019年上半年", "题组二 浮力", "Test 1", "工作项目 01:…"):
# a heading only where a numbered question follows it straight away (the parser checks that).
TOPIC_HEADING = rx(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]|题组\s*[一二三四五六七八九十\d]{1,3}|Test\s+\d{1,2}\b"
                   r"|工作项目\s*\d{1,3}\s*:?)\s*[^,。?!;]{0,20}$")
DECLARATION = rx(r"[(（][^()（）]*(?:共|每|各|满分|总分|总题数|分数\s*:|计|\d\s*[×xX*]\s*\d)[^()（）]*[)）]"
                 r"|(?:共|每小?题|各|满分)\s*\d")
COUNT = rx(r"(?:共|包括|本大题共|计)\s*(\d+)\s*(?:小|道|个)?\s*(?:题|问)|(\d+)\s*questions\b"
           r"|总题数\s*:?\s*(\d+)|[(（]\s*(\d+)\s*(?:小|道)?题\s*[,，;；]|本大题有\s*(\d+)\s*(?:小|道)?题", re.I)
# A range of question numbers: "第 1-45小题" (45 questions), "(1 25 題,…" (its dash lost in conversion).
COUNT_RANGE = rx(r"(\d+)\s*[-—–~～至到]\s*(\d+)\s*(?:小|道)?题|[(（]\s*(\d+)\s+(\d+)\s*(?:小|道)?题")
# "(…每題 2 分,共 50 )": a total that lost its unit, read only when it is the count × each.
BARE_TOTAL = rx(r"共\s*(\d+(?:\.\d+)?)\s*[)）]")
EACH = rx(r"(?:每(?:小|道)?题|各(?:小)?题|每问|各)\s*(?:均)?\s*(\d+(?:\.\d+)?)\s*分"
          r"|(\d+(?:\.\d+)?)\s*points?\s+each|each[^,;()]{0,12}?(\d+(?:\.\d+)?)\s*points?", re.I)
TOTAL = rx(r"(?:共|满分|总分|合计|计)\s*(\d+(?:\.\d+)?)\s*分"
           r"|^[^(（]*(?:[(（][一二三四五六七八九十]{1,3}[)）]\s*)?"  # a name's own ordinal first: "现代文阅读(一)"
           r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*(?:[)）]|[,，;；]\s*每)"  # a bare "(30分)", "(20分,每小题2分)"
           r"|^\s*(\d{1,3})\s*分\s*$"  # a part declared by its points alone, bare: "二、70分"
           r"|(?<![每题])分数\s*:\s*(\d+(?:\.\d+)?)"  # "(总题数: 2,分数: 4.00)"
           r"|(\d+(?:\.\d+)?)\s*points?(?!\s+each)"
           r"|[(（][^()（）]{0,20}?(\d+(?:\.\d+)?)\s*[%％]\s*[)）]", re.I)  # "(15 minutes 15 %)": the part's weight
BARE_COUNT = rx(r"[(（]\s*(\d+)\s*(?:小题|道题|道|题)\s*[)）]")  # "一、单选题(10题)", "(80 道)"
PRODUCT = rx(r"(?P<first>\d+(?:\.\d+)?)\s*(?P<unit>分)?\s*[×xX*]\s*(?P<second>\d+(?:\.\d+)?)\s*分?\s*=\s*"
             r"(?P<total>\d+(?:\.\d+)?)\s*分")


def first_group(m: re.Match[str] | None) -> str | None:
    """The number a declaration pattern found, whichever of its alternatives matched."""
    return next((g for g in m.groups() if g is not None), None) if m else None


UNORDERED_HEADING = rx(r"^(.{2,30}?)\s*([(（][^()（）]*(?:共|每|满分)[^()（）]*[)）])\s*$")


def number_value(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


# --- fields ----------------------------------------------------------------------------------
# One table: each field's words. A field label is a word in brackets (`【答案】`, `[解析]`) or a word
# and a colon (`答案:`, `正确答案是:`). `inline` words are distinctive enough to start a field in the
# middle of run-on text (`…D.量力性答案:C解析:…`); the others only at the start of a line.
FIELD_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "answer": {
        "inline": ("参考答案", "正确答案", "标准答案", "本题答案", "答案", "参考回答", "示例答案", "答案示例",
                   "回答示例", "参考答案与解析", "参考答案及解析", "答案与解析", "答案及解析", "参考答案及评分标准",
                   "参考答案要点", "答题参考要点", "答题要点"),
        "line": ("参考答", "答", "Answer", "Ans"),
    },
    "analysis": {
        "inline": ("答案解析", "试题解析", "本题解析", "试题解释", "解析", "详解", "点评", "知识点", "考点"),
        "line": ("分析", "命题思路", "本题思路", "解题思路"),
    },
    "scoring": {"inline": ("评分要点", "评分标准", "评分细则", "得分要点"), "line": ()},
    "requirements": {"inline": (), "line": ("要求", "问题", "任务")},
}
# The word each field is printed with in our own editions (as 【答案】…): one of its words, so that an
# edition read back as a page parses to the same fields.
FIELD_TITLES = {"answer": "答案", "analysis": "解析", "scoring": "评分要点"}
# Words a field may stand as alone, with no colon, at the end of a run-on item: "正确答案是:A试题解释".
BARE_FIELD_WORDS = ("试题解释",)
UNBRACKETED = frozenset({"requirements"})  # never written in brackets; every other field may be


MARKED = r"(?:[(（]\s*★\s*[)）]\s*)?"  # "(★)答:…": a label marked for the reader
MARK_TAIL = re.compile(r"[(（]\s*★\s*[)）]$")
# "答案 B解析 apple…": an answer word without its colon, right before the key letters.
KEY_AHEAD = r"(?=[A-H]{1,5}(?![A-Za-z]))"


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first: 参考答案 before 答案


def _field_pattern(name: str) -> re.Pattern[str]:
    words = FIELD_WORDS[name]["inline"] + FIELD_WORDS[name]["line"]
    alt = _alternation(words)
    bracketed = "" if name in UNBRACKETED else rf"[【\[](?:{alt})[】\]]|"
    keyed = {"answer": rf"|(?:{_alternation(FIELD_WORDS[name]['inline'])})\s*{KEY_AHEAD}",
             "analysis": rf"|(?:{_alternation(FIELD_WORDS[name]['inline'])})\s+(?=\S)"}.get(name, "")  # "解析 apple…"
    return rx(rf"^{MARKED}(?:{bracketed}(?:{alt})\s*(?:是|为)?\s*:{keyed})\s*", re.I)


FIELD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, _field_pattern(name)) for name in FIELD_WORDS]
_INLINE_WORDS = _alternation(tuple(w for spec in FIELD_WORDS.values() for w in spec["inline"]))
# Tried only at the candidates `inline_fields` scans for; it also drops the cuts that are no label.
INLINE_FIELD = rx(
    rf"[【\[](?:{_INLINE_WORDS}|分析)[】\]]"  # bracketed labels split anywhere
    rf"|(?:{_INLINE_WORDS})\s*(?:是|为)?\s*:"
    rf"|(?:{_alternation(FIELD_WORDS['answer']['inline'])})\s+{KEY_AHEAD}"  # "…D.pen答案 B解析 …"
    r"|(?<=[A-H])解析(?=\s)"  # … and its analysis right after the key
    rf"|(?:{_alternation(BARE_FIELD_WORDS)})(?=\s*(?:$|\d{{1,3}}\s*[、.]))"
    r"|(?P<short>答)\s*:"  # "…什么叫电力系统 ? 答:…": the short label, only right after a question
)
NOT_A_FIELD_BEFORE = frozenset("请按从见")  # "请按答案:…" is an instruction, not a label
# A question that ends without its mark, by its asking word: "…的特点是什么答:…", "…有哪些答:…"
ASKING_END = rx(r"(?:什么|哪些|哪几[种个类项]?|吗|呢|如何|怎样|怎么样|多少)$")


def inline_fields(text: str) -> list[int]:
    """Where field labels start inside `text`. A cheap scan for their first characters finds the
    candidates (an alternation of words is slow to try at every position), INLINE_FIELD decides."""
    found: list[int] = []
    end = 0
    for candidate in _FIELD_START.finditer(text):
        m = INLINE_FIELD.match(text, candidate.start()) if candidate.start() >= end else None
        if m is None:
            continue
        end = m.end()
        start = m.start()
        if m.group("short"):
            head = text[:start].rstrip()
            mark = MARK_TAIL.search(head)  # "…?(★)答:": the label starts at its mark
            if mark:
                head, start = head[: mark.start()].rstrip(), mark.start()
            if head.endswith(("?", "。", "!")) or ASKING_END.search(head):
                found.append(start)
        elif not (start and text[start - 1] in NOT_A_FIELD_BEFORE):
            found.append(start)
    return found


def _hitting_chars(words: list[str]) -> str:
    """A few characters such that every word holds one of them (greedy: the most shared first)."""
    chosen, left = "", list(words)
    while left:
        best = max(sorted({c for w in left for c in w}), key=lambda c: sum(c in w for w in left))
        chosen += best
        left = [w for w in left if best not in w]
    return chosen


_INLINE_WORD_LIST = [w for spec in FIELD_WORDS.values() for w in spec["inline"]] + list(BARE_FIELD_WORDS)
# Characters that must be in a line for it to hold any field label: a cheap pre-check for splitters.
FIELD_HINTS = CharClass("【[" + "".join(c + TRADITIONAL.get(c, "") for c in _hitting_chars(_INLINE_WORD_LIST)))


def _prefixes(words: list[str]) -> list[str]:
    """Two-character openings of the words in both scripts, as plain literals: an alternation of
    literals lets the regex engine skip straight to candidates."""
    heads = {w[:2] for w in words} | {"答"}
    heads |= {"".join(TRADITIONAL.get(c, c) for c in h) for h in heads}
    return sorted(heads, key=len, reverse=True)


_FIELD_START = re.compile("|".join([*_prefixes(_INLINE_WORD_LIST), "【", "\\["]))
ANSWER_PART = rx(
    # (after a paper's name, in a file of papers and their keys: "语文Ⅰ试题参考答案", "语文Ⅱ(附加题)参考答案")
    rf"^(?:{CN_NUM}{{1,3}}\s*[、.]\s*|第\s*{CN_NUM}+\s*部分\s*|[^\s,。?!:;]{{0,12}}(?:试题|试卷|卷|[)）]))?[【\[]?"
    r"(参考答案(?:及|与|和)?(?:解析|详解)?|答案(?:及|与|和)?(?:解析|详解)|答案解析|试题答案|标准答案|答案)"
    r"[】\]]?$"
)
# An answer key glued to the next question's number: "答案:C2.属于…" (split before the "2.").
# A one-word key glued to the next unlabelled item, which ends in its own blank: "答案:錯文件的物理組織…。()".
# (a capital before another letter opens a word: "参考回答:First of all…", "CRM, or …" hold no key)
KEY_THEN_ITEM = rx(r"^([A-H]{1,5}|[√×对错對錯])(?![A-Za-z])"
                   r"(?=[^\s,，。;；、)）].{3,}(?:[(（]\s*[)）]|_{2,}|[?？])\s*[。.]?\s*$)")
# (the next label may carry its item-bank code: "答案:B2(La2A4262).依照…")
ANSWER_THEN_NUMBER = re.compile(rf"(?<=[A-H√×])(?=\d{{1,3}}\s*(?:{ITEM_CODE})?\s*(?:、|．|{NUMBER_DOT}|[)）]))")


def _field_openings() -> frozenset[str]:
    """The characters a field label opens with: a bracket or a field word's first character (both
    scripts, both cases)."""
    firsts = {w[0] for spec in FIELD_WORDS.values() for kind in spec.values() for w in kind}
    return frozenset("【[(（" + "".join(c + TRADITIONAL.get(c, "") + c.swapcase() for c in firsts))  # ( for MARKED


FIELD_OPENINGS = _field_openings()


def field_label(text: str) -> tuple[str, str] | None:
    if text[:1] not in FIELD_OPENINGS:
        return None  # the common line: no field word or bracket opens it
    if text in BARE_FIELD_WORDS:
        return "analysis", ""
    for name, pattern in FIELD_PATTERNS:
        m = pattern.match(text)
        if m:
            return name, text[m.end():].strip()
    return None


# --- options ---------------------------------------------------------------------------------
OPTION_LETTERS = "ABCDEFGH"
# Strong labels: a letter and a delimiter ('A.', 'A、', 'A)', '(A)', 'A:'). On run-on pages they are
# glued to the text before them ('…的是A.因材施教B.循序渐进', '…to:A.rareB.common'), so anything but a
# capital may precede one; the run's order (A→B→C) is what makes them options.
# "A( ) 字符串": a letter with an empty box to tick is an option label too.
STRONG_OPTION = rx(r"(?:(?<![A-Z])|(?<=[0-9][A-Z]))"  # after a capital only in a unit: "…A.220VB.380V…"
                   r"(?:[(（【]\s*)?([A-H])\s*(?:[)）】.、:．]|[(（]\s*[)）])")
WEAK_OPTION = rx(r"(?:^|(?<=[\s。;)）?]))([A-H])\s*[.、．]?(?=[\u4e00-\u9fff]|\s+\S|[A-Z]|\s*$)")
# After A and B, a later letter may follow a CJK character straight on: "…钢筋砖过梁C 木过梁".
# After A, B and C, a later letter may sit between two CJK characters: "…坐骨神经穿出D外下1/4象限…".
LATE_OPTION = rx(r"(?<![A-Za-z0-9])([C-H])(?=\s+[\u4e00-\u9fff]|\s*$)|(?<=[\u4e00-\u9fff])([D-H])(?=[\u4e00-\u9fff])")
# Lowercase options: 'a.', '(a)' after a non-letter; bare 'a会计账户b会计科目…' between CJK characters.
STRONG_LOWER = rx(r"(?<![A-Za-z0-9])[(（]?([a-h])\s*[)）.、．]")
WEAK_LOWER = rx(r"(?:^|(?<=[\u4e00-\u9fff。)）\s]))([a-h])(?=[\u4e00-\u9fff]|\d)")
# The last resort of run-on pages: capitals glued between CJK text and mixed delimiters
# ("(ABCE)A學習過程B教學過程C評價過程", "A, 同一問題…B 不同問題…C.不同問題…"): three in order at least.
LOOSE_OPTION = rx(r"(?<![A-Za-z0-9])([A-H])(?:\s*[.,，、．:)）】]\s*|\s+|(?=[\u4e00-\u9fff(（“]))(?=\S)")
# English options glued to their words after the stem's blank or full stop: "…is said to be 【】Asingle
# valued attribute Bmultivalued attribute …", "…null is【】。Anull Btrue Cfalse Dnot null", "…【】.A24B6 C4D11".
# A must follow the blank or the stop; later letters a space or a word they are glued to; every option short.
GLUED_LATIN = rx(r"(?:(?<=[】\])）。.?])|(?<=[】\])）。.?]\s)|(?<=[\sa-zA-Z0-9])(?=[B-H]))([A-H])(?=[a-z0-9=+\-(“\"])")
GLUED_LATIN_MAX = 40
WEAK_STYLES = (WEAK_OPTION, WEAK_LOWER, LOOSE_OPTION, GLUED_LATIN)
# A cheap pre-check: an option A of any style somewhere in the text.
_MAY_HOLD_OPTIONS = re.compile(r"A(?:\s*[.,，、:．)）】]|\s*[(（]\s*[)）]|[\u4e00-\u9fff]|\s+\S|[A-Z])"
                               r"|a(?:\s*[.、．)）]|[\u4e00-\u9fff\d])|[】\])）。.?]\s?A[a-z0-9]")
OPTION_STYLES = (  # (pattern, first letter, options needed)
    (STRONG_OPTION, "A", 2), (WEAK_OPTION, "A", 3), (STRONG_LOWER, "a", 2), (WEAK_LOWER, "a", 3),
    (LOOSE_OPTION, "A", 3), (GLUED_LATIN, "A", 3),
)


def split_options(text: str, start: str | None = None) -> tuple[str, list[tuple[str, str]]] | None:
    """Find an A, B, C… option run in `text`: (text before A, [(label, option text)]) or None.

    Letters must come in order and in one style. Strong labels ('A.', 'A、', '(A)') need two
    options; weak ones ('A 水平线', 'A水稻…', run-on pages) need three. A run may continue from an
    earlier line (`start` past A), and then one option is enough. `start` None: any style, from A or a.
    """
    if start is None and not _MAY_HOLD_OPTIONS.search(text):
        return None  # the common stem: no option A can start here
    if start is not None and start.upper() not in text.upper():
        return None
    continuing = start is not None and start not in ("A", "a")
    for pattern, letter_a, minimum in OPTION_STYLES:
        if start is not None and letter_a.isupper() != start.isupper():
            continue
        found = _option_run(text, pattern, start if continuing else letter_a)
        if pattern is GLUED_LATIN and not _short_options(text, found):
            continue
        if len(found) >= (1 if continuing else minimum):
            if pattern is STRONG_OPTION:
                found = _loosely_continued(text, found)
            head = text[: found[0][1]].rstrip()
            opts = []
            for i, (letter, _, end) in enumerate(found):
                stop = found[i + 1][1] if i + 1 < len(found) else len(text)
                opts.append((letter, text[end:stop].strip()))
            return head, opts
    return None


def _short_options(text: str, found: list[tuple[str, int, int]]) -> bool:
    """Every option of the run, up to the text's end, is short: prose that only happens to hold
    capitals in order is no option run."""
    if not found:
        return True
    stops = [start for _, start, _ in found[1:]] + [len(text)]
    return all(stop - end <= GLUED_LATIN_MAX for (_, _, end), stop in zip(found, stops, strict=True))


def _option_run(text: str, pattern: re.Pattern[str], start: str = "A") -> list[tuple[str, int, int]]:
    """The longest A→B→C… run of one style; strong labels also of one delimiter ('A.' with 'B.',
    never 'A:' with 'B.'), so a dialogue's 'A:…B:' turns are not options."""
    letters = OPTION_LETTERS.lower() if start.islower() else OPTION_LETTERS
    letters = letters[letters.index(start):]
    matches = [m for m in pattern.finditer(text) if m.group(1) in letters]
    if pattern in WEAK_STYLES:
        return _run(text, matches, letters, pattern)
    best: list[tuple[str, int, int]] = []
    for family in {_delimiter(m) for m in matches}:
        of_family = [m for m in matches if _delimiter(m) == family]
        run = _run(text, of_family, letters, pattern)
        if len(run) < 2 and len(letters) > 2:
            run = _restyled_first(text, matches, of_family, letters, pattern) or run
        if len(run) > len(best) or (len(run) == len(best) and run and run[0][1] < best[0][1]):
            best = run
    return best


def _restyled_first(text: str, matches: list[re.Match[str]], of_family: list[re.Match[str]], letters: str,
                    pattern: re.Pattern[str]) -> list[tuple[str, int, int]]:
    """'【A】go B.goes C.going': the first label in another style than the rest, right before its B."""
    rest = _run(text, of_family, letters[1:], pattern)
    if len(rest) < 2:
        return []
    first = [m for m in matches if m.group(1) == letters[0] and m.end() < rest[0][1]]
    if not first or not _separated(text, first[-1].end(), rest[0][1]):
        return []
    return [(letters[0], first[-1].start(), first[-1].end()), *rest]


def _loosely_continued(text: str, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A strong run that goes on in looser labels ('A. a+b B. (a+b) C a+b/c D a+b+c'): the longer run."""
    loose = _option_run(text, LOOSE_OPTION, found[0][0])
    return loose if len(loose) > len(found) and loose[0][1] == found[0][1] else found


def _delimiter(m: re.Match[str]) -> str:
    label = m.group(0)
    return "(" if label[0] in "(（" else "【" if label[0] == "【" else {"．": ".", "）": ")"}.get(label[-1], label[-1])


def _run(text: str, matches: list[re.Match[str]], letters: str, pattern: re.Pattern[str]) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    pos = 0
    by_letter: dict[str, list[re.Match[str]]] = {}
    for m in matches:
        by_letter.setdefault(m.group(1), []).append(m)
    for i, letter in enumerate(letters):
        hits = [m for m in by_letter.get(letter, ()) if m.start() >= pos]
        m = hits[0] if hits else None
        if pattern in WEAK_STYLES:  # prefer a bare letter followed by text over one glued to capitals ("ADP")
            m = next((h for h in hits if not text[h.end():h.end() + 1].isupper()), m)
        if i == 0 and m is not None and len(letters) > 1:
            # The run starts at the last A before its B: "实现(A)A、各种…B、…" starts at "A、".
            second = next((h for h in by_letter.get(letters[1], ()) if h.start() >= m.end()), None)
            if second is not None:
                m = [h for h in hits if h.end() <= second.start()][-1]
        if m is not None and found and not _separated(text, found[-1][2], m.start()) and not (
                pattern is STRONG_OPTION and len(found) >= 2 and _separated(text, found[-2][2], found[-1][1])):
            # "A.B两点": an option needs text of its own before the next label; inside a run that has
            # begun ("A.10V B.C.12V D.15V", kinds K16) a label with nothing after it is an empty option
            m = None
        if m is None and pattern is WEAK_OPTION and len(found) >= 2:
            m = next((h for h in LATE_OPTION.finditer(text, pos) if letter in h.groups()
                      and (h.group(1) or len(found) >= 3)), None)
        if m is None:
            break
        found.append((letter, m.start(), m.end()))
        pos = m.end()
    return found


def _separated(text: str, after_label: int, next_label: int) -> bool:
    return bool(text[after_label:next_label].strip())


LEADING_OPTION = re.compile(r"^[(（【]?([A-Ha-h])\s*(?:[)）】.、:．]|[(（]\s*[)）])\s*")


def leading_option(text: str) -> tuple[str, str] | None:
    """A line that starts with an option label: (letter, rest)."""
    m = LEADING_OPTION.match(text)
    if m:
        return m.group(1), text[m.end():]
    return None


# --- scores, answers in brackets, question-likeness --------------------------------------------
# "(10分)", "(本题满分10分)", and the field form of exam exports: "(分数: 2.00)", "【score:1 分】".
SCORE_LABEL = rx(r"[(（【]\s*(?:(?:本(?:小)?题)?\s*(?:满分)?(?=\s*\d+(?:\.\d+)?\s*分)|(?:分数|分值|score)\s*[:：])"
                 r"\s*(\d+(?:\.\d+)?)\s*分?\s*[)）】]", re.I)
# A score alone on its line, between a bare label and its stem (quiz exports): "1" / "2分" / "…".
BARE_SCORE = rx(r"^[(（【]?\s*(\d+(?:\.\d+)?)\s*分\s*[)）】]?$")
BRACKET_CHOICE = rx(r"[(（]\s*([A-H](?:\s?[A-H]){0,4}|[a-h](?:\s?[a-h]){0,4})\s*[)）]")  # "(ABCE)", "( c )", "(a b )"
# A blank filled in on the page: "__B__", "_安全、可靠_", "( 支部大会 )" in a fill-in section.
# A Latin word with a space either side between two blanks ("What ____ you ____?") is the author's word
# between two blanks; a key fills its blank tight on one side at least ("___D___", "__ B__").
FILLED_BLANK = rx(r"(?<![A-Za-z0-9_])_+(?:(?!\s+[A-Za-z][\w'’-]*\s+_)\s*)([^_\s][^_]{0,15}?)\s*_+(?![A-Za-z0-9])")
# An exam's form header ("班级_姓名_考场号_"): blanks for the candidate, never answers.
FORM_FIELDS = rx(r"^(?:班级|姓名|学号|考号|考场号?|座位号|科室|分数|得分|学校|年级|专业|准考证号|日期|成绩)$")
BLANK_NUMBER = rx(r"^[(（]\s*\d{1,3}\s*[)）]$")  # "___(12)___": the blank's number, never its answer (kinds K13)
FILLED_BRACKET = rx(r"[(（]\s*([^()（）\s][^()（）]{0,59}?)\s*[)）]")
# "…?()A.直接告知", "…能源?A.风能", "…特性為( )A對電刺激敏感"
LONE_OPTION = rx(r"(?:[(（]\s*[)）]|(?<=[\u4e00-\u9fff])\?)\s*(A)\s*[.、．]|[(（]\s*[)）]\s*(A)(?=[\u4e00-\u9fff])")
FILL_IN_PART = rx(r"填空")
# A part that asks to define terms ("一、概念解释"): its items are a term, answered by its definition.
DEFINITION_PART = rx(r"名词解释|概念(?:解释|分析|辨析)|术语解释|解释(?:下列)?(?:名词|概念|术语)|名词释义")
# Where a term glued to its definition ends: the definition opens with one of these words, a
# preposition ("窗口在…", "数控编程根据…") or a colon or comma.
DEFINITION_OPENERS = frozenset({"是", "指", "即", "是指", "就是", "指的是", "系指", "乃", "所谓"})
DEFINITION_STOPS = frozenset(":：,，—-")
# An answer key printed at the end of a statement: "…最早提出建立“中国共产党”D".
TRAILING_KEY = rx(r"(?<=[\u4e00-\u9fff。”》)）\s])([A-H]{1,4}|[√×])\s*$")
IN_PLACE_KEY = rx(r"\s*[(（【]\s*(?:此项为本题)?正确答案\s*[)）】]")  # an option marked right where it stands
STEM_FIELD = rx(r"^(?:题目|题干)\s*:\s*(?=\S)")  # "题目:说明全局变量…": the stem, labelled
# A paper's next volume begins: its security mark, or "第Ⅱ卷（非选择题，共120分）" on a line of its own
PAPER_BREAK = rx(r"^(?:绝密\s*[★☆]\s*启用前|第\s*(?:[ⅠⅡⅢ]|I{1,3}|[一二三])\s*卷\s*(?:[(（][^()（）]{0,24}[)）])?)$")
PAPER_BREAK_OPENINGS = frozenset("绝第" + TRADITIONAL["绝"])  # most lines never ask
# a paper's rules follow
NOTICE_WORDS = ("注意事项", "考生注意", "考试须知", "考生须知", "答题须知", "答题说明", "考试说明")
NOTICES_HEAD = rx(rf"^(?:{'|'.join(NOTICE_WORDS)})\s*:?$")
# what NOTICES_HEAD can open with, in either script: most lines never ask
NOTICE_OPENINGS = frozenset("".join(w[0] + TRADITIONAL.get(w[0], "") for w in NOTICE_WORDS))
# A direction to a passage and the questions it serves: "阅读下面的文言文，完成6～9题。", "阅读下面这首诗，
# 回答第12题", "读下面的材料，完成20～23小题" ("下文" too: "(二)阅读下文,完成第6—12题。"; a full stop may part
# the two: "阅读下面的诗歌。完成第14—16题。")
DIRECTION = rx(r"(?:阅读|读)(?:下面|下列|以下|下文)[^?!]{0,24}?(?:完成|回答)\s*第?\s*(\d{1,3})\s*"
               r"(?:[～~\-—–至到]\s*(\d{1,3}))?\s*小?题")
COVERS_QUESTIONS = rx(r"完成\s*\d{1,3}\s*[～~\-—–至到]\s*\d{1,3}\s*小?题")  # "五、…完成14-17题": names its questions
JUDGEMENT_PART = rx(r"判断|是非|正误|对错")  # a part of statements to judge true or false
JUDGEMENT = rx(r"^[(（]?\s*([√×✓✗✔✘对错])\s*[)）]?$")
INLINE_JUDGEMENT = rx(r"[(（]\s*([√×✓✗✔✘])\s*[)）][\s\-—=_]*$")  # "…way.(√)---": a separator may follow
BLANK = rx(r"_{2,}|[(（]\s*[)）]")
QUESTION_WORDS = rx(
    r"[?]|吗|呢|什么|如何|怎么|怎样|为什么|为何|哪|是否|能否|请|谈谈|谈一谈|说说|描述|说明|解释|分析|简述|论述|阐述|"
    r"举例|举一个|比较|列举|试述|区别|异同|作用|原理|优缺点|多少|_{2,}|[(（]\s*[)）]|"
    r"\b(?:what|how|why|when|where|which|who|describe|tell|explain|give|do you|are you|can you)\b",
    re.I,
)
TERMINAL = tuple("。.?!…;」』”\"')）】√×")


def first_sentence(text: str) -> str:
    m = re.search(r"[。?!]", text)
    return text[: m.end()] if m else text


def looks_like_question(text: str) -> bool:
    return bool(QUESTION_WORDS.search(first_sentence(text)))


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(TERMINAL)
