"""Reference-answer mode: grading against a model answer, with and without peers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from designprep.grading import AnswerError
from designprep.grading.reference import (
    MIN_PEERS,
    ReferenceIndex,
    char_tfidf,
    grade_reference,
    grade_reference_group,
)
from designprep.grading.text import stem

QUESTION = "What is the role of a prototype program in problem solving?"
REFERENCE = "To simulate the behaviour of portions of the desired software product."
GOOD = "A prototype simulates the behaviour of portions of the desired software product."
PARTIAL = "It simulates part of the program before it is finished."
ECHO = "A prototype program has a role in problem solving."
WRONG = "It is the final compiled version of the program that ships to customers."

PEERS = [
    "It simulates portions of the desired product so the risky parts can be tested early.",
    "A prototype simulates the behaviour of parts of the software before it is built.",
    "To simulate portions of the final software product and check the design.",
    "It lets you try out part of the desired software product quickly.",
    "Simulates the behavior of a portion of the product.",
    "It is a model of the software that shows the customer what the product will do.",
]


def score(answer: str, **kw: object) -> int:
    return grade_reference(QUESTION, REFERENCE, answer, **kw).score  # type: ignore[arg-type]


def test_result_shape() -> None:
    res = grade_reference(QUESTION, REFERENCE, GOOD, prompt_id="1.1")
    assert res.mode == "reference"
    assert res.prompt_id == "1.1"
    assert 0 <= res.score <= 100
    assert res.verdict
    assert res.red_flags == ()
    assert res.points and all(p.rubric == "reference" for p in res.points)
    assert res.breakdown.score == res.score
    assert [c.name for c in res.breakdown.components] == ["reference content", "reference wording"]
    assert any("reference" in n for n in res.notes)
    assert res.to_dict()["mode"] == "reference"


def test_concepts_are_distinctive_reference_words_not_question_words() -> None:
    index = ReferenceIndex(QUESTION, REFERENCE)
    ids = {t.stem for t in index.distinctive}
    expected = {stem(w) for w in ("simulate", "behaviour", "portions", "desired", "software")}
    assert expected <= ids
    assert stem("prototype") not in ids  # the question gives it away
    res = grade_reference(QUESTION, REFERENCE, GOOD)
    found = {c.id for c in res.concepts if c.status == "found"}
    assert {"simul", "portion", "softwar"} <= found
    assert all(c.evidence is not None for c in res.concepts if c.status == "found")


def test_points_are_reference_clauses() -> None:
    index = ReferenceIndex(
        "What is the difference between a function prototype and a function definition?",
        "A function prototype includes the function signature, i.e., the name of the function, "
        "the return type, and the parameters' type. The function definition includes the actual "
        "body of the function.",
    )
    texts = [text for text, _ in index.points]
    assert texts[0] == "A function prototype includes the function signature"
    assert texts[-1] == "The function definition includes the actual body of the function"
    assert "the return type" in texts


def test_ordering_good_partial_echo_wrong() -> None:
    good, partial, echo, wrong = (score(a) for a in (GOOD, PARTIAL, ECHO, WRONG))
    assert good > partial > wrong
    assert good > echo  # repeating the question is not answering it
    assert score(REFERENCE) >= 90


def test_typos_and_inflection_still_match() -> None:
    clean = score("It simulates the behaviour of portions of the desired product.")
    typo = score("It simulte the behavour of portion of the desird product.")
    assert typo >= clean - 10
    assert typo > score(WRONG) + 20


def test_negated_reference_content_counts_less() -> None:
    said = grade_reference(QUESTION, REFERENCE, "It does simulate the software product.")
    denied = grade_reference(QUESTION, REFERENCE, "It does not simulate the software product.")
    assert denied.score < said.score
    status = {c.id: c.status for c in denied.concepts}
    assert status["simul"] == "rejected"


def test_deterministic() -> None:
    assert grade_reference(QUESTION, REFERENCE, PARTIAL, peers=PEERS) == grade_reference(
        QUESTION, REFERENCE, PARTIAL, peers=PEERS
    )


def test_peers_mode_components_and_note() -> None:
    res = grade_reference(QUESTION, REFERENCE, PARTIAL, peers=PEERS)
    names = [c.name for c in res.breakdown.components]
    assert names == ["reference content", "consensus content", "peer agreement"]
    assert any(f"{len(PEERS)} other answers" in n for n in res.notes)
    assert score(GOOD, peers=PEERS) > score(WRONG, peers=PEERS)


def test_too_few_peers_fall_back_to_reference_only() -> None:
    few = PEERS[: MIN_PEERS - 1]
    res = grade_reference(QUESTION, REFERENCE, PARTIAL, peers=few)
    assert res.score == score(PARTIAL)
    assert any("reference only" in n for n in res.notes)


def test_group_equals_one_by_one_with_the_others_as_peers() -> None:
    answers = [GOOD, PARTIAL, ECHO, WRONG, *PEERS]
    group = grade_reference_group(QUESTION, REFERENCE, answers, prompt_id="q")
    assert len(group) == len(answers)
    for k, res in enumerate(group):
        others = answers[:k] + answers[k + 1 :]
        alone = grade_reference(QUESTION, REFERENCE, answers[k], peers=others, prompt_id="q")
        assert abs(alone.breakdown.coverage - res.breakdown.coverage) < 1e-9
        assert abs(alone.score - res.score) <= 1  # rounding of a float summed in another order


def test_group_without_peers_equals_reference_only() -> None:
    answers = [GOOD, PARTIAL, WRONG]
    group = grade_reference_group(QUESTION, REFERENCE, answers, use_peers=False)
    assert [r.score for r in group] == [score(a) for a in answers]


def test_empty_answer_and_reference_are_errors() -> None:
    with pytest.raises(AnswerError):
        grade_reference(QUESTION, REFERENCE, "   ")
    with pytest.raises(ValueError):
        grade_reference(QUESTION, "", GOOD)


def test_char_tfidf_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [GOOD, PARTIAL, "a  b\tcd  Ünïcode — x", *PEERS, ""]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = vec.fit_transform(texts).toarray()
    for row, mine in zip(matrix, char_tfidf(texts), strict=True):
        expected = {g: row[i] for g, i in vec.vocabulary_.items() if row[i]}
        assert mine.keys() == expected.keys()
        assert all(abs(mine[g] - expected[g]) < 1e-12 for g in mine)


def test_reference_mode_imports_neither_textual_nor_scikit_learn() -> None:
    code = (
        "import sys; from designprep.grading.reference import grade_reference_group as g; "
        "g('q?', 'a reference answer', ['one answer', 'two answers', 'three', 'four'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'sklearn')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
