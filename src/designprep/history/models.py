"""History rows: frozen values the store returns to the CLI and the TUI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from designprep.bank import Prompt
from designprep.grading import GradeResult

Reason = Literal["due", "unseen", "weakest"]


@dataclass(frozen=True)
class Attempt:
    """One graded answer, kept exactly as it was graded."""

    id: int
    prompt_id: str
    category: str
    title: str
    started_at: datetime  # tz-aware UTC
    submitted_at: datetime  # tz-aware UTC
    duration_seconds: float
    answer: str
    hints_used: int
    score: int
    verdict: str
    grader_version: str
    content_hash: str  # of the prompt and rubrics it was graded against
    result_json: str  # GradeResult.to_dict() as JSON
    damaged: str = ""  # why the stored row cannot be shown as graded (see validate.py)

    @property
    def result(self) -> GradeResult:
        return GradeResult.from_dict(json.loads(self.result_json))

    @classmethod
    def of(
        cls,
        *,
        prompt: Prompt,
        content_hash: str,
        answer: str,
        result: GradeResult,
        started_at: datetime,
        submitted_at: datetime,
    ) -> Attempt:
        """A graded answer as a row not yet saved (id 0)."""
        return cls(
            id=0,
            prompt_id=prompt.id,
            category=prompt.category,
            title=prompt.title,
            started_at=started_at,
            submitted_at=submitted_at,
            duration_seconds=max(0.0, (submitted_at - started_at).total_seconds()),
            answer=answer,
            hints_used=result.hints_used,
            score=result.score,
            verdict=result.verdict,
            grader_version=result.grader_version,
            content_hash=content_hash,
            result_json=json.dumps(result.to_dict(), ensure_ascii=False),
        )


@dataclass(frozen=True)
class Draft:
    prompt_id: str
    text: str
    saved_at: datetime
    hints_used: int
    started_at: datetime | None = None  # when the attempt began (None: saved before v3)


@dataclass(frozen=True)
class PromptProgress:
    """One row per prompt that has attempts."""

    prompt_id: str
    attempts: int
    best_score: int
    last_score: int
    last_at: datetime
    due_at: datetime | None  # FSRS due date of its card
    is_due: bool  # never when suspended
    suspended: bool = False  # by the user: never due nor recommended


@dataclass(frozen=True)
class Recommendation:
    prompt_id: str
    reason: Reason
    detail: str  # one line a person can read, e.g. "due since 3 days"


@dataclass(frozen=True)
class CategoryStats:
    category: str
    prompts: int  # prompts of this category in the bank
    attempted: int  # distinct prompts with at least one attempt
    attempts: int
    mean_score: float | None
    best_score: int | None
    trend: float | None  # mean of the latest attempts minus mean of the ones before
    last_at: datetime | None
    in_bank: bool = True  # False: attempts at prompts the bank loaded now does not hold
    banks: tuple[str, ...] = ()  # for those, the bank folders they came from, where known


@dataclass(frozen=True)
class MissedPoint:
    prompt_id: str  # "" when the point's rubric is shared by several prompts
    point_id: str
    point_text: str
    missed_count: int
    attempts: int  # attempts in which this point was graded
    rubric_id: str = ""
    prompts: int = 1  # prompts whose attempts are counted


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # already present (same prompt, submission time and answer)
