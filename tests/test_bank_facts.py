"""The bank teaches no known-wrong claim (issue: question bank v2).

Checked where the bank *teaches*: prompt texts, hints, model answers, the evidence of
reasoning points, and samples an interviewer would hire. Red flags, contradicted_by
phrasings and low-scoring samples state wrong claims on purpose and are not checked.
"""

from __future__ import annotations

import re

import pytest

from designprep.bank import Bank

HIRE = 65

# (what is wrong, a pattern that states it)
KNOWN_WRONG: tuple[tuple[str, str], ...] = (
    (
        "GPU/system metrics are W&B-only (MLflow logs them since 2.8)",
        r"(only w&b|w&b only|w&b-only)[^.]{0,60}(gpu|system) metrics"
        r"|mlflow (does not|doesn't|cannot|can't) (log|track|record) (gpu|system)",
    ),
    (
        "tracing is W&B-only (MLflow 3 has tracing)",
        r"mlflow (has no|does not have|doesn't have|lacks) tracing",
    ),
    (
        "the W&B server is open source (only its SDK and Weave are)",
        r"w&b (server )?is open[- ]source",
    ),
    (
        "tokenisation makes a Level 1 merchant SAQ A",
        r"(tokeni[sz]\w+)[^.]{0,80}\bsaq[- ]a\b|\bsaq[- ]a\b[^.]{0,80}tokeni[sz]",
    ),
    (
        "a Bloom filter false positive skips a URL only once (it is never crawled until rebuilt)",
        r"false positives?[^.]{0,80}\bskip\w*\b[^.]{0,30}\bonce\b|skipped (only )?once",
    ),
    (
        "a hidden instruction cannot trigger actions (injection is mitigated, not solved)",
        r"cannot trigger (any )?actions?",
    ),
    (
        "a hot key is limited by the node's network (it is the shard's operation rate)",
        r"(hot key|one key|single key)[^.]{0,80}exceeds? (a single|one|the) node'?s network",
    ),
    (
        "notifications are never lost nor delivered twice without provider idempotency",
        r"never (be )?lost (n|)or (delivered|sent) twice",
    ),
)


def _taught(bank: Bank) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for p in bank.prompts.values():
        out += [(f"{p.id}: prompt", p.prompt), (f"{p.id}: model_answer", p.model_answer)]
        out += [(f"{p.id}: hints[{i}]", h) for i, h in enumerate(p.hints)]
        out += [
            (f"{p.id}: samples[{i}]", s.text) for i, s in enumerate(p.samples) if s.score >= HIRE
        ]
    for r in bank.rubrics.values():
        for pt in r.points:
            out += [(f"{r.id}: points.{pt.id}", x) for x in (pt.text, *pt.evidence)]
    return out


@pytest.mark.parametrize(("claim", "pattern"), KNOWN_WRONG, ids=[c for c, _ in KNOWN_WRONG])
def test_no_known_wrong_claim_is_taught(bundled_bank: Bank, claim: str, pattern: str) -> None:
    rx = re.compile(pattern, re.I)
    hits = [where for where, text in _taught(bundled_bank) if rx.search(text)]
    assert not hits, f"teaches that {claim}: {hits}"


def test_the_patterns_catch_the_claims_they_name() -> None:
    examples = [
        "Only W&B captures GPU metrics out of the box.",
        "MLflow doesn't have tracing.",
        "W&B is open source, so we can self-host it for free.",
        "Tokenisation with the PSP makes us SAQ A.",
        "A false positive only means we skip a page once.",
        "An instruction hidden in a page cannot trigger actions.",
        "300,000 reads per second on one key exceeds a single node's network.",
        "Each notification is never lost nor delivered twice.",
    ]
    for (claim, pattern), example in zip(KNOWN_WRONG, examples, strict=True):
        assert re.search(pattern, example, re.I), claim
