"""``designprep eval``: the real console script on small CSVs made here, plus its maths."""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from designprep.grading.agreement import fit_leave_one_group_out, pearson, spearman

TINY_BANK = Path(__file__).parent / "data" / "tiny_bank"

Q1 = "What is the role of a prototype program in problem solving?"
R1 = "To simulate the behaviour of portions of the desired software product."
Q2 = "What is a queue?"
R2 = "A data structure that stores elements in first in first out order."
ROWS = [
    # (group, question, reference, answer, score)
    ("1", Q1, R1, "It simulates the behaviour of portions of the desired software product.", 5),
    ("1", Q1, R1, "A prototype simulates part of the desired product before it is built.", 4.5),
    ("1", Q1, R1, "To simulate portions of the final software product.", 5),
    ("1", Q1, R1, "It shows part of the software so the customer can see it.", 3),
    ("1", Q1, R1, "It is the final compiled program shipped to customers.", 1),
    ("1", Q1, R1, "Problem solving.", 0),
    ("2", Q2, R2, "A data structure storing elements first in first out.", 5),
    ("2", Q2, R2, "A list where elements are added at the back and removed in FIFO order.", 4.5),
    ("2", Q2, R2, "A first in first out structure of elements.", 5),
    ("2", Q2, R2, "A structure that stores elements.", 2.5),
    ("2", Q2, R2, "A last in first out stack.", 1),
    ("2", Q2, R2, "A kind of loop.", 0),
]
COLS = [
    "--question-col", "question",
    "--reference-col", "reference",
    "--answer-col", "answer",
    "--score-col", "score",
]  # fmt: skip


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def graded_csv(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "graded.csv",
        [
            {"group": g, "question": q, "reference": r, "answer": a, "score": s}
            for g, q, r, a, s in ROWS
        ],
    )


