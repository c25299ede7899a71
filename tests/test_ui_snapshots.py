"""One snapshot per screen (pytest-textual-snapshot), at a fixed size, clock and time zone,
on a temp history store and the tiny bank. Update with ``--snapshot-update`` only after
looking at the report.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from designprep.bank import Bank, LoadProblem
from designprep.grading import Grader
from designprep.history import HistoryStore
from tests.test_ui_helpers import (
    GOOD_ANSWER,
    SIZE,
    T0,
    WEAK_ANSWER,
    FakeClock,
    make_app,
    save_attempt,
    store,
    utc_zone,
)

__all__ = ["store", "utc_zone"]  # fixtures used by name below

pytestmark = pytest.mark.usefixtures("utc_zone")


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


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_browse(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)
    app = make_app(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_practice(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    clock = FakeClock()
    app = make_app(tiny_bank, tiny_grader, store, clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        pilot.app.screen.query_one("#answer", TextArea).insert(GOOD_ANSWER)
        await pilot.press("ctrl+g", "y")
        clock.advance(8 * 60 + 30)  # 1:30 left of 10:00: the countdown turns amber
        pilot.app.screen.query_one("Countdown").tick()  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_results(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)
    app = make_app(tiny_bank, tiny_grader, store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_attempt(store.attempts()[0])  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("down", "s")  # highlight the second item, show the arithmetic
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_history(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)
    app = make_app(tiny_bank, tiny_grader, store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore) -> None:
    app = make_app(tiny_bank, tiny_grader, store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_problems(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    problems = [
        LoadProblem(Path("my-bank/mlops/broken.yaml"), 7, "time_limit_minutes", "must be > 0"),
        LoadProblem(Path("my-bank/rubrics/typo.yaml"), 3, "points[0].evidense", "unknown field"),
        LoadProblem(Path("my-bank/empty.yaml"), None, None, "file is empty"),
    ]
    app = make_app(replace(tiny_bank, problems=problems), tiny_grader, store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
