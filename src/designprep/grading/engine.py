"""The grader: an answer against a prompt's rubrics, sentence by sentence.

Pure functions over values: no I/O, no UI. ``Grader`` holds the indexes it derives
from a bank (IDF weights, concept matchers, vectorised rubric phrases) so repeated
gradings are fast; the same inputs always give the same ``GradeResult``.

How the pieces add up to a score is ``scoring``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from designprep.bank.models import Concept, Point, Prompt, RedFlag, Rubric
from designprep.grading.calibration import CALIBRATION as CAL
from designprep.grading.concepts import ConceptMatcher, Mention
from designprep.grading.features import (
    Feature,
    Idf,
    PhraseFeatures,
    SpellFixer,
    concept_feature,
    phrase_features,
    sentence_features,
)
from designprep.grading.result import (
    ConceptResult,
    ConceptStatus,
    Evidence,
    FlagStatus,
    GradeResult,
    PointResult,
    PointStatus,
    RedFlagResult,
)
from designprep.grading.scoring import score_result
from designprep.grading.structure import answer_substance, detect, note_share, substance
from designprep.grading.text import Sentence, analyze, content_words, is_prose
from designprep.grading.topic import Relevance, TopicModel
from designprep.grading.vectors import TfidfSpace, char_ngrams

if TYPE_CHECKING:
    from designprep.bank.loader import Bank

MAX_ANSWER_CHARS = 50_000


class AnswerError(ValueError):
    """The answer cannot be graded (empty, too long); nothing should be saved."""


def check_answer(answer: str) -> str:
    if not answer or not answer.strip():
        raise AnswerError("the answer is empty; write something to grade")
    if len(answer) > MAX_ANSWER_CHARS:
        raise AnswerError(
            f"the answer is {len(answer):,} characters; the limit is {MAX_ANSWER_CHARS:,}"
        )
    return answer


@dataclass(frozen=True)
class UnusablePhrase:
    """A rubric phrase with fewer than two content words: it could match any sentence."""

    rubric: str
    item_id: str
    index: int  # 0 is the item's text, 1.. its evidence phrases (or contradicted_by's, 0..)
    text: str
    field: str = "evidence"  # or "contradicted_by"


@dataclass(frozen=True)
class _Phrase:
    text: str
    pos: dict[str, float]
    neg: dict[str, float]
    owners: dict[str, str | None]  # the tool each word is said of, if any
    total: float
    # (feature, weight, owner, said negated in the phrase): the loop's flat form
    items: tuple[tuple[str, float, str | None, bool], ...] = ()
    tools: tuple[str, ...] = ()  # concepts the phrase asserts: a flag needs them asserted


@dataclass(frozen=True)
class _Target:
    """A point or red flag, prepared for matching."""

    item: Point | RedFlag
    rubric: str
    phrases: tuple[_Phrase, ...]
    first_phrase: int  # column of its first phrase in the char-similarity matrix
    requires: frozenset[str]
    names: frozenset[str]  # every feature of every phrasing
    detect: str | None = None  # a craft point also judged from structure
    # feature -> (phrase, weight, owner, said negated in the phrase) for every phrasing
    by_name: dict[str, tuple[tuple[int, float, str | None, bool], ...]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class _Unit:
    """One sentence, or two neighbouring ones, of the answer."""

    sentences: tuple[int, ...]
    feats: tuple[Feature, ...]
    concepts: frozenset[str]  # concepts mentioned, any polarity
    worth: float = 1.0  # substance: less for a string of names and jargon


class PromptIndex:
    """Everything about one prompt that does not depend on the answer."""

    def __init__(self, prompt: Prompt, rubrics: Sequence[Rubric], idf: Idf) -> None:
        self.prompt = prompt
        self.concepts: list[tuple[Concept, str]] = [(c, r.id) for r in rubrics for c in r.concepts]
        self.matcher = ConceptMatcher([c for c, _ in self.concepts], idf.known_words)
        self._concept_idf = {
            concept_feature(c.id): max((idf(s) for _, s in content_words(c.term)), default=idf.max)
            for c, _ in self.concepts
        }
        self._idf = idf
        # Role concepts (named tools: MLflow, W&B, Kafka) own the clauses they head, so
        # "MLflow for research, W&B for production" keeps its roles; see Concept.role.
        self.role_concepts = frozenset(c.id for c, _ in self.concepts if c.role)
        self.phrase_texts: list[str] = []
        self.unusable: list[UnusablePhrase] = []  # phrases too short to match, for authors
        self.points = [
            self._target(p, r.id, (p.text, *p.evidence)) for r in rubrics for p in r.points
        ]
        self.flags = [
            self._target(f, r.id, (f.text, *f.evidence)) for r in rubrics for f in r.red_flags
        ]
        # The opposite side of each decision, matched as strictly as a red flag.
        self.contradictions = {
            p.id: self._target(p, r.id, tuple(p.contradicted_by), "contradicted_by")
            for r in rubrics
            for p in r.points
            if p.contradicted_by
        }

        model_sents = analyze(prompt.model_answer)
        model_feats = sentence_features(model_sents, self.matcher.find(model_sents), frozenset())
        self.model_weights = {f.name: self.weight(f.name) for fs in model_feats for f in fs}
        self.model_total = sum(self.model_weights.values()) or 1.0

        vocab: dict[str, str] = {}
        for text in [*self.phrase_texts, prompt.model_answer, prompt.prompt]:
            for s in analyze(text):
                for t in s.tokens:
                    if not t.stop and t.text.isalpha():
                        vocab.setdefault(t.text, t.stem)
        self.spell = SpellFixer(vocab, idf.known_words)
        self._char: TfidfSpace | None = None

    def weight(self, name: str) -> float:
        return self._concept_idf.get(name) or self._idf(name)

    def _target(
        self, item: Point | RedFlag, rubric_id: str, texts: Sequence[str], field: str = "evidence"
    ) -> _Target:
        first = len(self.phrase_texts)
        phrases = []
        for k, text in enumerate(texts):
            f: PhraseFeatures = phrase_features(text, self.matcher, self.weight, self.role_concepts)
            if len(f.pos) + len(f.neg) >= CAL.min_phrase_features:
                items = tuple(
                    (name, w, f.owners[name], negated)
                    for negated, part in ((False, f.pos), (True, f.neg))
                    for name, w in part.items()
                )
                tools = tuple(n for n in f.pos if n.startswith("#"))
                phrases.append(_Phrase(text, f.pos, f.neg, f.owners, f.total, items, tools))
                self.phrase_texts.append(text)
            else:
                self.unusable.append(UnusablePhrase(rubric_id, item.id, k, text, field))
        requires = frozenset(item.requires_any) if isinstance(item, Point) else frozenset()
        names = frozenset(n for ph in phrases for n in (*ph.pos, *ph.neg))
        kind = item.detect if isinstance(item, Point) else None
        by_name: dict[str, list[tuple[int, float, str | None, bool]]] = {}
        for k, ph in enumerate(phrases):
            for name, w, owner, negated in ph.items:
                by_name.setdefault(name, []).append((k, w, owner, negated))
        return _Target(
            item,
            rubric_id,
            tuple(phrases),
            first,
            requires,
            names,
            kind,
            {n: tuple(v) for n, v in by_name.items()},
        )

    def char_similarity(self, texts: Sequence[str]) -> Any:
        """Cosine of character n-gram TF-IDF vectors: units (rows) x phrases (columns)."""

        if self._char is None:
            docs = [char_ngrams(t) for t in (*self.phrase_texts, self.prompt.model_answer)]
            self._char = TfidfSpace(docs)
        phrases = len(self.phrase_texts)
        sims = self._char.similarities_many([char_ngrams(t) for t in texts])
        return sims[:, :phrases].reshape(len(texts), phrases)


class Grader:
    """Grades answers to the prompts of one bank. Build once, grade many times."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self._idf: Idf | None = None
        self._topics: TopicModel | None = None
        self._indexes: dict[str, PromptIndex] = {}

    @property
    def idf(self) -> Idf:
        if self._idf is None:
            self._idf = bank_idf(self.bank.prompts.values(), self.bank.rubrics.values())
        return self._idf

    def index(self, prompt: Prompt) -> PromptIndex:
        key = prompt.id
        if key not in self._indexes:
            self._indexes[key] = PromptIndex(prompt, self.bank.rubrics_for(prompt), self.idf)
        return self._indexes[key]

    @property
    def topics(self) -> TopicModel:
        if self._topics is None:
            self._topics = TopicModel(list(self.bank.prompts.values()), self.bank.rubrics)
        return self._topics

    def prepare(self) -> Grader:
        """Derive the bank-wide statistics now (word weights, topic model), e.g. to cache them."""
        _ = self.idf, self.topics
        return self

    def __getstate__(self) -> dict[str, Any]:
        # Per-prompt indexes are large (character n-gram matrices) and cheap to rebuild
        # for the one prompt a run grades: they are never pickled.
        return {**self.__dict__, "_indexes": {}}

    def warm_up(self) -> None:
        """Build the shared indexes ahead of the first grading."""
        for prompt in list(self.bank.prompts.values())[:1]:
            self.grade(prompt, "We would warm up the grader with a short sentence.")

    def grade(self, prompt: Prompt | str, answer: str, hints_used: int = 0) -> GradeResult:
        if isinstance(prompt, str):
            prompt = self.bank.prompt(prompt)
        topics = self.topics
        return grade_with_index(
            self.index(prompt),
            answer,
            hints_used,
            relevance=lambda stems: topics.relevance(prompt.id, stems),
        )


