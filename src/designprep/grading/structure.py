"""What an answer's form shows: the interviewer's craft points, and buzzword strings.

Craft points ("estimates scale", "states trade-offs", "names failure modes", "clarifies
requirements") are made in a thousand wordings, so phrasings alone miss them; their
*form* is stable: numbers with units, "X over Y because Z", a failure with its remedy,
a stated assumption. ``detect`` counts the sentences that show each form.

A sentence that gives no reason, number, contrast or arrow and whose content words are
mostly concept names and jargon is a string of buzzwords: ``substance`` says how much
its matches count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from designprep.grading.calibration import CALIBRATION as CAL
from designprep.grading.text import STOPWORDS, Sentence

_UNIT = (
    r"(?:k|m|b|bn|t|kb|mb|gb|tb|pb|ms|s|sec|secs|seconds?|minutes?|hours?|days?|%|x|qps|rps|"
    r"tps|iops|ops|rpm|req|requests?|writes?|reads?|users?|bytes?|thousand|million|billion|"
    r"trillion|years?|months?|weeks?|per|a|/)"
)
_NUMBER_RE = re.compile(rf"(?<![\w.])~?\d[\d,.]*\s*{_UNIT}\b|\d\s*[x×*/^]\s*\d|≈\s*\d|~\s*\d", re.I)
_REASON = frozenset(
    "because since so therefore thus hence otherwise which means meaning means so that "
    "cost costs price downside tradeoff trade off exchange expense penalty".split()
)
_CHOICE = frozenset("over instead rather not vs versus than prefer pick choose chose".split())
_FAILURE = frozenset(
    "fail fails failed failure failures down outage crash crashes crashed dies dead lost lose "
    "loses partition partitioned overload overloaded timeout timeouts bottleneck bottlenecks "
    "spof hot stale lag lagging degraded corrupt unavailable breaks disaster".split()
)
_REMEDY = frozenset(
    "retry retries failover replica replicas replicate replicated fallback fall back "
    "degrade buffer buffers queue idempotent idempotency breaker shed backoff reconcile "
    "rebuild restore redundant redundancy standby promote reroute throttle backpressure "
    "dedupe checkpoint resume rollback roll replay provision overprovision absorb shard "
    "autoscale spill alert page".split()
)
_REQUIREMENT = frozenset(
    "requirement requirements assume assuming assumption assumptions clarify scope "
    "functional nonfunctional reqs constraints sla slo".split()
)
# Marketing and consulting words that name a virtue or an outcome without a mechanism:
# a sentence made mostly of them (and of concept names) says nothing an interviewer can
# check, whatever its grammar. Words of the trade with a mechanism behind them (cache,
# replica, idempotent) are never here.
_JARGON = frozenset(
    """leverage leverages leveraging leveraged robust robustness seamless seamlessly
    scalable scalability resilient resilience observability synergy synergies synergistic
    holistic holistically paradigm paradigms ecosystem ecosystems streamlined streamline
    streamlines optimize optimise optimizes optimises optimized optimised optimal innovative
    innovation agile agility empower empowers empowering comprehensive efficient
    efficiently flexibility flexible maximize maximise maximizes maximises maximizing
    maximising performant unlock unlocks velocity capabilities capability roi unified
    unify insights actionable frictionless transformative transformation accelerate
    accelerates accelerating harness harnesses proactive proactively strategic
    strategically alignment stakeholders excellence turnkey modernize modernise
    """.split()
)
# ... and the phrases of the same trade, hyphenated or not.
_JARGON_PHRASES_RE = re.compile(
    r"\b(?:state[- ]of[- ]the[- ]art|world[- ]class|best[- ]in[- ]class|cutting[- ]edge|"
    r"bleeding[- ]edge|next[- ]gen(?:eration)?|enterprise[- ]grade|future[- ]proof\w*|"
    r"cloud[- ]native|mission[- ]critical|best[- ]of[- ]breed|single pane of glass|"
    r"time[- ]to[- ]value|game[- ]chang\w+|best practices)\b",
    re.I,
)
_ARROW_RE = re.compile(r"->|→|=>|⇒")


def _words(s: Sentence) -> list[str]:
    return [t.text for t in s.tokens]


def _jargon_words(s: Sentence) -> int:
    phrases = sum(
        len([w for w in re.split(r"[- ]", m.group()) if w.casefold() not in STOPWORDS])
        for m in _JARGON_PHRASES_RE.finditer(s.text)
    )
    return phrases + sum(1 for t in s.tokens if not t.stop and t.text in _JARGON)


def has_reason(s: Sentence) -> bool:
    """A reason, number, contrast or arrow: the sentence argues, it does not only name."""
    words = set(_words(s))
    return bool(
        words & _REASON
        or any(t.cue for t in s.tokens)
        or _NUMBER_RE.search(s.text)
        or _ARROW_RE.search(s.text)
        or words & {"if", "when", "unless", "until", "instead", "rather", "only"}
    )


def substance(s: Sentence, concept_tokens: int) -> float:
    """1 for a sentence that says something; less for a string of names and jargon.

    A reason, number or contrast rescues a sentence of concept names ("Kafka buffers the
    clicks so Redis stays fast"), but not one made of marketing words ("…so the synergy
    maximises ROI").
    """
    content = [t for t in s.tokens if not t.stop]
    if not content:
        return 1.0
    jargon = min(1.0, _jargon_words(s) / len(content))
    concepts = min(1.0, concept_tokens / len(content))
    density = jargon * CAL.buzz_reasoned_weight if has_reason(s) else jargon + concepts
    if density <= CAL.buzz_from:
        return 1.0
    t = min(1.0, (density - CAL.buzz_from) / (CAL.buzz_full - CAL.buzz_from))
    return 1.0 - t * (1.0 - CAL.buzz_floor)


def answer_substance(sentences: Sequence[Sentence]) -> float:
    """1, or less for an answer whose words are largely marketing jargon.

    Judged over the whole answer as well as per sentence: buzzwords spread thinly over
    long sentences escape the per-sentence check, but not the answer's share of them.
    """
    content = [t for s in sentences for t in s.tokens if not t.stop]
    if not content:
        return 1.0
    share = min(1.0, sum(_jargon_words(s) for s in sentences) / len(content))
    if share <= CAL.jargon_from:
        return 1.0
    t = min(1.0, (share - CAL.jargon_from) / (CAL.jargon_full - CAL.jargon_from))
    return 1.0 - t * (1.0 - CAL.jargon_floor)


def note_share(sentences: Sequence[Sentence]) -> float:
    """Share of the answer's lines written as notes: almost no function words."""
    lines = [s for s in sentences if len(s.tokens) >= 3]
    if not lines:
        return 0.0
    notes = sum(1 for s in lines if sum(1 for t in s.tokens if t.stop) / len(s.tokens) < 0.2)
    return notes / len(lines)


def _estimates(s: Sentence, words: set[str]) -> bool:
    return len(_NUMBER_RE.findall(s.text)) >= 1 and any(ch.isdigit() for ch in s.text)


def _trade_offs(s: Sentence, words: set[str]) -> bool:
    choice = bool(words & _CHOICE) or any(t.cue for t in s.tokens)
    return (choice and bool(words & _REASON)) or "tradeoff" in s.text.casefold().replace(
        "-", ""
    ).replace(" ", "")


def _failure_modes(s: Sentence, words: set[str]) -> bool:
    return bool(words & _FAILURE) and bool(words & _REMEDY)


def _requirements(s: Sentence, words: set[str]) -> bool:
    return bool(words & _REQUIREMENT) or s.text.rstrip().endswith("?")


_DETECTORS = {
    "estimates": _estimates,
    "trade-offs": _trade_offs,
    "failure-modes": _failure_modes,
    "requirements": _requirements,
}


def detect(kind: str, sentences: Sequence[Sentence], prose: Sequence[bool]) -> tuple[float, int]:
    """(strength 0-1, the first sentence that shows it, or -1) for one craft point."""
    test = _DETECTORS[kind]
    hits = [
        s.index for s, ok in zip(sentences, prose, strict=True) if ok and test(s, set(_words(s)))
    ]
    if not hits:
        return 0.0, -1
    return min(1.0, len(hits) / CAL.structure_full), hits[0]
