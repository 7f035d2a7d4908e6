"""Boilerplate step: remove site chrome line by line, never the author's text.

Three layers, each recorded on the page with the rule that fired:
1. site rules as data (`pipeline/clean/sites/*.toml`): generic chrome plus the detected site's own;
2. heuristics every such site shares: numbered notice blocks, file-name title lines, lines of
   punctuation or lost glyphs, page-chunk prefixes of run-on dumps;
3. templates learned from the corpus: a line that recurs on many pages of one site.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from pipeline.clean.fold import matching_form, needs_folding
from pipeline.clean.profiles import SiteProfile, caption_pattern, load_profiles, profiles_for, tail_pattern
from pipeline.grammar import labels
from pipeline.limits import LINE_CACHE
from pipeline.page import Line, Page

LIST_MARKER = re.compile(r"^(?:[-*•·]\s+|\d{1,2}\.\s+(?=\d{1,2}、))")
NOTICE_ITEM = re.compile(r"^\d{1,2}、")
FILENAME_TITLE = re.compile(r"^(.{2,120}?)\.(?:docx?|pdf|pptx?|txt|wps|xlsx?|rtf|caj)\s*(?:VIP)?$", re.I)
NO_TEXT = re.compile(r"^[^\w√×✓✗✔✘]*$")
LOST_GLYPHS = re.compile(r"^(?:\?\s*){2,}$")
CHUNK_PREFIX = re.compile(r"^(\d{1,3})(?:-\d{1,3})?、")
MULTISPACE = re.compile(r"\s{2,}")


def to_lines(text: str, glosses: list[int] | None = None) -> list[Line]:
    lines: list[Line] = []
    gap = False
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        lines.append(Line(stripped, gap=gap, lost=glosses[i] if glosses else 0))
        gap = False
    return lines


def join_page_chunks(page: Page, rewrapped: bool = False) -> None:
    """Run-on dumps (docduoduo, 淘文阁 and others) cut the text into chunks prefixed '1、', '2、', …
    (or '1-1、'), after whatever header lines the site prints first.

    The cuts fall mid-sentence, so the prefixes go and the chunks join without a break. Only a run
    of long lines numbered 1, 2, 3 … in order counts: a numbered list of short items is the author's.
    A dump wrapped again at a fixed width (`rewrapped`) may leave a chunk on several lines: there the
    chunks are prefixes 1, 2, 3 … that each cut a sentence, at the same length of text apart.
    """
    chunks = _chunk_lines(page.lines) or (_chunks_across_lines(page.lines) if rewrapped else None)
    if chunks:
        for _, _, m in chunks:
            page.remove("chunk_prefix", m.group(0))
        lines = page.lines
        joined = "".join(x.text[m.end():] if i == a else x.text
                         for a, b, m in chunks for i, x in enumerate(lines[a:b], a))
        page.lines = [*lines[: chunks[0][0]], Line(joined, gap=lines[chunks[0][0]].gap), *lines[chunks[-1][1]:]]
    else:
        page.lines = [_without_chunk_prefixes(page, x) if len(x.text) >= 3 * CHUNK_MIN else x for x in page.lines]
    _prefixes_before_headings(page)


CHUNK_MIN = 200  # a chunk holds at least this much text (a numbered list of short items is the author's)
CHUNK_MAX = 2000  # … and at most this much (sites cut pages into chunks of a few hundred characters)
Chunk = tuple[int, int, re.Match[str]]  # its first line, the line after it, its prefix


def _chunk_lines(lines: list[Line]) -> list[Chunk] | None:
    """Chunks one line each: a run of long lines numbered 1, 2, 3 … in order."""
    numbers = [CHUNK_PREFIX.match(x.text) for x in lines]
    start = next((i for i, m in enumerate(numbers) if m and m.group(1) == "1"), None)
    if start is None:
        return None
    chunks: list[Chunk] = []
    for i, m in enumerate(numbers[start:], start):
        if m is None or int(m.group(1)) != len(chunks) + 1:
            break
        chunks.append((i, i + 1, m))
    body = chunks[:-1] if len(chunks) > 2 else chunks
    if len(chunks) < 2 or sum(len(lines[a].text) for a, _, _ in body) / len(body) < CHUNK_MIN:
        return None
    return chunks


def _without_chunk_prefixes(page: Page, line: Line) -> Line:
    """A chunked dump that lost its line breaks too: one line opening with '1、', its chunks' prefixes
    '2、', '3、' … inside it, a chunk's length apart (the first '2、' that a '3、' and a '4、' follow at
    the same spacing) and cutting sentences. The prefixes go; the text runs on."""
    text = line.text
    if not text.startswith("1、"):
        return line
    starts = [m.start() for m in INNER_PREFIX.finditer(text)]
    for size in (p for p in starts if CHUNK_MIN <= p <= CHUNK_MAX and text.startswith("2、", p)):
        found = [0, size]
        while (nxt := _next_prefix(text, starts, found, size)) is not None:
            found.append(nxt)
        cut_mid_sentence = sum(1 for p in found[1:] if not labels.ends_sentence(text[:p]))
        if len(found) >= 3 and cut_mid_sentence * 2 > len(found) - 1:
            for p in found:
                page.remove("chunk_prefix", text[p: text.index("、", p) + 1])
            kept = "".join(text[a: b] if i == 0 else text[text.index("、", a) + 1: b]
                           for i, (a, b) in enumerate(pairwise([*found, len(text)])))
            return Line(kept[2:], gap=line.gap, soft=line.soft, glued=line.glued)
    return line


INNER_PREFIX = re.compile(r"(?<!\d)\d{1,3}、")


def _next_prefix(text: str, starts: list[int], found: list[int], size: int) -> int | None:
    """Where the next chunk's prefix stands: its number, about one chunk after the last one."""
    want, after = f"{len(found) + 1}、", found[-1] + size
    near = [p for p in starts if abs(p - after) <= CHUNK_SPREAD * size and text.startswith(want, p)]
    return min(near, key=lambda p: abs(p - after)) if near else None


