"""``designprep grade``: grade one answer, or a batch of them, against the bank."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from designprep.bank import Bank, Prompt, UnknownPromptError
from designprep.cli.common import (
    UserError,
    add_bank_option,
    load,
    print_json,
    print_jsonl,
    read_text_file,
)
from designprep.cli.report import render, use_colour
from designprep.grading import AnswerError, GradeResult
from designprep.grading.change import Change, compare
from designprep.prepared import grader_for


def register(sub: Any) -> None:
    p = sub.add_parser(
        "grade",
        help="grade an answer to a prompt",
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
    if args.answer is None and args.answer_file is None:
        raise UserError("give the answer with --answer-file FILE (or - for stdin) or --answer TEXT")
    if args.hints_used < 0:
        raise UserError("--hints-used must be 0 or more")
    bank = load(args)
    prompt = _prompt(bank, args.prompt_id)
    answer = args.answer if args.answer is not None else read_text_file(args.answer_file)
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
    lines += [f"  gained  {text}" for text in change.gained]
    lines += [f"  lost    {text}" for text in change.lost]
    lines += [f"  red flag raised   {text}" for text in change.flags_raised]
    lines += [f"  red flag cleared  {text}" for text in change.flags_cleared]
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
            )
    except HistoryError as exc:
        print(f"designprep: warning: attempt not saved: {exc}", file=sys.stderr)


def _prompt(bank: Bank, prompt_id: str) -> Prompt:
    try:
        return bank.prompt(prompt_id)
    except UnknownPromptError as exc:
        raise UserError(str(exc)) from None


def _run_batch(args: argparse.Namespace) -> int:
    bank = load(args)
    grader = grader_for(bank)
    text = read_text_file(args.batch, what="batch")
    failed = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object")
            prompt = bank.prompt(str(item["prompt_id"]))
            answer = item["answer"]
            if not isinstance(answer, str):
                raise ValueError("'answer' must be a string")
            result = grader.grade(prompt, answer, hints_used=int(item.get("hints_used", 0)))
            out: dict[str, Any] = (
                result.to_dict()
                if args.json
                else {
                    "prompt_id": prompt.id,
                    "score": result.score,
                    "verdict": result.verdict,
                }
            )
        except (ValueError, KeyError, UnknownPromptError, AnswerError) as exc:
            failed += 1
            reason = f"missing field {exc}" if type(exc) is KeyError else str(exc)
            out = {"line": n, "error": f"{args.batch}:{n}: {reason}"}
        print_jsonl(out)
    return 1 if failed else 0
