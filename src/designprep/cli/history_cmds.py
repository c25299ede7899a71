"""``designprep history``, ``stats``, ``next``, ``export`` and ``import``: the score history."""

from __future__ import annotations

import argparse
import csv
import os
import re
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO

from designprep.bank import Prompt
from designprep.bank.visible import visible
from designprep.cli.commands import summary
from designprep.cli.common import UserError, add_bank_option, load, print_json
from designprep.cli.report import render
from designprep.history import (
    Attempt,
    CategoryStats,
    HistoryError,
    HistoryStore,
    MissedPoint,
)
from designprep.history.timeutil import now, utc
from designprep.history.transfer import (
    FIELDS,
    FORMATS,
    TransferError,
    attempt_record,
    read_import,
    write_csv,
    write_json,
    write_markdown,
)

TABLE_LIMIT = 20
SINCE_HELP = (
    "only attempts since WHEN: a date (2025-01-31), a date-time, an age (7d, 12h, 2w), "
    "today or yesterday"
)
_AGE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_AGE_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "history",
        help=summary("history"),
        description=(
            "List graded attempts, newest first (the table shows the latest "
            f"{TABLE_LIMIT} unless --limit or --all). --id N shows one attempt as it was graded. "
            "The history lives in the user data folder (DESIGNPREP_HOME overrides it)."
        ),
    )
    p.add_argument("--prompt", metavar="ID", help="only attempts at this prompt")
    p.add_argument("--since", metavar="WHEN", help=SINCE_HELP)
    p.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help=f"at most N attempts (default: {TABLE_LIMIT} in the table, all with --json/--csv)",
    )
    p.add_argument("--all", action="store_true", help="every matching attempt")
    p.add_argument("--id", type=int, metavar="N", help="show attempt N in full: answer and grading")
    p.add_argument(
        "--delete",
        type=int,
        metavar="N",
        help=(
            "delete attempt N after asking (it is gone from stats, charts and the schedule, "
            "which is replayed without it); --yes does not ask"
        ),
    )
    p.add_argument("--yes", action="store_true", help="with --delete: do not ask first")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument(
        "--recover",
        action="store_true",
        help=(
            "if the history file fails its integrity check or is not designprep's, copy every "
            "attempt, draft and setting that can still be read into a fresh file, keep the "
            "damaged one beside it as *.corrupt-<time> (never deleted or written to) and say "
            "how many attempts were saved and lost"
        ),
    )
    add_bank_option(p)
    p.set_defaults(func=run_history)

    p = sub.add_parser(
        "stats",
        help=summary("stats"),
        description=(
            "Per category: prompts attempted, attempts, mean and best score, and the trend "
            "(mean of the latest attempts minus the ones before). Then the reasoning points "
            "missed most often across all attempts."
        ),
    )
    p.add_argument(
        "--points",
        type=int,
        default=10,
        metavar="N",
        help="most-missed points to list (default 10)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    add_bank_option(p)
    p.set_defaults(func=run_stats)

    p = sub.add_parser(
        "next",
        help=summary("next"),
        description=(
            "Pick the prompt to practise now: a prompt due for review (FSRS scheduling from your "
            "scores) first, then one never attempted, then one from your weakest category."
        ),
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    add_bank_option(p)
    p.set_defaults(func=run_next)

    p = sub.add_parser(
        "export",
        help=summary("export"),
        description=(
            "Write attempts, oldest first, with answers and full gradings. JSON and CSV can be "
            "read back with 'designprep import'; Markdown is for reading. An attempt damaged "
            "in the history file is left out of JSON and CSV (and named on stderr). -o FILE "
            "is written readable by you alone and never replaces a file without --force."
        ),
    )
    p.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    p.add_argument(
        "--force", action="store_true", help="with -o, replace FILE if it exists already"
    )
    p.add_argument("--prompt", metavar="ID", help="only attempts at this prompt")
    p.add_argument("--since", metavar="WHEN", help=SINCE_HELP)
    p.set_defaults(func=run_export)

    p = sub.add_parser(
        "import",
        help=summary("import"),
        description=(
            "Add the attempts of a JSON or CSV file written by 'designprep export'. Attempts "
            "already in the history (same prompt, submission time and answer) are skipped, so "
            "importing a file twice adds nothing twice. Each record is checked as the history "
            "checks what it saves: a bad one is reported with its line and why (exit code 1), "
            "and the others are added."
        ),
    )
    p.add_argument("file", metavar="FILE", help="a file written by 'designprep export'")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(func=run_import)


@contextmanager
def open_store(*, recover: bool = False) -> Iterator[HistoryStore]:
    try:
        with HistoryStore.open(recover=recover) as store:
            if store.read_only:
                print(
                    f"designprep: note: {store.path}: opened read-only ({store.read_only}); "
                    "saving is off",
                    file=sys.stderr,
                )
            yield store
    except HistoryError as exc:
        raise UserError(str(exc)) from None


def parse_since(value: str | None, option: str = "--since") -> datetime | None:
    """A date (local midnight), a date-time (local unless it names a zone) or an age."""
    if value is None:
        return None
    named = {"today": 0, "yesterday": 1}.get(value.strip().lower())
    if named is not None:
        return utc(datetime.combine(datetime.now().date() - timedelta(days=named), time()))
    age = _AGE.match(value)
    if age:
        return now() - timedelta(**{_AGE_UNITS[age.group(2)]: int(age.group(1))})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UserError(
            f"{option}: '{value}' is not a date (2025-01-31), a date-time, an age like "
            "7d, 12h, 2w, or today/yesterday"
        ) from None
    if len(value.strip()) == 10:  # a bare date: from the start of that local day
        parsed = datetime.combine(parsed.date(), time())
    return utc(parsed)


def _positive(value: int | None, option: str) -> None:
    if value is not None and value < 0:
        raise UserError(f"{option} must be 0 or more")


# -- history -----------------------------------------------------------------------------------


def run_history(args: argparse.Namespace) -> int:
    if args.recover:
        return _recover()
    _positive(args.limit, "--limit")
    since = parse_since(args.since)
    if args.delete is not None:
        return _delete(args.delete, ask=not args.yes)
    if args.id is not None:
        return _show_attempt(args)
    structured = args.json or args.csv
    limit = (
        None
        if args.all
        else args.limit
        if args.limit is not None
        else (None if structured else TABLE_LIMIT)
    )
    with open_store() as store:
        attempts = store.attempts(prompt_id=args.prompt, since=since, limit=limit)
        total = store.count_attempts(prompt_id=args.prompt, since=since)
    if args.json:
        print_json([_summary(a) for a in attempts])
    elif args.csv:
        _write_summary_csv(attempts, sys.stdout)
    else:
        print(_table(attempts, total))
    return 0


def _recover() -> int:
    with open_store(recover=True) as store:
        recovery = store.recovery
        path = store.path
    if recovery is None:
        print(f"{path}: the history is readable; nothing to recover")
        return 0
    print(f"moved the damaged history aside to {recovery.moved_to} (kept as it was)")
    print(
        f"saved {recovery.saved} attempt(s) and {recovery.drafts} draft(s) into a fresh "
        f"history at {path}; lost {recovery.lost} attempt(s) that could not be read"
    )
    return 0


def _delete(attempt_id: int, *, ask: bool) -> int:
    with open_store() as store:
        attempt = store.attempt(attempt_id)
        if attempt is None:
            raise UserError(f"no attempt #{attempt_id}; 'designprep history' lists them")
        what = (
            f"attempt #{attempt.id} ({_one_line(attempt.prompt_id)}, "
            f"{local_time(attempt.submitted_at)}, score {attempt.score})"
        )
        if ask:
            if not sys.stdin.isatty():
                raise UserError(
                    "--delete asks first, and standard input is not a terminal: "
                    "add --yes to delete without asking"
                )
            try:
                reply = input(f"Delete {what}? It cannot be undone. [y/N] ")
            except EOFError:
                reply = ""
            if reply.strip().lower() not in ("y", "yes"):
                print("nothing deleted")
                return 0
        store.delete_attempt(attempt_id)
    print(f"deleted {what}; stats, charts and its schedule no longer count it")
    return 0


def _summary(a: Attempt) -> dict[str, Any]:
    record = attempt_record(a, result_as_text=True)
    del record["answer"], record["result_json"]
    return {"id": a.id, **record, **({"damaged": a.damaged} if a.damaged else {})}


def _one_line(text: str) -> str:
    return visible(text, one_line=True)


def _write_summary_csv(attempts: list[Attempt], out: TextIO) -> None:
    # a listing to read (export is the backup): text fields shown as printed elsewhere
    rows = [
        {k: visible(v) if isinstance(v, str) else v for k, v in _summary(a).items()}
        for a in attempts
    ]
    fields = ["id", *(f for f in FIELDS if f != "answer"), "damaged"]
    writer = csv.DictWriter(out, fieldnames=fields)  # \r\n rows: \r in text is quoted
    writer.writeheader()
    writer.writerows(rows)


def local_time(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _table(attempts: list[Attempt], total: int) -> str:
    if not attempts:
        return (
            "no attempts yet: grade an answer with 'designprep grade PROMPT_ID --answer-file FILE'"
        )
    id_w = max(len(str(a.id)) for a in attempts)
    prompt_ids = {a.id: _one_line(a.prompt_id) for a in attempts}
    verdicts = {a.id: _one_line(a.verdict) for a in attempts}
    prompt_w = max(len("prompt"), *(len(p) for p in prompt_ids.values()))
    verdict_w = max(len(v) for v in verdicts.values())
    lines = [
        f"{'#':>{id_w}}  {'when':<16}  {'prompt':<{prompt_w}}  score  {'verdict':<{verdict_w}}"
        "     time  hints"
    ]
    for a in attempts:
        lines.append(
            f"{a.id:>{id_w}}  {local_time(a.submitted_at):<16}  {prompt_ids[a.id]:<{prompt_w}}  "
            f"{a.score:>5}  {verdicts[a.id]:<{verdict_w}}  {duration(a.duration_seconds):>7}  "
            f"{a.hints_used:>5}"
        )
    damaged = [a.id for a in attempts if a.damaged]
    if damaged:
        lines.append(
            f"\n{len(damaged)} attempt(s) damaged in the history file; "
            f"'designprep history --id {damaged[0]}' says why"
        )
    if total > len(attempts):
        lines.append(
            f"\nshowing the latest {len(attempts)} of {total}; --all or --limit N for more"
        )
    return "\n".join(lines)


def _show_attempt(args: argparse.Namespace) -> int:
    with open_store() as store:
        attempt = store.attempt(args.id)
        bank_dir = store.prompt_bank(attempt.prompt_id) if attempt else None
    if attempt is None:
        raise UserError(f"no attempt #{args.id}; 'designprep history' lists them")
    if args.json:
        damage = {"damaged": attempt.damaged} if attempt.damaged else {}
        print_json({"id": attempt.id, **attempt_record(attempt), **damage})
        return 0
    if args.csv:
        raise UserError("--csv lists attempts; use --json with --id")
    answer = "\n".join("  " + line for line in visible(attempt.answer.strip()).split("\n"))
    if attempt.damaged:
        print(
            f"Attempt #{attempt.id} · {_one_line(attempt.prompt_id)} · "
            f"damaged: {_one_line(attempt.damaged)}\n"
        )
        print("Answer (as far as it can be read)\n")
        print(answer)
        return 0
    bank = load(args)
    current = bank.prompts.get(attempt.prompt_id)
    note = ""
    if current is None:
        note = "  " + _not_loaded(bank_dir)
    elif bank.content_hash(current) != attempt.content_hash:
        note = "  (the prompt or its rubric has changed since; shown as graded then)"
    # the stored result is rendered as graded, under the title it had then
    as_graded = Prompt.model_construct(
        id=attempt.prompt_id, title=attempt.title, follow_ups=[], model_answer=""
    )
    print(
        f"Attempt #{attempt.id} · {local_time(attempt.submitted_at)} · "
        f"{duration(attempt.duration_seconds)} · {attempt.hints_used} hint(s) · "
        f"grader {_one_line(attempt.grader_version) or '?'}{note}\n"
    )
    print("Answer\n")
    print(answer)
    print()
    print(render(attempt.result, as_graded))
    return 0


def _not_loaded(bank_dir: str | None) -> str:
    """Why a prompt of the history is not in the bank loaded now, and how to load it."""
    if bank_dir:
        return (
            f"(from the bank folder {_one_line(bank_dir)}, not loaded now: "
            f"add --bank {_one_line(shlex.quote(bank_dir))})"
        )
    return "(not in the bank loaded now: removed, or from a bank folder of yours: add --bank DIR)"


# -- stats -------------------------------------------------------------------------------------


def run_stats(args: argparse.Namespace) -> int:
    _positive(args.points, "--points")
    bank = load(args)
    with open_store() as store:
        categories = store.category_stats(bank)
        missed = store.most_missed_points(limit=args.points)
    inside = [c for c in categories if c.in_bank]
    apart = [c for c in categories if not c.in_bank]  # prompts of folders not loaded now
    if args.json:
        print_json(
            {
                "categories": [_category_json(c) for c in inside],
                "not_in_bank": [{**_category_json(c), "banks": list(c.banks)} for c in apart],
                "most_missed_points": [_missed_json(m) for m in missed],
            }
        )
        return 0
    print(_stats_table(inside))
    print()
    if apart:
        print("Counted apart: prompts not in the bank loaded now")
        print(_stats_table(apart))
        for folder in sorted({b for c in apart for b in c.banks}):
            print(f"  from {_one_line(folder)}: add --bank {_one_line(shlex.quote(folder))}")
        if any(not c.banks for c in apart):
            print("  others: removed, or from a bank folder of yours: add --bank DIR")
        print()
    if not missed:
        print("Most-missed reasoning points: none yet")
        return 0
    print("Most-missed reasoning points")
    where = [_one_line(m.prompt_id or f"{m.rubric_id} ({m.prompts} prompts)") for m in missed]
    where_w = max(len(w) for w in where)
    for m, w in zip(missed, where, strict=True):
        count = f"missed {m.missed_count:>3} of {m.attempts:<3}"
        print(f"  {count}  {w:<{where_w}}  {_one_line(m.point_text)}")
    return 0


def _category_json(c: CategoryStats) -> dict[str, Any]:
    return {
        "category": c.category,
        "prompts": c.prompts,
        "attempted": c.attempted,
        "attempts": c.attempts,
        "mean_score": None if c.mean_score is None else round(c.mean_score, 1),
        "best_score": c.best_score,
        "trend": None if c.trend is None else round(c.trend, 1),
        "last_at": c.last_at.isoformat() if c.last_at else None,
    }


def _missed_json(m: MissedPoint) -> dict[str, Any]:
    return {
        "prompt_id": m.prompt_id,
        "point_id": m.point_id,
        "point_text": m.point_text,
        "missed_count": m.missed_count,
        "attempts": m.attempts,
        "rubric_id": m.rubric_id,
        "prompts": m.prompts,
    }


def _stats_table(categories: list[CategoryStats]) -> str:
    names = {c.category: _one_line(c.category) for c in categories}
    cat_w = max([len("category"), *(len(n) for n in names.values())])
    lines = [f"{'category':<{cat_w}}  prompts  attempts   mean  best   trend  last practised"]
    for c in categories:
        mean = "-" if c.mean_score is None else f"{c.mean_score:.0f}"  # whole points, as best
        best = "-" if c.best_score is None else str(c.best_score)
        trend = (
            "-"
            if c.trend is None
            else f"{'↑' if c.trend > 0 else '↓' if c.trend < 0 else '→'} {c.trend:+.0f}"
        )
        last = local_time(c.last_at) if c.last_at else "never"
        attempted = f"{c.attempted}/{c.prompts}" if c.in_bank else str(c.attempted)
        lines.append(
            f"{names[c.category]:<{cat_w}}  {attempted:>7}  {c.attempts:>8}  {mean:>5}  {best:>4}  "
            f"{trend:>6}  {last}"
        )
    return "\n".join(lines)


# -- next --------------------------------------------------------------------------------------


def run_next(args: argparse.Namespace) -> int:
    bank = load(args)
    with open_store() as store:
        pick = store.recommend(bank)
    if pick is None:
        raise UserError("the bank has no prompts; add some with --bank DIR")
    prompt = bank.prompts[pick.prompt_id]
    if args.json:
        print_json(
            {
                "prompt_id": prompt.id,
                "title": prompt.title,
                "category": prompt.category,
                "difficulty": prompt.difficulty,
                "reason": pick.reason,
                "detail": pick.detail,
            }
        )
        return 0
    print(f"{prompt.id} — {_one_line(prompt.title)}")
    print(f"  why:   {pick.reason}: {_one_line(pick.detail)}")
    print(f"  start: designprep show {prompt.id}")
    return 0


# -- export and import -------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    since = parse_since(args.since)
    exported_at = now()
    target = Path(args.output).expanduser() if args.output else None
    if target and not args.force and (target.exists() or target.is_symlink()):
        raise UserError(f"{target}: exists already; pass --force to replace it")
    damaged: list[int] = []

    def noting_damage(attempts: Iterator[Attempt]) -> Iterator[Attempt]:
        for a in attempts:
            if a.damaged:
                damaged.append(a.id)
            yield a

    with open_store() as store:
        attempts = noting_damage(store.iter_attempts(prompt_id=args.prompt, since=since))
        if target is None:
            _write(args.format, attempts, sys.stdout, exported_at)
        else:
            count = _write_file(target, args.format, attempts, exported_at)
    if damaged and args.format != "markdown":
        ids = ", ".join(f"#{n}" for n in damaged[:10]) + (", ..." if len(damaged) > 10 else "")
        print(
            f"left out {len(damaged)} damaged attempt(s) ({ids}); "
            "'designprep history --id N' shows what is left of each",
            file=sys.stderr,
        )
    if target is not None:
        print(f"exported {count} attempt(s) to {target}", file=sys.stderr)
    return 0


def _write_file(target: Path, fmt: str, attempts: Iterator[Attempt], exported_at: datetime) -> int:
    """Write through a private .partial file, renamed into place once complete."""
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)  # a leftover (or a planted link): never written through
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        # newline="" lets the csv module write its own line ends
        with open(fd, "w", encoding="utf-8", newline="") as out:
            count = _write(fmt, attempts, out, exported_at)
        partial.replace(target)  # never leave a half-written export under the real name
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return count


def _write(fmt: str, attempts: Iterator[Attempt], out: TextIO, exported_at: datetime) -> int:
    if fmt == "csv":
        return write_csv(attempts, out)
    if fmt == "markdown":
        return write_markdown(attempts, out, exported_at)
    return write_json(attempts, out, exported_at)


def run_import(args: argparse.Namespace) -> int:
    try:
        attempts, rejected = read_import(Path(args.file).expanduser())
    except TransferError as exc:
        raise UserError(str(exc)) from None
    with open_store() as store:
        result = store.import_attempts(attempts)
    for message in rejected:
        print(f"designprep: rejected {_one_line(message)}", file=sys.stderr)
    if args.json:
        counts = {"added": result.added, "skipped": result.skipped}
        print_json({**counts, "rejected": len(rejected)} if rejected else counts)
    else:
        print(
            f"imported {result.added} attempt(s) from {args.file}; "
            f"{result.skipped} already in the history"
            + (f"; rejected {len(rejected)} (see above)" if rejected else "")
        )
    return 1 if rejected else 0
