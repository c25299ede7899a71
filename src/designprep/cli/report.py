"""Plain-text rendering of a grading result for the terminal."""

from __future__ import annotations

import os
import textwrap
from typing import TextIO

from designprep.bank import Prompt
from designprep.bank.visible import visible
from designprep.grading import GradeResult

_POINT_MARK = {"covered": "✓", "partial": "~", "missed": "✗", "contradicted": "⊗"}
_CONCEPT_MARK = {"found": "✓", "rejected": "⊘", "listed": "·", "missed": "✗"}
_COLOURS = {"✓": "32", "~": "33", "✗": "31", "⊘": "36", "·": "2", "!": "1;31", "⊗": "1;31"}
_QUOTE_LINES = 4  # a long sentence is shown whole up to this many lines


def use_colour(stream: TextIO) -> bool:
    """Colour for a terminal, unless NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _quote(text: str, width: int = 92) -> str:
    """The evidence sentence, wrapped: the matched words are never cut off a long line."""
    lines = textwrap.wrap(f"“{visible(' '.join(text.split()))}”", width, max_lines=_QUOTE_LINES)
    return "\n".join("      " + line for line in lines)


def render(
    result: GradeResult, prompt: Prompt, *, model_answer: bool = False, colour: bool = False
) -> str:
    def mark(symbol: str) -> str:
        return _paint(symbol, _COLOURS[symbol], colour)

    def heading(text: str) -> str:
        return _paint(text, "1", colour)

    def v(text: str) -> str:  # bank or imported text: shown, never run by the terminal
        return visible(text, one_line=True)

    out = [
        f"{v(prompt.id)} — {v(prompt.title)}",
        heading(f"Score {result.score}/100   {v(result.verdict)}"),
        "",
        heading("Reasoning points"),
    ]
    for p in result.points:
        out.append(f"  {mark(_POINT_MARK[p.status])} {v(p.text)}  [{p.status}, {p.similarity:.2f}]")
        if p.evidence:
            out.append(_quote(p.evidence.text))
    out += ["", heading("Key concepts")]
    for c in result.concepts:
        label = {"rejected": "rejected", "listed": "listed only, not used in a sentence"}.get(
            c.status, c.status
        )
        out.append(f"  {mark(_CONCEPT_MARK[c.status])} {v(c.term)}  [{label}]")
        if c.evidence and c.status in {"found", "rejected"}:
            out.append(_quote(c.evidence.text))
    if result.red_flags:
        out += ["", heading("Red flags")]
        for f in result.red_flags:
            symbol = {"raised": "!", "rejected": "✓", "clear": "✓"}[f.status]
            cost = ""
            if f.status == "raised":
                cost = (
                    "  caps the score: breaks a stated constraint"
                    if f.disqualifying
                    else (f"  -{f.penalty:g}")
                )
            out.append(f"  {mark(symbol)} {v(f.text)}  [{f.status}]{cost}")
            if f.evidence:
                out.append(_quote(f.evidence.text))
    out += ["", heading("Score arithmetic")]
    out += ["  " + v(line) for line in result.breakdown.explain()]
    if model_answer:
        answer = visible(prompt.model_answer.strip())
        out += ["", heading("Model answer"), textwrap.indent(answer, "  ")]
    if prompt.follow_ups:
        out += ["", heading("Follow-up questions")] + [f"  • {v(q)}" for q in prompt.follow_ups]
    return "\n".join(out)
