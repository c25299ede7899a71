"""The content schema: what a prompt file and a rubric file may contain.

Field names are a stable contract (see DESIGN.md). Files are validated once, at the
edge, by ``bank.loader``; everything downstream trusts these models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80),
]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Difficulty = Literal["easy", "medium", "hard"]
Detector = Literal["estimates", "trade-offs", "failure-modes", "requirements"]

DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")


class _Strict(BaseModel):
    # Unknown keys are almost always typos ("follow_up:"), so they are errors.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Concept(_Strict):
    """A key term the answer should name, e.g. MLflow or a model registry."""

    id: Slug
    term: NonEmpty
    aliases: list[NonEmpty] = Field(default_factory=list)
    weight: float = Field(default=1.0, gt=0, le=10)
    # A named tool or system an answer assigns roles to (MLflow, W&B, Kafka): the words
    # of a clause that names it are said *of* it, so "MLflow for research, W&B for
    # production" is not its reverse. Qualities ("open source", "HIPAA") own nothing.
    role: bool = False


class Point(_Strict):
    """A piece of reasoning the answer should state, in its own sentences.

    A point that is a decision has sides: ``contradicted_by`` lists ways of asserting
    the opposite decision ("return a 301"), which mark the point contradicted.
    """

    id: Slug
    text: NonEmpty
    evidence: list[NonEmpty] = Field(default_factory=list)
    contradicted_by: list[NonEmpty] = Field(default_factory=list)
    requires_any: list[Slug] = Field(default_factory=list)
    weight: float = Field(default=1.0, gt=0, le=10)
    # A craft point judged from the answer's structure as well as from its phrasings:
    # numbers with units (estimates), "X over Y because" (trade-offs), a failure with its
    # remedy (failure modes), stated assumptions or questions (requirements).
    detect: Detector | None = None


class RedFlag(_Strict):
    """A claim that costs points when the answer asserts it (not when it rejects it)."""

    id: Slug
    text: NonEmpty
    evidence: list[NonEmpty] = Field(default_factory=list)
    penalty: float = Field(default=10.0, ge=0, le=100)
    # Breaks a constraint the prompt states: caps the score below the hire line instead
    # of costing a flat penalty, as an interviewer would fail the design.
    disqualifying: bool = False


class Rubric(_Strict):
    id: Slug
    title: str | None = None
    concepts: list[Concept] = Field(default_factory=list)
    points: list[Point] = Field(min_length=1)
    red_flags: list[RedFlag] = Field(default_factory=list)


SampleKind = Literal[
    "strong",  # a hire or strong-hire answer
    "incomplete",  # correct core, some asked-for areas missing (hire-level, 60-80)
    "lean-no-hire",  # thin or partly wrong
    "fluent-wrong",  # reads well, but a key decision breaks a stated constraint
    "buzzwords",  # the right terms strung into sentences, no reasoning
    "terse",  # short correct bullet points
    "vague",  # generic, says little that is specific to the prompt
    "negated",  # "we should not X, instead Y"
    "off-topic",  # answers another question
    "naive",  # a first-instinct design that misses the problem's hard parts (no hire)
]
SAMPLE_KINDS: tuple[str, ...] = SampleKind.__args__  # type: ignore[attr-defined]


class Sample(_Strict):
    """A graded example answer: what a careful interviewer would give it."""

    score: int = Field(ge=0, le=100)
    text: NonEmpty
    kind: SampleKind | None = None
    note: str | None = None


class Prompt(_Strict):
    id: Slug
    title: NonEmpty
    category: Slug
    difficulty: Difficulty
    tags: list[Slug] = Field(default_factory=list)
    time_limit_minutes: int = Field(gt=0, le=240)
    prompt: NonEmpty
    hints: list[NonEmpty] = Field(default_factory=list)
    hint_penalty: int = Field(default=5, ge=0, le=50)
    follow_ups: list[NonEmpty] = Field(default_factory=list)
    rubrics: list[Slug] = Field(min_length=1)
    model_answer: NonEmpty
    samples: list[Sample] = Field(default_factory=list)
