"""Fuzzy filtering of prompts by title and tags, for the browse table (no Textual here).

Each word of the query must match the prompt's title or one of its tags: as a substring
(best), as a tight subsequence of letters ("urlshrt" finds "URL shortener"), or, for words
of four letters or more, as a word with a typo or two ("kubernets", "helth"). Results
come best first. Linear in the number of prompts: a keystroke over 1,000 prompts takes a
few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from designprep.bank import Prompt

TYPO_CUTOFF = 80.0  # rapidfuzz similarity of a query word to a word of the title or tags
TYPO_MIN_LENGTH = 4
_WORD_START = re.compile(r"(?:^|[\s\-_/(\"'])(\w)")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Match:
    prompt: Prompt
    score: float


@dataclass(frozen=True)
class _Haystack:
    text: str  # lower-cased title and tags, one line
    word_starts: frozenset[int]
    tokens: frozenset[str]


@lru_cache(maxsize=8192)
def _haystack(title: str, tags: tuple[str, ...]) -> _Haystack:
    text = " ".join((title, *tags)).lower()
    return _Haystack(
        text,
        frozenset(m.start(1) for m in _WORD_START.finditer(text)),
        frozenset(_TOKEN.findall(text)),
    )


def _max_span(word: str) -> int:
    """How spread out a subsequence match may be: letters strewn over a whole title are noise."""
    return 2 * len(word) + 4


def _subsequence_span(word: str, text: str) -> int | None:
    """Length of the shortest stretch of ``text`` holding the letters of ``word`` in order."""
    best: int | None = None
    start = text.find(word[0])
    while start != -1:
        pos = start
        for ch in word[1:]:
            pos = text.find(ch, pos + 1)
            if pos == -1:
                return best  # a later start cannot find the letters either
        span = pos - start + 1
        if best is None or span < best:
            best = span
            if best == len(word):
                break
        start = text.find(word[0], start + 1)
    return best


def _typo_score(word: str, token: str, **_: object) -> float:
    """Similarity of a query word to one word of a title: whole word, or a typed prefix of it."""
    whole = fuzz.ratio(word, token)
    if len(token) > len(word):
        return max(whole, fuzz.ratio(word, token[: len(word)]))
    return whole


class _Query:
    """One query, prepared: its words, and per word the title words it matches with typos."""

    def __init__(self, query: str, vocabulary: Iterable[str]) -> None:
        self.words = query.lower().split()
        self._vocabulary = vocabulary
        self._typos: dict[str, frozenset[str]] = {}

    def typo_tokens(self, word: str) -> frozenset[str]:
        if word not in self._typos:
            if not isinstance(self._vocabulary, frozenset):
                self._vocabulary = frozenset(self._vocabulary)
            found = process.extract(
                word, self._vocabulary, scorer=_typo_score, score_cutoff=TYPO_CUTOFF, limit=None
            )
            self._typos[word] = frozenset(token for token, _, _ in found)
        return self._typos[word]

    def word_score(self, word: str, hay: _Haystack) -> float:
        """How well one query word matches: 0 is no match, higher is better."""
        at = hay.text.find(word)
        if at >= 0:
            return 3.0 + (1.0 if at in hay.word_starts else 0.0) + min(len(word), 10) / 10
        span = _subsequence_span(word, hay.text)
        if span is not None and span <= _max_span(word):
            return 1.0 + len(word) / span  # 1..2: tighter is better
        if len(word) >= TYPO_MIN_LENGTH and not hay.tokens.isdisjoint(self.typo_tokens(word)):
            return 0.5
        return 0.0

    def score(self, hay: _Haystack) -> float:
        if not self.words:
            return 1.0
        total = 0.0
        for word in self.words:
            s = self.word_score(word, hay)
            if s == 0:
                return 0.0
            total += s
        return total


def score(query: str, prompt: Prompt) -> float:
    """Match score of one prompt for a query; 0 when some word of the query does not match."""
    hay = _haystack(prompt.title, tuple(prompt.tags))
    return _Query(query, hay.tokens).score(hay)


def filter_prompts(
    prompts: Iterable[Prompt],
    query: str = "",
    *,
    category: str | None = None,
    difficulty: str | None = None,
) -> list[Match]:
    """Prompts passing the category and difficulty filters and matching the query.

    With an empty query the given order is kept; otherwise the best matches come first
    (ties keep the given order).
    """
    candidates = [
        (p, _haystack(p.title, tuple(p.tags)))
        for p in prompts
        if (not category or p.category == category)
        and (not difficulty or p.difficulty == difficulty)
    ]
    prepared = _Query(query, (token for _, hay in candidates for token in hay.tokens))
    kept = [Match(p, s) for p, hay in candidates if (s := prepared.score(hay)) > 0]
    if prepared.words:
        kept.sort(key=lambda m: -m.score)  # stable: ties keep the given order
    return kept
