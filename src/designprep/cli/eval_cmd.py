"""``designprep eval``: how well do the grades agree with human grades in a CSV?

Every row of the CSV is graded (reference-answer mode, or rubric mode where the row
names a prompt of the bank) and the grades are compared with the CSV's human scores:
Pearson r, Spearman rho, and the RMSE on the CSV's own score scale after a linear map
from 0-100 to that scale. The map is fitted leave-one-group-out: each group's
predictions come from a line fitted on the other groups only, so the RMSE is not
in-sample. Nothing else is learnt from the scores.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from designprep.cli.commands import summary
from designprep.cli.common import UserError, add_bank_option, load, print_json
from designprep.grading.agreement import fit_leave_one_group_out, pearson, spearman

PEERS_HELP = (
    "peers mode (the default): the other answers to the same question (same question and "
    "reference text) are unlabelled context, never their scores; --no-peers grades each "
    "answer against its reference alone, as for a single answer"
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "eval",
        help=summary("eval"),
        description=(
            "Grade every row of a CSV of human-scored answers and print n, Pearson r, Spearman "
            "rho and RMSE against the human scores, and the wall time. Rows are graded "
            "against their reference answer (reference mode) or, with --rubric-col, against "
            "the rubric of the bank prompt that column names. RMSE is on the CSV's score "
            "scale, after a linear map fitted leave-one-group-out (--group-col; by default "
            "each question is a group), so it is not in-sample. Useful to calibrate a rubric "
            "against answers you have graded yourself."
        ),
    )
    p.add_argument("--csv", required=True, metavar="FILE", help="UTF-8 CSV with a header row")
    p.add_argument("--question-col", metavar="C", help="column with the question text")
    p.add_argument(
        "--reference-col",
        metavar="C",
        help=(
            "column with the reference answer; rows of one question may give several, and "
            "each answer keeps its best grade"
        ),
    )
    p.add_argument("--answer-col", required=True, metavar="C", help="column with the answer")
    p.add_argument("--score-col", required=True, metavar="C", help="column with the human score")
    p.add_argument(
        "--group-col",
        metavar="C",
        help="column whose values are the groups left out in turn when fitting the linear "
        "map for RMSE (default: each question, i.e. each question and reference text)",
    )
    p.add_argument(
        "--rubric-col",
        metavar="C",
        help="column with a prompt id of the bank: that row is graded in rubric mode "
        "(rows where it is empty fall back to reference mode)",
    )
    p.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=PEERS_HELP,
    )
    p.add_argument(
        "--json", action="store_true", help="print n, pearson, spearman, rmse, seconds as JSON"
    )
    add_bank_option(p)
    p.set_defaults(func=run)


@dataclass(frozen=True)
class Row:
    line: int  # line of the CSV file the row starts on
    answer: str
    gold: float
    question: str = ""
    reference: str = ""
    group: str = ""
    rubric: str = ""


@dataclass(frozen=True)
class Evaluation:
    rows: list[Row]
    predicted: list[float]  # 0-100
    fitted: list[float]  # on the CSV's scale, leave-one-group-out
    n: int
    pearson: float | None
    spearman: float | None
    rmse: float | None
    seconds: float

    def summary(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "pearson": _round(self.pearson),
            "spearman": _round(self.spearman),
            "rmse": _round(self.rmse),
            "seconds": round(self.seconds, 2),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def read_rows(
    path: str,
    *,
    answer_col: str,
    score_col: str,
    question_col: str | None = None,
    reference_col: str | None = None,
    group_col: str | None = None,
    rubric_col: str | None = None,
) -> list[Row]:
    """Read and check the CSV; every problem is a ``UserError`` naming file, line, column."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise UserError(f"{path}: the CSV is empty (no header row)")
            names = [h.strip() for h in header]
            wanted = {
                "--answer-col": answer_col,
                "--score-col": score_col,
                "--question-col": question_col,
                "--reference-col": reference_col,
                "--group-col": group_col,
                "--rubric-col": rubric_col,
            }
            col: dict[str, int] = {}
            for option, name in wanted.items():
                if name is None:
                    continue
                if name not in names:
                    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
                    raise UserError(f"{path}: no column '{name}' ({option}); columns: {shown}")
                col[option] = names.index(name)
            rows: list[Row] = []
            for record in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    continue

                def cell(option: str, record: list[str] = record) -> str:
                    k = col.get(option)
                    return record[k] if k is not None and k < len(record) else ""

                raw = cell("--score-col").strip()
                try:
                    gold = float(raw)
                    if not math.isfinite(gold):
                        raise ValueError
                except ValueError:
                    raise UserError(
                        f"{path}:{line}: column '{score_col}': {raw!r} is not a number"
                    ) from None
                rubric = cell("--rubric-col").strip()
                question, reference = cell("--question-col"), cell("--reference-col")
                if not rubric and not reference.strip():
                    missing = (
                        f"column '{reference_col}' is empty"
                        if reference_col
                        else "no --reference-col given"
                    )
                    raise UserError(
                        f"{path}:{line}: cannot grade in reference mode: {missing}"
                        + (f" and column '{rubric_col}' is empty" if rubric_col else "")
                    )
                rows.append(
                    Row(
                        line=line,
                        answer=cell("--answer-col"),
                        gold=gold,
                        question=question,
                        reference=reference,
                        group=cell("--group-col") if group_col else f"{question}\n{reference}",
                        rubric=rubric,
                    )
                )
    except FileNotFoundError:
        raise UserError(f"{path}: no such CSV file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    except csv.Error as exc:
        raise UserError(f"{path}: not a readable CSV: {exc}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not rows:
        raise UserError(f"{path}: no rows to grade")
    return rows


def grade_rows(
    rows: Sequence[Row],
    *,
    peers: bool = True,
    bank_loader: Callable[[], Any] | None = None,
    path: str = "CSV",
    rubric_col: str | None = None,
    advance: Callable[[int], None] | None = None,
) -> list[float]:
    """Score (0-100) of every row, in order. Empty answers score 0."""
    from designprep.grading import MAX_ANSWER_CHARS, AnswerError
    from designprep.grading.reference import grade_reference_group

    scores = [0.0] * len(rows)
    # A question may come with several reference answers (different rows giving different
    # ones): every answer is graded against each and keeps its best grade.
    by_question: dict[str, list[int]] = {}
    rubric_rows: list[int] = []
    for i, r in enumerate(rows):
        if r.rubric:
            rubric_rows.append(i)
        else:
            by_question.setdefault(r.question, []).append(i)
    for question, idx in by_question.items():
        live = [i for i in idx if rows[i].answer.strip()]
        references = list(dict.fromkeys(rows[i].reference for i in idx if rows[i].reference))
        for reference in references or [""]:
            try:
                results = grade_reference_group(
                    question,
                    reference,
                    [rows[i].answer for i in live],
                    use_peers=peers,
                    prompt_id="reference",
                )
            except AnswerError as exc:  # an answer over the length limit
                bad = next(i for i in live if len(rows[i].answer) > MAX_ANSWER_CHARS)
                raise UserError(f"{path}:{rows[bad].line}: {exc}") from None
            for i, res in zip(live, results, strict=True):
                scores[i] = max(scores[i], float(res.score))
        if advance:
            advance(len(idx))
    if rubric_rows:
        from designprep.bank import UnknownPromptError, load_bank
        from designprep.grading import Grader

        grader = Grader(bank_loader() if bank_loader else load_bank())
        for i in rubric_rows:
            r = rows[i]
            if not r.answer.strip():
                scores[i] = 0.0
            else:
                try:
                    scores[i] = float(grader.grade(r.rubric, r.answer).score)
                except UnknownPromptError as exc:
                    raise UserError(f"{path}:{r.line}: column '{rubric_col}': {exc}") from None
                except AnswerError as exc:
                    raise UserError(f"{path}:{r.line}: {exc}") from None
            if advance:
                advance(1)
    return scores


def evaluate(
    rows: Sequence[Row],
    *,
    peers: bool = True,
    bank_loader: Callable[[], Any] | None = None,
    path: str = "CSV",
    rubric_col: str | None = None,
    progress: bool = False,
    started: float | None = None,
) -> Evaluation:
    start = time.perf_counter() if started is None else started
    with _progress_bar(len(rows), enabled=progress) as advance:
        predicted = grade_rows(
            rows,
            peers=peers,
            bank_loader=bank_loader,
            path=path,
            rubric_col=rubric_col,
            advance=advance,
        )
    gold = [r.gold for r in rows]
    fitted = fit_leave_one_group_out(predicted, gold, [r.group for r in rows])
    rmse = (
        math.sqrt(sum((f - g) ** 2 for f, g in zip(fitted, gold, strict=True)) / len(rows))
        if len(rows) >= 2
        else None
    )
    return Evaluation(
        rows=list(rows),
        predicted=predicted,
        fitted=fitted,
        n=len(rows),
        pearson=pearson(predicted, gold),
        spearman=spearman(predicted, gold),
        rmse=rmse,
        seconds=time.perf_counter() - start,
    )


@contextmanager
def _progress_bar(total: int, *, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "grading",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("grading", total=total)
        yield lambda n: bar.advance(task, n)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if not args.rubric_col and not args.reference_col:
        raise UserError("give --reference-col (reference mode) or --rubric-col (rubric mode)")
    rows = read_rows(
        args.csv,
        answer_col=args.answer_col,
        score_col=args.score_col,
        question_col=args.question_col,
        reference_col=args.reference_col,
        group_col=args.group_col,
        rubric_col=args.rubric_col,
    )
    result = evaluate(
        rows,
        peers=args.peers,
        bank_loader=lambda: load(args),
        path=args.csv,
        rubric_col=args.rubric_col,
        progress=True,
        started=started,
    )
    if args.json:
        print_json(result.summary())
        return 0
    groups = len({r.group for r in rows})
    questions = len({(r.question, r.reference) for r in rows if not r.rubric})
    rubric = sum(1 for r in rows if r.rubric)
    mode = "peers" if args.peers else "reference only"
    what = f"{questions} question(s), {mode}" + (
        f"; {rubric} row(s) in rubric mode" if rubric else ""
    )
    print(f"{args.csv}: {result.n} answers, {what}")
    print(f"n           {result.n}")
    print(f"Pearson r   {_fmt(result.pearson)}")
    print(f"Spearman    {_fmt(result.spearman)}")
    print(
        f"RMSE        {_fmt(result.rmse)}   (score scale; linear map fitted leaving out each "
        f"of {groups} group(s) in turn)"
    )
    print(f"wall time   {result.seconds:.2f} s")
    return 0


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"
