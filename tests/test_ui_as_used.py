"""The app as people use it (issue 12): what a person sees at 120x40 and at 80x24.

Pilot tests that read the screen as drawn, not the widgets' state: a hint that is paid for
but scrolled out of sight, or a column pushed off the edge, passes a test of state.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from designprep.bank import Bank
from designprep.grading import Grader
from designprep.history import HistoryStore
from designprep.ui.screens.practice import PracticeScreen
from tests.test_ui_helpers import make_app, store, text_in, utc_zone

__all__ = ["store", "utc_zone"]  # fixtures used by name below

SIZES = [(120, 40), (80, 24)]
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
