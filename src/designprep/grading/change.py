"""What changed between two gradings of answers to the same prompt (a retry).

A point is *gained* when its status rose (missed -> partial -> covered; contradicted is
below missed) and *lost* when it fell; red flags are *raised* or *cleared*. Points are
matched by id, so a rubric edited between the two attempts only compares what both have.
"""

from __future__ import annotations

from dataclasses import dataclass

from designprep.grading.result import GradeResult

_RANK = {"contradicted": 0, "missed": 1, "partial": 2, "covered": 3}


@dataclass(frozen=True)
class Change:
    before: int
    after: int
    gained: tuple[str, ...]  # point texts whose status rose
    lost: tuple[str, ...]  # ... and fell
    flags_raised: tuple[str, ...]
    flags_cleared: tuple[str, ...]

    @property
    def delta(self) -> int:
        return self.after - self.before

    def to_dict(self) -> dict[str, object]:
        return {
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "gained": list(self.gained),
            "lost": list(self.lost),
            "flags_raised": list(self.flags_raised),
            "flags_cleared": list(self.flags_cleared),
        }


def compare(before: GradeResult, after: GradeResult) -> Change:
    old = {p.id: p for p in before.points}
    gained: list[str] = []
    lost: list[str] = []
    for p in after.points:
        was = old.get(p.id)
        if was is None:
            continue
        step = _RANK.get(p.status, 1) - _RANK.get(was.status, 1)
        if step > 0:
            gained.append(p.text)
        elif step < 0:
            lost.append(p.text)
    was_raised = {f.id for f in before.red_flags if f.status == "raised"}
    now_raised = {f.id for f in after.red_flags if f.status == "raised"}
    return Change(
        before.score,
        after.score,
        tuple(gained),
        tuple(lost),
        tuple(f.text for f in after.red_flags if f.id in now_raised - was_raised),
        tuple(f.text for f in after.red_flags if f.id in was_raised - now_raised),
    )
