"""Title step: the document title, from a file-name line, an HTML <title> or the first line."""

from __future__ import annotations

import re

from pipeline.clean.boilerplate import is_structural, strip_title_suffix
from pipeline.clean.segment import split_line
from pipeline.page import Line, Page


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


# A preview's page listing, removed as chrome, names the document: "编译原理试题汇总最新_第1页".
PAGE_LISTING = re.compile(r"^(.{4,80}?)\s*_第\s*\d{1,4}\s*[页頁]$")
# What a title line carries after the title itself: the paper's declaration or its form header.
TITLE_TAIL = re.compile(r"\s*(?:[(（]\s*(?:总分|總分|满分|滿分|考试时间|做题时间|做題時間)"
                        r"|(?:学号|學號|姓名|班级|班級|考号|考號)\s*[_:]).*$")


NAME_FIELD = re.compile(r"^(?:文档|资源|文件)?名称\s*:?\s*(\S.{1,80})$")
BARE_NUMBER = re.compile(r"^[\d\s.、,]*$")  # "1" alone: a quiz export's first label, never a title


def _listing_title(page: Page) -> str | None:
    return next((m.group(1).strip() for _, text in page.removed if (m := PAGE_LISTING.match(text))), None)


def _tidy(title: str) -> tuple[str, str]:
    """(the title said once, 'X X X' → 'X'; the declaration or form header that followed it on its line)."""
    tail = TITLE_TAIL.search(title)
    head = title[: tail.start()].strip() if tail else ""
    if tail and head:
        title = head
    for k in (3, 2):
        size = len(title) // k
        if size >= 4 and len(title) % k == 0 and title[:size] * k == title:
            title = title[:size]
            break
    return title, tail.group(0).strip() if tail and head else ""


def _after_title(text: str, title: str) -> str | None:
    """What follows the title when a line opens with it (its marks aside), if anything substantial."""
    want = [c for c in title if c.isalnum()]
    if len(want) < 6:
        return None
    j = 0
    for i, ch in enumerate(text):
        if j == len(want):
            rest = text[i:].strip()
            return rest if len(rest) >= 4 else None
        if ch.isalnum():
            if ch != want[j]:
                return None
            j += 1
    return None


# "绝密★启用前": a paper's classification mark above its title (kept as the page's text, never its title)
CLASSIFIED = re.compile(r"^(?:绝密|絕密|机密|機密|秘密)\s*[★☆*]?\s*(?:启用前|啟用前|考试结束前|考試結束前)?$")


def _title_line(lines: list[Line]) -> int | None:
    """The line that is the page's title: its first, or the one after a classification mark."""
    at = 1 if CLASSIFIED.match(lines[0].text) and len(lines) > 1 else 0
    text = lines[at].text
    ends_sentence = text.endswith(("?", "。", ":"))
    return at if len(text) <= 80 and not is_structural(text) and not ends_sentence and not BARE_NUMBER.match(text) \
        else None


def find_title(page: Page) -> None:
    from_line = False
    title = page.title_hint or _listing_title(page)
    if page.lines:
        first = page.lines[0].text
        stripped = strip_title_suffix(first, page.site)
        if stripped != first and stripped:  # "X.docx-原创力文档": an HTML <title> or a site's title line
            page.remove("site_title", first)
            page.lines = page.lines[1:]
            title = title or stripped
        elif title is None and (named := NAME_FIELD.match(first)):  # "名称 2023届 高考语文…": a listing's field
            page.remove("name_field", first[: named.start(1)])
            page.lines = page.lines[1:]
            title = named.group(1)
        elif title is None and (at := _title_line(page.lines)) is not None:
            title, from_line = page.lines[at].text, True
            page.lines = page.lines[:at] + page.lines[at + 1:]
    if title:
        whole = strip_title_suffix(title, page.site)
        title, tail = _tidy(whole)
        if from_line and tail:  # the page's own text ("学号_ 姓名_"): kept
            page.lines.insert(0, Line(tail))
    page.title = title or None
    if page.title:
        key = _key(page.title)
        # The title is printed again at the top of the body; those copies are the title, not content.
        head, tail = page.lines[:10], page.lines[10:]
        kept = [line for line in head if _key(line.text) != key]
        if len(kept) != len(head):
            for line in head:
                if _key(line.text) == key:
                    page.remove("title_repeat", line.text)
        page.lines = kept + tail
    if page.title and page.lines:
        first = page.lines[0].text
        rest = _after_title(first, page.title)
        if rest:  # "…答案2024年長春大學若P、V操作…": the title glued to the first item
            page.remove("title_repeat", first[: len(first) - len(rest)])
            page.lines[0:1] = split_line(Line(rest, gap=page.lines[0].gap))  # what the title hid: "一、基础知识1. …"
