"""Hardening issue, the command line's and the bank's share (items 4-8 and 10): hostile text
never reaches the terminal raw, a batch survives its bad lines, hostile or huge banks are
refused file by file, inputs are checked before any work, nothing under a bank folder is
skipped without a word, and a read-only or full disk still lets the history be read.

Each test reproduces a finding of the fault-injection pass (benchmarks/fault_injection.py);
all failed before the fix.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import TINY_BANK, run_cli

# what a terminal acts on: C0 controls but newline and tab, DEL, C1; CR but in CSV's CR LF
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
TITLE_CLEAR = "\x1b]0;PWNED\x07"  # set the window title
CLEAR_SCREEN = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: write the clipboard
CSI_8BIT = "\x9b31m"
HOSTILE = TITLE_CLEAR + CLEAR_SCREEN + CLIPBOARD + CSI_8BIT + "\rOVERWRITE"
ANSWER = (
    "We use a redis cache in front of the store since reads dominate writes.\n"
    "Short codes are base62 encodings of a counter id."
)


def copy_tiny(tmp_path: Path) -> Path:
    dest = tmp_path / "bank"
    shutil.copytree(TINY_BANK, dest)
    return dest


def assert_inert(text: str) -> None:
    """Nothing a terminal would act on; the hostile sequence is shown, not dropped."""
    found = RAW_CONTROL.findall(text)
    assert not found, f"raw control characters {found!r} in {text!r}"[:2000]


# -- item 4: escape sequences from bank and user text are shown, never run ----------------------


def hostile_bank(tmp_path: Path) -> Path:
    bank = copy_tiny(tmp_path)
    yaml_hostile = json.dumps(HOSTILE)  # a JSON string is a YAML double-quoted scalar
    prompt = bank / "systems" / "url-short.yaml"
    text = prompt.read_text()
    text = text.replace("title: Design a URL shortener", f"title: {yaml_hostile}")
    text = text.replace("  - How do you expire links?", f"  - {yaml_hostile}")
    prompt.write_text(text)
    rubric = bank / "rubrics" / "url-short.yaml"
    text = rubric.read_text()
    text = text.replace(
        "    text: Cache hot short codes because reads dominate writes",
        f"    text: {json.dumps('Cache hot short codes ' + HOSTILE)}",
    )
    text = text.replace("    term: Redis", f"    term: {json.dumps('Redis' + TITLE_CLEAR)}")
    rubric.write_text(text)
    # a broken file whose problem message quotes its hostile content
    (bank / "rubrics" / "bad.yaml").write_text(
        f"id: bad\nconcepts:\n  - id: a\n    term: {json.dumps('x' + CLIPBOARD)}\n"
        f"  - id: b\n    term: y\n    aliases: [{json.dumps('x' + CLIPBOARD)}]\n"
        "points:\n  - id: p\n    text: a point\n"
    )
    # a raw control character is not YAML: the reader's error must still be one line
    (bank / "rubrics" / "raw.yaml").write_text(f"id: raw\npoints:\n  - id: {TITLE_CLEAR}\n")
    return bank


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "url-short", "--model-answer"],
        ["grade", "url-short", "--answer", ANSWER + " " + HOSTILE, "--no-save"],
        ["validate"],
    ],
    ids=["list", "show", "grade", "validate"],
)
def test_bank_text_is_printed_inert(tmp_path: Path, command: list[str]) -> None:
    bank = hostile_bank(tmp_path)
    proc = run_cli(*command, "--bank", str(bank))
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    assert_inert(proc.stdout)
    assert_inert(proc.stderr)
    assert "\\x1b]" in proc.stdout + proc.stderr  # shown, not silently dropped
    assert "<unicode string>" not in proc.stdout + proc.stderr  # a YAML error on one line


def test_show_keeps_the_prompts_newlines(tmp_path: Path) -> None:
    proc = run_cli("show", "url-short", "--model-answer", "--bank", str(hostile_bank(tmp_path)))
    assert "hot short codes.\n  Short codes are base62 encodings" in proc.stdout


def test_imported_rows_are_printed_inert(tmp_path: Path) -> None:
    bank = ["--bank", str(TINY_BANK)]
    assert run_cli("grade", "url-short", "--answer", ANSWER, *bank).returncode == 0
    exported = json.loads(run_cli("export").stdout)
    row = exported["attempts"][0]
    row.update(
        answer=ANSWER + "\n" + HOSTILE,
        title="Design " + HOSTILE,
        verdict="Hire" + CLEAR_SCREEN,
        prompt_id="url-short",
    )
    row["result"]["points"][0]["text"] = "Cache " + CLIPBOARD
    row["result"]["points"][0]["evidence"]["text"] = "We use " + TITLE_CLEAR
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(exported))
    imported = run_cli("import", str(path))
    assert imported.returncode == 0, imported.stderr
    for command in (["history"], ["history", "--csv"], ["history", "--id", "2"], ["stats"]):
        proc = run_cli(*command, *bank)
        assert proc.returncode == 0, (command, proc.stderr)
        assert_inert(proc.stdout)
        assert_inert(proc.stderr)
    shown = run_cli("history", "--id", "2", *bank).stdout
    assert "\\x1b]52;c;" in shown and "\\x1b]0;PWNED" in shown
    assert "  We use a redis cache" in shown  # the answer keeps its lines


def test_errors_from_user_text_are_one_inert_line(tmp_path: Path) -> None:
    proc = run_cli("show", "nope" + TITLE_CLEAR, "--bank", str(TINY_BANK))
    assert proc.returncode == 1
    assert_inert(proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1


# -- item 5: a batch streams, line by line, and survives its bad lines --------------------------

TRACKER = (
    "Patient data never leaves our network, so I would host MLflow in our own VPC. "
    "Researchers use W&B for experiment tracking during research on public data. "
    "The winning model is pushed to the MLflow model registry, which gates production.\n"
)


def batch_results(proc) -> list[dict]:  # type: ignore[no-untyped-def]
    assert "Traceback" not in proc.stderr, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_a_batch_is_not_capped_at_200_kb(tmp_path: Path) -> None:
    answer = TRACKER * 28  # about 7 kB, 1,200 words: 40 of them are 290 kB
    lines = [json.dumps({"prompt_id": "tracker-choice", "answer": answer})] * 40
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size > 200_000
    proc = run_cli("grade", "--batch", str(path), "--bank", str(TINY_BANK))
    results = batch_results(proc)
    assert proc.returncode == 0, proc.stderr
    assert len(results) == 40 and all("score" in r for r in results)


def test_bad_batch_lines_are_errors_on_their_own_line_in_order(tmp_path: Path) -> None:
    good = {"prompt_id": "tracker-choice", "answer": TRACKER}
    raw: list[bytes] = [
        json.dumps(good).encode(),
        json.dumps({**good, "hints_used": None}).encode(),  # null: no hints
        json.dumps({**good, "hints_used": [1]}).encode(),
        b'{"prompt_id": "tracker-choice", "answer": "MLflow in our VPC.", "hints_used": 1e400}',
        json.dumps({**good, "hints_used": True}).encode(),
        json.dumps({**good, "hints_used": 10**30}).encode(),
        json.dumps({**good, "prompt_id": ["tracker-choice"]}).encode(),
        json.dumps({**good, "answer": "x" * 50_001}).encode(),
        b'{"prompt_id": "tracker-choice", "answer": "bad \\ud800 surrogate"}',
        b'{"prompt_id": "tracker-choice", "answer": "not UTF-8 \xff"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"prompt_id": "tracker-choice", "answer": NaN}',
        b"not json at all",
        b"",  # blank lines are skipped
        # a raw U+2028 or NEL inside a JSON string is not a line end
        json.dumps(
            {**good, "answer": "MLflow, VPC.\u2028W&B\x85research."}, ensure_ascii=False
        ).encode(),
        json.dumps(good).encode(),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b"\n".join(raw) + b"\n")
    proc = run_cli("grade", "--batch", str(path), "--bank", str(TINY_BANK))
    results = batch_results(proc)
    assert proc.returncode == 1
    expect_ok = {1: True, 2: True, 15: True, 16: True}
    numbered = [n for n in range(1, 17) if n != 14]
    assert len(results) == len(numbered), results
    for n, result in zip(numbered, results, strict=True):
        if expect_ok.get(n):
            assert "score" in result, (n, result)
        else:
            assert result["line"] == n, result
            assert result["error"].startswith(f"{path}:{n}: "), result
    assert "hints_used" in results[2]["error"] and "hints_used" in results[3]["error"]
    assert "50,000" in results[7]["error"]


def test_an_overlong_batch_line_is_one_error_and_the_next_line_is_read(tmp_path: Path) -> None:
    good = json.dumps({"prompt_id": "tracker-choice", "answer": TRACKER})
    huge = json.dumps({"prompt_id": "tracker-choice", "answer": "\u00e9" * 2_000_000})
    path = tmp_path / "batch.jsonl"
    path.write_text(f"{good}\n{huge}\n{good}\n", encoding="utf-8")
    proc = run_cli("grade", "--batch", str(path), "--bank", str(TINY_BANK))
    results = batch_results(proc)
    assert [("score" in r) for r in results] == [True, False, True]
    assert results[1]["line"] == 2 and "limit" in results[1]["error"]


def test_a_batch_reads_standard_input_as_a_stream() -> None:
    line = json.dumps({"prompt_id": "tracker-choice", "answer": TRACKER})
    proc = run_cli("grade", "--batch", "-", "--bank", str(TINY_BANK), input=f"{line}\n" * 3)
    assert [("score" in r) for r in batch_results(proc)] == [True] * 3


# -- item 7: inputs are checked before any work, so a result is never lost after grading -------


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--answer", TRACKER + "caf\udce9 \udcff"], "--answer"),  # bytes that are not UTF-8
        (["--answer", TRACKER, "--hints-used", str(10**30)], "--hints-used"),
        (["--answer", TRACKER, "--hints-used", "1001"], "--hints-used"),
        (["--answer", TRACKER, "--hints-used", "-1"], "--hints-used"),
    ],
    ids=["non-utf8-answer", "huge-hints", "hints-over-limit", "negative-hints"],
)
@pytest.mark.parametrize("json_out", [False, True], ids=["text", "json"])
def test_bad_grade_inputs_fail_first_in_one_line(
    extra: list[str], needle: str, json_out: bool
) -> None:
    args = ["grade", "tracker-choice", *extra, "--bank", str(TINY_BANK)]
    proc = run_cli(*args, *(["--json"] if json_out else []))
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert "no attempts yet" in run_cli("history").stdout  # nothing half-saved
