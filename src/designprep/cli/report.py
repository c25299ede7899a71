"""Plain-text rendering of a grading result for the terminal."""

from __future__ import annotations

import textwrap

from designprep.bank import Prompt
from designprep.grading import GradeResult

_POINT_MARK = {"covered": "✓", "partial": "~", "missed": "✗"}
_CONCEPT_MARK = {"found": "✓", "rejected": "⊘", "listed": "·", "missed": "✗"}


def _quote(text: str, width: int = 96) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > width:
        one_line = one_line[: width - 1] + "…"
    return f"      “{one_line}”"


def render(result: GradeResult, prompt: Prompt, *, model_answer: bool = False) -> str:
    out = [
        f"{prompt.id} — {prompt.title}",
        f"Score {result.score}/100   {result.verdict}",
        "",
        "Reasoning points",
    ]
    for p in result.points:
        out.append(f"  {_POINT_MARK[p.status]} {p.text}  [{p.status}, {p.similarity:.2f}]")
        if p.evidence:
            out.append(_quote(p.evidence.text))
    out += ["", "Key concepts"]
    for c in result.concepts:
        label = {"rejected": "rejected", "listed": "listed only, not used in a sentence"}.get(
            c.status, c.status
        )
        out.append(f"  {_CONCEPT_MARK[c.status]} {c.term}  [{label}]")
        if c.evidence and c.status in {"found", "rejected"}:
            out.append(_quote(c.evidence.text))
    if result.red_flags:
        out += ["", "Red flags"]
        for f in result.red_flags:
            mark = {"raised": "!", "rejected": "✓", "clear": "✓"}[f.status]
            cost = f"  -{f.penalty:g}" if f.status == "raised" else ""
            out.append(f"  {mark} {f.text}  [{f.status}]{cost}")
            if f.evidence:
                out.append(_quote(f.evidence.text))
    out += ["", "Score arithmetic", *("  " + line for line in result.breakdown.explain())]
    if model_answer:
        out += ["", "Model answer", textwrap.indent(prompt.model_answer.strip(), "  ")]
    if prompt.follow_ups:
        out += ["", "Follow-up questions"] + [f"  • {q}" for q in prompt.follow_ups]
    return "\n".join(out)
