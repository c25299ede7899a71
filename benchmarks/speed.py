"""Grading speed: warm latency by answer length, and a cold `designprep grade` run.

Prints figures; asserts nothing. Run: python benchmarks/speed.py [--repeats N]
Targets (issue #2): 600 words median < 20 ms, p95 < 50 ms, growth close to linear;
cold `designprep grade` < 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from designprep.bank import load_bank
from designprep.grading import Grader

PROMPT_ID = "mlops-healthcare"
LENGTHS = (100, 600, 3000)


def answer_of(words: int, corpus: list[str]) -> str:
    """Real prose from the bank (model answers and samples), cut to ``words`` words."""
    out: list[str] = []
    i = 0
    while len(out) < words:
        out += corpus[i % len(corpus)].split()
        i += 1
    return " ".join(out[:words])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=60, help="gradings per answer length")
    args = parser.parse_args()

    bank = load_bank()
    grader = Grader(bank)
    prompt = bank.prompt(PROMPT_ID)
    corpus = [prompt.model_answer] + [s.text for s in prompt.samples]
    corpus += [p.model_answer for p in bank.prompts.values() if p.category == prompt.category]
    grader.warm_up()
    grader.grade(prompt, prompt.model_answer)

    print(f"warm grading latency, prompt {PROMPT_ID}, {args.repeats} runs each")
    print(f"{'words':>6} {'median ms':>10} {'p95 ms':>8} {'ms per 100 words':>17}")
    for words in LENGTHS:
        answer = answer_of(words, corpus)
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            grader.grade(prompt, answer)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        p95 = percentile(times, 0.95)
        print(f"{words:>6} {median:>10.1f} {p95:>8.1f} {median / words * 100:>17.2f}")

    exe = shutil.which("designprep", path=str(Path(sys.executable).parent)) or "designprep"
    with tempfile.TemporaryDirectory() as home:
        answer_file = Path(home) / "answer.txt"
        answer_file.write_text(answer_of(600, corpus))
        env = {**os.environ, "DESIGNPREP_HOME": home}
        cmd = [exe, "grade", PROMPT_ID, "--answer-file", str(answer_file), "--no-save", "--json"]
        walls = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            walls.append(time.perf_counter() - start)
    median = statistics.median(walls)
    print(
        f"cold `designprep grade` (600 words, new process): median {median:.2f} s, "
        f"min {min(walls):.2f} s, max {max(walls):.2f} s over {len(walls)} runs"
    )


if __name__ == "__main__":
    main()
