"""Control of your history, as in Anki: delete an attempt, suspend / reset a prompt's schedule,
rate an attempt by hand, and the due forecast; in the store and through the CLI."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from designprep.bank import Bank
from designprep.cli.main import main
from designprep.history import HistoryStore
from designprep.history.recommend import due_forecast
from designprep.history.scheduling import PromptCard, replay
from designprep.history.schema import APPLICATION_ID, SCHEMA_VERSION
from tests.conftest import TINY_BANK
from tests.test_history_store import T0, make_bank, save

TINY = ["--bank", str(TINY_BANK)]
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def bank() -> Bank:
    return make_bank(("cache", "systems"), ("queue", "systems"), ("tracker", "mlops", "easy"))


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    with HistoryStore.open(tmp_path / "history.sqlite3") as opened:
        yield opened  # type: ignore[misc]


def card_of(store: HistoryStore, prompt_id: str) -> tuple[object, ...]:
    row = store._conn.execute(
        "SELECT state, step, stability, difficulty, due_at, attempts, best_score FROM cards "
        "WHERE prompt_id = ?",
        (prompt_id,),
    ).fetchone()
    return tuple(row) if row else ()


# -- the store ---------------------------------------------------------------------------------


def test_deleting_an_attempt_takes_it_out_of_stats_tallies_and_schedule(
    store: HistoryStore, bank: Bank, tmp_path: Path
) -> None:
    save(store, bank, "cache", 40, T0, missed=("a",))
    doomed = save(store, bank, "cache", 95, T0 + timedelta(days=1), missed=("b",))
    save(store, bank, "queue", 70, T0)
    with HistoryStore.open(tmp_path / "without.sqlite3") as other:  # the same, never the 95
        save(other, bank, "cache", 40, T0, missed=("a",))
        expected = card_of(other, "cache")

    deleted = store.delete_attempt(doomed)
    assert deleted is not None and deleted.score == 95
    assert store.attempt(doomed) is None
    assert store.count_attempts() == 2
    assert card_of(store, "cache") == expected  # replayed as if it had never been
    stats = {c.category: c for c in store.category_stats(bank)}
    assert (stats["systems"].attempts, stats["systems"].best_score) == (2, 70)
    missed = {m.point_id: m for m in store.most_missed_points() if m.prompt_id == "cache"}
    assert set(missed) == {"a"} and missed["a"].attempts == 1
    assert store.delete_attempt(doomed) is None  # twice: nothing to delete

    last = store.attempts(prompt_id="queue")[0].id
    store.delete_attempt(last)
    assert "queue" not in store.progress()  # no attempts left: no card, no progress


def test_a_suspended_prompt_is_never_due_nor_recommended(store: HistoryStore, bank: Bank) -> None:
    save(store, bank, "cache", 20, T0)  # failed: due the next day
    later = T0 + timedelta(days=3)
    assert store.recommend(bank, now=later).prompt_id == "cache"  # type: ignore[union-attr]
    store.suspend("cache")
    assert store.suspended() == {"cache"}
    progress = store.progress(now=later)["cache"]
    assert progress.suspended and not progress.is_due
    pick = store.recommend(bank, now=later)
    assert pick is not None and pick.prompt_id != "cache" and pick.reason == "unseen"
    store.suspend("tracker")  # never tried, suspended: not offered as unseen either
    store.suspend("queue")
    assert store.recommend(bank, now=later) is None
    store.suspend("cache", False)
    assert store.progress(now=later)["cache"].is_due
    assert store.recommend(bank, now=later).prompt_id == "cache"  # type: ignore[union-attr]


def test_reset_makes_the_card_new_and_due_now_keeping_the_tallies(
    store: HistoryStore, bank: Bank
) -> None:
    save(store, bank, "cache", 90, T0)
    save(store, bank, "cache", 95, T0 + timedelta(days=5))
    assert store.progress()["cache"].due_at > T0 + timedelta(days=10)  # type: ignore[operator]
    at = T0 + timedelta(days=6)
    assert store.reset_schedule("cache", now=at)
    progress = store.progress(now=at)["cache"]
    assert progress.due_at == at and progress.is_due
    assert (progress.attempts, progress.best_score) == (2, 95)
    # the next attempt reviews a new card, as the first attempt at a prompt does
    save(store, bank, "cache", 90, at + timedelta(hours=1))
    first = replay("x", [(90, at + timedelta(hours=1), None)])
    assert first is not None
    assert store.progress()["cache"].due_at == first.due_at
    # and a rebuild from the attempts (a migration, a recovery) gives the same card
    before = card_of(store, "cache")
    with store._write() as conn:
        from designprep.history import derived

        derived.rebuild_all(conn)
    assert card_of(store, "cache") == before
    assert not store.reset_schedule("tracker")  # never answered: nothing to reset


def test_a_rating_by_hand_replaces_the_scores_and_can_be_taken_back(
    store: HistoryStore, bank: Bank
) -> None:
    attempt = save(store, bank, "cache", 50, T0)  # the score says hard
    by_score = store.progress()["cache"].due_at
    store.rate(attempt, 4)  # "I'd call that easy"
    assert store.rating(attempt) == 4
    easy = store.progress()["cache"].due_at
    assert easy is not None and by_score is not None and easy > by_score
    store.rate(attempt, None)
    assert store.rating(attempt) is None
    assert store.progress()["cache"].due_at == by_score
    with pytest.raises(ValueError):
        store.rate(attempt, 5)
    store.rate(attempt, 1)
    store.delete_attempt(attempt)
    assert store._conn.execute("SELECT count(*) FROM ratings").fetchone()[0] == 0


def test_forecast_counts_prompts_due_each_day_overdue_today_suspended_never(
    store: HistoryStore, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    save(store, bank, "cache", 20, T0)  # again: due T0 + 1 day
    save(store, bank, "queue", 20, T0 - timedelta(days=3))  # overdue by T0
    save(store, bank, "tracker", 20, T0 + timedelta(days=2))  # due T0 + 3 days
    days = due_forecast(store.progress().values(), T0, 14)
    assert len(days) == 14 and days[0][0] == T0.date()
    assert [n for _, n in days[:5]] == [1, 1, 0, 1, 0]
    store.suspend("tracker")
    assert sum(n for _, n in due_forecast(store.progress().values(), T0, 14)) == 2


def test_a_v4_history_opens_and_gets_the_v5_tables(tmp_path: Path, bank: Bank) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        save(store, bank, "cache", 60, T0)
        due = store.progress()["cache"].due_at
    conn = sqlite3.connect(path)  # take it back to v4: what designprep wrote before
    conn.executescript("DROP TABLE schedule_marks; DROP TABLE ratings; PRAGMA user_version = 4;")
    conn.close()
    with HistoryStore.open(path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert store._conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store.progress()["cache"].due_at == due
        assert store.suspended() == set()
        store.suspend("cache")
        assert store.progress()["cache"].suspended


def test_recover_keeps_suspensions_resets_and_ratings(tmp_path: Path, bank: Bank) -> None:
    from designprep.history import salvage

    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        rated = save(store, bank, "cache", 50, T0)
        save(store, bank, "queue", 50, T0)
        store.rate(rated, 4)
        store.suspend("tracker")
        store.reset_schedule("queue", now=T0 + timedelta(days=1))
        before = {pid: card_of(store, pid) for pid in ("cache", "queue")}
    salvage.recover(path)
    with HistoryStore.open(path) as store:
        assert store.rating(rated) == 4
        assert store.suspended() == {"tracker"}
        assert {pid: card_of(store, pid) for pid in ("cache", "queue")} == before


def test_replay_with_a_reset_between_attempts() -> None:
    reset = T0 + timedelta(days=2)
    card = replay("p", [(90, T0, None), (40, T0 + timedelta(days=3), None)], reset)
    fresh = replay("p", [(40, T0 + timedelta(days=3), None)])
    assert isinstance(card, PromptCard) and fresh is not None
    assert (card.due_at, card.stability, card.attempts, card.best_score) == (
        fresh.due_at,
        fresh.stability,
        2,
        90,
    )


# -- the CLI -----------------------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def history(tiny_bank: Bank) -> HistoryStore:
    with HistoryStore.open() as store:
        for days, pid, score in [
            (9, "url-short", 40),
            (6, "tracker-choice", 55),
            (1, "url-short", 62),
        ]:
            save(store, tiny_bank, pid, score, NOW - timedelta(days=days))
        yield store  # type: ignore[misc]


@pytest.mark.parametrize(
    "args",
    [("schedule", "--help"), ("history", "--help")],
    ids=["schedule", "history"],
)
def test_help_names_the_controls(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    words = ("--suspend", "--unsuspend", "--reset", "--rate", "--forecast")
    for word in words if args[0] == "schedule" else ("--delete", "--yes"):
        assert word in out


def test_history_delete_asks_first_and_then_deletes(
    capsys: pytest.CaptureFixture[str], history: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = history.attempts(prompt_id="tracker-choice")[0]
    code, _, err = cli(capsys, "history", "--delete", str(attempt.id))  # stdin is no terminal
    assert code == 1 and "--yes" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "n")
    code, out, _ = cli(capsys, "history", "--delete", str(attempt.id))
    assert code == 0 and "nothing deleted" in out and history.attempt(attempt.id) is not None
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "y")
    code, out, _ = cli(capsys, "history", "--delete", str(attempt.id))
    assert code == 0 and "deleted attempt" in out
    assert "tracker-choice" in asked[0] and "score 55" in asked[0]
    assert history.attempt(attempt.id) is None
    code, out, _ = cli(capsys, "stats", "--json", *TINY)
    categories = {c["category"]: c for c in json.loads(out)["categories"]}
    assert categories["mlops"]["attempts"] == 0
    code, _, err = cli(capsys, "history", "--delete", str(attempt.id), "--yes")
    assert code == 1 and f"no attempt #{attempt.id}" in err


def test_schedule_suspend_unsuspend_and_next(
    capsys: pytest.CaptureFixture[str], history: HistoryStore
) -> None:
    code, out, _ = cli(capsys, "schedule", "--suspend", "url-short", *TINY)
    assert code == 0 and "suspended" in out and "--unsuspend url-short" in out
    assert history.suspended() == {"url-short"}
    code, out, _ = cli(capsys, "next", "--json", *TINY)
    assert json.loads(out)["prompt_id"] != "url-short"
    code, out, _ = cli(capsys, "schedule", *TINY)
    row = next(line for line in out.splitlines() if line.startswith("url-short"))
    assert "suspended" in row
    code, out, _ = cli(capsys, "schedule", "--unsuspend", "url-short", *TINY)
    assert code == 0 and "unsuspended" in out and history.suspended() == set()
    code, _, err = cli(capsys, "schedule", "--suspend", "no-such-prompt", *TINY)
    assert code == 1 and "no prompt 'no-such-prompt'" in err


def test_schedule_reset_and_rate(capsys: pytest.CaptureFixture[str], history: HistoryStore) -> None:
    code, out, _ = cli(capsys, "schedule", "--reset", "url-short", *TINY)
    assert code == 0 and "due now" in out and "2 attempt(s) stay" in out
    assert history.progress()["url-short"].is_due
    latest = history.attempts(prompt_id="tracker-choice")[0]
    code, out, _ = cli(capsys, "schedule", "--rate", "tracker-choice", "easy", *TINY)
    assert code == 0, out
    assert f"attempt #{latest.id} rated easy" in out and "its score 55 gave hard" in out
    assert history.rating(latest.id) == 4
    code, out, _ = cli(capsys, "schedule", "--rate", "tracker-choice", "score", "--json", *TINY)
    data = json.loads(out)
    assert (data["rating"], data["by_score"]) == ("hard", True)
    assert history.rating(latest.id) is None
    code, _, err = cli(capsys, "schedule", "--rate", "tracker-choice", "great", *TINY)
    assert code == 1 and "not a rating" in err
    code, _, err = cli(capsys, "schedule", "--reset", "no-such-prompt", *TINY)
    assert code == 1 and "no prompt" in err


def test_schedule_forecast(capsys: pytest.CaptureFixture[str], history: HistoryStore) -> None:
    code, out, _ = cli(capsys, "schedule", "--forecast", "--json", *TINY)
    days = json.loads(out)
    assert code == 0 and len(days) == 14
    assert sum(d["due"] for d in days) == 2  # both prompts fall due within two weeks
    code, out, _ = cli(capsys, "schedule", "--forecast", "--days", "3", *TINY)
    assert "today" in out and "tomorrow" in out and len(out.splitlines()) == 5
    code, _, err = cli(capsys, "schedule", "--forecast", "--days", "0", *TINY)
    assert code == 1 and "--days" in err
