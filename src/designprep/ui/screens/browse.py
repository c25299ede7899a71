"""Browse: every prompt in a table, a fuzzy filter, and a preview of the highlighted one.

Dropdowns narrow the table to a category, a level, or to the prompts due / never tried /
suspended, and sort it by best score or due date; a prompt's schedule can be suspended
or reset from here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static

from designprep.bank import DIFFICULTIES, Prompt
from designprep.history import HistoryError, PromptProgress
from designprep.ui.filtering import filter_prompts
from designprep.ui.format import band, due_short, since_text, until_text
from designprep.ui.screens.dialogs import ScheduleModal
from designprep.ui.widgets.key_footer import KeyFooter
from designprep.ui.widgets.prompt_table import Column, PromptTable
from designprep.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from designprep.ui.app import DesignPrepApp

_DIFFICULTY_ORDER = {d: i for i, d in enumerate(DIFFICULTIES)}
_BAND_COLOUR = {"strong": "green", "hire": "green", "lean-no": "yellow", "no": "red"}
TITLE_WIDTH = 52
COLUMNS = [
    Column("Prompt", TITLE_WIDTH),
    Column("Category", 16, optional=True),  # the preview names both
    Column("Level", 6),
    Column("Time", 6, "right", optional=True),
    Column("Best", 4, "right"),
    Column("Tries", 5, "right"),
    Column("Due", 9),
]
SHOW = [("Due now", "due"), ("Never tried", "new"), ("Suspended", "suspended")]
SORT = [("Best: lowest", "best-low"), ("Best: highest", "best-high"), ("Due date", "due")]


class FilterInput(Input):
    """The filter box: typing filters the table; down or enter moves on to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_table", "Results", show=False, id="browse.filter-down"),
    ]


class BrowseScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("browse.tcss")
    AUTO_FOCUS = "#prompts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_due", "Next due", id="browse.next"),
        Binding("r", "random", "Random", id="browse.random"),
        Binding("slash", "focus_filter", "Filter", id="browse.filter"),
        Binding("c", "open_select('category')", "Category", id="browse.category"),
        Binding("d", "open_select('difficulty')", "Level", id="browse.difficulty"),
        Binding(
            "v",
            "open_select('show')",
            "Show",
            tooltip="all, due now, never tried or suspended",
            id="browse.show",
        ),
        Binding(
            "o",
            "open_select('sort')",
            "Sort",
            tooltip="by category, best score or due date",
            id="browse.sort",
        ),
        Binding(
            "s",
            "schedule",
            "Schedule",
            tooltip="suspend, unsuspend or reset the prompt's",
            id="browse.schedule",
        ),
        Binding("h", "history", "History", id="browse.history"),
        Binding("p", "problems", "Problems", id="browse.problems"),
        Binding(
            "ctrl+r",
            "app.reload_bank",
            "Reload",
            tooltip="read the bank folders again, after editing a prompt",
            id="browse.reload",
        ),
        Binding("escape", "clear_filter", "Clear filter", id="browse.clear"),
        Binding("q", "app.quit", "Quit", id="browse.quit"),
    ]

    filter_text: reactive[str] = reactive("", init=False)
    category: reactive[str | None] = reactive(None, init=False)
    difficulty: reactive[str | None] = reactive(None, init=False)
    show: reactive[str | None] = reactive(None, init=False)  # due | new | suspended
    sort_by: reactive[str | None] = reactive(None, init=False)  # best-low | best-high | due
    highlighted: reactive[str | None] = reactive(None, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._progress: dict[str, PromptProgress] = {}
        self._suspended: set[str] = set()
        self._cells: dict[str, tuple[Text | str, ...]] = {}
        self._shown: list[str] = []
        self._filters_active = False

    @property
    def dp(self) -> DesignPrepApp:
        return cast("DesignPrepApp", self.app)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        bank = self.dp.bank
        yield TitleBar("Browse", f"{len(bank.prompts)} prompts")
        with Horizontal(id="filters"):
            yield FilterInput(
                placeholder="Filter title or tag…",
                id="filter",
                select_on_focus=False,
            )
            yield Select(
                [(c, c) for c in bank.categories()],
                prompt="All categories",
                id="category",
            )
            yield Select(
                [(d, d) for d in DIFFICULTIES],
                prompt="Any level",
                id="difficulty",
            )
            yield Select(SHOW, prompt="All prompts", id="show")
            yield Select(SORT, prompt="By category", id="sort")
        yield Label("", id="next-up", markup=False)
        with Vertical(id="main"):
            yield PromptTable(
                COLUMNS,
                id="prompts",
                empty_text="No prompt matches the filters (escape clears them).",
            )
            with VerticalScroll(id="preview"):
                # One Static holding a Rich Markdown renderable, not a Markdown widget tree:
                # the filter box relayouts the screen per keystroke, and dozens of block
                # widgets would make every keystroke pay for them.
                yield Static("", id="preview-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).cursor_blink = self.dp.cursor_blink
        self.reload()

    def on_resize(self) -> None:
        # a short or narrow terminal: filters on one line, without borders
        short = self.has_class("-short") or self.has_class("-narrow")
        self.query_one("#filter", Input).compact = short
        for select in self.query(Select):
            select.compact = short

    def on_screen_resume(self) -> None:
        if self.is_mounted and self._cells:
            self.reload()  # back from practice or history: scores may have changed
            self.action_focus_table()  # so the screen's keys work straight away

    def bank_changed(self) -> None:
        """The app reloaded the bank: new categories, rows and counts."""
        categories = self.query_one("#category", Select)
        chosen = categories.value
        categories.set_options([(c, c) for c in self.dp.bank.categories()])
        if chosen in self.dp.bank.categories():
            categories.value = chosen
        self.reload()
        self.refresh_bindings()  # the problems key comes or goes

    # -- data --------------------------------------------------------------------------------

    def _ordered(self) -> list[Prompt]:
        return sorted(
            self.dp.bank.prompts.values(),
            key=lambda p: (p.category, _DIFFICULTY_ORDER.get(p.difficulty, 9), p.title.lower()),
        )

    def _candidates(self) -> list[Prompt]:
        """The prompts the show filter lets through, in the chosen order."""
        prompts, progress, paused = self._ordered(), self._progress, self._suspended
        if self.show == "due":
            prompts = [p for p in prompts if p.id in progress and progress[p.id].is_due]
        elif self.show == "new":
            prompts = [p for p in prompts if p.id not in progress]
        elif self.show == "suspended":
            prompts = [p for p in prompts if p.id in paused]
        if self.sort_by in ("best-low", "best-high"):
            sign = 1 if self.sort_by == "best-low" else -1

            def best(p: Prompt) -> tuple[bool, int]:  # never tried last, either way
                tried = progress.get(p.id)
                return (tried is None, sign * tried.best_score if tried else 0)

            prompts.sort(key=best)  # stable: ties keep the category order
        elif self.sort_by == "due":
            last = datetime.max.replace(tzinfo=UTC)  # never tried after every date

            def due(p: Prompt) -> tuple[bool, datetime]:  # suspended last
                tried = progress.get(p.id)
                return (p.id in paused, tried.due_at or last if tried else last)

            prompts.sort(key=due)
        return prompts

    def reload(self) -> None:
        """Read progress from the store, rebuild every row and show the recommendation."""
        try:
            self._progress = self.dp.store.progress(now=self.dp.clock())
            self._suspended = self.dp.store.suspended()
        except HistoryError as exc:
            self._progress, self._suspended = {}, set()
            self.notify(str(exc), title="History unavailable", severity="error")
        self._cells = {p.id: self._row(p) for p in self._ordered()}
        self.query_one("#prompts", PromptTable).set_cells(self._cells)
        due = sum(1 for p in self._progress.values() if p.is_due and p.prompt_id in self._cells)
        paused = len(self._suspended & set(self._cells))
        self.query_one(TitleBar).subtitle = f"{len(self._cells)} prompts · {due} due" + (
            f" · {paused} suspended" if paused else ""
        )
        found = self.dp.next_prompt()
        self.query_one("#next-up", Label).update(
            f"Next up (n): {found[0].title} — {found[1]}" if found else ""
        )
        self.refilter(to_best=False, rebuild=True)  # the cursor stays on its prompt
        self._update_preview()

    def _row(self, prompt: Prompt) -> tuple[Text | str, ...]:
        progress = self._progress.get(prompt.id)
        if progress is None:
            best: Text | str = Text("–", style="dim")
            tries = ""
            due = Text("new", style="dim")
        else:
            best = Text(str(progress.best_score), style=_BAND_COLOUR[band(progress.best_score)])
            tries = str(progress.attempts)
        if prompt.id in self._suspended:
            due = Text("suspended", style="dim")
        elif progress is not None:
            if progress.is_due:
                due = Text("● due", style="bold yellow")
            else:  # as the preview says it, shorter
                due = Text(due_short(progress.due_at, self.dp.clock()) if progress.due_at else "")
        title = prompt.title
        if len(title) > TITLE_WIDTH:
            title = title[: TITLE_WIDTH - 1] + "…"
        return (
            title,
            prompt.category,
            prompt.difficulty,
            f"{prompt.time_limit_minutes} min",
            best,
            tries,
            due,
        )

    def visible_prompts(self) -> list[Prompt]:
        return [self.dp.bank.prompts[pid] for pid in self._shown]

    def refilter(self, *, to_best: bool = True, rebuild: bool = False) -> None:
        """Show the prompts that pass the filters, best match first; the cursor goes to the
        best match of a query (``to_best``), else stays on its prompt."""
        matches = filter_prompts(
            self._candidates(),
            self.filter_text,
            category=self.category,
            difficulty=self.difficulty,
        )
        ids = [m.prompt.id for m in matches]
        if ids == self._shown and not rebuild:  # (rebuild: the rows' cells changed)
            return
        self._shown = ids
        table = self.query_one("#prompts", PromptTable)
        # while typing a query the best match is the one to open; otherwise stay put
        table.show(ids, cursor_to=ids[0] if to_best and self.filter_text and ids else None)
        self.highlighted = table.highlighted

    # -- events ------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.action_open()

    @on(Select.Changed, "#category")
    def _category_changed(self, event: Select.Changed) -> None:
        self.category = None if event.value is Select.NULL else str(event.value)

    @on(Select.Changed, "#difficulty")
    def _difficulty_changed(self, event: Select.Changed) -> None:
        self.difficulty = None if event.value is Select.NULL else str(event.value)

    @on(Select.Changed, "#show")
    def _show_changed(self, event: Select.Changed) -> None:
        self.show = None if event.value is Select.NULL else str(event.value)

    @on(Select.Changed, "#sort")
    def _sort_changed(self, event: Select.Changed) -> None:
        self.sort_by = None if event.value is Select.NULL else str(event.value)

    @on(Select.Changed)
    def _back_to_the_table(self, event: Select.Changed) -> None:
        if (
            event.select.has_focus_within
        ):  # chosen from the dropdown: back to the table and its keys
            self.call_after_refresh(self.action_focus_table)

    def watch_filter_text(self) -> None:
        self._filters_changed()

    def watch_category(self) -> None:
        self._filters_changed()

    def watch_difficulty(self) -> None:
        self._filters_changed()

    def watch_show(self) -> None:
        self._filters_changed()

    def watch_sort_by(self) -> None:
        self._filters_changed()

    def _filters_changed(self) -> None:
        self.refilter()
        active = self._filtered()
        if active != self._filters_active:  # the footer is rebuilt only when its keys change
            self._filters_active = active
            self.refresh_bindings()

    @on(PromptTable.Highlighted, "#prompts")
    def _row_highlighted(self, event: PromptTable.Highlighted) -> None:
        self.highlighted = event.row_id

    @on(PromptTable.Selected, "#prompts")
    def _row_selected(self, event: PromptTable.Selected) -> None:
        self.dp.practise(self.dp.bank.prompts[event.row_id])

    def watch_highlighted(self) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        body = self.query_one("#preview-body", Static)
        pid = self.highlighted
        if pid is None:
            body.update(
                RichMarkdown(
                    "*No prompt matches the filters.* Press **escape** to clear them."
                    if self.dp.bank.prompts
                    else "*The bank is empty.*"
                )
            )
            return
        text = preview_markdown(
            self.dp.bank.prompts[pid], self._progress.get(pid), self.dp, pid in self._suspended
        )
        body.update(RichMarkdown(text, code_theme="ansi_dark", inline_code_theme="ansi_dark"))
        self.query_one("#preview", VerticalScroll).scroll_home(animate=False)

    # -- actions -----------------------------------------------------------------------------

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.dp.practise(self.dp.bank.prompts[self.highlighted])

    def action_next_due(self) -> None:
        self.dp.practise_next()

    def action_random(self) -> None:
        self.dp.practise_random(self.visible_prompts())

    def action_history(self) -> None:
        self.dp.open_history()

    def action_problems(self) -> None:
        self.dp.open_problems()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#prompts", PromptTable).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        for select in self.query(Select):
            select.clear()
        self.action_focus_table()

    def action_open_select(self, name: str) -> None:
        """Open a dropdown (category, difficulty, show, sort) to choose from."""
        select = self.query_one(f"#{name}", Select)
        select.focus()
        select.action_show_overlay()

    def _filtered(self) -> bool:
        return bool(self.filter_text or self.category or self.difficulty or self.show)

    # -- schedule ----------------------------------------------------------------------------

    def action_schedule(self) -> None:
        pid = self.highlighted
        if pid is None:
            return
        prompt, progress = self.dp.bank.prompts[pid], self._progress.get(pid)
        suspended = pid in self._suspended
        if progress is None:
            now = "Suspended, never tried." if suspended else "Never tried."
        else:
            due = (
                "due now"
                if progress.is_due
                else until_text(progress.due_at, self.dp.clock())
                if progress.due_at
                else ""
            )
            state = "Suspended" if suspended else due.capitalize()
            now = f"{state} (last score {progress.last_score})."
        what = (
            "Unsuspend: scheduled and recommended again."
            if suspended
            else "Suspend: never due nor recommended until you unsuspend it."
        )
        detail = f"{now} {what}" + (
            f" Reset: its schedule starts afresh, due now; its {progress.attempts} "
            + ("attempts stay" if progress.attempts != 1 else "attempt stays")
            + " in your history."
            if progress
            else ""
        )
        self.app.push_screen(
            ScheduleModal(
                f"Schedule of {prompt.title}",
                detail,
                suspended=suspended,
                can_reset=progress is not None,
            ),
            lambda choice: self._scheduled(pid, suspended, choice),
        )

    def _scheduled(self, pid: str, suspended: bool, choice: str | None) -> None:
        store, title = self.dp.store, self.dp.bank.prompts[pid].title
        try:
            if choice == "suspend":
                store.suspend(pid, not suspended)
                message = f"{'Unsuspended' if suspended else 'Suspended'}: {title}"
            elif choice == "reset":
                store.reset_schedule(pid, now=self.dp.clock())
                message = f"Schedule reset, due now: {title}"
            else:
                return
        except HistoryError as exc:
            self.notify(str(exc), title="Schedule not changed", severity="error")
            return
        self.notify(message, timeout=4)
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "problems":
            return bool(self.dp.bank.problems)
        if action == "clear_filter":
            return self._filtered()
        if action == "schedule":
            return self.highlighted is not None
        return True


def preview_markdown(
    prompt: Prompt, progress: PromptProgress | None, app: DesignPrepApp, suspended: bool = False
) -> str:
    tags = " ".join(f"`{t}`" for t in prompt.tags)
    meta = f"**{prompt.category}** · {prompt.difficulty} · {prompt.time_limit_minutes} min" + (
        f" · {tags}" if tags else ""
    )
    now = app.clock()
    if progress is None:
        record = "Not attempted yet." + (" **Suspended** (s)." if suspended else "")
    else:
        due = (
            "**suspended** (s)"
            if suspended
            else "**due now**"
            if progress.is_due
            else (until_text(progress.due_at, now) if progress.due_at else "")
        )
        record = (
            f"{progress.attempts} attempt{'s' if progress.attempts != 1 else ''} · "
            f"best **{progress.best_score}** · last {progress.last_score} "
            f"({since_text(progress.last_at, now)})" + (f" · {due}" if due else "")
        )
    hints = len(prompt.hints)
    hint_line = (
        f"{hints} hint{'s' if hints != 1 else ''}, {prompt.hint_penalty} points each"
        if hints
        else "no hints"
    )
    return (
        f"**{prompt.title}**  \n{meta}  \n{record}  \n*{hint_line} · press enter to practise*"
        f"\n\n{prompt.prompt}"
    )
