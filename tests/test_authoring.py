"""Writing your own prompts: `new`, `draft-rubric` and `validate` on a user's bank."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from designprep.bank import load_bank
from tests.conftest import TINY_BANK, run_cli


def new_prompt(tmp_path: Path) -> Path:
    bank = tmp_path / "my-bank"
    proc = run_cli(
        "new",
        "--id", "hospital-tracking",
        "--title", "Tracking for a hospital: HIPAA & research",
        "--category", "mlops",
        "--difficulty", "easy",
        "--dir", str(bank),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return bank


def test_new_writes_a_loadable_commented_pair(tmp_path: Path) -> None:
    bank = new_prompt(tmp_path)
    prompt_file = bank / "mlops" / "hospital-tracking.yaml"
    rubric_file = bank / "rubrics" / "hospital-tracking.yaml"
    text = prompt_file.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/prompt.schema.json")
    for field in ("prompt:", "hints:", "follow_ups:", "rubrics:", "model_answer:", "samples:"):
        assert field in text
    assert (bank / "schema" / "rubric.schema.json").is_file()
    loaded = load_bank([bank], include_bundled=False)
    assert loaded.problems == []
    assert loaded.prompt("hospital-tracking").title == "Tracking for a hospital: HIPAA & research"
    assert rubric_file.is_file()


def test_new_never_overwrites(tmp_path: Path) -> None:
    bank = new_prompt(tmp_path)
    again = run_cli(
        "new", "--id", "hospital-tracking", "--title", "x", "--category", "mlops",
        "--difficulty", "easy", "--dir", str(bank),
    )  # fmt: skip
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_new_without_a_terminal_names_the_missing_option(tmp_path: Path) -> None:
    proc = run_cli("new", "--id", "x", "--dir", str(tmp_path), input="")
    assert proc.returncode == 1
    assert "missing --title" in proc.stderr
    bad = run_cli("new", "--id", "Bad Id", "--dir", str(tmp_path))
    assert bad.returncode == 1 and "lowercase slug" in bad.stderr


def test_filled_in_template_passes_validate(tmp_path: Path) -> None:
    bank = new_prompt(tmp_path)
    prompt_file = bank / "mlops" / "hospital-tracking.yaml"
    rubric_file = bank / "rubrics" / "hospital-tracking.yaml"
    # Fill the TODOs in, as an author would, from the tiny bank's finished pair.
    done_prompt = yaml.safe_load((TINY_BANK / "mlops" / "tracker-choice.yaml").read_text())
    done_rubric = yaml.safe_load((TINY_BANK / "rubrics" / "tracker-choice.yaml").read_text())
    data = yaml.safe_load(prompt_file.read_text())
    for key in ("prompt", "hints", "follow_ups", "model_answer", "samples"):
        data[key] = done_prompt[key]
    prompt_file.write_text(yaml.safe_dump(data, sort_keys=False))
    rubric = {**done_rubric, "id": "hospital-tracking"}
    rubric_file.write_text(yaml.safe_dump(rubric, sort_keys=False))
    proc = run_cli("validate", "--bank", str(bank))
    assert proc.returncode == 0, proc.stdout
    assert "hospital-tracking" in proc.stdout
    # A typo the author makes next is reported with file, line and field.
    broken = rubric_file.read_text().replace("penalty: 25", "penalty: lots")
    rubric_file.write_text(broken)
    line = broken.splitlines().index("  penalty: lots") + 1
    bad = run_cli("validate", "--bank", str(bank))
    assert bad.returncode == 1
    assert f"hospital-tracking.yaml:{line}: red_flags[0].penalty:" in bad.stdout


def test_draft_rubric_proposes_concepts_and_points() -> None:
    proc = run_cli("draft-rubric", "url-short", "--bank", str(TINY_BANK), "--concepts", "5")
    assert proc.returncode == 0, proc.stderr
    draft = yaml.safe_load(proc.stdout)
    assert draft["id"] == "url-short"
    assert 1 <= len(draft["concepts"]) <= 5
    assert draft["points"] and all(p["evidence"] for p in draft["points"])
    model_answer = yaml.safe_load((TINY_BANK / "systems" / "url-short.yaml").read_text())
    text = " ".join(re.sub(r"[^\w\s]", " ", model_answer["model_answer"].lower()).split())
    assert all(c["term"] in text for c in draft["concepts"])


def test_draft_rubric_from_a_file(tmp_path: Path) -> None:
    proc = run_cli("draft-rubric", "--file", str(TINY_BANK / "mlops" / "tracker-choice.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(proc.stdout)["points"]
    missing = run_cli("draft-rubric", "--file", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1 and "nope.yaml" in missing.stderr


def test_validate_json_reports_every_sample(tmp_path: Path) -> None:
    report = json.loads(run_cli("validate", "--bank", str(TINY_BANK), "--json").stdout)
    for prompt in report["prompts"]:
        assert isinstance(prompt["model_answer"], int)
        assert all({"stated", "graded", "ok"} <= set(s) for s in prompt["samples"])
