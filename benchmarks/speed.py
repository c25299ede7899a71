"""Grading speed: warm latency by answer length, and a cold `designprep grade` run.

Prints figures; asserts nothing. Run: python benchmarks/speed.py [--repeats N]
Targets (issue #2): 600 words median < 20 ms, p95 < 50 ms, growth close to linear;
cold `designprep grade` < 2 s. The cold run is measured with the bank cache (the default)
and without it (DESIGNPREP_NO_CACHE=1), interleaved with a bare Python start.
"""

from __future__ import annotations

import argparse
import os
import resource
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

    # Memory: what grading every prompt once costs a long-lived process (the app).
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for other in bank.prompts.values():
        grader.grade(other, other.model_answer)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024  # KiB on Linux
    print(f"peak memory grew {grown:.0f} MB grading all {len(bank.prompts)} prompts once")

    exe = shutil.which("designprep", path=str(Path(sys.executable).parent)) or "designprep"
    with tempfile.TemporaryDirectory() as home:
        answer_file = Path(home) / "answer.txt"
        answer_file.write_text(answer_of(600, corpus))
        env = {**os.environ, "DESIGNPREP_HOME": home}
        cmd = [exe, "grade", PROMPT_ID, "--answer-file", str(answer_file), "--no-save", "--json"]
        subprocess.run(cmd, check=True, capture_output=True, env=env)  # fills the bank cache
        # Interleaved, so the machine's load falls on all three alike: the ratio is the figure.
        runs: dict[str, list[float]] = {
            "cached": [],
            "no cache": [],
            "designprep --help": [],
            "python -c pass": [],
        }
        for _ in range(7):
            for label, argv, extra in (
                ("cached", cmd, {}),
                ("no cache", cmd, {"DESIGNPREP_NO_CACHE": "1"}),
                ("designprep --help", [exe, "--help"], {}),
                ("python -c pass", [sys.executable, "-c", "pass"], {}),
            ):
                start = time.perf_counter()
                subprocess.run(argv, check=True, capture_output=True, env={**env, **extra})
                runs[label].append(time.perf_counter() - start)
    medians = {label: statistics.median(walls) for label, walls in runs.items()}
    print("cold starts (600-word `designprep grade`, new process), medians of 7 interleaved runs:")
    for label, median in medians.items():
        print(f"  {label:<16} {median:.2f} s")
    print(f"  cached / no cache: {medians['cached'] / medians['no cache']:.2f}x")
    ratio = medians["designprep --help"] / medians["python -c pass"]
    print(f"  --help / python -c pass: {ratio:.1f}x")


if __name__ == "__main__":
    main()
