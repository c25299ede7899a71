"""Fuzzy filtering of prompts by title and tags, for the browse table (no Textual here).

Each word of the query must match the prompt's title or one of its tags: as a substring
(best), as a subsequence of letters ("mlhc" finds "MLOps ... healthcare"), or, for words
of four letters or more, within a couple of typos ("kubernets"). Results come best first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from designprep.bank import Prompt

TYPO_CUTOFF = 80.0  # rapidfuzz partial_ratio for a word with a typo or two
_WORD_START = re.compile(r"(?:^|[\s\-_/(])(\w)")


@dataclass(frozen=True)
class Match:
    prompt: Prompt
    score: float


@dataclass(frozen=True)
class _Haystack:
    text: str  # lower-cased title and tags, one line
    word_starts: frozenset[int]


@lru_cache(maxsize=4096)
def _haystack(title: str, tags: tuple[str, ...]) -> _Haystack:
    text = " ".join((title, *tags)).lower()
    return _Haystack(text, frozenset(m.start(1) for m in _WORD_START.finditer(text)))


@lru_cache(maxsize=256)
def _subsequence(word: str) -> re.Pattern[str]:
    return re.compile(".*?".join(re.escape(ch) for ch in word))


def _max_span(word: str) -> int:
    """How spread out a subsequence match may be: letters strewn over the whole title
    ("mlops" in "Design search autocomplete (typeahead) ... microservices") are noise."""
    return 2 * len(word) + 4


def _word_score(word: str, hay: _Haystack) -> float:
    """How well one query word matches: 0 is no match, higher is better."""
    at = hay.text.find(word)
    if at >= 0:
        return 3.0 + (1.0 if at in hay.word_starts else 0.0) + min(len(word), 10) / 10
    found = _subsequence(word).search(hay.text)
    if found and found.end() - found.start() <= _max_span(word):
        return 1.0 + len(word) / (found.end() - found.start())  # 1..2: tighter is better
    if len(word) >= 4 and fuzz.partial_ratio(word, hay.text) >= TYPO_CUTOFF:
        return 0.5
    return 0.0


def score(query: str, prompt: Prompt) -> float:
    """Match score of a prompt for a query; 0 when some word of the query does not match."""
    words = query.lower().split()
    if not words:
        return 1.0
    hay = _haystack(prompt.title, tuple(prompt.tags))
    total = 0.0
    for word in words:
        s = _word_score(word, hay)
        if s == 0:
            return 0.0
        total += s
    return total


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
    kept: list[Match] = []
    for prompt in prompts:
        if category and prompt.category != category:
            continue
        if difficulty and prompt.difficulty != difficulty:
            continue
        s = score(query, prompt)
        if s > 0:
            kept.append(Match(prompt, s))
    if query.strip():
        kept.sort(key=lambda m: -m.score)  # stable: ties keep the given order
    return kept


def cycle(options: Sequence[str | None], current: str | None) -> str | None:
    """The option after ``current`` (wrapping round); ``None`` stands for "all"."""
    try:
        i = list(options).index(current)
    except ValueError:
        return options[0] if options else None
    return options[(i + 1) % len(options)]
