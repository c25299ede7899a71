"""The history store: one SQLite file of attempts, drafts, FSRS cards and settings.

WAL mode lets readers and one writer work at once; every write is one ``BEGIN
IMMEDIATE`` transaction (taking the write lock up front, so two processes queue on
``busy_timeout`` instead of failing on a lock upgrade); ``synchronous=NORMAL`` in WAL
mode keeps every committed transaction when the process is killed. Opening runs
``quick_check`` first, so nothing is ever written into a damaged file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from designprep import locations
from designprep.bank import Bank, Prompt
from designprep.grading import GradeResult
from designprep.history import derived, salvage, schema
from designprep.history.errors import (
    CorruptHistoryError,
    HistoryError,
    corrupt,
    from_sqlite,
    unwritable,
)
from designprep.history.files import create_private, ensure_folder, move_aside
from designprep.history.models import (
    Attempt,
    CategoryStats,
    Draft,
    ImportResult,
    MissedPoint,
    PromptProgress,
    Recommendation,
)
from designprep.history.recommend import choose_next
from designprep.history.salvage import Recovery
from designprep.history.timeutil import from_db, now, to_db, utc
from designprep.history.validate import attempt_from_row as _attempt
from designprep.history.validate import problem

__all__ = ["HistoryStore", "attempt_uid", "move_aside"]

BUSY_TIMEOUT_SECONDS = 15.0
TREND_WINDOW = 5  # trend compares the latest attempts of a category with the ones before

_ATTEMPT_COLUMNS = (
    "id, prompt_id, category, title, started_at, submitted_at, duration_seconds, answer, "
    "hints_used, score, verdict, grader_version, content_hash, result_json"
)
# Errors that are bugs in designprep, not states of the file: let them surface as such.
_NOT_FILE_ERRORS = (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError)


def attempt_uid(prompt_id: str, submitted_at: datetime, answer: str) -> str:
    """Same prompt, same submission instant, same answer: the same attempt (import dedupe)."""
    key = "\x1f".join((prompt_id, to_db(submitted_at), answer))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse foreign databases and newer schemas before writing anything."""
    # one read transaction: another process may be creating the schema meanwhile, and
    # reading its header before and its tables after would look like a foreign file
    conn.execute("BEGIN")
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        objects = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # only read
    if app_id == schema.APPLICATION_ID:
        if version > schema.SCHEMA_VERSION:
            raise HistoryError(
                f"{path}: written by a newer designprep (history schema v{version}; this "
                f"version reads up to v{schema.SCHEMA_VERSION}); upgrade designprep or set "
                "DESIGNPREP_HOME to another folder",
                path,
            )
        return
    if app_id != 0 or objects:
        raise corrupt(path, "not a designprep history (an SQLite database of another program)")


