"""Agreement with blind human graders on answers that are not the bank's samples.

``devset/answers.jsonl`` holds answers to bank prompts written by a reviewer who never
saw the rubrics, model answers or the grader; ``devset/scores_a.jsonl`` is that
reviewer's score and ``devset/scores_b.jsonl`` a second reviewer's, scored blind to the
first. It is a development set: the grader was improved while looking at it, so its
figures are not held out. Prints the two humans' agreement next to the grader's with
each and with their mean; asserts nothing. Run: python benchmarks/devset.py

``--set heldout`` measures ``heldout/`` instead: answers to other bank prompts, written and
scored the same blind way after the grader's last change, and never looked at while
changing it, so its figures are held out. A set may split its answers and first scores
over several files (``answers_*.jsonl``, ``scores_a_*.jsonl``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from designprep.bank import load_bank
from designprep.grading import Grader
from designprep.grading.agreement import agreement

HERE = Path(__file__).parent


def _read(folder: Path, stem: str) -> list[dict[str, object]]:
    """Every row of ``stem.jsonl`` and ``stem_*.jsonl`` in ``folder``."""
    paths = sorted(folder.glob(f"{stem}.jsonl")) + sorted(folder.glob(f"{stem}_*.jsonl"))
    return [
        json.loads(line) for path in paths for line in path.read_text().splitlines() if line.strip()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="devset", help="folder beside this script")
    folder = HERE / parser.parse_args().set
    answers = _read(folder, "answers")
    a = {str(r["id"]): float(r["score"]) for r in _read(folder, "scores_a")}  # type: ignore[arg-type]
    b = {str(r["id"]): float(r["score"]) for r in _read(folder, "scores_b")}  # type: ignore[arg-type]
    grader = Grader(load_bank())
    rows = [r for r in answers if str(r["id"]) in a]
    ids = [str(r["id"]) for r in rows]
    groups = [str(r["prompt_id"]) for r in rows]
    kinds = [str(r["kind"]) for r in rows]
    graded = [float(grader.grade(str(r["prompt_id"]), str(r["answer"])).score) for r in rows]
    ha = [a[i] for i in ids]
    held = "held out" if folder.name == "heldout" else "a dev set, not held out"
    print(f"{len(rows)} answers to {len(set(groups))} prompts ({held})")
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
