"""Pilot tests of the app: the whole practice flow, drafts, hints, history, palette and themes.

Every app runs on a temp history store and the two-prompt tiny bank, with a fixed clock.
"""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import CommandList
from textual.widgets import (
    DataTable,
    Digits,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)

from designprep.bank import Bank, LoadProblem, Prompt
from designprep.grading import Grader, GradeResult
from designprep.history import HistoryError, HistoryStore
from designprep.ui.screens.browse import BrowseScreen
from designprep.ui.screens.dialogs import HintModal, LeaveModal
from designprep.ui.screens.help import HelpScreen
from designprep.ui.screens.history import HistoryScreen
from designprep.ui.screens.practice import PracticeScreen
from designprep.ui.screens.problems import ProblemsScreen
from designprep.ui.screens.results import ResultsScreen
from designprep.ui.widgets.answer_view import AnswerView
from designprep.ui.widgets.breakdown import BreakdownList, Mark
from designprep.ui.widgets.countdown import Countdown
from designprep.ui.widgets.prompt_table import PromptTable
from designprep.ui.widgets.title_bar import TitleBar
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


def plain_text(renderable: object) -> str:
    """What a Rich renderable shows, with whitespace (and wrapping) collapsed."""
    console = Console(width=70, file=io.StringIO(), record=True)
    console.print(renderable)
    return " ".join(console.export_text().split())


