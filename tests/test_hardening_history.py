"""Issue 11, the history's share: backups that restore, bad rows that stay one row, a damaged
file that gives back what it can, and files nobody else can read.

Each test reproduces a finding of the fault-injection pass; all failed before the fix.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designprep.bank import Bank
from designprep.cli.main import main
from designprep.history import Attempt, CorruptHistoryError, HistoryStore
from designprep.history.transfer import read_import, write_csv, write_json
from tests.conftest import TINY_BANK
from tests.test_history_store import make_bank, result_for, save

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
# every character str.splitlines() splits on but a CSV line does not end with
LINE_BREAKS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def attempt(prompt_id: str, answer: str, at: datetime, **changes: Any) -> Attempt:
    result = result_for(prompt_id, 60, missed=("b",))
    values: dict[str, Any] = dict(
        id=0,
        prompt_id=prompt_id,
        category="systems",
        title=f"Design {prompt_id}",
        started_at=at - timedelta(minutes=12),
        submitted_at=at,
        duration_seconds=720.0,
        answer=answer,
        hints_used=0,
        score=60,
        verdict=result.verdict,
        grader_version=result.grader_version,
        content_hash="h",
        result_json=json.dumps(result.to_dict(), ensure_ascii=False),
    )
    return Attempt(**{**values, **changes})


def export(store: HistoryStore, fmt: str, path: Path) -> str:
    with path.open("w", encoding="utf-8", newline="") as out:
        if fmt == "json":
            write_json(store.iter_attempts(), out, T0)
        else:
            write_csv(store.iter_attempts(), out)
    return path.read_bytes().decode("utf-8")


# -- item 2: CSV backups restore ----------------------------------------------------------------


@pytest.mark.parametrize("char", LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKS])
def test_csv_backup_keeps_every_line_break_character(tmp_path: Path, char: str) -> None:
    answer = f"first part{char}second part{char}"
    with HistoryStore.open(tmp_path / "a.sqlite3") as store:
        store.import_attempts([attempt("cache", answer, T0, title=f"Cache{char}design")])
        export(store, "csv", tmp_path / "backup.csv")
    attempts, rejected = read_import(tmp_path / "backup.csv")
    assert rejected == []
    assert [(a.answer, a.title) for a in attempts] == [(answer, f"Cache{char}design")]


# arbitrary text, as a person (or a paste from Word) may type it
TEXT = st.text(max_size=40)


@st.composite
def attempts_of_any_text(draw: st.DrawFn) -> list[Attempt]:
    out = []
    for n in range(draw(st.integers(1, 4))):
        prompt_id = draw(TEXT)
        result = result_for(prompt_id, 50)
        points = tuple(replace(p, text=draw(TEXT)) for p in result.points)
        result = replace(result, points=points, notes=(draw(TEXT),))
        at = T0 + timedelta(seconds=draw(st.integers(0, 10**8)), microseconds=n)
        out.append(
            attempt(
                prompt_id,
                draw(st.text(max_size=300)),
                at,
                category=draw(TEXT),
                title=draw(TEXT),
                duration_seconds=draw(st.floats(0, 86400)),
                verdict=draw(TEXT),
                content_hash=draw(TEXT),
                result_json=json.dumps(result.to_dict(), ensure_ascii=False),
            )
        )
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attempts=attempts_of_any_text())
def test_export_import_export_is_identical_for_any_text(attempts: list[Attempt]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with HistoryStore.open(folder / "a.sqlite3") as first:
            first.import_attempts(attempts)
            exports = {fmt: export(first, fmt, folder / f"one.{fmt}") for fmt in ("json", "csv")}
        for fmt, text in exports.items():
            restored, rejected = read_import(folder / f"one.{fmt}")
            assert rejected == []
            with HistoryStore.open(folder / f"b-{fmt}.sqlite3") as second:
                second.import_attempts(restored)
                assert export(second, fmt, folder / f"two.{fmt}") == text
                assert sorted(a.answer for a in second.attempts()) == sorted(
                    a.answer for a in first_answers(attempts)
                )


def first_answers(attempts: list[Attempt]) -> Iterator[Attempt]:
    """The attempts the store keeps: one per (prompt, submission time, answer)."""
    seen = set()
    for a in attempts:
        key = (a.prompt_id, a.submitted_at, a.answer)
        if key not in seen:
            seen.add(key)
            yield a


# -- item 3: one bad row stays one row ----------------------------------------------------------


def good_record(n: int) -> dict[str, Any]:
    a = attempt("cache", f"answer {n}", T0 + timedelta(days=n))
    return {
        "prompt_id": a.prompt_id,
        "category": a.category,
        "title": a.title,
        "started_at": a.started_at.isoformat(),
        "submitted_at": a.submitted_at.isoformat(),
        "duration_seconds": a.duration_seconds,
        "hints_used": 0,
        "score": 60,
        "verdict": a.verdict,
        "grader_version": a.grader_version,
        "content_hash": "h",
        "answer": a.answer,
        "result": json.loads(a.result_json),
    }


def hostile_records() -> list[tuple[str, str, str]]:
    """(name, JSON text of the record, a word its rejection must name)."""
    good = json.dumps(good_record(0))

    def with_field(name: str, raw: str) -> str:
        record = good_record(0)
        record[name] = "@@"
        return json.dumps(record).replace('"@@"', raw)

    result = good_record(0)["result"]
    no_breakdown = {k: v for k, v in result.items() if k != "breakdown"}
    bad_point = {**result, "points": [{**result["points"][0], "weight": "heavy"}]}
    extra_key = {**result, "points": [{**result["points"][0], "colour": "red"}]}
    return [
        ("duration 1e999", with_field("duration_seconds", "1e999"), "duration_seconds"),
        ("duration NaN", with_field("duration_seconds", "NaN"), "duration_seconds"),
        ("year 0001", with_field("submitted_at", '"0001-01-01T00:00:00+00:00"'), "submitted_at"),
        ("year 9999", with_field("started_at", '"9999-12-31T23:59:59+00:00"'), "started_at"),
        ("lone surrogate", with_field("answer", '"half \\ud800 a pair"'), "answer"),
        ("huge hints", with_field("hints_used", "1" + "0" * 30), "hints_used"),
        ("enormous hints", with_field("hints_used", "9" * 5000), "hints_used"),
        ("result no breakdown", with_field("result", json.dumps(no_breakdown)), "result"),
        ("result bad point", with_field("result", json.dumps(bad_point)), "weight"),
        ("result extra key", with_field("result", json.dumps(extra_key)), "result"),
        ("result Infinity", good.replace('"credit": 1.0', '"credit": Infinity', 1), "result"),
        ("not an object", "[1, 2]", "JSON object"),
    ]


def test_import_rejects_each_bad_record_by_line_and_adds_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hostile = hostile_records()
    lines = [json.dumps(good_record(1))]
    lines += [raw for _, raw, _ in hostile]
    lines += [json.dumps(good_record(2))]
    path = tmp_path / "hostile.json"
    path.write_text(
        '{"format": "designprep-history", "version": 1,\n"attempts": [\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    code, out, err = cli(capsys, "import", str(path))
    assert code == 1 and "imported 2 attempt(s)" in out and "rejected 12" in out
    messages = err.splitlines()
    assert len(messages) == len(hostile)
    for n, (message, (name, _, word)) in enumerate(zip(messages, hostile, strict=True)):
        # the record of attempt n + 2 sits on line n + 4
        assert f"{path}:{n + 4}: attempt {n + 2}: " in message, name
        assert word in message, (name, message)
    with HistoryStore.open() as store:
        assert sorted(a.answer for a in store.attempts()) == ["answer 1", "answer 2"]
        assert store.progress()["cache"].attempts == 2


def test_csv_import_names_the_line_of_a_bad_record(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "a.sqlite3") as store:
        store.import_attempts(
            [attempt("cache", "two\nlines", T0), attempt("queue", "ok", T0 + timedelta(1))]
        )
        text = export(store, "csv", tmp_path / "a.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("720.0", "inf", 1), newline="")
    attempts, rejected = read_import(bad)
    assert [a.answer for a in attempts] == ["ok"]
    assert rejected == [f"{bad}:2: attempt 1: 'duration_seconds' must be a number, not inf"]


DAMAGE = {  # column: a value an older designprep (or a damaged disk) left in the file
    "duration_seconds": math.inf,
    "submitted_at": "0001-01-01T00:00:00.000000+00:00",
    "result_json": '{"points": "not a list"}',
    "hints_used": 2**62,
}


@pytest.fixture
def west_of_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A local time zone behind UTC: year 0001 in local time is before datetime.min."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("column", DAMAGE)
def test_readers_show_a_damaged_row_and_go_on(
    capsys: pytest.CaptureFixture[str], tiny_bank: Bank, column: str, west_of_utc: None
) -> None:
    with HistoryStore.open() as store:
        good = save(store, tiny_bank, "url-short", 70, T0)
        bad = save(store, tiny_bank, "tracker-choice", 55, T0 + timedelta(hours=1))
        path = store.path
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE attempts SET {column} = ? WHERE id = ?", (DAMAGE[column], bad))
    conn.commit()
    conn.close()

    code, out, err = cli(capsys, "history")
    assert code == 0 and "damaged" in out and not err
    assert f"'designprep history --id {bad}' says why" in out
    code, out, _ = cli(capsys, "history", "--id", str(bad))
    assert code == 0 and "damaged" in out and column.removesuffix("_json") in out
    code, out, _ = cli(capsys, "history", "--id", str(good), "--bank", str(TINY_BANK))
    assert code == 0 and "damaged" not in out
    code, out, _ = cli(capsys, "history", "--json")
    assert {row["id"]: "damaged" in row for row in json.loads(out)} == {bad: True, good: False}

    code, out, err = cli(capsys, "export")
    data = json.loads(out, parse_constant=lambda token: pytest.fail(f"{token} in JSON"))
    assert code == 0 and len(data["attempts"]) == 1
    assert f"left out 1 damaged attempt(s) (#{bad})" in err
    code, out, _ = cli(capsys, "export", "--format", "markdown")
    assert code == 0 and out.count("\n## ") == 2 and "Damaged in the history file" in out


# -- item 1: recovery of a damaged file ----------------------------------------------------------

PAGE = 4096


def damaged_history(path: Path, count: int = 40) -> tuple[dict[int, str], int]:
    """A closed history of ``count`` attempts with one table page overwritten; returns the
    answers by id and the page's number."""
    bank = make_bank(("cache", "systems"), ("queue", "systems"))
    answers = {}
    with HistoryStore.open(path) as store:
        for n in range(count):
            answer = f"answer-{n:03d} " + "Reads dominate, so a cache sits in front. " * 12
            answers[save(store, bank, ("cache", "queue")[n % 2], 50, T0, answer=answer)] = answer
        store.save_draft("queue", "a draft worth keeping")
        store.set_setting("theme", "nord")
    data = bytearray(path.read_bytes())
    assert not Path(f"{path}-wal").exists()  # closing checkpointed everything into the file
    page = next(
        n for n in range(len(data) // PAGE) if b"answer-020" in data[n * PAGE : (n + 1) * PAGE]
    )
    data[page * PAGE : (page + 1) * PAGE] = bytes([0xA5]) * PAGE
    path.write_bytes(bytes(data))
    return answers, page


def test_a_damaged_page_is_refused_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    damaged_history(path)
    before = path.read_bytes()
    with pytest.raises(CorruptHistoryError, match="history --recover") as info:
        HistoryStore.open(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before


def test_recover_salvages_every_readable_attempt(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    answers, _ = damaged_history(path)
    before = path.read_bytes()
    with HistoryStore.open(path, recover=True) as store:
        recovery = store.recovery
        assert recovery is not None
        saved = {a.id: a.answer for a in store.attempts()}
        assert store.load_draft("queue") is not None
        assert store.get_setting("theme") == "nord"
        assert sum(p.attempts for p in store.progress().values()) == len(saved)
        assert store._conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert recovery.moved_to.read_bytes() == before  # kept, untouched
    assert 20 not in saved and 0 < recovery.lost < 10  # the rows of the one bad page
    assert recovery.saved == len(saved) == len(answers) - recovery.lost
    assert all(answers[i] == text for i, text in saved.items())  # ids and answers as they were


def test_recover_command_reports_saved_and_lost(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESIGNPREP_HOME", str(tmp_path))
    damaged_history(tmp_path / "history.sqlite3")
    code, out, _ = cli(capsys, "history")
    assert code == 1
    code, out, err = cli(capsys, "history", "--recover")
    assert code == 0, err
    [moved] = (p for p in tmp_path.glob("*.corrupt-*") if not p.name.endswith(("-wal", "-shm")))
    assert str(moved) in out and "saved " in out and "lost " in out
    code, out, _ = cli(capsys, "history", "--all")
    assert code == 0 and len(out.splitlines()) > 30
    code, out, _ = cli(capsys, "history", "--recover")
    assert "nothing to recover" in out


# -- item 9: files and permissions ---------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_data_folder_and_history_file_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = os.umask(0o022)
    try:
        home = tmp_path / "new" / "data"
        monkeypatch.setenv("DESIGNPREP_HOME", str(home))
        with HistoryStore.open() as store:
            store.set_setting("theme", "nord")
            path = store.path
            assert stat.S_IMODE(Path(f"{path}-wal").stat().st_mode) == 0o600
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_export_never_replaces_a_file_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tiny_bank: Bank
) -> None:
    with HistoryStore.open() as store:
        save(store, tiny_bank, "url-short", 70, T0)
    target = tmp_path / "notes.txt"
    target.write_text("my own notes")
    code, _, err = cli(capsys, "export", "-o", str(target))
    assert code == 1 and "--force" in err and target.read_text() == "my own notes"
    link = tmp_path / "planted"
    link.symlink_to(tmp_path / "elsewhere")
    code, _, err = cli(capsys, "export", "-o", str(link))
    assert code == 1 and not (tmp_path / "elsewhere").exists()
    code, _, err = cli(capsys, "export", "-o", str(target), "--force")
    assert code == 0 and json.loads(target.read_text())["attempts"]
