"""Load problems: each bank file that could not be loaded, and why. The rest of the bank works."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static

from designprep.bank import LoadProblem
from designprep.bank.problems import display_path
from designprep.ui.widgets.key_footer import KeyFooter
from designprep.ui.widgets.title_bar import TitleBar


class ProblemsScreen(Screen[None]):
    DEFAULT_CSS = """
    ProblemsScreen #explain {
        padding: 1 2;
        color: $foreground-muted;
    }
    ProblemsScreen #problems {
        height: 1fr;
        margin: 0 1;
        border: round $border;
    }

    """
    AUTO_FOCUS = "#problems"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="problems.back"),
    ]

    def __init__(self, problems: Sequence[LoadProblem]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        files = len({p.path for p in self.problems})
        yield TitleBar(
            "Load problems",
            f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} in {files} file"
            f"{'s' if files != 1 else ''}",
        )
        yield Static(
            "These files were skipped; every other prompt loaded and works. Fix the file, "
            "then press ctrl+r on Browse to reload the bank (check it with 'designprep "
            "validate --bank DIR').",
            id="explain",
        )
        # a list, not a table: a long message wraps instead of running off the edge
        options: list[Text | None] = []
        for p in self.problems:
            options += [self._option(p), None]  # None: a rule between two problems
        yield OptionList(*options[:-1], id="problems")
        yield KeyFooter()

    @staticmethod
    def _option(problem: LoadProblem) -> Text:
        where = display_path(problem.path) + ("" if problem.line is None else f":{problem.line}")
        text = Text(where, style="bold")
        text.append("\n")
        if problem.field:
            text.append(f"{problem.field}: ", style="italic")
        text.append(problem.message)
        return text

    def action_back(self) -> None:
        self.dismiss(None)
