"""Title step: the document title, from a file-name line, an HTML <title> or the first line."""

from __future__ import annotations

import re

from .boilerplate import is_structural, strip_title_suffix
from .page import Page


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_title(page: Page) -> None:
    title = page.title_hint
    if page.lines:
        first = page.lines[0].text
        stripped = strip_title_suffix(first, page.site)
        if stripped != first and stripped:  # "X.docx-原创力文档": an HTML <title> or a site's title line
            page.remove("site_title", first)
            page.lines = page.lines[1:]
            title = title or stripped
        elif title is None and len(first) <= 80 and not is_structural(first) and not first.endswith(("?", "。", ":")):
            title = first
            page.lines = page.lines[1:]
    if title:
        title = strip_title_suffix(title, page.site)
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
