"""Tables derived from attempts (FSRS cards, point tallies), kept in step on every write.

They exist so that ``progress``, ``recommend`` and ``most_missed_points`` read a few
hundred rows instead of every attempt. Every function here runs inside the caller's
transaction; ``rebuild_all`` recomputes them from the attempts alone (migrations).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from designprep.history.scheduling import PromptCard, replay, review
from designprep.history.timeutil import from_db, to_db

PointOutcome = tuple[str, str, str, str]  # (rubric id, point id, point text, status)

_CARD_COLUMNS = (
    "prompt_id, state, step, stability, difficulty, due_at, last_review_at, "
    "attempts, best_score, last_score, last_at"
)


def card_from_row(row: Sequence[Any]) -> PromptCard:
    return PromptCard(
        prompt_id=row[0],
        state=row[1],
        step=row[2],
        stability=row[3],
        difficulty=row[4],
        due_at=from_db(row[5]),
        last_review_at=from_db(row[6]) if row[6] else None,
        attempts=row[7],
        best_score=row[8],
        last_score=row[9],
        last_at=from_db(row[10]),
    )


def load_card(conn: sqlite3.Connection, prompt_id: str) -> PromptCard | None:
    row = conn.execute(
        f"SELECT {_CARD_COLUMNS} FROM cards WHERE prompt_id = ?", (prompt_id,)
    ).fetchone()
    return card_from_row(row) if row else None


def load_cards(conn: sqlite3.Connection) -> list[PromptCard]:
    return [card_from_row(r) for r in conn.execute(f"SELECT {_CARD_COLUMNS} FROM cards")]


def store_card(conn: sqlite3.Connection, card: PromptCard) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO cards ({_CARD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            card.prompt_id,
            card.state,
            card.step,
            card.stability,
            card.difficulty,
            to_db(card.due_at),
            to_db(card.last_review_at) if card.last_review_at else None,
            card.attempts,
            card.best_score,
            card.last_score,
            to_db(card.last_at),
        ),
    )


def reset_at(conn: sqlite3.Connection, prompt_id: str) -> datetime | None:
    """When the user last reset the prompt's schedule, if ever."""
    row = conn.execute(
        "SELECT reset_at FROM schedule_marks WHERE prompt_id = ?", (prompt_id,)
    ).fetchone()
    return from_db(row[0]) if row and row[0] else None


def rebuild_card(conn: sqlite3.Connection, prompt_id: str) -> None:
    """Replay every attempt of one prompt, with the ratings given by hand and the last
    reset (needed when one arrives out of time order, is deleted or is rated again)."""
    rows = conn.execute(
        "SELECT a.score, a.submitted_at, r.rating FROM attempts a "
        "LEFT JOIN ratings r ON r.attempt_id = a.id "
        "WHERE a.prompt_id = ? ORDER BY a.submitted_at, a.id",
        (prompt_id,),
    ).fetchall()
    card = replay(
        prompt_id,
        ((score, from_db(at), rating) for score, at, rating in rows),
        reset_at(conn, prompt_id),
    )
    if card is None:
        conn.execute("DELETE FROM cards WHERE prompt_id = ?", (prompt_id,))
    else:
        store_card(conn, card)


def add_to_cards(conn: sqlite3.Connection, graded: Iterable[tuple[str, int, datetime]]) -> None:
    """Review cards with (prompt id, score, submitted_at) of newly inserted attempts.

    Attempts newer than a card's last review (and its reset) update it in place; a prompt
    that gets one older than that (an import of earlier history) is replayed once from all
    its attempts.
    """
    cards: dict[str, PromptCard | None] = {}
    stale: set[str] = set()
    for prompt_id, score, at in sorted(graded, key=lambda g: g[2]):
        if prompt_id in stale:
            continue
        card = cards[prompt_id] if prompt_id in cards else load_card(conn, prompt_id)
        floor = card.last_review_at or reset_at(conn, prompt_id) if card else None
        if floor is not None and at < floor:
            stale.add(prompt_id)
            continue
        cards[prompt_id] = review(card, prompt_id, score, at)
    for prompt_id, card in cards.items():
        if card is not None and prompt_id not in stale:
            store_card(conn, card)
    for prompt_id in sorted(stale):
        rebuild_card(conn, prompt_id)  # the attempt rows are already inserted


def tally_points(conn: sqlite3.Connection, prompt_id: str, points: Iterable[PointOutcome]) -> None:
    conn.executemany(
        "INSERT INTO point_tallies (prompt_id, rubric_id, point_id, point_text, graded, missed) "
        "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (prompt_id, rubric_id, point_id) DO UPDATE SET "
        "point_text = excluded.point_text, graded = graded + 1, missed = missed + excluded.missed",
        [
            (prompt_id, rubric, pid, text, int(status in ("missed", "contradicted")))
            for rubric, pid, text, status in points
        ],
    )


def points_from_json(result_json: str) -> list[PointOutcome]:
    """Point outcomes from a stored result, tolerant of results from other grader versions."""
    try:
        data = json.loads(result_json)
        return [
            (
                str(p.get("rubric", "")),
                str(p["id"]),
                str(p.get("text", p["id"])),
                str(p.get("status", "")),
            )
            for p in data.get("points", [])
            if isinstance(p, dict) and "id" in p
        ]
    except (ValueError, TypeError, AttributeError, KeyError):
        return []


def rebuild_tallies(conn: sqlite3.Connection, prompt_id: str) -> None:
    """Count one prompt's point outcomes again from its attempts (one was deleted)."""
    conn.execute("DELETE FROM point_tallies WHERE prompt_id = ?", (prompt_id,))
    for (result_json,) in conn.execute(
        "SELECT result_json FROM attempts WHERE prompt_id = ? ORDER BY id", (prompt_id,)
    ).fetchall():
        tally_points(conn, prompt_id, points_from_json(result_json))


def rebuild_all(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM cards")
    conn.execute("DELETE FROM point_tallies")
    prompt_ids = [r[0] for r in conn.execute("SELECT DISTINCT prompt_id FROM attempts")]
    for prompt_id in prompt_ids:
        rebuild_card(conn, prompt_id)
    for prompt_id, result_json in conn.execute(
        "SELECT prompt_id, result_json FROM attempts ORDER BY id"
    ):
        tally_points(conn, prompt_id, points_from_json(result_json))
