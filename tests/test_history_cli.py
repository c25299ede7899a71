"""The history commands: history, stats, next, export, import, and grade's saving.

Most run in-process through ``main()`` (fast); the error paths that must never show a
traceback also run through the real console script.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from designprep.bank import Bank, Prompt
from designprep.cli import grade_cmd
from designprep.cli.main import build_parser, main
from designprep.grading import GradeResult
from designprep.history import HistoryStore
from tests.conftest import TINY_BANK, run_cli
from tests.test_history_store import read_only_dir, result_for, save  # noqa: F401

TINY = ["--bank", str(TINY_BANK)]
HISTORY_COMMANDS = ("history", "stats", "next", "export", "import")
NOW = datetime.now(UTC).replace(microsecond=0)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def history(tiny_bank: Bank) -> HistoryStore:
    """The default store (under DESIGNPREP_HOME) with five attempts over the tiny bank."""
    with HistoryStore.open() as store:
        for days, pid, score in [
            (9, "url-short", 40),
            (6, "tracker-choice", 55),
            (4, "url-short", 62),
            (2, "tracker-choice", 81),
            (1, "url-short", 90),
        ]:
            save(store, tiny_bank, pid, score, NOW - timedelta(days=days), missed=("b",))
        yield store  # type: ignore[misc]


class FakeGrader:
    """Stands in for the real grader (built over the whole bundled bank: seconds)."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank

    def grade(self, prompt: Prompt, answer: str, hints_used: int = 0) -> GradeResult:
        return result_for(prompt.id, 77, hints_used=hints_used)


def test_every_history_command_and_option_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in HISTORY_COMMANDS:
        command = sub.choices[name]
        assert command.description, name
        for action in command._actions:
            if action.option_strings or action.dest not in {"help"}:
                assert action.help, f"{name} {action.option_strings or action.dest}"


def test_grade_saves_unless_no_save(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grade_cmd, "grader_for", FakeGrader)
    args = ["grade", "tracker-choice", "--answer", "Host MLflow in our VPC.", *TINY]
    assert cli(capsys, *args, "--no-save")[0] == 0
    code, out, err = cli(capsys, *args, "--hints-used", "1")
    assert code == 0 and "Score 77/100" in out and not err
    with HistoryStore.open() as store:
        [attempt] = store.attempts()
    assert (attempt.prompt_id, attempt.score, attempt.hints_used) == ("tracker-choice", 77, 1)
    assert attempt.answer == "Host MLflow in our VPC."
    assert attempt.category == "mlops" and len(attempt.content_hash) == 16


def test_grade_with_a_damaged_history_still_shows_the_result(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grade_cmd, "grader_for", FakeGrader)
    with HistoryStore.open() as store:
        path = store.path
    path.write_bytes(b"garbage" * 1000)
    code, out, err = cli(capsys, "grade", "url-short", "--answer", "Cache it.", "--json", *TINY)
    assert code == 0
    assert json.loads(out)["score"] == 77  # the grading is not lost
    assert err.count("\n") == 1 and "warning: attempt not saved" in err
    assert str(path) in err and "designprep history --recover" in err
    assert path.read_bytes() == b"garbage" * 1000  # and the file is left for the user to decide


def test_history_table(capsys: pytest.CaptureFixture[str], history: HistoryStore) -> None:
    code, out, _ = cli(capsys, "history")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:4] == ["#", "when", "prompt", "score"]
    assert lines[1].split()[0] == "5" and "url-short" in lines[1] and " 90 " in lines[1]
    assert len(lines) == 6
    code, out, _ = cli(capsys, "history", "--limit", "2")
    assert "showing the latest 2 of 5; --all or --limit N for more" in out


def test_history_json_csv_and_filters(
    capsys: pytest.CaptureFixture[str], history: HistoryStore
) -> None:
    _, out, _ = cli(capsys, "history", "--json")
    records = json.loads(out)
    assert [r["id"] for r in records] == [5, 4, 3, 2, 1]
    assert records[0]["prompt_id"] == "url-short" and records[0]["score"] == 90
    assert records[0]["submitted_at"].endswith("+00:00") and "answer" not in records[0]

    _, out, _ = cli(capsys, "history", "--csv", "--prompt", "tracker-choice")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["score"] for r in rows] == ["81", "55"]

    _, out, _ = cli(capsys, "history", "--json", "--since", "5d")
    assert [r["id"] for r in json.loads(out)] == [5, 4, 3]
    since_date = (NOW - timedelta(days=3)).astimezone().date().isoformat()
    _, out, _ = cli(capsys, "history", "--json", "--since", since_date)
    assert {r["id"] for r in json.loads(out)} >= {4, 5}
    _, out, _ = cli(capsys, "history", "--json", "--since", "yesterday")
    assert [r["id"] for r in json.loads(out)] == [5]

    code, _, err = cli(capsys, "history", "--since", "last tuesday")
    assert code == 1 and err.count("\n") == 1 and "--since: 'last tuesday'" in err


