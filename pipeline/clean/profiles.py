"""Site profiles: what each document-sharing site wraps around a document, kept as data.

Each `pipeline/clean/sites/<name>.toml` names the site's detection markers, title suffixes and chrome
patterns; `generic.toml` holds what all of them share. Adding a site is adding a file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class SiteProfile:
    name: str
    detect: tuple[str, ...] = ()
    title_suffixes: tuple[re.Pattern[str], ...] = ()
    line: tuple[re.Pattern[str], ...] = ()
    inline: tuple[re.Pattern[str], ...] = ()
    tail: tuple[re.Pattern[str], ...] = ()
    # A line matching one of these (a link such as "合集下载") makes the line before it its caption.
    caption_of: tuple[re.Pattern[str], ...] = ()
    page_counter: re.Pattern[str] | None = None  # its page counters as one alternation (also in `inline`)
    truncation_markers: tuple[re.Pattern[str], ...] = ()
    notice_keywords: tuple[str, ...] = field(default=())
    keyword_any: re.Pattern[str] | None = None  # the chrome words as one alternation, longest first
    # All line (inline) patterns as one alternation: one match call per line instead of one per rule.
    line_any: re.Pattern[str] | None = None
    inline_any: re.Pattern[str] | None = None


def _alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


def _words(words: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))) if words else None


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _profile(data: dict) -> SiteProfile:
    counters = _compile(data.get("page_counter", []))
    line, inline = _compile(data.get("line", [])), _compile(data.get("inline", [])) + counters
    return SiteProfile(
        name=data["name"],
        detect=tuple(data.get("detect", ())),
        title_suffixes=_compile(data.get("title_suffixes", [])),
        line=line,
        inline=inline,
        line_any=_alternation(line),
        inline_any=_alternation(inline),
        tail=_compile(data.get("tail", [])),
        caption_of=_compile(data.get("caption_of", [])),
        page_counter=_alternation(counters),
        truncation_markers=_compile(data.get("truncation_markers", [])),
        notice_keywords=tuple(data.get("notice_keywords", ())),
        keyword_any=_words(data.get("notice_keywords", ())),
    )


@cache
def load_profiles() -> tuple[SiteProfile, tuple[SiteProfile, ...]]:
    """(generic profile, site profiles sorted by name)."""
    generic = None
    sites = []
    for entry in sorted(resources.files("pipeline.clean.sites").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        profile = _profile(tomllib.loads(entry.read_text(encoding="utf-8")))
        if profile.name == "generic":
            generic = profile
        else:
            sites.append(profile)
    if generic is None:
        raise RuntimeError("pipeline/clean/sites/generic.toml is missing")
    return generic, tuple(sites)


@cache
def profiles_for(site: str | None) -> tuple[SiteProfile, ...]:
    """The rules a page of `site` is cleaned with: the generic profile, then the site's own."""
    generic, sites = load_profiles()
    return (generic, *(p for p in sites if p.name == site))


@cache
def tail_pattern(site: str | None) -> re.Pattern[str] | None:
    """Every tail rule of `profiles_for(site)` as one alternation: one match per line."""
    return _alternation(tuple(p for prof in profiles_for(site) for p in prof.tail))


@cache
def caption_pattern(site: str | None) -> re.Pattern[str] | None:
    """Every caption_of rule of `profiles_for(site)` as one alternation."""
    return _alternation(tuple(p for prof in profiles_for(site) for p in prof.caption_of))


def detect_site(text: str) -> SiteProfile | None:
    """The site whose markers occur most often in the page; None when no marker occurs."""
    _, sites = load_profiles()
    best, best_hits = None, 0
    for site in sites:
        hits = sum(text.count(marker) for marker in site.detect)
        if hits > best_hits:
            best, best_hits = site, hits
    return best
