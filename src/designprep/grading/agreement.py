"""How well two sets of scores agree: the figures the grader is judged by.

Pearson and Spearman over all answers; mean absolute error; the share of same-prompt
pairs that both order the same way (what two interviewers grading blind agree on);
the share of answers on the same side of the hire line; the mean signed error per kind
of answer. Pure numpy: used by ``eval``, ``calibrate`` and the benchmarks alike.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

HIRE_LINE = 65  # Hire and above (see result.VERDICTS)


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float | None:
    a, b = np.asarray(x, float), np.asarray(y, float)
    if len(a) < 2:
        return None
    a, b = a - a.mean(), b - b.mean()
    denom = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / denom if denom else None


def _ranks(x: Sequence[float] | np.ndarray) -> np.ndarray:
    """Ranks from 1, ties sharing their average rank."""
    a = np.asarray(x, float)
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(len(a))
    sorted_a = a[order]
    i = 0
    while i < len(a):
        j = i
        while j + 1 < len(a) and sorted_a[j + 1] == sorted_a[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    return pearson(_ranks(x), _ranks(y))


def fit_leave_one_group_out(
    predicted: Sequence[float], gold: Sequence[float], groups: Sequence[str]
) -> list[float]:
    """Map each prediction onto the gold scale with a line fitted on the other groups.

    With a single group, each row is left out in turn instead. Fitted values are clipped
    to the range of the gold scores the line was fitted on.
    """
    x, y = np.asarray(predicted, float), np.asarray(gold, float)
    keys = list(groups)
    if len(set(keys)) < 2:
        keys = [str(i) for i in range(len(keys))]
    key_arr = np.array(keys, dtype=object)
    out = np.zeros(len(x))
    for g in dict.fromkeys(keys):
        held = key_arr == g
        xs, ys = x[~held], y[~held]
        if len(xs) == 0:
            out[held] = y.mean()
            continue
        vx = float(((xs - xs.mean()) ** 2).sum())
        slope = float(((xs - xs.mean()) * (ys - ys.mean())).sum()) / vx if vx else 0.0
        line = ys.mean() + slope * (x[held] - xs.mean())
        out[held] = np.clip(line, ys.min(), ys.max())
    return [float(v) for v in out]


def pairwise_order(a: Sequence[float], b: Sequence[float], groups: Sequence[str]) -> float | None:
    """Share of same-group pairs that ``b`` orders as ``a`` does (pairs ``a`` ties skipped)."""
    by: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by[g].append(i)
    agree = total = 0
    for idx in by.values():
        for i, j in combinations(idx, 2):
            da, db = a[i] - a[j], b[i] - b[j]
            if da == 0:
                continue
            total += 1
            agree += 1 if da * db > 0 else 0
    return agree / total if total else None


@dataclass(frozen=True)
class Agreement:
    n: int
    pearson: float | None
    spearman: float | None
    mae: float
    pairwise: float | None
    hire_line: float  # share on the same side of HIRE_LINE
    bias_by_kind: dict[str, tuple[int, float]] = field(default_factory=dict)  # kind -> (n, mean)

    def lines(self) -> list[str]:
        def f(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.3f}"

        out = [
            f"n {self.n}   Spearman {f(self.spearman)}   Pearson {f(self.pearson)}   "
            f"MAE {self.mae:.1f}   pairwise {f(self.pairwise)}   "
            f"hire line {self.hire_line:.0%}"
        ]
        if self.bias_by_kind:
            out.append(
                "  bias by kind (grader - human): "
                + ", ".join(
                    f"{k} {m:+.1f} (n={n})" for k, (n, m) in sorted(self.bias_by_kind.items())
                )
            )
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "pearson": self.pearson,
            "spearman": self.spearman,
            "mae": round(self.mae, 2),
            "pairwise": self.pairwise,
            "hire_line": round(self.hire_line, 4),
            "bias_by_kind": {
                k: {"n": n, "mean": round(m, 2)} for k, (n, m) in self.bias_by_kind.items()
            },
        }


def agreement(
    human: Sequence[float],
    graded: Sequence[float],
    groups: Sequence[str],
    kinds: Sequence[str] | None = None,
) -> Agreement:
    h, g = np.asarray(human, float), np.asarray(graded, float)
    bias: dict[str, tuple[int, float]] = {}
    if kinds is not None:
        by: dict[str, list[float]] = defaultdict(list)
        for k, a, b in zip(kinds, h, g, strict=True):
            by[k].append(float(b - a))
        bias = {k: (len(v), sum(v) / len(v)) for k, v in by.items()}
    return Agreement(
        n=len(h),
        pearson=pearson(h, g),
        spearman=spearman(list(h), list(g)),
        mae=float(np.abs(h - g).mean()) if len(h) else 0.0,
        pairwise=pairwise_order(list(h), list(g), groups),
        hire_line=float(((h >= HIRE_LINE) == (g >= HIRE_LINE)).mean()) if len(h) else 0.0,
        bias_by_kind=bias,
    )


__all__ = [
    "HIRE_LINE",
    "Agreement",
    "agreement",
    "fit_leave_one_group_out",
    "pairwise_order",
    "pearson",
    "spearman",
]
