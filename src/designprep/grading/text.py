"""Text analysis for grading: tokens, sentences, clauses, stems, negation scope.

Everything here is deterministic and pure. Offsets always point into the original
answer text so evidence can be quoted and highlighted exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer

from designprep.grading.polarity import (
    CHOICE_VERBS,
    CONDITIONALS,
    DROP_SPEAKERS,
    DROP_VERBS,
    FIRST_PERSON,
    MODALS,
    NEG_PAIRS,
    NEG_WORDS,
    NOT_NEGATING_AFTER_NOT,
    PREDICATE_CUES,
    PREFERENCES,
    TELEGRAPHIC_OVER_WORDS,
)

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

_COORDINATORS = frozenset("and or so then".split())
_SUBJECTS = frozenset("we i you they".split())
_CLAUSE_WORDS = frozenset(
    "but whereas while although though however yet unlike except then otherwise "
    "since because which whereby".split()
)

_REASONING_RE = re.compile(r"\d|->|→|=>|⇒")
_REASON_WORDS = frozenset("because since so therefore otherwise".split())
_BEATS_RE = re.compile(r"(?<![-=>])>+(?!=)|≫")  # "A > B", "A >> B"; not the arrow "->"
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n")
_PLUS_RE = re.compile(r"\s\+\s")
_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*")
# Symbols that glue short word parts into one term: W&B, CI/CD, A/B, I/O (not read/write).
_GLUE_RE = re.compile(r"\b(\w{1,3})[&/+](?=\w{1,3}\b)")
_CLAUSE_PUNCT_RE = re.compile(r"[;:,()\[\]{}—–]|\s-\s")
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"')\]]*(?=\s)|\n")
# A new line starts a new sentence when it opens a list item or follows a blank line,
# a heading-like short line, or a line ending in ':'; otherwise it is hard-wrapped prose.
_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[-*•+>#]|\d+[.)]|[a-z][.)])\s")
_WRAP_WIDTH = 60  # a line this long that stops mid-phrase was hard-wrapped by an editor
_ABBREVIATIONS = frozenset("e.g i.e etc vs approx dr mr ms no fig cf incl esp".split())


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower-cased surface form
    stem: str
    start: int
    end: int
    clause: int  # index of the clause in the whole text
    negated: bool = False  # polarity: inside the scope of a negation cue
    cue: bool = False  # the token is itself a negation cue
    stop: bool = False
    forward: bool = False  # negated by a cue *before* it (how a named tool is rejected)
    hypothetical: bool = False  # in an "if" clause, or a third-person would/could/might


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    markers: int  # function words and cues: what makes a line read as a sentence
    commas: int  # list separators: commas and the '+' of "EKS + Kubeflow + MLflow"
    paragraph: int = 0  # blank-line separated block: evidence never spans two


# Shorthand engineers type, read as the word it stands for: "prod" is "production".
_SHORTHAND = {
    "prod": "production",
    "dev": "development",
    "devs": "developers",
    "repo": "repository",
    "repos": "repositories",
    "config": "configuration",
    "configs": "configurations",
    "infra": "infrastructure",
    "env": "environment",
    "envs": "environments",
    "db": "database",
    "dbs": "databases",
    "perf": "performance",
    "auth": "authentication",
    "authn": "authentication",
    "authz": "authorization",
    "msg": "message",
    "msgs": "messages",
    "svc": "service",
    "req": "request",
    "reqs": "requests",
    "exp": "experiment",
    "exps": "experiments",
    "approx": "approximately",
}
_BRITISH_RE = re.compile(r"is(e|es|ed|ing|er|ers|ation|ations)$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A stem that unites inflections, shorthand and spellings.

    Stemming twice joins what one pass leaves apart ("experimentation" -> "experiment"
    -> "experi", like "experiments"); British -ise/-isation read as -ize/-ization.
    """
    word = _SHORTHAND.get(word, word)
    if word.isdigit() or len(word) <= 3:
        return word
    if len(word) > 5:
        word = _BRITISH_RE.sub(r"iz\1", word)
        if word.endswith("our") and len(word) > 5:
            word = word[:-3] + "or"  # colour, behaviour
    once = str(_STEMMER.stemWord(word))
    return once if len(once) <= 3 else str(_STEMMER.stemWord(once))


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
    return word, word in NEG_WORDS


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.end()
        if m.group() == "\n" and _wrapped_line(text, start, m.start()):
            continue
        if m.group() != "\n":
            # "e.g. foo" and "vs. bar" do not end a sentence.
            before = text[start : m.start()].rsplit(None, 1)
            last = before[-1].casefold().rstrip(".") if before else ""
            if m.group() == "." and last in _ABBREVIATIONS:
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            if m.group() in {".", ")"} and text[line_start : m.start()].strip().isdigit():
                continue  # "1. " opens a numbered list item
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _telegraphic_over(before: list[str], prev: str, nxt: str) -> bool:
    """'302 over 301', 'Self-hosted MLflow over W&B': a note's choice, with no verb.

    Not 'spread load over nodes' (a sentence) nor 'latency over 50 ms' (a threshold).
    """
    if not before or len(before) > TELEGRAPHIC_OVER_WORDS or not nxt or nxt in STOPWORDS:
        return False
    if any(w in STOPWORDS for w in before):
        return False
    return not nxt[0].isdigit() or prev[:1].isdigit()


