"""A fast table of prompts: a fixed header and rows drawn line by line (Textual's Line API).

Filtering hands in a new list of row ids; nothing is re-measured or re-mounted, only the
visible lines are drawn. So a keystroke over 1,000 prompts stays a few milliseconds,
where rebuilding a DataTable measures every cell again.

When the table is narrower than its columns (an 80-column terminal), optional columns are
left out, right to left, and then the first column gives up width: the columns that
matter stay on screen instead of being pushed off the right edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = Text | str


@dataclass(frozen=True)
class Column:
    label: str
    width: int
    justify: str = "left"  # left | right
    optional: bool = False  # left out when the table is too narrow for every column


MIN_FIRST_WIDTH = 12


class PromptTable(ScrollView, can_focus=True):
    """Rows of cells keyed by prompt id; one row is highlighted by the cursor."""

    DEFAULT_CSS = """
    PromptTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .prompt-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .prompt-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .prompt-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .prompt-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .prompt-table--empty {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "prompt-table--header",
        "prompt-table--even-row",
        "prompt-table--cursor",
        "prompt-table--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Practise", id="browse.open"),
        Binding("up", "move(-1)", "Up", show=False, id="table.up"),
        Binding("down", "move(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page-down"),
        Binding("home", "jump(0)", "First", show=False, id="table.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="table.last"),
    ]

    cursor_row: reactive[int] = reactive(0, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row (``row_id`` is None when the table is empty)."""

        table: PromptTable
        row_id: str | None

        @property
        def control(self) -> PromptTable:
            return self.table

    @dataclass
    class Selected(Message):
        """Enter (or a double click) on a row."""

        table: PromptTable
        row_id: str

        @property
        def control(self) -> PromptTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty_text: str = "Nothing to show.",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.empty_text = empty_text
        self._cells: dict[str, tuple[Cell, ...]] = {}
        self._ids: list[str] = []
        self._strips: dict[tuple[str, int], Strip] = {}  # (row id, even) -> plain strip
        self._last_highlighted: str | None = None
        self._layout = self._fit(self._row_width(self.columns))  # (cell index, width) shown

    # -- data --------------------------------------------------------------------------------

    @property
    def row_ids(self) -> list[str]:
        return list(self._ids)

    @property
    def row_count(self) -> int:
        return len(self._ids)

    @property
    def highlighted(self) -> str | None:
        return self._ids[self.cursor_row] if self._ids else None

    def set_cells(self, cells: Mapping[str, tuple[Cell, ...]]) -> None:
        """Every row that may be shown, by id (the rows shown are chosen by ``show``)."""
        self._cells = dict(cells)
        self._strips.clear()
        self.refresh()

    def show(self, row_ids: Sequence[str], *, cursor_to: str | None = None) -> None:
        """Show these rows in this order; the cursor goes to ``cursor_to`` if shown, else
        stays on its row if still shown, else goes to the first row."""
        keep = cursor_to if cursor_to in row_ids else self.highlighted
        self._ids = list(row_ids)
        self._set_virtual_size()
        index = self._ids.index(keep) if keep in self._ids else 0
        self.set_reactive(PromptTable.cursor_row, index)
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    @staticmethod
    def _row_width(columns: Iterable[Column]) -> int:
        return sum(c.width + 2 for c in columns)

    def _fit(self, width: int) -> list[tuple[int, int]]:
        """(cell index, width) of each column shown in a table this wide."""
        shown = dict(enumerate(self.columns))
        for i in reversed(range(len(self.columns))):
            if self._row_width(shown.values()) > width and self.columns[i].optional:
                del shown[i]
        over = max(0, self._row_width(shown.values()) - width)
        return [
            (i, max(min(MIN_FIRST_WIDTH, c.width), c.width - over) if i == 0 else c.width)
            for i, c in shown.items()
        ]

    def _set_virtual_size(self) -> None:
        self.virtual_size = Size(sum(w + 2 for _, w in self._layout), len(self._ids) + 1)

    def _announce(self) -> None:
        current = self.highlighted
        if current != self._last_highlighted or not self._ids:
            self._last_highlighted = current
            self.post_message(self.Highlighted(self, current))

    # -- cursor ------------------------------------------------------------------------------

    def watch_cursor_row(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def move_to(self, index: int) -> None:
        if self._ids:
            self.cursor_row = max(0, min(len(self._ids) - 1, index))

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        visible = self._visible_rows()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor_row + direction * self._visible_rows())

    def action_jump(self, index: int) -> None:
        self.move_to(index if index >= 0 else len(self._ids) - 1)

    def action_select(self) -> None:
        if self._ids:
            self.post_message(self.Selected(self, self._ids[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1 or not self._ids:
            return
        index = int(self.scroll_y) + event.y - 1
        if index < len(self._ids):
            self.move_to(index)
            if event.chain >= 2:
                self.action_select()

    def on_resize(self) -> None:
        layout = self._fit(self.scrollable_content_region.width)
        if layout != self._layout:
            self._layout = layout
            self._strips.clear()
            self._set_virtual_size()
        self._scroll_to_cursor()

    # -- drawing -----------------------------------------------------------------------------

    def _line(self, cells: Sequence[Cell]) -> Text:
        line = Text(no_wrap=True, end="")
        for index, width in self._layout:
            cell = cells[index] if index < len(cells) else ""
            text = cell.copy() if isinstance(cell, Text) else Text(cell)
            if text.cell_len > width:
                text.truncate(width, overflow="ellipsis")
            pad = " " * (width - text.cell_len)
            if self.columns[index].justify == "right":
                line.append(" " + pad)
                line.append_text(text)
                line.append(" ")
            else:
                line.append(" ")
                line.append_text(text)
                line.append(pad + " ")
        return line

    def _strip(self, row_id: str, even: bool) -> Strip:
        key = (row_id, int(even))
        strip = self._strips.get(key)
        if strip is None:
            base = self.get_component_rich_style("prompt-table--even-row") if even else Style()
            segments = list(self._line(self._cells[row_id]).render(self.app.console))
            strip = Strip(Segment.apply_style(segments, post_style=None, style=base))
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # the theme changed: redraw with its colours

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        scroll_x = int(self.scroll_x)
        if y == 0:
            header = self._line([Text(c.label) for c in self.columns])
            style = base + self.get_component_rich_style("prompt-table--header")
            strip = Strip(list(header.render(self.app.console))).apply_style(style)
            return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, style)
        index = int(self.scroll_y) + y - 1
        if not self._ids:
            if y == 2:
                text = Text(f" {self.empty_text}")
                style = base + self.get_component_rich_style("prompt-table--empty")
                return (
                    Strip(list(text.render(self.app.console)))
                    .apply_style(style)
                    .crop(0, width)
                    .extend_cell_length(width, base)
                )
            return Strip.blank(width, base)
        if index >= len(self._ids):
            return Strip.blank(width, base)
        row_id = self._ids[index]
        strip = self._strip(row_id, index % 2 == 1)
        style = base
        if index == self.cursor_row:
            style = base + self.get_component_rich_style("prompt-table--cursor")
            strip = Strip(Segment.apply_style(list(strip), post_style=style))
        else:
            strip = strip.apply_style(base)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, style)
