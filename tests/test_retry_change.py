"""A retry shows what changed since the last attempt: the score, points gained and lost."""

from __future__ import annotations

import json

from designprep.grading import Grader
from designprep.grading.change import compare

from .conftest import TINY_BANK, run_cli

WRONG = (
    "Codes are just the next number from an auto increment column. "
    "We return a 301 moved permanently redirect because it is faster."
)
RIGHT = (
    "We use a 302 redirect so every click reaches us for analytics. "
    "Base62 encoding of a counter id gives seven character codes. "
    "Redis caches the popular links so redirects skip the database."
)


def test_compare_names_points_gained_and_lost_and_flags(tiny_grader: Grader) -> None:
    before = tiny_grader.grade("url-short", WRONG)
    after = tiny_grader.grade("url-short", RIGHT)
    change = compare(before, after)
    assert change.delta == after.score - before.score > 0
    rose = {p.text for p in after.points} & set(change.gained)
    assert rose and not change.lost
    back = compare(after, before)
    assert set(back.lost) == set(change.gained) and not back.gained
    assert set(back.flags_raised) == set(change.flags_cleared)


def test_compare_of_the_same_grading_is_empty(tiny_grader: Grader) -> None:
    result = tiny_grader.grade("url-short", RIGHT)
    change = compare(result, result)
    assert (change.delta, change.gained, change.lost) == (0, (), ())


def test_grade_prints_the_change_since_the_last_saved_attempt() -> None:
    bank = ("--bank", str(TINY_BANK))
    first = run_cli("grade", "url-short", "--answer", WRONG, "--json", *bank)
    assert first.returncode == 0, first.stderr
    before = json.loads(first.stdout)
    assert "change" not in before  # nothing to compare with yet
    second = run_cli("grade", "url-short", "--answer", RIGHT, "--no-save", *bank)
    assert "Since your last attempt" in second.stdout and "gained" in second.stdout
    data = json.loads(run_cli("grade", "url-short", "--answer", RIGHT, "--json", *bank).stdout)
    assert data["change"]["before"] == before["score"]  # the --no-save run was not kept
    assert data["change"]["delta"] == data["score"] - before["score"] > 0
