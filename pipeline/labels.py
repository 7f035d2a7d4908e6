"""The label vocabulary of question pages: question numbers, headings, fields, options, scores.

Pure regexes and tiny helpers; the parser decides what a match means in context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Traditional-script pages (Big5 sites) use the same vocabulary in other glyphs: every pattern
# below is compiled with each simplified character also matching its traditional form.
TRADITIONAL = dict(zip("题问单选择简论计识满参试详点评习么为请谈说释较举项确标读写综实务术员业关对错别处应该",
                       "題問單選擇簡論計識滿參試詳點評習麼為請談說釋較舉項確標讀寫綜實務術員業關對錯別處應該",
                       strict=True))


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


def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(variants(pattern), flags)


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


@dataclass(frozen=True)
class Label:
    family: str  # numbering style: arabic, paren, rparen, circled, timu, di, q, star, example
    number: int | None
    printed: str  # the label as printed, e.g. "题目1", "第一题", "Q:"
    rest: str  # the line after the label


QUESTION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("timu", rx(rf"^(题目|试题|问题|例题|第)\s*({CN_NUM}+|\d{{1,3}})\s*(?:题|问)?\s*[:.、]?\s*")),
    ("di", rx(rf"^(第)\s*({CN_NUM}+|\d{{1,3}})\s*[题问]\s*[:.、]?\s*")),
    ("example", rx(r"^[【\[](例题|例|题目|试题|问题|真题|习题)(\d{0,3})[】\]]\s*")),
    ("q", rx(r"^(Q|问)\s*(\d{0,3})\s*[:.](?!\d)\s*")),
    ("star", rx(r"^([☆★●◆■▲◇□○])\s*")),
    ("paren", rx(r"^([(（])\s*(\d{1,3})\s*[)）]\s*")),
    ("circled", rx(rf"^([{CIRCLED}])\s*")),
    ("rparen", rx(r"^()(\d{1,3})\s*[)）]\s*")),
    ("arabic", rx(r"^()(\d{1,3})\s*(?:、|\.(?!\d)|\.(?=\d{1,3}[\u4e00-\u9fff]))\s*")),
]
DI_QUESTION = rx(rf"^第\s*(?:{CN_NUM}+|\d{{1,3}})\s*[题问]")
# Every label above starts with one of these characters: a cheap first test for the common line.
LABEL_FIRST = frozenset("0123456789(（【[Q问問☆★●◆■▲◇□○第题題试試例" + CIRCLED)
# Run-on text glues the number straight to the stem ("1以下生物结构…"): only used for soft splits.
WEAK_ARABIC = rx(r"^()(\d{1,3})(?=[\u4e00-\u9fff(（《“])")


def question_label(text: str, allow_weak: bool = False) -> Label | None:
    if not text or text[0] not in LABEL_FIRST:
        return None
    for family, pattern in QUESTION_PATTERNS:
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
        if family in {"timu", "di", "paren", "rparen", "arabic", "q", "example"} and len(groups) > 1 and groups[1]:
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
HEADING = rx(rf"^(?:第\s*)?({CN_NUM}{{1,3}})\s*(?:[、.]|部分|节)\s*(.+)$")
PAREN_HEADING = rx(rf"^[(（]({CN_NUM}{{1,3}})[)）]\s*(.+)$")  # "(一)单项选择题": a heading in the same shape


def heading_match(text: str) -> re.Match[str] | None:
    """Ordinal, then the rest of a heading line: '一、…', '第一部分…', '第二节…', '(一)…'."""
    return HEADING.match(text) or PAREN_HEADING.match(text)
HEADING_WORDS = rx(
    r"题|问答|选择|填空|判断|简答|论述|分析|计算|案例|情景|材料|阅读|写作|作文|听力|综合|实务|知识|面试|技能|技巧|部分"
)
DECLARATION = rx(r"[(（][^()（）]*(?:共|每|各|满分|计|\d\s*[×xX*]\s*\d)[^()（）]*[)）]|(?:共|每小?题|各|满分)\s*\d")
COUNT = rx(r"(?:共|包括|本大题共|计)\s*(\d+)\s*(?:小|道|个)?\s*(?:题|问)")
EACH = rx(r"(?:每(?:小|道)?题|各(?:小)?题|每问|各)\s*(?:均)?\s*(\d+(?:\.\d+)?)\s*分")
TOTAL = rx(r"(?:共|满分|总分|合计|计)\s*(\d+(?:\.\d+)?)\s*分")
PRODUCT = rx(r"(?P<first>\d+(?:\.\d+)?)\s*(?P<unit>分)?\s*[×xX*]\s*(?P<second>\d+(?:\.\d+)?)\s*分?\s*=\s*"
             r"(?P<total>\d+(?:\.\d+)?)\s*分")
UNORDERED_HEADING = rx(r"^(.{2,30}?)\s*([(（][^()（）]*(?:共|每|满分)[^()（）]*[)）])\s*$")


def number_value(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


# --- fields ----------------------------------------------------------------------------------
FIELD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("answer", rx(r"^(?:[【\[](?:参考答案|正确答案|标准答案|答案|答)[】\]]"
                  r"|(?:参考答案|正确答案|标准答案|本题答案|答案|参考回答|示例答案|答案示例|回答示例|参考答|答)\s*[:]"
                  r"|(?:Answer|Ans)\s*[:])\s*", re.I)),
    ("analysis", rx(r"^(?:[【\[](?:解析|分析|点评|详解|答案解析|试题解析|知识点|考点)[】\]]"
                    r"|(?:本题解析|答案解析|试题解析|解析|详解|点评)\s*[:])\s*")),
    ("scoring", rx(r"^(?:[【\[](?:评分要点|评分标准)[】\]]|(?:评分要点|评分标准|评分细则|得分要点)\s*[:])\s*")),
    ("requirements", rx(r"^(?:要求|问题|任务)\s*[:]\s*")),
]
ANSWER_PART = rx(
    rf"^(?:{CN_NUM}{{1,3}}\s*[、.]\s*|第\s*{CN_NUM}+\s*部分\s*)?[【\[]?"
    r"(参考答案(?:及|与|和)?(?:解析|详解)?|答案(?:及|与|和)?(?:解析|详解)|答案解析|试题答案|标准答案|答案)"
    r"[】\]]?$"
)
INLINE_FIELD = rx(
    r"[【\[](?:答案|参考答案|正确答案|解析|知识点|点评|分析)[】\]]"  # bracketed labels split anywhere
    r"|(?<=[\s。?!)）])(?:正确答案|参考答案|答案|本题解析|解析)\s*:"
)


def field_label(text: str) -> tuple[str, str] | None:
    for name, pattern in FIELD_PATTERNS:
        m = pattern.match(text)
        if m:
            return name, text[m.end():].strip()
    return None


# --- options ---------------------------------------------------------------------------------
OPTION_LETTERS = "ABCDEFGH"
STRONG_OPTION = rx(r"(?:^|(?<=[\s。;)）]))[(（]?([A-H])\s*[)）.、:]")
WEAK_OPTION = rx(r"(?:^|(?<=[\s。;)）]))([A-H])(?=[\u4e00-\u9fff]|\s+\S|[A-Z]|\s*$)")
# After A and B, a later letter may follow a CJK character straight on: "…钢筋砖过梁C 木过梁".
LATE_OPTION = rx(r"(?<![A-Za-z0-9])([C-H])(?=\s+[\u4e00-\u9fff]|\s*$)")


def split_options(text: str, start: str = "A") -> tuple[str, list[tuple[str, str]]] | None:
    """Find an A, B, C… option run in `text`: (text before A, [(label, option text)]) or None.

    Letters must come in order. Strong labels ('A.', 'A、', '(A)') need two options; weak ones
    ('A 水平线', 'A水稻…', run-on pages) need three, each after white space.
    """
    if start not in text or (start == "A" and "B" not in text):
        return None
    for pattern, minimum in ((STRONG_OPTION, 2), (WEAK_OPTION, 3)):
        found = _option_run(text, pattern, start)
        if len(found) >= (1 if start != "A" else minimum):
            head = text[: found[0][1]].rstrip()
            opts = []
            for i, (letter, _, end) in enumerate(found):
                stop = found[i + 1][1] if i + 1 < len(found) else len(text)
                opts.append((letter, text[end:stop].strip()))
            return head, opts
    return None


def _option_run(text: str, pattern: re.Pattern[str], start: str = "A") -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    pos = 0
    for letter in OPTION_LETTERS[OPTION_LETTERS.index(start):]:
        hits = [m for m in pattern.finditer(text, pos) if m.group(1) == letter]
        # Prefer a label followed by text over one glued to capitals ("ADP", "DNA").
        m = next((m for m in hits if not text[m.end():m.end() + 1].isupper()), hits[0] if hits else None)
        if m is None and pattern is WEAK_OPTION and len(found) >= 2:
            m = next((m for m in LATE_OPTION.finditer(text, pos) if m.group(1) == letter), None)
        if m is None:
            break
        found.append((letter, m.start(), m.end()))
        pos = m.end()
    return found


def leading_option(text: str) -> tuple[str, str] | None:
    """A line that starts with an option label: (letter, rest)."""
    m = re.match(r"^[(（]?([A-H])\s*[)）.、:]\s*", text)
    if m:
        return m.group(1), text[m.end():]
    return None


# --- scores, answers in brackets, question-likeness --------------------------------------------
SCORE_LABEL = rx(r"[(（]\s*(?:本(?:小)?题)?\s*(?:满分)?\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
BRACKET_CHOICE = rx(r"[(（]\s*([A-H]{1,5})\s*[)）]")
JUDGEMENT = rx(r"^[(（]?\s*([√×✓✗✔✘对错])\s*[)）]?$")
INLINE_JUDGEMENT = rx(r"[(（]\s*([√×✓✗✔✘])\s*[)）]\s*$")
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
