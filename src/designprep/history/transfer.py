"""Export and import of attempts: JSON and CSV round-trip; Markdown is for reading.

Exports are streamed (any history size); times are UTC ISO 8601; CSV goes through the
csv module both ways (files opened with ``newline=''``), so any text survives a round trip.
A damaged row (see validate.py) is left out of JSON and CSV, which must read back. Imports
check every record with the store's own row check and reject each bad one as
``FILE:LINE: attempt N: why``, keeping the rest.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from designprep.bank.visible import visible, visible_json
from designprep.history.models import Attempt
from designprep.history.timeutil import to_db, utc
from designprep.history.validate import problem

FORMAT_NAME = "designprep-history"
FORMAT_VERSION = 1
FORMATS = ("json", "csv", "markdown")

# Column order of CSV files and key order of JSON records.
FIELDS = (
    "prompt_id",
    "category",
    "title",
    "started_at",
    "submitted_at",
    "duration_seconds",
    "hints_used",
    "score",
    "verdict",
    "grader_version",
    "content_hash",
    "answer",
)


class TransferError(ValueError):
    """An import file that cannot be read; the message names the file and record."""


def attempt_record(a: Attempt, *, result_as_text: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
        "prompt_id": a.prompt_id,
        "category": a.category,
        "title": a.title,
        "started_at": to_db(a.started_at),
        "submitted_at": to_db(a.submitted_at),
        "duration_seconds": round(a.duration_seconds, 3),
        "hints_used": a.hints_used,
        "score": a.score,
        "verdict": a.verdict,
        "grader_version": a.grader_version,
        "content_hash": a.content_hash,
        "answer": a.answer,
    }
    if result_as_text:
        record["result_json"] = a.result_json
    else:
        record["result"] = json.loads(a.result_json)
    return record


def write_json(attempts: Iterable[Attempt], out: TextIO, exported_at: datetime) -> int:
    out.write(
        "{\n"
        f'  "format": "{FORMAT_NAME}",\n'
        f'  "version": {FORMAT_VERSION},\n'
        f'  "exported_at": "{to_db(exported_at)}",\n'
        '  "attempts": ['
    )
    n = 0
    for a in attempts:
        if a.damaged:
            continue
        out.write(("," if n else "") + "\n    ")
        record = json.dumps(attempt_record(a), ensure_ascii=False, allow_nan=False)
        out.write(visible_json(record))  # the same data, never an escape a terminal runs
        n += 1
    out.write("\n  ]\n}\n" if n else "]\n}\n")
    return n


def write_csv(attempts: Iterable[Attempt], out: TextIO) -> int:
    # the default dialect ends rows with \r\n, so it quotes every field holding \r or \n
    writer = csv.DictWriter(out, fieldnames=[*FIELDS, "result_json"])
    writer.writeheader()
    n = 0
    for a in attempts:
        if a.damaged:
            continue
        writer.writerow(attempt_record(a, result_as_text=True))
        n += 1
    return n


def write_markdown(attempts: Iterable[Attempt], out: TextIO, exported_at: datetime) -> int:
    """A summary table, then each attempt with its answer and what it missed."""
    out.write(f"# designprep history\n\nExported {_local(exported_at)}.\n\n")
    sections: list[str] = []
    rows = [
        "| # | When | Prompt | Category | Score | Verdict | Minutes | Hints |",
        "|" + "---|" * 8,
    ]
    for n, a in enumerate(attempts, start=1):
        rows.append(
            f"| {n} | {_local(a.submitted_at)} | {_cell(a.title)} | {_cell(a.category)} | "
            f"{a.score} | {_cell(a.verdict)} | {a.duration_seconds / 60:.0f} | {a.hints_used} |"
        )
        sections.append(_markdown_section(n, a))
    if not sections:
        out.write("No attempts.\n")
        return 0
    out.write("\n".join(rows) + "\n")
    for section in sections:
        out.write("\n" + section)
    return len(sections)


def _markdown_section(n: int, a: Attempt) -> str:
    # Markdown is for reading (it is never imported): text is shown as the terminal shows it
    def v(text: str) -> str:
        return visible(text, one_line=True)

    lines = [
        f"## {n}. {v(a.title)}",
        "",
        f"`{v(a.prompt_id)}` · {_local(a.submitted_at)} · score **{a.score}** ({v(a.verdict)})",
        "",
        *("> " + line if line else ">" for line in visible(a.answer.strip()).split("\n")),
        "",
    ]
    if a.damaged:
        return "\n".join([*lines, f"Damaged in the history file: {v(a.damaged)}.", ""])
    data = json.loads(a.result_json)
    missed = [
        p.get("text", p.get("id"))
        for p in data.get("points", [])
        if p.get("status") in ("missed", "contradicted")
    ]
    flags = [
        f.get("text", f.get("id")) for f in data.get("red_flags", []) if f.get("status") == "raised"
    ]
    if missed:
        lines += ["Missed:", "", *(f"- {v(str(text))}" for text in missed), ""]
    if flags:
        lines += ["Red flags:", "", *(f"- {v(str(text))}" for text in flags), ""]
    return "\n".join(lines)


def _local(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def _cell(text: str) -> str:
    return visible(text, one_line=True).replace("|", "\\|")


# -- reading -----------------------------------------------------------------------------------


def read_attempts(path: Path) -> list[Attempt]:
    """Attempts from a JSON or CSV export; the first bad record fails the whole file."""
    attempts, rejected = read_import(path)
    if rejected:
        raise TransferError(rejected[0])
    return attempts


def read_import(path: Path) -> tuple[list[Attempt], list[str]]:
    """(sound attempts, one message per rejected record) from a JSON or CSV export, told
    apart by content, not by name. A file that is not an export at all (or a Markdown
    export, which is for reading) raises."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise TransferError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TransferError(f"{path}: is a folder, not an export file") from None
    except UnicodeDecodeError:
        raise TransferError(f"{path}: not UTF-8 text (is it a designprep export?)") from None
    except OSError as exc:
        raise TransferError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if text.lstrip().startswith("#"):  # the Markdown export's heading
        raise TransferError(
            f"{path}: a Markdown export, which is for reading and cannot be imported; "
            "'designprep export --format json' (or csv) writes one that can"
        )
    if text.lstrip().startswith(("{", "[")):
        records = _json_records(path, text)
    else:
        records = _csv_records(path, text)
    attempts: list[Attempt] = []
    rejected: list[str] = []
    for n, (line, record) in enumerate(records, start=1):
        try:
            attempt = _attempt(record)
            reason = problem(attempt)
        except ValueError as exc:
            reason = str(exc)
        if reason is None:
            attempts.append(attempt)
        else:
            rejected.append(f"{path}:{line}: attempt {n}: {reason}")
    return attempts, rejected


