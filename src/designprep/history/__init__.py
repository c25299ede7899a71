"""Score history and adaptive practice: SQLite storage and FSRS scheduling (no UI here)."""

from designprep.history.errors import CorruptHistoryError, HistoryError
from designprep.history.files import move_aside
from designprep.history.models import (
    Attempt,
    CategoryStats,
    Draft,
    ImportResult,
    MissedPoint,
    PromptProgress,
    Reason,
    Recommendation,
)
from designprep.history.scheduling import rating_for
from designprep.history.store import HistoryStore

__all__ = [
    "Attempt",
    "CategoryStats",
    "CorruptHistoryError",
    "Draft",
    "HistoryError",
    "HistoryStore",
    "ImportResult",
    "MissedPoint",
    "PromptProgress",
    "Reason",
    "Recommendation",
    "move_aside",
    "rating_for",
]
