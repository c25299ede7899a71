"""Grading v2: decisions have sides, constraints sink answers, the arithmetic adds up."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designprep.bank import Bank
from designprep.grading import Grader
from designprep.grading.calibration import CALIBRATION, SQRT_MAP, ScoreMap, score_map
from designprep.grading.polarity import RULES
from designprep.grading.structure import detect, substance
from designprep.grading.text import analyze


def by_id(items, item_id: str):  # type: ignore[no-untyped-def]
    return next(x for x in items if x.id == item_id)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_polarity_rule(rule, tiny_grader: Grader) -> None:  # type: ignore[no-untyped-def]
    tokens = [t for s in analyze(rule.example) for t in s.tokens]
    negated = {t.text for t in tokens if t.negated}
    for word in rule.negated:
        assert word in negated, f"{rule.name}: '{word}' should read as rejected"
    for word in rule.asserted:
        assert word not in negated, f"{rule.name}: '{word}' should stay asserted"
    if rule.concept_rejected:
        result = tiny_grader.grade("tracker-choice", rule.example + " MLflow runs in our VPC.")
        assert by_id(result.concepts, "wandb").status == "rejected"


def test_the_opposite_decision_contradicts_the_point(tiny_grader: Grader) -> None:
    wrong = tiny_grader.grade(
        "url-short",
        "Redis caches the hot codes because reads dominate writes. "
        "We return a 301 Moved Permanently redirect because browsers cache it and it is faster.",
    )
    right = tiny_grader.grade(
        "url-short",
        "Redis caches the hot codes because reads dominate writes. "
        "We return a 302 redirect so every click reaches us for analytics.",
    )
    point = by_id(wrong.points, "redirect-302")
    assert point.status == "contradicted"
    assert point.credit < 0
    assert point.evidence is not None and "301" in point.evidence.text
    assert by_id(right.points, "redirect-302").status == "covered"
    assert wrong.score < right.score - 15


def test_making_the_point_plainly_beats_mentioning_the_other_side(tiny_grader: Grader) -> None:
    result = tiny_grader.grade(
        "url-short",
        "A 301 is cached by browsers, so repeat clicks never reach us. "
        "We use a 302 redirect so every click reaches us for analytics.",
    )
    assert by_id(result.points, "redirect-302").status == "covered"


def test_a_disqualifying_flag_caps_the_score_below_the_hire_line(tiny_grader: Grader) -> None:
    model = tiny_grader.bank.prompt("url-short").model_answer
    clean = tiny_grader.grade("url-short", model)
    broken = tiny_grader.grade(
        "url-short",
        model + "\nCodes are just the next number from an auto-increment column: 000001, 000002.",
    )
    flag = by_id(broken.red_flags, "enumerable-codes")
    assert flag.status == "raised" and flag.disqualifying
    assert clean.score >= 85
    assert broken.score <= CALIBRATION.disqualify_cap < 65
    assert broken.breakdown.cap == CALIBRATION.disqualify_cap


def test_nobody_any_more_raises_no_flag(bundled_grader: Grader) -> None:
    prompt = bundled_grader.bank.prompt("model-registry-promotion")
    result = bundled_grader.grade(
        prompt,
        prompt.model_answer + "\n\nNobody copies model files by hand any more.",
    )
    assert [f.id for f in result.red_flags if f.status == "raised"] == []


def test_evidence_is_the_matched_sentence_within_its_paragraph(tiny_grader: Grader) -> None:
    answer = (
        "We think about scale first and keep it simple.\n\n"
        "Redis caches the popular links so redirects skip the database. Lunch was good."
    )
    result = tiny_grader.grade("url-short", answer)
    point = by_id(result.points, "cache-reads")
    assert point.evidence is not None
    assert point.evidence.text == "Redis caches the popular links so redirects skip the database."
    assert answer[point.evidence.start : point.evidence.end].strip() == point.evidence.text


def test_bullets_and_line_breaks_end_sentences() -> None:
    notes = (
        "Reqs: shorten, redirect, stats\n"
        "Numbers: 100M links/mo, 40 writes/s\n"
        "302 not 301 -> browsers cache 301\n"
        "- redis in front, skewed reads\n"
        "- kafka for clicks, flink rollups\n"
        "  per hour\n"
        "A long sentence of prose that an editor hard-wrapped at some width and\n"
        "that goes on here."
    )
    texts = [s.text for s in analyze(notes)]
    assert texts[:4] == [
        "Reqs: shorten, redirect, stats",
        "Numbers: 100M links/mo, 40 writes/s",
        "302 not 301 -> browsers cache 301",
        "- redis in front, skewed reads",
    ]
    assert texts[4] == "- kafka for clicks, flink rollups\n  per hour"
    assert texts[5].endswith("that goes on here.")


@pytest.mark.parametrize(
    ("kind", "sentence", "shown"),
    [
        ("estimates", "100M links a month is about 40 writes/s and 4k reads/s.", True),
        ("estimates", "62^7 gives about 3.5 trillion codes.", True),
        ("estimates", "We store links in a database.", False),
        ("trade-offs", "302 over 301 because we must count every click.", True),
        ("trade-offs", "We pick Kafka rather than RabbitMQ since we replay events.", True),
        ("trade-offs", "We use Kafka for events.", False),
        ("failure-modes", "If the cache dies we fail over to a replica.", True),
        ("failure-modes", "A hot key overloads one shard, so we replicate it.", True),
        ("failure-modes", "The cache is fast.", False),
        ("requirements", "I assume 100M links a month and a 5 year retention.", True),
        ("requirements", "Do owners need per-country click counts?", True),
        ("requirements", "Codes are base62.", False),
    ],
)
def test_craft_points_are_read_from_structure(kind: str, sentence: str, shown: bool) -> None:
    sentences = analyze(sentence)
    strength, at = detect(kind, sentences, [True] * len(sentences))
    assert (strength > 0) is shown
    assert (at == 0) is shown


def test_buzzwords_in_sentences_have_little_substance() -> None:
    (buzz,) = analyze("We leverage scalable microservices and robust observability.")
    (reason,) = analyze("Redis sits in front because reads dominate and popularity is skewed.")
    assert substance(buzz, 0) < 0.6
    assert substance(reason, 1) == 1.0


def test_an_answer_to_a_problem_the_bank_lacks_scores_low(bundled_grader: Grader) -> None:
    answer = (
        "For my sourdough I feed the starter twice a day with rye flour and water at 25 C. "
        "After an overnight bulk ferment the dough is shaped, proofed in a banneton and baked "
        "in a Dutch oven at 250 C for twenty minutes with the lid on, then uncovered."
    )
    result = bundled_grader.grade("llm-inference-serving", answer)
    assert result.breakdown.relevance < 0.5
    assert result.score <= 10


def _replay(result) -> int:  # type: ignore[no-untyped-def]
    """Recompute the score from the printed arithmetic alone."""
    bd = result.breakdown
    assert abs(sum(c.points for c in bd.components) / 100 - bd.coverage) < 1e-3
    after = bd.curved * bd.relevance - bd.red_flag_penalty
    if bd.cap is not None:
        after = min(after, bd.cap)
    return round(min(100.0, max(0.0, after - bd.hint_penalty)))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                "Redis caches the popular links so redirects skip the database.",
                "Codes are just the next number from an auto increment column.",
                "We return a 301 moved permanently redirect because it is faster.",
                "Base62 encoding of a counter id gives seven character codes.",
                "We use a 302 redirect so every click reaches us for analytics.",
                "Lunch was good.",
            ]
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(min_value=0, max_value=3),
)
def test_the_printed_arithmetic_reproduces_the_score(
    tiny_grader: Grader, sentences: list[str], hints: int
) -> None:
    result = tiny_grader.grade("url-short", " ".join(sentences), hints_used=hints)
    assert _replay(result) == result.score
    bd = result.breakdown
    assert abs(score_map()(bd.coverage * bd.depth * bd.substance) - bd.curved) < 0.05  # printed .1f
    text = "\n".join(bd.explain())
    assert f"{result.score:d}" in text.splitlines()[-1]


def test_the_shipped_score_map_is_monotone_and_spans_the_range() -> None:
    mapping = score_map()
    assert mapping is not SQRT_MAP, "score_map.json is missing or unreadable"
    assert list(mapping.ys) == sorted(mapping.ys)
    assert mapping(0.0) <= 25 and mapping(1.0) >= 90
    assert ScoreMap.from_json(mapping.to_json()) == mapping


def test_a_bad_score_map_is_refused() -> None:
    with pytest.raises(ValueError):
        ScoreMap.from_json(json.dumps({"xs": [0, 1], "ys": [50, 10]}))


def test_fitted_map_cross_validates_on_the_bank(bundled_bank: Bank) -> None:
    from designprep.grading.fit import fit_report

    report = fit_report(bundled_bank)
    cv = report.cross_validated
    # Regression guards (measured 0.85 / 12.4 with the blind samples); the targets are in
    # the README next to the measured figures.
    assert cv.spearman is not None and cv.spearman >= 0.80
    assert cv.mae <= 14


def test_a_comma_bullet_with_a_reason_is_prose_not_a_list() -> None:
    from designprep.grading.text import is_prose

    (reasoned,) = analyze("- redis, local LRU, negative cache -> misses never hit dynamo")
    (listing,) = analyze("- MLflow, DVC, HIPAA, VPC, SSO")
    assert is_prose(reasoned, concept_tokens=1)
    assert not is_prose(listing, concept_tokens=5)


def test_the_cli_quotes_a_long_evidence_sentence_whole() -> None:
    from designprep.cli.report import _quote

    sentence = (
        "Because the redirect path must stay up while link creation is degraded, the redirect "
        "service is deployed apart from the create service and reads only from the cache and "
        "the replicated store, so a failed deploy of the creation path never breaks redirects."
    )
    quoted = " ".join(line.strip() for line in _quote(sentence).splitlines())
    assert quoted == f"“{sentence}”"


def test_a_mechanism_explained_without_its_name_beats_the_name_alone(
    bundled_grader: Grader,
) -> None:
    explained = bundled_grader.grade(
        "payment-system",
        "We write the ledger entry and the event to publish in the same database transaction; "
        "a relay process reads the events table and publishes them to Kafka afterwards, so the "
        "ledger and the event stream can never disagree.",
    )
    named = bundled_grader.grade("payment-system", "We use the outbox pattern for events.")
    sim = {r: by_id(r.points, "outbox-events").similarity for r in (explained, named)}
    assert sim[explained] > sim[named] + 0.15
