"""Find rubric concepts in analysed text, tolerant of spacing, hyphens and typos.

Each concept's term and aliases become compact keys ('ML-flow' -> 'mlflow'); windows of
one to a few tokens are compared with them exactly, by stem, and then by edit distance
(rapidfuzz, optimal string alignment) with an allowance that grows with length, so
'Kuberentes' is Kubernetes but 'cache' is never 'cachet'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from designprep.bank.models import Concept
from designprep.grading.polarity import POST_NEG_PHRASES, POST_NEG_TARGETS
from designprep.grading.text import Sentence, Token, analyze, compact, stem


@dataclass(frozen=True, slots=True)
class Mention:
    concept_id: str
    sentence: int
    first: int  # token index range [first, last) in the sentence
    last: int
    negated: bool
    fuzzy: bool


def _allowed_edits(length: int) -> int:
    if length <= 4:
        return 0
    if length <= 8:
        return 1
    return 2


class ConceptMatcher:
    def __init__(
        self, concepts: Sequence[Concept], known_words: frozenset[str] = frozenset()
    ) -> None:
        self.concepts = {c.id: c for c in concepts}
        self._known = known_words  # real words are never typos of a concept
        self._exact: dict[str, str] = {}
        fuzzy: dict[str, str] = {}
        self.max_tokens = 1
        for c in concepts:
            for form in (c.term, *c.aliases):
                words = [t.text.replace("_", "") for s in analyze(form) for t in s.tokens]
                if not words:
                    continue
                self.max_tokens = max(self.max_tokens, len(words) + 1)
                key = compact(form)
                self._exact.setdefault(key, c.id)
                self._exact.setdefault("".join(stem(w) for w in words), c.id)
                if len(key) >= 5:
                    fuzzy.setdefault(key, c.id)
        self._fuzzy_keys = list(fuzzy)
        self._prefixes = {key[:k] for key in self._exact for k in range(1, len(key) + 1)}
        self._fuzzy_ids = [fuzzy[k] for k in self._fuzzy_keys]

    def find(self, sentences: Sequence[Sentence]) -> list[Mention]:
        mentions: list[Mention] = []
        for sent in sentences:
            mentions += self._find_in(sent)
        return mentions

    def _find_in(self, sent: Sentence) -> list[Mention]:
        toks = sent.tokens
        n = len(toks)
        candidates: list[tuple[int, int, int, str, bool]] = []  # (-len, start, end, id, fuzzy)
        windows: list[tuple[int, int, str]] = []
        # Only a window holding a word the bank never uses can be a typo of a concept.
        unknown = [not t.stop and t.text not in self._known for t in toks]
        for i in range(n):
            if toks[i].cue:
                continue
            surface = ""
            stems = ""
            typo_possible = not self._known
            for j in range(i, min(n, i + self.max_tokens)):
                if toks[j].cue:
                    break
                surface += toks[j].text.replace("_", "")
                stems += toks[j].stem
                typo_possible = typo_possible or unknown[j]
                cid = self._exact.get(surface) or self._exact.get(stems)
                if cid:
                    candidates.append((-(j + 1 - i), i, j + 1, cid, False))
                elif typo_possible and len(surface) >= 5 and not toks[i].stop and not toks[j].stop:
                    windows.append((i, j + 1, surface))
                if (
                    not typo_possible
                    and surface not in self._prefixes
                    and stems not in self._prefixes
                ):
                    break  # no concept name starts like this window
        if windows and self._fuzzy_keys:
            candidates += self._fuzzy(windows)
        # Longest first, exact before fuzzy, then left to right; no overlaps.
        candidates.sort(key=lambda c: (c[0], c[4], c[1]))
        taken = [False] * n
        found: list[Mention] = []
        for _neg_len, a, b, cid, fuzzy in candidates:
            if any(taken[a:b]):
                continue
            for k in range(a, b):
                taken[k] = True
            negated = toks[a].forward or _post_negated(toks, b)
            found.append(Mention(cid, sent.index, a, b, negated, fuzzy))
        found.sort(key=lambda m: m.first)
        return found

    def _fuzzy(self, windows: list[tuple[int, int, str]]) -> list[tuple[int, int, int, str, bool]]:
        surfaces = sorted({w[2] for w in windows})
        matrix = process.cdist(
            surfaces, self._fuzzy_keys, scorer=OSA.distance, score_cutoff=2, workers=1
        )
        best: dict[str, str] = {}
        rows, cols = np.nonzero(matrix <= 2)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            surface, key = surfaces[row], self._fuzzy_keys[col]
            dist = int(matrix[row, col])
            if dist <= _allowed_edits(min(len(key), len(surface))) and surface[0] == key[0]:
                best.setdefault(surface, self._fuzzy_ids[col])
        return [(-(b - a), a, b, best[s], True) for a, b, s in windows if s in best]


def _post_negated(toks: Sequence[Token], after: int) -> bool:
    """'X is not an option', 'X is ruled out': a cue shortly after X in the same clause."""
    if after >= len(toks):
        return False
    clause = toks[after - 1].clause
    window = [t for t in toks[after : after + 7] if t.clause == clause]
    words = [t.text for t in window]
    for phrase in POST_NEG_PHRASES:
        for k in range(len(words) - len(phrase) + 1):
            if tuple(words[k : k + len(phrase)]) == phrase:
                return True
    if len(words) >= 2 and words[-1] == "out" and words[-2] in {"is", "are", "s", "be"}:
        return len(window) < 7  # "W&B's cloud is out"
    for k, t in enumerate(window[:4]):
        if t.cue and t.text in {"not", "never", "no", "cannot"}:
            return any(w.text in POST_NEG_TARGETS for w in window[k + 1 : k + 5])
    return False
