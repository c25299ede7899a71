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
    """Documents fitted once; any new feature list compared with all of them by cosine.

    The fitted vectors are kept sparse and term-major (for each term, the documents that
    use it and its weight in each): a prompt's phrasings share about 3% of their character
    n-grams, so a dense matrix would spend ~8 MB per prompt on zeros, and a query only
    ever reads the rows of its own terms.
    """

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        counts = [Counter(doc) for doc in documents]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        terms = sorted(df)
        self.vocabulary = {term: i for i, term in enumerate(terms)}
        self.n_docs = n = len(documents)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in terms], dtype=np.float64)
        rows = [self._weights(c) for c in counts]
        cols = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=int)
        vals = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0)
        docs = np.repeat(np.arange(n), [len(r[0]) for r in rows]) if rows else cols
        order = np.argsort(cols, kind="stable")
        self._docs = docs[order]
        self._vals = vals[order]
        self._start = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=len(terms)), out=self._start[1:])

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
            return np.zeros(self.n_docs)
        # Gather each query term's postings in one go and sum them per document.
        starts = self._start[cols]
        lens = self._start[cols + 1] - starts
        total = int(lens.sum())
        if not total:
            return np.zeros(self.n_docs)
        at = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
        weights = self._vals[at] * np.repeat(vals, lens)
        return np.bincount(self._docs[at], weights=weights, minlength=self.n_docs)

    def similarities_many(self, queries: Sequence[Sequence[str]]) -> np.ndarray:
        """Cosines of each query with every fitted document: queries x documents."""
        out = np.zeros((len(queries), self.n_docs))
        for row, q in enumerate(queries):
            out[row] = self.similarities(q)
        return out
