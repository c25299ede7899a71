"""Shared pieces of the UI tests: a fixed clock, a fixed time zone and an app on a temp store.

No tests here; the Pilot, snapshot and filter tests import from this module.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.widget import Widget

from designprep.bank import Bank
from designprep.grading import Grader
from designprep.history import Attempt, HistoryStore
from designprep.ui.app import DesignPrepApp

SIZE = (120, 40)
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
GOOD_ANSWER = (
    "Patient data never leaves our network, so I would host MLflow in our own VPC, "
    "air-gapped from the internet. Researchers can use W&B for experiment tracking and "
    "research on public data. The winning model is pushed to the MLflow model registry, "
    "which gates what goes to production."
)
WEAK_ANSWER = "I would log patient records to the W&B cloud because the dashboards are nice."


class FakeClock:
    """A clock that stands still unless told to move."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so the times the app shows do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.sqlite3") as s:
        yield s


def make_app(
    bank: Bank,
    grader: Grader,
    store: HistoryStore,
    clock: FakeClock | None = None,
    **options: object,
) -> DesignPrepApp:
    settings: dict[str, object] = {
        "clock": clock or FakeClock(),
        "rng": random.Random(7),
        "cursor_blink": False,
        "autosave_seconds": 3600.0,
    }
    settings.update(options)
    return DesignPrepApp(bank, grader, store, **settings)  # type: ignore[arg-type]


def save_attempt(
    bank: Bank,
    grader: Grader,
    store: HistoryStore,
    prompt_id: str,
    answer: str,
    at: datetime,
    minutes: float = 8,
    hints: int = 0,
) -> Attempt:
    prompt = bank.prompts[prompt_id]
    return store.save_attempt(
        prompt=prompt,
        content_hash=bank.content_hash(prompt),
        answer=answer,
        result=grader.grade(prompt, answer, hints_used=hints),
        started_at=at - timedelta(minutes=minutes),
        submitted_at=at,
    )


def screen_lines(app: DesignPrepApp) -> list[str]:
    """The text the terminal shows now, one string per row (as a screenshot would draw it)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    # the same render as App.export_screenshot, read as text instead of SVG
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()


def text_in(app: DesignPrepApp, widget: Widget) -> str:
    """The text shown inside a widget's content area, whitespace collapsed: what can be read
    there now without scrolling."""
    region = widget.scrollable_content_region
    rows = screen_lines(app)[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right] for row in rows).split())


def history_of_three(bank: Bank, grader: Grader, store: HistoryStore) -> None:
    save_attempt(bank, grader, store, "tracker-choice", WEAK_ANSWER, T0 - timedelta(days=9))
    save_attempt(
        bank,
        grader,
        store,
        "url-short",
        "Use base62 codes and a Redis cache.",
        T0 - timedelta(days=5),
    )
    save_attempt(
        bank, grader, store, "tracker-choice", GOOD_ANSWER, T0 - timedelta(days=1), hints=1
    )
