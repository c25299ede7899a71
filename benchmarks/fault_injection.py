"""Fault injection against the real command line: mutated bank files, hostile answers,
hostile batch lines and hostile imported rows, each run through the installed
``designprep`` in a subprocess with a time limit. Prints counts; asserts nothing.

    python benchmarks/fault_injection.py [--seed 1] [--banks 64] [--lines 1000]
                                         [--answers 16] [--timeout 20]

What is counted, per kind of input:

- tracebacks: a Python traceback on stderr, or exit code 2 ('internal error': a crash
  caught at the last moment; every user error is exit 1 with one line);
- hangs: a run that did not finish within --timeout seconds;
- escape leaks: a run whose output holds a raw control character a terminal acts on
  (ESC, BEL, CR alone, C1...);
- rows lost: batch lines with no result line, answers graded but then not saved,
  imported records neither added, skipped nor rejected.

Seeded: the same seed tries the same inputs. Runs two at a time; the defaults take one
to two minutes on two cores. Set PYTHONPATH to another checkout's src/ to
measure that version instead.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny_bank"
PROMPTS = ["tracker-choice", "url-short"]
GOOD = (
    "Patient data never leaves our network, so I would host MLflow in our own VPC. "
    "Researchers use W&B for experiment tracking during research on public data. "
    "The winning model is pushed to the MLflow model registry, which gates production."
)
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
ESCAPES = [
    "\x1b]0;PWNED\x07",
    "\x1b[2J\x1b[H",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x9b31m",
    "\rOVERWRITE",
    "\u202eevil",
    "\x00",
    "\x7f",
]


@dataclass
class Tally:
    inputs: int = 0
    tracebacks: int = 0
    hangs: int = 0
    leaks: int = 0
    lost: int = 0
    examples: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if len(self.examples) < 5:
            self.examples.append(what[:300])


def exe() -> str:
    found = shutil.which("designprep", path=str(Path(sys.executable).parent))
    return found or shutil.which("designprep") or "designprep"


def run(
    args: list[str | bytes],
    home: Path,
    timeout: float,
    stdin: bytes | None = None,
    cache: bool = True,
) -> subprocess.CompletedProcess[bytes] | None:
    env = {**os.environ, "DESIGNPREP_HOME": str(home), "NO_COLOR": "1"}
    if not cache:  # a mutated bank is loaded once: caching it would only cost time
        env["DESIGNPREP_NO_CACHE"] = "1"
    try:
        return subprocess.run(
            [exe(), *args], input=stdin, capture_output=True, env=env, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None


def judge(tally: Tally, label: str, proc: subprocess.CompletedProcess[bytes] | None) -> str:
    """Count what went wrong in one run; its stdout as text ('' after a hang)."""
    if proc is None:
        tally.hangs += 1
        tally.note(f"hang: {label}")
        return ""
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if "Traceback (most recent call last)" in err or proc.returncode not in (0, 1):
        tally.tracebacks += 1
        tally.note(f"exit {proc.returncode}: {label}: {err.strip().splitlines()[-1:]}")
    if RAW_CONTROL.search(out) or RAW_CONTROL.search(err):
        tally.leaks += 1
        tally.note(f"escape leak: {label}: {RAW_CONTROL.findall(out + err)[:5]}")
    return out


# -- mutated bank files ---------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def flip_bytes(rng: random.Random, path: Path) -> None:
    data = bytearray(path.read_bytes())
    for _ in range(rng.randint(1, 6)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


def truncate(rng: random.Random, path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: rng.randrange(len(data))])


def raw_controls(rng: random.Random, path: Path) -> None:
    lines = _lines(path)
    i = rng.randrange(len(lines))
    lines[i] = lines[i].rstrip("\n") + rng.choice(ESCAPES) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def duplicate_line(rng: random.Random, path: Path) -> None:
    lines = _lines(path)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    path.write_text("".join(lines), encoding="utf-8")


def shuffle_lines(rng: random.Random, path: Path) -> None:
    lines = _lines(path)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    if rng.random() < 0.5:
        del lines[rng.randrange(len(lines))]
    path.write_text("".join(lines), encoding="utf-8")


def hostile_value(rng: random.Random, json_safe: bool = False) -> object:
    return rng.choice(
        [
            None,
            -1,
            10**30,
            *([] if json_safe else [float("inf"), float("nan")]),
            True,
            "",
            [],
            {},
            "x" * 60_001,
            [f"phrase number {n} about caching" for n in range(rng.choice([100, 3000]))],
            "Design " + "".join(rng.sample(ESCAPES, 3)),
            {"nested": [[[["deep"]]]]},
            "2024-13-45",
        ]
    )


def retype_value(rng: random.Random, path: Path) -> None:
    """Replace one value anywhere in the document with one of another type or size."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node, parent, key = data, None, None
    for _ in range(rng.randint(1, 4)):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        parent, key = node, rng.choice(keys)
        if not isinstance(node[key], dict | list) or rng.random() < 0.3:
            break
        node = node[key]
    if parent is not None:
        parent[key] = hostile_value(rng)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


