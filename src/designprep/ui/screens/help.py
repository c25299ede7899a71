"""Help: every key of every screen, read from the bindings themselves so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from designprep.ui.widgets.key_footer import KeyFooter

INTRO = (
    "designprep poses a system-design prompt, times you, and grades your answer offline "
    "against a rubric. Keys of the screen you came from are listed first."
)


def _bindings(owner: type) -> list[Binding]:
    raw: Iterable[BindingType] = getattr(owner, "BINDINGS", [])
    return [b for b in raw if isinstance(b, Binding) and b.description]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }
    HelpScreen > #help {
        width: 84;
        max-width: 100%;
        height: 90%;
        border: thick $primary 70%;
        background: $surface;
        padding: 0 2;
    }
    HelpScreen #intro {
        color: $foreground-muted;
        margin: 1 0;
    }
    HelpScreen .keys {
        margin-bottom: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, came_from: Screen | None = None) -> None:
        super().__init__()
        self.came_from = came_from

    def _sections(self) -> list[tuple[str, list[Binding]]]:
        from designprep.ui.app import DesignPrepApp
        from designprep.ui.screens.browse import BrowseScreen
        from designprep.ui.screens.history import AttemptsTable, HistoryScreen
        from designprep.ui.screens.practice import PracticeScreen
        from designprep.ui.screens.results import ResultsScreen
        from designprep.ui.widgets.prompt_table import PromptTable

        sections: list[tuple[str, type, list[Binding]]] = [
            (
                "Browse",
                BrowseScreen,
                [
                    *[b for b in _bindings(PromptTable) if b.show],
                    *_bindings(BrowseScreen),
                    Binding("down", "", "From the filter box to the table"),
                    Binding("up,down", "", "Move in the table"),
                ],
            ),
            (
                "Practice",
                PracticeScreen,
                [
                    *_bindings(PracticeScreen),
                    Binding("tab", "", "Move between the prompt and the answer"),
                ],
            ),
            (
                "Results",
                ResultsScreen,
                [
                    *_bindings(ResultsScreen),
                    Binding("up,down", "", "Highlight an item: its evidence lights up"),
                ],
            ),
            (
                "History",
                HistoryScreen,
                [
                    *_bindings(AttemptsTable),
                    *_bindings(HistoryScreen),
                    Binding("tab", "", "Move to the missed points and category tables"),
                ],
            ),
            (
                "Everywhere",
                DesignPrepApp,
                [
                    *_bindings(DesignPrepApp),
                    Binding("ctrl+p", "", "Command palette: jump to any prompt, change theme"),
                ],
            ),
        ]
        current = type(self.came_from) if self.came_from is not None else None
        sections.sort(key=lambda s: s[1] is not current)  # the current screen first
        return [(title, bindings) for title, _, bindings in sections]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(INTRO, id="intro")
            for title, bindings in self._sections():
                yield Static(self._table(title, bindings), classes="keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"

    def _table(self, title: str, bindings: list[Binding]) -> Content:
        lines = [Content.styled(title, "bold $text-accent")]
        for b in bindings:
            keys = " / ".join(
                self.app.get_key_display(b.with_key(k.strip())) for k in b.key.split(",")
            )
            what = f"{b.description}: {b.tooltip}" if b.tooltip else b.description
            lines.append(Content.assemble((f"  {keys:<14}", "bold"), what))
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