def designprep(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("designprep", path=str(Path(sys.executable).parent)) or shutil.which(
        "designprep"
    )
    assert exe, "the designprep console script is not installed"
    return subprocess.run(
        [exe, *args], capture_output=True, text=True, env=dict(os.environ), timeout=120
    )


def one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    # "warning: skipped <file>" lines are about the bank, not this error
    lines = [
        line
        for line in proc.stderr.splitlines()
        if line.strip() and not line.startswith("warning:")
    ]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_help_documents_the_options() -> None:
    proc = designprep("eval", "--help")
    assert proc.returncode == 0
    for option in (
        "--csv",
        "--question-col",
        "--group-col",
        "--rubric-col",
        "--json",
        "--no-peers",
    ):
        assert option in proc.stdout


def test_json_has_the_figures(graded_csv: Path) -> None:
    proc = designprep("eval", "--csv", str(graded_csv), *COLS, "--group-col", "group", "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal
    data = json.loads(proc.stdout)
    assert set(data) == {"n", "pearson", "spearman", "rmse", "seconds"}
    assert data["n"] == len(ROWS)
    assert data["pearson"] > 0.5
    assert data["spearman"] > 0.5
    assert 0 < data["rmse"] < 5
    assert data["seconds"] >= 0


def test_text_output_and_no_peers(graded_csv: Path) -> None:
    proc = designprep("eval", "--csv", str(graded_csv), *COLS, "--no-peers")
    assert proc.returncode == 0, proc.stderr
    for label in ("n ", "Pearson r", "Spearman", "RMSE", "wall time", "reference only"):
        assert label in proc.stdout
    peers = designprep("eval", "--csv", str(graded_csv), *COLS)
    assert "peers" in peers.stdout


def test_bad_column_is_one_line_naming_file_and_column(graded_csv: Path) -> None:
    proc = designprep("eval", "--csv", str(graded_csv), *COLS[:-1], "grade", "--group-col", "group")
    one_line_error(proc, str(graded_csv), "'grade'", "--score-col")


def test_missing_or_unreadable_csv(tmp_path: Path) -> None:
    one_line_error(designprep("eval", "--csv", str(tmp_path / "nope.csv"), *COLS), "nope.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"question,answer\n\xff\xfe\x00\x00")
    one_line_error(designprep("eval", "--csv", str(binary), *COLS), "binary.csv", "UTF-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    one_line_error(designprep("eval", "--csv", str(empty), *COLS), "empty.csv")


def test_score_that_is_not_a_number_names_line_and_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        [
            {"question": Q2, "reference": R2, "answer": "a FIFO list", "score": "4"},
            {"question": Q2, "reference": R2, "answer": "a stack", "score": "high"},
        ],
    )
    one_line_error(designprep("eval", "--csv", str(path), *COLS), "bad.csv:3", "'score'", "high")


def test_neither_reference_nor_rubric_is_an_error(graded_csv: Path) -> None:
    proc = designprep(
        "eval", "--csv", str(graded_csv), "--answer-col", "answer", "--score-col", "score"
    )
    one_line_error(proc, "--reference-col")


def test_rubric_column_grades_against_the_bank(tmp_path: Path) -> None:
    good = (
        "Patient data never leaves our network, so I would host MLflow in our own VPC. "
        "The winning model is pushed to the MLflow model registry, which gates production."
    )
    rows: list[dict[str, object]] = [
        {"prompt": "tracker-choice", "answer": good, "score": 90},
        {"prompt": "tracker-choice", "answer": "I like dashboards.", "score": 10},
        {"prompt": "tracker-choice", "answer": "Host MLflow ourselves.", "score": 40},
    ]
    path = write_csv(tmp_path / "rubric.csv", rows)
    args = ["eval", "--csv", str(path), "--answer-col", "answer", "--score-col", "score"]
    proc = designprep(*args, "--rubric-col", "prompt", "--bank", str(TINY_BANK), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["n"] == 3
    assert data["pearson"] > 0, (data, proc.stderr)

    rows[1]["prompt"] = "no-such-prompt"
    write_csv(path, rows)
    proc = designprep(*args, "--rubric-col", "prompt", "--bank", str(TINY_BANK))
    one_line_error(proc, "rubric.csv:3", "'prompt'", "no-such-prompt")


def test_pearson_and_spearman() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1.0)
    # ties share their average rank: same as scipy.stats.spearmanr
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(0.9486832980505138)


def test_linear_map_is_fitted_without_the_held_out_group() -> None:
    predicted = [0.0, 50.0, 100.0, 0.0, 50.0, 100.0]
    gold = [0.0, 2.5, 5.0, 1.0, 3.0, 5.0]
    fitted = fit_leave_one_group_out(predicted, gold, ["a", "a", "a", "b", "b", "b"])
    # group a is predicted from group b's line (gold = 1 + 0.04 x) and vice versa
    assert fitted[:3] == pytest.approx([1.0, 3.0, 5.0])
    assert fitted[3:] == pytest.approx([0.0, 2.5, 5.0])
    # one group only: each row is left out in turn, and never predicts itself
    single = fit_leave_one_group_out([0.0, 1.0, 2.0], [0.0, 10.0, 0.0], ["g"] * 3)
    assert all(math.isfinite(x) for x in single)
    assert single[1] != 10.0


def test_several_references_per_question_keep_the_best_grade() -> None:
    from designprep.cli.eval_cmd import Row, grade_rows

    q = "Why do we cache hot keys?"
    refs = [
        "Reads dominate, so a cache in front of the store absorbs the popular keys.",
        "It cuts latency: memory lookups take microseconds while disk reads take milliseconds.",
    ]
    answer = "Memory lookups take microseconds and disk reads take milliseconds, so latency drops."
    alone = [grade_rows([Row(1, answer, 5, q, r)], peers=False)[0] for r in refs]
    both = grade_rows([Row(1, answer, 5, q, refs[0]), Row(2, answer, 5, q, refs[1])], peers=False)
    assert alone[1] > alone[0]
    assert both == [alone[1], alone[1]]
