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


class Point(_Strict):
    """A piece of reasoning the answer should state, in its own sentences."""

    id: Slug
    text: NonEmpty
    evidence: list[NonEmpty] = Field(default_factory=list)
    requires_any: list[Slug] = Field(default_factory=list)
    weight: float = Field(default=1.0, gt=0, le=10)


class RedFlag(_Strict):
    """A claim that costs points when the answer asserts it (not when it rejects it)."""

    id: Slug
    text: NonEmpty
    evidence: list[NonEmpty] = Field(default_factory=list)
    penalty: float = Field(default=10.0, ge=0, le=100)


class Rubric(_Strict):
    id: Slug
    title: str | None = None
    concepts: list[Concept] = Field(default_factory=list)
    points: list[Point] = Field(min_length=1)
    red_flags: list[RedFlag] = Field(default_factory=list)


class Sample(_Strict):
    """A graded example answer: what a careful interviewer would give it."""

    score: int = Field(ge=0, le=100)
    text: NonEmpty
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
