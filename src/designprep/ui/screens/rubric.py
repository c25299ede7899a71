"""The rubric a prompt is graded by, after submitting: the concepts, the reasoning points
with their weights and the red flags (disqualifying ones marked), so a user learns what
was expected, not only what they missed."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from designprep.bank import Rubric
from designprep.bank.outline import rubric_outline
from designprep.grading.calibration import CALIBRATION
from designprep.ui.widgets.key_footer import KeyFooter

STYLE = {
    "rubric": "bold",
    "heading": "bold underline",
    "item": "",
    "detail": "dim italic",
    "disqualifying": "bold red",
}
LEAD_WIDTH = 10  # "×3 (18%)", "−10", "✗ cap"


def rubric_table(rubrics: list[Rubric], note: str = "") -> Table:
    """The outline as a grid: weights and costs in a column, wrapped text hanging beside
    them; the rubric's words are plain text, never markup."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=LEAD_WIDTH, justify="right")
    grid.add_column(ratio=1)
    if note:
        grid.add_row("", Text(note + "\n", style="italic"))
    for n, line in enumerate(rubric_outline(rubrics, CALIBRATION.disqualify_cap)):
        text = Text(line.text, style=STYLE[line.kind])
        if line.kind in ("rubric", "heading"):
            if n:
                grid.add_row("", "")
            grid.add_row("", text)
        else:
            grid.add_row(Text(line.lead, style=STYLE[line.kind] or "bold"), text)
    return grid


class RubricScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    RubricScreen {
        align: center middle;
        background: $background 60%;
    }
    RubricScreen > #rubric {
        width: 100;
        max-width: 100%;
        height: 90%;
        border: thick $primary 70%;
        background: $surface;
        padding: 1 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,u,q", "close", "Close", id="rubric.close"),
    ]

    def __init__(self, title: str, rubrics: list[Rubric], note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.rubrics = rubrics
        self.note = note

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="rubric"):
            yield Static(rubric_table(self.rubrics, self.note), id="rubric-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        box = self.query_one("#rubric")
        box.border_title = f"Rubric · {self.title_text}"
        box.focus()  # up / down / page keys scroll it

    def action_close(self) -> None:
        self.dismiss(None)
