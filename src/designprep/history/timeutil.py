"""Timestamps: stored as fixed-width UTC ISO strings, so text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime


def utc(dt: datetime) -> datetime:
    """A tz-aware UTC datetime; a naive one is taken as local time (as datetime.now() gives)."""
    return dt.astimezone(UTC)


def to_db(dt: datetime) -> str:
    return utc(dt).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    return utc(datetime.fromisoformat(text))


def now() -> datetime:
    return datetime.now(UTC)


def age(seconds: float) -> str:
    """'5 minutes', '3 hours', '2 days': the unit a person would use."""
    seconds = abs(seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"
