"""History: every attempt, the score over time, per-category averages, the reasoning
points missed most often and how many prompts fall due each of the next 14 days. Enter
opens an attempt's results, read-only; x deletes one, after asking.

The store is read in a thread worker: a long history never holds up the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from designprep.history import Attempt, CategoryStats, HistoryError, MissedPoint
from designprep.history.recommend import due_forecast
from designprep.ui.format import band, clock_text, forecast_lines, local_time
from designprep.ui.screens.dialogs import DeleteModal
from designprep.ui.widgets.key_footer import KeyFooter
from designprep.ui.widgets.score_chart import ScoreChart
from designprep.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from designprep.ui.app import DesignPrepApp

PROMPT_WIDTH = 26
POINT_WIDTH = 56
# The table and charts show the latest attempts only: each carries its answer and full
# grading, and a long history would otherwise load hundreds of megabytes at once.
SHOWN_ATTEMPTS = 500
_BAND_COLOUR = {"strong": "green", "hire": "green", "lean-no": "yellow", "no": "red"}
NOT_LOADED = "not-loaded:"  # row key of a category's attempts at prompts not in the bank


@dataclass(frozen=True)
class HistoryData:
    attempts: list[Attempt]  # newest first, at most SHOWN_ATTEMPTS
    total: int
    categories: list[CategoryStats]
    missed: list[MissedPoint]
    forecast: list[tuple[date, int]]  # prompts of the bank due each day, today first


class AttemptsTable(DataTable[Text | str]):
    """Every attempt, newest first; enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open attempt", id="history.open"),
        Binding(
            "x,delete",
            "screen.delete_attempt",
            "Delete",
            tooltip="the attempt, after asking",
            id="history.delete",
        ),
    ]


class HistoryScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("history.tcss")
    AUTO_FOCUS = "#attempts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cycle_category", "Chart category", id="history.category"),
        Binding("escape", "back", "Back", id="history.back"),
        Binding("q", "app.quit", "Quit", id="history.quit"),
    ]

    chart_category: reactive[str | None] = reactive(None, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.data: HistoryData | None = None

    @property
    def dp(self) -> DesignPrepApp:
        return cast("DesignPrepApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar("History", "loading…")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Label("", id="empty")
                yield AttemptsTable(id="attempts", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="missed", cursor_type="row")
            with Vertical(id="right"):
                yield ScoreChart("All categories", id="chart-all")
                yield ScoreChart("", id="chart-category")
                yield Static("", id="forecast", markup=False)
                yield DataTable(id="categories", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        attempts = self.query_one("#attempts", DataTable)
        attempts.border_title = "Attempts (enter opens)"
        attempts.add_column("Date", key="date")
        attempts.add_column("Prompt", key="prompt", width=PROMPT_WIDTH)
        attempts.add_column("Score", key="score")
        attempts.add_column("Verdict", key="verdict")
        attempts.add_column("Time", key="time")
        missed = self.query_one("#missed", DataTable)
        missed.border_title = "Most-missed reasoning points"
        missed.add_column("Missed", key="missed")
        missed.add_column("Point", key="point")
        categories = self.query_one("#categories", DataTable)
        categories.border_title = "Per category"
        for label in ("Category", "Tries", "Mean", "Best", "Trend"):
            categories.add_column(label, key=label.lower())
        self.query_one("#chart-all").border_title = "Score over time"
        self.query_one("#forecast").border_title = "Due, next 14 days"
        self.load()

    def on_screen_resume(self) -> None:
        self.query_one("#attempts", DataTable).focus()

    @work(thread=True, exclusive=True, group="history")
    def load(self) -> None:
        store, bank = self.dp.store, self.dp.bank
        try:
            progress = store.progress(now=self.dp.clock()).values()
            data = HistoryData(
                attempts=store.attempts(limit=SHOWN_ATTEMPTS),
                total=store.count_attempts(),
                categories=store.category_stats(bank),
                missed=store.most_missed_points(limit=10),
                forecast=due_forecast(
                    [p for p in progress if p.prompt_id in bank.prompts], self.dp.clock()
                ),
            )
        except HistoryError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="History unavailable", severity="error"
            )
            return
        self.app.call_from_thread(self.show, data)

    def show(self, data: HistoryData) -> None:
        self.data = data
        self.refresh_bindings()  # delete needs an attempt
        n = data.total
        shown = f" (latest {len(data.attempts)} shown)" if n > len(data.attempts) else ""
        self.query_one(TitleBar).subtitle = f"{n} attempt{'s' if n != 1 else ''}{shown}"
        self.set_class(n == 0, "-empty")
        self.query_one("#empty", Label).update(
            "No attempts yet. Press escape, pick a prompt and submit an answer: it shows up here."
        )
        table = self.query_one("#attempts", DataTable)
        table.clear()
        for a in data.attempts:
            title = a.title if len(a.title) <= PROMPT_WIDTH else a.title[: PROMPT_WIDTH - 1] + "…"
            table.add_row(
                local_time(a.submitted_at),
                title,
                Text(f"{a.score:>3}", style=_BAND_COLOUR[band(a.score)]),
                a.verdict,
                clock_text(a.duration_seconds),
                key=str(a.id),
            )
        missed = self.query_one("#missed", DataTable)
        missed.clear()
        for m in data.missed:
            text = m.point_text
            if len(text) > POINT_WIDTH:
                text = text[: POINT_WIDTH - 1] + "…"
            missed.add_row(
                f"{m.missed_count}/{m.attempts}", text, key=f"{m.rubric_id}:{m.point_id}"
            )
        categories = self.query_one("#categories", DataTable)
        categories.clear()
        apart = any(not c.in_bank for c in data.categories)
        categories.border_subtitle = "* prompts not in the bank loaded now" if apart else ""
        for c in data.categories:
            trend = "" if c.trend is None else f"{c.trend:+.0f}"
            categories.add_row(
                c.category if c.in_bank else f"{c.category} *",
                str(c.attempts),
                "–" if c.mean_score is None else f"{c.mean_score:.0f}",
                "–" if c.best_score is None else str(c.best_score),
                trend,
                key=c.category if c.in_bank else NOT_LOADED + c.category,
            )
        forecast = self.query_one("#forecast", Static)
        forecast.update("\n".join(forecast_lines(data.forecast)))
        due = sum(n for _, n in data.forecast)
        forecast.border_subtitle = f"{due} in all" if due else "none"
        oldest_first = list(reversed(data.attempts))
        self.query_one("#chart-all", ScoreChart).plot(
            "All categories", [a.score for a in oldest_first]
        )
        if data.attempts:
            self.chart_category = data.attempts[0].category
        self._plot_category()

    def _plot_category(self) -> None:
        chart = self.query_one("#chart-category", ScoreChart)
        if self.data is None or self.chart_category is None:
            chart.plot("", [])
            return
        scores = [
            a.score for a in reversed(self.data.attempts) if a.category == self.chart_category
        ]
        chart.plot(self.chart_category, scores)

    def watch_chart_category(self) -> None:
        self._plot_category()

    @on(DataTable.RowHighlighted, "#attempts")
    def _attempt_highlighted(self, event: DataTable.RowHighlighted) -> None:
        attempt = self._attempt(event.row_key.value)
        if attempt is not None:
            self.chart_category = attempt.category

    @on(DataTable.RowHighlighted, "#categories")
    def _category_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.has_focus and event.row_key.value:
            self.chart_category = event.row_key.value.removeprefix(NOT_LOADED)

    @on(DataTable.RowSelected, "#attempts")
    def _attempt_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _attempt(self, key: str | None) -> Attempt | None:
        if self.data is None or not key:
            return None
        return next((a for a in self.data.attempts if str(a.id) == key), None)

    def _open(self, key: str | None) -> None:
        attempt = self._attempt(key)
        if attempt is not None:
            self.dp.open_attempt(attempt)

    def action_cycle_category(self) -> None:
        if self.data is None:
            return
        names = list(dict.fromkeys(c.category for c in self.data.categories if c.attempts))
        if not names:
            return
        i = names.index(self.chart_category) if self.chart_category in names else -1
        self.chart_category = names[(i + 1) % len(names)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_attempt":
            return bool(self.data and self.data.attempts)
        return True

    def action_delete_attempt(self) -> None:
        table = self.query_one("#attempts", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        attempt = self._attempt(key)
        if attempt is None:
            return
        self.app.push_screen(
            DeleteModal(
                f"Delete attempt #{attempt.id}?",
                f"{attempt.title} · {local_time(attempt.submitted_at)} · score {attempt.score}. "
                "It is removed from your history, stats and charts, and the prompt's schedule "
                "is worked out again without it. This cannot be undone.",
            ),
            lambda choice: self._delete(attempt, choice),
        )

    def _delete(self, attempt: Attempt, choice: str | None) -> None:
        if choice != "delete":
            return
        try:
            self.dp.store.delete_attempt(attempt.id)
        except HistoryError as exc:
            self.notify(str(exc), title="Not deleted", severity="error")
            return
        self.notify(f"Deleted attempt #{attempt.id} ({attempt.title}).", timeout=4)
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)
