"""The bundled bank: the seed prompts' graded behaviours, and the bank's self-calibration."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from scipy.stats import spearmanr

from designprep.bank import Bank
from designprep.grading import Grader
from tests.conftest import run_cli

SEED_PROMPTS = [
    "mlops-healthcare",
    "genai-research-lab",
    "enterprise-bank-tracking",
    "cv-drone-startup",
    "wandb-and-mlflow-together",
    "mlflow-vs-wandb-tradeoffs",
]


def statuses(result, kind: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {item.id: item.status for item in getattr(result, kind)}


@pytest.mark.parametrize("prompt_id", SEED_PROMPTS)
def test_seed_prompt_model_answer_and_word_list(bundled_grader: Grader, prompt_id: str) -> None:
    bank = bundled_grader.bank
    prompt = bank.prompt(prompt_id)
    assert bundled_grader.grade(prompt, prompt.model_answer).score >= 85
    terms = [c.term for r in bank.rubrics_for(prompt) for c in r.concepts]
    assert bundled_grader.grade(prompt, ", ".join(terms)).score <= 35
    assert bundled_grader.grade(prompt, "\n".join(terms)).score <= 35
    assert bundled_grader.grade(prompt, " ".join(terms)).score <= 35
    assert len(prompt.samples) >= 3


@pytest.mark.parametrize("prompt_id", SEED_PROMPTS)
def test_seed_prompt_off_topic_answers_score_low(bundled_grader: Grader, prompt_id: str) -> None:
    bank = bundled_grader.bank
    for other in bank.prompts.values():
        if other.id != prompt_id:
            assert bundled_grader.grade(prompt_id, other.model_answer).score <= 15, other.id


def test_healthcare_saas_answer_is_punished_with_the_red_flag_shown(bundled_grader: Grader) -> None:
    answer = (
        "I'd use Weights & Biases cloud for everything because it needs no setup. "
        "We log the patient records and training samples to the W&B cloud so we can debug "
        "predictions, and the team shares dashboards from there. Models are deployed from the "
        "best run."
    )
    result = bundled_grader.grade("mlops-healthcare", answer)
    assert result.score <= 30
    raised = [f for f in result.red_flags if f.status == "raised"]
    assert raised and all(f.evidence for f in raised)


def test_healthcare_self_hosted_answer_rejects_wandb(bundled_grader: Grader) -> None:
    answer = (
        "We can't use W&B since it's SaaS, and even run metadata or logged sample predictions "
        "can contain PHI, which HIPAA does not let us send to a third party. I'd self-host "
        "MLflow in our VPC: the tracking server in private subnets behind SSO, Postgres as the "
        "backend store and an encrypted S3 bucket for artifacts, so no data leaves our network. "
        "MLflow Tracking records every experiment's parameters, metrics, code version and data "
        "version so any model can be reproduced for an audit. The MLflow Model Registry is the "
        "gate to production: only reviewed, approved versions are promoted and deployed."
    )
    result = bundled_grader.grade("mlops-healthcare", answer)
    assert result.score >= 75
    assert statuses(result, "concepts")["wandb"] == "rejected"
    assert statuses(result, "concepts")["mlflow"] == "found"
    assert all(f.status != "raised" for f in result.red_flags)


def test_wandb_and_mlflow_roles_reversed_scores_30_below(bundled_grader: Grader) -> None:
    right = (
        "During development the researchers use W&B for experiment tracking, sweeps and "
        "debugging, because its dashboards and reports make comparing runs fast. Once a model "
        "is chosen, we push it to the MLflow Model Registry, and the registry governs deployment "
        "to production: versioned models, approvals and a clear record of what is live."
    )
    reversed_ = (
        "During development the researchers use MLflow for experiment tracking, sweeps and "
        "debugging, because its dashboards and reports make comparing runs fast. Once a model "
        "is chosen, we push it to W&B, and W&B governs deployment to production: versioned "
        "models, approvals and a clear record of what is live."
    )
    good = bundled_grader.grade("wandb-and-mlflow-together", right)
    bad = bundled_grader.grade("wandb-and-mlflow-together", reversed_)
    assert good.score >= bad.score + 30, (good.score, bad.score)


def test_swapping_the_tools_in_the_model_answer_costs_30_points(bundled_grader: Grader) -> None:
    import re

    prompt = bundled_grader.bank.prompt("wandb-and-mlflow-together")
    marked = re.sub(r"Weights & Biases|W&B|wandb", "\0", prompt.model_answer)
    swapped = marked.replace("MLflow", "W&B").replace("\0", "MLflow")
    right = bundled_grader.grade(prompt, prompt.model_answer).score
    reversed_ = bundled_grader.grade(prompt, swapped).score
    assert right >= reversed_ + 30, (right, reversed_)


@pytest.mark.parametrize(
    ("prompt_id", "answer"),
    [(prompt_id, "") for prompt_id in SEED_PROMPTS] + [(SEED_PROMPTS[0], "   \n  ")],
)
def test_empty_answer_is_refused_by_the_cli(prompt_id: str, answer: str) -> None:
    proc = run_cli("grade", prompt_id, "--answer-file", "-", "--no-save", input=answer)
    assert proc.returncode == 1
    assert "empty" in proc.stderr and "Traceback" not in proc.stderr


def test_bank_size_and_categories() -> None:
    data = json.loads(run_cli("list", "--json").stdout)
    per_category = Counter(p["category"] for p in data)
    assert len(data) >= 55
    assert len(per_category) >= 3 and min(per_category.values()) >= 15, per_category


# The bands a calibrated score needs samples in, for every prompt (the grading issue).
SAMPLE_KINDS_NEEDED = {"strong", "incomplete", "lean-no-hire", "fluent-wrong", "buzzwords", "terse"}


def test_every_prompt_has_samples_of_every_band(bundled_bank: Bank) -> None:
    for prompt in bundled_bank.prompts.values():
        kinds = {s.kind for s in prompt.samples}
        assert len(prompt.samples) >= 6, prompt.id
        assert kinds >= SAMPLE_KINDS_NEEDED, (prompt.id, sorted(SAMPLE_KINDS_NEEDED - kinds))


def test_validate_passes_on_the_whole_bank() -> None:
    proc = run_cli("validate", "--json")
    report = json.loads(proc.stdout)
    assert report["problems"] == []
    assert proc.returncode == 0


def test_every_prompt_has_full_content(bundled_bank: Bank) -> None:
    for prompt in bundled_bank.prompts.values():
        own = bundled_bank.rubrics[prompt.rubrics[0]]
        assert len(prompt.hints) >= 3, prompt.id
        assert len(prompt.follow_ups) >= 3, prompt.id
        assert len(prompt.samples) >= 3, prompt.id
        assert len(own.concepts) >= 6, prompt.id
        assert len(own.points) >= 5, prompt.id
        assert len(own.red_flags) >= 1, prompt.id
        words = len(prompt.model_answer.split())
        assert 200 <= words <= 850, (prompt.id, words)


def test_model_answers_score_low_against_other_categories(bundled_grader: Grader) -> None:
    bank = bundled_grader.bank
    worst = (0, "", "")
    for answer_prompt in bank.prompts.values():
        for target in bank.prompts.values():
            if target.category == answer_prompt.category:
                continue
            score = bundled_grader.grade(target, answer_prompt.model_answer).score
            worst = max(worst, (score, answer_prompt.id, target.id))
    print(f"\nhighest cross-category score: {worst[0]} ({worst[1]} graded as {worst[2]})")
    assert worst[0] <= 20, worst


def test_samples_rank_like_their_stated_scores(bundled_grader: Grader) -> None:
    stated, graded = [], []
    for prompt in bundled_grader.bank.prompts.values():
        for sample in prompt.samples:
            stated.append(sample.score)
            graded.append(bundled_grader.grade(prompt, sample.text).score)
    rho = spearmanr(stated, graded).statistic
    print(f"\nSpearman rho, stated vs graded, {len(stated)} samples: {rho:.3f}")
    # A regression guard, not the target: since the blind samples (written by reviewers who
    # never saw the rubrics) joined the bank this is 0.85; benchmarks/bank_samples.py
    # prints the cross-validated figures the grading issue is judged by.
    assert rho >= 0.80
