"""Pydantic v2 records: the single source of truth for what the pipeline publishes.

`schemas/question_set.schema.json` is generated from `QuestionSet` (see `pipeline.publish.schema`).
Field names listed in CONTRACT.md are fixed; everything else may grow.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Score = int | float


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(_Record):
    label: str = Field(description="Option letter as printed, e.g. 'A'")
    text: str


class Question(_Record):
    id: str = Field(description="Stable id derived from the set id and the question's content")
    number: str | None = Field(description="The page's own label as arabic digits; null when unnumbered")
    label: str | None = Field(default=None, description="The label as printed: '题目1', '第一题', 'Q:', '☆', '1.'")
    kind: Literal["choice", "true_false", "fill_blank", "open"] = "open"
    stem: str = Field(description="Question text without its number label or score label")
    sub_items: list[str] = Field(default_factory=list, description="Requirements (要求) and numbered sub-tasks")
    options: list[Option] = Field(default_factory=list)
    answer: str | None = Field(description="Answer text; null when the page gives none (never invented)")
    answer_source: Literal["inline", "answer_part", "unlabelled", "stem_bracket", "stem_blank"] | None = Field(
        default=None, description="Where the answer was printed: after a label, in an answer part, as the paragraph "
        "after the question, in the stem's bracket ('( B )'), or filled into its blanks ('__B__', fill-in brackets)")
    analysis: str | None = None
    scoring_points: list[str] = Field(default_factory=list, description="评分要点 lines")
    score: Score | None = None
    edited: list[str] = Field(default_factory=list, description="Fields an editor set (corrections/), "
                              "applied over what the parser read")
    confidence: float = Field(default=1.0, ge=0, le=1, description="How sure the parser is of this question "
                              "(0–1), from what it found against it: see `pipeline/check/confidence.py`")
    passage_id: str | None = Field(default=None, description="Id of the passage (QuestionSet.passages) it asks about")


class Passage(_Record):
    """A text several questions ask about: a reading passage, a 文言文, a poem, with its notes and source
    line, as the paper prints it after its direction ('阅读下面的文字，完成5～7题。')."""

    id: str = Field(description="Stable id from the set id and the passage's text")
    direction: str | None = Field(default=None, description="The line that directs to it, as printed")
    text: str = Field(description="Its paragraphs, one a line")
    questions: list[str] = Field(description="Ids of the questions it serves, in page order")
    edited: list[str] = Field(default_factory=list, description="Fields an editor set (corrections/): 'text'")


class Section(_Record):
    heading: str | None = Field(description="The heading line; null for questions outside any heading")
    ordinal: str | None = Field(default=None, description="'一', '二', … as printed")
    name: str | None = Field(default=None, description="Heading without ordinal and score declaration")
    score_each: Score | None = None
    count_declared: int | None = None
    score_total: Score | None = None
    intro: list[str] = Field(default_factory=list, description="Instructions printed under the heading")
    questions: list[Question] = Field(default_factory=list)


class Source(_Record):
    path: str = Field(description="The raw file as given")
    sha256: str
    site: str | None = None
    encoding: str | None = None
    format: Literal["txt", "html", "docx"] = "txt"


class ContentBlock(_Record):
    """Author text that is neither chrome nor a question (intros, tips, lists)."""

    after_question: str | None = Field(description="Id of the question this text follows; null when it comes first")
    text: str
    in_key: bool = Field(default=False, description="Text of the answer part that matched no question: "
                         "printed in the answer-key edition only")


class Removal(_Record):
    rule: str
    count: int


class QuestionSet(_Record):
    schema_version: str = SCHEMA_VERSION
    id: str = Field(description="Stable id: the same raw content always gives the same id")
    title: str | None
    truncated: bool = Field(description="The page stops mid-document (a cut preview)")
    source: Source
    sections: list[Section]
    content: list[ContentBlock] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="'kind: message' findings")
    removed: list[Removal] = Field(default_factory=list, description="Boilerplate lines removed, counted by rule")
    approved: bool = Field(default=False, description="An editor approved the set as parsed and corrected")
    approved_at: str | None = Field(default=None, description="When the editor approved it (UTC, ISO 8601)")
    approved_by: str | None = Field(default=None, description="Who approved it, where the review page knew a name")
    confidence: float = Field(default=1.0, ge=0, le=1, description="The least sure of its questions, lowered by "
                              "findings about the whole set (chrome left in its text)")
    needs_review: bool = Field(default=False, description="Some question or finding is doubtful enough for an editor")
    review_reasons: list[str] = Field(default_factory=list, description="Short codes with the question numbers, "
                                      "e.g. 'numbering_gap: 4–6', 'answers_missing: 3 of 12'")
    passages: list[Passage] = Field(default_factory=list, description="Texts shared by groups of its questions")

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


class ManifestEntry(_Record):
    path: str
    sha256: str | None
    status: Literal["published", "unchanged", "rejected"]
    set_id: str | None = None
    output: str | None = None
    reason: str | None = None
    questions: int | None = None
    warnings: int | None = None
    outputs_sha256: str | None = Field(default=None, description="Digest of the page's output files as written: "
                                       "an unchanged page is one whose outputs still hash to it")
    kept: bool = Field(default=False, description="The page could not be read this run: the outputs of its "
                       "last good read are kept")
    corrections_sha256: str | None = Field(default=None, description="Digest of the editor's corrections "
                                           "applied to the set, when there are any")
    site: str | None = Field(default=None, description="The site whose learned chrome the page was cleaned with")
    chrome_sha256: str | None = Field(default=None, description="Digest of the chrome lines learned for that site "
                                      "in the run that processed the page: when the corpus teaches other lines, the "
                                      "page is processed again")
    confidence: float | None = Field(default=None, description="The published set's confidence (see QuestionSet)")
    needs_review: bool | None = Field(default=None, description="The published set needs an editor's review")
    review_reasons: list[str] = Field(default_factory=list, description="Why, when it does")

    @property
    def has_outputs(self) -> bool:
        """Its set's files are live: published or unchanged, or kept through a read error."""
        return bool(self.set_id) and (self.status != "rejected" or self.kept)


class Manifest(_Record):
    pipeline_version: str
    fingerprints: dict[str, str | None] = Field(default_factory=dict,
                                                description="Version fingerprint of each kind of output")
    pages: list[ManifestEntry]
    removed_pages: list[str] = Field(default_factory=list, description="Paths published before, now gone from raw")
