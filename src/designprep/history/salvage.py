"""Recovery of a damaged history: every row that can still be read goes into a fresh file.

Python's sqlite3 has no ``.recover`` (that lives in the sqlite3 shell), so this reads the
damaged file, read-only, table by table. The rowids of a table come from its own b-tree
and from each of its indexes (a damaged page rarely hits both); rows are then read rowid
range by rowid range, and a range that fails is split in halves until the unreadable rows
are isolated and skipped. Only attempts that pass the import check are copied, with the
schedule marks and hand-given ratings that can be read (a file from before v5 has none);
FSRS cards and point tallies are rebuilt from them. The damaged file is never written: it is moved
aside, whole, and the fresh file takes its place.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from designprep.history import derived, schema
from designprep.history.files import create_private, move_aside
from designprep.history.timeutil import from_db
from designprep.history.validate import attempt_from_row

CHUNK = 256  # rowids read per query while nothing fails

ATTEMPT_COLUMNS = (
    "id, prompt_id, category, title, started_at, submitted_at, duration_seconds, answer, "
    "hints_used, score, verdict, grader_version, content_hash, result_json, uid"
)
DRAFT_COLUMNS = "prompt_id, text, hints_used, saved_at"
SETTING_COLUMNS = "key, value"
MARK_COLUMNS = "prompt_id, suspended, reset_at"
RATING_COLUMNS = "attempt_id, rating"


@dataclass(frozen=True)
class Recovery:
    moved_to: Path  # the damaged file, kept beside the fresh one
    saved: int  # attempts copied into the fresh file
    lost: int  # attempts that could not be read, or were read damaged
    drafts: int  # drafts copied


def _rowids(src: sqlite3.Connection, table: str) -> set[int]:
    """Rowids found by scanning the table and each of its indexes, as far as each reads."""
    scans = [f"SELECT rowid FROM {table} NOT INDEXED"]
    try:
        names = [row[1] for row in src.execute(f"PRAGMA index_list({table})")]
    except sqlite3.DatabaseError:
        names = []
    scans += [f'SELECT rowid FROM {table} INDEXED BY "{name}"' for name in names]
    found: set[int] = set()
    for sql in scans:
        try:
            for (rowid,) in src.execute(sql):
                found.add(rowid)
        except sqlite3.DatabaseError:
            pass  # keep what this scan gave before the damage
    return found


def readable_rows(src: sqlite3.Connection, table: str, columns: str) -> tuple[list[Any], int]:
    """(rows that can be read, rowids known to exist that cannot)."""
    ids = sorted(_rowids(src, table))
    sql = f"SELECT {columns} FROM {table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
    rows: list[Any] = []
    unreadable = 0

    def read(part: list[int]) -> None:
        nonlocal unreadable
        try:
            rows.extend(src.execute(sql, (part[0], part[-1])).fetchall())
        except sqlite3.DatabaseError:
            if len(part) == 1:
                unreadable += 1
                return
            half = len(part) // 2
            read(part[:half])
            read(part[half:])

    for start in range(0, len(ids), CHUNK):
        read(ids[start : start + CHUNK])
    return rows, unreadable


def _ours(src: sqlite3.Connection) -> bool:
    try:
        return src.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    except sqlite3.DatabaseError:
        return True  # the header cannot say: try to read what is there


def _sound_draft(row: Any) -> bool:
    try:
        from_db(row[3])
    except (TypeError, ValueError, OverflowError):
        return False
    return isinstance(row[1], str) and isinstance(row[2], int)


def _sound_mark(row: Any) -> bool:
    try:
        if row[2] is not None:
            from_db(row[2])
    except (TypeError, ValueError, OverflowError):
        return False
    return isinstance(row[0], str) and row[1] in (0, 1)


Rows = list[Any]


def _read(path: Path) -> tuple[Rows, Rows, Rows, Rows, Rows, int]:
    """(sound attempts, drafts, settings, schedule marks, ratings, attempts lost) from the
    damaged file, read-only."""
    nothing: tuple[Rows, Rows, Rows, Rows, Rows, int] = ([], [], [], [], [], 0)
    try:
        src = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return nothing
    src.text_factory = lambda b: b.decode("utf-8", "surrogateescape")  # judged by the check
    try:
        if not _ours(src):
            return nothing  # another program's database: nothing of ours to save
        attempts, lost = readable_rows(src, "attempts", ATTEMPT_COLUMNS)
        sound = [row for row in attempts if not attempt_from_row(row).damaged]
        lost += len(attempts) - len(sound)
        try:  # the cards count every attempt: a second opinion on how many there were
            counted = src.execute("SELECT coalesce(sum(attempts), 0) FROM cards").fetchone()[0]
            lost = max(lost, int(counted) - len(sound))
        except (sqlite3.DatabaseError, TypeError, ValueError):
            pass
        drafts = [r for r in readable_rows(src, "drafts", DRAFT_COLUMNS)[0] if _sound_draft(r)]
        settings = [
            r
            for r in readable_rows(src, "settings", SETTING_COLUMNS)[0]
            if all(isinstance(v, str) for v in r)
        ]
        # a table the file does not have (before v5) reads as no rows
        marks = [r for r in readable_rows(src, "schedule_marks", MARK_COLUMNS)[0] if _sound_mark(r)]
        kept = {row[0] for row in sound}
        ratings = [
            r
            for r in readable_rows(src, "ratings", RATING_COLUMNS)[0]
            if r[0] in kept and r[1] in (1, 2, 3, 4)
        ]
        return sound, drafts, settings, marks, ratings, lost
    finally:
        src.close()


def _insert(conn: sqlite3.Connection, table: str, columns: str, rows: list[Any]) -> int:
    marks = ",".join("?" * (columns.count(",") + 1))
    copied = 0
    for row in rows:
        try:
            conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)
            copied += 1
        except (sqlite3.IntegrityError, UnicodeEncodeError):
            pass  # breaks a constraint of the schema: cannot be kept
    return copied


def recover(path: Path) -> Recovery:
    """Copy what can be read of the damaged ``path`` into a fresh file, move the damaged file
    aside and put the fresh one in its place."""
    attempts, drafts, settings, marks, ratings, lost = _read(path)
    fresh = path.with_name(path.name + ".recovering")
    for leftover in (fresh, Path(f"{fresh}-journal")):
        leftover.unlink(missing_ok=True)  # from a recovery that was interrupted
    create_private(fresh)
    conn = sqlite3.connect(fresh, isolation_level=None)
    try:
        schema.migrate(conn)
        conn.execute("BEGIN IMMEDIATE")
        saved = _insert(conn, "attempts", ATTEMPT_COLUMNS, attempts)
        copied_drafts = _insert(conn, "drafts", DRAFT_COLUMNS, drafts)
        _insert(conn, "settings", SETTING_COLUMNS, settings)
        _insert(conn, "schedule_marks", MARK_COLUMNS, marks)
        _insert(conn, "ratings", RATING_COLUMNS, ratings)
        derived.rebuild_all(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    moved = move_aside(path)
    fresh.replace(path)
    return Recovery(moved, saved, lost + len(attempts) - saved, copied_drafts)
