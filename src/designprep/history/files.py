"""The history's files on disk: a private folder (0700) and file (0600), and moving a damaged
file aside. The history holds a person's answers, so nobody else on the machine reads it."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from designprep.history.errors import HistoryError, unwritable
from designprep.history.timeutil import now

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def ensure_folder(folder: Path) -> None:
    """Create the data folder (only the last level is made private: parents are the user's)."""
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise HistoryError(
            f"{folder}: cannot create the data folder (a file is in the way); "
            "set DESIGNPREP_HOME to a folder",
            folder,
        ) from None
    except OSError as exc:
        raise HistoryError(
            f"{folder}: cannot create the data folder ({exc.strerror or exc}); "
            "set DESIGNPREP_HOME to a writable folder",
            folder,
        ) from None


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists; SQLite takes an empty file as a
    new database, and gives its -wal and -shm files the same mode."""
    # OSError: there already (another process may have just made it), or sqlite3 will say why
    with suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def move_aside(path: Path) -> Path:
    """Rename a damaged file (and its WAL side files) to *.corrupt-<time>; never delete it."""
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        path.rename(target)
    except OSError as exc:
        raise unwritable(path, f"cannot move it aside: {exc.strerror or exc}") from None
    return target
