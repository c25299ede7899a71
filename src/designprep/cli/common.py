"""What every command shares: errors, bank loading, reading answers, printing."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

from designprep import locations

if TYPE_CHECKING:  # imported where used: `designprep --help` needs neither
    from designprep.bank import Bank


class UserError(Exception):
    """A mistake the user can fix: printed as one line, exit code 1."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 1, as for every other user error."""

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def add_bank_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bank",
        metavar="DIR",
        action="append",
        default=[],
        help="extra folder of prompt and rubric YAML files (repeatable; also DESIGNPREP_BANK)",
    )


def load(args: argparse.Namespace, *, warn: bool = True) -> Bank:
    dirs = locations.extra_bank_dirs(getattr(args, "bank", []) + getattr(args, "bank_top", []))
    from designprep import prepared

    bank = prepared.load(dirs)  # from the bank cache when no file changed
    if warn:
        for problem in bank.problems:
            print(f"warning: skipped {problem}", file=sys.stderr)
    return bank


def open_input(name: str, what: str = "answer") -> AbstractContextManager[BinaryIO]:
    """A path or '-' (stdin, left open) to read bytes from; a path that cannot be opened is
    a user error naming it."""
    if name == "-":
        return nullcontext(sys.stdin.buffer)
    try:
        return open(name, "rb")
    except FileNotFoundError:
        raise UserError(f"{name}: no such {what} file") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, not an {what} file") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {exc.strerror or exc}") from None


def read_text_file(name: str, what: str = "answer") -> str:
    """Read UTF-8 text from a path or '-' (stdin), refusing binary and oversized input."""
    from designprep.grading import MAX_ANSWER_CHARS

    limit = MAX_ANSWER_CHARS * 4  # bytes: UTF-8 uses at most four per character
    with open_input(name, what) as fh:
        try:
            raw = fh.read(limit + 1)
        except OSError as exc:
            raise UserError(f"{name}: cannot read: {exc.strerror or exc}") from None
    where = "standard input" if name == "-" else name
    if len(raw) > limit:
        raise UserError(f"{where}: the {what} is over the {MAX_ANSWER_CHARS:,}-character limit")
    if b"\x00" in raw:
        raise UserError(f"{where}: not a text file (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{where}: not UTF-8 text (invalid byte at offset {exc.start})") from None


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON as UTF-8 text that is safe to print: the same data, escaped where it must be."""
    from designprep.bank.visible import visible_json

    return visible_json(json.dumps(data, ensure_ascii=False, indent=indent))


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data, indent=2) + "\n")


def print_jsonl(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")
    sys.stdout.flush()  # a batch's reader sees each result as it is graded


def path_arg(value: str) -> Path:
    return Path(value).expanduser()
