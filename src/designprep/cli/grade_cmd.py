"""``designprep grade``: grade one answer, or a batch of them, against the bank."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from designprep.bank import Bank, Prompt, UnknownPromptError
from designprep.bank.visible import visible
from designprep.cli.commands import summary
from designprep.cli.common import (
    UserError,
    add_bank_option,
    load,
    open_input,
    print_json,
    print_jsonl,
    read_text_file,
)
from designprep.cli.report import render, use_colour
from designprep.grading import MAX_ANSWER_CHARS, AnswerError, GradeResult
from designprep.grading.change import Change, compare
from designprep.prepared import grader_for


def register(sub: Any) -> None:
    p = sub.add_parser(
        "grade",
        help=summary("grade"),
        description=(
            "Grade a free-text answer against a prompt's rubric and print the score, the "
            "verdict and the evidence for every point, concept and red flag. The attempt is "
            "saved to your history unless --no-save. With --batch, grade many answers in one "
            "process (batch answers are never saved)."
        ),
    )
    p.add_argument("prompt_id", nargs="?", help="the prompt to answer (see 'designprep list')")
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--answer-file", metavar="FILE", help="UTF-8 text file with the answer; - reads stdin"
    )
    src.add_argument("--answer", metavar="TEXT", help="the answer itself, on the command line")
    src.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help=(
            "grade the prompt's graded sample N (from 0, as 'validate' numbers them) and say "
            "how far it is from its stated score: for rubric authors"
        ),
    )
    src.add_argument(
        "--batch",
        metavar="FILE.jsonl",
        help='JSON lines {"prompt_id": ..., "answer": ...}; prints one result per line, in order',
    )
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument(
        "--hints-used", type=int, default=0, metavar="N", help="hints revealed (each costs points)"
    )
    p.add_argument("--no-save", action="store_true", help="do not record the attempt in history")
    p.add_argument("--model-answer", action="store_true", help="also print the model answer")
    add_bank_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.batch:
        if args.prompt_id:
            raise UserError("give either PROMPT_ID with --answer-file, or --batch, not both")
        return _run_batch(args)
    if not args.prompt_id:
        raise UserError("missing PROMPT_ID (see 'designprep list')")
    if args.answer is None and args.answer_file is None and args.sample is None:
        raise UserError(
            "give the answer with --answer-file FILE (or - for stdin) or --answer TEXT "
            "(or --sample N for one of the prompt's graded samples)"
        )
    # every input checked before any work: a result is never lost to a bad input after grading
    answer = ""
    if args.sample is None:
        answer = args.answer if args.answer is not None else read_text_file(args.answer_file)
    where = {None: "--answer", "-": "standard input"}.get(args.answer_file, args.answer_file)
    try:
        check_hints(args.hints_used)
        if args.sample is None:
            check_answer_text(answer, where)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    bank = load(args)
    prompt = _prompt(bank, args.prompt_id)
    if args.sample is not None:
        if not 0 <= args.sample < len(prompt.samples):
            raise UserError(
                f"--sample {args.sample}: '{prompt.id}' has {len(prompt.samples)} graded "
                f"sample(s), numbered from 0"
            )
        answer = prompt.samples[args.sample].text
    try:
        result = grader_for(bank).grade(prompt, answer, hints_used=args.hints_used)
    except AnswerError as exc:
        raise UserError(str(exc)) from None
    last = last_result(prompt.id)  # before saving: the attempt this one is a retry of
    change = compare(last, result) if last is not None else None
    if not args.no_save:
        save_attempt(bank, prompt, answer, result)
    if args.json:
        print_json(result.to_dict() | ({"change": change.to_dict()} if change else {}))
    else:
        print(render(result, prompt, model_answer=args.model_answer, colour=use_colour(sys.stdout)))
        if change is not None:
            print("\n".join(change_lines(change)))
        if args.sample is not None:
            sample = prompt.samples[args.sample]
            kind = f" ({sample.kind})" if sample.kind else ""
            print(
                f"\nsamples[{args.sample}]{kind}: stated {sample.score}, graded {result.score} "
                f"({result.score - sample.score:+d})"
            )
    return 0


def last_result(prompt_id: str) -> GradeResult | None:
    """The grading of the latest attempt at ``prompt_id``, if history has a readable one."""
    from designprep.history import HistoryError, HistoryStore

    try:
        with HistoryStore.open() as store:
            attempts = store.attempts(prompt_id=prompt_id, limit=1)
        if not attempts or attempts[0].damaged:
            return None
        return attempts[0].result
    except (HistoryError, ValueError, KeyError, TypeError):
        return None  # no history, or a row it cannot read: nothing to compare with


def change_lines(change: Change) -> list[str]:
    """'Since your last attempt': the score then and now, points gained and lost."""
    lines = [f"\nSince your last attempt: {change.before} -> {change.after} ({change.delta:+d})"]
    lines += [f"  gained  {visible(text, one_line=True)}" for text in change.gained]
    lines += [f"  lost    {visible(text, one_line=True)}" for text in change.lost]
    lines += [f"  red flag raised   {visible(t, one_line=True)}" for t in change.flags_raised]
    lines += [f"  red flag cleared  {visible(t, one_line=True)}" for t in change.flags_cleared]
    if len(lines) == 1:
        lines.append("  the same points as last time")
    return lines


def save_attempt(bank: Bank, prompt: Prompt, answer: str, result: GradeResult) -> None:
    """Record the attempt. A history that cannot be written (damaged file, read-only folder)
    must not cost the user the grading they came for: warn on stderr, naming the file and
    the way out, and let the result print."""
    from designprep.history import HistoryError, HistoryStore

    try:
        with HistoryStore.open() as store:
            store.save_attempt(
                prompt=prompt,
                content_hash=bank.content_hash(prompt),
                answer=answer,
                result=result,  # written elsewhere: no writing time to record
                bank_dir=bank.prompt_banks.get(prompt.id),
            )
    except HistoryError as exc:
        print(f"designprep: warning: attempt not saved: {exc}", file=sys.stderr)


def _prompt(bank: Bank, prompt_id: str) -> Prompt:
    try:
        return bank.prompt(prompt_id)
    except UnknownPromptError as exc:
        raise UserError(str(exc)) from None


# One batch line holds one answer: at most 50,000 characters, each up to six bytes as a
# JSON \uXXXX escape, plus the other fields. A longer line is reported, never held whole.
MAX_BATCH_LINE_BYTES = 6 * MAX_ANSWER_CHARS + 4096


def _run_batch(args: argparse.Namespace) -> int:
    bank = load(args)
    grader = grader_for(bank)
    failed = 0
    with open_input(args.batch, what="batch") as fh:
        for n, line in _batch_lines(fh, args.batch):
            if line is not None and not line.strip():
                continue
            try:
                if line is None:
                    raise ValueError(
                        f"the line is over the {MAX_BATCH_LINE_BYTES:,}-byte limit (an answer "
                        f"is at most {MAX_ANSWER_CHARS:,} characters)"
                    )
                prompt, answer, hints = _batch_item(bank, line, first=n == 1)
                result = grader.grade(prompt, answer, hints_used=hints)
                out: dict[str, Any] = (
                    result.to_dict()
                    if args.json
                    else {"prompt_id": prompt.id, "score": result.score, "verdict": result.verdict}
                )
            except Exception as exc:  # one bad line is one error result; the batch goes on
                if os.environ.get("DESIGNPREP_DEBUG") and not isinstance(exc, ValueError):
                    raise
                failed += 1
                out = {"line": n, "error": f"{args.batch}:{n}: {_reason(exc)}"}
            print_jsonl(out)
    return 1 if failed else 0


def _batch_lines(fh: Any, name: str) -> Iterator[tuple[int, bytes | None]]:
    """Each line with its number, split on \\n only (a U+2028 or NEL inside a JSON string is
    not a line end); None for a line over the limit, skipped without being held."""
    n = 0
    try:
        while line := fh.readline(MAX_BATCH_LINE_BYTES + 1):
            n += 1
            if len(line) > MAX_BATCH_LINE_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):
                    line = fh.readline(1 << 20)
                yield n, None
            else:
                yield n, line
    except OSError as exc:
        raise UserError(f"{name}:{n + 1}: cannot read: {exc.strerror or exc}") from None


def _batch_item(bank: Bank, line: bytes, *, first: bool) -> tuple[Prompt, str, int]:
    """The prompt, answer and hints of one batch line; ValueError says what is wrong."""
    try:
        text = line.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    try:
        item = json.loads(text, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ValueError("not JSON this program reads: nested too deeply") from None
    if not isinstance(item, dict):
        raise ValueError('each line must be a JSON object {"prompt_id": ..., "answer": ...}')
    for name in ("prompt_id", "answer"):
        if name not in item:
            raise ValueError(f"missing field '{name}'")
        if not isinstance(item[name], str):
            raise ValueError(f"'{name}' must be a string")
    answer = check_answer_text(item["answer"], "'answer'")
    hints = check_hints(item.get("hints_used"), "'hints_used'")
    try:
        return bank.prompt(item["prompt_id"]), answer, hints
    except UnknownPromptError as exc:
        raise ValueError(str(exc)) from None


def _not_a_number(token: str) -> Any:
    raise ValueError(f"{token} is not a number JSON allows")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValueError | UserError):  # AnswerError is a ValueError
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


def check_hints(value: object, what: str = "--hints-used") -> int:
    """Hints revealed: a whole number the history can store (null or missing is none)."""
    from designprep.history.validate import MAX_HINTS

    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HINTS:
        shown = str(value) if len(str(value)) <= 20 else str(value)[:20] + "..."
        raise ValueError(f"{what} must be a whole number 0-{MAX_HINTS}, not {shown}")
    return value


def check_answer_text(answer: str, what: str = "the answer") -> str:
    """Refuse what cannot be graded, printed or saved, before any work is done."""
    try:
        answer.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"{what} is not UTF-8 text (an undecodable byte or lone surrogate at character "
            f"{exc.start})"
        ) from None
    if len(answer) > MAX_ANSWER_CHARS:
        raise ValueError(f"{what} is {len(answer):,} characters; the limit is {MAX_ANSWER_CHARS:,}")
    if not answer.strip():
        raise ValueError(f"{what} is empty; write something to grade")
    return answer
