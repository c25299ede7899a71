"""What to practise next: due prompts first, then unseen ones, then the weakest category;
and how many prompts fall due on each of the coming days.

Pure functions of the bank, the per-prompt progress and the clock, so the CLI, the TUI
and the tests all get the same answer for the same history. Suspended prompts are never
picked nor counted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta

from designprep.bank import Bank
from designprep.history.models import PromptProgress, Recommendation
from designprep.history.timeutil import age

_DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


FORECAST_DAYS = 14


def due_forecast(
    progress: Iterable[PromptProgress], now: datetime, days: int = FORECAST_DAYS
) -> list[tuple[date, int]]:
    """(local date, prompts due that day) for today and the ``days - 1`` after it; what is
    overdue counts today."""
    today = now.astimezone().date()
    counts = [0] * days
    for p in progress:
        if p.suspended or p.due_at is None:
            continue
        offset = max(0, (p.due_at.astimezone().date() - today).days)
        if offset < days:
            counts[offset] += 1
    return [(today + timedelta(days=i), n) for i, n in enumerate(counts)]


def choose_next(
    bank: Bank,
    progress: dict[str, PromptProgress],
    now: datetime,
    suspended: Collection[str] = (),
) -> Recommendation | None:
    seen = {
        pid: p
        for pid, p in progress.items()
        if pid in bank.prompts and pid not in suspended and not p.suspended
    }
    due = [p for p in seen.values() if p.due_at is not None and p.due_at <= now]
    if due:
        pick = min(due, key=lambda p: (p.due_at or now, p.last_score, p.prompt_id))
        overdue = (now - (pick.due_at or now)).total_seconds()
        when = "due now" if overdue < 60 else f"due since {age(overdue)}"
        return Recommendation(pick.prompt_id, "due", f"{when} (last score {pick.last_score})")

    attempts_per_category: dict[str, int] = {}
    for p in seen.values():
        category = bank.prompts[p.prompt_id].category
        attempts_per_category[category] = attempts_per_category.get(category, 0) + p.attempts
    unseen = [p for pid, p in bank.prompts.items() if pid not in progress and pid not in suspended]
    if unseen:
        # easy first, and spread practice over the categories touched least
        first = min(
            unseen,
            key=lambda p: (
                _DIFFICULTY_ORDER.get(p.difficulty, 1),
                attempts_per_category.get(p.category, 0),
                p.category,
                p.id,
            ),
        )
        return Recommendation(
            first.id, "unseen", f"never attempted ({first.category}, {first.difficulty})"
        )

    if not seen:
        return None  # an empty bank
    return _weakest(bank, seen, now)


def _weakest(bank: Bank, seen: dict[str, PromptProgress], now: datetime) -> Recommendation:
    by_category: dict[str, list[PromptProgress]] = {}
    for p in seen.values():
        by_category.setdefault(bank.prompts[p.prompt_id].category, []).append(p)

    def mean_last(items: list[PromptProgress]) -> float:
        return sum(p.last_score for p in items) / len(items)

    category = min(by_category, key=lambda c: (mean_last(by_category[c]), c))
    items = by_category[category]
    # nothing is due: within the weakest category take the card whose review comes soonest,
    # so spacing still holds (the prompt just failed is not offered again straight away)
    pick = min(items, key=lambda p: (p.due_at or now, p.last_score, p.prompt_id))
    soon = ""
    if pick.due_at is not None and pick.due_at > now:
        soon = f"; due in {age((pick.due_at - now).total_seconds())}"
    return Recommendation(
        pick.prompt_id,
        "weakest",
        f"weakest category: {category} (mean {mean_last(items):.0f}){soon}",
    )
