"""Export and import of attempts: JSON and CSV round-trip; Markdown is for reading.

Exports are streamed (any history size); times are UTC ISO 8601. Imports are validated
record by record and report the first problem as ``FILE: attempt N: ...``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from designprep.history.models import Attempt
from designprep.history.timeutil import to_db, utc

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
        out.write(("," if n else "") + "\n    ")
        out.write(json.dumps(attempt_record(a), ensure_ascii=False))
        n += 1
    out.write("\n  ]\n}\n" if n else "]\n}\n")
    return n


def write_csv(attempts: Iterable[Attempt], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=[*FIELDS, "result_json"], lineterminator="\n")
    writer.writeheader()
    n = 0
    for a in attempts:
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
            f"| {n} | {_local(a.submitted_at)} | {_cell(a.title)} | {a.category} | {a.score} | "
            f"{a.verdict} | {a.duration_seconds / 60:.0f} | {a.hints_used} |"
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
    lines = [
        f"## {n}. {a.title}",
        "",
        f"`{a.prompt_id}` · {_local(a.submitted_at)} · score **{a.score}** ({a.verdict})",
        "",
        *("> " + line if line else ">" for line in a.answer.strip().splitlines()),
        "",
    ]
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
        lines += ["Missed:", "", *(f"- {text}" for text in missed), ""]
    if flags:
        lines += ["Red flags:", "", *(f"- {text}" for text in flags), ""]
    return "\n".join(lines)


def _local(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


# -- reading -----------------------------------------------------------------------------------


def read_attempts(path: Path) -> list[Attempt]:
    """Attempts from a JSON or CSV export (told apart by content, not by name)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TransferError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TransferError(f"{path}: is a folder, not an export file") from None
    except UnicodeDecodeError:
        raise TransferError(f"{path}: not UTF-8 text (is it a designprep export?)") from None
    except OSError as exc:
        raise TransferError(f"{path}: cannot read: {exc.strerror or exc}") from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        records = list(_json_records(path, text))
    else:
        records = list(_csv_records(path, text))
    return [_attempt(path, n, record) for n, record in enumerate(records, start=1)]


def _json_records(path: Path, text: str) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
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
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise TransferError(f"{path}: attempt {n}: must be a JSON object")
        yield item


def _csv_records(path: Path, text: str) -> Iterator[dict[str, Any]]:
    csv.field_size_limit(sys.maxsize)  # answers and results are long
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = [f for f in (*FIELDS, "result_json") if f not in (reader.fieldnames or [])]
    if missing:
        raise TransferError(
            f"{path}: not a designprep CSV export (missing column(s): {', '.join(missing)})"
        )
    yield from reader


def _attempt(path: Path, n: int, record: dict[str, Any]) -> Attempt:
    where = f"{path}: attempt {n}"

    def field(name: str) -> Any:
        if name not in record or record[name] is None:
            raise TransferError(f"{where}: missing field '{name}'")
        return record[name]

    def text(name: str) -> str:
        value = field(name)
        if not isinstance(value, str):
            raise TransferError(f"{where}: '{name}' must be text")
        return value

    def number(name: str, kind: type[int] | type[float]) -> Any:
        value = field(name)
        try:
            return kind(value) if kind is float else int(str(value))
        except (TypeError, ValueError):
            raise TransferError(f"{where}: '{name}' must be a number, not {value!r}") from None

    def when(name: str) -> datetime:
        value = text(name)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise TransferError(f"{where}: '{name}' is not an ISO date-time: {value!r}") from None
        if parsed.tzinfo is None:
            raise TransferError(f"{where}: '{name}' needs a time zone (exports use UTC)")
        return utc(parsed)

    if "result" in record and isinstance(record["result"], dict):
        result_json = json.dumps(record["result"], ensure_ascii=False)
    else:
        result_json = text("result_json")
        try:
            if not isinstance(json.loads(result_json), dict):
                raise ValueError
        except ValueError:
            raise TransferError(f"{where}: 'result_json' is not a JSON object") from None
    score = number("score", int)
    if not 0 <= score <= 100:
        raise TransferError(f"{where}: 'score' must be 0-100, not {score}")
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
        score=score,
        verdict=text("verdict"),
        grader_version=text("grader_version"),
        content_hash=text("content_hash"),
        result_json=result_json,
    )
