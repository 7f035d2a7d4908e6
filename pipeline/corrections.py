"""Editors' corrections: stored apart from what a run generates, applied on every ingest and render.

`CLEAN_DIR/corrections/<set_id>.json` holds what an editor changed in one set, keyed by the stable
set and question ids (content hashes): a field's new value, a question dropped or merged into the
one before it, the set approved. A run applies them to the parsed set before it publishes it; each
question names the fields an editor set (`edited`). When the raw page changes, its ids change: a
correction whose question is gone is not applied to any other question, and the run says which.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field

from . import layout
from .models import Option, Question, QuestionSet, Score
from .storage import Storage

EDITABLE = ("stem", "options", "answer", "analysis", "score")


class QuestionCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stem: str | None = None
    options: list[Option] | None = None
    answer: str | None = None
    analysis: str | None = None
    score: Score | None = None
    drop: bool = False
    merge_into_previous: bool = Field(default=False, description="Its text goes to the end of the question before")

    def fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in EDITABLE if name in self.model_fields_set}


class SetCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    set_id: str
    approved: bool = False
    questions: dict[str, QuestionCorrection] = Field(default_factory=dict)


def load(out: Storage, set_id: str) -> tuple[SetCorrection | None, str | None]:
    """The set's corrections and the digest of their file (None, None when there are none)."""
    data = out.read_if_exists(layout.correction_rel(set_id))
    if data is None:
        return None, None
    return SetCorrection.model_validate_json(data), _digest(data)


def digest(out: Storage, set_id: str) -> str | None:
    data = out.read_if_exists(layout.correction_rel(set_id))
    return None if data is None else _digest(data)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def save(out: Storage, correction: SetCorrection) -> None:
    data = json.dumps(correction.model_dump(exclude_defaults=True), ensure_ascii=False, indent=1, sort_keys=True)
    out.write_atomic(layout.correction_rel(correction.set_id), (data + "\n").encode("utf-8"))


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
    return qset.model_copy(update={"sections": sections, "approved": correction.approved,
                                   "warnings": [*qset.warnings, *warnings]})


def _edited(q: Question, fields: dict[str, object]) -> Question:
    if not fields:
        return q
    return q.model_copy(update={**fields, "edited": sorted({*q.edited, *fields})})