CHUNK_SPREAD = 0.25  # a site cuts its chunks at one length: every full chunk within this share of the median


def _chunks_across_lines(lines: list[Line]) -> list[Chunk] | None:
    """Chunks over several lines: the first '2、' at least CHUNK_MIN characters after '1、', and so on;
    the full chunks the same length, and most cuts mid-sentence (a question numbered '2、' follows
    its predecessor's end)."""
    numbers = [CHUNK_PREFIX.match(x.text) for x in lines]
    found: list[tuple[int, re.Match[str]]] = []
    size = 0
    for i, m in enumerate(numbers):
        if m and int(m.group(1)) == len(found) + 1 and (not found or size >= CHUNK_MIN):
            found.append((i, m))
            size = 0
        size += len(lines[i].text)
    if len(found) < 3:
        return None
    sizes = [sum(len(x.text) for x in lines[a:b]) for (a, _), (b, _) in pairwise(found)]
    median = sorted(sizes)[len(sizes) // 2]
    cut_mid_sentence = sum(1 for i, _ in found[1:] if not labels.ends_sentence(lines[i - 1].text))
    if any(abs(x - median) > CHUNK_SPREAD * median for x in sizes) or cut_mid_sentence * 2 < len(sizes):
        return None
    last, total = found[-1][0], 0
    end = last
    while end < len(lines) and (end == last or total + len(lines[end].text) <= median * (1 + CHUNK_SPREAD)):
        total += len(lines[end].text)
        end += 1
    bounds = [i for i, _ in found] + [end]
    return [(a, b, m) for (a, m), b in zip(found, bounds[1:], strict=True)]


def _prefixes_before_headings(page: Page) -> None:
    """'1、 一、填空题 (每空 1 分,共 20 分):…': a number before a part's own ordinal heading is a chunk's
    prefix (a question is never numbered before its part), also where the chunks were cut apart again."""
    for i, line in enumerate(page.lines):
        m = CHUNK_PREFIX.match(line.text)
        rest = line.text[m.end():].lstrip() if m else ""
        if rest[:1] in HEADING_ORDINALS and labels.heading_match(rest):
            page.remove("chunk_prefix", m.group(0))
            page.lines[i] = Line(rest, gap=line.gap, soft=line.soft, glued=line.glued)


HEADING_ORDINALS = frozenset("一二三四五六七八九十")
LIST_MARKER_FIRST = frozenset("-*•·0123456789")


def _core(text: str) -> str:
    if not text or text[0] not in LIST_MARKER_FIRST:
        return text  # the common line: no marker can start here
    m = LIST_MARKER.match(text)
    return text[m.end():] if m else text


def chrome_words(text: str) -> int:
    """How many words of site chrome (the generic profile's notice keywords) the text holds."""
    return _keyword_hits(matching_form(text), profiles_for(None)[0].keyword_any)


def _keyword_hits(text: str, keywords: re.Pattern[str] | None) -> int:
    """How many distinct chrome words the line holds (one C-speed scan for all of them)."""
    return len(set(keywords.findall(text))) if keywords is not None else 0


def _asks(item: str) -> bool:
    """A numbered line that asks something is a question, whatever chrome words it holds ("请" aside)."""
    return labels.looks_like_question(item.split("、", 1)[1][:40].replace("请", ""))


def _notice_lines(lines: list[Line], keywords: re.Pattern[str] | None) -> set[int]:
    """Indexes of numbered notice blocks: runs of 'N、' lines, most of them full of chrome words."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        first = lines[i].text[:1]
        if not (first.isdigit() or first in "-*•·") or not NOTICE_ITEM.match(_core(lines[i].text)):
            i += 1
            continue
        j = i
        while j < len(lines) and NOTICE_ITEM.match(_core(lines[j].text)):
            j += 1
        block = [matching_form(_core(x.text)) for x in lines[i:j]]  # the vocabulary is simplified script
        chrome = [_keyword_hits(t, keywords) >= 2 and not _asks(t) for t in block]
        if len(block) >= 2 and sum(chrome) >= 0.6 * len(block):
            found.update(range(i, j))
        elif len(block) == 1 and chrome[0] and _keyword_hits(block[0], keywords) >= 3:
            found.add(i)
        i = j
    return found


@dataclass
class Templates:
    """Lines learned as chrome from one corpus: site name → lines that recur on its pages."""

    lines: dict[str, set[str]] = field(default_factory=dict)

    def get(self, site: str) -> set[str]:
        return self.lines.get(site, set())

    def digest(self, site: str) -> str | None:
        """What was learned for `site`, as a digest (None: nothing): a page cleaned with other lines
        must be cleaned again for an incremental run to equal a full rebuild."""
        learned = self.lines.get(site)
        if not learned:
            return None
        return hashlib.sha256("\n".join(sorted(learned)).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=LINE_CACHE)
def is_structural(text: str) -> bool:
    """Lines the parser needs, never learned as chrome however often they recur (asked of every
    line of every sampled page: once per distinct line)."""
    return bool(
        labels.question_label(text)
        or labels.heading_match(text)
        or labels.field_label(text)
        or labels.ANSWER_PART.match(text)
        or labels.leading_option(text)
    )


LONG_LINE = 64  # a learned line longer than this is held as its digest: a huge page costs little to learn from


def template_key(core: str) -> str:
    """How a line's core is held in templates: itself, or for a long line its digest (equal lines,
    equal keys), so learning from a corpus of big pages never holds their text."""
    if len(core) <= LONG_LINE:
        return core
    return "\0" + hashlib.blake2b(core.encode("utf-8"), digest_size=16).hexdigest()


def chrome_candidates(lines: Iterable[str]) -> set[str]:
    """A page's lines that could be chrome, as template keys: never the labelled ones the parser needs.
    Computed where the page is read, so only this set travels to the learn pass."""
    return {template_key(core) for core in {_core(x) for x in lines if len(x) >= 2} if not is_structural(core)}


def learn_templates(pages: Iterable[tuple[str, set[str]]], min_pages: int = 3,
                    min_share: float = 0.5) -> Templates:
    """`pages`: (site name, `chrome_candidates` of its lines) per page. A line on ≥ min_pages and
    ≥ min_share of a site's documents is chrome, where copies of one document count once (see
    `_documents`)."""
    by_site: dict[str, list[set[str]]] = defaultdict(list)
    for site, candidates in pages:
        by_site[site].append(candidates)
    learned: dict[str, set[str]] = {}
    for site, page_lines in by_site.items():
        candidates = _shared(page_lines, min_pages, min_share)
        if candidates:
            learned[site] = _shared(_documents(page_lines, candidates), min_pages, min_share)
    return Templates({k: v for k, v in learned.items() if v})


def _shared(documents: list[set[str]], min_pages: int, min_share: float) -> set[str]:
    counter: Counter[str] = Counter()
    for lines in documents:
        counter.update(lines)
    need = max(min_pages, min_share * len(documents))
    return {line for line, n in counter.items() if n >= need}


COPY_SHARE = 0.5  # a page more than half of whose lines the candidates would remove is a copy


def _documents(pages: list[set[str]], candidates: set[str]) -> list[set[str]]:
    """The pages with copies of one document merged: chrome is what *different* documents share.

    A scrape often holds one document several times (mirrors, re-uploads, a line changed); their
    lines then recur like chrome, and learning them would strip the document itself. A page whose
    lines are mostly candidates is a copy; copies whose candidate lines overlap by half or more
    are one document (their lines united), counted once.
    """
    documents: list[set[str]] = []
    copies: list[tuple[set[str], set[str]]] = []  # (candidate lines, all lines) per merged document
    for lines in pages:
        mine = lines & candidates
        if not lines or len(mine) <= COPY_SHARE * len(lines):
            documents.append(lines)
            continue
        for shared, united in copies:
            if len(mine & shared) >= COPY_SHARE * len(mine | shared):
                shared |= mine
                united |= lines
                break
        else:
            copies.append((set(mine), set(lines)))
    return documents + [united for _, united in copies]


def site_key(page: Page) -> str:
    return page.site.name if page.site else "unknown"


def strip_boilerplate(page: Page, templates: Templates | None = None) -> None:
    site = page.site.name if page.site else None
    generic = profiles_for(site)[0]
    learned = templates.get(site_key(page)) if templates else set()
    _cut_tail(page, site)
    notices = _notice_lines(page.lines, generic.keyword_any)
    head = next((i for i, x in enumerate(page.lines) if is_structural(x.text)), len(page.lines))
    captions = _captions(page.lines[:head], site)
    forms = _matching_forms([_core(x.text) for x in page.lines])
    heads = running_heads([x.text for x in page.lines], generic.page_counter)
    kept: list[Line] = []
    for i, line in enumerate(page.lines):
        if i in notices and len(line.text) > NOTICE_LINE_MAX:
            line = _cut_notice_head(page, line, generic.keyword_any)  # a notice glued to the document
            if line is None:
                continue
            kept.append(line)
            continue
        rule = "link_caption" if i in captions else _line_rule(page, site, i, line.text, learned, notices,
                                                                 i < head, forms[i])
        if rule:
            page.remove(rule, line.text)
            continue
        text = _strip_inline(page, site, _strip_running_heads(page, heads, line.text))
        if text:
            kept.append(line if text == line.text else Line(text, gap=line.gap, soft=line.soft, glued=line.glued))
    page.lines = kept


HEAD_MAX = 60  # a running head is at most this long
HEAD_MIN_WORDS = 6  # … and holds this many letters: "答案:正确" before two counters is a coincidence
WORD = re.compile(r"\w")


@dataclass(frozen=True)
class RunningHeads:
    """What a site prints beside every page counter: on the counter's own line (`inline`, a pattern
    that takes the head together with its counter) and on whole lines of their own next to it."""

    inline: re.Pattern[str] | None
    lines: frozenset[str]


def running_heads(lines: list[str], counter: re.Pattern[str] | None) -> RunningHeads | None:
    """The text a site prints beside every page counter ("全民竞赛网支持微信竞赛形式 第 2 页 共 3 页", or
    "第5页 / 共15页" then the lines "下载本文档", "文档库 最新最全的文档下载"): what is the same before (or
    after) each of two or more counters. None when the page has no such head."""
    text = "\n".join(["", *lines, ""])  # the page's ends are line ends
    found = list(counter.finditer(text)) if counter is not None else []
    if len(found) < 2:
        return None
    before = _common_suffix([text[max(0, m.start() - HEAD_MAX): m.start()] for m in found]).split("\n")
    after = _common_prefix([text[m.end(): m.end() + HEAD_MAX] for m in found]).split("\n")
    # the counter's own line, then the whole lines between it and the text that differs (the first
    # piece before and the last piece after may be parts of a line)
    head, tail = (re.escape(h.strip()) if _may_be_head(h.strip()) else "" for h in (before[-1], after[0]))
    whole = [x.strip() for x in before[1:-1] + after[1:-1] if x.strip()]
    letters = sum(len(WORD.findall(x)) for x in whole)
    # a line the same after three counters is the head even when it opens like a label (a document's
    # first line repeated as its title: "1、2006 年…面试题")
    labelled = len(found) >= 3
    if letters < HEAD_MIN_WORDS or not all(_may_be_head(x, 1, labelled) for x in whole):
        whole = []
    if not (head or tail or whole):
        return None
    before_rx, after_rx = (rf"(?:{head}\s*)?" if head else ""), (rf"(?:\s*{tail})?" if tail else "")
    inline = re.compile(f"{before_rx}(?:{counter.pattern}){after_rx}") if head or tail else None
    return RunningHeads(inline, frozenset(whole))


def _common_prefix(texts: list[str]) -> str:
    """The characters every text opens with."""
    shortest = min(texts, key=len)
    end = next((i for i, ch in enumerate(shortest) if any(t[i] != ch for t in texts)), len(shortest))
    return shortest[:end]


def _common_suffix(texts: list[str]) -> str:
    return _common_prefix([t[::-1] for t in texts])[::-1]


def _may_be_head(text: str, min_words: int = HEAD_MIN_WORDS, labelled: bool = False) -> bool:
    if len(WORD.findall(text)) < min_words or "\n" in text or labels.inline_fields(text):
        return False
    return not is_structural(text) or (labelled and labels.question_label(text) is not None)


def _strip_running_heads(page: Page, heads: RunningHeads | None, text: str) -> str:
    if heads is None:
        return text
    if text.strip() in heads.lines:
        page.remove("running_head", text)
        return ""
    if heads.inline is None:
        return text
    for m in heads.inline.finditer(text):
        page.remove("running_head", m.group(0))
    return MULTISPACE.sub(" ", heads.inline.sub(" ", text)).strip()


NOTICE_LINE_MAX = 200  # a notice item longer than this has the document glued to it (run-on text)
SENTENCE_OR_ITEM = re.compile(r"(?<=[。!?])|(?=\d{1,2}、)")


def _cut_notice_head(page: Page, line: Line, keywords: re.Pattern[str] | None) -> Line | None:
    """Run-on text glues the site's notice to the document ('…2、本站不保证…完整性。一、单选题…'):
    only the leading sentences made of chrome words go, the author's text after them stays."""
    parts = [p for p in SENTENCE_OR_ITEM.split(line.text) if p]
    cut = 0
    while cut < len(parts) and (NO_TEXT.match(parts[cut]) or (_keyword_hits(parts[cut], keywords) >= 2
                                                               and not _asks(f"1、{parts[cut]}"))):
        cut += 1
    if cut:
        page.remove("notice_block", "".join(parts[:cut]))
    rest = "".join(parts[cut:]).strip()
    return Line(rest, gap=line.gap) if rest else None


