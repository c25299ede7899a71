"""The candidate's answer with the matched spans highlighted.

Reasoning points made are marked green (partly made: yellow), red flags raised red; the
span of the item highlighted in the breakdown is emphasised and scrolled into view.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from designprep.ui.widgets.breakdown import Mark

MARK_STYLE = {
    "covered": "on $success-muted",
    "partial": "on $warning-muted",
    "raised": "on $error-muted",
    "contradicted": "on $error-muted",
}
FOCUS_STYLE = "bold reverse"


class AnswerView(Static):
    DEFAULT_CSS = """
    AnswerView {
        padding: 0 1;
        width: 1fr;
    }
    """

    focus_span: reactive[tuple[int, int] | None] = reactive(None)

    def __init__(self, answer: str, marks: Sequence[Mark], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.answer = answer
        self.marks = list(marks)

    def marked_content(self) -> Content:
        content = Content(self.answer)
        for mark in sorted(self.marks, key=lambda m: (m.kind == "raised", m.start)):
            style = MARK_STYLE.get(mark.kind)
            if style:
                content = content.stylize(style, mark.start, mark.end)
        if self.focus_span is not None:
            content = content.stylize(FOCUS_STYLE, *self.focus_span)
        return content

    def render(self) -> Content:
        return self.marked_content()

    def line_of(self, offset: int) -> int:
        """The wrapped line (0-based) on which a character offset of the answer is shown."""
        width = max(1, self.content_size.width)
        before = self.answer[:offset]
        if not before:
            return 0
        return max(0, len(Content(before).wrap(width)) - 1)
