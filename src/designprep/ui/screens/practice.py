"""Practice: the prompt beside a text box, a countdown, hints on request, submit to grade.

Grading runs in a thread worker so the UI never freezes. The draft is autosaved every
few seconds (and on leaving or quitting) and restored when the prompt is opened again.
ctrl+o opens the answer in the user's own editor (the draft is saved first).
"""

from __future__ import annotations

import threading
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Label, Markdown, Static, TextArea

from designprep.bank import Prompt
from designprep.grading import AnswerError, GradeResult, check_answer
from designprep.history import Attempt, HistoryError
from designprep.ui.editor import EditorError, edit, editor_command
from designprep.ui.format import local_time, since_text, word_count, words_text
from designprep.ui.screens.dialogs import HintModal, LeaveModal
from designprep.ui.widgets.countdown import Countdown
from designprep.ui.widgets.key_footer import KeyFooter
from designprep.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from designprep.ui.app import DesignPrepApp


class PracticeScreen(Screen[Attempt | None]):
    CSS_PATH = Path(__file__).with_name("practice.tcss")
    AUTO_FOCUS = "#answer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", id="practice.submit"),
        Binding("ctrl+g", "hint", "Hint (costs points)", id="practice.hint"),
        Binding(
            "ctrl+o",
            "editor",
            "Editor",
            tooltip="write in $VISUAL or $EDITOR (or vi, nano)",
            id="practice.editor",
        ),
        Binding("escape", "leave", "Back", id="practice.back"),
        Binding("f1", "help", "Help", id="practice.help"),
    ]

    hints_shown: reactive[int] = reactive(0, init=False)
    words: reactive[int] = reactive(0)
    grading: reactive[bool] = reactive(False, init=False)

    def __init__(self, prompt: Prompt, start_from: str | None = None) -> None:
        """``start_from``: the text to start with (a retry: the last answer, or "" for a
        blank box) instead of the prompt's draft."""
        super().__init__()
        self.prompt = prompt
        self.start_from = start_from
        self.started_at: datetime | None = None
        # Draft saves (worker threads) and the final save must not interleave: after the
        # attempt is saved (which clears the draft) no late autosave may write it back.
        self._io_lock = threading.Lock()
        self._finished = False
        self._saved: tuple[str, int] = ("", 0)  # what the store holds as the draft

    @property
    def dp(self) -> DesignPrepApp:
        return cast("DesignPrepApp", self.app)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        p = self.prompt
        self.started_at = self.dp.clock()
        yield TitleBar(
            p.title,
            f"{p.category} · {p.difficulty} · {p.time_limit_minutes} min",
            right=Countdown(
                p.time_limit_minutes * 60, self.started_at, self.dp.clock, id="countdown"
            ),
        )
        with Horizontal(id="body"):
            with VerticalScroll(id="prompt-pane"):
                yield Markdown(p.prompt, id="prompt-text")
                yield Static("", id="hints-header")
                yield Vertical(id="hints")
            with Vertical(id="answer-pane"):
                area = TextArea(
                    id="answer",
                    soft_wrap=True,
                    show_line_numbers=False,
                    placeholder="Write your answer here. ctrl+s submits it for grading.",
                )
                area.cursor_blink = self.dp.cursor_blink
                yield area
                with Horizontal(id="status"):
                    yield Label("", id="words")
                    yield Label("", id="grading-state")
                    yield Label("", id="draft-state")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#prompt-pane").border_title = "Prompt"
        self.query_one("#answer").border_title = "Your answer"
        if self.start_from is None:
            self._restore_draft()
        else:
            self._start_with(self.start_from)
        self._show_hints()
        self.set_interval(self.dp.autosave_seconds, self.autosave)

    def _restore_draft(self) -> None:
        try:
            draft = self.dp.store.load_draft(self.prompt.id)
        except HistoryError as exc:
            self.notify(str(exc), title="Draft not restored", severity="error")
            return
        if draft is None or not draft.text.strip():
            self.query_one("#draft-state", Label).update("draft autosaves")
            return
        if draft.started_at is not None:  # the attempt's clock runs on from its start
            self.started_at = draft.started_at
            countdown = self.query_one(Countdown)
            countdown.started_at = draft.started_at
            countdown.tick()
        area = self.query_one("#answer", TextArea)
        area.load_text(draft.text)
        area.move_cursor(area.document.end)
        self.set_reactive(PracticeScreen.hints_shown, min(draft.hints_used, len(self.prompt.hints)))
        self._saved = (draft.text, self.hints_shown)
        self.words = word_count(draft.text)
        when = since_text(draft.saved_at, self.dp.clock())
        self.query_one("#draft-state", Label).update(f"draft restored ({when})")
        self.notify(f"Your draft, saved {when}, is back.", title="Draft restored", timeout=4)

    def _start_with(self, text: str) -> None:
        """A retry: the box holds the last answer to edit (or nothing), on a fresh clock."""
        self.query_one("#draft-state", Label).update("draft autosaves")
        if not text:
            return
        area = self.query_one("#answer", TextArea)
        area.load_text(text)
        area.move_cursor(area.document.end)
        self.words = word_count(text)
        self.notify("Your last answer is in the box: improve it.", title="Retry", timeout=4)

    # -- live state --------------------------------------------------------------------------

    @on(TextArea.Changed, "#answer")
    def _answer_changed(self, event: TextArea.Changed) -> None:
        self.words = word_count(event.text_area.text)

    def watch_words(self, words: int) -> None:
        self.query_one("#words", Label).update(words_text(words))

    def watch_hints_shown(self) -> None:
        self._show_hints()
        self.refresh_bindings()

    def _show_hints(self) -> None:
        hints = self.prompt.hints
        shown = self.hints_shown
        header = self.query_one("#hints-header", Static)
        if not hints:
            header.update("No hints for this prompt.")
        elif shown < len(hints):
            header.update(
                f"Hints: {shown} of {len(hints)} shown. Each costs {self.prompt.hint_penalty} "
                "points; ctrl+g shows the next."
            )
        else:
            header.update(f"Hints: all {len(hints)} shown (−{shown * self.prompt.hint_penalty}).")
        box = self.query_one("#hints", Vertical)
        have = len(box.children)
        if have > shown:
            box.remove_children()
            have = 0
        box.mount_all(
            Static(f"{i + 1}. {hints[i]}", classes="hint", markup=False) for i in range(have, shown)
        )

    def watch_grading(self, grading: bool) -> None:
        # A class, not the `loading` overlay: the screen may be dismissed in the same moment.
        # On the text box, not the screen, so only it is restyled.
        area = self.query_one("#answer", TextArea)
        area.set_class(grading, "-grading")
        area.read_only = grading
        if grading:
            slow = "" if self.dp.grader_warm.is_set() else " (the first grading loads the matcher)"
            self.query_one("#grading-state", Label).update(f"grading…{slow}")
        else:
            self.query_one("#grading-state", Label).update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint":
            return self.hints_shown < len(self.prompt.hints) and not self.grading
        if action in ("submit", "leave", "editor"):
            return None if self.grading else True
        return True

    # -- hints -------------------------------------------------------------------------------

    def action_hint(self) -> None:
        total = len(self.prompt.hints)
        if self.hints_shown >= total:
            self.notify("There are no more hints.")
            return
        n = self.hints_shown + 1
        penalty = self.prompt.hint_penalty
        self.app.push_screen(
            HintModal(
                f"Reveal hint {n} of {total}?",
                f"It costs {penalty} points: your score will be reduced by "
                f"{n * penalty} in all for {n} hint{'s' if n != 1 else ''}.",
            ),
            self._hint_choice,
        )

    def _hint_choice(self, choice: str | None) -> None:
        if choice == "reveal":
            self.hints_shown = min(len(self.prompt.hints), self.hints_shown + 1)
            # paid for, so in sight: the prompt pane scrolls down to it
            self.query(".hint").last().scroll_visible(animate=False)

    def action_help(self) -> None:
        self.dp.action_help()

    # -- your own editor ------------------------------------------------------------------------

    def action_editor(self) -> None:
        """Open the answer in the user's editor, the draft saved first; read it back after."""
        if self.grading:
            return
        self.save_draft_now()  # whatever happens in the editor, the answer so far is kept
        area = self.query_one("#answer", TextArea)
        try:
            command = editor_command()
            with self.app.suspend():
                # nothing may escape this block: the app only comes back after it ends
                try:
                    edited = edit(area.text, command, self.prompt.id)
                except (EditorError, OSError) as exc:
                    error = str(exc)
                else:
                    error = ""
        except EditorError as exc:
            error = str(exc)
        except SuspendNotSupported:
            error = "this terminal cannot hand over to an editor"
        if error:
            self.notify(error, title="Editor", severity="error")
            return
        if edited is None:
            self.notify(
                "The editor exited with an error; the answer is as it was.", severity="warning"
            )
            return
        if edited != area.text:
            area.load_text(edited)
            area.move_cursor(area.document.end)
            self.words = word_count(edited)
            self.save_draft_now()
        area.focus()

    # -- drafts ------------------------------------------------------------------------------

    def _state(self) -> tuple[str, int]:
        return self.query_one("#answer", TextArea).text, self.hints_shown

    def autosave(self) -> None:
        """Save the draft in the background if it changed since the last save."""
        if self._finished or not self.is_attached:
            return  # being dismissed: the final save (or the attempt) has been written
        state = self._state()
        if state != self._saved:
            self._save_draft(*state)

    @work(thread=True, exclusive=True, group="draft")
    def _save_draft(self, text: str, hints: int) -> None:
        error = self._write_draft(text, hints)
        with suppress(RuntimeError):  # the app has already stopped
            self.app.call_from_thread(self._draft_saved, error)

    def _write_draft(self, text: str, hints: int) -> str | None:
        """Store the draft (or clear it when the text is empty); an error message, or None."""
        store = self.dp.store
        with self._io_lock:
            if self._finished:
                return None
            try:
                if text.strip():
                    store.save_draft(self.prompt.id, text, hints, started_at=self.started_at)
                else:
                    store.clear_draft(self.prompt.id)
            except HistoryError as exc:
                return str(exc)
            self._saved = (text, hints)
        return None

    def _draft_saved(self, error: str | None) -> None:
        label = self.query_one("#draft-state", Label)
        if error:
            label.update("draft NOT saved")
            self.notify(error, title="Draft not saved", severity="error")
        elif not self._finished:
            label.update(f"draft saved {local_time(self.dp.clock(), '%H:%M:%S')}")

    def save_draft_now(self) -> None:
        """Save the draft straight away (leaving, quitting)."""
        state = self._state()
        if state != self._saved:
            self._draft_saved(self._write_draft(*state))

    # -- leaving -----------------------------------------------------------------------------

    def action_leave(self) -> None:
        if self.grading:
            return
        text = self._state()[0]
        if not text.strip():
            self._write_draft("", 0)  # an emptied box leaves no draft behind
            self._finished = True
            self.dismiss(None)
            return
        self.app.push_screen(
            LeaveModal(
                "Leave without submitting?",
                f"Your answer ({words_text(word_count(text))}) has not been graded. "
                "Keep it as a draft for next time, or discard it.",
            ),
            self._leave_choice,
        )

    def _leave_choice(self, choice: str | None) -> None:
        if choice == "keep":
            self.save_draft_now()
        elif choice == "discard":
            self._write_draft("", 0)
        else:
            return
        self._finished = True
        self.dismiss(None)

    # -- submitting --------------------------------------------------------------------------

    def action_submit(self) -> None:
        if self.grading:
            return
        text = self._state()[0]
        try:
            check_answer(text)
        except AnswerError as exc:
            self.notify(str(exc).capitalize() + ".", title="Not submitted", severity="warning")
            return
        self.grading = True
        self._grade(text, self.hints_shown, self.dp.clock())

    @work(thread=True, exclusive=True, group="grade")
    def _grade(self, text: str, hints: int, submitted_at: datetime) -> None:
        app = self.dp
        try:
            with app.grader_lock:
                result = app.grader.grade(self.prompt, text, hints_used=hints)
        except AnswerError as exc:
            app.call_from_thread(self._not_graded, str(exc))
            return
        except Exception as exc:  # a grader bug must not take the answer down with it
            app.call_from_thread(self._not_graded, f"internal error: {type(exc).__name__}: {exc}")
            return
        with self._io_lock:
            self._finished = True  # no draft may be written after this point
            try:
                attempt = app.store.save_attempt(
                    prompt=self.prompt,
                    content_hash=app.bank.content_hash(self.prompt),
                    answer=text,
                    result=result,
                    started_at=self.started_at,
                    submitted_at=submitted_at,
                    bank_dir=app.bank.prompt_banks.get(self.prompt.id),
                )
            except HistoryError as exc:
                attempt = self._unsaved_attempt(text, result, submitted_at)
                app.call_from_thread(
                    self.notify, str(exc), title="Attempt not saved", severity="error"
                )
        app.call_from_thread(self._graded, attempt)

    def _unsaved_attempt(self, text: str, result: GradeResult, submitted_at: datetime) -> Attempt:
        """The grading, shown even when the history cannot record it (id 0: not saved)."""

        return Attempt.of(
            prompt=self.prompt,
            content_hash=self.dp.bank.content_hash(self.prompt),
            answer=text,
            result=result,
            started_at=self.started_at or submitted_at,
            submitted_at=submitted_at,
        )

    def _not_graded(self, message: str) -> None:
        self.grading = False
        self.notify(message, title="Not submitted", severity="warning")

    def _graded(self, attempt: Attempt) -> None:
        self.grading = False
        self.dismiss(attempt)
