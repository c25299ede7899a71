"""Content schema and loading: prompts, rubrics and where they come from."""

from designprep.bank.loader import Bank, UnknownPromptError, load_bank
from designprep.bank.models import (
    DIFFICULTIES,
    Concept,
    Point,
    Prompt,
    RedFlag,
    Rubric,
    Sample,
)
from designprep.bank.problems import LoadProblem

__all__ = [
    "DIFFICULTIES",
    "Bank",
    "Concept",
    "LoadProblem",
    "Point",
    "Prompt",
    "RedFlag",
    "Rubric",
    "Sample",
    "UnknownPromptError",
    "load_bank",
]
