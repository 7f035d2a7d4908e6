"""JSON Schema of a question set, generated from the Pydantic models (never edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.models import QuestionSet

SCHEMA_ID = "question_set.schema.json"


def question_set_schema() -> dict:
    schema = QuestionSet.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(question_set_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path