def bank_idf(prompts: Iterable[Prompt], rubrics: Iterable[Rubric]) -> Idf:
    """IDF over every sentence and rubric phrase in the bank: 'data' is cheap, 'vpc' is not."""

    known: set[str] = set()

    def content(text: str) -> list[str]:
        words = content_words(text)
        known.update(w for w, _ in words)
        return [s for _, s in words]

    def docs() -> Iterator[list[str]]:
        for p in prompts:
            for text in (p.prompt, p.model_answer, *p.hints, *p.follow_ups):
                for line in re.split(r"(?<=[.!?])\s+|\n", text):
                    yield content(line)
        for r in rubrics:
            for c in r.concepts:
                yield content(c.term)
            items: list[Point | RedFlag] = [*r.points, *r.red_flags]
            for item in items:
                for text in (item.text, *item.evidence):
                    yield content(text)

    documents = list(docs())
    return Idf(documents, frozenset(known))


def grade_with_index(
    index: PromptIndex,
    answer: str,
    hints_used: int = 0,
    relevance: Callable[[list[str]], Relevance] | None = None,
) -> GradeResult:
    """Grade ``answer`` with a prepared index; ``relevance`` judges whether it is on topic."""
    check_answer(answer)
    prompt = index.prompt
    sentences = analyze(answer)
    mentions = index.matcher.find(sentences)
    feats = sentence_features(sentences, mentions, index.role_concepts, index.spell)
    concept_tokens = [0] * len(sentences)
    for m in mentions:
        concept_tokens[m.sentence] += m.last - m.first
    prose = [is_prose(s, n) for s, n in zip(sentences, concept_tokens, strict=True)]
    worth = [substance(s, n) for s, n in zip(sentences, concept_tokens, strict=True)]
    units = _units(sentences, prose, feats, mentions, worth)
    char = _char_similarity(index, answer, sentences, units)
    sets = _UnitSets(units)
    single = {u.sentences[0]: k for k, u in enumerate(units) if len(u.sentences) == 1}

    def evidence(sentence: int) -> Evidence:
        s = sentences[sentence]
        return Evidence(answer[s.start : s.end].strip(), s.start, s.end)

    def quoted(t: _Target, row: list[float], best: int) -> Evidence:
        """The one sentence that matched: of a two-sentence window, the better one."""
        u = units[best]
        if len(u.sentences) > 1:
            cands = [j for j in u.sentences if j in single]
            if cands:
                return evidence(max(cands, key=lambda j: row[single[j]]))
        return evidence(u.sentences[0])

    own = index.prompt.rubrics[0]
    point_rows = [_unit_sims(t, sets, char, flag=False) for t in index.points]
    # How well each sentence reads as a correct point of this prompt's own rubric: a claim
    # is only a wrong side (a red flag, a contradiction) where it reads better as that.
    best_reading = [
        max(
            (row[ui] for t, row in zip(index.points, point_rows, strict=True) if t.rubric == own),
            default=0.0,
        )
        for ui in range(len(units))
    ]

    def wrong_side(t: _Target, against: list[float]) -> tuple[float, int | None, list[float]]:
        """The best sentence asserting ``t`` that reads better as it than as ``against``."""
        row = _unit_sims(t, sets, char, flag=True)
        live = [v if v >= CAL.assert_at and v > against[ui] else 0.0 for ui, v in enumerate(row)]
        sim, best = _best_of(live)
        return sim, best, row

    point_results: list[PointResult] = []
    for t, row in zip(index.points, point_rows, strict=True):
        assert isinstance(t.item, Point)
        sim, best = _best_of(row)
        ev = quoted(t, row, best) if best is not None else None
        if t.detect:
            strength, at = detect(t.detect, sentences, prose)
            shown = CAL.credit_from + strength * (CAL.credit_full - CAL.credit_from)
            if strength and shown > sim:
                sim, ev = shown, evidence(at)
        credit = _clamp((sim - CAL.credit_from) / (CAL.credit_full - CAL.credit_from))
        status: PointStatus = (
            "covered" if sim >= CAL.covered_at else "partial" if sim >= CAL.partial_at else "missed"
        )
        contra = index.contradictions.get(t.item.id)
        if contra is not None:
            c_sim, c_best, c_row = wrong_side(contra, row)
            # The answer takes the other side: unless it makes the point more plainly
            # elsewhere ("301 is cheaper ... so we return 302"), the decision is wrong.
            if c_best is not None and c_sim > sim:
                status, credit, ev = (
                    "contradicted",
                    CAL.contradicted_credit,
                    quoted(contra, c_row, c_best),
                )
                sim = c_sim
        point_results.append(
            PointResult(
                id=t.item.id,
                text=t.item.text,
                rubric=t.rubric,
                weight=t.item.weight,
                status=status,
                similarity=round(sim, 3),
                credit=round(credit, 3),
                evidence=ev if status != "missed" else None,
            )
        )

    flag_results: list[RedFlagResult] = []
    for t in index.flags:
        assert isinstance(t.item, RedFlag)
        sim, best, row = wrong_side(t, best_reading)
        opp_row = _unit_sims(t, sets, char, flag=True, opposite=True)
        opp_sim, opp_best = _best_of(opp_row)
        flag_status: FlagStatus
        fev: Evidence | None
        if best is not None:
            flag_status, fev = "raised", quoted(t, row, best)
        elif opp_sim >= CAL.flag_at and opp_best is not None:
            flag_status, fev = "rejected", quoted(t, opp_row, opp_best)
        else:
            flag_status, fev = "clear", None
        flag_results.append(
            RedFlagResult(
                t.item.id,
                t.item.text,
                t.rubric,
                t.item.penalty,
                flag_status,
                fev,
                disqualifying=t.item.disqualifying,
            )
        )

    concept_results = _concept_results(index, sentences, prose, mentions)
    overlap = _overlap(index, prose, feats, worth)
    stems = [t.stem for s in sentences for t in s.tokens if not t.stop]
    topic = relevance(stems) if relevance else Relevance(1.0, 1.0, prompt.id)
    return score_result(
        prompt,
        point_results,
        concept_results,
        flag_results,
        overlap,
        topic,
        hints_used,
        answer,
        sentences=sum(prose),
        substance=answer_substance(sentences),
        notes=note_share(sentences),
    )


