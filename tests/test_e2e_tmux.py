"""End to end: the installed ``designprep`` console script in a real terminal (tmux).

Types an answer, submits it, reads the result from the screen, quits with exit code 0;
kills the app with SIGKILL while typing, to check the draft comes back; buys a hint in an
80x24 terminal and reads it on the screen; and writes part of an answer in vi.
Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from designprep.bank import load_bank
from tests.conftest import designprep_exe

pytestmark = pytest.mark.skipif(
    subprocess.run(["sh", "-c", "command -v tmux"], capture_output=True).returncode != 0,
    reason="tmux is not installed",
)

ANSWER = (
    "Patient data is PHI under HIPAA, so no run metadata may go to a SaaS tracker; that "
    "rules out the W&B cloud. I would self-host MLflow inside our own VPC on AWS, in "
    "private subnets, with the artifact store in an encrypted S3 bucket. Models move from "
    "experiment to production through the MLflow model registry."
)


class Terminal:
    """A tmux server of our own (its own socket), 120x40 unless told, running one command.
    Each start gets a fresh server: a server being killed may still hold the previous socket."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.starts = 0
        self.socket = name

    def tmux(self, *args: str) -> str:
        proc = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        return proc.stdout

    def start(self, command: str, home: Path, rc_file: Path, size: str = "120x40") -> None:
        self.starts += 1
        self.socket = f"{self.name}-{self.starts}"
        script = (
            f"export DESIGNPREP_HOME={shlex.quote(str(home))}; unset DESIGNPREP_BANK; "
            f"{command}; echo $? > {shlex.quote(str(rc_file))}; sleep 30"
        )
        width, height = size.split("x")
        self.tmux("new-session", "-d", "-s", "e2e", "-x", width, "-y", height, script)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)

    def wait_for(self, found: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if found(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{self.screen()}")

    def app_pid(self) -> int:
        shell = self.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip()
        children = subprocess.run(
            ["pgrep", "-P", shell], capture_output=True, text=True, check=True
        ).stdout.split()
        return int(children[0])

    def stop(self) -> None:
        path = self.tmux("display-message", "-p", "#{socket_path}").strip()
        self.tmux("kill-server")
        if path:
            Path(path).unlink(missing_ok=True)  # tmux may leave its socket file behind


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal(f"designprep-e2e-{os.getpid()}")
    yield term
    term.stop()


def wait_file(path: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.1)
    raise AssertionError(f"{path} was not written")


def open_healthcare_prompt(term: Terminal) -> None:
    term.wait_for(lambda s: "Browse" in s and "prompts" in s, "the browse screen")
    term.keys("/")
    # the filter box has the focus once the footer drops the letter keys it would swallow
    term.wait_for(lambda s: "Next due" not in s, "the filter box to take the focus")
    term.keys("healthcare mlops", literal=True)
    term.wait_for(
        lambda s: "Design an MLOps stack for a healthcare company" in s.split("Prompt", 1)[-1],
        "the filtered table",
    )
    term.keys("Enter")
    term.wait_for(lambda s: "left" in s and "Your answer" in s, "the practice screen")


def test_answer_submit_read_the_result_and_quit(terminal: Terminal, tmp_path: Path) -> None:
    home, rc_file = tmp_path / "home", tmp_path / "rc"
    terminal.start(shlex.quote(designprep_exe()), home, rc_file)
    open_healthcare_prompt(terminal)

    terminal.keys(ANSWER, literal=True)
    terminal.wait_for(lambda s: "words" in s and "registry." in s, "the typed answer")
    terminal.keys("C-s")
    shown = terminal.wait_for(lambda s: "Breakdown" in s and "Retry" in s, "the results")

    verdicts = ("Strong hire", "Lean no hire", "No hire", "Hire")
    verdict = next(v for v in verdicts if v in shown)
    assert "reasoning points" in shown
    assert "MLflow" in shown  # the breakdown names what was matched
    with sqlite3.connect(home / "history.sqlite3") as db:
        score, saved_verdict, answer = db.execute(
            "SELECT score, verdict, answer FROM attempts"
        ).fetchone()
    assert saved_verdict == verdict
    assert answer == ANSWER
    assert re.search(rf"score \(0-100\)\s+{score}\b", shown) is None  # arithmetic is hidden
    terminal.keys("s")
    maths = terminal.wait_for(lambda s: "Score arithmetic" in s, "the score arithmetic")
    assert re.search(rf"score \(0-100\)\s+{score}\b", maths)

    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Browse" in s, "the browse screen again")
    terminal.keys("q")
    assert wait_file(rc_file) == "0"


def test_draft_survives_kill_9(terminal: Terminal, tmp_path: Path) -> None:
    home, rc_file = tmp_path / "home", tmp_path / "rc"
    terminal.start(shlex.quote(designprep_exe()), home, rc_file)
    open_healthcare_prompt(terminal)
    terminal.keys("A draft typed just before the crash.", literal=True)
    terminal.wait_for(lambda s: "draft saved" in s, "the autosave", timeout=20)
    os.kill(terminal.app_pid(), signal.SIGKILL)
    assert wait_file(rc_file) == str(128 + signal.SIGKILL)

    terminal.stop()
    rc_file.unlink()
    terminal.start(shlex.quote(designprep_exe()), home, rc_file)
    open_healthcare_prompt(terminal)
    terminal.wait_for(
        lambda s: "A draft typed just before the crash." in s and "draft restored" in s,
        "the restored draft",
    )
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Leave without submitting?" in s, "the leave question")
    terminal.keys("x")
    terminal.wait_for(lambda s: "Browse" in s, "the browse screen")
    terminal.keys("q")
    assert wait_file(rc_file) == "0"


def left_pane(screen: str) -> str:
    """The text of the left pane (between the first two '│' of each row), whitespace collapsed."""
    rows = [row.split("│")[1] for row in screen.splitlines() if row.count("│") >= 2]
    return " ".join(" ".join(rows).replace("▌", " ").split())


def test_a_paid_hint_is_readable_at_80x24(terminal: Terminal, tmp_path: Path) -> None:
    hint = load_bank().prompts["mlops-healthcare"].hints[0]
    home, rc_file = tmp_path / "home", tmp_path / "rc"
    terminal.start(shlex.quote(designprep_exe()), home, rc_file, size="80x24")
    open_healthcare_prompt(terminal)
    terminal.keys("C-g")
    terminal.wait_for(lambda s: "Reveal hint 1 of" in s, "the hint's price")
    terminal.keys("y")
    terminal.wait_for(lambda s: f"1. {hint}" in left_pane(s), "the hint on screen", timeout=10)
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Browse" in s, "the browse screen")
    terminal.keys("q")
    assert wait_file(rc_file) == "0"


@pytest.mark.skipif(
    subprocess.run(["sh", "-c", "command -v vi"], capture_output=True).returncode != 0,
    reason="vi is not installed",
)
def test_write_the_answer_in_vi_at_80x24(terminal: Terminal, tmp_path: Path) -> None:
    home, rc_file = tmp_path / "home", tmp_path / "rc"
    command = f"VISUAL=vi EDITOR= {shlex.quote(designprep_exe())}"
    terminal.start(command, home, rc_file, size="80x24")
    open_healthcare_prompt(terminal)
    terminal.keys("Typed in the app first.", literal=True)
    terminal.wait_for(lambda s: "Typed in the app first." in s, "the typed answer")
    terminal.keys("C-o")
    terminal.wait_for(lambda s: "~" in s and "Your answer" not in s, "vi")
    with sqlite3.connect(home / "history.sqlite3") as db:  # saved before the editor opened
        assert db.execute("SELECT text FROM drafts").fetchall() == [("Typed in the app first.",)]
    terminal.keys("o")
    terminal.keys("Then a line written in vi.", literal=True)
    terminal.keys("Escape", ":wq", "Enter")
    shown = terminal.wait_for(
        lambda s: "Then a line written in vi." in s and "Your answer" in s, "the answer back"
    )
    assert "Typed in the app first." in shown
    terminal.keys("C-s")
    terminal.wait_for(lambda s: "Breakdown" in s, "the results")
    with sqlite3.connect(home / "history.sqlite3") as db:
        (answer,) = db.execute("SELECT answer FROM attempts").fetchone()
    assert answer == "Typed in the app first.\nThen a line written in vi."
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Browse" in s, "the browse screen")
    terminal.keys("q")
    assert wait_file(rc_file) == "0"
