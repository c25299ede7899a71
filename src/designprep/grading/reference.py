"""Reference-answer mode: grade an answer against a model answer alone, with no rubric.

This is how a question bank without rubrics, or a public short-answer benchmark, is
graded. It uses the same pieces as rubric mode (``text.analyze`` for tokens, stems and
negation; ``SpellFixer`` for typos; character n-gram TF-IDF; rapidfuzz), and returns the
same ``GradeResult`` with ``mode="reference"``:

* **points** are the reference's clauses: each is covered in proportion to the share of
  its content words the answer says (same polarity; the opposite polarity counts
  ``OPPOSITE_CREDIT``);
* **concepts** are the reference's distinctive terms: its content words that the
  question does not already give away;
* the **score** is ``100 x coverage ** 0.5`` (the partial-credit curve of rubric mode),
  where coverage is a fixed, hand-chosen average of the components below.

Components, each 0-1:

``reference content``
    weighted recall of the reference's content words (stems, typo-tolerant). Words the
    question already contains weigh ``QUESTION_WEIGHT``: repeating the question is not
    answering it.
``reference wording``
    rapidfuzz ``token_set_ratio`` of answer and reference (order-free word overlap).

Peers mode (optional, explicit): ``peers`` are *other* answers to the same question, used
only as unlabelled context, never their grades. Most answers to a question are mostly
right, so what many of them say is evidence of what the question asks for. It replaces
the wording component with two others:

``consensus content``
    recall of a pseudo-reference: the reference's distinctive words plus every word at
    least ``CONSENSUS_SHARE`` of the peers use (question words excluded), each weighted by
    the share of peers that use it (+ ``CONSENSUS_PRIOR``).
``peer agreement``
    cosine of the answer's character n-gram TF-IDF vector with the centroid of the
    peers' vectors.

Peers mode needs at least ``MIN_PEERS`` peers; with fewer it falls back (and says so in
``notes``). ``grade_reference_group`` grades every answer of a question with the others
as its peers, sharing the work; it gives exactly what ``grade_reference`` would give for
each answer with the rest as ``peers``.

Pure: no I/O, no UI. The constants were chosen by hand on assignments 1-6 of the Mohler
et al. (2011) data, never fitted on grades (see benchmarks/accuracy.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, utils

from designprep.grading.engine import GRADER_VERSION, check_answer
from designprep.grading.features import SpellFixer
from designprep.grading.result import (
    Breakdown,
    Component,
    ConceptResult,
    ConceptStatus,
    Evidence,
    GradeResult,
    PointResult,
    PointStatus,
    verdict_for,
)
from designprep.grading.text import Sentence, analyze

QUESTION_WEIGHT = 0.3  # weight of a reference word the question already gives away
OPPOSITE_CREDIT = 0.3  # a reference word said with the opposite polarity counts this much
CONSENSUS_SHARE = 0.3  # share of peers using a word that puts it in the pseudo-reference
CONSENSUS_PRIOR = 0.2  # added to a pseudo-reference word's peer share, its weight
MIN_PEERS = 3  # fewer peers than this and peers mode falls back to reference only
CURVE_POWER = 0.5  # score = 100 x coverage ** CURVE_POWER, as in rubric mode
COVERED_AT, PARTIAL_AT = 0.6, 0.3  # point recall -> status
CHAR_NGRAMS = (2, 5)

# (component, weight): the hand-chosen average behind the coverage.
WEIGHTS_REFERENCE = (("reference content", 1.0), ("reference wording", 1.0))
WEIGHTS_PEERS = (
    ("reference content", 1.0),
    ("consensus content", 1.0),
    ("peer agreement", 1.0),
)


@dataclass(frozen=True)
class _Term:
    stem: str
    surface: str
    weight: float
    negated: bool  # polarity in the reference


@dataclass(frozen=True)
class _Answer:
    """One answer, analysed once: what it says, with which polarity, and where."""

    text: str
    sentences: list[Sentence]
    pos: dict[str, int]  # stem -> first sentence saying it positively
    neg: dict[str, int]  # stem -> first sentence saying it negated
    words: frozenset[str]  # content stems, any polarity


class ReferenceIndex:
    """Everything about a (question, reference) pair that does not depend on the answer."""

    def __init__(self, question: str, reference: str) -> None:
        if not reference or not reference.strip():
            raise ValueError("the reference answer is empty")
        self.question = question
        self.reference = reference
        self.question_stems = frozenset(
            t.stem for s in analyze(question) for t in s.tokens if not t.stop
        )
        vocab: dict[str, str] = {}
        for text in (reference, question):
            for s in analyze(text):
                for t in s.tokens:
                    if not t.stop and t.text.isalpha():
                        vocab.setdefault(t.text, t.stem)
        self.spell = SpellFixer(vocab)
        # Points: the reference's clauses that carry content of their own.
        self.points: list[tuple[str, tuple[_Term, ...]]] = []
        terms: dict[str, _Term] = {}
        ref_text = reference
        for s in analyze(reference):
            clauses: dict[int, list[Any]] = {}
            for t in s.tokens:
                clauses.setdefault(t.clause, []).append(t)
            pending: list[_Term] = []
            start = None
            for toks in clauses.values():
                start = toks[0].start if start is None else start
                for t in toks:
                    if t.stop:
                        continue
                    w = QUESTION_WEIGHT if t.stem in self.question_stems else 1.0
                    term = _Term(t.stem, t.text, w, t.negated)
                    terms.setdefault(t.stem, term)
                    if all(p.stem != t.stem for p in pending):
                        pending.append(term)
                # A clause of question words only ("the function prototype") joins the next.
                if any(p.weight == 1.0 for p in pending):
                    text = ref_text[start : toks[-1].end].strip(" ,;:-")
                    self.points.append((text, tuple(pending)))
                    pending, start = [], None
            if pending and self.points and start is not None:
                text, prev = self.points[-1]
                self.points[-1] = (text + ref_text[start : s.end].rstrip(), prev + tuple(pending))
            elif pending and start is not None:
                self.points.append((ref_text[start : s.end].strip(), tuple(pending)))
        self.terms = list(terms.values())
        self.total = sum(t.weight for t in self.terms) or 1.0
        self.distinctive = [t for t in self.terms if t.weight == 1.0] or self.terms

    def read(self, answer: str) -> _Answer:
        sentences = analyze(answer)
        pos: dict[str, int] = {}
        neg: dict[str, int] = {}
        for s in sentences:
            for t in s.tokens:
                if t.stop:
                    continue
                name = self.spell(t.text, t.stem)
                (neg if t.negated else pos).setdefault(name, s.index)
        return _Answer(answer, sentences, pos, neg, frozenset(pos) | frozenset(neg))

    def credit(self, term: _Term, ans: _Answer) -> float:
        same, opp = (ans.neg, ans.pos) if term.negated else (ans.pos, ans.neg)
        if term.stem in same:
            return 1.0
        return OPPOSITE_CREDIT if term.stem in opp else 0.0


def _recall(index: ReferenceIndex, terms: Sequence[_Term], ans: _Answer) -> float:
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    return sum(t.weight * index.credit(t, ans) for t in terms) / total


class _PeerContext:
    """Statistics of a question's answers, each answer able to leave itself out."""

    def __init__(self, index: ReferenceIndex, answers: Sequence[_Answer]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.n = len(answers)
        self.df: Counter[str] = Counter()
        for a in answers:
            self.df.update(a.words)
        vec: Any = TfidfVectorizer(
            analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, lowercase=True
        )
        matrix = vec.fit_transform([index.question, index.reference, *(a.text for a in answers)])
        self.char = matrix[2:]
        self.char_sum = self.char.sum(axis=0).A1
        self.ref_distinct = {t.stem for t in index.distinctive if t.weight == 1.0}
        self.question_stems = index.question_stems

    def consensus(self, k: int, ans: _Answer) -> float:
        """Recall of the pseudo-reference built from the other answers."""
        peers = self.n - 1
        got = total = 0.0
        for stem, count in self.df.items():
            share = (count - (stem in ans.words)) / peers
            if stem in self.question_stems:
                continue
            if share >= CONSENSUS_SHARE or stem in self.ref_distinct:
                w = share + CONSENSUS_PRIOR
                total += w
                if stem in ans.words:
                    got += w
        for stem in self.ref_distinct - self.df.keys():
            total += CONSENSUS_PRIOR  # a reference word no answer uses
        return got / total if total else 0.0

    def agreement(self, k: int) -> float:
        row = self.char.getrow(k).toarray().ravel()
        centroid = self.char_sum - row
        norm = math.sqrt(float(centroid @ centroid))
        if not norm:
            return 0.0
        return max(0.0, float(row @ centroid) / norm)


def grade_reference(
    question: str,
    reference: str,
    answer: str,
    peers: Sequence[str] | None = None,
    *,
    prompt_id: str = "reference",
    index: ReferenceIndex | None = None,
) -> GradeResult:
    """Grade ``answer`` against ``reference`` (the question's model answer), no rubric.

    ``peers``: other answers to the same question, used as unlabelled context (peers
    mode, see the module docstring); ``None`` grades against the reference alone.
    """
    check_answer(answer)
    index = index or ReferenceIndex(question, reference)
    if peers is None:
        return _grade(index, index.read(answer), None, 0, prompt_id)
    answers = [index.read(answer), *(index.read(p) for p in peers if p and p.strip())]
    context = _PeerContext(index, answers) if len(answers) - 1 >= MIN_PEERS else None
    return _grade(index, answers[0], context, 0, prompt_id, peers_given=len(answers) - 1)


def grade_reference_group(
    question: str,
    reference: str,
    answers: Sequence[str],
    *,
    use_peers: bool = True,
    prompt_id: str = "reference",
) -> list[GradeResult]:
    """Grade every answer to one question; with ``use_peers`` the others are its peers.

    Same results as ``grade_reference(question, reference, a, peers=<the others>)`` for
    each ``a``, with the question analysed once and the peer statistics shared.
    """
    for a in answers:
        check_answer(a)
    index = ReferenceIndex(question, reference)
    read = [index.read(a) for a in answers]
    context = _PeerContext(index, read) if use_peers and len(read) - 1 >= MIN_PEERS else None
    peers_given = len(read) - 1 if use_peers else None
    return [_grade(index, a, context, k, prompt_id, peers_given) for k, a in enumerate(read)]


def _grade(
    index: ReferenceIndex,
    ans: _Answer,
    context: _PeerContext | None,
    k: int,
    prompt_id: str,
    peers_given: int | None = None,
) -> GradeResult:
    values: dict[str, tuple[float, str]] = {
        "reference content": (
            _recall(index, index.terms, ans),
            "question words count x" + format(QUESTION_WEIGHT, ".1f"),
        ),
    }
    wording = fuzz.token_set_ratio(ans.text, index.reference, processor=utils.default_process)
    values["reference wording"] = (wording / 100, "rapidfuzz token_set_ratio")
    notes: list[str] = ["graded against the reference answer (no rubric)"]
    weights = WEIGHTS_REFERENCE
    if context is not None:
        values["consensus content"] = (
            context.consensus(k, ans),
            f"words most of the {context.n - 1} other answers use",
        )
        values["peer agreement"] = (context.agreement(k), "character n-grams vs other answers")
        weights = WEIGHTS_PEERS
        notes.append(f"peers mode: {context.n - 1} other answers used as unlabelled context")
    elif peers_given is not None:
        notes.append(
            f"peers mode needs {MIN_PEERS} other answers, got {peers_given}: reference only"
        )
    total_w = sum(w for _, w in weights)
    components = tuple(
        Component(name, round(values[name][0], 4), round(100 * w / total_w, 2),
                  round(values[name][0] * 100 * w / total_w, 2), values[name][1])
        for name, w in weights
    )
    coverage = sum(values[name][0] * w for name, w in weights) / total_w
    curved = 100 * max(0.0, min(1.0, coverage)) ** CURVE_POWER
    score = int(round(curved))
    breakdown = Breakdown(
        components=components,
        coverage=round(coverage, 4),
        relevance=1.0,
        closest_prompt=prompt_id,
        curved=round(curved, 2),
        red_flag_penalty=0.0,
        hint_penalty=0.0,
        score=score,
    )
    return GradeResult(
        prompt_id=prompt_id,
        score=score,
        verdict=verdict_for(score),
        concepts=_concepts(index, ans),
        points=_points(index, ans),
        red_flags=(),
        breakdown=breakdown,
        word_count=len(ans.text.split()),
        grader_version=GRADER_VERSION,
        mode="reference",
        notes=tuple(notes),
    )


def _evidence(ans: _Answer, sentence: int | None) -> Evidence | None:
    if sentence is None or not ans.sentences:
        return None
    s = ans.sentences[sentence]
    return Evidence(s.text, s.start, s.end)


def _points(index: ReferenceIndex, ans: _Answer) -> tuple[PointResult, ...]:
    out: list[PointResult] = []
    for n, (text, terms) in enumerate(index.points, start=1):
        sim = _recall(index, terms, ans)
        status: PointStatus = (
            "covered" if sim >= COVERED_AT else "partial" if sim >= PARTIAL_AT else "missed"
        )
        hits = Counter(
            s
            for t in terms
            if t.weight == 1.0
            for s in (ans.pos.get(t.stem), ans.neg.get(t.stem))
            if s is not None
        )
        best = hits.most_common(1)[0][0] if hits and status != "missed" else None
        out.append(
            PointResult(
                id=f"ref-{n}",
                text=text,
                rubric="reference",
                weight=round(sum(t.weight for t in terms), 2),
                status=status,
                similarity=round(sim, 3),
                credit=round(sim, 3),
                evidence=_evidence(ans, best),
            )
        )
    return tuple(out)


def _concepts(index: ReferenceIndex, ans: _Answer) -> tuple[ConceptResult, ...]:
    out: list[ConceptResult] = []
    for t in index.distinctive:
        same, opp = (ans.neg, ans.pos) if t.negated else (ans.pos, ans.neg)
        status: ConceptStatus
        if t.stem in same:
            status, where = "found", same[t.stem]
        elif t.stem in opp:
            status, where = "rejected", opp[t.stem]
        else:
            status, where = "missed", None
        out.append(
            ConceptResult(t.stem, t.surface, "reference", t.weight, status, _evidence(ans, where))
        )
    return tuple(out)