def _matching_forms(cores: list[str]) -> list[str]:
    """The matching form of every line in one conversion (OpenCC keeps line breaks)."""
    forms = matching_form("\n".join(cores)).split("\n")
    return forms if len(forms) == len(cores) else [matching_form(c) for c in cores]


def _captions(head: list[Line], site: str | None) -> set[int]:
    """Indexes of the lines in the page's head that caption a link on the next line."""
    link = caption_pattern(site)
    if link is None:
        return set()
    return {i - 1 for i, line in enumerate(head)  # a traditional-script page's link matches in its folded form
            if i > 0 and (link.match(line.text) or link.match(matching_form(line.text)))
            and not is_structural(head[i - 1].text)}


def _cut_tail(page: Page, site: str | None) -> None:
    tail = tail_pattern(site)
    if tail is None:
        return
    folds = needs_folding(page.text)  # a traditional-script page's tail matches in its folded form
    for i, line in enumerate(page.lines):
        if tail.match(line.text) or (folds and tail.match(matching_form(line.text))):
            for dropped in page.lines[i:]:
                page.remove("site_tail", dropped.text)
            page.lines = page.lines[:i]
            return


@dataclass(frozen=True, slots=True)
class LineVerdict:
    """What the rules say of a line's text alone (its place on the page decides the rest)."""

    profile_rule: str | None  # generic_line / site_line: a site-rule pattern matches it
    filename: str | None  # the title of a file-name line ("X.docxVIP")
    glyph_rule: str | None  # lost_glyphs / no_text_line
    chrome_in_head: bool  # chrome vocabulary, were it in the page's head
    chrome_anywhere: bool


