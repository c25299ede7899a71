"""The designprep app: built from a bank, a grader and a history store handed in.

The app owns navigation between screens (Browse is the base; Practice, Results, History,
Help and Problems stack on it) and the background warm-up of the grader. Screens return
values with ``dismiss()``; the app decides what comes next.
"""

from __future__ import annotations

import gc
import random
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar, Literal

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from designprep.bank import Bank, Prompt
from designprep.grading import Grader
from designprep.history import Attempt, HistoryError, HistoryStore
from designprep.ui.commands import PromptCommands
from designprep.ui.screens.browse import BrowseScreen
from designprep.ui.screens.help import HelpScreen
from designprep.ui.screens.history import HistoryScreen
from designprep.ui.screens.practice import PracticeScreen
from designprep.ui.screens.problems import ProblemsScreen
from designprep.ui.screens.results import ResultsScreen

Clock = Callable[[], datetime]
BankLoader = Callable[[], tuple[Bank, Grader]]  # the bank read again from its folders
ResultsChoice = Literal["retry-edit", "retry-blank", "next"] | None
THEME_SETTING = "theme"


def system_clock() -> datetime:
    return datetime.now(UTC)


class DesignPrepApp(App[None]):
    """Practise system-design prompts: browse, answer against the clock, read the grading."""

    TITLE = "designprep"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    # Browse is the base of the one mode: it cannot be popped, and (unlike a default
    # screen) a mode's screen gets its CSS_PATH loaded.
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {"browse": BrowseScreen}
    DEFAULT_MODE = "browse"
    COMMANDS = App.COMMANDS | {PromptCommands}
    # Every screen gets -narrow under 100 columns and -short under 32 rows, for its .tcss
    # to fit an 80x24 terminal. (No ClassVar: Textual's own annotation makes mypy refuse it.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
    ]

    def __init__(
        self,
        bank: Bank,
        grader: Grader,
        store: HistoryStore,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        cursor_blink: bool = True,
        warm_up: bool = True,
        autosave_seconds: float = 3.0,
        reload_bank: BankLoader | None = None,
    ) -> None:
        super().__init__()
        self.bank = bank
        self.grader = grader
        self.reload_bank = reload_bank
        self.store = store
        self.clock: Clock = clock or system_clock
        self.rng = rng or random.Random()
        self.cursor_blink = cursor_blink
        self._warm_up_enabled = warm_up
        self.autosave_seconds = autosave_seconds
        # Grading and warm-up share the grader's lazily built indexes: one at a time.
        self.grader_lock = threading.Lock()
        self.grader_warm = threading.Event()

    # -- start-up ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._announce_problems()
        self.call_after_refresh(self._after_first_paint)

    def _announce_problems(self) -> None:
        if self.bank.problems:
            n = len(self.bank.problems)
            files = len({p.path for p in self.bank.problems})
            self.notify(
                f"{n} problem{'s' if n != 1 else ''} in {files} bank file"
                f"{'s' if files != 1 else ''}; the rest loaded. Press p to see them.",
                title="Some prompts could not be loaded",
                severity="warning",
                timeout=10,
            )

    def _after_first_paint(self) -> None:
        # Everything loaded so far (bank, modules, widgets) lives as long as the app: move it
        # out of the cyclic collector's way, so its full passes do not stall keystrokes.
        gc.freeze()
        if self._warm_up_enabled:
            self.warm_up_grader()  # after the first paint, so start-up stays instant

    @work(thread=True, exclusive=True, group="warm-up")
    def warm_up_grader(self) -> None:
        """Import scikit-learn and build the shared indexes before the first grading."""
        with self.grader_lock:
            self.grader.warm_up()
        gc.freeze()  # scikit-learn and the grader's indexes, likewise for good
        self.grader_warm.set()

    # -- reloading the bank -------------------------------------------------------------------

    def action_reload_bank(self) -> None:
        """Read the bank's folders again (a prompt of your own was edited), in the background."""
        if self.reload_bank is None:
            self.notify("This bank cannot be reloaded.", severity="warning")
            return
        self.notify("Reloading the bank…", timeout=2)
        self._reload()

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self) -> None:
        assert self.reload_bank is not None
        try:
            bank, grader = self.reload_bank()
        except Exception as exc:  # the bank as it was stays in use
            self.call_from_thread(
                self.notify, f"{type(exc).__name__}: {exc}", title="Not reloaded", severity="error"
            )
            return
        self.call_from_thread(self._reloaded, bank, grader)

    def _reloaded(self, bank: Bank, grader: Grader) -> None:
        before = set(self.bank.prompts)
        self.bank, self.grader = bank, grader  # a grading under way keeps the grader it has
        self.grader_warm.clear()
        if self._warm_up_enabled:
            self.warm_up_grader()
        added = len(set(bank.prompts) - before)
        removed = len(before - set(bank.prompts))
        change = f" ({added} new, {removed} gone)" if added or removed else ""
        self.notify(f"{len(bank.prompts)} prompts{change}.", title="Bank reloaded", timeout=4)
        self._announce_problems()
        for screen in self.screen_stack:
            if isinstance(screen, BrowseScreen):
                screen.bank_changed()

    def _restore_theme(self) -> None:
        try:
            saved = self.store.get_setting(THEME_SETTING)
        except HistoryError:
            return
        if saved and saved in self.available_themes:
            self.theme = saved

    def _remember_theme(self, theme: Theme) -> None:
        try:
            self.store.set_setting(THEME_SETTING, theme.name)
        except HistoryError as exc:
            self.notify(str(exc), title="Theme not remembered", severity="warning")

    # -- navigation --------------------------------------------------------------------------

    def practise(self, prompt: Prompt, start_from: str | None = None) -> None:
        """Open the practice screen for a prompt (its answer box holding ``start_from``, when
        given, instead of a draft); its result opens the results screen."""
        self.push_screen(PracticeScreen(prompt, start_from), partial(self._practised, prompt))

    def _practised(self, prompt: Prompt, attempt: Attempt | None) -> None:
        if attempt is not None:
            self.push_screen(
                ResultsScreen(attempt, prompt), partial(self._after_results, prompt, attempt)
            )

    def _after_results(self, prompt: Prompt, attempt: Attempt, choice: ResultsChoice) -> None:
        if choice == "retry-edit":
            self.practise(prompt, start_from=attempt.answer)
        elif choice == "retry-blank":
            self.practise(prompt, start_from="")
        elif choice == "next":
            self.practise_next(exclude=prompt.id)

    def next_prompt(self, exclude: str | None = None) -> tuple[Prompt, str] | None:
        """The prompt the history recommends, with the reason, as the CLI's ``next`` gives it."""
        try:
            rec = self.store.recommend(self.bank, now=self.clock())
        except HistoryError as exc:
            self.notify(str(exc), severity="error")
            return None
        if rec is None or rec.prompt_id not in self.bank.prompts:
            return None
        if rec.prompt_id == exclude and len(self.bank.prompts) > 1:
            # just answered and still recommended (e.g. the weakest): offer another one
            others = [p for p in self.bank.prompts.values() if p.id != exclude]
            return self.rng.choice(others), "random pick: the recommended prompt was just answered"
        return self.bank.prompts[rec.prompt_id], rec.detail

    def practise_next(self, exclude: str | None = None) -> None:
        found = self.next_prompt(exclude)
        if found is None:
            self.notify("There is no prompt to practise.", severity="warning")
            return
        prompt, why = found
        self.notify(why, title=prompt.title, timeout=4)
        self.practise(prompt)

    def practise_random(self, prompts: Iterable[Prompt] | None = None) -> None:
        pool = list(self.bank.prompts.values() if prompts is None else prompts)
        if not pool:
            self.notify("No prompt matches the filters.", severity="warning")
            return
        self.practise(self.rng.choice(pool))

    def open_history(self) -> None:
        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def open_attempt(self, attempt: Attempt) -> None:
        prompt = self.bank.prompts.get(attempt.prompt_id)
        bank_dir = None
        if prompt is None:  # from a bank folder not loaded now: say which, if known
            with suppress(HistoryError):
                bank_dir = self.store.prompt_bank(attempt.prompt_id)
        self.push_screen(ResultsScreen(attempt, prompt, read_only=True, bank_dir=bank_dir))

    def open_problems(self) -> None:
        if self.bank.problems and not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.bank.problems))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # '?' types into the answer on the practice screen, which has its own F1 key
        return not (action == "help" and isinstance(self.screen, PracticeScreen))

    async def action_quit(self) -> None:
        """Quit; an answer being written is kept as a draft, never lost."""
        for screen in self.screen_stack:
            if isinstance(screen, PracticeScreen):
                screen.save_draft_now()
        self.exit()

    # -- command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Next due prompt", "Practise what your history says is due", self.practise_next
        )
        yield SystemCommand(
            "Random prompt", "Practise a prompt picked at random", self.practise_random
        )
        yield SystemCommand(
            "History", "Your attempts, score chart and most-missed points", self.open_history
        )
        yield SystemCommand("Help", "Every key of every screen", self.action_help)
        if self.reload_bank is not None:
            yield SystemCommand(
                "Reload the bank", "Read the prompt folders again", self.action_reload_bank
            )
        if self.bank.problems:
            yield SystemCommand(
                "Load problems", "Bank files that could not be loaded", self.open_problems
            )
        yield from super().get_system_commands(screen)
