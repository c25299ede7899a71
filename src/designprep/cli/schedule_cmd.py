"""``designprep schedule``: see and steer the review schedule, as in Anki.

Suspend a prompt (never due nor recommended), reset its schedule (a new card, due now;
the attempts stay), rate its latest attempt by hand instead of by its score, and see how
many prompts fall due on each of the next days.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from designprep.bank.visible import visible
from designprep.cli.commands import summary
from designprep.cli.common import UserError, add_bank_option, load, print_json

RATINGS = ("again", "hard", "good", "easy")
BY_SCORE = "score"  # --rate ID score: back to the rating the score gave


def register(sub: Any) -> None:
    p = sub.add_parser(
        "schedule",
        help=summary("schedule"),
        description=(
            "The review schedule (FSRS, as in Anki). With no option: every prompt you have "
            "answered, soonest due first, and the ones you suspended. A suspended prompt is "
            "never due nor recommended; a reset makes a prompt's card new again, due now "
            "(its attempts stay in history and stats); --rate replaces the rating its latest "
            "attempt's score gave (below 45 again, below 65 hard, below 85 good, else easy)."
        ),
    )
    action = p.add_mutually_exclusive_group()
    action.add_argument(
        "--forecast", action="store_true", help="how many prompts fall due on each coming day"
    )
    action.add_argument("--suspend", metavar="ID", help="never schedule nor recommend prompt ID")
    action.add_argument("--unsuspend", metavar="ID", help="schedule prompt ID again")
    action.add_argument("--reset", metavar="ID", help="start prompt ID's schedule afresh, due now")
    action.add_argument(
        "--rate",
        nargs=2,
        metavar=("ID", "RATING"),
        help=(
            "rate the latest attempt at prompt ID as again, hard, good or easy for scheduling "
            f"('{BY_SCORE}' goes back to the rating its score gave)"
        ),
    )
    p.add_argument(
        "--days", type=int, default=14, metavar="N", help="with --forecast: N days (default 14)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    add_bank_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.forecast:
        return _forecast(args)
    if args.suspend or args.unsuspend:
        return _suspend(args, args.suspend or args.unsuspend, args.suspend is not None)
    if args.reset:
        return _reset(args)
    if args.rate:
        return _rate(args, *args.rate)
    return _listing(args)


def _one_line(text: str) -> str:
    return visible(text, one_line=True)


def _when(due: datetime, now: datetime) -> str:
    """'in 3 days', or 'now' when it is due."""
    from designprep.history.timeutil import age

    seconds = (due - now).total_seconds()
    return "now" if seconds <= 0 else f"in {age(seconds)}"


def _known(args: argparse.Namespace, prompt_id: str, progress: dict[str, Any]) -> None:
    """A prompt of the bank loaded now or of the history; anything else is a typo."""
    if prompt_id in progress or prompt_id in load(args).prompts:
        return
    raise UserError(f"no prompt '{_one_line(prompt_id)}'; 'designprep list' shows them")


def _suspend(args: argparse.Namespace, prompt_id: str, on: bool) -> int:
    from designprep.cli.history_cmds import open_store

    with open_store() as store:
        _known(args, prompt_id, store.progress())
        was = prompt_id in store.suspended()
        store.suspend(prompt_id, on)
    name = _one_line(prompt_id)
    if args.json:
        print_json({"prompt_id": prompt_id, "suspended": on})
    elif on:
        print(
            f"{name}: suspended{' already' if was else ''}; it is never due nor recommended "
            f"until 'designprep schedule --unsuspend {name}'"
        )
    else:
        print(f"{name}: {'unsuspended' if was else 'was not suspended'}; it is scheduled as before")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from designprep.cli.history_cmds import open_store

    prompt_id = args.reset
    with open_store() as store:
        progress = store.progress()
        _known(args, prompt_id, progress)
        if not store.reset_schedule(prompt_id):
            raise UserError(
                f"'{_one_line(prompt_id)}' has no attempts, so no schedule to reset yet"
            )
    if args.json:
        print_json({"prompt_id": prompt_id, "reset": True})
    else:
        print(
            f"{_one_line(prompt_id)}: schedule reset, due now; its "
            f"{progress[prompt_id].attempts} attempt(s) stay in your history"
        )
    return 0


def _rate(args: argparse.Namespace, prompt_id: str, name: str) -> int:
    from designprep.cli.history_cmds import open_store
    from designprep.history import rating_for
    from designprep.history.scheduling import rating_name
    from designprep.history.timeutil import now

    choice = name.strip().lower()
    if choice not in (*RATINGS, BY_SCORE):
        raise UserError(
            f"--rate: '{_one_line(name)}' is not a rating; give again, hard, good, easy "
            f"or {BY_SCORE}"
        )
    with open_store() as store:
        latest = store.attempts(prompt_id=prompt_id, limit=1)
        if not latest:
            _known(args, prompt_id, {})
            raise UserError(f"'{_one_line(prompt_id)}' has no attempts to rate yet")
        attempt = latest[0]
        rating = None if choice == BY_SCORE else RATINGS.index(choice) + 1
        store.rate(attempt.id, rating)
        due = store.progress()[prompt_id].due_at
    by_score = rating_name(rating_for(attempt.score))
    shown = by_score if rating is None else choice
    if args.json:
        print_json(
            {
                "prompt_id": prompt_id,
                "attempt": attempt.id,
                "score": attempt.score,
                "rating": shown,
                "by_score": rating is None,
                "due_at": due.isoformat() if due else None,
            }
        )
        return 0
    how = (
        "as its score gave"
        if rating is None
        else f"by you; its score {attempt.score} gave {by_score}"
    )
    when = f"; due {_when(due, now())}" if due else ""
    print(f"{_one_line(prompt_id)}: attempt #{attempt.id} rated {shown} ({how}){when}")
    return 0


def _forecast(args: argparse.Namespace) -> int:
    from designprep.cli.history_cmds import open_store
    from designprep.history.recommend import due_forecast
    from designprep.history.timeutil import now

    if not 1 <= args.days <= 366:
        raise UserError("--days must be 1 to 366")
    bank = load(args)
    with open_store() as store:
        progress = [p for p in store.progress().values() if p.prompt_id in bank.prompts]
    days = due_forecast(progress, now(), args.days)
    if args.json:
        print_json([{"date": day.isoformat(), "due": n} for day, n in days])
        return 0
    print(f"Prompts due each day, the next {args.days} (today includes what is overdue)")
    widest = max(n for _, n in days)
    for i, (day, n) in enumerate(days):
        label = "today" if i == 0 else "tomorrow" if i == 1 else ""
        bar = "█" * round(20 * n / widest) if widest else ""
        print(f"  {day:%a %Y-%m-%d}  {label:<8}  {n:>3}  {bar}".rstrip())
    paused = sum(1 for p in progress if p.suspended)
    print(
        f"{sum(n for _, n in days)} due in {args.days} days"
        + (f"; {paused} suspended prompt(s) not counted" if paused else "")
    )
    return 0


def _listing(args: argparse.Namespace) -> int:
    from designprep.cli.history_cmds import open_store
    from designprep.history.timeutil import now

    bank = load(args)
    with open_store() as store:
        progress = store.progress()
        paused = store.suspended()
    at = now()
    rows = sorted(progress.values(), key=lambda p: (p.suspended, p.due_at or at, p.prompt_id))
    unseen = sorted(pid for pid in paused if pid not in progress)
    if args.json:
        print_json(
            [
                {
                    "prompt_id": p.prompt_id,
                    "due_at": p.due_at.isoformat() if p.due_at else None,
                    "is_due": p.is_due,
                    "suspended": p.suspended,
                    "attempts": p.attempts,
                    "best_score": p.best_score,
                    "last_score": p.last_score,
                    "in_bank": p.prompt_id in bank.prompts,
                }
                for p in rows
            ]
            + [{"prompt_id": pid, "suspended": True, "attempts": 0} for pid in unseen]
        )
        return 0
    if not rows and not unseen:
        print("nothing scheduled yet: a prompt is scheduled once you have answered it")
        return 0
    names = {p.prompt_id: _one_line(p.prompt_id) for p in rows} | {
        pid: _one_line(pid) for pid in unseen
    }
    width = max(len("prompt"), *(len(n) for n in names.values()))
    print(f"{'prompt':<{width}}  {'due':<16}  last  best  tries")
    for p in rows:
        due = (
            "suspended"
            if p.suspended
            else "● due now"
            if p.is_due
            else _when(p.due_at, at)
            if p.due_at
            else "-"
        )
        print(
            f"{names[p.prompt_id]:<{width}}  {due:<16}  {p.last_score:>4}  {p.best_score:>4}  "
            f"{p.attempts:>5}"
        )
    for pid in unseen:
        print(f"{names[pid]:<{width}}  {'suspended':<16}  {'-':>4}  {'-':>4}  {0:>5}")
    return 0
