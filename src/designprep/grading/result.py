"""Grading results: plain frozen values, easy to print, store and compare."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ConceptStatus = Literal["found", "rejected", "listed", "missed"]
PointStatus = Literal["covered", "partial", "missed", "contradicted"]
FlagStatus = Literal["raised", "rejected", "clear"]

VERDICTS: tuple[tuple[int, str], ...] = (
    (80, "Strong hire"),
    (65, "Hire"),
    (45, "Lean no hire"),
    (0, "No hire"),
)


def verdict_for(score: int) -> str:
    for floor, name in VERDICTS:
        if score >= floor:
            return name
    return VERDICTS[-1][1]


@dataclass(frozen=True)
class Evidence:
    """The answer's own words: a sentence (or two) and where it sits in the answer."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ConceptResult:
    id: str
    term: str
    rubric: str
    weight: float
    status: ConceptStatus
    evidence: Evidence | None = None


@dataclass(frozen=True)
class PointResult:
    id: str
    text: str
    rubric: str
    weight: float
    status: PointStatus
    similarity: float  # 0-1, best match over the answer's sentences
    credit: float  # 0-1, the share of the weight earned
    evidence: Evidence | None = None


@dataclass(frozen=True)
class RedFlagResult:
    id: str
    text: str
    rubric: str
    penalty: float
    status: FlagStatus
    evidence: Evidence | None = None
    disqualifying: bool = False  # when raised, caps the score below the hire line


@dataclass(frozen=True)
class Component:
    """One term of the score: value (0-1) x weight (share of 100) = points."""

    name: str
    value: float
    weight: float
    points: float
    note: str = ""


@dataclass(frozen=True)
class Breakdown:
    """The score's arithmetic, from components to the final number; each line adds up."""

    components: tuple[Component, ...]
    coverage: float  # sum of component points / 100
    relevance: float  # 1, or less when the answer is off topic
    closest_prompt: str  # the bank prompt the answer is most similar to
    curved: float  # the calibrated score: score map (coverage x depth), before relevance
    red_flag_penalty: float
    hint_penalty: float
    score: int
    depth: float = 1.0  # less for a one- or two-sentence answer (absent in old results)
    cap: float | None = None  # a raised disqualifying red flag's ceiling
    substance: float = 1.0  # less for marketing jargon, more for terse notes
    map_name: str = "100 x √coverage"  # how coverage became a score (absent in old results)

    def explain(self) -> list[str]:
        def line(name: str, value: str, note: str = "") -> str:
            return f"{name:<24} {value:>28}" + (f"   ({note})" if note else "")

        lines = [
            f"{c.name:<24} {c.value:5.2f} x {c.weight:5.1f} = {c.points:5.1f}"
            + (f"   ({c.note})" if c.note else "")
            for c in self.components
        ]
        lines.append(line("coverage", f"{self.coverage * 100:.1f}", "sum of the above"))
        raw = self.coverage * self.depth
        if self.depth < 1:
            lines.append(
                line(
                    "depth",
                    f"x {self.depth:.2f} = {raw * 100:.1f}",
                    "a one- or two-sentence answer",
                )
            )
        if self.substance != 1:
            raw *= self.substance
            lines.append(
                line(
                    "substance",
                    f"x {self.substance:.2f} = {raw * 100:.1f}",
                    "marketing jargon" if self.substance < 1 else "terse notes say more per word",
                )
            )
        lines.append(line("calibrated", f"{self.curved:.1f}", self.map_name))
        after = self.curved
        if self.relevance < 1:
            after = self.curved * self.relevance
            lines.append(
                line(
                    "relevance",
                    f"x {self.relevance:.2f} = {after:.1f}",
                    f"closest prompt: '{self.closest_prompt}'",
                )
            )
        if self.red_flag_penalty:
            after -= self.red_flag_penalty
            lines.append(line("red flags", f"-{self.red_flag_penalty:g} = {after:.1f}"))
        if self.cap is not None and after > self.cap:
            after = self.cap
            lines.append(
                line("disqualifying flag", f"capped at {self.cap:g}", "breaks a stated constraint")
            )
        if self.hint_penalty:
            after -= self.hint_penalty
            lines.append(line("hints used", f"-{self.hint_penalty:g} = {after:.1f}"))
        lines.append(line("score (0-100)", f"{self.score:d}", "rounded, clamped to 0-100"))
        return lines


@dataclass(frozen=True)
class GradeResult:
    prompt_id: str
    score: int
    verdict: str
    concepts: tuple[ConceptResult, ...]
    points: tuple[PointResult, ...]
    red_flags: tuple[RedFlagResult, ...]
    breakdown: Breakdown
    hints_used: int = 0
    word_count: int = 0
    grader_version: str = ""
    mode: Literal["rubric", "reference"] = "rubric"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GradeResult:
        def ev(d: dict[str, Any] | None) -> Evidence | None:
            return Evidence(**d) if d else None

        bd = data["breakdown"]
        return cls(
            prompt_id=data["prompt_id"],
            score=data["score"],
            verdict=data["verdict"],
            concepts=tuple(
                ConceptResult(**{**c, "evidence": ev(c.get("evidence"))}) for c in data["concepts"]
            ),
            points=tuple(
                PointResult(**{**p, "evidence": ev(p.get("evidence"))}) for p in data["points"]
            ),
            red_flags=tuple(
                RedFlagResult(**{**f, "evidence": ev(f.get("evidence"))}) for f in data["red_flags"]
            ),
            breakdown=Breakdown(
                **{**bd, "components": tuple(Component(**c) for c in bd["components"])}
            ),
            hints_used=data.get("hints_used", 0),
            word_count=data.get("word_count", 0),
            grader_version=data.get("grader_version", ""),
            mode=data.get("mode", "rubric"),
            notes=tuple(data.get("notes", ())),
        )
