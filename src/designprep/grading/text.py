"""Text analysis for grading: tokens, sentences, clauses, stems, negation scope.

Everything here is deterministic and pure. Offsets always point into the original
answer text so evidence can be quoted and highlighted exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

# Function words: never content, and their presence is what makes a line prose.
STOPWORDS = frozenset(
    """
    a an the and or of to in on at by for from with into onto over under as is are was were be
    been being am do does did doing have has had having i me my we us our ours you your he she it
    its they them their this that these those there here which who whom whose what when where why
    how than then so such also just very too can could would should will shall may might must
    if else each any all some both either more most much many few other another same own only
    up down out off about above below between through during before after again further once
    instead rather let lets i'd we'd we'll i'll it's that's there's via per etc e g ie eg vs one two
    """.split()
)

# Words whose presence in a line signals a sentence rather than a list of terms.
_PROSE_MARKERS = STOPWORDS - {"and", "or", "vs", "etc", "e", "g", "ie", "eg", "one", "two"}

# Negation and contrast cues. Each flips polarity from the cue to the end of its clause.
_NEG_WORDS = frozenset(
    """
    not no never cannot avoid avoids avoiding avoided without nor neither nothing none
    unlike reject rejects rejected rejecting prevent prevents preventing forbid forbids
    prohibit prohibits
    """.split()
)
_NEG_PAIRS = {("instead", "of"), ("rather", "than"), ("opposed", "to"), ("place", "of")}
_NEG_AFTER_NOT = {"only", "just", "merely", "simply"}  # "not only X but Y" is no negation
_CHOICE_VERBS = frozenset(
    "prefer prefers preferred pick picks picked choose chooses chose chosen favor favour "
    "favors favours select selects selected recommend recommends go".split()
)
_CLAUSE_WORDS = frozenset(
    "but whereas while although though however yet unlike except then otherwise".split()
)

_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*")
# Symbols that glue two word characters into one term: W&B, CI/CD, A/B.
_GLUE_RE = re.compile(r"(?<=\w)[&/+](?=\w)")
_CLAUSE_PUNCT_RE = re.compile(r"[;:,()\[\]{}—–]|\s-\s")
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"')\]]*(?=\s)|\n")
_ABBREVIATIONS = frozenset("e.g i.e etc vs approx dr mr ms no fig cf incl esp".split())


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower-cased surface form
    stem: str
    start: int
    end: int
    clause: int  # index of the clause in the whole text
    negated: bool = False
    cue: bool = False  # the token is itself a negation cue
    stop: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    prose: bool


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word.isdigit() or len(word) <= 3:
        return word
    return str(_STEMMER.stemWord(word))


def normalize(text: str) -> str:
    """NFKC with curly quotes straightened; the length of the text may change."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def compact(text: str) -> str:
    """Letters and digits only, lower case: 'ML-flow' and 'ml flow' both give 'mlflow'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _token_form(surface: str) -> tuple[str, bool]:
    """(word, is_negation_cue) for one regex token, handling contractions."""
    word = surface.casefold().replace("’", "'")
    if word.endswith("n't"):
        return "not", True
    if "'" in word:
        word = word.split("'", 1)[0]
    return word, word in _NEG_WORDS


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.end()
        if m.group() != "\n":
            # "e.g. foo" and "vs. bar" do not end a sentence.
            before = text[start : m.start()].rsplit(None, 1)
            last = before[-1].casefold().rstrip(".") if before else ""
            if m.group() == "." and last in _ABBREVIATIONS:
                continue
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def analyze(text: str) -> list[Sentence]:
    """Split ``text`` into sentences of tokens with clause ids and negation scope."""
    glued = _GLUE_RE.sub("_", text)  # same length: offsets stay valid
    sentences: list[Sentence] = []
    clause = 0
    for s_start, s_end in _sentence_spans(text):
        chunk = glued[s_start:s_end]
        # Clause boundaries from punctuation, as offsets inside the chunk.
        cuts = sorted(m.start() for m in _CLAUSE_PUNCT_RE.finditer(chunk))
        tokens: list[Token] = []
        raw = list(_TOKEN_RE.finditer(chunk))
        forms = [_token_form(m.group()) for m in raw]
        negated = False
        prev_word = ""
        cut_i = 0
        clause += 1
        choice_seen = False
        for i, m in enumerate(raw):
            while cut_i < len(cuts) and cuts[cut_i] < m.start():
                cut_i += 1
                clause += 1
                negated = False
                choice_seen = False
            word, is_cue = forms[i]
            if word in _CLAUSE_WORDS and tokens:
                clause += 1
                negated = False
                choice_seen = False
            nxt = forms[i + 1][0] if i + 1 < len(forms) else ""
            if is_cue and word in {"not", "no"} and nxt in _NEG_AFTER_NOT:
                is_cue = False
            if (prev_word, word) in _NEG_PAIRS:
                is_cue = True
            if word == "over" and choice_seen:
                is_cue = True
            if word in _CHOICE_VERBS:
                choice_seen = True
            if is_cue:
                negated = not negated
            surface = word.replace("_", "")
            tokens.append(
                Token(
                    text=word,
                    stem=stem(surface) if not is_cue else word,
                    start=s_start + m.start(),
                    end=s_start + m.end(),
                    clause=clause,
                    negated=negated and not is_cue,
                    cue=is_cue,
                    stop=word in STOPWORDS or is_cue,
                )
            )
            prev_word = word
        sentences.append(
            Sentence(
                index=len(sentences),
                start=s_start,
                end=s_end,
                text=text[s_start:s_end].strip(),
                tokens=tuple(tokens),
                prose=_is_prose(tokens, chunk),
            )
        )
    return sentences


def _is_prose(tokens: list[Token], chunk: str) -> bool:
    """A real sentence, not a list of terms: enough words, some of them function words."""
    if len(tokens) < 4:
        return False
    markers = sum(1 for t in tokens if t.text in _PROSE_MARKERS or t.cue)
    if markers / len(tokens) < 0.12:
        return False
    commas = chunk.count(",")
    # "MLflow, DVC, HIPAA, VPC, registry" is a list even with an 'and' in it.
    return not (commas >= 3 and len(tokens) / (commas + 1) < 2.5)
