"""A prompt's rubric as lines a person reads: what an answer was expected to name, to
reason and not to claim. Shared by the app (Results, u) and ``designprep show --rubric``;
each styles the lines by their kind and shows the text inert (never as markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from designprep.bank.models import Rubric

MAX_ALIASES = 4  # aliases shown per concept: enough to see what counts
Kind = Literal["rubric", "heading", "item", "detail", "disqualifying"]


@dataclass(frozen=True)
class Line:
    kind: Kind
    text: str
    lead: str = ""  # shown in a column before the text: a point's weight, a flag's cost


def _weight(w: float) -> str:
    return f"{w:g}"


def rubric_outline(rubrics: Sequence[Rubric], disqualify_cap: float) -> list[Line]:
    """Per rubric: its key concepts (with aliases), its reasoning points (weight and share
    of the rubric's points, the opposite side where the point is a decision) and its red
    flags (penalty, or the cap of a disqualifying one)."""
    lines: list[Line] = []
    for rubric in rubrics:
        lines.append(Line("rubric", rubric.title or rubric.id))
        if rubric.concepts:
            lines.append(Line("heading", "Key concepts: name them, used in sentences"))
            for c in rubric.concepts:
                names = c.aliases[:MAX_ALIASES] + (["…"] if len(c.aliases) > MAX_ALIASES else [])
                also = f" (also {', '.join(names)})" if c.aliases else ""
                role = "; a tool: the words of its clause are said of it" if c.role else ""
                lines.append(Line("item", f"{c.term}{also}{role}", f"×{_weight(c.weight)}"))
        total = sum(p.weight for p in rubric.points)
        lines.append(Line("heading", "Reasoning points: weight (share of the points)"))
        for p in rubric.points:
            share = f"{100 * p.weight / total:.0f}%"
            lines.append(Line("item", p.text, f"×{_weight(p.weight)} ({share})"))
            if p.contradicted_by:
                lines.append(
                    Line("detail", f"the other side (contradicts it): “{p.contradicted_by[0]}”")
                )
        if rubric.red_flags:
            lines.append(Line("heading", "Red flags: claims that cost points"))
            for f in rubric.red_flags:
                if f.disqualifying:
                    cap = f"disqualifying: caps the score at {disqualify_cap:g}"
                    lines.append(Line("disqualifying", f"{f.text} ({cap})", "✗ cap"))
                else:
                    lines.append(Line("item", f.text, f"−{_weight(f.penalty)}"))
    return lines
