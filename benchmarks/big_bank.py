"""How designprep copes with a big bank: N prompts made by copying the bundled ones.

Each copy of a bundled prompt gets a new id (and its own copy of its rubric), so the bank
grows without changing what a prompt is like. For the bundled bank and for the big one,
in new processes as a user runs them, it prints the wall time and peak memory of
`designprep list --json` and of a cold `designprep grade` (the bank cache warm and cold),
and the ratio of big to bundled. Prints figures; asserts nothing.

Run: python benchmarks/big_bank.py [--prompts 1000]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from designprep import locations

ANSWER = (
    "We return a 302 redirect so every click reaches us, codes are random base62 strings "
    "checked for collisions with a conditional insert, and Redis caches hot codes."
)


def make_bank(folder: Path, prompts: int) -> None:
    """``prompts`` prompts in ``folder``: the bundled ones, then numbered copies of them."""
    bundled = sorted(locations.bundled_question_bank().rglob("*.yaml"))
    rubrics = locations.bundled_rubrics()
    (folder / "rubrics").mkdir(parents=True)
    n = 0
    copy = 0
    while n < prompts:
        copy += 1
        for path in bundled:
            if n >= prompts:
                break
            old_id = path.stem
            new_id = f"{old_id}-copy{copy}"
            text = path.read_text()
            text = re.sub(rf"^id: {re.escape(old_id)}$", f"id: {new_id}", text, flags=re.M)
            text = re.sub(
                rf"^rubrics: \[{re.escape(old_id)}\b", f"rubrics: [{new_id}", text, flags=re.M
            )
            text = re.sub(r"^(title: .*)$", rf"\1 (copy {copy})", text, count=1, flags=re.M)
            category = folder / path.parent.name  # a prompt sits in its category's folder
            category.mkdir(exist_ok=True)
            (category / f"{new_id}.yaml").write_text(text)
            rubric = (rubrics / f"{old_id}.yaml").read_text()
            rubric = re.sub(rf"^id: {re.escape(old_id)}$", f"id: {new_id}", rubric, flags=re.M)
            (folder / "rubrics" / f"{new_id}.yaml").write_text(rubric)
            n += 1


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one run of ``argv``."""
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    proc = subprocess.run([*timer, *argv], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0 or "warning" in proc.stderr:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.strip()[-300:]}")
    peak = float(proc.stderr.strip().splitlines()[-1]) / 1024 if timer else float("nan")
    return wall, peak


def measure(exe: str, bank_args: list[str], env: dict[str, str], repeats: int) -> dict[str, str]:
    cache = Path(env["DESIGNPREP_CACHE"])
    out: dict[str, str] = {}
    for label, argv in (
        ("list", [exe, *bank_args, "list", "--json"]),
        ("grade", [exe, "grade", "url-shortener", "--answer", ANSWER, "--no-save", *bank_args]),
    ):
        shutil.rmtree(cache, ignore_errors=True)
        cold = run(argv, env)
        warm = [run(argv, env) for _ in range(repeats)]
        out[label] = (
            f"cold cache {cold[0]:.2f} s / {cold[1]:.0f} MB, "
            f"warm cache {statistics.median(w for w, _ in warm):.2f} s / "
            f"{max(m for _, m in warm):.0f} MB"
        )
        out[label + " warm s"] = f"{statistics.median(w for w, _ in warm):.3f}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=1000, help="prompts in the big bank")
    parser.add_argument("--repeats", type=int, default=3, help="warm runs of each command")
    args = parser.parse_args()
    exe = shutil.which("designprep", path=str(Path(sys.executable).parent)) or "designprep"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DESIGNPREP_HOME": tmp, "DESIGNPREP_CACHE": f"{tmp}/cache"}
        big = Path(tmp) / "big"
        make_bank(big, args.prompts)
        small = measure(exe, [], env, args.repeats)
        large = measure(exe, ["--bank", str(big)], env, args.repeats)
    print(f"bundled bank vs bundled + {args.prompts} copies (median of {args.repeats} warm runs)")
    for label in ("list", "grade"):
        ratio = float(large[label + " warm s"]) / float(small[label + " warm s"])
        print(f"  {label:<6} bundled: {small[label]}")
        print(f"  {label:<6} big:     {large[label]}")
        print(f"  {label:<6} big / bundled, warm cache: {ratio:.2f}x")


if __name__ == "__main__":
    main()
