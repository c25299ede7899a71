"""Retry that builds on the last answer (issue 12): r on Results asks whether to edit the
last answer or start blank, and the next grading shows what changed since the last attempt.

Pilot tests that read the screen as drawn, at 120x40 and at 80x24.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from designprep.bank import Bank
from designprep.grading import Grader
from designprep.grading.change import compare
from designprep.history import HistoryStore
from designprep.ui.screens.dialogs import RetryModal
from designprep.ui.screens.practice import PracticeScreen
from designprep.ui.screens.results import ResultsScreen
from tests.test_ui_helpers import (
    GOOD_ANSWER,
    T0,
    WEAK_ANSWER,
    FakeClock,
    make_app,
    save_attempt,
    screen_lines,
    store,
    text_in,
    utc_zone,
)

__all__ = ["store", "utc_zone"]  # fixtures used by name below

SIZES = [(120, 40), (80, 24)]
IDS = ["120x40", "80x24"]
FIRST = "Codes are just the next number from an auto increment column."
MORE = (
    " We use a 302 redirect so every click reaches us for analytics."
    " Base62 encoding of a counter id gives seven character codes."
)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def grade_first(pilot: Pilot[Any]) -> ResultsScreen:
    """Open url-short from Browse, answer it and submit: its results."""
    await pilot.press("slash", *"url", "enter")
    pilot.app.screen.query_one("#answer", TextArea).insert(FIRST)
    await pilot.press("ctrl+s")
    await settle(pilot)
    results = pilot.app.screen
    assert isinstance(results, ResultsScreen)
    return results


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_retry_edits_the_last_answer_and_shows_what_changed(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    clock = FakeClock()
    app = make_app(tiny_bank, tiny_grader, store, clock, warm_up=False)
    async with app.run_test(size=size) as pilot:
        first = await grade_first(pilot)
        assert "Since your last attempt" not in text_in(app, first.query_one("#breakdown"))
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RetryModal)
        shown = text_in(app, app.screen.query_one("#dialog"))
        assert "Edit this answer (e)" in shown and "Blank box (b)" in shown
        await pilot.press("e")
        await settle(pilot)
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert FIRST in text_in(app, practice.query_one("#answer"))  # on screen, to edit
        clock.advance(120)
        await pilot.press(*MORE[:12])  # typing goes on at the end of the last answer
        practice.query_one("#answer", TextArea).insert(MORE[12:])
        await pilot.press("ctrl+s")
        await settle(pilot)
        second = app.screen
        assert isinstance(second, ResultsScreen) and second is not first
        assert second.attempt.answer == FIRST + MORE
        change = compare(first.result, second.result)
        assert change.delta > 0 and change.gained
        breakdown = text_in(app, second.query_one("#breakdown"))
        heading = f"Since your last attempt {change.before} → {change.after} ({change.delta:+d})"
        assert heading in breakdown, breakdown
        assert "gained" in breakdown
        assert change.gained[0][:20] in breakdown


async def test_retry_from_a_blank_box_and_cancel(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SIZES[0]) as pilot:
        first = await grade_first(pilot)
        await pilot.press("r", "escape")  # cancel: still on the results
        await settle(pilot)
        assert app.screen is first
        await pilot.press("r", "b")
        await settle(pilot)
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.query_one("#answer", TextArea).text == ""
        assert FIRST not in "\n".join(screen_lines(app))


async def test_an_attempt_opened_from_history_shows_the_change_from_the_one_before(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore, utc_zone: None
) -> None:
    weak = save_attempt(tiny_bank, tiny_grader, store, "tracker-choice", WEAK_ANSWER, T0)
    good = save_attempt(
        tiny_bank, tiny_grader, store, "tracker-choice", GOOD_ANSWER, T0 + timedelta(days=1)
    )
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SIZES[1]) as pilot:
        await settle(pilot)
        app.open_attempt(good)
        await settle(pilot)
        breakdown = text_in(app, app.screen.query_one("#breakdown"))
        assert f"Since your last attempt {weak.score} → {good.score}" in breakdown, breakdown
        await pilot.press("escape")
        app.open_attempt(weak)  # the first: nothing before it
        await settle(pilot)
        assert "Since your last" not in text_in(app, app.screen.query_one("#breakdown"))
