"""The history file's schema and its migrations.

``PRAGMA user_version`` is the schema version; ``PRAGMA application_id`` marks the file
as designprep's, so a foreign SQLite database is refused rather than written into.
Migrations run in order inside one write transaction; each leaves the file valid. Tables
derived from the attempts are rebuilt once after the last step, with the final schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from designprep.history import derived

APPLICATION_ID = 0x44505250  # "DPRP"

V1 = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,          -- prompt, submission time and answer: import dedupe key
    prompt_id TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    started_at TEXT NOT NULL,          -- UTC ISO 8601, fixed width
    submitted_at TEXT NOT NULL,
    duration_seconds REAL NOT NULL,
    answer TEXT NOT NULL,
    hints_used INTEGER NOT NULL DEFAULT 0,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    verdict TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    result_json TEXT NOT NULL
);
CREATE INDEX attempts_by_prompt ON attempts (prompt_id, submitted_at);
CREATE TABLE drafts (
    prompt_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    hints_used INTEGER NOT NULL DEFAULT 0,
    saved_at TEXT NOT NULL
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# v2: scheduling and statistics without scanning every attempt
V2 = """
CREATE INDEX attempts_by_time ON attempts (submitted_at);
CREATE INDEX attempts_by_category ON attempts (category, submitted_at, score, prompt_id);
CREATE TABLE cards (
    prompt_id TEXT PRIMARY KEY,
    state INTEGER NOT NULL,            -- fsrs.State
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due_at TEXT NOT NULL,
    last_review_at TEXT,
    attempts INTEGER NOT NULL,
    best_score INTEGER NOT NULL,
    last_score INTEGER NOT NULL,
    last_at TEXT NOT NULL
);
CREATE TABLE point_tallies (           -- per prompt; a shared rubric's points sum over prompts
    prompt_id TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    point_id TEXT NOT NULL,
    point_text TEXT NOT NULL,          -- as last graded
    graded INTEGER NOT NULL,
    missed INTEGER NOT NULL,
    PRIMARY KEY (prompt_id, rubric_id, point_id)
) WITHOUT ROWID;
"""


# v3: a draft keeps when its attempt started, so a restored draft's clock runs on from there
V3 = """
ALTER TABLE drafts ADD COLUMN started_at TEXT;
"""


# v4: the bank folder (--bank DIR) a prompt was practised from, to say where it is when
# that folder is not loaded
V4 = """
CREATE TABLE prompt_banks (prompt_id TEXT PRIMARY KEY, bank TEXT NOT NULL);
"""


# v5: the user's control of the schedule, as in Anki: a suspended prompt is never due nor
# recommended; a reset starts its card afresh (earlier attempts stay, but no longer feed
# it); a rating given by hand replaces the one its score gave
V5 = """
CREATE TABLE schedule_marks (
    prompt_id TEXT PRIMARY KEY,
    suspended INTEGER NOT NULL DEFAULT 0,
    reset_at TEXT                      -- attempts submitted before it do not feed the card
);
CREATE TABLE ratings (
    attempt_id INTEGER PRIMARY KEY,    -- attempts.id; deleted with the attempt
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4)  -- fsrs.Rating: again .. easy
);
"""


def _run_script(script: str) -> Callable[[sqlite3.Connection], None]:
    def apply(conn: sqlite3.Connection) -> None:
        # executescript() would COMMIT the open transaction; run statement by statement
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                conn.execute(statement)
                statement = ""
        if statement.strip():
            raise ValueError(f"incomplete SQL statement in a migration: {statement!r}")

    return apply


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _run_script(V1),
    _run_script(V2),  # derived tables: rebuilt from the attempts (REBUILT_AT)
    _run_script(V3),
    _run_script(V4),
    _run_script(V5),
]
SCHEMA_VERSION = len(MIGRATIONS)
REBUILT_AT = 2  # a file older than this gets its derived tables computed from its attempts


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> None:
    """Bring the file up to ``target`` in one transaction (safe against a concurrent opener)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # read again under the write lock: another process may have migrated meanwhile
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        for version in range(current + 1, target + 1):
            MIGRATIONS[version - 1](conn)
        if 0 < current < REBUILT_AT <= target:
            derived.rebuild_all(conn)  # after the last step: it reads the newest tables
        if current < target:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
