"""The grading engine: pure functions over bank values, no I/O and no UI."""

from designprep.grading.engine import (
    MAX_ANSWER_CHARS,
    AnswerError,
    Grader,
    PromptIndex,
    check_answer,
    grade_with_index,
)
from designprep.grading.result import (
    Breakdown,
    Component,
    ConceptResult,
    Evidence,
    GradeResult,
    PointResult,
    RedFlagResult,
    verdict_for,
)
from designprep.grading.scoring import GRADER_VERSION

__all__ = [
    "GRADER_VERSION",
    "MAX_ANSWER_CHARS",
    "AnswerError",
    "Breakdown",
    "Component",
    "ConceptResult",
    "Evidence",
    "GradeResult",
    "Grader",
    "PointResult",
    "PromptIndex",
    "RedFlagResult",
    "check_answer",
    "grade_with_index",
    "verdict_for",
]
