"""See the rubric after submitting (issue 12): u on Results shows the prompt's rubric, the
concepts, the reasoning points with their weights and the red flags with disqualifying ones
marked; ``designprep show ID --rubric`` prints the same. Read from the screen at 120x40 and
80x24, and from the command's output."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot

from designprep.bank import Bank
from designprep.cli.main import main
from designprep.grading import Grader
from designprep.history import HistoryStore
from designprep.ui.screens.results import ResultsScreen
from designprep.ui.screens.rubric import RubricScreen
from tests.conftest import TINY_BANK
from tests.test_ui_helpers import T0, make_app, save_attempt, store, text_in

__all__ = ["store"]  # fixtures used by name below

ANSWER = "Codes are just the next number from an auto increment column. We return a 301."
DISQUALIFYING = "Short codes are consecutive numbers anyone can walk through"


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_u_on_results_shows_the_rubric_with_weights_and_disqualifying_flags(
    size: tuple[int, int], tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    attempt = save_attempt(tiny_bank, tiny_grader, store, "url-short", ANSWER, T0)
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.open_attempt(attempt)
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("u")
        await settle(pilot)
        rubric = app.screen
        assert isinstance(rubric, RubricScreen)
        box = rubric.query_one("#rubric")
        seen = text_in(app, box)
        assert "Key concepts" in seen and "base62 (also base 62)" in seen, seen
        assert "×1 (33%) Cache hot short codes because reads dominate writes" in seen, seen
        assert "the other side (contradicts it): “return a 301 moved permanently" in seen
        await pilot.press("end")  # the red flags, further down
        await settle(pilot)
        seen = text_in(app, box)
        assert "−10 Exposes sequential ids" in seen, seen
        assert f"✗ cap {DISQUALIFYING} (disqualifying: caps the score at 40)" in seen, seen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)


async def test_the_rubric_says_when_it_changed_since_the_attempt(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    attempt = save_attempt(tiny_bank, tiny_grader, store, "url-short", ANSWER, T0)
    attempt = replace(attempt, content_hash="graded against another version")
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_attempt(attempt)
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "has changed since this attempt was graded" in text_in(
            app, app.screen.query_one("#rubric")
        )


async def test_no_rubric_for_a_prompt_not_in_the_bank(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    attempt = save_attempt(tiny_bank, tiny_grader, store, "url-short", ANSWER, T0)
    without = replace(tiny_bank, prompts={"tracker-choice": tiny_bank.prompts["tracker-choice"]})
    app = make_app(without, tiny_grader, store, warm_up=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_attempt(attempt)
        await settle(pilot)
        assert not app.screen.check_action("rubric", ())
        await pilot.press("u")
        assert isinstance(app.screen, ResultsScreen)


def test_show_rubric_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "url-short", "--rubric", "--bank", str(TINY_BANK)]) == 0
    out = capsys.readouterr().out
    rubric = " ".join(out.split("\nRubric\n", 1)[1].split())
    assert "Key concepts" in rubric and "×1 base62 (also base 62)" in rubric
    assert "×1 (33%) Use 302 redirects so analytics sees every click" in rubric
    assert f"✗ cap {DISQUALIFYING} (disqualifying: caps the score at 40)" in rubric
    assert "−10 Exposes sequential ids" in rubric
    with pytest.raises(SystemExit):
        main(["show", "--help"])
    assert "--rubric" in capsys.readouterr().out