def test_history_id_shows_the_attempt_as_graded(
    capsys: pytest.CaptureFixture[str], history: HistoryStore, tiny_bank: Bank
) -> None:
    code, out, _ = cli(capsys, "history", "--id", "5", *TINY)
    assert code == 0 and "Attempt #5" in out and "Score 90/100" in out
    assert "answer to url-short" in out and "has changed" not in out
    prompt = tiny_bank.prompts["url-short"]
    history.save_attempt(
        prompt=prompt, content_hash="0ld", answer="old", result=result_for("url-short", 20)
    )
    _, out, _ = cli(capsys, "history", "--id", "6", *TINY)
    assert "the prompt or its rubric has changed since" in out
    _, out, _ = cli(capsys, "history", "--id", "6", "--json")
    assert json.loads(out)["result"]["score"] == 20
    code, _, err = cli(capsys, "history", "--id", "99")
    assert code == 1 and "no attempt #99" in err


def test_stats(capsys: pytest.CaptureFixture[str], history: HistoryStore) -> None:
    code, out, _ = cli(capsys, "stats", *TINY)
    assert code == 0
    systems = next(line for line in out.splitlines() if line.startswith("systems "))
    assert systems.split()[1:5] == ["1/1", "3", "64", "90"]  # mean and best alike: points
    mlops = next(line for line in out.splitlines() if line.startswith("mlops "))
    assert mlops.split()[3:7] == ["68", "81", "↑", "+26"]
    assert "Most-missed reasoning points\n  missed   3 of 3    url-short       Point b" in out

    _, out, _ = cli(capsys, "stats", "--json", *TINY)
    data = json.loads(out)
    mlops = next(c for c in data["categories"] if c["category"] == "mlops")
    assert (mlops["attempts"], mlops["mean_score"], mlops["best_score"]) == (2, 68.0, 81)
    assert mlops["trend"] == 26.0  # 81 after 55
    top = data["most_missed_points"][0]
    assert (top["point_id"], top["missed_count"], top["attempts"]) == ("b", 3, 3)


def test_next(capsys: pytest.CaptureFixture[str], history: HistoryStore) -> None:
    code, out, _ = cli(capsys, "next", "--json")
    pick = json.loads(out)
    assert code == 0 and pick["reason"] == "unseen"  # most of the bundled bank is unseen
    assert pick["detail"].startswith("never attempted")
    _, out, _ = cli(capsys, "next")
    assert out.splitlines()[1].startswith("  why:   unseen: never attempted")
    assert out.splitlines()[2] == f"  start: designprep show {pick['prompt_id']}"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_round_trip(
    capsys: pytest.CaptureFixture[str],
    history: HistoryStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    target = tmp_path / f"all.{fmt}"
    code, out, err = cli(capsys, "export", "--format", fmt, "-o", str(target))
    assert code == 0 and not out and f"exported 5 attempt(s) to {target}" in err
    before = [(a.prompt_id, a.submitted_at, a.score) for a in history.attempts()]

    monkeypatch.setenv("DESIGNPREP_HOME", str(tmp_path / "elsewhere"))
    code, out, _ = cli(capsys, "import", str(target))
    assert code == 0 and "imported 5 attempt(s)" in out
    code, out, _ = cli(capsys, "import", str(target), "--json")
    assert json.loads(out) == {"added": 0, "skipped": 5}
    with HistoryStore.open() as other:
        assert [(a.prompt_id, a.submitted_at, a.score) for a in other.attempts()] == before


def test_export_markdown_and_filters_to_stdout(
    capsys: pytest.CaptureFixture[str], history: HistoryStore
) -> None:
    code, out, _ = cli(capsys, "export", "--format", "markdown", "--prompt", "tracker-choice")
    assert code == 0 and out.startswith("# designprep history")
    assert out.count("\n## ") == 2
    _, out, _ = cli(capsys, "export", "--since", "3d")
    data: dict[str, Any] = json.loads(out)
    assert data["format"] == "designprep-history" and len(data["attempts"]) == 2


def test_import_errors_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, "import", str(tmp_path / "missing.json"))
    assert code == 1 and err.count("\n") == 1 and "missing.json: no such file" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("prompt_id,score\nx,5\n")
    code, _, err = cli(capsys, "import", str(bad))
    assert code == 1 and "not a designprep CSV export" in err