def _clause_scopes(tokens: list[Token]) -> list[Token]:
    """Add what only a whole clause tells: predicate negation and hypotheticals."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j].clause == tokens[i].clause:
            j += 1
        clause = tokens[i:j]
        words = [t.text for t in clause]
        # "its cloud would receive PHI" is hypothetical as a whole; "alert if accuracy
        # drops" only from the "if" on.
        modal = any(
            w in MODALS and (k == 0 or words[k - 1] not in FIRST_PERSON)
            for k, w in enumerate(words)
        )
        cond_at = next((k for k, w in enumerate(words) if w in CONDITIONALS), len(words))
        # A predicate cue reaches back to the start of its own coordinated part only:
        # in "remove X or not sold Y", "remove X" keeps its polarity.
        later_cues = [0] * len(clause)
        pending = 0
        for k in range(len(clause) - 1, -1, -1):
            t = clause[k]
            if t.text in _COORDINATORS:
                pending = 0
            later_cues[k] = pending
            if t.cue and t.text in PREDICATE_CUES:
                pending += 1
        for k, t in enumerate(clause):
            flip = later_cues[k] % 2 == 1 and not t.cue
            hypothetical = modal or k >= cond_at
            if flip or hypothetical:
                t = replace(t, negated=t.negated != flip, hypothetical=hypothetical)
            out.append(t)
        i = j
    return out


def _wrapped_line(text: str, start: int, newline: int) -> bool:
    """Is the newline at ``newline`` just a hard wrap inside a sentence?"""
    line = text[text.rfind("\n", 0, newline) + 1 : newline].strip()
    rest = text[newline + 1 :]
    if not line or not rest.strip() or rest.startswith("\n") or rest.lstrip(" \t").startswith("\n"):
        return False
    if line.endswith((":", ";")) or len(line) < 30 or _LIST_ITEM_RE.match(rest):
        return False
    if text[start:newline].strip() == "":
        return False
    # Notes put one thought on each line ("Numbers: 40 w/s" / "IDs -> ranges"); a wrapped
    # sentence goes on in lower case, or in an indented continuation of a list item.
    nxt = rest.lstrip(" \t")[:1]
    if nxt.islower() or (rest[:1] in " \t" and _LIST_ITEM_RE.match(line + " ")):
        return True
    last_word = line.rsplit(None, 1)[-1].casefold()
    if nxt.isupper() and last_word in STOPWORDS:
        return True  # "... we'd use" / "MLflow for tracking"
    return nxt.isdigit() and len(line) >= _WRAP_WIDTH and not line.endswith((".", ")", "!", "?"))


def content_words(text: str) -> list[tuple[str, str]]:
    """(word, stem) of every content word, tokenised exactly as ``analyze`` does.

    The fast path for corpus statistics, which need no sentences, clauses or polarity.
    """
    glued = _GLUE_RE.sub(r"\1_", text.replace("_", " "))
    out = []
    for m in _TOKEN_RE.finditer(glued):
        word, is_cue = _token_form(m.group())
        if not is_cue and word not in STOPWORDS:
            out.append((word, stem(word.replace("_", ""))))
    return out


def analyze(text: str) -> list[Sentence]:
    """Split ``text`` into sentences of tokens with clause ids and negation scope."""
    # Same length, so offsets stay valid: identifiers split at "_" (next_run_time), short
    # symbol terms glue into one token (W&B -> w_b).
    glued = _GLUE_RE.sub(r"\1_", text.replace("_", " "))
    sentences: list[Sentence] = []
    clause = 0
    breaks = [m.end() for m in _PARAGRAPH_RE.finditer(text)]
    paragraph = 0
    for s_start, s_end in _sentence_spans(text):
        while paragraph < len(breaks) and breaks[paragraph] <= s_start:
            paragraph += 1
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
        choice_seen = object_scope = False
        scope_words = 0
        clause_words: list[str] = []
        for i, m in enumerate(raw):
            while cut_i < len(cuts) and cuts[cut_i] < m.start():
                cut_i += 1
                clause += 1
                negated = False
                choice_seen = False
                clause_words = []
            word, is_cue = forms[i]
            if word in _CLAUSE_WORDS and tokens:
                clause += 1
                negated = False
                choice_seen = False
                clause_words = []
            nxt = forms[i + 1][0] if i + 1 < len(forms) else ""
            if is_cue and word in {"not", "no"} and nxt in NOT_NEGATING_AFTER_NOT:
                is_cue = False
            if (prev_word, word) in NEG_PAIRS or (word == "than" and prev_word in PREFERENCES):
                is_cue = True  # "instead of W&B", "302 is better than 301"
            if word == "over" and (choice_seen or _telegraphic_over(clause_words, prev_word, nxt)):
                is_cue = True
            if word in DROP_VERBS and prev_word in DROP_SPEAKERS:
                is_cue = True  # "we'd drop W&B"
            if word in CHOICE_VERBS:
                choice_seen = True
            if (
                scope_words
                and negated
                and (word in _SUBJECTS or (object_scope and word in _COORDINATORS))
            ):
                # A new subject ends any negation ("if it isn't connected we send a
                # push"); an object cue's reach also ends at the next verb phrase ("avoid
                # W&B and host MLflow"), while "we don't X and Y" negates both.
                negated = object_scope = False
            gap = chunk[raw[i - 1].end() if i else 0 : m.start()]
            if i and _BEATS_RE.search(gap) and not negated:
                # "crop embed >> whole-image embed": what follows the '>' is the loser.
                negated, object_scope, scope_words = True, True, 0
            if is_cue:
                negated = not negated
                object_scope = word not in PREDICATE_CUES
                scope_words = 0
            elif negated and word not in STOPWORDS:
                scope_words += 1
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
                    forward=negated and not is_cue,
                )
            )
            prev_word = word
            clause_words.append(word)
        tokens = _clause_scopes(tokens)
        sentences.append(
            Sentence(
                index=len(sentences),
                start=s_start,
                end=s_end,
                text=text[s_start:s_end].strip(),
                tokens=tuple(tokens),
                markers=sum(1 for t in tokens if t.text in _PROSE_MARKERS or t.cue),
                commas=chunk.count(",") + len(_PLUS_RE.findall(chunk)),
                paragraph=paragraph,
            )
        )
    return sentences


def is_prose(sentence: Sentence, concept_tokens: int = 0) -> bool:
    """A real sentence or a telegraphic bullet ('Registry gates prod'), not a list of terms.

    ``concept_tokens`` is how many of its tokens are rubric concept names.
    """
    n = len(sentence.tokens)
    if n < 3:
        return False
    share = concept_tokens / n
    if share < 1 and (
        _REASONING_RE.search(sentence.text)
        or any(t.cue or t.text in _REASON_WORDS for t in sentence.tokens)
    ):
        # "redis in front, skewed reads -> 90% hits": a number, an arrow, a reason or a
        # contrast makes a note a claim, however many commas it has.
        return True
    if sentence.commas >= 2 and n / (sentence.commas + 1) < 2.5 and share >= 0.25:
        # "MLflow, DVC, HIPAA, VPC" is a list of names even with an 'and' in it; a bullet
        # of features ("W&B: dashboards, run comparison, reports") still says something.
        return False
    if share > 0.75 or (share > 0.5 and sentence.markers == 0):
        return False  # names with nothing said about them ("I'd pick W&B" says something)
    if n >= 4 and sentence.markers / n >= 0.06:
        return True
    return n <= 10  # a short note without function words still says something