FREE_TEXT = {"title", "prompt", "model_answer", "hints", "follow_ups", "text", "term", "aliases"}
FREE_TEXT |= {"evidence", "contradicted_by", "note"}


def escape_strings(rng: random.Random, path: Path) -> None:
    """Terminal escape sequences in the texts a command prints (written as YAML escapes)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def spoil(node: object, free: bool) -> object:
        if isinstance(node, str) and free and rng.random() < 0.6:
            return node + " " + "".join(rng.sample(ESCAPES, 3))
        if isinstance(node, list):
            return [spoil(x, free) for x in node]
        if isinstance(node, dict):
            return {k: spoil(v, k in FREE_TEXT) for k, v in node.items()}
        return node

    path.write_text(yaml.safe_dump(spoil(data, False), allow_unicode=True), encoding="utf-8")


def alias_bomb(rng: random.Random, path: Path) -> None:
    bomb = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for n in range(1, 9):
        bomb += f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]\n"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("id", rng.choice(sorted(data))):  # the id is what a loader names
        data[key] = "BOMB"
    text = yaml.safe_dump(data, allow_unicode=True).replace("BOMB", "*a8")
    path.write_text(bomb + text, encoding="utf-8")


def recursive_alias(rng: random.Random, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    key = rng.choice(["tags", "points", "hints"])
    path.write_text(
        re.sub(rf"^{key}:.*$", f"{key}: &r [*r]", text, count=1, flags=re.M) + "x: 1\n",
        encoding="utf-8",
    )


def many_items(rng: random.Random, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("points", "concepts", "samples", "hints"):
        if isinstance(data.get(key), list) and data[key]:
            n = rng.choice([200, 2000, 8000])
            data[key] = [data[key][0]] * n
            break
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def huge_sparse(rng: random.Random, path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(rng.choice([2, 4]) << 30)


def fifo(rng: random.Random, path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def links(rng: random.Random, path: Path) -> None:
    choice = rng.randrange(3)
    if choice == 0:
        (path.parent / "loop").symlink_to("..")
    elif choice == 1:
        path.unlink()
        path.symlink_to(path.name)  # a link to itself
    else:
        path.unlink()
        path.symlink_to("nowhere.yaml")


def encodings(rng: random.Random, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    choice = rng.randrange(4)
    if choice == 0:
        path.write_bytes(text.replace("a", "é", 3).encode("latin-1", "replace"))
    elif choice == 1:
        path.write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\x00")
    elif choice == 2:
        path.write_text(re.sub(r"^( +)", lambda m: "\t" * len(m.group(1)), text, flags=re.M))
    else:
        path.write_text(text + "deep: " + "[" * 5000 + "]" * 5000 + "\n")


def yaml_tags(rng: random.Random, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    value = rng.choice(
        [
            '!!python/object/apply:os.system ["echo owned"]',
            "!!binary '%%%not-base64'",
            "!!timestamp 2024-13-45",
            "!!float 1e400",
            "*undefined_alias",
        ]
    )
    key = rng.choice(["title", "id", "weight", "time_limit_minutes", "penalty"])
    new = re.sub(rf"^(\s*){key}:.*$", rf"\1{key}: {value}", text, count=1, flags=re.M)
    path.write_text(new if new != text else text + f"extra: {value}\n", encoding="utf-8")


MUTATIONS: list[Callable[[random.Random, Path], None]] = [
    escape_strings,
    flip_bytes,
    truncate,
    raw_controls,
    duplicate_line,
    shuffle_lines,
    retype_value,
    alias_bomb,
    recursive_alias,
    many_items,
    huge_sparse,
    fifo,
    links,
    encodings,
    yaml_tags,
]


def bank_case(n: int, seed: int, work: Path, timeout: float, tally: Tally) -> None:
    """Case n: every mutation in turn, with each command in turn (random files and details)."""
    rng = random.Random(f"{seed}-bank-{n}")
    bank = work / f"bank-{n}"
    shutil.copytree(TINY, bank)
    target = rng.choice(sorted(bank.rglob("*.yaml")))
    mutation = MUTATIONS[n % len(MUTATIONS)]
    mutation(rng, target)
    pid = rng.choice(PROMPTS)
    commands: list[list[str | bytes]] = [
        ["list"],
        ["show", pid, "--model-answer"],
        ["validate"],
        ["grade", pid, "--answer", GOOD, "--no-save"],
    ]
    command = commands[(n // len(MUTATIONS)) % len(commands)]
    label = f"{mutation.__name__} {target.relative_to(bank)}: designprep {command[0]!r}"
    proc = run([*command, "--bank", str(bank)], work / "home-banks", timeout, cache=False)
    judge(tally, label, proc)
    tally.inputs += 1


# -- hostile answers and batch lines ------------------------------------------------------------


def hostile_answer(rng: random.Random) -> str:
    base = rng.choice([GOOD, GOOD * 20, "We shard by key and cache hot reads in Redis."])
    kind = rng.randrange(10)
    if kind == 0:
        return base + "".join(rng.sample(ESCAPES, 4))
    if kind == 1:
        return base.replace(". ", ".\u2028", 2).replace(" ", "\x85", 3)
    if kind == 2:
        return "x" * rng.choice([49_999, 50_000, 50_001, 200_000])
    if kind == 3:
        return rng.choice(["", " ", "\n" * 1000, "\t"])
    if kind == 4:
        return "word" * 12_000  # one 48,000-character word
    if kind == 5:
        return "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 3000)))
    if kind == 6:
        return base + " 🚀🔥 " + "\u0301" * 500 + " \u202e reversed"
    if kind == 7:
        return "\n".join(["- " + base[:40]] * rng.randrange(1, 2000))
    if kind == 8:
        return "1 2 3 4 5 " * rng.randrange(1, 4000) + " . . . !!! ???"
    return base


def hostile_line(rng: random.Random, n: int) -> bytes:
    pid = rng.choice(PROMPTS)
    kind = rng.randrange(14)
    item: dict[str, object] = {"prompt_id": pid, "answer": hostile_answer(rng)}
    if kind == 0:
        item["hints_used"] = rng.choice([None, [1], {"a": 1}, -1, 10**30, True, "2", 1.5])
    elif kind == 1:
        return b'{"prompt_id": "%s", "answer": "x", "hints_used": 1e400}' % pid.encode()
    elif kind == 2:
        return b'{"prompt_id": "%s", "answer": "bad \\ud800 surrogate"}' % pid.encode()
    elif kind == 3:
        return b'{"prompt_id": "%s", "answer": "caf\xe9 not UTF-8"}' % pid.encode()
    elif kind == 4:
        return json.dumps(item)[: rng.randrange(1, 40)].encode()  # cut short
    elif kind == 5:
        return b"[" * 50_000 + b"]" * 50_000
    elif kind == 6:
        item["prompt_id"] = rng.choice([["x"], 7, None, "no-such-prompt", "url-short\x1b[2J"])
    elif kind == 7:
        return json.dumps(item, ensure_ascii=False).encode() + b"\r"  # CRLF line end
    elif kind == 8:
        return b'{"prompt_id": "%s", "answer": NaN}' % pid.encode()
    elif kind == 9:
        return json.dumps([item]).encode()
    elif kind == 10 and n % 50 == 0:
        item["answer"] = "\u00e9" * 400_000  # a line far over the limit
    return json.dumps(item, ensure_ascii=rng.random() < 0.5).encode()


def batch_case(seed: int, lines: int, work: Path, timeout: float, tally: Tally) -> None:
    rng = random.Random(f"{seed}-batch")
    raw = [hostile_line(rng, n) for n in range(lines)]
    path = work / "batch.jsonl"
    path.write_bytes(b"\n".join(raw) + b"\n")
    expected = sum(1 for line in raw if line.strip())
    proc = run(["grade", "--batch", str(path), "--bank", str(TINY)], work / "home", timeout * 10)
    out = judge(tally, "grade --batch", proc)
    results = 0
    for line in out.splitlines():
        try:
            json.loads(line)
            results += 1
        except ValueError:
            tally.note(f"batch output line is not JSON: {line[:80]}")
    tally.inputs += len(raw)
    tally.lost += max(0, expected - results)


def answer_cases(seed: int, count: int, work: Path, timeout: float, tally: Tally) -> None:
    """Answers given on the command line, by file and on stdin, saved to the history."""
    rng = random.Random(f"{seed}-answers")
    home = work / "home"
    for n in range(count):
        pid = rng.choice(PROMPTS)
        answer = hostile_answer(rng)
        on_line = answer.replace("\x00", "")[:100_000]  # argv: no NUL, at most 128 kB an item
        args: list[str | bytes] = ["grade", pid, "--bank", str(TINY)]
        stdin = None
        way = n % 4
        if way == 0:
            args += ["--answer", on_line]
        elif way == 1:  # bytes that are not UTF-8 on the command line, in the first sentence
            raw = on_line.encode(errors="replace")
            cut = raw.find(b" ") + 1
            args += [b"--answer", raw[:cut] + b"caf\xe9 \xff " + raw[cut:]]
        elif way == 2:
            file = work / f"answer-{n}.txt"
            file.write_bytes(answer.encode("utf-8", "surrogatepass") + rng.choice([b"", b"\xfe"]))
            args += ["--answer-file", str(file)]
        else:
            args += ["--answer-file", "-"]
            stdin = answer.encode("utf-8", "surrogatepass")
        if rng.random() < 0.3:
            args += ["--hints-used", rng.choice(["-1", "1001", str(10**30), "2"])]
        proc = run(args, home, timeout, stdin)
        judge(tally, f"grade ({way}) {answer[:30]!r}", proc)
        tally.inputs += 1
        if proc is not None and proc.returncode == 0 and b"not saved" in proc.stderr:
            tally.lost += 1  # graded, then lost: a bad input must be refused before the work
            tally.note(f"graded but not saved: {proc.stderr.decode(errors='replace')[:120]}")
    for command in (["history"], ["history", "--csv"], ["stats"], ["next", "--bank", str(TINY)]):
        judge(tally, " ".join(command), run(list(command), home, timeout))
    for attempt in range(1, count + 1):
        judge(tally, f"history --id {attempt}", run(["history", "--id", str(attempt)], home, 60))


def import_case(seed: int, work: Path, timeout: float, tally: Tally) -> None:
    """An export with hostile records, imported into a fresh history."""
    rng = random.Random(f"{seed}-import")
    proc = run(["export"], work / "home", timeout)
    if proc is None or proc.returncode != 0:
        tally.note("export failed: nothing to import")
        return
    data = json.loads(proc.stdout)
    records = data["attempts"]
    if not records:
        return
    hostile = []
    for n in range(60):
        record = json.loads(json.dumps(rng.choice(records)))
        record["submitted_at"] = f"2025-01-{1 + n % 28:02d}T10:{n % 60:02d}:00+00:00"
        key = rng.choice(["title", "answer", "verdict", "prompt_id", "score", "hints_used"])
        record[key] = (
            hostile_value(rng, json_safe=True) if rng.random() < 0.5 else rng.choice(ESCAPES) * 3
        )
        hostile.append(record)
    data["attempts"] = hostile
    path = work / "import.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = run(["import", str(path), "--json"], work / "home-import", timeout)
    out = judge(tally, "import", proc)
    tally.inputs += len(hostile)
    try:
        counts = json.loads(out)
        accounted = counts["added"] + counts["skipped"] + counts.get("rejected", 0)
    except (ValueError, KeyError, TypeError):
        accounted = 0
    tally.lost += max(0, len(hostile) - accounted)
    for args in (["history", "--all"], ["stats"], ["export"], ["export", "--format", "markdown"]):
        judge(tally, " ".join(args), run(list(args), work / "home-import", timeout))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--banks", type=int, default=64, help="mutated bank files to try")
    parser.add_argument("--lines", type=int, default=1000, help="hostile batch lines")
    parser.add_argument("--answers", type=int, default=16, help="hostile answers to grade")
    parser.add_argument("--timeout", type=float, default=20, help="seconds before a hang")
    args = parser.parse_args()
    started = time.monotonic()
    tallies = {k: Tally() for k in ("bank files", "batch lines", "answers", "imported rows")}
    with tempfile.TemporaryDirectory(prefix="designprep-faults-") as tmp:
        work = Path(tmp)
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [
                pool.submit(
                    batch_case, args.seed, args.lines, work, args.timeout, tallies["batch lines"]
                )
            ]
            jobs += [
                pool.submit(bank_case, n, args.seed, work, args.timeout, tallies["bank files"])
                for n in range(args.banks)
            ]
            answer_cases(args.seed, args.answers, work, args.timeout, tallies["answers"])
            import_case(args.seed, work, args.timeout, tallies["imported rows"])
            for job in jobs:
                job.result()
    seconds = time.monotonic() - started
    total = Tally()
    print(f"fault injection, seed {args.seed}, {seconds:.0f} s")
    print(
        f"{'inputs':<15} {'tried':>6} {'tracebacks':>11} {'hangs':>6} {'leaks':>6} "
        f"{'rows lost':>10}"
    )
    for name, t in tallies.items():
        print(f"{name:<15} {t.inputs:>6} {t.tracebacks:>11} {t.hangs:>6} {t.leaks:>6} {t.lost:>10}")
        for attr in ("inputs", "tracebacks", "hangs", "leaks", "lost"):
            setattr(total, attr, getattr(total, attr) + getattr(t, attr))
    print(
        f"{'total':<15} {total.inputs:>6} {total.tracebacks:>11} {total.hangs:>6} "
        f"{total.leaks:>6} {total.lost:>10}"
    )
    for name, t in tallies.items():
        for example in t.examples:
            print(f"  {name}: {example}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