def _units(
    sentences: Sequence[Sentence],
    prose: Sequence[bool],
    feats: Sequence[Sequence[Feature]],
    mentions: Sequence[Mention],
    worth: Sequence[float],
) -> list[_Unit]:
    """Each prose sentence, and each pair of neighbours in the same paragraph."""
    concepts_in: dict[int, set[str]] = {}
    for m in mentions:
        concepts_in.setdefault(m.sentence, set()).add(m.concept_id)
    units: list[_Unit] = []
    for i in range(len(sentences)):
        if not prose[i]:
            continue
        spans: list[tuple[int, ...]] = [(i,)]
        if (
            i + 1 < len(sentences)
            and prose[i + 1]
            and sentences[i + 1].paragraph == sentences[i].paragraph
        ):
            spans.append((i, i + 1))
        for span in spans:
            cs = frozenset().union(*(concepts_in.get(j, set()) for j in span))
            units.append(
                _Unit(
                    span, tuple(f for j in span for f in feats[j]), cs, min(worth[j] for j in span)
                )
            )
    return units


def _char_similarity(
    index: PromptIndex, answer: str, sentences: Sequence[Sentence], units: Sequence[_Unit]
) -> Any:
    """Character n-gram similarity, unit x phrase; a window takes its better sentence's."""
    import numpy as np

    rows = sorted({i for u in units for i in u.sentences})
    if not rows:
        return np.zeros((0, len(index.phrase_texts)))
    per_sentence = index.char_similarity(
        [answer[sentences[i].start : sentences[i].end] for i in rows]
    )
    at = {i: r for r, i in enumerate(rows)}
    return np.vstack([per_sentence[[at[i] for i in u.sentences]].max(axis=0) for u in units])


