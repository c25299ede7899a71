"""Is the answer about this prompt, or about another one in the bank?

Each prompt becomes one document (its text, model answer and rubric phrases); an answer
is compared with all of them by TF-IDF cosine over stems. An answer much closer to
another prompt than to this one (a URL-shortener design handed in for a payments
question), or close to none of them, is off-topic and its score is scaled down. With
one prompt there is nothing to compare against and the factor is always 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from designprep.bank.models import Prompt, Rubric
from designprep.grading.calibration import CALIBRATION as CAL
from designprep.grading.text import content_words
from designprep.grading.vectors import TfidfSpace


@dataclass(frozen=True)
class Relevance:
    factor: float
    ratio: float
    closest: str
    similarity: float = 1.0  # cosine to this prompt's document


def _doc(prompt: Prompt, rubrics: Sequence[Rubric]) -> str:
    parts = [prompt.title, prompt.prompt, prompt.model_answer]
    for r in rubrics[:1]:  # the prompt's own rubric; shared ones say nothing about topic
        parts += [c.term for c in r.concepts]
        parts += [alias for c in r.concepts for alias in c.aliases]
        parts += [x for p in r.points for x in (p.text, *p.evidence)]
    return "\n".join(parts)


def content_stems_of(text: str) -> list[str]:
    return [s for _, s in content_words(text)]


class TopicModel:
    def __init__(self, prompts: Sequence[Prompt], rubrics: Mapping[str, Rubric]) -> None:
        self.ids = [p.id for p in prompts]
        self._row = {pid: i for i, pid in enumerate(self.ids)}
        docs = [content_stems_of(_doc(p, [rubrics[r] for r in p.rubrics])) for p in prompts]
        self._space = TfidfSpace(docs)

    def relevance(self, prompt_id: str, stems: list[str]) -> Relevance:
        row = self._row.get(prompt_id)
        if row is None or len(self.ids) < 2 or not stems:
            return Relevance(1.0, 1.0, prompt_id)
        sims = self._space.similarities(stems)
        best = int(sims.argmax())
        if sims[best] <= 0:
            return Relevance(1.0, 1.0, prompt_id)
        ratio = float(sims[row] / sims[best])
        relative = _ramp(ratio, CAL.relative_zero, CAL.relative_full)
        # Close to no prompt at all (a problem the bank has no prompt for) is off topic
        # too: the ratio alone would call it relevant when every similarity is small.
        absolute = _ramp(float(sims[row]), CAL.absolute_zero, CAL.absolute_full)
        return Relevance(min(relative, absolute), ratio, self.ids[best], float(sims[row]))


def _ramp(x: float, zero: float, full: float) -> float:
    return min(1.0, max(0.0, (x - zero) / (full - zero)))
