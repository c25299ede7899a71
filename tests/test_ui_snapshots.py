"""One snapshot per screen (pytest-textual-snapshot) at 120x40 and at 80x24, at a fixed
clock and time zone, on a temp history store and the tiny bank. Update with
``--snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from designprep.bank import Bank, LoadProblem
from designprep.grading import Grader
from designprep.history import HistoryStore
from designprep.ui.app import DesignPrepApp
from tests.test_ui_helpers import (
    GOOD_ANSWER,
    SIZE,
    FakeClock,
    history_of_three,
    make_app,
    store,
    utc_zone,
)

__all__ = ["store", "utc_zone"]  # fixtures used by name below

pytestmark = pytest.mark.usefixtures("utc_zone")


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


Scenario = tuple[DesignPrepApp, Callable[[Pilot[Any]], Awaitable[None]]]


def browse(bank: Bank, grader: Grader, store: HistoryStore) -> Scenario:
    history_of_three(bank, grader, store)
    return make_app(bank, grader, store), settle


def practice(bank: Bank, grader: Grader, store: HistoryStore) -> Scenario:
    clock = FakeClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        pilot.app.screen.query_one("#answer", TextArea).insert(GOOD_ANSWER)
        await pilot.press("ctrl+g", "y")
        clock.advance(8 * 60 + 30)  # 1:30 left of 10:00: the countdown turns amber
        pilot.app.screen.query_one("Countdown").tick()  # type: ignore[attr-defined]
        await settle(pilot)

    return make_app(bank, grader, store, clock), run_before


def results(bank: Bank, grader: Grader, store: HistoryStore) -> Scenario:
    history_of_three(bank, grader, store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_attempt(store.attempts()[0])  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("down", "s")  # highlight the second item, show the arithmetic
        await settle(pilot)

    return make_app(bank, grader, store), run_before


def history(bank: Bank, grader: Grader, store: HistoryStore) -> Scenario:
    history_of_three(bank, grader, store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("h")
        await settle(pilot)

    return make_app(bank, grader, store), run_before


def help_keys(bank: Bank, grader: Grader, store: HistoryStore) -> Scenario:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")
        await settle(pilot)

    return make_app(bank, grader, store), run_before


def problems(bank: Bank, grader: Grader, store: HistoryStore) -> Scenario:
    found = [
        LoadProblem(Path("my-bank/mlops/broken.yaml"), 7, "time_limit_minutes", "must be > 0"),
        LoadProblem(
            Path("my-bank/rubrics/typo.yaml"),
            3,
            "points[0].evidense",
            "unknown field (check the spelling; the fields allowed here are id, text, "
            "evidence, requires_any, weight, contradicted_by)",
        ),
        LoadProblem(Path("my-bank/empty.yaml"), None, None, "file is empty"),
    ]

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        await settle(pilot)

    return make_app(replace(bank, problems=found), grader, store), run_before


def test_browse(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app, run_before = browse(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_practice(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app, run_before = practice(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_results(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app, run_before = results(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_history(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app, run_before = history(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore) -> None:
    app, run_before = help_keys(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_problems(
    snap_compare: Any, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app, run_before = problems(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize(
    "scenario",
    [browse, practice, results, history, help_keys, problems],
    ids=["browse", "practice", "results", "history", "help", "problems"],
)
def test_at_80x24(
    scenario: Callable[[Bank, Grader, HistoryStore], Scenario],
    snap_compare: Any,
    tiny_bank: Bank,
    tiny_grader: Grader,
    store: HistoryStore,
) -> None:
    """Every screen in the smallest usual terminal: nothing that matters cut off."""
    app, run_before = scenario(tiny_bank, tiny_grader, store)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
