"""Writing the answer in the user's own editor: which editor, and a round trip through a file.

$VISUAL, then $EDITOR (split as a shell would, so "code --wait" works), then vi, then nano.
The answer goes to a private temporary file, the editor runs with the terminal to itself,
and the file is read back when it exits; an editor that exits with an error (vim's :cq)
leaves the answer as it was. No Textual here: the practice screen suspends the app
around ``edit``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping

FALLBACKS = ("vi", "nano")


class EditorError(Exception):
    """No editor could be run, or it failed: the message says which and why."""


def editor_command(env: Mapping[str, str] | None = None) -> list[str]:
    """The command to run, with the file's path to be added at the end."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${name} cannot be read as a command ({exc}): {value}") from None
            if words:
                return words
    for name in FALLBACKS:
        found = shutil.which(name)
        if found:
            return [found]
    raise EditorError("no editor found: set $VISUAL or $EDITOR (vi and nano are not installed)")


def edit(text: str, command: list[str], name: str = "answer") -> str | None:
    """Run ``command`` on a private file holding ``text``; the text it holds when the editor
    exits, or None when the editor exited with an error (the edit is abandoned)."""
    fd, path = tempfile.mkstemp(prefix=f"designprep-{name}-", suffix=".md")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            code = subprocess.call([*command, path])
        except OSError as exc:
            raise EditorError(
                f"cannot run the editor {command[0]}: {exc.strerror or exc}"
            ) from None
        if code != 0:
            return None
        with open(path, encoding="utf-8", errors="replace") as fh:
            edited = fh.read()
    finally:
        os.unlink(path)
    # editors end the file with a newline: not part of the answer
    return edited[:-1] if edited.endswith("\n") and not text.endswith("\n") else edited
