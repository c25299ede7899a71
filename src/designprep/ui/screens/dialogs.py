"""Small modal questions: leaving with an unsubmitted answer, revealing a hint, deleting an
attempt, a prompt's schedule and rating an attempt.

Each is a ``ModalScreen[str | None]`` that dismisses with the chosen value (``None`` for
cancel). Its keys are ordinary bindings, so the footer shows them; the buttons repeat
them for the mouse.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from designprep.ui.widgets.key_footer import KeyFooter

_CHOOSE = re.compile(r"^choose\('([a-z-]+)'\)$")


class ChoiceModal(ModalScreen[str | None]):
    """A question with a few answers, one key each; escape cancels."""

    DEFAULT_CSS = """
    ChoiceModal {
        align: center middle;
        background: $background 60%;
    }
    ChoiceModal > #dialog {
        width: 64;
        height: auto;
        border: thick $primary 70%;
        background: $surface;
        padding: 1 2;
    }
    ChoiceModal #question {
        text-style: bold;
        width: 1fr;
        margin-bottom: 1;
    }
    ChoiceModal #detail {
        width: 1fr;
        color: $foreground-muted;
        margin-bottom: 1;
    }
    ChoiceModal #buttons {
        height: auto;
        align-horizontal: right;
    }
    ChoiceModal Button {
        margin-left: 1;
        min-width: 10;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('cancel')", "Cancel", id="dialog.cancel"),
    ]
    DEFAULT_CHOICE: ClassVar[str] = ""
    """The choice the enter key makes (the first button is focused)."""

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def _choices(self) -> list[tuple[str, str]]:
        """(value, label) of every choice, in binding order, cancel last."""
        found: list[tuple[str, str]] = []
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding):
                continue
            m = _CHOOSE.match(binding.action)
            if m and m.group(1) != "cancel":
                found.append((m.group(1), f"{binding.description} ({binding.key})"))
        found.append(("cancel", "Cancel (esc)"))
        return found

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="question", markup=False)
            if self.detail:
                yield Static(self.detail, id="detail", markup=False)
            with Horizontal(id="buttons"):
                for value, label in self._choices():
                    yield Button(
                        label,
                        id=f"choice-{value}",
                        variant="primary" if value == self.DEFAULT_CHOICE else "default",
                    )
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.DEFAULT_CHOICE:
            self.query_one(f"#choice-{self.DEFAULT_CHOICE}", Button).focus()

    def action_choose(self, value: str) -> None:
        self.dismiss(None if value == "cancel" else value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        value = (event.button.id or "choice-cancel").removeprefix("choice-")
        self.action_choose(value)


class LeaveModal(ChoiceModal):
    """Leaving practice with an answer that has not been submitted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('keep')", "Keep draft", id="leave.keep"),
        Binding("x", "choose('discard')", "Discard", id="leave.discard"),
        Binding("escape", "choose('cancel')", "Stay", id="leave.stay"),
    ]
    DEFAULT_CHOICE = "keep"

    def _choices(self) -> list[tuple[str, str]]:
        return [("keep", "Keep draft (k)"), ("discard", "Discard (x)"), ("cancel", "Stay (esc)")]


class HintModal(ChoiceModal):
    """Revealing a hint costs points: say how many before showing it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose('reveal')", "Reveal hint", id="hint.reveal"),
        Binding("escape", "choose('cancel')", "Cancel", id="hint.cancel"),
    ]
    DEFAULT_CHOICE = "reveal"


class DeleteModal(ChoiceModal):
    """Deleting an attempt cannot be undone: ask first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose('delete')", "Delete", id="delete.yes"),
        Binding("escape", "choose('cancel')", "Keep it", id="delete.cancel"),
    ]
    DEFAULT_CHOICE = "cancel"  # enter keeps it: deleting takes the y key

    def _choices(self) -> list[tuple[str, str]]:
        return [("delete", "Delete (y)"), ("cancel", "Keep it (esc)")]


class ScheduleModal(ChoiceModal):
    """A prompt's schedule: suspend or unsuspend it, or reset it (when it has one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('suspend')", "Suspend / unsuspend", id="schedule.suspend"),
        Binding("r", "choose('reset')", "Reset", id="schedule.reset"),
        Binding("escape", "choose('cancel')", "Cancel", id="schedule.cancel"),
    ]

    def __init__(self, question: str, detail: str, *, suspended: bool, can_reset: bool) -> None:
        super().__init__(question, detail)
        self.suspended = suspended
        self.can_reset = can_reset

    def _choices(self) -> list[tuple[str, str]]:
        choices = [("suspend", "Unsuspend (s)" if self.suspended else "Suspend (s)")]
        if self.can_reset:
            choices.append(("reset", "Reset (r)"))
        return [*choices, ("cancel", "Cancel (esc)")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "choose" and parameters == ("reset",) and not self.can_reset)


RATING_CHOICES = ("again", "hard", "good", "easy")


class RatingModal(ChoiceModal):
    """Rate an attempt for scheduling yourself (as in Anki), instead of by its score."""

    DEFAULT_CSS = """
    RatingModal > #dialog {
        width: 70;
        max-width: 100%;
    }
    RatingModal Button {
        min-width: 9;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose('again')", "Again", id="rating.again"),
        Binding("2", "choose('hard')", "Hard", id="rating.hard"),
        Binding("3", "choose('good')", "Good", id="rating.good"),
        Binding("4", "choose('easy')", "Easy", id="rating.easy"),
        Binding("escape", "choose('cancel')", "Cancel", id="rating.cancel"),
    ]


class RetryModal(ChoiceModal):
    """Retrying a prompt: from the last answer (to edit it) or from a blank box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "choose('edit')", "Edit this answer", id="retry.edit"),
        Binding("b", "choose('blank')", "Blank box", id="retry.blank"),
        Binding("escape", "choose('cancel')", "Cancel", id="retry.cancel"),
    ]
    DEFAULT_CHOICE = "edit"
