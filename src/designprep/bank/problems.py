"""Load problems: one line each, naming the file, line and field."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from designprep.bank.visible import visible


def display_path(path: Path) -> str:
    """A path relative to the working directory when that is shorter, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith(".." + os.sep + "..") else str(path)


@dataclass(frozen=True)
class LoadProblem:
    path: Path
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where += f":{self.line}"
        text = (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )
        return visible(text, one_line=True)  # it quotes file names and contents