def test_blocked_data_folder_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("DESIGNPREP_HOME", str(tmp_path / "file" / "data"))
    code, _, err = cli(capsys, "history")
    assert code == 1 and err.count("\n") == 1
    assert "cannot create the data folder" in err and "DESIGNPREP_HOME" in err


# -- through the real console script -----------------------------------------------------------


def assert_clean_error(proc: Any, *needles: str) -> None:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0]


def test_damaged_history_error_and_recover_in_a_real_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    path = home / "history.sqlite3"
    path.write_text("not a database\n" * 100)
    env = {"DESIGNPREP_HOME": str(home)}
    assert_clean_error(
        run_cli("history", env=env), str(path), "designprep history --recover", ".corrupt-"
    )
    proc = run_cli("history", "--recover", env=env)
    assert proc.returncode == 0, proc.stderr
    [moved] = home.glob("history.sqlite3.corrupt-*")
    assert moved.read_text() == "not a database\n" * 100
    assert str(moved) in proc.stdout and path.exists()


def test_read_only_data_folder_in_a_real_process(read_only_dir: Path) -> None:  # noqa: F811
    proc = run_cli("stats", "--json", env={"DESIGNPREP_HOME": str(read_only_dir)})
    assert_clean_error(proc, str(read_only_dir / "history.sqlite3"), "writable")


def test_an_attempt_from_a_bank_folder_not_loaded_says_where_it_is_and_counts_apart(
    capsys: pytest.CaptureFixture[str], tiny_bank: Bank
) -> None:
    # graded with --bank TINY_BANK (tracker-choice is in mlops, as built-in prompts are)
    with HistoryStore.open() as store:
        prompt = tiny_bank.prompts["tracker-choice"]
        store.save_attempt(
            prompt=prompt,
            content_hash=tiny_bank.content_hash(prompt),
            answer="Host MLflow in our VPC.",
            result=result_for("tracker-choice", 70),
            bank_dir=TINY_BANK,
        )
    folder = str(TINY_BANK.resolve())
    code, out, _ = cli(capsys, "history", "--id", "1")  # without --bank
    assert code == 0 and "no longer in the bank" not in out
    assert folder in out and f"--bank {folder}" in out

    _, out, _ = cli(capsys, "stats", "--json")
    data = json.loads(out)
    mlops = next(c for c in data["categories"] if c["category"] == "mlops")
    assert (mlops["attempted"], mlops["attempts"]) == (0, 0)  # not against the built-in ones
    (apart,) = data["not_in_bank"]
    assert (apart["category"], apart["attempts"], apart["best_score"]) == ("mlops", 1, 70)
    assert apart["banks"] == [folder]
    _, out, _ = cli(capsys, "stats")
    mlops_line = next(line for line in out.splitlines() if line.startswith("mlops "))
    assert mlops_line.split()[1:3] == ["0/" + str(mlops["prompts"]), "0"]
    assert "not in the bank loaded now" in out and f"--bank {folder}" in out

    _, out, _ = cli(capsys, "stats", "--json", *TINY)  # with the folder: counted in
    assert json.loads(out)["not_in_bank"] == []


def test_grade_records_the_bank_folder_of_its_prompt(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = cli(
        capsys, "grade", "tracker-choice", "--answer", "Host MLflow in our VPC.", *TINY
    )
    assert code == 0
    code, out, _ = cli(capsys, "history", "--id", "1")  # without --bank
    assert f"add --bank {TINY_BANK.resolve()}" in out


def test_importing_a_markdown_export_says_it_is_for_reading(
    capsys: pytest.CaptureFixture[str], history: HistoryStore, tmp_path: Path
) -> None:
    target = tmp_path / "history.md"
    assert cli(capsys, "export", "--format", "markdown", "-o", str(target))[0] == 0
    code, _, err = cli(capsys, "import", str(target))
    assert code == 1 and err.count("\n") == 1
    assert "Markdown export" in err and "cannot be imported" in err and "--format json" in err
    assert "missing" not in err
