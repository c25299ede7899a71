"""Turn analysed sentences into weighted word features for matching.

A feature is a stem, or ``#concept-id`` for a whole concept mention, so 'W&B',
'wandb' and 'Weights & Biases' are one feature. Each occurrence carries its polarity
(inside a negation scope or not) and its *owner*: the concept whose clause it sits in,
which is how "W&B for research, MLflow for production" keeps its roles apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from designprep.grading.concepts import ConceptMatcher, Mention
from designprep.grading.text import Sentence, analyze


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    negated: bool
    owner: str | None
    hypothetical: bool = False


def concept_feature(concept_id: str) -> str:
    return "#" + concept_id


class Idf:
    """Inverse document frequency of stems over a corpus of short documents."""

    def __init__(
        self, documents: Iterable[Iterable[str]], known_words: frozenset[str] = frozenset()
    ) -> None:
        df: Counter[str] = Counter()
        n = 0
        for doc in documents:
            n += 1
            df.update(set(doc))
        self.n = n
        self.max = math.log((1 + n) / 1) + 1
        # Words the corpus itself uses are real words: never "corrected" into another.
        self.known_words = known_words
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}

    def __call__(self, term: str) -> float:
        return self._idf.get(term, self.max)


class SpellFixer:
    """Map a misspelt answer word to a word the rubric uses ('reproducable' -> 'reproduc')."""

    def __init__(self, words: Mapping[str, str], known: frozenset[str] = frozenset()) -> None:
        self._known = known  # real words of the bank, left alone
        self._stem_of = dict(words)  # surface -> stem
        self._stems = set(words.values())
        self._surfaces = list(words)
        self._cache: dict[str, str] = {}

    def __call__(self, surface: str, stem: str) -> str:
        if (
            stem in self._stems
            or len(surface) < 5
            or not surface.isalpha()
            or surface in self._known
        ):
            return stem
        hit = self._cache.get(surface)
        if hit is None:
            allowed = 1 if len(surface) <= 8 else 2
            best = process.extractOne(
                surface, self._surfaces, scorer=OSA.distance, score_cutoff=allowed
            )
            hit = self._stem_of[best[0]] if best and best[0][0] == surface[0] else stem
            if len(self._cache) < 4096:
                self._cache[surface] = hit
        return hit


def sentence_features(
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    role_concepts: frozenset[str],
    spell: SpellFixer | None = None,
) -> list[list[Feature]]:
    """Features of each sentence, with concept mentions folded into one feature each."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[list[Feature]] = []
    carried: str | None = None
    for sent in sentences:
        ms = by_sentence.get(sent.index, [])
        roles = [m for m in ms if m.concept_id in role_concepts]
        owners = _owners(sent, roles, carried)
        if roles:
            carried = roles[-1].concept_id
        starts = {m.first: m for m in ms}
        feats: list[Feature] = []
        k = 0
        toks = sent.tokens
        while k < len(toks):
            hit = starts.get(k)
            if hit is not None:
                feats.append(
                    Feature(
                        concept_feature(hit.concept_id),
                        hit.negated,
                        owners[k],
                        toks[hit.first].hypothetical,
                    )
                )
                k = hit.last
                continue
            t = toks[k]
            if not t.stop:
                name = spell(t.text, t.stem) if spell else t.stem
                feats.append(Feature(name, t.negated, owners[k], t.hypothetical))
            k += 1
        out.append(feats)
    return out


def _owners(sent: Sentence, mentions: Sequence[Mention], carried: str | None) -> list[str | None]:
    """The role concept each token belongs to.

    In a clause that names one, the nearest before (or the first after); in a clause that
    names none, the nearest in the sentence ("MLflow for tracking, debugging and research");
    in a sentence that names none, the last one named in the sentence before ("They ...").
    """
    toks = sent.tokens
    if not mentions:
        return [carried] * len(toks)
    owners: list[str | None] = [None] * len(toks)
    clause_mentions: dict[int, list[Mention]] = {}
    for m in mentions:
        clause_mentions.setdefault(toks[m.first].clause, []).append(m)
    for k, t in enumerate(toks):
        ms = clause_mentions.get(t.clause) or list(mentions)
        before = [m for m in ms if m.first <= k]
        owners[k] = (before[-1] if before else ms[0]).concept_id
    return owners


@dataclass(frozen=True)
class PhraseFeatures:
    """A rubric phrase as weighted features, with the tool each one is said of."""

    pos: dict[str, float]
    neg: dict[str, float]
    owners: dict[str, str | None]

    @property
    def total(self) -> float:
        return sum(self.pos.values()) + sum(self.neg.values())


def phrase_features(
    text: str,
    matcher: ConceptMatcher,
    weigh: Callable[[str], float],
    role_concepts: frozenset[str],
) -> PhraseFeatures:
    """Weights and owners of a rubric phrase, analysed exactly as an answer is."""
    sentences = analyze(text)
    feats = sentence_features(sentences, matcher.find(sentences), role_concepts)
    pos: dict[str, float] = {}
    neg: dict[str, float] = {}
    owners: dict[str, str | None] = {}
    for f in (f for fs in feats for f in fs):
        (neg if f.negated else pos)[f.name] = weigh(f.name)
        owners.setdefault(f.name, f.owner)
    return PhraseFeatures(pos, neg, owners)
