"""One check for an attempt row, used wherever rows enter or leave the store.

Import and recovery let in only rows that pass it, and reading applies it too: a row
damaged on disk (or let in by an older designprep) comes back marked ``damaged``, with
safe stand-in values, so every reader can show it instead of crashing on it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from designprep.grading import Breakdown, GradeResult
from designprep.history.models import Attempt
from designprep.history.timeutil import from_db

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)  # far from datetime's limits in any time zone
MAX_DURATION_SECONDS = 366 * 86400
MAX_HINTS = 1000
TEXT_FIELDS = (
    "prompt_id",
    "category",
    "title",
    "answer",
    "verdict",
    "grader_version",
    "content_hash",
    "result_json",
)

_RESULT = TypeAdapter(GradeResult)


def _refuse(token: str) -> Any:
    raise ValueError(f"{token} is not a number")


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(f"{token} is out of range")
    return value


def result_problem(text: str) -> str | None:
    """Why a stored grading cannot be shown, or None: the JSON, its types, its shape."""
    try:
        data = json.loads(text, parse_constant=_refuse, parse_float=_finite)
        _RESULT.validate_json(text, strict=True)
        GradeResult.from_dict(data)  # what readers call: also refuses unknown keys
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"'result' {where}: {error['msg']}"
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        return f"'result' is not a grading ({type(exc).__name__}: {str(exc)[:80]})"
    return None


def problem(a: Attempt) -> str | None:
    """The first reason this attempt cannot be stored or shown, or None when it is sound."""
    for name in TEXT_FIELDS:
        value = getattr(a, name)
        if not isinstance(value, str):
            return f"'{name}' must be text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"'{name}' is not valid Unicode (a lone surrogate)"
    for name in ("started_at", "submitted_at"):
        value = getattr(a, name)
        if not isinstance(value, datetime) or value.tzinfo is None:
            return f"'{name}' must be a date-time with a time zone"
        if not EARLIEST <= value < LATEST:
            return f"'{name}' must be between 1970 and 2999, not {value.isoformat()}"
    d = a.duration_seconds
    if isinstance(d, bool) or not isinstance(d, int | float) or not math.isfinite(d):
        return f"'duration_seconds' must be a number, not {d!r}"
    if not 0 <= d <= MAX_DURATION_SECONDS:
        return f"'duration_seconds' must be 0-{MAX_DURATION_SECONDS}, not {d}"
    for name, top in (("hints_used", MAX_HINTS), ("score", 100)):
        value = getattr(a, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            return f"'{name}' must be a whole number 0-{top}, not {str(value)[:40]}"
    return result_problem(a.result_json)


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return text.encode("utf-8", "replace").decode("utf-8")


def _when(value: Any) -> datetime | Any:
    try:
        return from_db(value)
    except (TypeError, ValueError, OverflowError):
        return value  # left for problem() to name


def _placeholder(prompt_id: str, reason: str) -> str:
    """A grading readers can render: empty, with a note saying why."""
    empty = GradeResult(
        prompt_id=prompt_id,
        score=0,
        verdict="damaged",
        concepts=(),
        points=(),
        red_flags=(),
        breakdown=Breakdown((), 0.0, 1.0, prompt_id, 0.0, 0.0, 0.0, 0),
        notes=(f"this attempt is damaged: {reason}",),
    )
    return json.dumps(empty.to_dict(), ensure_ascii=False)


def attempt_from_row(row: Sequence[Any]) -> Attempt:
    """An attempt from a stored row (columns as store._ATTEMPT_COLUMNS), never raising."""
    a = Attempt(
        id=row[0],
        prompt_id=row[1],
        category=row[2],
        title=row[3],
        started_at=_when(row[4]),
        submitted_at=_when(row[5]),
        duration_seconds=row[6],
        answer=row[7],
        hints_used=row[8],
        score=row[9],
        verdict=row[10],
        grader_version=row[11],
        content_hash=row[12],
        result_json=row[13],
    )
    reason = problem(a)
    if reason is None:
        return a
    prompt_id = _text(row[1])

    def when(value: Any) -> datetime:
        return value if isinstance(value, datetime) and EARLIEST <= value < LATEST else EARLIEST

    return Attempt(
        id=row[0],
        prompt_id=prompt_id,
        category=_text(row[2]),
        title=_text(row[3]),
        started_at=when(a.started_at),
        submitted_at=when(a.submitted_at),
        duration_seconds=0.0,
        answer=_text(row[7]),
        hints_used=0,
        score=row[9] if isinstance(row[9], int) and 0 <= row[9] <= 100 else 0,
        verdict="damaged",
        grader_version=_text(row[11]),
        content_hash=_text(row[12]),
        result_json=_placeholder(prompt_id, reason),
        damaged=reason,
    )