Said = dict[str, set[str | None]]  # feature name -> the tools it is said of (None: no tool)


class _UnitSets:
    """What each unit says, and says negated, computed once per grading."""

    def __init__(self, units: Sequence[_Unit]) -> None:
        self.units = units
        self._all = [_said(u.feats) for u in units]
        # A red flag is an assertion: hypotheticals ("its cloud would receive PHI") don't count.
        self._asserted = [_said([f for f in u.feats if not f.hypothetical]) for u in units]
        self._names_all: list[frozenset[str] | None] = [None] * len(units)
        self._names_asserted: list[frozenset[str] | None] = [None] * len(units)

    def get(self, ui: int, flag: bool) -> tuple[Said, Said]:
        return self._asserted[ui] if flag else self._all[ui]

    def names(self, ui: int, flag: bool) -> frozenset[str]:
        """Every feature the unit says, either way round."""
        cache = self._names_asserted if flag else self._names_all
        if cache[ui] is None:
            pos, neg = self.get(ui, flag)
            cache[ui] = frozenset(pos) | frozenset(neg)
        return cache[ui]  # type: ignore[return-value]


def _said(feats: Sequence[Feature]) -> tuple[Said, Said]:
    pos: Said = {}
    neg: Said = {}
    for f in feats:
        (neg if f.negated else pos).setdefault(f.name, set()).add(f.owner)
    return pos, neg


