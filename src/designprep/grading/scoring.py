"""How a grading's parts add up to one score, 0-100.

coverage = points x 0.70 + gate x (concepts x 0.18 + overlap x 0.12), where
gate = min(1, points / 0.5): naming concepts and echoing the model answer only pay once
the answer actually reasons (and points of shared rubrics, such as interview structure,
are gated the same way by the prompt's own points).
score = 100 x coverage ** 0.5 x relevance - red-flag penalties - hints x hint_penalty,
clamped to 0-100. The square root is the partial credit an interviewer gives: half the
reasoning is a borderline answer (~70), not a failing one (~50). ``relevance`` is 1
unless the answer is plainly about another prompt of the bank (see ``topic``).
"""

from __future__ import annotations

from collections.abc import Sequence

from designprep.bank.models import Prompt
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

GRADER_VERSION = "1.0"

W_POINTS, W_CONCEPTS, W_OVERLAP = 70.0, 18.0, 12.0
GATE_AT = 0.5  # point coverage from which concepts and overlap count in full
OVERLAP_FULL = 0.55  # share of the model answer's content that counts as full overlap
CURVE_POWER = 0.5  # score = 100 x coverage ** CURVE_POWER
CURVE_FLOOR = 0.02  # coverage below this is noise and scores 0
DEPTH_SENTENCES = 3  # sentences from which an answer counts as explained, not summarised


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
) -> GradeResult:
    """The result, with the arithmetic that led to its score.

    ``sentences`` counts the answer's real sentences: a one- or two-sentence answer is a
    summary, and an interviewer gives a summary less than the same points explained.
    """
    own_rubric = prompt.rubrics[0]
    own = [p for p in points if p.rubric == own_rubric]
    own_val = _weighted_credit(own)
    gate = _clamp(own_val / GATE_AT)
    # Shared rubrics (structure and the like) only pay in proportion to the prompt's own
    # reasoning: a well-structured answer to another question earns nothing here.
    total_w = sum(p.weight for p in points) or 1.0
    p_val = (
        sum(p.weight * p.credit * (1.0 if p.rubric == own_rubric else gate) for p in points)
        / total_w
    )
    c_total = sum(c.weight for c in concepts)
    c_val = sum(c.weight for c in concepts if c.status == "found") / c_total if c_total else p_val
    o_val = _clamp(overlap / OVERLAP_FULL)
    gate_note = f"counted x{gate:.2f}: reasoning coverage below {GATE_AT:.0%}" if gate < 1 else ""
    covered = sum(1 for p in points if p.status == "covered")
    partial = sum(1 for p in points if p.status == "partial")
    found = sum(1 for c in concepts if c.status == "found")
    components = (
        Component(
            "reasoning points",
            p_val,
            W_POINTS,
            p_val * W_POINTS,
            f"{covered} covered, {partial} partial of {len(points)}",
        ),
        Component(
            "key concepts",
            c_val,
            W_CONCEPTS,
            gate * c_val * W_CONCEPTS,
            "; ".join(x for x in (f"{found} of {len(concepts)} named", gate_note) if x),
        ),
        Component("model-answer overlap", o_val, W_OVERLAP, gate * o_val * W_OVERLAP, gate_note),
    )
    depth = min(1.0, (sentences + 1) / (DEPTH_SENTENCES + 1))
    coverage = sum(c.points for c in components) / 100
    effective = _clamp((coverage * depth - CURVE_FLOOR) / (1 - CURVE_FLOOR))
    curved = 100 * effective**CURVE_POWER
    # Relevance scales the curved score, not the coverage: the curve's generosity to
    # partial answers is for answers to this question.
    relevant = curved * topic.factor
    flag_penalty = sum(f.penalty for f in flags if f.status == "raised")
    hint_penalty = float(max(0, hints_used) * prompt.hint_penalty)
    score = round(min(100.0, max(0.0, relevant - flag_penalty - hint_penalty)))
    breakdown = Breakdown(
        components=components,
        coverage=round(coverage, 4),
        depth=round(depth, 3),
        relevance=round(topic.factor, 3),
        closest_prompt=topic.closest,
        curved=round(curved, 2),
        red_flag_penalty=flag_penalty,
        hint_penalty=hint_penalty,
        score=score,
    )
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
