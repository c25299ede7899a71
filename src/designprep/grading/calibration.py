"""Every tuned number of the grader, in one place, each with the reason it has its value.

The score map (``score_map.json`` beside this file) is the one part fitted to data: a
monotone map from the grader's raw coverage to the 0-100 an interviewer gives, fitted on
the bank's graded samples by ``designprep calibrate`` (see ``grading.fit``). The rest are
set by hand and named here so that a change to any of them is one edit with its reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Calibration:
    # Point matching: similarity -> status and credit.
    covered_at: float = 0.62  # a phrasing said nearly whole, its way round
    partial_at: float = 0.42  # about half of a phrasing's weighted words
    credit_from: float = 0.42  # = partial_at: a point shown as missed earns nothing
    credit_full: float = 0.66  # from here the point is made in full
    w_recall: float = 0.8  # similarity = recall of the phrase's words ...
    w_char: float = 0.2  # ... + character n-grams (typos, compounds, inflection)
    opposite_credit: float = 0.3  # a word said with the opposite polarity counts this much
    min_phrase_features: int = 2  # a one-word phrase would match any sentence naming it
    # A point's sentence that lacks every concept the point ``requires_any`` of: the
    # mechanism may be explained without its name, so it is discounted, not refused.
    requires_missing: float = 0.7
    # Red flags and contradictions are assertions of one sentence, and a sentence only
    # asserts the wrong side where it reads better as that claim than as any correct point
    # of the prompt's rubric (so "the same user lands in the same bucket on any device" is
    # not "buckets users by device"). Above these, with that comparison, it is raised.
    assert_at: float = 0.65
    assert_recall: float = 0.7  # share of the claim's words said its way round
    flag_at: float = 0.65  # a rejected red flag ("we must never X") is shown from here
    # A contradicted decision earns less than nothing: an interviewer counts a wrong choice
    # against the answer, not as an omission. In shares of the point's weight.
    contradicted_credit: float = -0.5
    # A raised disqualifying red flag (breaks a stated constraint) caps the score below
    # the hire line (65), however fluent the rest: an interviewer fails the design.
    disqualify_cap: float = 40.0
    # Coverage: reasoning points carry the score; concepts and overlap with the model
    # answer only pay once the answer reasons (gate), so a list of names earns nothing.
    w_points: float = 70.0
    w_concepts: float = 18.0
    w_overlap: float = 12.0
    gate_at: float = 0.5  # point coverage from which concepts and overlap count in full
    overlap_full: float = 0.55  # share of the model answer's content that is full overlap
    # One- or two-sentence answers are summaries; full depth from this many sentences.
    depth_sentences: int = 3
    # Structure detectors (estimates, trade-offs, failure modes, requirements): this many
    # sentences that show the craft make the point in full.
    structure_full: float = 2.0
    # Substance: a sentence with no reason, number, contrast or arrow whose content words
    # are mostly concept names and jargon is a string of buzzwords. Its matches count
    # less, down to ``buzz_floor`` at ``buzz_full`` density.
    buzz_from: float = 0.45
    buzz_full: float = 0.85
    buzz_floor: float = 0.3
    # In a sentence that gives reasons, only the jargon counts, and more heavily: a
    # "because" does not turn "robust synergy" into a mechanism.
    buzz_reasoned_weight: float = 1.5
    # The same over the whole answer: real answers use under 2% marketing words (the bank's
    # samples of every other kind: at most 1.7%), buzzword answers 3-20% (mean 8%).
    jargon_from: float = 0.02
    jargon_full: float = 0.10
    jargon_floor: float = 0.35
    # Notes ("302 not 301 -> browsers cache 301") make a point in fewer words than any
    # phrasing, so word recall underpays them; coverage is raised by this share of the
    # answer's note lines. 0.3 is where the bank samples' terse bias, left one prompt
    # out, is closest to 0 (-9.0 at 0, -0.8 at 0.3, +1.4 at 0.45).
    note_boost: float = 0.3
    # Relevance: an answer much closer to another bank prompt than to this one, or close
    # to none (an answer to a problem the bank does not have), is off topic.
    relative_full: float = 0.70  # similarity to this prompt / to the closest one
    relative_zero: float = 0.40
    absolute_full: float = 0.10  # cosine to this prompt's document, from which it is 1
    absolute_zero: float = 0.03  # ... and below which it is 0
    hint_penalty_default: int = 5


CALIBRATION = Calibration()


@dataclass(frozen=True)
class ScoreMap:
    """A monotone, piecewise-linear map from raw coverage (0-1) to a score (0-100)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    fitted_on: int = 0  # samples the map was fitted on
    note: str = ""

    def __call__(self, x: float) -> float:
        xs, ys = self.xs, self.ys
        if x <= xs[0]:
            return ys[0]
        if x >= xs[-1]:
            return ys[-1]
        lo, hi = 0, len(xs) - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if xs[mid] <= x:
                lo = mid
            else:
                hi = mid
        t = (x - xs[lo]) / (xs[hi] - xs[lo]) if xs[hi] > xs[lo] else 0.0
        return ys[lo] + t * (ys[hi] - ys[lo])

    def to_json(self) -> str:
        data = {"xs": self.xs, "ys": self.ys, "fitted_on": self.fitted_on, "note": self.note}
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ScoreMap:
        data = json.loads(text)
        xs, ys = tuple(map(float, data["xs"])), tuple(map(float, data["ys"]))
        if len(xs) != len(ys) or len(xs) < 2 or list(xs) != sorted(xs) or list(ys) != sorted(ys):
            raise ValueError("a score map needs two or more increasing (x, y) knots")
        return cls(xs, ys, int(data.get("fitted_on", 0)), str(data.get("note", "")))


# 100 x sqrt(coverage): the first release's curve, reference mode's (Mohler is measured
# with it), and the fallback without a fitted map. Knots at squares keep it exact to 0.1.
SQRT_MAP = ScoreMap(
    tuple((i / 200) ** 2 for i in range(201)), tuple(i / 2 for i in range(201)), 0, "sqrt"
)
SCORE_MAP_FILE = "score_map.json"


@lru_cache(maxsize=1)
def score_map() -> ScoreMap:
    """The shipped, fitted map; the square-root curve if the file is missing or unreadable."""
    try:
        text = resources.files("designprep.grading").joinpath(SCORE_MAP_FILE).read_text()
        return ScoreMap.from_json(text)
    except (OSError, ValueError, KeyError, TypeError):
        return SQRT_MAP
