"""HTML → text with the page's block structure kept as line breaks.

Non-content elements (scripts, styles, navigation, forms, …) are dropped before text is taken.
The document title (og:title or <title>) becomes the first line, as in the text dumps, so that
the same title and chrome rules apply to both.

Two readers give the same text: `html_text_bs4` (BeautifulSoup over lxml's parser, the
reference) and a fast path walking lxml's own tree (the same libxml2 parser, fed the same way,
without building BeautifulSoup objects: about 5× faster). The fast path handles pages with a
<body>; anything else, or anything lxml refuses, goes to the reference. A differential test
keeps the two equal.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag
from lxml import etree

warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)  # short pages look like paths

DROP = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "canvas", "button", "select", "input", "textarea", "object", "embed", "head", "menu",
}
# Blocks that are paragraphs: a blank line between them, as a text page prints one (a stem's end).
PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
PARAGRAPH_BREAK = "\n\0\n"  # a marker line _tidy turns into one blank line
BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "section", "article", "main",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "td", "th", "caption", "figure",
    "figcaption", "address", "center", "body",
}


def html_title(soup: BeautifulSoup) -> str | None:
    head = soup.head
    if head is None:
        return None
    og = head.find("meta", attrs={"property": "og:title"}, recursive=False)
    if isinstance(og, Tag) and og.get("content"):
        return str(og["content"]).strip() or None
    title = head.find("title", recursive=False)
    if isinstance(title, Tag) and title.string:
        return title.string.strip() or None
    return None


def _plain_doctype(markup: str) -> bool:
    """BeautifulSoup writes a doctype met inside the document into the text; lxml's tree drops it."""
    lower = markup.lower()
    count = lower.count("<!doctype")
    return count == 0 or (count == 1 and lower.lstrip().startswith("<!doctype"))


MAX_ATTRIBUTE = 64 * 1024  # characters; an inline `data:` image is megabytes of base64 and never text
_HUGE_ATTRIBUTE = re.compile(rf"""=\s*(?:"[^"]{{{MAX_ATTRIBUTE},}}"|'[^']{{{MAX_ATTRIBUTE},}}')""")


def bounded(markup: str) -> tuple[str, list[int]]:
    """The markup with every attribute value over `MAX_ATTRIBUTE` characters emptied, and their sizes.

    libxml2 takes minutes over a 10 MB attribute, or stops at it and silently drops the rest of the
    page; no attribute value is ever part of the text, so emptying it loses nothing.
    """
    if len(markup) < MAX_ATTRIBUTE:
        return markup, []
    sizes: list[int] = []

    def empty(match: re.Match[str]) -> str:
        sizes.append(len(match.group(0)))
        return '=""'

    return _HUGE_ATTRIBUTE.sub(empty, markup), sizes


def html_text(markup: str) -> str:
    if not _plain_doctype(markup):
        return html_text_bs4(markup)
    try:
        root = _lxml_tree(markup)
    except (etree.LxmlError, ValueError):
        root = None
    body = root.find("body") if root is not None and root.tag == "html" else None
    if body is None:
        return html_text_bs4(markup)
    head = root.find("head")
    title = _lxml_title(head) if head is not None else None
    parts: list[str] = [title, "\n"] if title else []
    try:
        _walk(body, parts)
    except _NotPlain:
        return html_text_bs4(markup)
    return _tidy(parts)


def _lxml_tree(markup: str) -> etree._Element | None:
    # Fed as BeautifulSoup feeds it (push parser, recover), so both see one tree.
    parser = etree.HTMLParser(recover=True, huge_tree=True)  # no 10 MB cap on a text node: it would cut silently
    parser.feed(markup)
    return parser.close()


def _lxml_title(head: etree._Element) -> str | None:
    """As `html_title`: the first og:title meta among head's children if it has content, else the
    first <title> child (its text only when that is all it holds)."""
    og = next((c for c in head if c.tag == "meta" and c.get("property") == "og:title"), None)
    if og is not None and og.get("content"):
        return og.get("content").strip() or None
    title = next((c for c in head if c.tag == "title"), None)
    if title is None or len(title) or not title.text:
        return None
    return title.text.strip() or None


MAX_TREE_DEPTH = 250  # libxml2 builds at most 255 levels; deeper pages go to the reference reader


class _NotPlain(Exception):
    """A node the fast path does not read the way the reference does."""


def _walk(body: etree._Element, parts: list[str]) -> None:
    """Text of `body` in document order: dropped elements keep only their tail, blocks add breaks."""
    walker = etree.iterwalk(body, events=("start", "end", "comment", "pi"))
    depth = 0
    for event, node in walker:
        if event == "start":
            depth += 1
            if depth >= MAX_TREE_DEPTH:
                raise _NotPlain  # libxml2 stops building the tree this deep; its events go on
            if node.tag in DROP:
                walker.skip_subtree()  # scripts, navigation, forms …: never part of the text
                continue
            if node.tag in BLOCK:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
            continue
        if event == "pi":
            raise _NotPlain  # BeautifulSoup reads processing instructions as text: the reference decides
        if event == "end":
            depth -= 1
            if node.tag in BLOCK:  # never a dropped tag: the two sets are disjoint
                parts.append(PARAGRAPH_BREAK if node.tag in PARAGRAPH else "\n")
        if node.tail and node is not body:
            parts.append(node.tail)


def _tidy(parts: list[str]) -> str:
    """One line per block, white space folded; a paragraph's end is one blank line (never two, never first)."""
    out: list[str] = []
    for raw in "".join(parts).splitlines():
        line = " ".join(raw.split())
        if raw.strip() == "\0":
            if out and out[-1]:
                out.append("")
        elif line:
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def html_text_bs4(markup: str) -> str:
    soup = BeautifulSoup(markup, "lxml", huge_tree=True)  # as the fast path: no silent cut at 10 MB
    title = html_title(soup)
    parts: list[str] = [title, "\n"] if title else []
    root = soup.body or soup
    # Iterative walk: deeply nested pages must not hit Python's recursion limit.
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and node in ("\0block", "\0paragraph"):
            parts.append(PARAGRAPH_BREAK if node == "\0paragraph" else "\n")
        elif isinstance(node, Comment):
            continue
        elif isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag):
            if node.name in DROP:
                continue  # scripts, navigation, forms …: never part of the text
            block = node.name in BLOCK
            if block:
                parts.append("\n")
                stack.append("\0paragraph" if node.name in PARAGRAPH else "\0block")
            stack.extend(reversed(node.contents))
    return _tidy(parts)
