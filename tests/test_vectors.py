"""Our TF-IDF arithmetic agrees with scikit-learn's, which it stands in for at start-up."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from designprep.grading.vectors import TfidfSpace, char_ngrams

DOCS = [
    "Host MLflow in our own VPC, air-gapped.",
    "W&B for research and experiment tracking; reports for investors.",
    "The registry gates production deployments.",
    "",
]
QUERIES = ["We host MLflow inside the VPC for research", "nothing in common here", "VPC VPC vpc"]


@pytest.mark.parametrize("query", QUERIES)
def test_char_ngram_similarities_match_scikit_learn(query: str) -> None:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    fitted = vectorizer.fit_transform(DOCS)
    expected = (fitted @ vectorizer.transform([query]).T).toarray().ravel()
    mine = TfidfSpace([char_ngrams(d) for d in DOCS]).similarities(char_ngrams(query))
    np.testing.assert_allclose(mine, expected, atol=1e-12)


def test_word_similarities_match_scikit_learn() -> None:
    docs = [d.lower().split() for d in DOCS]
    vectorizer = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True)
    fitted = vectorizer.fit_transform(docs)
    query = "we host mlflow in our own vpc vpc".split()
    expected = (fitted @ vectorizer.transform([query]).T).toarray().ravel()
    np.testing.assert_allclose(TfidfSpace(docs).similarities(query), expected, atol=1e-12)


def test_many_queries_at_once_match_one_at_a_time() -> None:
    from designprep.grading.vectors import TfidfSpace, char_ngrams

    docs = ["redis cache in front", "kafka for click events", "base62 codes from a counter"]
    space = TfidfSpace([char_ngrams(d) for d in docs])
    queries = ["a redis cache", "click events to kafka", "", "zzz qqq"]
    many = space.similarities_many([char_ngrams(q) for q in queries])
    for row, q in enumerate(queries):
        assert many[row] == pytest.approx(space.similarities(char_ngrams(q)))
