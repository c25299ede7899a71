"""Small text formatting shared by the screens (no Textual here)."""

from __future__ import annotations

from datetime import date, datetime

# Score bands follow the verdicts (see designprep.grading.result.VERDICTS).
_BANDS = ((80, "strong"), (65, "hire"), (45, "lean-no"), (0, "no"))


def band(score: int | None) -> str:
    """A CSS-friendly name for a score's verdict band: strong, hire, lean-no or no."""
    if score is None:
        return "none"
    for floor, name in _BANDS:
        if score >= floor:
            return name
    return "no"


BAND_STYLE = {
    "strong": "$text-success",
    "hire": "$text-success",
    "lean-no": "$text-warning",
    "no": "$text-error",
    "none": "$foreground-muted",
}


def clock_text(seconds: float) -> str:
    """'4:05', '1:02:03': minutes and seconds (hours when needed) of a duration."""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def countdown_text(remaining: float) -> str:
    """'12:34 left', or '+1:05 over' once the time limit has passed."""
    if remaining < 0:
        return f"+{clock_text(-remaining)} over"
    return f"{clock_text(remaining)} left"


def word_count(text: str) -> int:
    return len(text.split())


def words_text(n: int) -> str:
    return f"{n:,} word{'s' if n != 1 else ''}"


def local_time(dt: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time shown in the local time zone."""
    return dt.astimezone().strftime(fmt)


def since_text(then: datetime, now: datetime) -> str:
    """'just now', '5 minutes ago', '3 days ago'."""
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def until_text(then: datetime, now: datetime) -> str:
    """'due now', 'due in 3 days'."""
    seconds = (then - now).total_seconds()
    if seconds <= 0:
        return "due now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            return f"due in {n} {unit}{'s' if n != 1 else ''}"
    return "due in a minute"


def due_short(then: datetime, now: datetime) -> str:
    """'in 3d', 'in 5h', 'in 4mo': when a prompt is next due, for a narrow column (whole
    units, as ``until_text`` counts them; months from 100 days on)."""
    seconds = (then - now).total_seconds()
    if seconds >= 100 * 86400:
        return f"in {int(seconds // (30 * 86400))}mo"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"in {int(seconds // size)}{unit}"
    return "in 1m"


def forecast_lines(days: list[tuple[date, int]]) -> list[str]:
    """Two lines, three columns a day: the weekday, and how many prompts fall due ('·': none)."""
    names = "".join(f"{d:%a}"[:2].rjust(3) for d, _ in days)
    counts = "".join((str(n) if n else "·").rjust(3) for _, n in days)
    return [names, counts]
