"""The history store: attempts, drafts, FSRS scheduling, statistics, migrations and damaged files.

Real SQLite files under tmp_path; gradings are built directly (no grader) to keep this fast.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from designprep.bank import Bank, Prompt, Rubric
from designprep.grading import GRADER_VERSION, Breakdown, GradeResult, PointResult, verdict_for
from designprep.history import (
    CorruptHistoryError,
    HistoryError,
    HistoryStore,
    rating_for,
)
from designprep.history.schema import APPLICATION_ID, SCHEMA_VERSION
from designprep.history.transfer import (
    TransferError,
    read_attempts,
    write_csv,
    write_json,
    write_markdown,
)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
POINTS = ("a", "b", "c")


# -- helpers (also used by the other history test files) ---------------------------------------


def make_prompt(prompt_id: str, category: str = "systems", difficulty: str = "medium") -> Prompt:
    return Prompt(
        id=prompt_id,
        title=f"Design {prompt_id}",
        category=category,
        difficulty=difficulty,  # type: ignore[arg-type]
        time_limit_minutes=15,
        prompt=f"Design {prompt_id}.",
        rubrics=[prompt_id, "shared"],
        model_answer="A model answer.",
    )


def make_bank(*specs: tuple[str, str] | tuple[str, str, str]) -> Bank:
    """A bank of (id, category[, difficulty]) prompts: each has its own rubric and a shared one."""
    bank = Bank()
    bank.rubrics["shared"] = Rubric.model_validate(
        {"id": "shared", "points": [{"id": "scale", "text": "Estimates scale"}]}
    )
    for spec in specs:
        prompt = make_prompt(*spec)
        bank.prompts[prompt.id] = prompt
        bank.rubrics[prompt.id] = Rubric.model_validate(
            {"id": prompt.id, "points": [{"id": p, "text": f"Point {p}"} for p in POINTS]}
        )
    return bank


def result_for(
    prompt_id: str, score: int, missed: tuple[str, ...] = (), hints_used: int = 0
) -> GradeResult:
    points = tuple(
        PointResult(
            id=p,
            text=f"Point {p}",
            rubric=rubric,
            weight=1.0,
            status="missed" if p in missed else "covered",
            similarity=0.1 if p in missed else 0.9,
            credit=0.0 if p in missed else 1.0,
        )
        for rubric, p in [*((prompt_id, p) for p in POINTS), ("shared", "scale")]
    )
    breakdown = Breakdown(
        components=(),
        coverage=score / 100,
        relevance=1.0,
        closest_prompt=prompt_id,
        curved=float(score),
        red_flag_penalty=0.0,
        hint_penalty=0.0,
        score=score,
    )
    return GradeResult(
        prompt_id=prompt_id,
        score=score,
        verdict=verdict_for(score),
        concepts=(),
        points=points,
        red_flags=(),
        breakdown=breakdown,
        hints_used=hints_used,
        grader_version=GRADER_VERSION,
    )


def save(
    store: HistoryStore,
    bank: Bank,
    prompt_id: str,
    score: int,
    at: datetime,
    missed: tuple[str, ...] = (),
    answer: str | None = None,
) -> int:
    prompt = bank.prompts[prompt_id]
    attempt = store.save_attempt(
        prompt=prompt,
        content_hash=bank.content_hash(prompt),
        answer=answer if answer is not None else f"answer to {prompt_id} at {at.isoformat()}",
        result=result_for(prompt_id, score, missed),
        started_at=at - timedelta(minutes=12),
        submitted_at=at,
    )
    return attempt.id


@pytest.fixture
def bank() -> Bank:
    return make_bank(
        ("cache", "systems"), ("queue", "systems", "hard"), ("tracker", "mlops", "easy")
    )


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    with HistoryStore.open(tmp_path / "history.sqlite3") as opened:
        yield opened  # type: ignore[misc]


# -- attempts and drafts -----------------------------------------------------------------------


def test_default_path_is_under_designprep_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESIGNPREP_HOME", str(tmp_path / "home" / "deeper"))
    with HistoryStore.open() as s:
        assert s.path == tmp_path / "home" / "deeper" / "history.sqlite3"
    assert s.path.is_file()


def test_attempt_round_trips_every_field(store: HistoryStore, bank: Bank) -> None:
    prompt = bank.prompts["cache"]
    result = result_for("cache", 72, missed=("b",), hints_used=1)
    saved = store.save_attempt(
        prompt=prompt,
        content_hash="abc123",
        answer="Cache reads — “quoted” ünïcode.\nSecond line.",
        result=result,
        started_at=T0,
        submitted_at=T0 + timedelta(minutes=14, seconds=30),
    )
    [loaded] = store.attempts()
    assert loaded == saved == store.attempt(saved.id)
    assert loaded.submitted_at.tzinfo is not None and loaded.submitted_at.utcoffset() == timedelta(
        0
    )
    assert loaded.duration_seconds == 870.0
    assert (loaded.prompt_id, loaded.category, loaded.title) == ("cache", "systems", "Design cache")
    assert (loaded.score, loaded.verdict, loaded.hints_used) == (72, "Hire", 1)
    assert (loaded.grader_version, loaded.content_hash) == (GRADER_VERSION, "abc123")
    assert loaded.result == result
    assert store.attempt(999) is None


def test_attempts_newest_first_with_filters_and_paging(store: HistoryStore, bank: Bank) -> None:
    ids = [
        save(store, bank, pid, 50, T0 + timedelta(days=i))
        for i, pid in enumerate(["cache", "queue"] * 5)
    ]
    newest_first = list(reversed(ids))
    assert [a.id for a in store.attempts()] == newest_first
    assert [a.id for a in store.attempts(limit=3, offset=2)] == newest_first[2:5]
    assert {a.prompt_id for a in store.attempts(prompt_id="queue")} == {"queue"}
    since = store.attempts(since=T0 + timedelta(days=7))
    assert [a.id for a in since] == newest_first[:3]
    assert store.count_attempts() == 10
    assert store.count_attempts(prompt_id="cache", since=T0 + timedelta(days=4)) == 3
    assert [a.id for a in store.iter_attempts(batch=3)] == ids  # oldest first, in batches


def test_draft_autosave_and_cleared_by_saving_the_attempt(store: HistoryStore, bank: Bank) -> None:
    assert store.load_draft("cache") is None
    store.save_draft("cache", "first words", hints_used=1)
    store.save_draft("cache", "first words and more")
    store.save_draft("queue", "other prompt")
    draft = store.load_draft("cache")
    assert draft is not None and draft.text == "first words and more" and draft.hints_used == 0
    assert abs((datetime.now(UTC) - draft.saved_at).total_seconds()) < 60
    save(store, bank, "cache", 60, T0)
    assert store.load_draft("cache") is None
    assert store.load_draft("queue") is not None  # only the graded prompt's draft goes
    store.clear_draft("queue")
    assert store.load_draft("queue") is None


def test_a_draft_keeps_when_its_attempt_started(store: HistoryStore) -> None:
    store.save_draft("cache", "first words", started_at=T0)
    store.save_draft("cache", "first words and more", started_at=T0)
    draft = store.load_draft("cache")
    assert draft is not None and draft.started_at == T0
    store.save_draft("queue", "no start time given")
    queue = store.load_draft("queue")
    assert queue is not None and queue.started_at is None


def test_settings(store: HistoryStore) -> None:
    assert store.get_setting("theme") is None
    assert store.get_setting("theme", "dark") == "dark"
    store.set_setting("theme", "light")
    store.set_setting("theme", "nord")
    assert store.get_setting("theme") == "nord"


def test_store_can_be_used_from_a_worker_thread(store: HistoryStore, bank: Bank) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            store.save_draft("cache", "typed in a worker")
            save(store, bank, "queue", 70, T0)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert not errors
    assert store.count_attempts() == 1


# -- scheduling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "rating"),
    [(0, 1), (44, 1), (45, 2), (64, 2), (65, 3), (84, 3), (85, 4), (100, 4)],
)
def test_score_maps_to_fsrs_rating(score: int, rating: int) -> None:
    assert int(rating_for(score)) == rating


def test_low_score_comes_back_sooner_than_high(store: HistoryStore, bank: Bank) -> None:
    save(store, bank, "cache", 30, T0)
    save(store, bank, "queue", 95, T0)
    progress = store.progress(now=T0 + timedelta(hours=1))
    cache, queue = progress["cache"], progress["queue"]
    assert cache.due_at is not None and queue.due_at is not None
    assert cache.due_at == T0 + timedelta(days=1)  # Again: back the next day
    assert queue.due_at > T0 + timedelta(days=3)  # Easy: days later
    assert not cache.is_due and not queue.is_due
    assert store.progress(now=T0 + timedelta(days=2))["cache"].is_due


def test_progress_tallies(store: HistoryStore, bank: Bank) -> None:
    for i, score in enumerate([40, 88, 61]):
        save(store, bank, "cache", score, T0 + timedelta(days=3 * i))
    p = store.progress()["cache"]
    assert (p.attempts, p.best_score, p.last_score) == (3, 88, 61)
    assert p.last_at == T0 + timedelta(days=6)
    assert set(store.progress()) == {"cache"}


def test_out_of_order_attempt_gives_the_same_card_as_in_order(tmp_path: Path, bank: Bank) -> None:
    times = [T0, T0 + timedelta(days=2), T0 + timedelta(days=9)]
    scores = [50, 80, 90]
    with HistoryStore.open(tmp_path / "in-order.sqlite3") as a:
        for at, score in zip(times, scores, strict=True):
            save(a, bank, "cache", score, at)
        expected = a.progress()["cache"]
    with HistoryStore.open(tmp_path / "shuffled.sqlite3") as b:
        for i in (2, 0, 1):
            save(b, bank, "cache", scores[i], times[i])
        assert b.progress()["cache"] == expected


def test_recommend_due_then_unseen_then_weakest(store: HistoryStore, bank: Bank) -> None:
    first = store.recommend(bank, now=T0)
    assert first is not None and first.reason == "unseen"
    assert first.prompt_id == "tracker"  # easy first
    assert first.detail == "never attempted (mlops, easy)"

    save(store, bank, "tracker", 40, T0)  # Again: due a day later
    save(store, bank, "cache", 90, T0)
    pick = store.recommend(bank, now=T0 + timedelta(hours=2))
    assert pick is not None and (pick.prompt_id, pick.reason) == ("queue", "unseen")

    save(store, bank, "queue", 70, T0 + timedelta(hours=3))
    pick = store.recommend(bank, now=T0 + timedelta(hours=4))
    assert pick is not None and pick.reason == "weakest"
    assert pick.prompt_id == "tracker"
    assert pick.detail.startswith("weakest category: mlops (mean 40); due in ")

    pick = store.recommend(bank, now=T0 + timedelta(days=4))
    assert pick is not None and pick.reason == "due"
    assert pick.prompt_id == "tracker"  # the most overdue
    assert pick.detail == "due since 3 days (last score 40)"


def test_recommend_ignores_prompts_no_longer_in_the_bank(store: HistoryStore, bank: Bank) -> None:
    save(store, bank, "cache", 10, T0)
    smaller = make_bank(("queue", "systems"))
    pick = store.recommend(smaller, now=T0 + timedelta(days=30))
    assert pick is not None and (pick.prompt_id, pick.reason) == ("queue", "unseen")
    assert store.recommend(Bank(), now=T0) is None


# -- statistics --------------------------------------------------------------------------------


def test_category_stats(store: HistoryStore, bank: Bank) -> None:
    scores = [30, 40, 50, 60, 70, 80]
    for i, score in enumerate(scores):
        save(store, bank, "cache" if i % 2 else "queue", score, T0 + timedelta(days=i))
    stats = {c.category: c for c in store.category_stats(bank)}
    systems, mlops = stats["systems"], stats["mlops"]
    assert (systems.prompts, systems.attempted, systems.attempts) == (2, 2, 6)
    assert systems.mean_score == pytest.approx(55.0)
    assert systems.best_score == 80
    assert systems.trend == pytest.approx((80 + 70 + 60) / 3 - (50 + 40 + 30) / 3)
    assert systems.last_at == T0 + timedelta(days=5)
    assert (mlops.prompts, mlops.attempts, mlops.mean_score, mlops.trend) == (1, 0, None, None)


def test_most_missed_points_count_shared_rubric_across_prompts(
    store: HistoryStore, bank: Bank
) -> None:
    save(store, bank, "cache", 50, T0, missed=("a", "scale"))
    save(store, bank, "cache", 60, T0 + timedelta(days=1), missed=("a", "scale"))
    save(store, bank, "queue", 40, T0 + timedelta(days=2), missed=("scale", "b"))
    save(store, bank, "queue", 40, T0 + timedelta(days=3), missed=())
    missed = store.most_missed_points()
    top = missed[0]
    assert (top.prompt_id, top.point_id, top.rubric_id) == ("", "scale", "shared")
    assert (top.missed_count, top.attempts, top.prompts) == (3, 4, 2)
    own = next(m for m in missed if m.point_id == "a")
    assert (own.prompt_id, own.missed_count, own.attempts, own.point_text) == (
        "cache",
        2,
        2,
        "Point a",
    )
    assert [m.point_id for m in store.most_missed_points(limit=1)] == ["scale"]


# -- export and import -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_round_trip_and_twice_adds_nothing(
    tmp_path: Path, store: HistoryStore, bank: Bank, fmt: str
) -> None:
    for i, pid in enumerate(["cache", "queue", "tracker", "cache"]):
        save(
            store,
            bank,
            pid,
            40 + 15 * i,
            T0 + timedelta(days=i),
            answer=f'line one, "two"\nthree {i}',
        )
    export = tmp_path / f"export.{fmt}"
    with export.open("w", encoding="utf-8", newline="") as out:
        if fmt == "json":
            write_json(store.iter_attempts(), out, T0)
        else:
            write_csv(store.iter_attempts(), out)
    with HistoryStore.open(tmp_path / "other.sqlite3") as other:
        first = other.import_attempts(read_attempts(export))
        again = other.import_attempts(read_attempts(export))
        assert (first.added, first.skipped) == (4, 0)
        assert (again.added, again.skipped) == (0, 4)

        def comparable(s: HistoryStore) -> list[tuple[object, ...]]:
            return [
                (a.prompt_id, a.submitted_at, a.answer, a.score, a.result) for a in s.attempts()
            ]

        assert comparable(other) == comparable(store)
        assert other.progress() == store.progress()
        assert other.most_missed_points() == store.most_missed_points()
    assert store.import_attempts(read_attempts(export)).added == 0  # into the source itself


def test_markdown_export_reads_well(store: HistoryStore, bank: Bank, tmp_path: Path) -> None:
    save(store, bank, "cache", 55, T0, missed=("b",), answer="Put a cache | in front.")
    out = tmp_path / "h.md"
    with out.open("w") as fh:
        assert write_markdown(store.iter_attempts(), fh, T0) == 1
    text = out.read_text()
    assert "| 1 | " in text and "Design cache" in text
    assert "> Put a cache | in front." in text
    assert "Missed:\n\n- Point b" in text


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other", "attempts": []}', "not a designprep history export"),
        (
            '{"format": "designprep-history", "version": 1, "attempts": [{"score": 5}]}',
            "attempt 1: missing field",
        ),
        ("a,b\n1,2\n", "missing column(s)"),
    ],
)
def test_import_rejects_bad_files_naming_them(tmp_path: Path, content: str, needle: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(TransferError) as info:
        read_attempts(bad)
    assert str(bad) in str(info.value) and needle in str(info.value)


# -- the file: pragmas, migrations, damage -----------------------------------------------------


def test_file_uses_wal_busy_timeout_and_schema_version(store: HistoryStore) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


# The schema as designprep's first release wrote it, kept verbatim: the upgrade test's input.
V1_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, prompt_id TEXT NOT NULL,
    category TEXT NOT NULL, title TEXT NOT NULL, started_at TEXT NOT NULL,
    submitted_at TEXT NOT NULL, duration_seconds REAL NOT NULL, answer TEXT NOT NULL,
    hints_used INTEGER NOT NULL DEFAULT 0, score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    verdict TEXT NOT NULL, grader_version TEXT NOT NULL, content_hash TEXT NOT NULL,
    result_json TEXT NOT NULL);
CREATE INDEX attempts_by_prompt ON attempts (prompt_id, submitted_at);
CREATE TABLE drafts (prompt_id TEXT PRIMARY KEY, text TEXT NOT NULL,
    hints_used INTEGER NOT NULL DEFAULT 0, saved_at TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def test_upgrades_a_v1_file(tmp_path: Path, bank: Bank) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    rows = [
        ("cache", 30, T0, ("a",)),
        ("cache", 80, T0 + timedelta(days=2), ()),
        ("queue", 60, T0, ("scale",)),
    ]
    for n, (pid, score, at, missed) in enumerate(rows):
        conn.execute(
            "INSERT INTO attempts (uid, prompt_id, category, title, started_at, submitted_at, "
            "duration_seconds, answer, hints_used, score, verdict, grader_version, content_hash, "
            "result_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                f"uid{n}",
                pid,
                "systems",
                f"Design {pid}",
                at.isoformat(),
                at.isoformat(),
                600.0,
                "an answer",
                0,
                score,
                verdict_for(score),
                "0.9",
                "h",
                json.dumps(result_for(pid, score, missed).to_dict()),
            ),
        )
    conn.execute("INSERT INTO drafts VALUES ('tracker', 'half an answer', 0, ?)", (T0.isoformat(),))
    conn.execute("INSERT INTO settings VALUES ('theme', 'nord')")
    conn.commit()
    conn.close()

    with HistoryStore.open(path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.count_attempts() == 3
        progress = store.progress()
        assert (progress["cache"].attempts, progress["cache"].last_score) == (2, 80)
        assert progress["cache"].due_at is not None
        assert store.most_missed_points()[0].point_id in {"a", "scale"}
        old_draft = store.load_draft("tracker")
        assert old_draft is not None and old_draft.started_at is None  # kept, no start time
        assert store.get_setting("theme") == "nord"
        new_id = save(store, bank, "cache", 90, T0 + timedelta(days=5))
        assert store.attempts()[0].id == new_id
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_newer_schema_is_refused_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(HistoryError, match="newer designprep") as info:
        HistoryStore.open(path, recover=True)
    assert not isinstance(info.value, CorruptHistoryError)
    assert path.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database, it is a note to self\n" * 50,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
    ids=["text", "damaged-header"],
)
def test_corrupt_file_names_the_file_and_the_way_out(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(content)
    with pytest.raises(CorruptHistoryError) as info:
        HistoryStore.open(path)
    message = str(info.value)
    assert str(path) in message and "designprep history --recover" in message
    assert ".corrupt-" in message and "\n" not in message
    assert path.read_bytes() == content  # untouched

    with HistoryStore.open(path, recover=True) as store:
        assert store.recovered_from is not None
        assert store.recovered_from.name.startswith("history.sqlite3.corrupt-")
        assert store.recovered_from.read_bytes() == content  # moved aside, never deleted
        assert store.count_attempts() == 0


def test_foreign_sqlite_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CorruptHistoryError, match="not a designprep history"):
        HistoryStore.open(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()


def test_empty_file_becomes_a_fresh_history(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.touch()
    with HistoryStore.open(path) as store:
        assert store.count_attempts() == 0


def test_data_folder_blocked_by_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(HistoryError, match="cannot create the data folder") as info:
        HistoryStore.open(blocker / "sub" / "history.sqlite3")
    assert "DESIGNPREP_HOME" in str(info.value)


def test_history_path_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").mkdir()
    with pytest.raises(HistoryError, match="is a folder"):
        HistoryStore.open(tmp_path / "history.sqlite3")


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return False
    probe.unlink()
    return True


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Path:
    """A folder nobody can write to; as root (which ignores modes) it is made immutable."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if _writable(folder):
        immutable = (
            subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        )
        if not immutable or _writable(folder):
            folder.chmod(0o755)
            pytest.skip("cannot make a read-only folder here")
    yield folder  # type: ignore[misc]
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def test_read_only_folder_is_a_clear_error(read_only_dir: Path) -> None:
    with pytest.raises(HistoryError) as info:
        HistoryStore.open(read_only_dir / "history.sqlite3")
    message = str(info.value)
    assert str(read_only_dir / "history.sqlite3") in message
    assert "writable" in message


def test_history_does_not_import_textual() -> None:
    code = "import sys, designprep.history; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_earlier_history_replays_the_card(tmp_path: Path, bank: Bank) -> None:
    times = [T0, T0 + timedelta(days=5), T0 + timedelta(days=9)]
    with HistoryStore.open(tmp_path / "laptop.sqlite3") as laptop:
        for at, score in zip(times, [35, 70, 90], strict=True):
            save(laptop, bank, "cache", score, at)
        export = tmp_path / "laptop.json"
        with export.open("w") as out:
            write_json(laptop.iter_attempts(), out, T0)
        expected = laptop.progress()
    with HistoryStore.open(tmp_path / "desktop.sqlite3") as desktop:
        save(desktop, bank, "cache", 70, times[1])  # the same attempt, saved here too
        save(desktop, bank, "queue", 50, times[2])
        result = desktop.import_attempts(read_attempts(export))
        assert (result.added, result.skipped) == (2, 1)
        assert desktop.progress()["cache"] == expected["cache"]