def _int(token: str) -> int | float:
    # a number too long for int() would fail the whole file; as inf it fails only its record
    return int(token) if len(token) <= 100 else math.inf


_DECODER = json.JSONDecoder(parse_int=_int)
_SPACE = re.compile(r"[ \t\n\r]*")


def _json_records(path: Path, text: str) -> list[tuple[int, Any]]:
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError):
        raise TransferError(f"{path}: not valid JSON (nested too deep)") from None
    if isinstance(data, dict):
        if data.get("format") != FORMAT_NAME:
            raise TransferError(
                f'{path}: not a designprep history export (no "format": "{FORMAT_NAME}")'
            )
        if not isinstance(data.get("version"), int) or data["version"] > FORMAT_VERSION:
            raise TransferError(
                f"{path}: export format version {data.get('version')!r} is newer than this "
                f"designprep reads ({FORMAT_VERSION}); upgrade designprep"
            )
        data = data.get("attempts")
    if not isinstance(data, list):
        raise TransferError(f"{path}: expected a list of attempts")
    return list(zip(_item_lines(text), data, strict=True))


def _item_lines(text: str) -> list[int]:
    """The line each item of the attempts list starts on (the text is valid JSON)."""

    def skip(i: int) -> int:
        match = _SPACE.match(text, i)
        return match.end() if match else i

    i = skip(0)
    if text[i] == "{":  # walk the keys to the value of the last "attempts" (as json does)
        i, start = skip(i + 1), 0
        while text[i] != "}":
            key, i = _DECODER.raw_decode(text, i)
            i = skip(skip(i) + 1)
            start = i if key == "attempts" else start
            i = skip(_DECODER.raw_decode(text, i)[1])
            i = skip(i + 1) if text[i] == "," else i
        i = start
    starts: list[int] = []
    i = skip(i + 1)
    while text[i] != "]":
        starts.append(i)
        i = skip(_DECODER.raw_decode(text, i)[1])
        i = skip(i + 1) if text[i] == "," else i
    lines, line, counted = [], 1, 0
    for start in starts:
        line += text.count("\n", counted, start)
        counted = start
        lines.append(line)
    return lines


def _csv_records(path: Path, text: str) -> list[tuple[int, Any]]:
    csv.field_size_limit(sys.maxsize)  # answers and results are long
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [f for f in (*FIELDS, "result_json") if f not in (reader.fieldnames or [])]
    if missing:
        raise TransferError(
            f"{path}: not a designprep CSV export (missing column(s): {', '.join(missing)})"
        )
    records = []
    line = reader.line_num + 1
    try:
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise TransferError(f"{path}:{line}: not valid CSV ({exc})") from None
    return records


def _attempt(record: Any) -> Attempt:
    """An attempt from one record; ValueError says what is wrong with it."""
    if not isinstance(record, dict):
        raise ValueError("must be a JSON object")

    def field(name: str) -> Any:
        if name not in record or record[name] is None:
            raise ValueError(f"missing field '{name}'")
        return record[name]

    def text(name: str) -> str:
        value = field(name)
        if not isinstance(value, str):
            raise ValueError(f"'{name}' must be text")
        return value

    def number(name: str, kind: type[int] | type[float]) -> Any:
        value = field(name)
        try:
            if isinstance(value, bool):
                raise TypeError
            return kind(value) if kind is float else int(str(value))
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"'{name}' must be a number, not {str(value)[:40]!r}") from None

    def when(name: str) -> datetime:
        value = text(name)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{name}' is not an ISO date-time: {value[:40]!r}") from None
        if parsed.tzinfo is None:
            raise ValueError(f"'{name}' needs a time zone (exports use UTC)")
        try:
            return utc(parsed)
        except OverflowError:
            raise ValueError(f"'{name}' is out of range: {value[:40]!r}") from None

    if "result" in record:
        if not isinstance(record["result"], dict):
            raise ValueError("'result' must be a JSON object")
        result_json = json.dumps(record["result"], ensure_ascii=False)
    else:
        result_json = text("result_json")
    return Attempt(
        id=0,
        prompt_id=text("prompt_id"),
        category=text("category"),
        title=text("title"),
        started_at=when("started_at"),
        submitted_at=when("submitted_at"),
        duration_seconds=number("duration_seconds", float),
        answer=text("answer"),
        hints_used=number("hints_used", int),
        score=number("score", int),
        verdict=text("verdict"),
        grader_version=text("grader_version"),
        content_hash=text("content_hash"),
        result_json=result_json,
    )
