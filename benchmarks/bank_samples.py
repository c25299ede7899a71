"""The score map on the bank's own graded samples, cross-validated leave-one-prompt-out.

Each prompt's samples are scored with a map fitted on every other prompt's samples, so
the figures are not in-sample. Prints Spearman, MAE, same-prompt pairwise order, the
hire line, and the mean signed error per kind of answer and per category; asserts
nothing. Run: python benchmarks/bank_samples.py
"""

from __future__ import annotations

from designprep.bank import load_bank
from designprep.grading.fit import fit_report


def main() -> None:
    report = fit_report(load_bank())
    print("\n".join(report.lines()))
    worst = sorted(
        zip(report.rows, report.predicted, strict=True),
        key=lambda rp: -abs(rp[1] - rp[0].human),
    )[:10]
    print("largest leave-one-prompt-out errors:")
    for row, pred in worst:
        print(f"  {row.prompt_id:<32} {row.kind:<13} human {row.human:3d}  grader {pred:3.0f}")


if __name__ == "__main__":
    main()
