"""HTML → text with the page's block structure kept as line breaks.

Non-content elements (scripts, styles, navigation, forms, …) are dropped before text is taken.
The document title (og:title or <title>) becomes the first line, as in the text dumps, so that
the same title and chrome rules apply to both.
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag

warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)  # short pages look like paths

DROP = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "canvas", "button", "select", "input", "textarea", "object", "embed", "head", "menu",
}
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


def html_text(markup: str) -> str:
    soup = BeautifulSoup(markup, "lxml")
    title = html_title(soup)
    parts: list[str] = [title, "\n"] if title else []
    root = soup.body or soup
    # Iterative walk: deeply nested pages must not hit Python's recursion limit.
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and node == "\0block":
            parts.append("\n")
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
                stack.append("\0block")
            stack.extend(reversed(node.contents))
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)
