"""Results: the score and verdict, what changed since the last attempt, the breakdown with
evidence, the answer highlighted, the model answer and the follow-up questions; the
score's arithmetic on demand.

Dismisses with "retry-edit" (start from this answer), "retry-blank", "next" or None
(back). Opened from history it is read-only: only back.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, cast

from rich.markdown import Markdown as RichMarkdown
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import (
    Digits,
    Label,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)

from designprep.bank import Prompt
from designprep.grading.change import Change, compare
from designprep.history import Attempt, HistoryError, rating_for
from designprep.history.scheduling import rating_name
from designprep.ui.format import band, clock_text, local_time, until_text, words_text
from designprep.ui.screens.dialogs import RATING_CHOICES, RatingModal, RetryModal
from designprep.ui.screens.rubric import RubricScreen
from designprep.ui.widgets.answer_view import AnswerView
from designprep.ui.widgets.breakdown import BreakdownList
from designprep.ui.widgets.key_footer import KeyFooter
from designprep.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from designprep.ui.app import DesignPrepApp

Choice = Literal["retry-edit", "retry-blank", "next"] | None


class ResultsScreen(Screen[Choice]):
    CSS_PATH = Path(__file__).with_name("results.tcss")
    AUTO_FOCUS = "#breakdown"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", id="results.retry"),
        Binding("n", "next", "Next prompt", id="results.next"),
        Binding("s", "toggle_arithmetic", "Score maths", id="results.arithmetic"),
        Binding(
            "g",
            "rate",
            "Rate",
            tooltip="again, hard, good or easy yourself, as in Anki",
            id="results.rate",
        ),
        Binding("a", "tab('answer-tab')", "Your answer", id="results.answer", show=False),
        Binding("m", "tab('model-tab')", "Model answer", id="results.model"),
        Binding("f", "tab('follow-tab')", "Follow-ups", id="results.followups"),
        Binding(
            "u",
            "rubric",
            "Rubric",
            tooltip="what was expected: concepts, weighted points, red flags",
            id="results.rubric",
        ),
        Binding("h", "history", "History", id="results.history", show=False),
        Binding("escape", "back", "Back", id="results.back"),
    ]

    show_arithmetic: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        attempt: Attempt,
        prompt: Prompt | None,
        *,
        read_only: bool = False,
        bank_dir: str | None = None,
    ) -> None:
        """``prompt`` is None when the bank loaded now does not hold it; ``bank_dir`` is
        then the bank folder it came from, where known."""
        super().__init__()
        self.attempt = attempt
        self.prompt = prompt
        self.read_only = read_only
        self.bank_dir = bank_dir
        self.result = attempt.result

    @property
    def dp(self) -> DesignPrepApp:
        return cast("DesignPrepApp", self.app)

    def compose(self) -> ComposeResult:
        a, r = self.attempt, self.result
        when = local_time(a.submitted_at)
        saved = f"attempt #{a.id}" if a.id else "not saved"
        yield TitleBar(
            "Results" if not self.read_only else "Attempt",
            f"{a.title} · {when} · {saved}",
        )
        with Horizontal(id="summary", classes=f"band-{band(r.score)}"):
            yield Digits(str(r.score), id="score")
            with Vertical(id="verdict-box"):
                yield Label(r.verdict, id="verdict")
                yield Label(self._tally(), id="tally", markup=False)
                yield Label(self._meta(), id="meta", markup=False)
                yield Label("", id="schedule", markup=False)
        with Horizontal(id="body"):
            breakdown = BreakdownList(r, change=self._change(), id="breakdown")
            yield breakdown
            with TabbedContent(id="tabs", initial="answer-tab"):
                with TabPane("Your answer", id="answer-tab"), VerticalScroll(id="answer-scroll"):
                    yield AnswerView(a.answer, breakdown.marks(), id="answer-view")
                # Rich Markdown in a Static: one widget each, so the screen paints at once
                with TabPane("Model answer", id="model-tab"), VerticalScroll():
                    if self.prompt:
                        yield Static(RichMarkdown(self.prompt.model_answer), id="model-answer")
                    else:
                        yield Static(self._not_loaded(), id="model-answer", markup=False)
                with TabPane("Follow-ups", id="follow-tab"), VerticalScroll():
                    if self.prompt:
                        yield Static(RichMarkdown(self._follow_ups()), id="follow-ups")
                    else:
                        yield Static(self._not_loaded(), id="follow-ups", markup=False)
        yield Static("\n".join(r.breakdown.explain()), id="arithmetic", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#breakdown").border_title = "Breakdown"
        self.query_one("#arithmetic").border_title = "Score arithmetic (s hides)"
        self._show_schedule()
        # the first point is highlighted; what changed since last time, above it, stays in sight
        self.call_after_refresh(self.query_one("#breakdown").scroll_home, animate=False)

    def _can_rate(self) -> bool:
        return bool(self.attempt.id) and not self.attempt.damaged

    def _show_schedule(self) -> None:
        """How the attempt is rated for scheduling (by its score, or by the user), and when
        its prompt is due next."""
        label = self.query_one("#schedule", Label)
        if not self._can_rate():
            label.display = False
            return
        store, a = self.dp.store, self.attempt
        try:
            mine = store.rating(a.id)
            progress = store.progress(now=self.dp.clock()).get(a.prompt_id)
        except HistoryError:
            label.display = False
            return
        by_score = rating_name(rating_for(a.score))
        text = (
            f"Rated {by_score} by its score"
            if mine is None
            else f"Rated {rating_name(mine)} by you (its score: {by_score})"
        )
        if progress is not None:
            if progress.suspended:
                text += " · the prompt is suspended"
            elif progress.due_at is not None:
                text += " · " + until_text(progress.due_at, self.dp.clock())
        label.update(text + " · g rates it yourself")

    def _change(self) -> Change | None:
        """What changed since the attempt at this prompt before this one, if there was one."""
        try:
            before = self.dp.store.previous_attempt(self.attempt)
            if before is None or before.damaged:
                return None
            return compare(before.result, self.result)
        except (HistoryError, ValueError, KeyError, TypeError):
            return None  # a row it cannot read: nothing to compare with

    def _tally(self) -> str:
        r = self.result
        covered = sum(1 for p in r.points if p.status == "covered")
        partial = sum(1 for p in r.points if p.status == "partial")
        used = sum(1 for c in r.concepts if c.status == "found")
        raised = [f for f in r.red_flags if f.status == "raised"]
        parts = [
            f"{covered} of {len(r.points)} reasoning points"
            + (f" (+{partial} partly)" if partial else ""),
            f"{used} of {len(r.concepts)} concepts",
            f"{len(raised)} red flag{'s' if len(raised) != 1 else ''}"
            if raised
            else "no red flags",
        ]
        return " · ".join(parts)

    def _meta(self) -> str:
        a, r = self.attempt, self.result
        parts = [words_text(r.word_count)]
        took = f"took {clock_text(a.duration_seconds)}"
        if self.prompt:
            took += f" of {self.prompt.time_limit_minutes}:00"
        parts.append(took)
        if a.hints_used:
            penalty = r.breakdown.hint_penalty
            parts.append(f"{a.hints_used} hint{'s' if a.hints_used != 1 else ''} (−{penalty:g})")
        parts.extend(r.notes)
        return " · ".join(parts)

    def _not_loaded(self) -> str:
        """Why the prompt cannot be shown, and how to see it again."""
        if self.bank_dir:
            return (
                f"This prompt came from the bank folder {self.bank_dir}, which is not loaded "
                f"now. Open designprep with --bank {shlex.quote(self.bank_dir)} to see its "
                "model answer and follow-up questions."
            )
        return (
            "This prompt is not in the bank loaded now: it was removed, or it came from a bank "
            "folder of your own (open designprep with --bank DIR to see it)."
        )

    def _follow_ups(self) -> str:
        assert self.prompt is not None
        if not self.prompt.follow_ups:
            return "*No follow-up questions for this prompt.*"
        lines = ["What the interviewer would ask next:", ""]
        lines += [f"{i}. {q}" for i, q in enumerate(self.prompt.follow_ups, start=1)]
        return "\n".join(lines)

    # -- interaction -------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#breakdown")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        spans = self.query_one(BreakdownList).spans
        mark = spans.get(event.option.id or "")
        view = self.query_one("#answer-view", AnswerView)
        view.focus_span = (mark.start, mark.end) if mark else None
        if mark is not None:
            self.query_one("#tabs", TabbedContent).active = "answer-tab"
            line = view.line_of(mark.start)
            self.query_one("#answer-scroll", VerticalScroll).scroll_to(
                y=max(0, line - 2), animate=False
            )

    def watch_show_arithmetic(self, show: bool) -> None:
        self.set_class(show, "-arithmetic")

    def action_toggle_arithmetic(self) -> None:
        self.show_arithmetic = not self.show_arithmetic

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def action_rate(self) -> None:
        if not self._can_rate():
            return
        by_score = rating_name(rating_for(self.attempt.score))
        self.app.push_screen(
            RatingModal(
                "Rate this attempt for scheduling",
                f"Its score {self.attempt.score} rates it {by_score}. Your rating replaces "
                "that for when the prompt comes back, as in Anki: again (tomorrow), hard, "
                f"good, easy (longest). Choosing {by_score} goes back to the score's rating.",
            ),
            self._rated,
        )

    def _rated(self, choice: str | None) -> None:
        if choice not in RATING_CHOICES:
            return
        rating = RATING_CHOICES.index(choice) + 1
        if rating == int(rating_for(self.attempt.score)):
            rating = 0  # the score's own: no rating by hand
        try:
            self.dp.store.rate(self.attempt.id, rating or None)
        except HistoryError as exc:
            self.notify(str(exc), title="Not rated", severity="error")
            return
        self._show_schedule()

    def action_rubric(self) -> None:
        if self.prompt is None:
            return
        bank = self.dp.bank
        changed = bank.content_hash(self.prompt) != self.attempt.content_hash
        note = (
            "The prompt or its rubric has changed since this attempt was graded: this is "
            "the rubric as it is now."
            if changed
            else ""
        )
        self.app.push_screen(RubricScreen(self.prompt.title, bank.rubrics_for(self.prompt), note))

    def action_retry(self) -> None:
        if self.read_only:
            return
        self.app.push_screen(
            RetryModal(
                f"Retry {self.attempt.title}?",
                "Start from this answer to improve it, or from a blank box. The clock starts "
                "again; when it is graded, the breakdown shows what changed.",
            ),
            self._retry,
        )

    def _retry(self, choice: str | None) -> None:
        if choice == "edit":
            self.dismiss("retry-edit")
        elif choice == "blank":
            self.dismiss("retry-blank")

    def action_next(self) -> None:
        if not self.read_only:
            self.dismiss("next")

    def action_history(self) -> None:
        if self.read_only:
            self.dismiss(None)  # history is right underneath
        else:
            self.dismiss(None)
            self.dp.open_history()

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rate":
            return self._can_rate()
        if action == "rubric":
            return self.prompt is not None
        if action in ("retry", "next", "history") and self.read_only:
            return False
        return not (action in ("retry", "next") and self.prompt is None)
