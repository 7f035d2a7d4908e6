"""Question bank: keywords, near-duplicate clusters across pages, a merged bank, search.

- Keywords: TF-IDF over jieba tokens, with the IDF learned from the ingested corpus itself. Not
  TextRank: it needs jieba's POS tagger (slow to load, HMM-based) and its co-occurrence window
  says little about 20-character stems; a corpus IDF also pushes down words every page of one
  domain shares (客户 in a customer-service bank), which a general IDF table cannot know.
- Near duplicates: MinHash LSH (rensa, a Rust library: imports in a millisecond where datasketch
  pulls in scipy, ~0.65 s of every run's start) over the stem's content tokens (synonyms folded,
  stop words dropped) finds candidates; each candidate pair is then verified with the exact
  Jaccard similarity of the token sets, and only pairs at or above `THRESHOLD` are joined.
  Clusters are the connected components of verified pairs: transitive and deterministic.
- Rewordings that fold to the same token set share one LSH key, so a bank of many copies of few
  questions stays fast; LSH and the exact check run between distinct token sets.
- Incremental: each question's tokens, the verified pairs and a digest of
  every indexed set persist in one file, `bank/index.bin` (plain data, deterministic bytes, nothing
  executable is unpickled; one atomic replace, so a kill or a full disk never leaves half an index).
  A run loads it, refills the LSH buckets by hashing the stored token sets again (no
  re-tokenising), removes the questions of sets that changed (by digest) or left, inserts the new
  ones (querying the index first) and rebuilds components from the stored pairs: the same result
  as a full rebuild. An index of another `bank` fingerprint (tokenizer, dictionaries, parameters:
  see `fingerprint`) or one that cannot be read is rebuilt from the sets.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rensa import RMinHash, RMinHashLSH

from pipeline.bank.tokens import normalise_stem, tokens
from pipeline.publish.files import encode_row, read_json
from pipeline.store import layout
from pipeline.store.fingerprint import fingerprint
from pipeline.store.storage import Storage

THRESHOLD = 0.62  # exact token Jaccard to join two questions; chosen on tests/data/near_duplicate_pairs.jsonl
NUM_PERM = 128
BANDS = 32  # × 4 rows: a pair at THRESHOLD is proposed with p = 0.994, at 0.45 with 0.74; LSH only
#             proposes, the exact check decides
SEED = 1
KEYWORDS = 8
INDEX_MAGIC = b"qbank-index 2\n"  # then one line of JSON metadata
PARAMETERS = {"num_perm": NUM_PERM, "bands": BANDS, "seed": SEED, "threshold": THRESHOLD,
              "minhash": RMinHash.ALGORITHM_VERSION}  # an index made with others is rebuilt


def similarity(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def _minhash(tokens: Iterable[str]) -> RMinHash:
    m = RMinHash(num_perm=NUM_PERM, seed=SEED)
    m.update(list(tokens))
    return m


def _lsh() -> RMinHashLSH:
    return RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=BANDS)


@dataclass(frozen=True, slots=True)
class Text:
    """A distinct (stem, answer) and its terms: shared by every question that repeats it."""

    stem: str
    answer: str | None
    terms: tuple[str, ...]  # content tokens of stem + answer (for keywords and search)


@dataclass(slots=True)
class Entry:
    set_id: str
    text: Text
    key: str  # the token set it shares with its exact rewordings

    @property
    def stem(self) -> str:
        return self.text.stem

    @property
    def answer(self) -> str | None:
        return self.text.answer

    @property
    def terms(self) -> tuple[str, ...]:
        return self.text.terms


@dataclass
class Key:
    """One distinct token set: the unit LSH indexes (rewordings that fold to it share it)."""

    tokens: list[str]
    members: list[str] = field(default_factory=list)


def key_of(stem_tokens: list[str], qid: str) -> str:
    if not stem_tokens:
        return "q" + qid  # a stem without content words matches nothing but itself
    return "k" + hashlib.sha256("\x1f".join(stem_tokens).encode("utf-8")).hexdigest()[:16]


@dataclass
class Index:
    entries: dict[str, Entry] = field(default_factory=dict)
    keys: dict[str, Key] = field(default_factory=dict)
    edges: set[tuple[str, str]] = field(default_factory=set)  # verified pairs of keys
    sets: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # set id → (digest of its JSON, title)
    texts: dict[tuple[str, str | None], Text] = field(default_factory=dict)  # one object per distinct text

    def text(self, stem: str, answer: str | None, terms: Iterable[str] | None = None) -> Text:
        found = self.texts.get((stem, answer))
        if found is None:
            found = self.texts[(stem, answer)] = Text(stem, answer, tuple(terms if terms is not None
                                                                          else text_terms(stem, answer)))
        return found
    lsh: RMinHashLSH = field(default_factory=_lsh)
    slots: dict[str, int] = field(default_factory=dict)  # key → its LSH slot (rensa's keys are integers)
    slot_keys: list[str] = field(default_factory=list)  # slot → key

    def index_key(self, key: str, minhash: RMinHash) -> None:
        self.slots[key] = len(self.slot_keys)
        self.slot_keys.append(key)
        self.lsh.insert(self.slots[key], minhash)

    def remove_sets(self, gone: set[str]) -> None:
        dead = sorted(qid for qid, e in self.entries.items() if e.set_id in gone)
        for qid in dead:
            key = self.entries.pop(qid).key
            info = self.keys[key]
            info.members.remove(qid)
            if not info.members:
                if key in self.slots:
                    self.lsh.remove(self.slots.pop(key))
                del self.keys[key]
        live = set(self.keys)
        self.edges = {(a, b) for a, b in self.edges if a in live and b in live}

    def add(self, qid: str, entry: Entry, stem_tokens: list[str]) -> None:
        """A new token set queries the index for candidates, verifies them exactly, then goes in."""
        self.entries[qid] = entry
        if entry.key in self.keys:
            self.keys[entry.key].members.append(qid)
            return
        self.keys[entry.key] = Key(stem_tokens, [qid])
        if not stem_tokens:
            return
        mh = _minhash(stem_tokens)
        mine = set(stem_tokens)
        for other in sorted(self.slot_keys[slot] for slot in self.lsh.query(mh)):
            if similarity(mine, self.keys[other].tokens) >= THRESHOLD:
                self.edges.add((min(entry.key, other), max(entry.key, other)))
        self.index_key(entry.key, mh)

    def dump(self) -> Iterator[str]:
        """Sorted plain data as one line of JSON, in pieces: an index built in any order from the
        same sets dumps the same bytes, and the whole never sits in memory (at 305,000 questions the
        blob and its lists were the run's peak)."""
        keys = sorted(self.keys)
        live = {id(e.text): e.text for e in self.entries.values()}
        texts = sorted(live.values(), key=lambda t: (t.stem, t.answer is not None, t.answer or ""))  # each once
        number = {id(t): i for i, t in enumerate(texts)}
        head = {"fingerprint": fingerprint("bank"), **PARAMETERS,
                "sets": [[s, digest, title] for s, (digest, title) in sorted(self.sets.items())]}
        yield INDEX_MAGIC.decode() + _compact(head)[:-1]
        yield from _json_list("keys", ([k, self.keys[k].tokens] for k in keys))
        yield from _json_list("texts", ([t.stem, t.answer, list(t.terms)] for t in texts))
        yield from _json_list("entries", ([q, e.set_id, number[id(e.text)], e.key]
                                          for q, e in sorted(self.entries.items())))
        yield from _json_list("edges", iter(sorted(self.edges)))
        yield "}\n"


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder, made once
CHUNK = 2000  # list items encoded at a time: C speed, bounded memory


def _json_list(name: str, items: Iterator[object]) -> Iterator[str]:
    """`,"name":[…]` a chunk of items at a time: the bytes `_compact` gives for the whole list."""
    yield f',"{name}":['
    first = True
    while chunk := list(itertools.islice(items, CHUNK)):
        yield ("" if first else ",") + _compact(chunk)[1:-1]
        first = False
    yield "]"


def load_index(out: Storage) -> Index:
    """The stored index with its LSH buckets refilled from the stored token sets; empty (rebuilt
    from the sets) when absent, of another fingerprint or parameters, or unreadable in any way."""
    data = out.read_if_exists(layout.BANK_INDEX)
    if data is None or not data.startswith(INDEX_MAGIC):
        return Index()
    try:
        head, _, rest = data[len(INDEX_MAGIC):].partition(b"\n")
        meta = json.loads(head)
        if rest or meta["fingerprint"] != fingerprint("bank") or any(meta[k] != v for k, v in PARAMETERS.items()):
            return Index()  # cut short or glued to something; or made with other parameters
        return _index_of(meta)
    except (ValueError, KeyError, TypeError, IndexError):
        return Index()


def _index_of(meta: dict) -> Index:
    index = Index(edges={(a, b) for a, b in meta["edges"]},
                  sets={s: (digest, title) for s, digest, title in meta["sets"]})
    hashed = []
    for key, toks in meta["keys"]:
        index.keys[key] = Key(toks)
        if toks:
            hashed.append(key)
    index.slot_keys = hashed
    index.slots = {key: slot for slot, key in enumerate(hashed)}
    index.lsh.insert_many(RMinHash.from_token_sets([index.keys[k].tokens for k in hashed], NUM_PERM, SEED), 0)
    texts = [index.text(stem, answer, terms) for stem, answer, terms in meta["texts"]]
    shared = {k: k for k in index.keys} | {s: s for s in index.sets}  # one string per key and set, not per entry
    for qid, set_id, text, key in meta["entries"]:
        index.entries[qid] = Entry(shared[set_id], texts[text], shared[key])
        index.keys[key].members.append(qid)
    return index


def save_index(out: Storage, index: Index) -> None:
    out.write_lines_atomic(layout.BANK_INDEX, index.dump())
    for rel in layout.OLD_BANK_FILES:
        out.delete(rel)


MAX_TOKENISED = 4000  # characters of a stem the bank tokenises: a stem is sentences; a giant one stays bounded


def text_terms(stem: str, answer: str | None) -> list[str]:
    return tokens(stem[:MAX_TOKENISED]) + (tokens(answer[:400]) if answer else [])


def entry_of(index: Index, set_id: str, q: dict) -> tuple[Entry, list[str]]:
    unique = sorted(set(tokens(q["stem"][:MAX_TOKENISED])))
    return Entry(set_id, index.text(q["stem"], q.get("answer")), key_of(unique, q["id"])), unique


def clusters_of(index: Index) -> dict[str, str]:
    """Question id → cluster id: components over verified key pairs, named by their smallest question."""
    key_root = components(sorted(index.keys), index.edges)
    smallest: dict[str, str] = {}
    for qid, e in index.entries.items():
        root = key_root[e.key]
        smallest[root] = min(smallest.get(root, qid), qid)
    name = {root: "c" + hashlib.sha256(qid.encode()).hexdigest()[:12] for root, qid in smallest.items()}
    return {qid: name[key_root[e.key]] for qid, e in index.entries.items()}  # one string per cluster


def components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find; each node → the smallest node of its component."""
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in sorted(edges):
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in parent}


def idf_table(entries: Iterable[Entry]) -> dict[str, float]:
    df: Counter[str] = Counter()
    n = 0
    for e in entries:
        df.update(set(e.terms))
        n += 1
    return {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}


def keywords(terms: Iterable[str], idf: dict[str, float], k: int = KEYWORDS) -> list[str]:
    tf = Counter(t for t in terms if len(t) > 1 or not t.isascii())
    scored = sorted(tf.items(), key=lambda kv: (-kv[1] * idf.get(kv[0], 1.0), kv[0]))
    return [t for t, _ in scored[:k]]


@dataclass
class BankResult:
    clusters: int
    questions: int
    cluster_of: dict[str, str]
    keywords_of: dict[str, list[str]]


def update_bank(out: Storage, set_ids: Iterable[str]) -> BankResult:
    """Bring bank/ in line with the live sets and write its files; the index is written last."""
    index, result = refresh_bank(out, set_ids)
    write_bank(out, index, result)
    return result


def feed_sets(index: Index, out: Storage, set_ids: Iterable[str]) -> None:
    """Index these sets now, while later batches still run: the finish (`refresh_bank`) finds them
    with the digest they have on disk and skips them, or indexes them again if they changed since."""
    for set_id in set_ids:
        data = out.read(layout.set_rel(set_id))
        digest = hashlib.sha256(data).hexdigest()[:32]
        if index.sets.get(set_id, ("",))[0] == digest:
            continue
        if set_id in index.sets:
            index.remove_sets({set_id})
        _index_set(index, set_id, data, digest)


def _index_set(index: Index, set_id: str, data: bytes, digest: str) -> None:
    """A set's questions into the index (the set is not in it)."""
    qset = read_json(data)
    index.sets[set_id] = (digest, qset.get("title"))
    for section in qset["sections"]:
        for q in section["questions"]:
            index.add(q["id"], *entry_of(index, set_id, q))


def refresh_bank(out: Storage, set_ids: Iterable[str], index: Index | None = None) -> tuple[Index, BankResult]:
    """The index (`index`: one fed during the run, else the saved one) brought in line with the live
    sets, and its clusters and keywords; nothing written.

    Each set is read as bytes and hashed; only sets new or changed since the index was saved (or
    fed) are parsed (as plain JSON) and tokenised.
    """
    index = index if index is not None else load_index(out)
    live = sorted(set(set_ids))
    changed: dict[str, str] = {}  # set id → digest; the sets themselves are read again one at a time
    for set_id in live:
        digest = hashlib.sha256(out.read(layout.set_rel(set_id))).hexdigest()[:32]
        if index.sets.get(set_id, ("",))[0] != digest:
            changed[set_id] = digest
    gone = set(index.sets) - set(live)
    index.remove_sets(gone | set(changed))
    for set_id in gone:
        del index.sets[set_id]
    for set_id, digest in changed.items():
        _index_set(index, set_id, out.read(layout.set_rel(set_id)), digest)
    cluster_of = clusters_of(index)
    idf = idf_table(index.entries.values())
    by_text: dict[Text, list[str]] = {}  # keywords depend on the terms only: once per distinct text
    keywords_of = {}
    for qid, e in index.entries.items():
        found = by_text.get(e.text)
        if found is None:
            found = by_text[e.text] = keywords(e.terms, idf)
        keywords_of[qid] = found
    return index, BankResult(len(set(cluster_of.values())), len(index.entries), cluster_of, keywords_of)


def write_bank(out: Storage, index: Index, result: BankResult) -> None:
    """bank/'s files, the index last (its digest of each set says what the files were made from)."""
    _write_bank(out, index, result.cluster_of, result.keywords_of, {s: title for s, (_, title) in index.sets.items()})
    save_index(out, index)


def _write_bank(out: Storage, index: Index, cluster_of: dict[str, str], keywords_of: dict[str, list[str]],
                titles: dict[str, str | None]) -> None:
    """bank/questions.jsonl is streamed a cluster at a time: built whole, its rows and their text
    were the run's peak memory (at 305,000 questions, 180 MB above the index itself)."""
    members: dict[str, list[str]] = {}
    for qid in sorted(cluster_of):
        members.setdefault(cluster_of[qid], []).append(qid)

    def row(cid: str) -> dict:
        qids = members[cid]
        entries = [index.entries[q] for q in qids]
        best_stem = max(reversed(qids), key=lambda q: len(index.entries[q].stem))  # ties: the smallest id
        answers = [index.entries[q].answer for q in qids if index.entries[q].answer]
        return {
            "cluster_id": cid,
            "stem": index.entries[best_stem].stem,
            "answer": max(answers, key=len) if answers else None,
            "keywords": sorted({k for q in qids for k in keywords_of[q]}),
            "terms": sorted({t for e in entries for t in e.terms}),
            "size": len(qids),
            "sources": [{"set_id": index.entries[q].set_id, "question_id": q,
                         "title": titles.get(index.entries[q].set_id)} for q in qids],
        }

    out.write_lines_atomic(layout.BANK_QUESTIONS,
                           (encode_row(row(cid)) + "\n" for cid in sorted(members)))
    clusters = {"threshold": THRESHOLD, "num_perm": NUM_PERM,
                "clusters": [{"cluster_id": cid, "members": qids} for cid, qids in sorted(members.items())]}
    out.write_atomic(layout.BANK_CLUSTERS, (json.dumps(clusters, ensure_ascii=False, indent=1) + "\n").encode())


def _holds(terms: list[str], word: str) -> bool:
    return word in terms or (len(word) >= 2 and any(word in term for term in terms))


def search(rows: list[dict], query: str, limit: int = 10) -> list[tuple[float, dict]]:
    """Rank bank entries for a query: IDF-weighted overlap of jieba terms, plus keyword and phrase bonuses."""
    wanted = [t for t in dict.fromkeys(tokens(query))]
    if not wanted:
        return []
    n = len(rows)
    # a query word matches a row's word that holds it: '凭证' finds '会计凭证' (jieba keeps compounds whole)
    hits = [{t for t in wanted if _holds(r["terms"], t)} for r in rows]
    df = Counter(t for found in hits for t in found)
    phrase = normalise_stem(query)
    scored = []
    for r, found in zip(rows, hits, strict=True):
        kws = set(r["keywords"])
        score = sum(math.log((n + 1) / (df[t] + 0.5)) * (1.5 if t in kws else 1.0) for t in found)
        if score > 0:
            if phrase and phrase in normalise_stem(r["stem"]):
                score *= 1.5
            scored.append((round(score, 4), r))
    scored.sort(key=lambda x: (-x[0], -x[1]["size"], x[1]["cluster_id"]))
    return scored[:limit]

