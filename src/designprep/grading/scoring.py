"""How a grading's signals add up to one score, 0-100.

coverage = points x 0.70 + gate x (concepts x 0.18 + overlap x 0.12), where
gate = min(1, points / 0.5): naming concepts and echoing the model answer only pay once
the answer actually reasons (points of shared rubrics, such as interview structure, are
gated the same way by the prompt's own points). A contradicted decision counts
``contradicted_credit`` (below zero) of its weight.

score = map(coverage x depth x substance) x relevance - red-flag penalties, capped by a raised
disqualifying flag, - hints x hint_penalty, clamped to 0-100. ``map`` is the monotone
score map fitted on the bank's graded samples (``calibration.score_map``); ``depth``
discounts one- and two-sentence summaries; ``substance`` discounts marketing jargon and
raises terse notes, which word recall underpays; ``relevance`` is 1 unless the answer is about
another prompt, or about none (see ``topic``). Every number is in ``calibration``.
"""

from __future__ import annotations

from collections.abc import Sequence

from designprep.bank.models import Prompt
from designprep.grading.calibration import CALIBRATION as CAL
from designprep.grading.calibration import ScoreMap, score_map
from designprep.grading.result import (
    Breakdown,
    Component,
    ConceptResult,
    GradeResult,
    PointResult,
    RedFlagResult,
    verdict_for,
)
from designprep.grading.topic import Relevance

GRADER_VERSION = "2.0"


def raw_coverage(
    prompt: Prompt,
    points: Sequence[PointResult],
    concepts: Sequence[ConceptResult],
    overlap: float,
    sentences: int,
) -> tuple[tuple[Component, ...], float]:
    """(components, depth): the signals before the score map."""
    own_rubric = prompt.rubrics[0]
    own = [p for p in points if p.rubric == own_rubric]
    own_val = max(0.0, _weighted_credit(own))
    gate = _clamp(own_val / CAL.gate_at)
    # Shared rubrics (structure and the like) only pay in proportion to the prompt's own
    # reasoning: a well-structured answer to another question earns nothing here.
    total_w = sum(p.weight for p in points) or 1.0
    p_val = (
        sum(
            p.weight * p.credit * (1.0 if p.rubric == own_rubric or p.credit < 0 else gate)
            for p in points
        )
        / total_w
    )
    c_total = sum(c.weight for c in concepts)
    c_val = sum(c.weight for c in concepts if c.status == "found") / c_total if c_total else p_val
    c_val = max(0.0, c_val)
    o_val = _clamp(overlap / CAL.overlap_full)
    gate_note = (
        f"counted x{gate:.2f}: reasoning coverage below {CAL.gate_at:.0%}" if gate < 1 else ""
    )
    counts = {s: sum(1 for p in points if p.status == s) for s in ("covered", "partial")}
    contradicted = sum(1 for p in points if p.status == "contradicted")
    found = sum(1 for c in concepts if c.status == "found")
    point_note = f"{counts['covered']} covered, {counts['partial']} partial of {len(points)}"
    if contradicted:
        point_note += f"; {contradicted} contradicted, x{CAL.contradicted_credit:g} each"
    components = (
        Component("reasoning points", p_val, CAL.w_points, p_val * CAL.w_points, point_note),
        Component(
            "key concepts",
            c_val,
            CAL.w_concepts,
            gate * c_val * CAL.w_concepts,
            "; ".join(x for x in (f"{found} of {len(concepts)} named", gate_note) if x),
        ),
        Component(
            "model-answer overlap", o_val, CAL.w_overlap, gate * o_val * CAL.w_overlap, gate_note
        ),
    )
    depth = min(1.0, (sentences + 1) / (CAL.depth_sentences + 1))
    return components, depth


def compose(
    components: Sequence[Component],
    *,
    mapping: ScoreMap,
    depth: float = 1.0,
    substance: float = 1.0,
    relevance: Relevance | None = None,
    flag_penalty: float = 0.0,
    cap: float | None = None,
    hint_penalty: float = 0.0,
) -> Breakdown:
    """The one seam every mode scores through: signals in, the printed arithmetic out.

    coverage = the components' points / 100; score = map(coverage x depth x substance)
    x relevance
    - flag_penalty, at most ``cap``, - hint_penalty, rounded and clamped to 0-100.
    """
    # Every factor is rounded as it is printed before the next step uses it, so the printed
    # arithmetic reproduces the score exactly (no hidden digits tip a .5 the other way).
    coverage = round(sum(c.points for c in components) / 100, 4)  # < 0 when decisions are wrong
    depth, substance = round(depth, 3), round(substance, 3)
    curved = round(mapping(coverage * depth * substance), 2)
    factor = round(relevance.factor if relevance else 1.0, 3)
    after = curved * factor - flag_penalty
    if cap is not None:
        after = min(after, cap)
    score = round(min(100.0, max(0.0, after - hint_penalty)))
    return Breakdown(
        components=tuple(components),
        coverage=coverage,
        depth=depth,
        substance=substance,
        relevance=factor,
        closest_prompt=relevance.closest if relevance else "",
        curved=curved,
        red_flag_penalty=flag_penalty,
        hint_penalty=hint_penalty,
        score=score,
        cap=cap,
        map_name=(
            f"score map fitted on {mapping.fitted_on} graded samples"
            if mapping.fitted_on
            else "100 x √coverage"
        ),
    )


def score_result(
    prompt: Prompt,
    points: list[PointResult],
    concepts: list[ConceptResult],
    flags: list[RedFlagResult],
    overlap: float,
    topic: Relevance,
    hints_used: int,
    answer: str,
    sentences: int,
    mapping: ScoreMap | None = None,
    substance: float = 1.0,
    notes: float = 0.0,
) -> GradeResult:
    """The result, with the arithmetic that led to its score.

    ``sentences`` counts the answer's real sentences: a one- or two-sentence answer is a
    summary, and an interviewer gives a summary less than the same points explained.
    """
    components, depth = raw_coverage(prompt, points, concepts, overlap, sentences)
    cap = (
        CAL.disqualify_cap if any(f.status == "raised" and f.disqualifying for f in flags) else None
    )
    breakdown = compose(
        components,
        mapping=mapping or score_map(),
        depth=depth,
        substance=substance * (1 + CAL.note_boost * notes),
        relevance=topic,
        flag_penalty=sum(f.penalty for f in flags if f.status == "raised" and not f.disqualifying),
        cap=cap,
        hint_penalty=float(max(0, hints_used) * prompt.hint_penalty),
    )
    score = breakdown.score
    return GradeResult(
        prompt_id=prompt.id,
        score=score,
        verdict=verdict_for(score),
        concepts=tuple(concepts),
        points=tuple(points),
        red_flags=tuple(flags),
        breakdown=breakdown,
        hints_used=hints_used,
        word_count=len(answer.split()),
        grader_version=GRADER_VERSION,
    )


def _weighted_credit(points: Sequence[PointResult]) -> float:
    total = sum(p.weight for p in points)
    return sum(p.weight * p.credit for p in points) / total if total else 0.0


def _clamp(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x
