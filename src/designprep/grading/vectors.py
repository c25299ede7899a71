"""TF-IDF vectors without scikit-learn's import.

The same vectors as ``sklearn.feature_extraction.text.TfidfVectorizer(sublinear_tf=True)``
(smoothed idf, l2-normalised rows, features outside the fitted vocabulary ignored) - a
test checks they agree. Importing scikit-learn costs about a second, half of the cold
start budget of ``designprep grade``; the arithmetic itself is a few lines of numpy.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

CHAR_NGRAMS = (3, 5)
_SPACES_RE = re.compile(r"\s\s+")


def char_ngrams(text: str, sizes: tuple[int, int] = CHAR_NGRAMS) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space each side.

    The same n-grams as scikit-learn's ``TfidfVectorizer(analyzer="char_wb")``.
    """
    lo, hi = sizes
    grams: list[str] = []
    for word in _SPACES_RE.sub(" ", text.lower()).split():
        w = f" {word} "
        for n in range(lo, hi + 1):
            if len(w) <= n:
                grams.append(w)  # a short word counts once, whole
                break
            grams.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return grams


class TfidfSpace:
    """Documents fitted once; any new feature list compared with all of them by cosine."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        counts = [Counter(doc) for doc in documents]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        self.vocabulary = {term: i for i, term in enumerate(sorted(df))}
        n = len(documents)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[t])) + 1 for t in sorted(df)], dtype=np.float64
        )
        self.matrix = np.zeros((n, len(self.vocabulary)))
        self._by_term: np.ndarray | None = None
        for row, c in enumerate(counts):
            cols, vals = self._weights(c)
            self.matrix[row, cols] = vals

    def _weights(self, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        cols = np.array([self.vocabulary[t] for t in counts if t in self.vocabulary], dtype=int)
        tf = np.array([counts[t] for t in counts if t in self.vocabulary], dtype=np.float64)
        if not len(cols):
            return cols, tf
        vals = (1 + np.log(tf)) * self.idf[cols]
        return cols, vals / np.linalg.norm(vals)

    def similarities(self, features: Sequence[str]) -> np.ndarray:
        """Cosine of ``features`` with every fitted document."""
        cols, vals = self._weights(Counter(features))
        if not len(cols):
            return np.zeros(self.matrix.shape[0])
        result: np.ndarray = self.matrix[:, cols] @ vals
        return result

    def similarities_many(self, queries: Sequence[Sequence[str]]) -> np.ndarray:
        """Cosines of each query with every fitted document: queries x documents.

        Each query is a short vector over a few hundred of the terms, so it is multiplied
        with just those rows of the term-major matrix (a big product of mostly zeros is
        slower, and BLAS threads make it slower still on a busy machine).
        """
        if self._by_term is None:
            self._by_term = np.ascontiguousarray(self.matrix.T)  # a row per term
        out = np.zeros((len(queries), self.matrix.shape[0]))
        for row, q in enumerate(queries):
            cols, vals = self._weights(Counter(q))
            if len(cols):
                out[row] = vals @ self._by_term[cols]
        return out
