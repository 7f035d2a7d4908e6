"""Editors' corrections: stored apart from what a run generates, applied on every ingest and render.

`CLEAN_DIR/corrections/<set_id>.json` holds what an editor changed in one set, keyed by the stable
set, question and passage ids (content hashes): a field's new value, a question dropped or merged
into the one before it, a passage's text, the set approved. A run applies them to the parsed set
before it publishes it; each question (and passage) names the fields an editor set (`edited`). When
the raw page changes, its ids change: a correction whose question or passage is gone is not applied
to any other, and the run says which.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.check import confidence, validate
from pipeline.models import Option, Passage, Question, QuestionSet, Score
from pipeline.store import layout
from pipeline.store.storage import LocalStorage, Storage

EDITABLE = ("stem", "options", "answer", "analysis", "score")


class QuestionCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)  # NaN is not JSON: never stored

    stem: str | None = None
    options: list[Option] | None = None
    answer: str | None = None
    analysis: str | None = None
    score: Score | None = None
    drop: bool = False
    merge_into_previous: bool = Field(default=False, description="Its text goes to the end of the question before")

    def fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in EDITABLE if name in self.model_fields_set}


class PassageCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The passage's text as the editor set it")


class SetCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    set_id: str
    approved: bool = False
    approved_at: str | None = Field(default=None, description="When it was approved (UTC, ISO 8601)")
    approved_by: str | None = Field(default=None, description="Who approved it, where the review page was given a name")
    questions: dict[str, QuestionCorrection] = Field(default_factory=dict)
    passages: dict[str, PassageCorrection] = Field(default_factory=dict)


def load(out: Storage, set_id: str) -> tuple[SetCorrection | None, str | None]:
    """The set's corrections and the digest of their file (None, None when there are none).

    The file name is the set id: a file that names another set inside (`../../x`, or a copy of
    another set's file) is refused with ValueError, like one that does not parse, and never applied.
    """
    if not layout.is_set_id(set_id):
        raise ValueError(f"{set_id!r} is not a set id")
    data = out.read_if_exists(layout.correction_rel(set_id))
    if data is None:
        return None, None
    try:
        correction = SetCorrection.model_validate_json(data)
    except ValidationError as exc:
        raise ValueError(str(exc).splitlines()[0] + f" ({exc.error_count()} problems)") from None
    if correction.set_id != set_id:
        raise ValueError(f"it names set {correction.set_id!r}, not the set its file name gives")
    return correction, _digest(data)


def digest(out: Storage, set_id: str) -> str | None:
    data = out.read_if_exists(layout.correction_rel(set_id))
    return None if data is None else _digest(data)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def save(out: Storage, correction: SetCorrection) -> None:
    if not layout.is_set_id(correction.set_id):
        raise ValueError(f"{correction.set_id!r} is not a set id: refusing to write a correction for it")
    data = json.dumps(correction.model_dump(exclude_defaults=True), ensure_ascii=False, indent=1, sort_keys=True)
    out.write_atomic(layout.correction_rel(correction.set_id), (data + "\n").encode("utf-8"))


_EDITS = threading.Lock()  # one read-modify-write at a time in this process (the review page's threads)


@contextlib.contextmanager
def _exclusive(out: Storage) -> Iterator[None]:
    """Held while a correction is read, changed and written back: no edit is lost to a concurrent one.
    A thread lock in the process, and on a local folder a file lock across processes too."""
    with _EDITS:
        if not isinstance(out, LocalStorage):  # an object store has no file lock: the thread lock only
            yield
            return
        folder = os.path.join(out.root, layout.CORRECTIONS)
        os.makedirs(folder, exist_ok=True)
        fd = os.open(os.path.join(folder, ".lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def update(out: Storage, set_id: str, change: Callable[[SetCorrection], None]) -> SetCorrection:
    """Read the set's corrections, `change` them and write them back, all under one lock."""
    with _exclusive(out):
        correction = load(out, set_id)[0] or SetCorrection(set_id=set_id)
        change(correction)
        save(out, correction)
        return correction


def apply(qset: QuestionSet, correction: SetCorrection) -> QuestionSet:
    """The set with the editor's changes; a correction whose question is not in it becomes a warning."""
    present = {q.id for q in qset.questions()}
    warnings = [f"correction: question {qid} of set {qset.id} is not in the page any more (its text changed): "
                f"its correction was not applied" for qid in sorted(set(correction.questions) - present)]
    sections = []
    for section in qset.sections:
        kept: list[Question] = []
        for q in section.questions:
            fix = correction.questions.get(q.id)
            if fix is None:
                kept.append(q)
                continue
            if fix.drop:
                continue
            q = _edited(q, fix.fields())
            if fix.merge_into_previous and kept:
                before = kept[-1]
                kept[-1] = _edited(before, {"stem": f"{before.stem}\n{q.stem}"})
                continue
            kept.append(q)
        sections.append(section.model_copy(update={"questions": kept}))
    passages, gone = _passages(qset, correction, {q.id for s in sections for q in s.questions})
    warnings += gone
    approval = {"approved": correction.approved, "approved_at": correction.approved_at if correction.approved else None,
                "approved_by": correction.approved_by if correction.approved else None}
    edited = qset.model_copy(update={"sections": sections, "passages": passages, **approval})
    if correction.questions:  # the findings as the corrected records give them (parse-time doubts are gone)
        edited = confidence.assess(validate.revalidate(edited))
    if correction.approved:
        edited = edited.model_copy(update={"needs_review": False})  # an editor has looked at it
    return edited.model_copy(update={"warnings": [*edited.warnings, *warnings]})


def _passages(qset: QuestionSet, correction: SetCorrection, kept: set[str]) -> tuple[list[Passage], list[str]]:
    """The set's passages with the editor's text, each serving only the questions still in the set (a
    dropped or merged question is no longer one of them); warnings for corrections of passages gone."""
    present = {p.id for p in qset.passages}
    warnings = [f"correction: passage {pid} of set {qset.id} is not in the page any more (its text changed): "
                f"its correction was not applied" for pid in sorted(set(correction.passages) - present)]
    passages = []
    for p in qset.passages:
        update: dict[str, object] = {"questions": [qid for qid in p.questions if qid in kept]}
        if (fix := correction.passages.get(p.id)) is not None and fix.text != p.text:
            update |= {"text": fix.text, "edited": ["text"]}
        passages.append(p.model_copy(update=update))
    return passages, warnings


def _edited(q: Question, fields: dict[str, object]) -> Question:
    if not fields:
        return q
    return q.model_copy(update={**fields, "edited": sorted({*q.edited, *fields})})
