"""Reload the bank without restarting (issue 12): ctrl+r on Browse reads the bank folders
again, so an edited prompt shows at once, and load problems are shown as at start-up (a
notification, the Problems screen). Read from the screen at 120x40 and 80x24."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from designprep.bank import Bank, load_bank
from designprep.grading import Grader
from designprep.history import HistoryStore
from designprep.ui.screens.browse import BrowseScreen
from designprep.ui.screens.problems import ProblemsScreen
from tests.conftest import TINY_BANK
from tests.test_ui_helpers import make_app, store, text_in

__all__ = ["store"]  # fixtures used by name below

OLD_TITLE = "Design a URL shortener"
NEW_TITLE = "Design a link shortener with custom aliases"


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def loader(folder: Path) -> Any:
    def load() -> tuple[Bank, Grader]:
        bank = load_bank([folder], include_bundled=False)
        return bank, Grader(bank)

    return load


def notes(app: Any) -> str:
    """Every notification the app has showing, title and message."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_ctrl_r_reloads_an_edited_prompt_and_shows_problems_as_at_start(
    size: tuple[int, int], tmp_path: Path, store: HistoryStore
) -> None:
    folder = tmp_path / "my-bank"
    shutil.copytree(TINY_BANK, folder)
    load = loader(folder)
    bank, grader = load()
    app = make_app(bank, grader, store, warm_up=False, reload_bank=load)
    prompt_file = folder / "systems" / "url-short.yaml"
    rubric_file = folder / "rubrics" / "url-short.yaml"
    async with app.run_test(size=size) as pilot:
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        assert OLD_TITLE in text_in(app, browse.query_one("#prompts"))

        prompt_file.write_text(prompt_file.read_text().replace(OLD_TITLE, NEW_TITLE))
        await pilot.press("ctrl+r")
        await settle(pilot)
        table = text_in(app, browse.query_one("#prompts"))
        assert NEW_TITLE[:30] in table and OLD_TITLE not in table, table
        assert app.bank.prompts["url-short"].title == NEW_TITLE
        assert app.grader.bank is app.bank  # grading uses the bank as it is now
        assert "Bank reloaded" in notes(app)

        good = rubric_file.read_text()
        rubric_file.write_text(good.replace("penalty: 10", "penalty: -3"))
        await pilot.press("slash", *"link", "down")  # the cursor on the prompt that breaks
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "url-short" not in app.bank.prompts
        assert "No prompt matches" in text_in(app, browse.query_one("#prompts"))
        assert "Some prompts could not be loaded" in notes(app)
        await pilot.press("escape", "p")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        listed = text_in(app, app.screen.query_one("#problems"))
        assert "red_flags[0].penalty" in listed, listed
        await pilot.press("escape")
        await settle(pilot)

        rubric_file.write_text(good)  # fixed: back, and no problems key any more
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "url-short" in app.bank.prompts and not app.bank.problems
        assert not browse.check_action("problems", ())


async def test_a_bank_that_fails_to_load_keeps_the_one_in_use(
    tiny_bank: Bank, tiny_grader: Grader, store: HistoryStore
) -> None:
    def broken() -> tuple[Bank, Grader]:
        raise OSError("the disk went away")

    app = make_app(tiny_bank, tiny_grader, store, warm_up=False, reload_bank=broken)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.bank is tiny_bank
        assert "Not reloaded" in notes(app) and "the disk went away" in notes(app)
