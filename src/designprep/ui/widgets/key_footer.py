"""Textual's footer, made to never cut a key off at the right edge.

One row when every key fits; compact (less space around each key) when that makes them
fit; otherwise two rows, or three if two are not enough. At 80 columns, or with a filter
active on Browse, the keys that would have fallen off the edge are still there to read.
"""

from __future__ import annotations

import math

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE_EXTRA = 4  # the palette key's border, padding and the space inside it
COMPACT_PALETTE_EXTRA = 2  # compact: its border and the space inside it


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter.-two-rows {
        layout: grid;
        grid-columns: auto;
        grid-gutter: 0 1;
    }
    KeyFooter.-two-rows.-compact FooterKey {
        margin: 0;
    }
    """

    async def recompose(self) -> None:
        await super().recompose()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        keys, palette = [], 0
        for key in self.query(FooterKey):
            text = cell_len(key.key_display) + cell_len(key.description)
            if key.has_class("-command-palette"):
                palette = text
            else:
                keys.append(text)
        room = self.size.width - palette - PALETTE_EXTRA * bool(palette)
        if not keys or room <= 0:
            return
        # a key takes its text, a space inside, and two spaces (one when compact) around it
        self.compact = sum(keys) + 3 * len(keys) > room
        rows = 1
        if sum(keys) + 2 * len(keys) > room:
            # compact, the palette key takes its text, a space and its border
            grid_room = self.size.width - palette - COMPACT_PALETTE_EXTRA * bool(palette)
            rows = next((r for r in (2, 3) if _grid_width(keys, r) <= grid_room), 3)
        self.set_class(rows > 1, "-two-rows")
        self.styles.grid_size_columns = math.ceil(len(keys) / rows)
        self.styles.height = rows


def _grid_width(keys: list[int], rows: int) -> int:
    """Columns as wide as their widest key (its text and the space inside), a gutter apart."""
    columns = math.ceil(len(keys) / rows)
    return sum(max(keys[c::columns]) + 1 for c in range(columns)) + columns - 1
