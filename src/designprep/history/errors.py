"""Errors the store raises: one line each, naming the file and a way out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

RECOVER_COMMAND = "designprep history --recover"


class HistoryError(Exception):
    """The history cannot be used; the message names the file and what to do."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class CorruptHistoryError(HistoryError):
    """The file is damaged or not a designprep history: it can be moved aside (never deleted)."""


def corrupt(path: Path, detail: str) -> CorruptHistoryError:
    return CorruptHistoryError(
        f"{path}: {detail}; run '{RECOVER_COMMAND}' to copy what can still be read into a "
        f"fresh history (the damaged file is kept as {path.name}.corrupt-<time>)",
        path,
    )


def unwritable(path: Path, detail: str) -> HistoryError:
    return HistoryError(
        f"{path}: cannot use the history ({detail}); make {path.parent} writable or set "
        "DESIGNPREP_HOME to a writable folder",
        path,
    )


def from_sqlite(exc: sqlite3.Error, path: Path) -> HistoryError:
    """Translate an sqlite3 error into a message a person can act on."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    detail = str(exc)
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB":
        return corrupt(path, f"the history file is damaged or not a database ({detail})")
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        if path.is_dir():
            return HistoryError(
                f"{path}: is a folder, not a history file; move it away or set DESIGNPREP_HOME",
                path,
            )
        return unwritable(path, detail)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return HistoryError(
            f"{path}: the history is busy (another designprep is writing to it); try again",
            path,
        )
    if name == "SQLITE_FULL":
        return HistoryError(f"{path}: the disk is full; free some space and try again", path)
    if name.startswith("SQLITE_IOERR"):
        return HistoryError(f"{path}: disk I/O error ({detail}); check the drive", path)
    return HistoryError(f"{path}: {detail}", path)