async def type_answer(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Insert most of the answer at once (typing it key by key is slow), then type the end."""
    area = pilot.app.screen.query_one("#answer", TextArea)
    area.insert(text[:-8])
    await pilot.press(*text[-8:])


async def submit(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_whole_flow(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore, utc_zone: None
) -> None:
    clock = FakeClock()
    app = make_app(tiny_bank, tiny_grader, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        table = browse.query_one("#prompts", PromptTable)
        assert table.row_count == 2

        # filter: fuzzy over title and tags, per keystroke; escape clears it
        await pilot.press("slash", *"urlshrt")
        assert table.row_count == 1
        assert browse.highlighted == "url-short"
        await pilot.press("escape")
        assert table.row_count == 2
        assert isinstance(app.focused, PromptTable)
        await pilot.press("slash", *"hospitl")  # a typo still finds it
        assert table.row_ids == ["tracker-choice"]

        # open the best match from the filter box
        await pilot.press("enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.prompt.id == "tracker-choice"
        assert "10:00 left" in str(practice.query_one(Countdown).render())

        # type an answer: the word count follows
        await type_answer(pilot, GOOD_ANSWER)
        words = len(GOOD_ANSWER.split())
        assert str(practice.query_one("#words", Label).render()) == f"{words} words"

        # a hint: the penalty is shown before it is revealed
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, HintModal)
        assert "5 points" in app.screen.detail
        await pilot.press("y")
        assert app.screen is practice
        assert practice.hints_shown == 1
        hints = practice.query(".hint")
        assert len(hints) == 1
        assert "Where may patient data live?" in str(hints.first(Static).render())

        # submit after five minutes: graded in a worker, then the results
        clock.advance(300)
        await submit(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        saved = store.attempts()
        assert len(saved) == 1
        attempt = saved[0]
        assert attempt.prompt_id == "tracker-choice"
        assert attempt.answer == GOOD_ANSWER
        assert attempt.hints_used == 1
        assert attempt.duration_seconds == 300
        assert attempt.submitted_at == clock.now
        assert store.load_draft("tracker-choice") is None
        assert results.attempt == attempt

        # the score large, the verdict, and the evidence quoted and highlighted
        assert results.query_one("#score", Digits).value == str(attempt.score)
        assert str(results.query_one("#verdict", Label).render()) == attempt.verdict
        assert attempt.score >= 65
        result = attempt.result
        covered = [p for p in result.points if p.status == "covered"]
        assert covered and covered[0].evidence is not None
        breakdown = results.query_one(BreakdownList)
        index = result.points.index(covered[0])
        evidence = covered[0].evidence
        assert breakdown.spans[f"point-{index}"] == Mark(evidence.start, evidence.end, "covered")
        shown = plain_text(breakdown.get_option(f"point-{index}").prompt)
        assert " ".join(evidence.text.split())[:40] in shown
        view = results.query_one(AnswerView)
        assert any(m.kind == "covered" for m in view.marks)
        plain = view.marked_content()
        assert any("success" in str(span.style) for span in plain.spans)

        # the score arithmetic on demand
        assert not results.has_class("-arithmetic")
        await pilot.press("s")
        assert results.has_class("-arithmetic")
        arithmetic = str(results.query_one("#arithmetic", Static).render())
        assert "hints used" in arithmetic and f"{attempt.score:d}" in arithmetic

        # retry from a blank box: a fresh practice screen for the same prompt
        await pilot.press("r", "b")
        retry = app.screen
        assert isinstance(retry, PracticeScreen)
        assert retry is not practice
        assert retry.prompt.id == "tracker-choice"
        assert retry.query_one("#answer", TextArea).text == ""
        assert retry.hints_shown == 0
        await type_answer(pilot, WEAK_ANSWER)
        clock.advance(60)
        await submit(pilot)
        second = app.screen
        assert isinstance(second, ResultsScreen)
        assert second.attempt.score < attempt.score
        assert any(f.status == "raised" for f in second.result.red_flags)

        # history: both attempts, newest first; opening one shows it read-only
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        rows = history.query_one("#attempts", DataTable)
        assert rows.row_count == 2
        ids = [a.id for a in store.attempts()]
        assert [str(k.value) for k in rows.rows] == [str(i) for i in ids]
        assert history.chart_category == "mlops"
        await pilot.press("down", "enter")
        opened = app.screen
        assert isinstance(opened, ResultsScreen)
        assert opened.read_only
        assert opened.attempt.id == attempt.id
        assert not opened.check_action("retry", ())
        await pilot.press("r")  # nothing happens when read-only
        assert app.screen is opened
        await pilot.press("escape")
        assert app.screen is history
        await pilot.press("escape")
        assert app.screen is browse
        assert isinstance(app.focused, PromptTable)
        # the browse table shows the new best score and the attempt count
        assert browse._cells["tracker-choice"][4].plain == str(attempt.score)  # type: ignore[union-attr]
        assert browse._cells["tracker-choice"][5] == "2"
        assert store.count_attempts() == 2


async def test_empty_answer_is_refused_and_nothing_saved(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.press("space", "space", "enter")  # whitespace only
        await submit(pilot)
        assert isinstance(app.screen, PracticeScreen)
        assert not app.screen.grading
        messages = [n.message for n in app._notifications]
        assert any("empty" in m for m in messages), messages
        assert store.count_attempts() == 0


async def test_leaving_with_text_asks_then_keeps_or_discards_the_draft(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_answer(pilot, "A draft that is not finished yet.")
        await pilot.press("ctrl+g", "y")  # one hint revealed: it is part of the draft
        await pilot.press("escape")
        assert isinstance(app.screen, LeaveModal)
        await pilot.press("escape")  # stay
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape", "k")  # keep the draft
        assert isinstance(app.screen, BrowseScreen)
        draft = store.load_draft("tracker-choice")
        assert draft is not None
        assert draft.text == "A draft that is not finished yet."
        assert draft.hints_used == 1

        # opening the prompt again restores the text and the hints
        await pilot.press("enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.query_one("#answer", TextArea).text == draft.text
        assert practice.hints_shown == 1
        assert "restored" in str(practice.query_one("#draft-state", Label).render())

        await pilot.press("escape", "x")  # discard
        assert isinstance(app.screen, BrowseScreen)
        assert store.load_draft("tracker-choice") is None
        assert store.count_attempts() == 0


async def test_draft_is_autosaved_in_the_background(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store, autosave_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_answer(pilot, "Autosaved while typing, before any key to leave.")
        for _ in range(40):
            await pilot.pause(0.05)
            draft = store.load_draft("tracker-choice")
            if draft is not None:
                break
        assert draft is not None
        assert draft.text == "Autosaved while typing, before any key to leave."
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "draft saved" in str(app.screen.query_one("#draft-state", Label).render())


async def test_quitting_while_typing_keeps_the_draft(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await type_answer(pilot, "Use a Redis cache in front of the store.")
        await pilot.press("ctrl+q")
    draft = store.load_draft("url-short")
    assert draft is not None and draft.text == "Use a Redis cache in front of the store."


async def test_countdown_turns_colour_near_the_end_and_shows_overtime(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    clock = FakeClock()
    app = make_app(tiny_bank, tiny_grader, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # tracker-choice: 10 minutes
        countdown = app.screen.query_one(Countdown)
        states = []
        for seconds in (0, 420, 500, 590, 601, 735):
            clock.now = T0 + timedelta(seconds=seconds)
            countdown.tick()
            await pilot.pause()
            states.append((str(countdown.render()), sorted(countdown.classes)))
        assert states == [
            ("10:00 left", []),
            ("3:00 left", []),
            ("1:40 left", ["-warning"]),
            ("0:10 left", ["-critical"]),
            ("+0:01 over", ["-overtime"]),
            ("+2:15 over", ["-overtime"]),
        ]
        assert isinstance(app.screen, PracticeScreen)  # never submits by itself
        assert store.count_attempts() == 0


class SlowGrader(Grader):
    """Takes its time, as the first grading of a big bank does."""

    def __init__(self, bank: Bank, delay: float) -> None:
        super().__init__(bank)
        self.delay = delay
        self.warm_ups = 0

    def warm_up(self) -> None:
        self.warm_ups += 1

    def grade(self, prompt: Prompt | str, answer: str, hints_used: int = 0) -> GradeResult:
        time.sleep(self.delay)
        return super().grade(prompt, answer, hints_used)


async def test_grading_runs_in_a_worker_and_the_ui_keeps_responding(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    tiny_grader.warm_up()  # the real work is shared; only the sleep is new
    grader = SlowGrader(tiny_bank, delay=1.0)
    grader._idf = tiny_grader._idf
    app = make_app(tiny_bank, grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_answer(pilot, GOOD_ANSWER)
        started = time.monotonic()
        await pilot.press("ctrl+s")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.grading
        assert practice.query_one("#answer", TextArea).has_class("-grading")
        assert "grading" in str(practice.query_one("#grading-state", Label).render())
        await pilot.pause(0.05)  # the event loop is free while the grader works
        assert time.monotonic() - started < 0.9
        await pilot.press("escape")  # no leaving mid-grading
        assert app.screen is practice
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert grader.warm_ups == 1
        assert app.grader_warm.is_set()


async def test_next_due_and_random_open_a_prompt(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    # tracker-choice answered weakly long ago: due now
    save_attempt(tiny_bank, tiny_grader, store, "tracker-choice", WEAK_ANSWER, T0.replace(month=1))
    save_attempt(tiny_bank, tiny_grader, store, "url-short", "Use base62 codes and Redis.", T0)
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        browse = app.screen
        assert "Next up (n): Choose experiment tracking" in str(
            browse.query_one("#next-up", Label).render()
        )
        assert "due" in str(browse.query_one("#next-up", Label).render())
        assert browse._cells["tracker-choice"][6].plain == "● due"  # type: ignore[union-attr]
        await pilot.press("n")
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.prompt.id == "tracker-choice"
        await pilot.press("escape")

        # random picks among the prompts the filters leave
        await pilot.press("d", "down", "enter")  # difficulty: easy (both tiny prompts are)
        assert browse.query_one("#difficulty", Select).value == "easy"
        await pilot.press("c", "down", "enter")  # category: mlops
        assert browse.query_one("#category", Select).value == "mlops"
        await pilot.pause()  # back on the table
        await pilot.press("r")
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.prompt.id == "tracker-choice"


async def test_help_lists_every_key(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(".keys").results(Static))
        for description in (
            "Practise", "Next due", "Random", "Filter", "Category", "Level", "Problems", "History",
            "Submit", "Hint (costs points)", "Retry", "Next prompt", "Score maths",
            "Model answer", "Follow-ups", "Open attempt", "Chart category", "Help", "Quit",
        ):  # fmt: skip
            assert description in text, description
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("enter", "f1")  # F1 works while typing an answer
        assert isinstance(app.screen, HelpScreen)
        assert app.screen._sections()[0][0] == "Practice"  # the current screen first


async def test_every_binding_has_a_description_and_an_id() -> None:
    from textual.binding import Binding

    from designprep.ui.app import DesignPrepApp
    from designprep.ui.screens import browse, dialogs, help, history, practice, problems, results

    owners = [DesignPrepApp, browse.PromptTable, browse.FilterInput, history.AttemptsTable]
    for module in (browse, dialogs, help, history, practice, problems, results):
        owners += [
            v
            for v in vars(module).values()
            if isinstance(v, type) and "BINDINGS" in vars(v) and v.__module__ == module.__name__
        ]
    for owner in owners:
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding), (owner, binding)
            assert binding.id, (owner, binding)
            assert binding.description, (owner, binding)


async def test_theme_is_remembered(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert store.get_setting("theme") == "nord"
    again = make_app(tiny_bank, tiny_grader, store)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_command_palette_jumps_to_a_prompt(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"url shortener")
        commands = app.screen.query_one(CommandList)
        for _ in range(40):  # the palette searches in the background
            await pilot.pause(0.05)
            if commands.option_count and commands.highlighted is not None:
                break
        first = plain_text(commands.get_option_at_index(0).prompt)
        assert "URL shortener" in first, first
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.prompt.id == "url-short"


async def test_load_problems_are_shown_and_the_rest_works(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore, tmp_path: Path
) -> None:
    problem = LoadProblem(tmp_path / "mine" / "broken.yaml", 4, "time_limit_minutes", "must be > 0")
    bank = replace(tiny_bank, problems=[problem])
    app = make_app(bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notes = list(app._notifications)
        assert len(notes) == 1 and notes[0].severity == "warning"
        assert "1 problem in 1 bank file" in notes[0].message
        assert app.screen.query_one("#prompts", PromptTable).row_count == 2
        await pilot.press("p")
        problems = app.screen
        assert isinstance(problems, ProblemsScreen)
        listed = problems.query_one("#problems", OptionList)
        assert listed.option_count == 1
        where, what = str(listed.get_option_at_index(0).prompt).splitlines()
        assert where.endswith("broken.yaml:4")
        assert what == "time_limit_minutes: must be > 0"
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("enter")  # the good prompts still work
        assert isinstance(app.screen, PracticeScreen)


async def test_without_problems_there_is_no_problems_key(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, BrowseScreen)
        assert not app.screen.check_action("problems", ())
        assert not app._notifications


async def test_history_with_no_attempts_says_so(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.has_class("-empty")
        assert "No attempts yet" in str(app.screen.query_one("#empty", Label).render())
        await pilot.press("enter", "c")  # nothing to open or chart: no error
        assert isinstance(app.screen, HistoryScreen)


async def test_results_next_opens_the_recommended_prompt(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_answer(pilot, GOOD_ANSWER)
        await submit(pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("n")
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.prompt.id == "url-short"  # the one never attempted


async def test_filter_box_keys(tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore) -> None:
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"zzzz")
        browse = app.screen
        assert browse.query_one("#prompts", PromptTable).row_count == 0
        assert browse.highlighted is None
        await pilot.press("enter")  # nothing to open
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press(*["backspace"] * 4, "down")
        assert isinstance(app.focused, PromptTable)
        assert browse.query_one("#filter", Input).value == ""
        await pilot.press("d")  # opens the level dropdown
        difficulty = browse.query_one("#difficulty", Select)
        assert difficulty.expanded
        await pilot.press("end", "enter")  # the last: hard
        assert difficulty.value == "hard" and not difficulty.expanded
        await pilot.pause()
        assert isinstance(app.focused, PromptTable)  # back on the table
        await pilot.press("d", "home", "enter")  # and back to any level
        assert difficulty.value is Select.NULL


def test_app_command_needs_a_terminal() -> None:
    from tests.conftest import run_cli

    proc = run_cli()  # stdout is a pipe here
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0
    assert "needs a terminal" in proc.stderr


def test_app_command_reports_an_unusable_history(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from designprep.cli import main as cli_main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("DESIGNPREP_HOME", str(blocker / "home"))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli_main.main([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("designprep: error: ") and err.count("\n") == 1


async def test_grading_is_shown_even_when_the_history_cannot_save_it(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(**_: object) -> None:
        raise HistoryError("history.sqlite3: the disk is full; free some space and try again")

    monkeypatch.setattr(store, "save_attempt", disk_full)
    app = make_app(tiny_bank, tiny_grader, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_answer(pilot, GOOD_ANSWER)
        await submit(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert results.attempt.id == 0
        assert results.attempt.score >= 65
        assert "not saved" in results.query_one(TitleBar).subtitle
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "disk is full" in errors[0].message