def _unit_sims(
    t: _Target, sets: _UnitSets, char: Any, *, flag: bool, opposite: bool = False
) -> list[float]:
    out = [0.0] * len(sets.units)
    n_phrases = len(t.phrases)
    for ui, u in enumerate(sets.units):
        if flag and len(u.sentences) > 1:
            continue  # a red flag is asserted within one sentence
        shared = t.names & sets.names(ui, flag)
        if not shared:
            continue  # shares no word with any phrasing: recall 0, below every threshold
        pos, neg = sets.get(ui, flag)
        same = [0.0] * n_phrases
        opp = [0.0] * n_phrases
        for name in shared:
            po, no = pos.get(name), neg.get(name)
            for k, w, owner, phrase_neg in t.by_name[name]:
                # Role binding: "W&B for research" is not met by "MLflow for research".
                said_pos = po is not None and (owner is None or owner in po or None in po)
                said_neg = no is not None and (owner is None or owner in no or None in no)
                if phrase_neg:
                    said_pos, said_neg = said_neg, said_pos
                if said_pos:
                    same[k] += w
                elif said_neg:
                    opp[k] += w
        if opposite:
            same, opp = opp, same
        # A point's required concept is usually named when the point is made, but a
        # mechanism explained without its name ("write the event in the same
        # transaction" for an outbox) still makes it: a discount, not a gate.
        required = 1.0 if not t.requires or t.requires & u.concepts else CAL.requires_missing
        for k, ph in enumerate(t.phrases):
            if not same[k] and not opp[k]:
                continue  # recall 0: below every threshold whatever the n-grams say
            if flag:
                # A red flag needs most of its words said its way round, and none of
                # the tools it names rejected ("W&B's cloud is out").
                recall = same[k] / ph.total
                if recall < CAL.assert_recall or any(
                    n not in (neg if opposite else pos) for n in ph.tools
                ):
                    continue
            else:
                # Negation scope is approximate, so a few words on the other side of it
                # do not matter; a sentence that mostly says the opposite earns little.
                s_k, o_k = same[k], opp[k]
                recall = (s_k + (o_k if s_k >= o_k else CAL.opposite_credit * o_k)) / ph.total
            sim = CAL.w_recall * recall + CAL.w_char * float(char[ui, t.first_phrase + k])
            if not flag:
                sim *= u.worth * required  # buzzwords name the point without making it
            if sim > out[ui]:
                out[ui] = min(sim, 1.0)
    return out


