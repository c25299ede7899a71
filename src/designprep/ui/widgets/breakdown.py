"""The grading breakdown as a list: what changed since the last attempt (when there is
one), reasoning points, concepts and red flags.

Each item carries its status mark and the sentence of the answer that is its evidence.
Highlighting an item tells the answer view which span to emphasise.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from designprep.grading import Evidence, GradeResult, RedFlagResult
from designprep.grading.change import Change

QUOTE_CHARS = 240

POINT_MARK = {
    "covered": ("✓", "green"),
    "partial": ("~", "yellow"),
    "missed": ("✗", "red"),
    "contradicted": ("⊗", "red"),
}
CONCEPT_MARK = {
    "found": ("✓", "green"),
    "rejected": ("⊘", "blue"),
    "listed": ("·", "yellow"),
    "missed": ("✗", "red"),
}
CONCEPT_LABEL = {
    "found": "found",
    "rejected": "rejected (you ruled it out)",
    "listed": "listed only, not used in a sentence",
    "missed": "missed",
}
FLAG_MARK = {
    "raised": ("!", "red"),
    "rejected": ("✓", "green"),
    "clear": ("✓", "green"),
}


@dataclass(frozen=True)
class Mark:
    """A span of the answer and why it is marked (a point's or red flag's status)."""

    start: int
    end: int
    kind: str  # covered | partial | raised | found | rejected | listed


def _quote(evidence: Evidence | None) -> str | None:
    if evidence is None:
        return None
    text = " ".join(evidence.text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1] + "…"
    return f"“{text}”"


def _item(mark: tuple[str, str], text: str, status: str, quote: str | None) -> Table:
    """Mark in a narrow column, so wrapped lines hang under the text, not under the mark."""
    body = Text(text)
    body.append(f"  {status}", style="dim")
    if quote:
        body.append("\n")
        body.append(quote, style="italic dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2, justify="right")
    grid.add_column(ratio=1)
    grid.add_row(Text(mark[0], style=f"bold {mark[1]}"), body)
    return grid


def _flag_tally(raised: list[RedFlagResult]) -> str:
    if not raised:
        return "none raised"
    cost = sum(f.penalty for f in raised if not f.disqualifying)
    cap = (
        "; one breaks a stated constraint and caps the score"
        if any(f.disqualifying for f in raised)
        else ""
    )
    return f"{len(raised)} raised, −{cost:g}{cap}"


def _heading(title: str, tally: str) -> Option:
    heading = Text(title, style="bold")
    heading.append(f"  {tally}", style="dim")
    return Option(heading, disabled=True)


CHANGE_MARK = {
    "gained": ("▲", "green"),
    "lost": ("▼", "red"),
    "red flag raised": ("!", "red"),
    "red flag cleared": ("✓", "green"),
}


def change_options(change: Change) -> list[Option | None]:
    """The section 'Since your last attempt': points gained and lost, red flags raised or
    cleared (read only: nothing to highlight in the answer)."""
    options: list[Option | None] = [
        _heading("Since your last attempt", f"{change.before} → {change.after} ({change.delta:+d})")
    ]
    groups = [
        ("gained", change.gained),
        ("lost", change.lost),
        ("red flag raised", change.flags_raised),
        ("red flag cleared", change.flags_cleared),
    ]
    for kind, texts in groups:
        for text in texts:
            options.append(Option(_item(CHANGE_MARK[kind], text, kind, None), disabled=True))
    if len(options) == 1:
        options.append(Option(Text("  the same points as last time", style="dim"), disabled=True))
    return [*options, None]


def build(
    result: GradeResult, change: Change | None = None
) -> tuple[list[Option | None], dict[str, Mark]]:
    """The options of the list, and the evidence span of each option (by option id)."""
    options: list[Option | None] = change_options(change) if change else []
    spans: dict[str, Mark] = {}

    def add(option_id: str, content: Table, evidence: Evidence | None, kind: str) -> None:
        options.append(Option(content, id=option_id))
        if evidence is not None:
            spans[option_id] = Mark(evidence.start, evidence.end, kind)

    covered = sum(1 for p in result.points if p.status == "covered")
    partial = sum(1 for p in result.points if p.status == "partial")
    contradicted = sum(1 for p in result.points if p.status == "contradicted")
    tally = (
        f"{covered} of {len(result.points)} covered"
        + (f", {partial} partly" if partial else "")
        + (f", {contradicted} contradicted" if contradicted else "")
    )
    options.append(_heading("Reasoning points", tally))
    for i, p in enumerate(result.points):
        add(
            f"point-{i}",
            _item(POINT_MARK[p.status], p.text, p.status, _quote(p.evidence)),
            p.evidence,
            p.status,
        )

    if result.concepts:
        found = sum(1 for c in result.concepts if c.status == "found")
        options.append(None)
        options.append(_heading("Key concepts", f"{found} of {len(result.concepts)} used"))
        for i, c in enumerate(result.concepts):
            quote = _quote(c.evidence) if c.status in ("found", "rejected") else None
            add(
                f"concept-{i}",
                _item(CONCEPT_MARK[c.status], c.term, CONCEPT_LABEL[c.status], quote),
                c.evidence,
                c.status,
            )

    if result.red_flags:
        raised = [f for f in result.red_flags if f.status == "raised"]
        options.append(None)
        options.append(
            _heading(
                "Red flags",
                _flag_tally(raised),
            )
        )
        for i, f in enumerate(result.red_flags):
            status: str = f.status
            if f.status == "raised":
                status = "raised: caps the score" if f.disqualifying else f"raised −{f.penalty:g}"
            add(
                f"flag-{i}",
                _item(FLAG_MARK[f.status], f.text, status, _quote(f.evidence)),
                f.evidence,
                "raised" if f.status == "raised" else "rejected",
            )
    return options, spans


class BreakdownList(OptionList):
    """Points, concepts and red flags of one grading; ``spans`` maps option ids to evidence."""

    DEFAULT_CSS = """
    BreakdownList > .option-list--option-disabled { color: $foreground; }
    """

    def __init__(
        self, result: GradeResult, *, change: Change | None = None, id: str | None = None
    ) -> None:
        options, self.spans = build(result, change)
        super().__init__(*options, id=id)

    def marks(self) -> list[Mark]:
        """Spans to highlight in the answer at rest: reasoning points made and red flags raised."""
        return [
            m
            for m in self.spans.values()
            if m.kind in ("covered", "partial", "raised", "contradicted")
        ]
