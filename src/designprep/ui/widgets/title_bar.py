"""The one-line bar at the top of every screen: app name, screen title, and a slot on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label


class TitleBar(Horizontal):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar > .title-bar--app {
        padding: 0 1;
        background: $primary;
        color: $text;
        text-style: bold;
    }
    TitleBar > #title-bar-title {
        padding: 0 1;
        text-style: bold;
        width: auto;
        max-width: 60%;  /* the slot on the right (the countdown) keeps its room */
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    TitleBar > #title-bar-subtitle {
        color: $foreground-muted;
        width: 1fr;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    title: reactive[str] = reactive("")
    subtitle: reactive[str] = reactive("")

    def __init__(self, title: str, subtitle: str = "", *, right: Widget | None = None) -> None:
        super().__init__()
        self._right = right
        self.set_reactive(TitleBar.title, title)
        self.set_reactive(TitleBar.subtitle, subtitle)

    def compose(self) -> ComposeResult:
        yield Label("designprep", classes="title-bar--app")
        yield Label(self.title, id="title-bar-title", markup=False)
        yield Label(self.subtitle, id="title-bar-subtitle", markup=False)
        if self._right is not None:
            yield self._right

    def watch_title(self, title: str) -> None:
        if self.is_mounted:
            self.query_one("#title-bar-title", Label).update(title)

    def watch_subtitle(self, subtitle: str) -> None:
        if self.is_mounted:
            self.query_one("#title-bar-subtitle", Label).update(subtitle)
