"""Reference-answer mode: grade an answer against a model answer alone, with no rubric.

This is how a question bank without rubrics, or a public short-answer benchmark, is
graded. It uses the same pieces as rubric mode (``text.analyze`` for tokens, stems and
negation; ``SpellFixer`` for typos; character n-gram TF-IDF, computed here with the same
vectors as scikit-learn's ``char_wb``; rapidfuzz), and returns the same ``GradeResult``
with ``mode="reference"``:

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
right, so what many of them say is evidence of what the question asks for. Reference
content is then measured against what the best answers reach (recall divided by the
``CONTENT_TOP`` percentile of the peers' recall, capped at 1: a reference often says more
than the question asks), and the wording component gives way to two others:

``consensus content``
    recall of a pseudo-reference: the reference's distinctive words plus every word at
    least ``CONSENSUS_SHARE`` of the peers use (question words excluded), each weighted by
    the share of peers that use it (+ ``CONSENSUS_PRIOR``).
``peer agreement``
    cosine of the answer's character n-gram TF-IDF vector with the centroid of the
    peers' vectors.

Peers mode needs at least ``MIN_PEERS`` peers; with fewer it falls back (and says so in
``notes``). ``grade_reference_group`` grades every answer of a question with the others
as its peers, sharing the work; it gives what ``grade_reference`` gives for each answer
with the rest as ``peers`` (up to float rounding).

Pure: no I/O, no UI. The constants were chosen by hand on assignments 1-6 of the Mohler
et al. (2011) data, never fitted on grades (see benchmarks/accuracy.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from designprep.grading.calibration import SQRT_MAP
from designprep.grading.engine import check_answer
from designprep.grading.features import SpellFixer
from designprep.grading.result import (
    Component,
    ConceptResult,
    ConceptStatus,
    Evidence,
    GradeResult,
    PointResult,
    PointStatus,
    verdict_for,
)
from designprep.grading.scoring import GRADER_VERSION, compose
from designprep.grading.text import Sentence, Token, analyze
from designprep.grading.topic import Relevance
from designprep.grading.vectors import char_ngrams

QUESTION_WEIGHT = 0.3  # weight of a reference word the question already gives away
OPPOSITE_CREDIT = 0.3  # a reference word said with the opposite polarity counts this much
CONSENSUS_SHARE = 0.3  # share of peers using a word that puts it in the pseudo-reference
CONSENSUS_PRIOR = 0.2  # added to a pseudo-reference word's peer share, its weight
CONTENT_TOP = 90  # peers mode: reference content reaching this percentile of peers is full
MIN_PEERS = 3  # fewer peers than this and peers mode falls back to reference only
COVERED_AT, PARTIAL_AT = 0.6, 0.3  # point recall -> status

# (component, weight): the hand-chosen average behind the coverage.
Weights = tuple[tuple[str, float], ...]
WEIGHTS_REFERENCE: Weights = (("reference content", 1.0), ("reference wording", 1.0))
WEIGHTS_PEERS: Weights = (
    ("reference content", 1.0),
    ("consensus content", 1.0),
    ("peer agreement", 1.0),
)


@dataclass(frozen=True)
class _Term:
    stem: str
    surface: str
    weight: float
    polarity: frozenset[bool]  # negated? in each place the reference says it

    def said(self, polarity: frozenset[bool]) -> _Term:
        return _Term(self.stem, self.surface, self.weight, self.polarity | polarity)


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
        terms: dict[str, _Term] = {}
        self.points: list[tuple[str, tuple[_Term, ...]]] = []
        for sent in analyze(reference):
            clauses: dict[int, list[Token]] = {}
            for t in sent.tokens:
                clauses.setdefault(t.clause, []).append(t)
            parts: list[tuple[int, int, list[_Term]]] = []
            for toks in clauses.values():
                content = [self._term(t) for t in toks if not t.stop]
                for term in content:
                    seen = terms.get(term.stem)
                    terms[term.stem] = term if seen is None else seen.said(term.polarity)
                parts.append((toks[0].start, toks[-1].end, content))
            self.points += [
                (reference[a:b].strip(" ,;:-"), tuple({t.stem: t for t in ts}.values()))
                for a, b, ts in _merge_parts(parts)
            ]
        self.terms = list(terms.values())
        self.distinctive = [t for t in self.terms if t.weight == 1.0] or self.terms

    def _term(self, t: Token) -> _Term:
        weight = QUESTION_WEIGHT if t.stem in self.question_stems else 1.0
        return _Term(t.stem, t.text, weight, frozenset([t.negated]))

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
        """1 if the answer says the term the way the reference does, less said the other way."""
        if term.stem not in ans.words:
            return 0.0
        if (False in term.polarity and term.stem in ans.pos) or (
            True in term.polarity and term.stem in ans.neg
        ):
            return 1.0
        return OPPOSITE_CREDIT


def _merge_parts(
    parts: list[tuple[int, int, list[_Term]]],
) -> list[tuple[int, int, list[_Term]]]:
    """Clauses of one sentence as points: a clause of question words only ("the function
    prototype") is no point of its own and joins the next clause (or, last, the one before).
    """
    out: list[tuple[int, int, list[_Term]]] = []
    carry: tuple[int, int, list[_Term]] | None = None
    for a, b, ts in parts:
        if carry is not None:
            a, ts, carry = carry[0], carry[2] + ts, None
        if any(t.weight == 1.0 for t in ts):
            out.append((a, b, ts))
        else:
            carry = (a, b, ts)
    if carry is not None and carry[2]:
        if out:
            a, _, ts = out[-1]
            out[-1] = (a, carry[1], ts + carry[2])
        else:
            out.append(carry)
    return out


def _recall(index: ReferenceIndex, terms: Sequence[_Term], ans: _Answer) -> float:
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    return sum(t.weight * index.credit(t, ans) for t in terms) / total


def char_tfidf(texts: Sequence[str]) -> list[dict[str, float]]:
    """L2-normalised character n-gram TF-IDF vectors of ``texts``, one dict each.

    Sublinear tf and smoothed idf, fitted on ``texts`` themselves: the vectors of
    ``TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)``
    without importing scikit-learn (about a second of start-up, the bulk of a
    benchmark run).
    """
    counts = [Counter(char_ngrams(t)) for t in texts]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(texts)
    idf = {g: math.log((1 + n) / (1 + d)) + 1 for g, d in df.items()}
    out: list[dict[str, float]] = []
    for c in counts:
        vec = {g: (1 + math.log(tf)) * idf[g] for g, tf in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        out.append({g: v / norm for g, v in vec.items()} if norm else {})
    return out


class _PeerContext:
    """Statistics of a question's answers, each answer able to leave itself out.

    Everything an answer needs about "the others" is the whole group's statistic minus
    its own share, so grading a group of n answers costs O(n), not O(n^2).
    """

    def __init__(self, index: ReferenceIndex, answers: Sequence[_Answer]) -> None:
        self.n = len(answers)
        peers = self.n - 1
        self.df: Counter[str] = Counter()
        for a in answers:
            self.df.update(a.words)
        # Pseudo-reference weights with every answer counted (c0) and with the answer
        # itself left out (c1); a word the answer does not use has the same share either way.
        ref = {t.stem for t in index.distinctive if t.weight == 1.0}
        self._c0: dict[str, float] = {}
        self._c1: dict[str, float] = {}
        for stem in ref | self.df.keys():
            if stem in index.question_stems:
                continue
            count = self.df.get(stem, 0)
            for table, share in ((self._c0, count / peers), (self._c1, (count - 1) / peers)):
                if share >= CONSENSUS_SHARE or stem in ref:
                    table[stem] = max(0.0, share) + CONSENSUS_PRIOR
        self._total0 = sum(self._c0.values())

        self.recalls = sorted(_recall(index, index.terms, a) for a in answers)

        rows = char_tfidf([index.question, index.reference, *(a.text for a in answers)])[2:]
        total: Counter[str] = Counter()
        for row in rows:
            total.update(row)
        total_sq = sum(v * v for v in total.values())
        self._agreement: list[float] = []
        for row in rows:
            # cos(row, sum of the other rows) = (row.S - |row|^2) / |S - row|
            dot = sum(v * total[g] for g, v in row.items())
            self_sq = sum(v * v for v in row.values())
            centroid_sq = total_sq - 2 * dot + self_sq
            cos = (dot - self_sq) / math.sqrt(centroid_sq) if centroid_sq > 1e-12 else 0.0
            self._agreement.append(min(1.0, max(0.0, cos)))

    def consensus(self, ans: _Answer) -> float:
        """Recall of the pseudo-reference built from the other answers."""
        total, got = self._total0, 0.0
        for stem in ans.words:
            total -= self._c0.get(stem, 0.0)
            w = self._c1.get(stem, 0.0)
            total += w
            got += w
        return got / total if total > 0 else 0.0

    def content_scale(self, own: float) -> float:
        """What the best answers reach: the ``CONTENT_TOP`` percentile of peers' recall."""
        others = list(self.recalls)
        others.remove(own)
        if not others:
            return 0.0
        pos = (len(others) - 1) * CONTENT_TOP / 100
        lo = math.floor(pos)
        hi = min(lo + 1, len(others) - 1)
        return others[lo] + (others[hi] - others[lo]) * (pos - lo)

    def agreement(self, k: int) -> float:
        return self._agreement[k]


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
    recall = _recall(index, index.terms, ans)
    values: dict[str, tuple[float, str]] = {
        "reference content": (recall, f"question words count x{QUESTION_WEIGHT:.1f}"),
    }
    notes: list[str] = ["graded against the reference answer (no rubric)"]
    weights = WEIGHTS_REFERENCE
    if context is None:
        wording = fuzz.token_set_ratio(ans.text, index.reference, processor=utils.default_process)
        values["reference wording"] = (wording / 100, "rapidfuzz token_set_ratio")
    if context is not None:
        top = context.content_scale(recall)
        if top > 0:
            values["reference content"] = (
                min(1.0, recall / top),
                f"recall {recall:.2f} of the {top:.2f} the best answers reach",
            )
        values["consensus content"] = (
            context.consensus(ans),
            f"words most of the {context.n - 1} other answers use",
        )
        values["peer agreement"] = (context.agreement(k), "character n-grams vs other answers")
        weights = WEIGHTS_PEERS
        notes.append(f"peers mode: {context.n - 1} other answers used as unlabelled context")
    if context is None and peers_given is not None:
        notes.append(
            f"peers mode needs {MIN_PEERS} other answers, got {peers_given}: reference only"
        )
    total_w = sum(w for _, w in weights)
    components = tuple(
        Component(
            name,
            round(values[name][0], 4),
            round(100 * w / total_w, 2),
            round(values[name][0] * 100 * w / total_w, 2),
            values[name][1],
        )
        for name, w in weights
    )
    breakdown = compose(components, mapping=SQRT_MAP, relevance=Relevance(1.0, 1.0, prompt_id))
    score = breakdown.score
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
        same = [d for d, negated in ((ans.pos, False), (ans.neg, True)) if negated in t.polarity]
        opp = [d for d, negated in ((ans.pos, False), (ans.neg, True)) if negated not in t.polarity]
        status: ConceptStatus
        where: int | None = None
        if any(t.stem in d for d in same):
            status, where = "found", min(d[t.stem] for d in same if t.stem in d)
        elif any(t.stem in d for d in opp):
            status, where = "rejected", min(d[t.stem] for d in opp if t.stem in d)
        else:
            status = "missed"
        out.append(
            ConceptResult(t.stem, t.surface, "reference", t.weight, status, _evidence(ans, where))
        )
    return tuple(out)