def _check_pages(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file whose pages are damaged before anything writes into it."""
    rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    if rows != [("ok",)]:
        detail = " ".join(str(rows[0][0]).split()) if rows else "?"  # one line
        raise corrupt(path, f"the history file is damaged ({detail})")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new file to WAL. The switch needs a moment alone with the file and, unlike
    other statements, does not wait on busy_timeout, so retry while others open it too."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return  # (a file system without WAL support answers with another mode: fine)
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY")
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class HistoryStore:
    """Attempts, drafts, scheduling and settings in one SQLite file. Safe to share across
    threads (calls are serialised) and across processes (SQLite locking)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self.recovered_from: Path | None = None  # where a damaged file was moved by recover=True
        self.recovery: Recovery | None = None  # what recover=True saved from it
        self.read_only: str | None = None  # why saving is off, when it could only be read
        self._lock = threading.RLock()

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, recover: bool = False) -> HistoryStore:
        """Open (creating the folder and file) the history at ``path`` or the default place.

        A damaged or foreign file raises ``CorruptHistoryError`` (and is never written to);
        with ``recover=True`` every readable row is copied into a fresh file, which takes its
        place, and the damaged file is kept beside it as ``*.corrupt-<time>``.
        """
        path = Path(path) if path is not None else locations.history_path()
        try:
            return cls._open(path)
        except CorruptHistoryError:
            if not recover:
                raise
            recovery = salvage.recover(path)
        store = cls._open(path)
        store.recovered_from = recovery.moved_to
        store.recovery = recovery
        return store

    @classmethod
    def _open(cls, path: Path) -> HistoryStore:
        ensure_folder(path.parent)
        if path.is_dir():
            raise HistoryError(
                f"{path}: is a folder, not a history file; move it away or set DESIGNPREP_HOME",
                path,
            )
        if not path.exists() and not os.access(path.parent, os.W_OK):
            raise unwritable(path, "the folder is read-only")
        conn: sqlite3.Connection | None = None
        try:
            create_private(path)
            conn = sqlite3.connect(
                path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE ... COMMIT
                check_same_thread=False,  # the TUI saves drafts from worker threads
            )
            # text that is not UTF-8 (damage) reaches the row check instead of failing the query
            conn.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
            _check_identity(conn, path)
            _check_pages(conn, path)
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            schema.migrate(conn)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, _NOT_FILE_ERRORS):
                raise
            reason = _unwritable_reason(exc)
            if reason and path.is_file() and path.stat().st_size:
                return cls._open_read_only(path, reason)
            raise from_sqlite(exc, path) from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        return cls(conn, path)

    @classmethod
    def _open_read_only(cls, path: Path, reason: str) -> HistoryStore:
        """Open an existing history that cannot be written to, for reading. Reading a WAL
        file needs its shared-memory file, which a read-only folder or a full disk cannot
        create; 'immutable' reads without it (and without locks: nobody can write there)."""
        error: sqlite3.Error | None = None
        for query in ("mode=ro", "mode=ro&immutable=1"):
            conn: sqlite3.Connection | None = None
            try:
                conn = sqlite3.connect(
                    f"{path.resolve().as_uri()}?{query}",
                    uri=True,
                    timeout=BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
                _check_identity(conn, path)
                _check_pages(conn, path)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.Error as exc:
                if conn is not None:
                    conn.close()
                if isinstance(exc, _NOT_FILE_ERRORS):
                    raise
                error = exc
                continue
            except BaseException:
                if conn is not None:
                    conn.close()
                raise
            if version < schema.SCHEMA_VERSION:
                conn.close()
                raise HistoryError(
                    f"{path}: this history must be upgraded (to v{schema.SCHEMA_VERSION}) before "
                    f"it can be read, and cannot be written ({reason}); make {path.parent} "
                    "writable or free some space, then run designprep again",
                    path,
                )
            store = cls(conn, path)
            store.read_only = reason
            return store
        assert error is not None
        raise from_sqlite(error, path) from None

    def close(self) -> None:
        with self._lock:
            with suppress(sqlite3.Error):  # only a planner hint; closing matters more
                self._conn.execute("PRAGMA optimize")
            self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            if isinstance(exc, _NOT_FILE_ERRORS):
                raise
            raise from_sqlite(exc, self.path) from None

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._lock, self._guard():
            self._conn.execute(begin)
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def _write(self) -> Any:
        if self.read_only:
            raise HistoryError(
                f"{self.path}: saving is off ({self.read_only}); make {self.path.parent} "
                "writable or free some space, or set DESIGNPREP_HOME to another folder",
                self.path,
            )
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self) -> Any:
        # one snapshot for queries that take several statements
        return self._transaction("BEGIN DEFERRED")

    # -- attempts ----------------------------------------------------------------------------

    def save_attempt(
        self,
        *,
        prompt: Prompt,
        content_hash: str,
        answer: str,
        result: GradeResult,
        started_at: datetime | None = None,
        submitted_at: datetime | None = None,
        bank_dir: Path | None = None,
    ) -> Attempt:
        """Record a graded attempt, review its prompt's FSRS card and clear its draft, in one
        transaction. Naive datetimes are taken as local time. ``bank_dir`` is the bank
        folder (--bank DIR) the prompt came from, None for the built-in bank."""
        if result.prompt_id != prompt.id:
            raise ValueError(f"result is for '{result.prompt_id}', not '{prompt.id}'")
        submitted = utc(submitted_at) if submitted_at else now()
        started = utc(started_at) if started_at else submitted
        attempt = Attempt.of(
            prompt=prompt,
            content_hash=content_hash,
            answer=answer,
            result=result,
            started_at=started,
            submitted_at=submitted,
        )
        points = [(p.rubric, p.id, p.text, p.status) for p in result.points]
        with self._write() as conn:
            new_id = self._insert(conn, attempt)
            if new_id is None:  # the very same attempt is already saved
                row = conn.execute(
                    f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE uid = ?",
                    (attempt_uid(prompt.id, submitted, answer),),
                ).fetchone()
                return _attempt(row)
            derived.add_to_cards(conn, [(prompt.id, attempt.score, submitted)])
            derived.tally_points(conn, prompt.id, points)
            conn.execute("DELETE FROM drafts WHERE prompt_id = ?", (prompt.id,))
            if bank_dir is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO prompt_banks VALUES (?, ?)", (prompt.id, str(bank_dir))
                )
        return replace(attempt, id=new_id)

    def prompt_bank(self, prompt_id: str) -> str | None:
        """The bank folder a prompt was last practised from; None for the built-in bank (or
        attempts saved before designprep recorded it)."""
        with self._lock, self._guard():
            row = self._conn.execute(
                "SELECT bank FROM prompt_banks WHERE prompt_id = ?", (prompt_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    @staticmethod
    def _insert(conn: sqlite3.Connection, a: Attempt) -> int | None:
        reason = problem(a)
        if reason is not None:  # every row written passes the check every reader applies
            raise HistoryError(f"the attempt at '{a.prompt_id}' cannot be stored: {reason}")
        cur = conn.execute(
            "INSERT INTO attempts (uid, prompt_id, category, title, started_at, submitted_at, "
            "duration_seconds, answer, hints_used, score, verdict, grader_version, content_hash, "
            "result_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (uid) DO NOTHING",
            (
                attempt_uid(a.prompt_id, a.submitted_at, a.answer),
                a.prompt_id,
                a.category,
                a.title,
                to_db(a.started_at),
                to_db(a.submitted_at),
                a.duration_seconds,
                a.answer,
                a.hints_used,
                a.score,
                a.verdict,
                a.grader_version,
                a.content_hash,
                a.result_json,
            ),
        )
        return cur.lastrowid if cur.rowcount == 1 else None

    def attempts(
        self,
        *,
        prompt_id: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Attempt]:
        """Attempts, newest first."""
        where, params = self._filters(prompt_id, since)
        sql = (
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts {where} "
            "ORDER BY submitted_at DESC, id DESC LIMIT ? OFFSET ?"
        )
        with self._lock, self._guard():
            rows = self._conn.execute(sql, (*params, -1 if limit is None else limit, offset))
            return [_attempt(r) for r in rows]

    def iter_attempts(
        self, *, prompt_id: str | None = None, since: datetime | None = None, batch: int = 500
    ) -> Iterator[Attempt]:
        """Attempts oldest first, fetched a batch at a time (for exports of any size)."""
        where, params = self._filters(prompt_id, since)
        joiner = "AND" if where else "WHERE"
        after: tuple[str, int] = ("", 0)
        while True:
            with self._lock, self._guard():
                rows = self._conn.execute(
                    f"SELECT {_ATTEMPT_COLUMNS} FROM attempts {where} {joiner} "
                    "(submitted_at, id) > (?, ?) ORDER BY submitted_at, id LIMIT ?",
                    (*params, *after, batch),
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _attempt(row)
            after = (rows[-1][5], rows[-1][0])

    @staticmethod
    def _filters(prompt_id: str | None, since: datetime | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if prompt_id is not None:
            clauses.append("prompt_id = ?")
            params.append(prompt_id)
        if since is not None:
            clauses.append("submitted_at >= ?")
            params.append(to_db(since))
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def attempt(self, attempt_id: int) -> Attempt | None:
        with self._lock, self._guard():
            row = self._conn.execute(
                f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
        return _attempt(row) if row else None

    def count_attempts(self, *, prompt_id: str | None = None, since: datetime | None = None) -> int:
        where, params = self._filters(prompt_id, since)
        with self._lock, self._guard():
            row = self._conn.execute(f"SELECT count(*) FROM attempts {where}", params).fetchone()
        return int(row[0])

    def import_attempts(self, attempts: Iterable[Attempt]) -> ImportResult:
        """Add attempts (ids ignored) in one transaction, oldest first; ones already present
        (same prompt, submission time and answer) are skipped."""
        added = skipped = 0
        graded: list[tuple[str, int, datetime]] = []
        with self._write() as conn:
            for a in sorted(attempts, key=lambda a: a.submitted_at):
                if self._insert(conn, a) is None:
                    skipped += 1
                    continue
                added += 1
                graded.append((a.prompt_id, a.score, a.submitted_at))
                derived.tally_points(conn, a.prompt_id, derived.points_from_json(a.result_json))
            derived.add_to_cards(conn, graded)
        return ImportResult(added=added, skipped=skipped)

    # -- drafts ------------------------------------------------------------------------------

    def save_draft(
        self, prompt_id: str, text: str, hints_used: int = 0, started_at: datetime | None = None
    ) -> None:
        """Keep an unsubmitted answer; ``started_at`` is when the attempt began."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO drafts (prompt_id, text, hints_used, saved_at, started_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    prompt_id,
                    text,
                    hints_used,
                    to_db(now()),
                    None if started_at is None else to_db(started_at),
                ),
            )

    def load_draft(self, prompt_id: str) -> Draft | None:
        with self._lock, self._guard():
            row = self._conn.execute(
                "SELECT prompt_id, text, saved_at, hints_used, started_at FROM drafts "
                "WHERE prompt_id = ?",
                (prompt_id,),
            ).fetchone()
        if row is None:
            return None
        started_at = None  # none (a draft from before v3) or unreadable: the clock restarts
        with suppress(TypeError, ValueError, OverflowError):
            started_at = from_db(row[4])
        return Draft(
            prompt_id=row[0],
            text=row[1],
            saved_at=from_db(row[2]),
            hints_used=row[3],
            started_at=started_at,
        )

    def clear_draft(self, prompt_id: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM drafts WHERE prompt_id = ?", (prompt_id,))

    # -- the user's control of history and schedule (as in Anki) -----------------------------

    def delete_attempt(self, attempt_id: int) -> Attempt | None:
        """Delete one attempt (gone from stats and charts; its prompt's card is replayed
        without it); the attempt deleted, or None when there was none with that id."""
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                return None
            prompt_id = row[1]
            conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            conn.execute("DELETE FROM ratings WHERE attempt_id = ?", (attempt_id,))
            derived.rebuild_card(conn, prompt_id)
            derived.rebuild_tallies(conn, prompt_id)
            left = conn.execute("SELECT 1 FROM attempts WHERE prompt_id = ?", (prompt_id,))
            if left.fetchone() is None:  # nothing left of it: where it came from no longer matters
                conn.execute("DELETE FROM prompt_banks WHERE prompt_id = ?", (prompt_id,))
        return _attempt(row)

    def rate(self, attempt_id: int, rating: int | None) -> None:
        """Rate an attempt by hand (1 again .. 4 easy) for scheduling, or None to go back
        to the rating its score gave; its prompt's card is replayed."""
        if rating is not None and rating not in range(1, 5):
            raise ValueError(f"a rating is 1 (again) to 4 (easy), not {rating}")
        with self._write() as conn:
            row = conn.execute(
                "SELECT prompt_id FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise HistoryError(f"no attempt #{attempt_id}", self.path)
            if rating is None:
                conn.execute("DELETE FROM ratings WHERE attempt_id = ?", (attempt_id,))
            else:
                conn.execute("INSERT OR REPLACE INTO ratings VALUES (?, ?)", (attempt_id, rating))
            derived.rebuild_card(conn, row[0])

    def rating(self, attempt_id: int) -> int | None:
        """The rating given to an attempt by hand, or None (its score's rating stands)."""
        with self._lock, self._guard():
            row = self._conn.execute(
                "SELECT rating FROM ratings WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()
        return None if row is None else int(row[0])

    def suspend(self, prompt_id: str, suspended: bool = True) -> None:
        """A suspended prompt is never due nor recommended, until unsuspended."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO schedule_marks (prompt_id, suspended) VALUES (?, ?) "
                "ON CONFLICT (prompt_id) DO UPDATE SET suspended = excluded.suspended",
                (prompt_id, int(suspended)),
            )

    def suspended(self) -> set[str]:
        with self._lock, self._guard():
            rows = self._conn.execute("SELECT prompt_id FROM schedule_marks WHERE suspended")
            return {str(r[0]) for r in rows}

    def reset_schedule(self, prompt_id: str, *, now: datetime | None = None) -> bool:
        """Start a prompt's card afresh, due now (its attempts stay, and count in stats);
        False when the prompt has no attempts, so no schedule to reset."""
        at = utc(now) if now else _now()
        with self._write() as conn:
            if derived.load_card(conn, prompt_id) is None:
                return False
            conn.execute(
                "INSERT INTO schedule_marks (prompt_id, reset_at) VALUES (?, ?) "
                "ON CONFLICT (prompt_id) DO UPDATE SET reset_at = excluded.reset_at",
                (prompt_id, to_db(at)),
            )
            derived.rebuild_card(conn, prompt_id)
        return True

    # -- progress, scheduling and statistics -------------------------------------------------

    def progress(self, *, now: datetime | None = None) -> dict[str, PromptProgress]:
        """One row per prompt with attempts, keyed by prompt id; ``is_due`` as of ``now``
        (never for a suspended prompt)."""
        at = utc(now) if now else _now()
        with self._read() as conn:
            cards = derived.load_cards(conn)
            paused = {
                r[0] for r in conn.execute("SELECT prompt_id FROM schedule_marks WHERE suspended")
            }
        return {
            c.prompt_id: PromptProgress(
                prompt_id=c.prompt_id,
                attempts=c.attempts,
                best_score=c.best_score,
                last_score=c.last_score,
                last_at=c.last_at,
                due_at=c.due_at,
                is_due=c.due_at <= at and c.prompt_id not in paused,
                suspended=c.prompt_id in paused,
            )
            for c in cards
        }

    def recommend(self, bank: Bank, now: datetime | None = None) -> Recommendation | None:
        """The prompt to practise now: due first, then unseen, then the weakest category;
        never a suspended one."""
        at = utc(now) if now else _now()
        return choose_next(bank, self.progress(now=at), at, self.suspended())

    def previous_attempt(self, attempt: Attempt) -> Attempt | None:
        """The attempt at the same prompt submitted just before ``attempt``."""
        with self._lock, self._guard():
            row = self._conn.execute(
                f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE prompt_id = ? AND "
                "(submitted_at, id) < (?, ?) ORDER BY submitted_at DESC, id DESC LIMIT 1",
                (attempt.prompt_id, to_db(attempt.submitted_at), attempt.id or 1 << 62),
            ).fetchone()
        return _attempt(row) if row else None

    def category_stats(self, bank: Bank) -> list[CategoryStats]:
        """Per category of the bank: its prompts' attempts, mean, best, trend. Attempts at
        prompts the bank does not hold (from a --bank folder not loaded now, or removed)
        are counted apart: a row per category with ``in_bank`` False, after the others."""
        bank_counts: dict[str, int] = {}
        for p in bank.prompts.values():
            bank_counts[p.category] = bank_counts.get(p.category, 0) + 1
        groups: dict[tuple[bool, str], list[Any]] = {}  # (in bank, category) -> prompt rows
        with self._read() as conn:
            for row in conn.execute(
                "SELECT category, prompt_id, count(*), sum(score), max(score), "
                "max(submitted_at) FROM attempts GROUP BY category, prompt_id"
            ):
                groups.setdefault((row[1] in bank.prompts, row[0]), []).append(row)
            origins = dict(conn.execute("SELECT prompt_id, bank FROM prompt_banks").fetchall())
            recent = {
                key: [
                    r[0]
                    for r in conn.execute(
                        "SELECT score FROM attempts WHERE category = ? AND prompt_id IN "
                        f"({','.join('?' * len(rows))}) ORDER BY submitted_at DESC LIMIT ?",
                        (key[1], *(r[1] for r in rows), 2 * TREND_WINDOW),
                    )
                ]
                for key, rows in groups.items()
            }
        keys = [(True, c) for c in sorted(set(bank_counts) | {c for i, c in groups if i})]
        keys += sorted(k for k in groups if not k[0])
        out = []
        for key in keys:
            rows = groups.get(key, [])
            count = sum(r[2] for r in rows)
            lasts = [r[5] for r in rows if r[5]]
            banks = {origins[r[1]] for r in rows if r[1] in origins}
            out.append(
                CategoryStats(
                    category=key[1],
                    prompts=bank_counts.get(key[1], 0) if key[0] else 0,
                    attempted=len(rows),
                    attempts=count,
                    mean_score=sum(r[3] for r in rows) / count if count else None,
                    best_score=max((r[4] for r in rows), default=None),
                    trend=_trend(recent.get(key, [])),
                    last_at=_maybe_time(max(lasts, default=None)),
                    in_bank=key[0],
                    banks=tuple(sorted(banks)) if not key[0] else (),
                )
            )
        return out

    def most_missed_points(self, limit: int = 10) -> list[MissedPoint]:
        """Reasoning points missed most often. A point of a rubric that several prompts share
        (e.g. interview structure) is counted across all of them, with an empty prompt_id."""
        with self._lock, self._guard():
            rows = self._conn.execute(
                "SELECT CASE WHEN count(*) = 1 THEN min(prompt_id) ELSE '' END, point_id, "
                "max(point_text), sum(missed) AS m, sum(graded) AS g, rubric_id, count(*) "
                "FROM point_tallies GROUP BY rubric_id, point_id HAVING m > 0 "
                "ORDER BY m DESC, CAST(m AS REAL) / g DESC, rubric_id, point_id LIMIT ?",
                (limit,),
            ).fetchall()
        return [MissedPoint(*row) for row in rows]

    # -- settings ----------------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self._lock, self._guard():
            row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


def _unwritable_reason(exc: sqlite3.Error) -> str | None:
    """Why a history that opened for reading could not be opened for writing, if that is
    what ``exc`` says: then it is opened read-only instead of not at all."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return "the history folder or file is read-only"
    if name.startswith(("SQLITE_FULL", "SQLITE_IOERR")):
        return f"the disk is full or failing: {exc}"
    return None


def _maybe_time(text: Any) -> datetime | None:
    try:
        return from_db(text) if text else None
    except (TypeError, ValueError, OverflowError):
        return None  # a damaged row's time: shown as never rather than failing the table


def _now() -> datetime:
    return now()


def _trend(latest_first: list[int]) -> float | None:
    """Mean of the latest half-window minus the mean of the one before it."""
    window = min(TREND_WINDOW, len(latest_first) // 2)
    if window == 0:
        return None
    recent = latest_first[:window]
    before = latest_first[window : 2 * window]
    return sum(recent) / window - sum(before) / window
