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
    for command in (
        ["history"],
        ["history", "--csv"],
        ["history", "--id", "2"],
        ["stats"],
        ["export"],
        ["export", "--format", "markdown"],
    ):
        proc = run_cli(*command, *(bank if command[0] != "export" else []))
        assert proc.returncode == 0, (command, proc.stderr)
        assert_inert(proc.stdout)
        assert_inert(proc.stderr)
    shown = run_cli("history", "--id", "2", *bank).stdout
    assert "\\x1b]52;c;" in shown and "\\x1b]0;PWNED" in shown
    assert "  We use a redis cache" in shown  # the answer keeps its lines
    # the JSON export escapes C1 too, and still reads back as the very same answer
    again = json.loads(run_cli("export").stdout)["attempts"]
    assert ANSWER + "\n" + HOSTILE in [a["answer"] for a in again]


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


# -- item 6: hostile or huge bank files are refused, file by file, and quickly ------------------


def run_bounded(*args: str, seconds: float = 30, memory_mb: int | None = None):  # type: ignore[no-untyped-def]
    """The CLI in a subprocess that must finish in ``seconds`` (and, on request, within a
    memory limit): a hang or a blow-up is a test failure, not a stuck test run."""
    import os
    import resource
    import subprocess

    from tests.conftest import designprep_exe

    def limit() -> None:
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))

    try:
        proc = subprocess.run(
            [designprep_exe(), *args],
            capture_output=True,
            text=True,
            timeout=seconds,
            env={**os.environ, "DESIGNPREP_NO_CACHE": "1"},
            preexec_fn=limit,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"designprep {' '.join(args)} took over {seconds} s")
    return proc


def billion_laughs(levels: int = 9) -> str:
    out = 'lol: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for n in range(1, levels):
        out += f"l{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]\n"
    return out


def problems_of(proc) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in (proc.stdout + proc.stderr).splitlines() if "error" in line]


@pytest.mark.parametrize("command", [["list"], ["validate"]])
def test_an_alias_bomb_is_refused_quickly(tmp_path: Path, command: list[str]) -> None:
    bank = copy_tiny(tmp_path)
    (bank / "rubrics" / "bomb.yaml").write_text(
        billion_laughs() + "id: *a8\npoints:\n  - id: p\n    text: a point\n"
    )
    proc = run_bounded(*command, "--bank", str(bank), seconds=60)
    assert "Traceback" not in proc.stderr
    out = proc.stdout + proc.stderr
    assert "bomb.yaml:" in out and "aliases expand" in out, out[-2000:]
    assert "tracker-choice" in out or command == ["list"]  # the rest still loads


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    from designprep.bank import load_bank

    bank = copy_tiny(tmp_path)
    (bank / "rubrics" / "loop.yaml").write_text("id: loop\npoints: &p [*p]\n")
    problems = [str(p) for p in load_bank([bank], include_bundled=False).problems]
    assert any("loop.yaml:2: points[0]:" in m and "refers to itself" in m for m in problems), (
        problems
    )


def test_modest_aliases_still_load(tmp_path: Path) -> None:
    from designprep.bank import load_bank

    bank = copy_tiny(tmp_path)
    rubric = bank / "rubrics" / "url-short.yaml"
    text = rubric.read_text().replace(
        "      - redis cache in front of the store since reads dominate writes\n",
        "      - &cache redis cache in front of the store since reads dominate writes\n",
    )
    text = text.replace("[use the auto increment id as the short code]", "[*cache, *cache]")
    rubric.write_text(text)
    loaded = load_bank([bank], include_bundled=False)
    assert not loaded.problems, [str(p) for p in loaded.problems]


def test_a_huge_sparse_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bank = copy_tiny(tmp_path)
    huge = bank / "rubrics" / "huge.yaml"
    with huge.open("wb") as fh:
        fh.truncate(4 << 30)  # 4 GB of nothing: sparse, no disk used
    proc = run_bounded("list", "--bank", str(bank), seconds=30, memory_mb=1500)
    assert proc.returncode == 0, proc.stderr
    assert "huge.yaml: file is larger than 1000 kB" in proc.stderr


