"""The app as people use it (issue 12): what a person sees at 120x40 and at 80x24.

Pilot tests that read the screen as drawn, not the widgets' state: a hint that is paid for
but scrolled out of sight, or a column pushed off the edge, passes a test of state.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer, Label, TextArea
from textual.widgets._footer import FooterKey

from designprep.bank import Bank, LoadProblem
from designprep.grading import Grader
from designprep.history import HistoryStore
from designprep.ui.screens.browse import BrowseScreen
from designprep.ui.screens.help import HelpScreen
from designprep.ui.screens.history import HistoryScreen
from designprep.ui.screens.practice import PracticeScreen
from designprep.ui.screens.problems import ProblemsScreen
from designprep.ui.screens.results import ResultsScreen
from designprep.ui.widgets.countdown import Countdown
from tests.conftest import TINY_BANK
from tests.test_ui_helpers import (
    GOOD_ANSWER,
    T0,
    FakeClock,
    history_of_three,
    make_app,
    screen_lines,
    store,
    text_in,
    utc_zone,
)

__all__ = ["store", "utc_zone"]  # fixtures used by name below

SIZES = [(120, 40), (80, 24)]
SMALL = (80, 24)
# A prompt longer than the pane at either size, as every real prompt is at 80x24.
LONG_PROMPT = "\n\n".join(
    f"Constraint {i}: " + "the service must stay inside the hospital network at all times. " * 3
    for i in range(1, 9)
)


def long_prompt_bank(bank: Bank) -> Bank:
    prompt = bank.prompts["tracker-choice"]
    long = prompt.model_copy(update={"prompt": LONG_PROMPT})
    return replace(bank, prompts={**bank.prompts, prompt.id: long})


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_a_paid_hint_is_on_screen(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    bank = long_prompt_bank(tiny_bank)
    app = make_app(bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        hints = practice.prompt.hints
        assert len(hints) == 2
        for n, hint in enumerate(hints, start=1):
            await pilot.press("ctrl+g", "y")
            await pilot.pause()
            pane, box = practice.query_one("#prompt-pane"), practice.query(".hint")[n - 1]
            assert pane.scrollable_content_region.contains_region(box.region)
            assert text_in(app, box) == f"{n}. {hint}"
        assert app.focused is practice.query_one("#answer")  # typing goes on where it was


def collapse(text: str) -> str:
    return " ".join(text.split())


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def assert_every_key_shown(pilot: Pilot[Any]) -> None:
    """Each key of the footer can be read whole: none is cut off at the right edge."""
    footer = pilot.app.screen.query_one(Footer)
    shown = text_in(pilot.app, footer)  # type: ignore[arg-type]
    keys = [collapse(f"{k.key_display} {k.description}") for k in footer.query(FooterKey)]
    assert keys
    for key in keys:
        assert key in shown, (key, shown)


def problems() -> list[LoadProblem]:
    return [
        LoadProblem(Path("my-bank/mlops/broken.yaml"), 7, "time_limit_minutes", "must be > 0"),
        LoadProblem(
            Path("my-bank/rubrics/typo.yaml"),
            3,
            "points[0].evidense",
            "unknown field (check the spelling; the fields allowed here are id, text, "
            "evidence, requires_any, weight, contradicted_by)",
        ),
    ]


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_browse_keeps_the_columns_that_matter_and_every_key(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)
    bank = replace(tiny_bank, problems=problems())  # the problems key too
    app = make_app(bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        table = browse.query_one("#prompts")
        header = text_in(app, table).split(" Choose ")[0]
        for column in ("Prompt", "Best", "Tries", "Due"):
            assert column in header.split(), header
        assert table.scrollable_content_region.height - 1 >= 8  # rows the table can show
        assert_every_key_shown(pilot)
        await pilot.press("c", "down", "enter")  # a filter: the footer adds its clear key
        await settle(pilot)
        assert_every_key_shown(pilot)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_history_shows_whole_scores_and_every_category_column(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    url = tiny_bank.prompts["url-short"]  # the longest category name of the bundled bank
    bank = replace(
        tiny_bank,
        prompts={
            **tiny_bank.prompts,
            url.id: url.model_copy(update={"category": "ml-system-design"}),
        },
    )
    history_of_three(bank, tiny_grader, store)
    app = make_app(bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        rows = text_in(app, screen.query_one("#attempts"))
        for attempt in store.attempts():
            assert f"{attempt.score} {attempt.verdict}" in rows, rows
        assert_every_key_shown(pilot)
        categories = screen.query_one("#categories")
        categories.focus()  # tab reaches it; the screen scrolls it into sight
        await settle(pilot)
        shown = text_in(app, categories)
        for column in ("Category", "Tries", "Mean", "Best", "Trend"):
            assert column in shown, shown


async def test_help_fits_at_80x24(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help")
        assert app.screen.region.contains_region(box.region)
        assert "Keys of the screen you came from are listed first." in text_in(app, box)
        assert_every_key_shown(pilot)


async def test_problems_at_80x24_reads_whole_messages(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    bank = replace(tiny_bank, problems=problems())
    app = make_app(bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        shown = text_in(app, app.screen.query_one("#problems"))
        for p in bank.problems:
            assert collapse(p.message) in shown, shown
        assert_every_key_shown(pilot)


async def test_results_at_80x24_reads_the_summary_whole(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    prompt = tiny_bank.prompts["tracker-choice"]
    result = tiny_grader.grade(prompt, GOOD_ANSWER, hints_used=2)
    note = "the answer reads closer to another prompt of the bank than to this one"
    attempt = store.save_attempt(
        prompt=prompt,
        content_hash=tiny_bank.content_hash(prompt),
        answer=GOOD_ANSWER,
        result=replace(result, notes=(note,)),
        started_at=T0 - timedelta(minutes=9),
        submitted_at=T0,
    )
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.open_attempt(attempt)
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        summary = text_in(app, results.query_one("#verdict-box"))
        assert results._tally() in summary, summary
        assert results._meta() in summary, summary
        assert_every_key_shown(pilot)


async def test_practice_at_80x24_shows_every_key(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        assert_every_key_shown(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert_every_key_shown(pilot)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_browse_due_column_says_when_the_preview_does(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    history_of_three(tiny_bank, tiny_grader, store)  # tracker-choice: due in a few days
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        assert browse.highlighted == "tracker-choice"
        preview = text_in(app, browse.query_one("#preview"))
        days = re.search(r"due in (\d+) days", preview)
        assert days, preview
        row = next(r for r in screen_lines(app) if "Choose experiment tracking" in r)
        assert f"in {days.group(1)}d" in row, row


async def test_a_restored_draft_keeps_its_start_time(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    clock = FakeClock()
    app = make_app(tiny_bank, tiny_grader, store, clock, warm_up=False)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("enter")  # tracker-choice, 10 minutes, started at T0
        app.screen.query_one("#answer", TextArea).insert(GOOD_ANSWER)
        clock.advance(3 * 60)
        await pilot.press("escape", "k")  # kept as a draft
        clock.advance(2 * 60)
        await pilot.press("enter")  # back to it: the clock goes on from T0
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.started_at == T0
        assert "5:00 left" in str(practice.query_one(Countdown).render())
        clock.advance(60)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert store.attempts()[0].duration_seconds == 6 * 60
        assert "took 6:00 of 10:00" in str(app.screen.query_one("#meta", Label).render())


async def test_an_attempt_from_another_bank_says_where_that_bank_is(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)  # the tiny bank: --bank DIR
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("enter")
        app.screen.query_one("#answer", TextArea).insert(GOOD_ANSWER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)

    # later, without that folder: only url-short is loaded
    without = replace(tiny_bank, prompts={"url-short": tiny_bank.prompts["url-short"]})
    app = make_app(without, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        await pilot.press("m")
        await settle(pilot)
        shown = text_in(app, results.query_one("#model-answer"))
        assert str(TINY_BANK.resolve()) in shown and "--bank" in shown, shown
        assert "no longer in the bank" not in shown


@pytest.mark.parametrize("key", ["ctrl+g", "f1", "escape"], ids=["hint", "help", "leave"])
async def test_a_modal_dims_the_screen_behind_it_instead_of_blanking_it(
    key: str, tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("enter")
        app.screen.query_one("#answer", TextArea).insert("A first line of the answer.")
        await pilot.press(key)
        await settle(pilot)
        assert app.screen.is_modal
        shown = "\n".join(screen_lines(app))
        assert "─ Prompt ─" in shown and "─ Your answer ─" in shown, shown


async def test_back_from_practice_the_cursor_stays_on_the_prompt_practised(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("slash", "e")  # a filter that both prompts pass
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        assert len(browse.visible_prompts()) == 2
        await pilot.press("down", "down")  # from the filter box to the table, second row
        second = browse.highlighted
        assert second == browse.visible_prompts()[1].id
        await pilot.press("enter")
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is browse and browse.highlighted == second
