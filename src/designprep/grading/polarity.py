"""Polarity: the named rules by which a sentence rejects what it mentions.

``text.analyze`` applies these word sets; ``RULES`` names each rule with an example,
which words it must negate and which it must leave asserted, and the tests run the
table. A rule is added here first, with its example, then to the analyser.
"""

from __future__ import annotations

from dataclasses import dataclass

# Cues that flip polarity from the cue to the end of its clause.
NEG_WORDS = frozenset(
    """
    not no never cannot avoid avoids avoiding avoided without nor neither nothing none
    nobody noone unlike reject rejects rejected rejecting prevent prevents preventing forbid
    forbids prohibit prohibits stop stops stopped stopping eliminate eliminates eliminating
    """.split()
)
# Cues that negate the whole clause's predicate, subject included: "raw card numbers
# never touch our servers", "nobody copies model files by hand". The rest reach forward.
PREDICATE_CUES = frozenset("not never cannot nobody noone".split())
# Two-word cues: "use MLflow instead of W&B".
NEG_PAIRS = frozenset({("instead", "of"), ("rather", "than"), ("opposed", "to"), ("place", "of")})
# "not only X but Y" is no negation.
NOT_NEGATING_AFTER_NOT = frozenset({"only", "just", "merely", "simply"})
# "X is better than Y" rejects Y; so does "X > Y" / "X >> Y" (in the analyser).
PREFERENCES = frozenset(
    "better safer simpler cheaper faster preferable superior stronger nicer".split()
)
# After one of these, "over" rejects what follows: "pick MLflow over W&B".
CHOICE_VERBS = frozenset(
    "prefer prefers preferred pick picks picked choose chooses chose chosen favor favour "
    "favors favours select selects selected recommend recommends go".split()
)
# A decision to give something up, said by the speaker: "we'd drop W&B".
DROP_VERBS = frozenset("drop ditch scrap abandon retire".split())
DROP_SPEAKERS = frozenset("we i would will should let lets us".split())
# A telegraphic "X over Y" (a note or bullet) opens its clause with at most this many words.
TELEGRAPHIC_OVER_WORDS = 3
# Words after a concept that reject it: "W&B is not an option", "W&B is ruled out".
POST_NEG_TARGETS = frozenset(
    """option allowed acceptable appropriate suitable possible permitted viable fit usable
    use used work works choice approved compliant go suited allowable
    """.split()
)
POST_NEG_PHRASES = (
    ("ruled", "out"),
    ("rule", "out"),
    ("off", "the", "table"),
    ("non", "starter"),
    ("nonstarter",),
    ("out", "of", "the", "question"),
    ("dealbreaker",),
    ("deal", "breaker"),
)
# A conditional or a third person's would/could/might is hypothetical: never a red flag.
CONDITIONALS = frozenset("if unless".split())
MODALS = frozenset("would could might".split())
FIRST_PERSON = frozenset("i we".split())


@dataclass(frozen=True)
class Rule:
    name: str
    example: str
    negated: tuple[str, ...]  # words of the example that must read as rejected
    asserted: tuple[str, ...] = ()  # words that must stay asserted
    concept_rejected: str = ""  # for rules about a named thing: its surface form


RULES: tuple[Rule, ...] = (
    Rule("not", "We do not log PHI to the tracker.", ("log", "phi"), ()),
    Rule("never", "Raw card numbers never touch our servers.", ("card", "servers")),
    Rule("contraction", "We don't send metrics to the cloud.", ("send", "metrics", "cloud")),
    Rule("without", "Deploy without a registry gate.", ("registry", "gate"), ("deploy",)),
    Rule("instead of", "Use MLflow instead of W&B.", ("w_b",), ("mlflow",)),
    Rule("rather than", "Return 302 rather than 301.", ("301",), ("302",)),
    Rule("choice over", "I'd pick MLflow over W&B.", ("w_b",), ("mlflow",)),
    Rule("telegraphic over", "302 over 301 because browsers cache a 301.", ("301",), ("302",)),
    Rule("not only", "Not only tracking but a registry.", (), ("tracking", "registry")),
    Rule(
        "nobody",
        "Nobody copies model files by hand any more.",
        ("copies", "model", "files", "hand"),
    ),
    Rule("no one", "No one copies model files by hand any more.", ("copies", "files", "hand")),
    Rule("no longer", "We no longer deploy by hand.", ("deploy", "hand")),
    Rule("drop", "We'd drop W&B and keep MLflow.", ("w_b",), ("keep", "mlflow")),
    Rule(
        "new subject ends scope", "If it isn't connected we send a push.", ("connected",), ("push",)
    ),
    Rule("object cue ends at verb", "Avoid W&B and host MLflow.", ("w_b",), ("host", "mlflow")),
    Rule("not X, Y", "Use 302, not 301.", ("301",), ("302",)),
    Rule("better than", "A 302 is better than a 301 here.", ("301",), ("302",)),
    Rule("beats sign", "crop embed >> whole-image embed", ("whole", "image"), ("crop",)),
    Rule("arrow is no comparison", "cache dies -> fail over to replica", (), ("fail", "replica")),
    Rule("ruled out", "W&B SaaS is ruled out.", (), (), concept_rejected="W&B"),
    Rule("is out", "W&B's cloud is out.", (), (), concept_rejected="W&B"),
    Rule("off the table", "W&B is off the table.", (), (), concept_rejected="W&B"),
    Rule("not an option", "W&B is not an option.", (), (), concept_rejected="W&B"),
)
