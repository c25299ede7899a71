"""The practice clock: counts down from the prompt's time limit, then shows overtime.

It never ends the attempt: an interview runs over, and the candidate decides when to stop.
The colour changes near the end (warning, then critical) and once the limit has passed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

from textual.reactive import reactive
from textual.widgets import Static

from designprep.ui.format import countdown_text

WARNING_SHARE = 0.2  # the last fifth of the time limit
CRITICAL_SECONDS = 60


class Countdown(Static):
    DEFAULT_CSS = """
    Countdown {
        width: auto;
        padding: 0 1;
        text-style: bold;
        background: $boost;
    }
    Countdown.-warning { background: $warning-muted; color: $text-warning; }
    Countdown.-critical { background: $error-muted; color: $text-error; }
    Countdown.-overtime { background: $error; color: $text; }
    """

    remaining: reactive[float] = reactive(0.0)
    """Seconds left; negative once over the limit."""

    def __init__(
        self,
        limit_seconds: float,
        started_at: datetime,
        clock: Callable[[], datetime],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.limit_seconds = limit_seconds
        self.started_at = started_at
        self._clock = clock
        self.set_reactive(Countdown.remaining, float(limit_seconds))

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        elapsed = (self._clock() - self.started_at).total_seconds()
        self.remaining = self.limit_seconds - elapsed

    def render(self) -> str:
        shown = math.ceil(self.remaining) if self.remaining >= 0 else math.floor(self.remaining)
        return countdown_text(shown)

    def watch_remaining(self, remaining: float) -> None:
        warning_at = max(CRITICAL_SECONDS, self.limit_seconds * WARNING_SHARE)
        self.set_class(remaining < 0, "-overtime")
        self.set_class(0 <= remaining <= CRITICAL_SECONDS, "-critical")
        self.set_class(CRITICAL_SECONDS < remaining <= warning_at, "-warning")
