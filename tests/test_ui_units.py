"""The app's small parts: fuzzy filtering, formatting, the prompt table, the chart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.app import App, ComposeResult

from designprep.bank import Bank
from designprep.ui.filtering import filter_prompts, score
from designprep.ui.format import (
    band,
    clock_text,
    countdown_text,
    due_short,
    since_text,
    until_text,
    word_count,
    words_text,
)
from designprep.ui.widgets.prompt_table import Column, PromptTable
from designprep.ui.widgets.score_chart import ScoreChart


def ids(bank: Bank, query: str, **filters: str) -> list[str]:
    return [m.prompt.id for m in filter_prompts(bank.prompts.values(), query, **filters)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["tracker-choice", "url-short"]),  # no query: every prompt, order kept
        ("url", ["url-short"]),  # substring of the title
        ("caching", ["url-short"]),  # a tag
        ("PRIVACY", ["tracker-choice"]),  # case does not matter
        ("urlshrt", ["url-short"]),  # a tight subsequence
        ("hospitl", ["tracker-choice"]),  # a typo
        ("trackng hospital", ["tracker-choice"]),  # every word must match
        ("tracking url", []),
        ("dsgn", ["url-short"]),  # in "Design"; the other title has no "d"
        ("zzz", []),
    ],
)
def test_fuzzy_filter(tiny_bank: Bank, query: str, expected: list[str]) -> None:
    assert ids(tiny_bank, query) == expected


def test_better_matches_score_higher(tiny_bank: Bank) -> None:
    url = tiny_bank.prompts["url-short"]
    assert (
        score("short", url) > score("shrt", url) > score("shotrener", url) > 0
    )  # substring, letters, typo
    assert score("url", url) > score("rl", url)  # a word start beats the middle of a word


def test_letters_strewn_over_a_title_do_not_match(tiny_bank: Bank) -> None:
    # 'c...h...e' of "Choose experiment tracking for a hospital research group" are far apart
    assert score("cheg", tiny_bank.prompts["tracker-choice"]) == 0


def test_filters_by_category_and_difficulty(tiny_bank: Bank) -> None:
    assert ids(tiny_bank, "", category="systems") == ["url-short"]
    assert ids(tiny_bank, "design", category="mlops") == []
    assert ids(tiny_bank, "", difficulty="hard") == []
    assert ids(tiny_bank, "", difficulty="easy") == ["tracker-choice", "url-short"]


def test_formatting() -> None:
    assert clock_text(65) == "1:05" and clock_text(3725) == "1:02:05"
    assert countdown_text(61) == "1:01 left" and countdown_text(-5) == "+0:05 over"
    assert word_count(" one  two\nthree ") == 3
    assert words_text(1) == "1 word" and words_text(1200) == "1,200 words"
    assert [band(s) for s in (95, 70, 50, 10, None)] == ["strong", "hire", "lean-no", "no", "none"]
    now = datetime(2025, 3, 1, tzinfo=UTC)
    assert since_text(now - timedelta(seconds=30), now) == "just now"
    assert since_text(now - timedelta(days=3, hours=2), now) == "3 days ago"
    assert until_text(now + timedelta(hours=5), now) == "due in 5 hours"
    assert until_text(now - timedelta(hours=5), now) == "due now"
    later = [timedelta(minutes=5), timedelta(hours=5), timedelta(days=3, hours=20)]
    later += [timedelta(days=99), timedelta(days=130)]
    assert [due_short(now + d, now) for d in later] == [
        "in 5m",
        "in 5h",
        "in 3d",
        "in 99d",
        "in 4mo",
    ]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield PromptTable([Column("Name", 10), Column("N", 3, "right")], id="t")

    def on_mount(self) -> None:
        table = self.query_one(PromptTable)
        table.set_cells({f"r{i}": (f"row {i}", str(i)) for i in range(100)})
        table.show([f"r{i}" for i in range(100)])
        table.focus()

    def on_prompt_table_highlighted(self, event: PromptTable.Highlighted) -> None:
        self.events.append(("highlighted", event.row_id))

    def on_prompt_table_selected(self, event: PromptTable.Selected) -> None:
        self.events.append(("selected", event.row_id))


async def test_prompt_table_keys_scrolling_and_filtering() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(PromptTable)
        assert table.highlighted == "r0"
        await pilot.press("down", "down", "enter")
        assert table.highlighted == "r2"
        assert ("selected", "r2") in app.events
        await pilot.press("end")
        assert table.highlighted == "r99"
        assert table.scroll_y > 0  # scrolled so the cursor shows
        await pilot.press("home", "pagedown")
        assert table.cursor_row == table.scrollable_content_region.height - 1
        # filtering keeps the cursor's row when it is still shown, else goes to the first
        table.show(["r5", "r1", "r7"])
        assert table.highlighted == "r1" or table.highlighted == "r5"
        table.show(["r7", "r8"], cursor_to="r8")
        assert table.highlighted == "r8"
        table.show([])
        await pilot.pause()
        assert table.highlighted is None
        assert app.events[-1] == ("highlighted", None)
        await pilot.press("enter")  # nothing to select
        assert app.events[-1] == ("highlighted", None)
        lines = [table.render_line(y).text for y in range(3)]
        assert "Name" in lines[0] and "Nothing to show." in lines[2]


async def test_prompt_table_draws_columns_and_cuts_long_cells() -> None:
    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield PromptTable([Column("Title", 8), Column("Best", 4, "right")])

        def on_mount(self) -> None:
            table = self.query_one(PromptTable)
            table.set_cells({"a": ("A very long title", "87")})
            table.show(["a"])

    app = One()
    async with app.run_test(size=(30, 5)):
        table = app.query_one(PromptTable)
        assert table.render_line(0).text.rstrip() == " Title     Best"
        assert table.render_line(1).text.rstrip() == " A very …    87"


async def test_prompt_table_too_narrow_drops_optional_columns_then_narrows_the_first() -> None:
    columns = [Column("Title", 30), Column("Kind", 8, optional=True), Column("Best", 4, "right")]

    class Narrow(App[None]):
        def compose(self) -> ComposeResult:
            yield PromptTable(columns)

        def on_mount(self) -> None:
            table = self.query_one(PromptTable)
            table.set_cells({"a": ("A title that is long enough to cut", "design", "87")})
            table.show(["a"])

    app = Narrow()
    async with app.run_test(size=(30, 5)):
        table = app.query_one(PromptTable)
        lines = [table.render_line(y).text for y in range(2)]
        assert lines == [" " + "Title".ljust(22) + "  Best ", " A title that is long …    87 "]
    wide = Narrow()
    async with wide.run_test(size=(60, 5)):  # room for every column
        assert "Kind" in wide.query_one(PromptTable).render_line(0).text


async def test_score_chart_draws_bars_in_verdict_colours() -> None:
    class Chart(App[None]):
        def compose(self) -> ComposeResult:
            yield ScoreChart(id="c")

    app = Chart()
    async with app.run_test(size=(30, 8)) as pilot:
        chart = app.query_one(ScoreChart)
        chart.plot("mlops", [0, 50, 100])
        await pilot.pause()
        text = chart.render()
        lines = text.plain.splitlines()
        assert lines[-1].startswith("mlops  3 attempts  mean 50")
        assert lines[0].startswith("100┤") and lines[-2].startswith("  0┤")
        assert lines[0].count("█") == 1  # only the 100 reaches the top
        assert "▁" in lines[-2]  # a 0 still shows
        chart.plot("none", [])
        await pilot.pause()
        assert "no attempts yet" in chart.render().plain
