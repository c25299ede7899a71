"""Control of your history in the app, as in Anki (issue 12): Browse's dropdowns, its due /
never tried / suspended filter and sorting, a prompt's schedule (suspend, reset), deleting
an attempt on History, the due forecast, and rating an attempt on Results.

Pilot tests that read the screen as drawn, at 120x40 and at 80x24.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from designprep.bank import Bank
from designprep.grading import Grader
from designprep.history import HistoryStore
from designprep.ui.screens.browse import BrowseScreen
from designprep.ui.screens.dialogs import DeleteModal, RatingModal, ScheduleModal
from designprep.ui.screens.history import HistoryScreen
from designprep.ui.screens.results import ResultsScreen
from designprep.ui.widgets.prompt_table import PromptTable
from tests.test_ui_helpers import (
    GOOD_ANSWER,
    T0,
    WEAK_ANSWER,
    FakeClock,
    history_of_three,
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
TRACKER = "Choose experiment tracking"  # the start of tracker-choice's title
URL = "Design a URL shortener"


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def row_of(app: Any, title: str) -> str:
    return next((r for r in screen_lines(app) if title in r and "│" in r), "")  # a table row


def table_titles(app: Any) -> list[str]:
    """The prompts the Browse table shows, top to bottom, as read on the screen."""
    table = app.screen.query_one("#prompts", PromptTable)
    shown = text_in(app, table)
    return sorted((t for t in (TRACKER, URL) if t in shown), key=shown.index)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_c_and_d_open_the_dropdowns(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        await pilot.press("c")
        await settle(pilot)
        category = browse.query_one("#category", Select)
        assert category.expanded
        shown = "\n".join(screen_lines(app))
        assert "mlops" in shown and "systems" in shown  # the choices, on screen
        await pilot.press("down", "down", "enter")  # All categories, mlops, systems
        await settle(pilot)
        assert not category.expanded and browse.category == "systems"
        assert table_titles(app) == [URL]
        assert isinstance(app.focused, PromptTable)  # back on the table: its keys work
        await pilot.press("d")
        await settle(pilot)
        assert browse.query_one("#difficulty", Select).expanded
        await pilot.press("escape")  # closes the dropdown, chooses nothing
        await settle(pilot)
        assert browse.difficulty is None and browse.category == "systems"


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_show_due_never_tried_and_sort_by_best_or_due(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    # url-short failed 3 days ago (due); tracker-choice answered well yesterday (not due)
    save_attempt(tiny_bank, tiny_grader, store, "url-short", WEAK_ANSWER, T0 - timedelta(days=3))
    yesterday = T0 - timedelta(days=1)
    save_attempt(tiny_bank, tiny_grader, store, "tracker-choice", GOOD_ANSWER, yesterday)
    best = {p: store.progress()[p].best_score for p in ("url-short", "tracker-choice")}
    assert best["tracker-choice"] > best["url-short"]
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        assert table_titles(app) == [TRACKER, URL]  # by category: mlops, systems

        async def choose(key: str, option: int) -> None:
            await pilot.press(key, "home", *["down"] * option, "enter")  # option 0: blank
            await settle(pilot)

        await choose("v", 1)  # Due now
        assert table_titles(app) == [URL]
        assert "● due" in row_of(app, URL)
        await choose("v", 2)  # Never tried: both are tried
        assert table_titles(app) == []
        await pilot.press("escape")  # clears every filter
        await settle(pilot)
        await choose("o", 2)  # Best: highest
        assert table_titles(app) == [TRACKER, URL]
        await choose("o", 1)  # Best: lowest
        assert table_titles(app) == [URL, TRACKER]
        await choose("o", 3)  # Due date: the due one first
        assert table_titles(app) == [URL, TRACKER]
        shown = text_in(app, browse.query_one("#filters"))
        assert "Due date" in shown, shown


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_suspend_and_reset_a_prompt_from_browse(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        browse = app.screen
        assert isinstance(browse, BrowseScreen) and browse.highlighted == "tracker-choice"
        assert "suspended" not in row_of(app, TRACKER)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ScheduleModal)
        shown = text_in(app, app.screen.query_one("#dialog"))
        assert "Suspend (s)" in shown and "Reset (r)" in shown and "last score" in shown
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is browse and store.suspended() == {"tracker-choice"}
        assert "suspended" in row_of(app, TRACKER)
        assert "1 suspended" in "\n".join(screen_lines(app)[:1])
        assert "url-short" in (app.next_prompt() or ("", ""))[0].id  # never recommended

        await pilot.press("s")
        await settle(pilot)
        assert "Unsuspend (s)" in text_in(app, app.screen.query_one("#dialog"))
        await pilot.press("s")  # unsuspend
        await settle(pilot)
        assert store.suspended() == set()
        assert "suspended" not in row_of(app, TRACKER)

        await pilot.press("s", "r")  # reset: due now
        await settle(pilot)
        assert "● due" in row_of(app, TRACKER)
        assert store.progress(now=app.clock())["tracker-choice"].is_due


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_delete_an_attempt_on_history_after_asking(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)
    newest = store.attempts()[0]
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert "3 attempts" in screen_lines(app)[0]
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, DeleteModal)
        shown = text_in(app, app.screen.query_one("#dialog"))
        assert f"Delete attempt #{newest.id}?" in shown and f"score {newest.score}" in shown
        await pilot.press("enter")  # enter keeps it: only y deletes
        await settle(pilot)
        assert app.screen is screen and store.count_attempts() == 3
        await pilot.press("x", "y")
        await settle(pilot)
        assert store.attempt(newest.id) is None
        assert "2 attempts" in screen_lines(app)[0]
        rows = text_in(app, screen.query_one("#attempts"))
        assert rows.count(" 20") == 2, rows  # both 2025 dates left, the deleted one gone


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_history_shows_the_due_forecast(
    size: tuple[int, int],
    tiny_bank: Bank,
    tiny_grader: Grader,
    store: HistoryStore,
    utc_zone: None,
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    days = {
        p.prompt_id: (p.due_at.date() - T0.date()).days  # type: ignore[union-attr]
        for p in store.progress(now=T0).values()
    }
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await settle(pilot)
        box = app.screen.query_one("#forecast")
        box.scroll_visible(animate=False)  # at 80x24 History is one column that scrolls
        await settle(pilot)
        names, counts = text_in(app, box).split(" ", 14)[:14], text_in(app, box).split()[14:]
        assert names[0] == f"{T0:%a}"[:2]
        expected = [0] * 14
        for offset in days.values():
            expected[max(0, offset)] += 1
        assert counts == [str(n) if n else "·" for n in expected], (counts, expected)
        assert f"{sum(expected)} in all" in "\n".join(screen_lines(app))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_rate_an_attempt_yourself_on_results(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    clock = FakeClock()
    attempt = save_attempt(tiny_bank, tiny_grader, store, "url-short", WEAK_ANSWER, T0)
    app = make_app(tiny_bank, tiny_grader, store, clock, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.open_attempt(attempt)
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        summary = text_in(app, results.query_one("#verdict-box"))
        assert "Rated again by its score" in summary, summary
        before = store.progress()["url-short"].due_at
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, RatingModal)
        assert "Easy (4)" in text_in(app, app.screen.query_one("#dialog"))
        await pilot.press("4")
        await settle(pilot)
        assert app.screen is results and store.rating(attempt.id) == 4
        summary = text_in(app, results.query_one("#verdict-box"))
        assert "Rated easy by you (its score: again)" in summary, summary
        after = store.progress()["url-short"].due_at
        assert after is not None and before is not None and after > before
        await pilot.press("g", "1")  # the score's own rating: back to the score
        await settle(pilot)
        assert store.rating(attempt.id) is None
        assert "Rated again by its score" in text_in(app, results.query_one("#verdict-box"))
