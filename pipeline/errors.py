"""The one exception a step raises to reject a page: a short code and a human-readable reason."""

from __future__ import annotations


class Rejected(Exception):
    """A page that cannot yield a question set. `code` is stable (for counting), `reason` is for people."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"
