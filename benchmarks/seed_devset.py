"""Agreement with an independent interviewer on the six seed prompts.

`seed_devset.jsonl` holds 48 answers (8 per seed prompt) written and scored 0-100 by a
reviewer who never saw the rubrics or the grader's output. It is a development set: the
grader was improved while looking at it (first measured at Spearman 0.771), so it is not
a held-out figure. Prints figures; asserts nothing. Run: python benchmarks/seed_devset.py
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from scipy.stats import pearsonr, spearmanr

from designprep.bank import load_bank
from designprep.grading import Grader

DATA = Path(__file__).with_name("seed_devset.jsonl")


def main() -> None:
    bank = load_bank()
    grader = Grader(bank)
    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    human, graded = [], []
    by_prompt: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        score = grader.grade(row["prompt_id"], row["answer"]).score
        human.append(row["score"])
        graded.append(score)
        by_prompt[row["prompt_id"]].append((row["score"], score))
    rho = spearmanr(human, graded).statistic
    r = pearsonr(human, graded).statistic
    print(f"{len(rows)} answers: Spearman {rho:.3f}, Pearson {r:.3f} (target Spearman >= 0.85)")
    for prompt_id, pairs in by_prompt.items():
        h, g = zip(*pairs, strict=True)
        pairs_text = "  ".join(f"{a}->{b}" for a, b in sorted(pairs))
        print(f"  {prompt_id:<27} rho {spearmanr(h, g).statistic:5.2f}   {pairs_text}")


if __name__ == "__main__":
    main()