# A line rule takes a whole line ('^Posted\s+\S.*$'): chrome lines are short, and a longer line is a
# document whose line breaks were lost, its chrome at the start (the reading keeps it out of questions).
CHROME_LINE_MAX = 400


@lru_cache(maxsize=LINE_CACHE)
def _verdict(text: str, form: str, site: str | None) -> LineVerdict:
    """A pure function of the line and the site: a crawl repeats its chrome and its documents, so
    each distinct line is judged once per site."""
    profiles = profiles_for(site)
    core = _core(text)
    for prof in profiles if len(text) <= CHROME_LINE_MAX else ():
        combined = prof.line_any
        if combined is not None and (combined.match(text) or (core != text and combined.match(core))
                                     or (form != core and combined.match(form))):
            rule = "generic_line" if prof.name == "generic" else "site_line"
            return LineVerdict(rule, None, None, False, False)  # decides the line before anything else
    m = FILENAME_TITLE.match(core)
    filename = m.group(1).strip() if m and not labels.question_label(core) else None
    glyph_rule = "lost_glyphs" if LOST_GLYPHS.match(text) else "no_text_line" if NO_TEXT.match(text) else None
    keywords = profiles[0].keyword_any
    return LineVerdict(None, filename, glyph_rule, _chrome_vocabulary(form, keywords, True),
                       _chrome_vocabulary(form, keywords, False))