@pytest.mark.parametrize(
    ("field", "item", "count"),
    [
        ("points", "  - id: p{n}\n    text: point number {n} about caching\n", 8000),
        ("concepts", "  - id: c{n}\n    term: term{n}\n", 500),
        ("red_flags", "  - id: f{n}\n    text: flag number {n} is wrong\n", 500),
    ],
)
def test_too_many_items_in_a_rubric_is_an_error_naming_file_and_field(
    tmp_path: Path, field: str, item: str, count: int
) -> None:
    bank = copy_tiny(tmp_path)
    rubric = bank / "rubrics" / "url-short.yaml"
    lines = rubric.read_text().splitlines(keepends=True)
    start = lines.index(f"{field}:\n")
    lines[start + 1 : start + 1] = [item.format(n=n) for n in range(count)]
    rubric.write_text("".join(lines))
    proc = run_bounded("validate", "--bank", str(bank), seconds=60, memory_mb=3000)
    assert proc.returncode == 1
    where = f"url-short.yaml:{start + 2}: {field}: "  # where the list starts
    assert any(where in m and "items; at most" in m for m in problems_of(proc)), proc.stdout[-999:]
    assert "✓ tracker-choice" in proc.stdout  # the other prompt is still self-tested


def test_too_many_evidence_phrasings_is_an_error(tmp_path: Path) -> None:
    from designprep.bank import load_bank

    bank = copy_tiny(tmp_path)
    rubric = bank / "rubrics" / "url-short.yaml"
    many = "".join(f"      - phrasing number {n} of the caching point\n" for n in range(300))
    text = rubric.read_text().replace(
        "      - cache the popular links so redirects skip the database\n",
        "      - cache the popular links so redirects skip the database\n" + many,
    )
    rubric.write_text(text)
    problems = [str(p) for p in load_bank([bank], include_bundled=False).problems]
    assert any(
        "url-short.yaml:13: points[0].evidence: 302 items; at most" in m for m in problems
    ), problems


