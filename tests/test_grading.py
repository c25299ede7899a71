"""The grading engine's behaviours, on a tiny bank made for the purpose."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designprep.bank import Bank
from designprep.grading import MAX_ANSWER_CHARS, AnswerError, Grader, verdict_for


def statuses(result, kind: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {item.id: item.status for item in getattr(result, kind)}


def test_model_answer_scores_high(tiny_grader: Grader) -> None:
    result = tiny_grader.grade(
        "tracker-choice", tiny_grader.bank.prompt("tracker-choice").model_answer
    )
    assert result.score >= 85
    assert all(p.status == "covered" for p in result.points)
    assert result.verdict == "Strong hire"


def test_every_item_has_status_and_evidence_sentence(tiny_grader: Grader) -> None:
    answer = "Patient data never leaves our network, so MLflow runs in our own VPC. Lunch was good."
    result = tiny_grader.grade("tracker-choice", answer)
    point = next(p for p in result.points if p.id == "self-host")
    assert point.status == "covered"
    assert point.evidence is not None
    assert point.evidence.text.startswith("Patient data never leaves")
    assert answer[point.evidence.start : point.evidence.end].strip() == point.evidence.text
    mlflow = next(c for c in result.concepts if c.id == "mlflow")
    assert mlflow.status == "found" and mlflow.evidence is not None
    assert {c.status for c in result.concepts} <= {"found", "rejected", "listed", "missed"}


@pytest.mark.parametrize(
    "sentence",
    [
        "We can't use W&B since it's SaaS, so I'd self-host MLflow in our VPC.",
        "I'd self-host MLflow in our VPC instead of W&B.",
        "Rather than W&B, we host MLflow in our own VPC.",
        "W&B is not an option here; MLflow runs in our own VPC.",
        "We avoid W&B and host MLflow in our own VPC.",
        "I'd pick MLflow over W&B and host it in our own VPC.",
    ],
)
def test_rejected_tool_is_not_a_chosen_tool(tiny_grader: Grader, sentence: str) -> None:
    result = tiny_grader.grade("tracker-choice", sentence)
    assert statuses(result, "concepts")["wandb"] == "rejected"
    assert statuses(result, "concepts")["mlflow"] == "found"


def test_typos_and_spacing_still_name_the_concept(tiny_grader: Grader) -> None:
    answer = (
        "We deploy the models on Kuberentes and autoscale the pods, "
        "and ML-flow tracks every run we make."
    )
    found = statuses(tiny_grader.grade("tracker-choice", answer), "concepts")
    assert found["kubernetes"] == "found"
    assert found["mlflow"] == "found"


def test_short_words_are_not_fuzzy_matched(tiny_grader: Grader) -> None:
    # "k8z" is one edit from k8s, but three-letter names need an exact match.
    found = statuses(
        tiny_grader.grade("tracker-choice", "We run it all on k8z clusters for now."), "concepts"
    )
    assert found["kubernetes"] == "missed"


def test_red_flag_counts_when_asserted_not_when_rejected(tiny_grader: Grader) -> None:
    asserted = tiny_grader.grade(
        "tracker-choice", "We log patient records to the W&B cloud so the team can see them."
    )
    rejected = tiny_grader.grade(
        "tracker-choice", "We must never log patient records to the W&B cloud, it stays on premise."
    )
    assert statuses(asserted, "red_flags")["phi-to-saas"] == "raised"
    assert asserted.breakdown.red_flag_penalty == 25
    assert statuses(rejected, "red_flags")["phi-to-saas"] != "raised"
    assert rejected.breakdown.red_flag_penalty == 0


def test_hypothetical_risk_is_not_an_assertion(tiny_grader: Grader) -> None:
    result = tiny_grader.grade(
        "tracker-choice",
        "W&B has a nice UI, but its cloud would receive patient records, "
        "so MLflow stays in our VPC.",
    )
    assert statuses(result, "red_flags")["phi-to-saas"] != "raised"


def test_roles_matter(tiny_grader: Grader) -> None:
    right = tiny_grader.grade(
        "tracker-choice",
        "Researchers use W&B for experiment tracking during research. "
        "The winning model is pushed to the MLflow model registry for production governance.",
    )
    reversed_ = tiny_grader.grade(
        "tracker-choice",
        "Researchers use MLflow for experiment tracking during research. "
        "The winning model is pushed to the W&B registry for production governance.",
    )
    one_sentence = tiny_grader.grade(
        "tracker-choice",
        "MLflow for experiment tracking and research, "
        "W&B for the production registry and governance.",
    )
    assert statuses(right, "points")["wandb-research"] == "covered"
    assert statuses(reversed_, "points")["wandb-research"] != "covered"
    assert statuses(one_sentence, "points")["wandb-research"] != "covered"
    assert right.score >= reversed_.score + 30
    assert right.score >= one_sentence.score + 30


def test_requires_any_discounts_a_sentence_without_the_concept(tiny_grader: Grader) -> None:
    # A mechanism explained without its name still counts, for less (grading v2: the
    # payment outbox explained without the word "outbox" scored 0 when this was a gate).
    without = tiny_grader.grade(
        "tracker-choice", "We deploy the models on a cluster and autoscale the pods."
    )
    with_it = tiny_grader.grade(
        "tracker-choice", "We deploy the models on Kubernetes and autoscale the pods."
    )
    assert statuses(without, "points")["run-on-k8s"] != "covered"
    assert statuses(with_it, "points")["run-on-k8s"] == "covered"
    credit = {
        r: next(p.credit for p in r.points if p.id == "run-on-k8s") for r in (without, with_it)
    }
    assert 0 < credit[without] < credit[with_it]


def test_a_list_of_terms_is_not_an_answer(tiny_grader: Grader) -> None:
    listing = "MLflow, W&B, Kubernetes, model registry, VPC, air-gapped, governance"
    result = tiny_grader.grade("tracker-choice", listing)
    assert result.score <= 35
    assert all(c.status in {"listed", "missed"} for c in result.concepts)
    bullets = "- MLflow\n- W&B\n- Kubernetes\n- model registry"
    assert tiny_grader.grade("tracker-choice", bullets).score <= 35


def test_off_topic_answer_scores_low(tiny_grader: Grader) -> None:
    other = tiny_grader.bank.prompt("url-short").model_answer
    assert tiny_grader.grade("tracker-choice", other).score <= 15
    mine = tiny_grader.bank.prompt("tracker-choice").model_answer
    assert tiny_grader.grade("url-short", mine).score <= 15


def test_hints_cost_points(tiny_grader: Grader) -> None:
    answer = tiny_grader.bank.prompt("tracker-choice").samples[0].text
    free = tiny_grader.grade("tracker-choice", answer)
    hinted = tiny_grader.grade("tracker-choice", answer, hints_used=2)
    assert hinted.score == max(0, free.score - 10)
    assert hinted.breakdown.hint_penalty == 10


def test_score_arithmetic_adds_up(tiny_grader: Grader) -> None:
    result = tiny_grader.grade(
        "tracker-choice", tiny_grader.bank.prompt("tracker-choice").samples[0].text
    )
    bd = result.breakdown
    assert abs(sum(c.points for c in bd.components) / 100 - bd.coverage) < 1e-3
    expected = bd.curved * bd.relevance - bd.red_flag_penalty - bd.hint_penalty
    assert result.score == round(min(100, max(0, expected)))
    assert any("score" in line for line in bd.explain())


@pytest.mark.parametrize("answer", ["", "   \n\t  "])
def test_empty_answer_is_refused(tiny_grader: Grader, answer: str) -> None:
    with pytest.raises(AnswerError):
        tiny_grader.grade("tracker-choice", answer)


def test_oversized_answer_is_refused(tiny_grader: Grader) -> None:
    with pytest.raises(AnswerError, match="limit"):
        tiny_grader.grade("tracker-choice", "word " * (MAX_ANSWER_CHARS // 5 + 1))


@pytest.mark.parametrize(
    ("score", "verdict"),
    [
        (100, "Strong hire"),
        (80, "Strong hire"),
        (79, "Hire"),
        (65, "Hire"),
        (64, "Lean no hire"),
        (45, "Lean no hire"),
        (44, "No hire"),
        (0, "No hire"),
    ],
)
def test_verdict_thresholds(score: int, verdict: str) -> None:
    assert verdict_for(score) == verdict


def test_result_round_trips_through_json(tiny_grader: Grader) -> None:
    import json

    from designprep.grading import GradeResult

    result = tiny_grader.grade(
        "tracker-choice", tiny_grader.bank.prompt("tracker-choice").model_answer
    )
    again = GradeResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=1, max_size=600))
def test_any_text_grades_to_a_score_in_range(tiny_grader: Grader, text: str) -> None:
    if not text.strip():
        with pytest.raises(AnswerError):
            tiny_grader.grade("tracker-choice", text)
        return
    result = tiny_grader.grade("tracker-choice", text)
    assert 0 <= result.score <= 100


_SENTENCES = [
    "We keep everything inside the hospital network.",
    "MLflow is what I know best.",
    "The dashboards in W&B look great.",
    "Kubernetes runs most of our services.",
    "Governance matters for a regulated team.",
    "I would ask about the budget first.",
    "Cost is a concern because seats are expensive.",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    base=st.lists(
        st.sampled_from(_SENTENCES) | st.text(min_size=1, max_size=80), min_size=1, max_size=6
    ),
    point_index=st.integers(min_value=0, max_value=3),
    phrasing=st.integers(min_value=0, max_value=2),
)
def test_stating_a_missed_point_never_lowers_the_score(
    tiny_grader: Grader, tiny_bank: Bank, base: list[str], point_index: int, phrasing: int
) -> None:
    answer = " ".join(base)
    if not answer.strip():
        return
    before = tiny_grader.grade("tracker-choice", answer)
    missed = [p for p in before.points if p.status == "missed"]
    if not missed:
        return
    point_id = missed[point_index % len(missed)].id
    rubric = tiny_bank.rubrics["tracker-choice"]
    point = next(p for p in rubric.points if p.id == point_id)
    statements = [point.text, *point.evidence]
    statement = statements[phrasing % len(statements)]
    after = tiny_grader.grade(
        "tracker-choice", answer + "\n" + statement[0].upper() + statement[1:] + "."
    )
    assert after.score >= before.score
