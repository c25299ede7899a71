"""Write the answer in your own editor (issue 12): ctrl+o on Practice saves the draft, opens
the answer in $VISUAL / $EDITOR (then vi, then nano) and reads it back when it exits.

The editor here is a small script; the app's suspend (which hands the terminal over) is a
no-op under Pilot. The real app with a real vi is run in tests/test_e2e_tmux.py.
"""

from __future__ import annotations

import shlex
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from designprep.bank import Bank
from designprep.grading import Grader
from designprep.history import HistoryStore
from designprep.ui.editor import EditorError, edit, editor_command
from designprep.ui.screens.practice import PracticeScreen
from tests.test_ui_helpers import make_app, store, text_in

__all__ = ["store"]  # fixtures used by name below

SIZES = [(120, 40), (80, 24)]
# An editor: notes what the history holds as the draft while it runs, then adds a line.
EDITOR = """
import sqlite3, sys
path, db, seen = sys.argv[-1], sys.argv[1], sys.argv[2]
try:
    drafts = sqlite3.connect(db).execute("SELECT text FROM drafts").fetchall()
    open(seen, "w").write(repr(drafts))
except sqlite3.Error:
    pass
text = open(path).read()
open(path, "w").write(text + "\\nA line written in my own editor.\\n")
sys.exit(int(sys.argv[3]))
"""


def script_editor(tmp_path: Path, db: Path, code: int = 0) -> tuple[str, Path]:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    seen = tmp_path / "seen.txt"
    words = [sys.executable, str(script), str(db), str(seen), str(code)]
    return " ".join(shlex.quote(w) for w in words), seen


def test_the_editor_is_visual_then_editor_then_vi_then_nano(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = {"vi": "/usr/bin/vi", "nano": "/usr/bin/nano"}
    monkeypatch.setattr("shutil.which", lambda name: found.get(name))
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"VISUAL": " ", "EDITOR": "emacs -nw"}) == ["emacs", "-nw"]
    assert editor_command({}) == ["/usr/bin/vi"]
    del found["vi"]
    assert editor_command({}) == ["/usr/bin/nano"]
    del found["nano"]
    with pytest.raises(EditorError, match=r"set \$VISUAL or \$EDITOR"):
        editor_command({})
    with pytest.raises(EditorError, match=r"\$EDITOR cannot be read"):
        editor_command({"EDITOR": "vim 'unclosed"})


def test_edit_round_trip_error_exit_and_a_missing_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    command, _ = script_editor(tmp_path, tmp_path / "none.sqlite3")
    assert edit("Mine.", shlex.split(command)) == "Mine.\nA line written in my own editor."
    failing, _ = script_editor(tmp_path, tmp_path / "none.sqlite3", code=1)
    assert edit("Mine.", shlex.split(failing)) is None  # vim's :cq: the edit is abandoned
    with pytest.raises(EditorError, match="cannot run the editor"):
        edit("Mine.", [str(tmp_path / "no-such-editor")])
    assert not list(tmp_path.glob("designprep-*"))  # no file left behind


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_ctrl_o_saves_the_draft_opens_the_editor_and_reads_it_back(
    size: tuple[int, int],
    tiny_bank: Bank,
    tiny_grader: Grader,
    store: HistoryStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command, seen = script_editor(tmp_path, store.path)
    monkeypatch.setenv("VISUAL", command)
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    monkeypatch.setattr(app, "suspend", nullcontext)  # Pilot has no terminal to hand over
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert "^o Editor" in text_in(app, practice.query_one("KeyFooter"))
        area = practice.query_one("#answer", TextArea)
        area.insert("Typed in the app.")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert seen.read_text() == repr([("Typed in the app.",)])  # saved before the editor
        shown = text_in(app, practice.query_one("#answer"))
        assert "Typed in the app. A line written in my own editor." in shown, shown
        assert area.text == "Typed in the app.\nA line written in my own editor."
        assert app.focused is area
        draft = store.load_draft(practice.prompt.id)
        assert draft is not None and draft.text == area.text
        assert "11 words" in text_in(app, practice.query_one("#status"))


async def test_an_editor_that_fails_leaves_the_answer_and_says_why(
    tiny_bank: Bank,
    tiny_grader: Grader,
    store: HistoryStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    app = make_app(tiny_bank, tiny_grader, store, warm_up=False)
    monkeypatch.setattr(app, "suspend", nullcontext)
    messages: list[Any] = []
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("enter")
        practice = app.screen
        practice.query_one("#answer", TextArea).insert("Kept as it was.")
        monkeypatch.setattr(practice, "notify", lambda message, **kw: messages.append(message))
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert practice.query_one("#answer", TextArea).text == "Kept as it was."
        assert messages and "cannot run the editor" in messages[0]
