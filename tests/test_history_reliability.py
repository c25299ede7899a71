"""The history under real processes: concurrent writers, and writers killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from designprep.history import HistoryStore
from tests.conftest import TINY_BANK

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork semantics")

# Saves COUNT attempts (forever if COUNT < 0), printing each id once it is committed.
# With "pause", the third save (of 'cache', which has a draft) stops inside its transaction.
WRITER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from designprep.history import HistoryStore, derived
from tests.test_history_store import make_bank, save

path, tag, count, pause = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "pause"
bank = make_bank(("cache", "systems"), ("queue", "systems"))
filler = " Reads dominate, so a cache sits in front of the store." * 200
with HistoryStore.open(path) as store:
    i = 0
    while count < 0 or i < count:
        if pause and i == 2:
            store.save_draft("cache", "a draft that must survive the crash")
            real = derived.tally_points
            def stall(*args, **kwargs):
                real(*args, **kwargs)
                print("inside", flush=True)
                time.sleep(60)
            derived.tally_points = stall
        prompt_id = ("cache", "queue")[i % 2]
        attempt_id = save(store, bank, prompt_id, (i * 7) % 101, datetime.now(UTC),
                          answer=f"{tag}-{i}" + filler)
        print(attempt_id, flush=True)
        i += 1
"""


def writer(path: Path, tag: str, count: int, pause: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count), "pause" if pause else "-"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_line(proc: subprocess.Popen[str]) -> str:
    """The writer's next line; its stderr in the failure message if it stopped instead."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=30)
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"writer exited with {proc.returncode}: {err}")
    return line.strip()


def check_file(path: Path) -> int:
    """integrity_check passes and the derived cards agree with the attempts; returns the count."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        attempts = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
        carded = conn.execute("SELECT coalesce(sum(attempts), 0) FROM cards").fetchone()[0]
        assert carded == attempts
        return int(attempts)
    finally:
        conn.close()


def ids_in(path: Path) -> set[int]:
    with HistoryStore.open(path) as store:
        return {a.id for a in store.attempts()}


# Grades an answer against the tiny bank, waits at a gate, then saves as `designprep grade`
# does (cli.grade_cmd.save_attempt), so both processes write at the same moment.
GRADER = """
import sys, time
from pathlib import Path
from designprep.bank import load_bank
from designprep.cli.grade_cmd import save_attempt
from designprep.grading import Grader

bank_dir, prompt_id, answer, gate = sys.argv[1:5]
bank = load_bank([Path(bank_dir)], include_bundled=False)
prompt = bank.prompt(prompt_id)
result = Grader(bank).grade(prompt, answer)
Path(gate + "." + prompt_id).touch()
while not Path(gate).exists():
    time.sleep(0.002)
save_attempt(bank, prompt, answer, result)
print(result.score)
"""


def test_two_grading_processes_save_at_once(tmp_path: Path) -> None:
    answers = {
        "tracker-choice": "We host MLflow in our own VPC because patient data must stay inside.",
        "url-short": "Short codes are base62 ids; a cache sits in front because reads dominate.",
    }
    gate = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", GRADER, str(TINY_BANK), pid, text, str(gate)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pid, text in answers.items()
    ]
    deadline = time.monotonic() + 120
    while not all(Path(f"{gate}.{pid}").exists() for pid in answers):
        assert time.monotonic() < deadline, "graders did not get ready"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    gate.touch()  # both graded: now both save at once
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "warning" not in err  # a failed save only warns: make sure none did
    with HistoryStore.open() as store:
        saved = store.attempts()
        assert sorted(a.prompt_id for a in saved) == sorted(answers)
        assert {a.answer for a in saved} == set(answers.values())
        path = store.path
    assert check_file(path) == 2


def test_parallel_writers_on_a_fresh_file_all_land(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "history.sqlite3"  # no file yet: they race to create it
    procs = [writer(path, f"w{n}", 20) for n in range(3)]
    printed: list[int] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        printed += [int(line) for line in out.split()]
    assert len(printed) == len(set(printed)) == 60
    assert check_file(path) == 60
    assert ids_in(path) == set(printed)


def test_sigkill_while_saving_keeps_every_committed_attempt(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    proc = writer(path, "loop", -1)
    committed = [int(read_line(proc)) for _ in range(15)]
    os.kill(proc.pid, signal.SIGKILL)  # mid-way through a later save
    # read on through the same text wrapper: it may hold lines already taken from the pipe
    assert proc.stdout is not None and proc.stderr is not None
    committed += [int(line) for line in proc.stdout.read().split()]
    assert proc.wait(timeout=30) == -signal.SIGKILL, proc.stderr.read()
    count = check_file(path)
    # at most one more: committed, but killed before it printed its id
    assert count in (len(committed), len(committed) + 1)
    assert set(committed) <= ids_in(path)


def test_sigkill_inside_the_transaction_rolls_back_the_whole_save(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    proc = writer(path, "pause", 10, pause=True)
    lines = [read_line(proc) for _ in range(3)]
    assert lines[2] == "inside", lines
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert check_file(path) == 2  # the interrupted attempt is absent
    with HistoryStore.open(path) as store:
        assert {a.id for a in store.attempts()} == {int(x) for x in lines[:2]}
        draft = store.load_draft("cache")  # clearing it was part of the rolled-back save
        assert draft is not None and draft.text == "a draft that must survive the crash"
        assert sum(p.attempts for p in store.progress().values()) == 2
