"""A small bar chart of scores over time: one bar per attempt, oldest on the left.

Bars are drawn with eighth-blocks so a chart a few rows high still shows a 0-100 score
to within a couple of points, and each bar takes the colour of its verdict band.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from designprep.ui.format import BAND_STYLE, band

_EIGHTHS = " ▁▂▃▄▅▆▇█"
_AXIS = 4  # "100┤"


class ScoreChart(Widget):
    DEFAULT_CSS = """
    ScoreChart {
        height: 8;
        padding: 0 1;
    }
    """

    scores: reactive[tuple[int, ...]] = reactive(tuple)
    label: reactive[str] = reactive("")

    def __init__(self, label: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(ScoreChart.label, label)

    def plot(self, label: str, scores: Sequence[int]) -> None:
        self.label = label
        self.scores = tuple(scores)

    def render(self) -> Content:
        width, height = self.content_size
        rows = max(1, height - 1)  # the last line is the caption
        plot_width = max(1, width - _AXIS - 1)
        scores = self.scores[-plot_width:]
        mean = f"mean {sum(self.scores) / len(self.scores):.0f}" if self.scores else ""
        caption = Content.assemble(
            (self.label, "bold"),
            "  ",
            (
                f"{len(self.scores)} attempt{'s' if len(self.scores) != 1 else ''}",
                "$foreground-muted",
            ),
            "  ",
            (mean, "$foreground-muted"),
        )
        if not scores:
            empty = [Content("")] * (rows - 1) + [
                Content.styled("no attempts yet", "$foreground-muted")
            ]
            return Content("\n").join([*empty, caption])
        step = 2 if len(scores) * 2 <= plot_width else 1  # a gap between bars when room
        lines: list[Content] = []
        for row in range(rows):
            level_top = rows - row  # this row covers eighths (level_top-1)*8 .. level_top*8
            axis = {0: "100┤", rows - 1: "  0┤"}.get(row, "   │")
            if rows > 4 and row == rows // 2:
                axis = " 50┤"
            parts: list[tuple[str, str] | str] = [(axis, "$foreground-muted")]
            for score in scores:
                eighths = max(1, round(score / 100 * rows * 8))  # a 0 still shows as a sliver
                fill = min(8, max(0, eighths - (level_top - 1) * 8))
                parts.append((_EIGHTHS[fill], BAND_STYLE[band(score)]))
                if step == 2:
                    parts.append(" ")
            lines.append(Content.assemble(*parts))
        lines.append(caption)
        return Content("\n").join(lines)
