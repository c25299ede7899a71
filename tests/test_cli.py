"""The real ``designprep`` console script, run in a subprocess as a user would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY_BANK, designprep_exe, run_cli

TINY = ["--bank", str(TINY_BANK)]
GOOD = (
    "Patient data never leaves our network, so I would host MLflow in our own VPC. "
    "Researchers use W&B for experiment tracking during research on public data. "
    "The winning model is pushed to the MLflow model registry, which gates production."
)


def assert_one_line_error(proc, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def _commands() -> list[str]:
    from designprep.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


def test_the_documented_commands_exist() -> None:
    expected = {"grade", "list", "show", "validate", "schema", "new", "draft-rubric"}
    expected |= {"history", "stats", "next", "export", "import", "eval"}
    assert expected <= set(_commands())


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(command: str) -> None:
    proc = run_cli(command, "--help")
    assert proc.returncode == 0
    assert "usage: designprep " + command in proc.stdout


def test_top_level_help_and_version() -> None:
    assert "COMMAND" in run_cli("--help").stdout
    assert run_cli("--version").stdout.startswith("designprep ")


def test_grade_prints_score_evidence_and_follow_ups(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(GOOD)
    proc = run_cli("grade", "tracker-choice", "--answer-file", str(answer), "--no-save", *TINY)
    assert proc.returncode == 0, proc.stderr
    assert "Score " in proc.stdout
    assert "“Patient data never leaves our network" in proc.stdout
    assert "Follow-up questions" in proc.stdout
    assert "score (0-100)" in proc.stdout


def test_grade_json_from_stdin() -> None:
    proc = run_cli(
        "grade", "tracker-choice", "--answer-file", "-", "--json", "--no-save", *TINY, input=GOOD
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"score", "verdict", "concepts", "points", "red_flags", "breakdown"} <= set(data)
    assert 0 <= data["score"] <= 100
    statuses = {c["id"]: c["status"] for c in data["concepts"]}
    assert statuses["mlflow"] == "found"
    assert all("status" in p and "evidence" in p for p in data["points"])


def test_hints_used_lowers_the_score() -> None:
    base = json.loads(
        run_cli("grade", "tracker-choice", "--answer", GOOD, "--json", "--no-save", *TINY).stdout
    )
    hinted = json.loads(
        run_cli(
            "grade",
            "tracker-choice",
            "--answer",
            GOOD,
            "--json",
            "--no-save",
            "--hints-used",
            "1",
            *TINY,
        ).stdout
    )
    assert hinted["score"] == max(0, base["score"] - 5)


def test_not_utf8_answer_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "answer.txt"
    bad.write_bytes(b"MLflow in our VPC \xff\xfe caf\xe9")
    proc = run_cli("grade", "tracker-choice", "--answer-file", str(bad), "--no-save", *TINY)
    assert_one_line_error(proc, str(bad), "not UTF-8")


def test_binary_answer_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "answer.bin"
    bad.write_bytes(b"\x00\x01\x02binary")
    assert_one_line_error(
        run_cli("grade", "tracker-choice", "--answer-file", str(bad), "--no-save", *TINY),
        "not a text file",
    )


def test_missing_answer_file_is_refused(tmp_path: Path) -> None:
    proc = run_cli(
        "grade", "tracker-choice", "--answer-file", str(tmp_path / "nope.txt"), "--no-save", *TINY
    )
    assert_one_line_error(proc, "nope.txt", "no such")


def test_unknown_prompt_is_refused() -> None:
    proc = run_cli("grade", "tracker-choise", "--answer", GOOD, "--no-save", *TINY)
    assert_one_line_error(
        proc, "unknown prompt id 'tracker-choise'", "did you mean 'tracker-choice'"
    )


def test_oversized_answer_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("MLflow in the VPC. " * 4000)
    proc = run_cli("grade", "tracker-choice", "--answer-file", str(big), "--no-save", *TINY)
    assert_one_line_error(proc, "limit is 50,000")
    huge = tmp_path / "huge.txt"
    huge.write_text("x" * 300_000)
    assert_one_line_error(
        run_cli("grade", "tracker-choice", "--answer-file", str(huge), "--no-save", *TINY), "limit"
    )


@pytest.mark.parametrize("answer", ["", "  \n\t "])
def test_empty_answer_is_refused(answer: str) -> None:
    proc = run_cli(
        "grade", "tracker-choice", "--answer-file", "-", "--no-save", *TINY, input=answer
    )
    assert_one_line_error(proc, "empty")


def test_usage_errors_are_one_line_and_exit_1() -> None:
    assert_one_line_error(run_cli("grade", "tracker-choice", "--no-save", *TINY), "--answer-file")
    assert_one_line_error(run_cli("list", "--difficulty", "impossible"), "invalid choice")
    assert_one_line_error(run_cli("frobnicate"), "invalid choice")


def test_batch_grades_in_order_one_line_each(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    rows = [
        {"prompt_id": "tracker-choice", "answer": GOOD},
        {
            "prompt_id": "url-short",
            "answer": "Reads dominate writes so a Redis cache sits in front of the store.",
        },
        {"prompt_id": "tracker-choice", "answer": "We log patient records to the W&B cloud."},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    proc = run_cli("grade", "--batch", str(batch), "--json", *TINY)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["prompt_id"] for o in out] == [r["prompt_id"] for r in rows]
    assert out[0]["score"] > out[2]["score"]


def test_batch_reports_bad_lines_in_place(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps({"prompt_id": "tracker-choice", "answer": GOOD})
        + "\n{not json\n"
        + json.dumps({"prompt_id": "nope", "answer": "x"})
        + "\n"
    )
    proc = run_cli("grade", "--batch", str(batch), "--json", *TINY)
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert "score" in out[0]
    assert out[1]["line"] == 2 and "batch.jsonl:2" in out[1]["error"]
    assert out[2]["line"] == 3 and "unknown prompt id" in out[2]["error"]


def test_list_filters_and_json() -> None:
    data = json.loads(run_cli("list", "--json", *TINY).stdout)
    ids = {p["id"] for p in data}
    assert {"tracker-choice", "url-short"} <= ids
    only = json.loads(run_cli("list", "--json", "--category", "systems", *TINY).stdout)
    assert [p["id"] for p in only] == ["url-short"]
    tagged = json.loads(run_cli("list", "--json", "--tag", "tiny-test", *TINY).stdout)
    assert [p["id"] for p in tagged] == ["tracker-choice"]
    assert_one_line_error(run_cli("list", "--category", "nope", *TINY), "unknown category 'nope'")


def test_show_prints_prompt_and_model_answer_on_request() -> None:
    plain = run_cli("show", "url-short", *TINY)
    assert plain.returncode == 0
    assert "Design a service that turns long URLs" in plain.stdout
    assert "Model answer" not in plain.stdout
    full = run_cli("show", "url-short", "--model-answer", *TINY)
    assert "Model answer" in full.stdout and "base62" in full.stdout


def test_show_hints_shows_the_first_n() -> None:
    plain = run_cli("show", "tracker-choice", *TINY)
    assert "Where may patient data live?" not in plain.stdout
    assert "--hints N" in plain.stdout  # says how to see them
    one = run_cli("show", "tracker-choice", "--hints", "1", *TINY)
    assert one.returncode == 0
    assert "1. Where may patient data live?" in one.stdout
    assert "Which tool is self-hosted?" not in one.stdout
    assert "--hints-used 1" in one.stdout  # what they cost when graded
    every = run_cli("show", "tracker-choice", "--hints", "9", *TINY)
    assert "2. Which tool is self-hosted?" in every.stdout
    assert_one_line_error(run_cli("show", "tracker-choice", "--hints", "-1", *TINY), "--hints")


def run_in_terminal(*args: str) -> str:
    """The console script with its output on a pseudo-terminal 80 columns wide, as a person
    runs it (colour off, so the text can be read back)."""
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "xterm-256color"}
    proc = subprocess.Popen([designprep_exe(), *args], stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0, out
    text = out.decode().replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # bold and italic stay with NO_COLOR


def test_show_renders_markdown_in_a_terminal(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    prompt = bank / "mlops" / "tracker-choice.yaml"
    prompt.write_text(
        prompt.read_text().replace(
            "  A hospital research group trains models on patient data.",
            "  A hospital research group trains models on **patient data**:\n\n"
            "  - 30 data scientists\n  - one auditor\n\n ",
        )
    )
    shown = run_in_terminal("show", "tracker-choice", "--hints", "1", "--bank", str(bank))
    assert "patient data:" in shown and "**" not in shown
    assert "• 30 data scientists" in shown and "- 30" not in shown
    assert "1. Where may patient data live?" in shown
    piped = run_cli("show", "tracker-choice", "--bank", str(bank)).stdout
    assert "**patient data**" in piped  # into a file or a pipe: the Markdown as written


def test_environment_bank_is_loaded() -> None:
    data = json.loads(run_cli("list", "--json", env={"DESIGNPREP_BANK": str(TINY_BANK)}).stdout)
    assert "url-short" in {p["id"] for p in data}


def test_validate_reports_scores_and_problems(tmp_path: Path) -> None:
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    ok = run_cli("validate", "--bank", str(bank), "--json")
    report = json.loads(ok.stdout)
    assert {r["id"] for r in report["prompts"]} == {"tracker-choice", "url-short"}
    tracker = next(r for r in report["prompts"] if r["id"] == "tracker-choice")
    assert tracker["model_answer"] >= 85
    assert [s["stated"] for s in tracker["samples"]] == [90, 10]
    # Break a file: validate names it and exits 1, the rest is still checked.
    (bank / "systems" / "url-short.yaml").write_text("id: url-short\ntitle: [oops\n")
    bad = run_cli("validate", "--bank", str(bank))
    assert bad.returncode == 1
    assert "url-short.yaml:" in bad.stdout and "invalid YAML" in bad.stdout
    assert "tracker-choice" in bad.stdout


def test_validate_flags_a_sample_far_from_its_stated_score(tmp_path: Path) -> None:
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    prompt = bank / "mlops" / "tracker-choice.yaml"
    prompt.write_text(prompt.read_text().replace("  - score: 10\n", "  - score: 95\n"))
    proc = run_cli("validate", "--bank", str(bank))
    assert proc.returncode == 0  # listed, with what the grader saw in it
    assert "sample off:" in proc.stdout and "samples[1]" in proc.stdout
    assert "stated 95" in proc.stdout and "points covered" in proc.stdout
    strict = run_cli("validate", "--strict", "--bank", str(bank))
    assert strict.returncode == 1
    assert "error:" in strict.stdout and "stated 95" in strict.stdout


def test_schema_prints_and_writes(tmp_path: Path) -> None:
    schema = json.loads(run_cli("schema", "rubric").stdout)
    assert "points" in schema["properties"]
    proc = run_cli("schema", "--write", str(tmp_path))
    assert proc.returncode == 0
    assert json.loads((tmp_path / "prompt.schema.json").read_text())["title"] == "Prompt"


def test_committed_schema_files_are_current() -> None:
    root = Path(__file__).resolve().parents[1] / "schema"
    from designprep.cli.bank_cmds import schemas

    for kind, schema in schemas().items():
        assert json.loads((root / f"{kind}.schema.json").read_text()) == schema, (
            f"schema/{kind}.schema.json is stale: run 'designprep schema --write schema'"
        )


def test_validate_warns_about_phrases_too_short_to_match(tmp_path: Path) -> None:
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(TINY_BANK, bank)
    rubric = bank / "rubrics" / "url-short.yaml"
    text = rubric.read_text().replace(
        "      - cache the popular links so redirects skip the database",
        "      - cache the popular links so redirects skip the database\n      - the redis",
    )
    rubric.write_text(text)
    line = text.splitlines().index("      - the redis") + 1
    proc = run_cli("validate", "--bank", str(bank))
    assert f"url-short.yaml:{line}: points[0].evidence[2]: 'the redis' has fewer than two" in (
        proc.stdout
    )
    assert proc.returncode == 0  # a warning, not a failure


def test_the_command_table_matches_the_registered_commands() -> None:
    """cli.commands lists every command with the module that registers it."""
    import importlib

    from designprep.cli.commands import COMMANDS
    from designprep.cli.main import build_parser

    assert set(_commands()) == set(COMMANDS)
    for name, (module, summary) in COMMANDS.items():
        sub = next(a for a in build_parser([name])._actions if a.dest == "command")
        assert sub.choices[name].description, name  # the real parser, not the listing
        assert sub.choices[name] is not None and summary
        assert hasattr(importlib.import_module(f"designprep.cli.{module}"), "register")


def test_top_level_help_and_a_typo_stay_light() -> None:
    """`designprep --help` imports no command module, nor the loader, numpy or Textual."""
    code = (
        "import sys, contextlib, io; from designprep.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "heavy = [m for m in ('numpy', 'pydantic', 'yaml', 'textual', 'designprep.grading',"
        " 'designprep.cli.grade_cmd') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    typo = run_cli("grdae", "x")
    assert typo.returncode == 1 and "invalid choice" in typo.stderr
