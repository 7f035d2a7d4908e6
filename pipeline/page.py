"""The working record one page carries through the steps (datatrove's `Document`, for us)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.models import QuestionSet

if TYPE_CHECKING:  # the page carries the profile its site was recognised by; clean makes it
    from pipeline.clean.profiles import SiteProfile


@dataclass
class Line:
    text: str
    gap: bool = False  # a blank line came before it: a paragraph break
    soft: bool = False  # split out of a longer line at an inline label; rejoin if the label is rejected
    glued: bool = False  # soft, at a bare number between CJK characters ("…d會計主體2下列…"): weakest of all
    lost: int = 0  # characters of converter glosses removed from it ('(xiàn)'): it was this much wider when wrapped


@dataclass
class Page:
    path: str
    raw: bytes
    sha256: str
    format: str = "txt"
    encoding: str | None = None
    text: str = ""  # the matching text every step reads (normalise.matching_text)
    glosses: list[int] | None = None  # per line of `text`, the characters of pinyin glosses removed from it
    own_text: str = ""  # the page's own characters, same length: what published strings are restored from
    site: SiteProfile | None = None
    lines: list[Line] = field(default_factory=list)
    title: str | None = None
    title_hint: str | None = None  # from a file-name line such as "X.docxVIP" or an HTML <title>
    truncated_marker: bool = False
    removed: list[tuple[str, str]] = field(default_factory=list)  # (rule, removed text)
    warnings: list[str] = field(default_factory=list)
    qset: QuestionSet | None = None
    doubts: dict[str, list[str]] = field(default_factory=dict)  # question id → what the parse found against it

    def remove(self, rule: str, text: str) -> None:
        self.removed.append((rule, text))

    def removal_counts(self) -> Counter[str]:
        return Counter(rule for rule, _ in self.removed)

    def warn(self, kind: str, message: str) -> None:
        self.warnings.append(f"{kind}: {message}")
