"""Agreement with blind human graders on answers that are not the bank's samples.

``devset/answers.jsonl`` holds answers to bank prompts written by a reviewer who never
saw the rubrics, model answers or the grader; ``devset/scores_a.jsonl`` is that
reviewer's score and ``devset/scores_b.jsonl`` a second reviewer's, scored blind to the
first. It is a development set: the grader was improved while looking at it, so its
figures are not held out. Prints the two humans' agreement next to the grader's with
each and with their mean; asserts nothing. Run: python benchmarks/devset.py
"""

from __future__ import annotations

import json
from pathlib import Path

from designprep.bank import load_bank
from designprep.grading import Grader
from designprep.grading.agreement import agreement

DATA = Path(__file__).with_name("devset")


def _read(name: str) -> list[dict[str, object]]:
    path = DATA / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main() -> None:
    answers = _read("answers.jsonl")
    a = {str(r["id"]): float(r["score"]) for r in _read("scores_a.jsonl")}  # type: ignore[arg-type]
    b = {str(r["id"]): float(r["score"]) for r in _read("scores_b.jsonl")}  # type: ignore[arg-type]
    grader = Grader(load_bank())
    rows = [r for r in answers if str(r["id"]) in a]
    ids = [str(r["id"]) for r in rows]
    groups = [str(r["prompt_id"]) for r in rows]
    kinds = [str(r["kind"]) for r in rows]
    graded = [float(grader.grade(str(r["prompt_id"]), str(r["answer"])).score) for r in rows]
    ha = [a[i] for i in ids]
    print(f"{len(rows)} answers to {len(set(groups))} prompts (a dev set, not held out)")
    if all(i in b for i in ids):
        hb = [b[i] for i in ids]
        mean = [(x + y) / 2 for x, y in zip(ha, hb, strict=True)]
        print("reviewer A vs reviewer B:")
        print("\n".join("  " + x for x in agreement(ha, hb, groups, kinds).lines()))
        print("grader vs reviewer B:")
        print("\n".join("  " + x for x in agreement(hb, graded, groups, kinds).lines()))
        print("grader vs the reviewers' mean:")
        print("\n".join("  " + x for x in agreement(mean, graded, groups, kinds).lines()))
    print("grader vs reviewer A:")
    print("\n".join("  " + x for x in agreement(ha, graded, groups, kinds).lines()))
    worst = sorted(zip(rows, ha, graded, strict=True), key=lambda t: -abs(t[2] - t[1]))[:12]
    print("largest disagreements with reviewer A:")
    for r, h, g in worst:
        print(f"  {r['id']!s:<28} {r['kind']!s:<13} A {h:3.0f}  grader {g:3.0f}")


if __name__ == "__main__":
    main()