def _line_rule(page: Page, site: str | None, index: int, text: str, learned: set[str], notices: set[int],
               in_head: bool, form: str) -> str | None:
    verdict = _verdict(text, form, site)
    if verdict.profile_rule:
        return verdict.profile_rule
    if index in notices:
        return "notice_block"
    if verdict.filename is not None and (index < 30 or verdict.filename == page.title_hint):
        page.title_hint = page.title_hint or verdict.filename
        return "filename_title"
    if verdict.glyph_rule:
        return verdict.glyph_rule
    if learned and template_key(_core(text)) in learned:
        return "learned_template"
    if verdict.chrome_in_head if in_head else verdict.chrome_anywhere:
        return "chrome_vocabulary"
    return None


def _chrome_vocabulary(form: str, keywords: re.Pattern[str] | None, in_head: bool) -> bool:
    """A line made of site vocabulary (download, VIP, upload, copyright, share …): three chrome words
    anywhere, or two on a short line in the page's head (before its first heading or question, where
    sites put their banners and upload blocks). Never a structural line or one that asks something:
    an interview answer about a platform's customer service is the author's."""
    if len(form) > 160:
        return False
    hits = _keyword_hits(form, keywords)
    if hits < 2 or (hits == 2 and (len(form) > 60 or not in_head)):
        return False
    return not is_structural(form) and not labels.looks_like_question(form.replace("请", ""))


@lru_cache(maxsize=LINE_CACHE)
def _inline_cut(text: str, site: str | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The line with the inline chrome patterns removed, and what they removed (rule, text)."""
    removed: list[tuple[str, str]] = []
    for prof in profiles_for(site):
        combined = prof.inline_any
        if combined is None or not combined.search(text):
            continue
        for pattern in prof.inline:
            removed += [("generic_inline" if prof.name == "generic" else "site_inline", m.group(0))
                        for m in pattern.finditer(text)]
            text = pattern.sub("", text)
        text = MULTISPACE.sub(" ", text).strip()
    return text, tuple(removed)


def _strip_inline(page: Page, site: str | None, text: str) -> str:
    stripped, removed = _inline_cut(text, site)
    for rule, what in removed:
        page.remove(rule, what)
    return stripped


def strip_title_suffix(title: str, site: SiteProfile | None) -> str:
    generic, sites = load_profiles()
    for prof in (generic, *([site] if site else sites)):
        for pattern in prof.title_suffixes:
            title = pattern.sub("", title)
    m = FILENAME_TITLE.match(title)
    if m:
        title = m.group(1)
    return re.sub(r"\s*VIP$", "", title).strip()