def _best_of(row: list[float]) -> tuple[float, int | None]:
    if not row or max(row) <= 0:
        return 0.0, None
    best = max(range(len(row)), key=row.__getitem__)
    return row[best], best


def _concept_results(
    index: PromptIndex,
    sentences: Sequence[Sentence],
    prose: Sequence[bool],
    mentions: Sequence[Mention],
) -> list[ConceptResult]:
    out: list[ConceptResult] = []
    for concept, rubric_id in index.concepts:
        ms = [m for m in mentions if m.concept_id == concept.id]
        asserted = [m for m in ms if not m.negated and prose[m.sentence]]
        rejected = [m for m in ms if m.negated]
        status: ConceptStatus
        if asserted:
            status, m = "found", asserted[0]
        elif rejected:
            status, m = "rejected", rejected[0]
        elif ms:
            status, m = "listed", ms[0]
        else:
            out.append(ConceptResult(concept.id, concept.term, rubric_id, concept.weight, "missed"))
            continue
        s = sentences[m.sentence]
        out.append(
            ConceptResult(
                concept.id,
                concept.term,
                rubric_id,
                concept.weight,
                status,
                Evidence(s.text, s.start, s.end),
            )
        )
    return out


def _overlap(
    index: PromptIndex,
    prose: Sequence[bool],
    feats: Sequence[Sequence[Feature]],
    worth: Sequence[float],
) -> float:
    """Share of the model answer's (IDF-weighted) content the answer's sentences contain."""
    said = {
        f.name for ok, fs, w in zip(prose, feats, worth, strict=True) if ok and w >= 1.0 for f in fs
    }
    got = sum(w for name, w in index.model_weights.items() if name in said)
    return got / index.model_total


def _clamp(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x
