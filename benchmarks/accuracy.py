"""Grading accuracy on the Mohler et al. (2011) short-answer benchmark.

    python benchmarks/accuracy.py [--csv PATH]

Runs ``designprep eval`` on mohler.csv (the public UNT data-structures set: 2,273 answers
to 81 questions, two human grades 0-5; see SOURCE.md next to it) in reference mode, with
and without peers, and prints Pearson r / Spearman rho / RMSE against the averaged human
score, overall, for assignments 1-6 (where every parameter was chosen) and 7-12 (held
out), and per assignment, plus the wall time of the eval command, imports included.

Groups for the leave-one-group-out RMSE map are assignments (the part of question_id
before the dot; read as a string: 11.10 is not 11.1). Nothing is fitted on the scores
except that linear map. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from designprep.cli.eval_cmd import Evaluation, evaluate, read_rows
from designprep.grading.agreement import pearson, spearman

DEFAULT_CSV = (
    Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "mohler" / "mohler.csv"
)
COLUMNS = [
    "--question-col", "question",
    "--reference-col", "reference_answer",
    "--answer-col", "student_answer",
    "--score-col", "score_avg",
    "--group-col", "assignment",
]  # fmt: skip


def with_assignment_column(src: Path, dst: Path) -> None:
    """Copy the CSV adding ``assignment``, the part of question_id before the dot."""
    with (
        src.open(encoding="utf-8", newline="") as fin,
        dst.open("w", encoding="utf-8", newline="") as fout,
    ):
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, [*(reader.fieldnames or []), "assignment"])
        writer.writeheader()
        for row in reader:
            writer.writerow({**row, "assignment": row["question_id"].split(".")[0]})


def run_cli(path: Path, peers: bool) -> tuple[dict[str, float], float]:
    """``designprep eval --json`` in a fresh process: its figures and its wall time."""
    exe = shutil.which("designprep") or sys.executable
    cmd = [exe] if exe != sys.executable else [exe, "-m", "designprep.cli.main"]
    cmd += ["eval", "--csv", str(path), *COLUMNS, "--json", "--peers" if peers else "--no-peers"]
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout), time.perf_counter() - start


def split(ev: Evaluation, keep: set[str]) -> tuple[int, float | None, float | None, float]:
    idx = [i for i, r in enumerate(ev.rows) if r.group in keep]
    pred = [ev.predicted[i] for i in idx]
    gold = [ev.rows[i].gold for i in idx]
    rmse = math.sqrt(sum((ev.fitted[i] - ev.rows[i].gold) ** 2 for i in idx) / len(idx))
    return len(idx), pearson(pred, gold), spearman(pred, gold), rmse


def fmt(x: float | None, width: int = 6) -> str:
    return f"{'n/a':>{width}}" if x is None else f"{x:{width}.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="path of mohler.csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mohler_with_assignment.csv"
        with_assignment_column(args.csv, path)
        cli = {peers: run_cli(path, peers) for peers in (True, False)}
        rows = read_rows(
            str(path),
            answer_col="student_answer",
            score_col="score_avg",
            question_col="question",
            reference_col="reference_answer",
            group_col="assignment",
        )
    evals = {peers: evaluate(rows, peers=peers) for peers in (True, False)}
    groups = sorted({r.group for r in rows}, key=int)
    first, second = {g for g in groups if int(g) <= 6}, {g for g in groups if int(g) > 6}
    questions = len({(r.question, r.reference) for r in rows})

    print(
        f"Mohler et al. (2011): {len(rows)} answers, {questions} questions, "
        f"{len(groups)} assignments"
    )
    print("gold = score_avg (0-5); RMSE after a linear map fitted leave-one-assignment-out\n")
    print(
        f"{'mode':<16}{'n':>6}{'r':>7}{'rho':>7}{'RMSE':>7}"
        f"{'r 1-6':>8}{'r 7-12':>8}{'wall s':>8}   (wall: designprep eval, imports included)"
    )
    for peers, name in ((True, "peers"), (False, "reference only")):
        figs, wall = cli[peers]
        _, r_lo, _, _ = split(evals[peers], first)
        _, r_hi, _, _ = split(evals[peers], second)
        print(
            f"{name:<16}{figs['n']:>6}{fmt(figs['pearson'], 7)}{fmt(figs['spearman'], 7)}"
            f"{fmt(figs['rmse'], 7)}{fmt(r_lo, 8)}{fmt(r_hi, 8)}{wall:8.2f}"
        )

    print("\nsplit            n      r    rho   RMSE   (peers | reference only)")
    for label, keep in (("1-6 (tuning)", first), ("7-12 (held out)", second)):
        cells = []
        for peers in (True, False):
            n, r, rho, rmse = split(evals[peers], keep)
            cells.append(f"{fmt(r)} {fmt(rho)} {fmt(rmse)}")
        print(f"{label:<15}{n:>5} {cells[0]}  | {cells[1]}")

    print("\nper assignment   n  r peers  r ref")
    for g in groups:
        n, r_p, _, _ = split(evals[True], {g})
        _, r_r, _, _ = split(evals[False], {g})
        print(f"{g:>10} {n:>7} {fmt(r_p, 7)} {fmt(r_r, 6)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