def test_an_overlong_model_answer_is_reported_for_its_file_only(tmp_path: Path) -> None:
    bank = copy_tiny(tmp_path)
    prompt = bank / "systems" / "url-short.yaml"
    text = prompt.read_text().replace(
        "  Redirects use 302", "  " + "Caching helps a lot. " * 3000 + "\n  Redirects use 302"
    )
    prompt.write_text(text)
    proc = run_bounded("validate", "--bank", str(bank), seconds=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    line = text.splitlines().index("model_answer: |") + 1
    assert any(
        f"url-short.yaml:{line}: model_answer:" in m and "the limit is 50,000" in m
        for m in problems_of(proc)
    ), proc.stdout[-2000:]
    assert "✓ tracker-choice" in proc.stdout


def test_too_many_phrasings_in_all_is_an_error(tmp_path: Path) -> None:
    from designprep.bank import load_bank

    bank = copy_tiny(tmp_path)
    rubric = bank / "rubrics" / "url-short.yaml"
    points = "".join(
        f"  - id: p{n}\n    text: point {n} about caching\n    evidence:\n"
        + "".join(f"      - phrasing {m} of point {n}\n" for m in range(30))
        for n in range(40)
    )
    rubric.write_text(rubric.read_text().replace("points:\n", "points:\n" + points))
    problems = [str(p) for p in load_bank([bank], include_bundled=False).problems]
    assert any(
        "url-short.yaml:10: 1,254 phrasings" in m and "at most 1,000" in m for m in problems
    ), problems


# -- item 8: nothing under a bank folder is skipped without a word ------------------------------


def as_a_normal_user() -> list[str]:
    """A command prefix that makes root obey file permissions (setpriv drops the capabilities
    that let root read any folder); nothing for a normal user."""
    import os

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: no folder can be made unreadable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def validate_json(bank: Path, prefix: list[str] | None = None) -> dict:  # type: ignore[type-arg]
    import os
    import subprocess

    from tests.conftest import designprep_exe

    cmd = [*(prefix or []), designprep_exe(), "validate", "--json", "--bank", str(bank)]
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "DESIGNPREP_NO_CACHE": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("validate hung (a FIFO opened for reading?)")
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


def test_an_unreadable_folder_is_a_problem(tmp_path: Path) -> None:
    bank = copy_tiny(tmp_path)
    locked = bank / "locked"
    locked.mkdir()
    (locked / "hidden-rubric.yaml").write_text("id: hidden-rubric\n")
    locked.chmod(0)
    try:
        report = validate_json(bank, as_a_normal_user())
    finally:
        locked.chmod(0o755)
    assert not report["ok"]
    assert any("locked: cannot read the folder" in m for m in report["problems"]), report


def test_symlink_loops_dangling_links_and_fifos_are_problems(tmp_path: Path) -> None:
    import os

    bank = copy_tiny(tmp_path)
    (bank / "systems" / "loop").symlink_to("..")
    (bank / "rubrics" / "self.yaml").symlink_to("self.yaml")
    (bank / "rubrics" / "gone.yaml").symlink_to("nowhere.yaml")
    os.mkfifo(bank / "rubrics" / "pipe.yaml")
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    (bank / "shared").symlink_to(elsewhere)
    report = validate_json(bank)
    problems = report["problems"]
    expected = {
        "loop": "symlink loop",
        "self.yaml": "symlink loop",
        "gone.yaml": "broken symlink (to nowhere.yaml)",
        "pipe.yaml": "not a regular file (a FIFO)",
        "shared": "a symlink to a folder is not followed",
    }
    for name, why in expected.items():
        assert any(f"{name}: {why}" in m for m in problems), (name, problems)
    assert not report["ok"]
    assert {p["id"] for p in report["prompts"]} == {"tracker-choice", "url-short"}


def test_duplicate_keys_are_an_error_with_their_line(tmp_path: Path) -> None:
    from designprep.bank import load_bank

    bank = copy_tiny(tmp_path)
    rubric = bank / "rubrics" / "url-short.yaml"
    text = rubric.read_text().replace("    penalty: 10\n", "    penalty: 10\n    penalty: 0\n")
    rubric.write_text(text)
    line = text.splitlines().index("    penalty: 0") + 1
    problems = [str(p) for p in load_bank([bank], include_bundled=False).problems]
    assert any(
        f"url-short.yaml:{line}: red_flags[0].penalty: duplicate key (first at line {line - 1})"
        in m
        for m in problems
    ), problems


# -- item 10: a read-only folder or a full disk: the history can still be read ------------------


def run_limited(*args: str, prefix: list[str] | None = None, max_file_bytes: int | None = None):  # type: ignore[no-untyped-def]
    """The CLI as a user whose files cannot grow past ``max_file_bytes`` (a disk that is
    full for this process: writes fail as they would with no space left), or run through
    ``prefix`` (as a normal user)."""
    import os
    import resource
    import signal
    import subprocess

    from tests.conftest import designprep_exe

    def limit() -> None:
        if max_file_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run(
        [*(prefix or []), designprep_exe(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DESIGNPREP_NO_CACHE": "1"},
        preexec_fn=limit,
    )


def graded_history() -> Path:
    import os

    proc = run_cli("grade", "tracker-choice", "--answer", TRACKER, "--bank", str(TINY_BANK))
    assert proc.returncode == 0, proc.stderr
    return Path(os.environ["DESIGNPREP_HOME"])


def assert_reads_with_saving_off(run) -> None:  # type: ignore[no-untyped-def]
    for command in (["history"], ["history", "--id", "1"], ["stats"], ["export"]):
        proc = run(*command, "--bank", str(TINY_BANK)) if command != ["export"] else run(*command)
        assert proc.returncode == 0, (command, proc.stderr)
        assert "tracker-choice" in proc.stdout, (command, proc.stdout)
        note = proc.stderr.strip().splitlines()
        assert len(note) == 1 and "saving is off" in note[0], (command, proc.stderr)
    graded = run("grade", "tracker-choice", "--answer", TRACKER, "--bank", str(TINY_BANK))
    assert graded.returncode == 0 and "Score " in graded.stdout, graded.stderr
    assert "attempt not saved" in graded.stderr and "saving is off" in graded.stderr


def test_a_read_only_history_folder_is_read_with_saving_off() -> None:
    home = graded_history()
    prefix = as_a_normal_user()
    home.chmod(0o555)
    try:
        assert_reads_with_saving_off(lambda *a: run_limited(*a, prefix=prefix))
    finally:
        home.chmod(0o700)


def test_a_full_disk_still_lets_the_history_be_read() -> None:
    graded_history()
    # no file may grow past 4 kB: SQLite cannot make the WAL's 32 kB shared-memory file
    assert_reads_with_saving_off(lambda *a: run_limited(*a, max_file_bytes=4096))
