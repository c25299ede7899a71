"""``designprep calibrate``: refit the score map on the bank's graded samples."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path
from typing import Any

from designprep.cli.commands import summary
from designprep.cli.common import UserError, add_bank_option, load, print_json
from designprep.grading.calibration import SCORE_MAP_FILE


def register(sub: Any) -> None:
    p = sub.add_parser(
        "calibrate",
        help=summary("calibrate"),
        description=(
            "Grade every sample of the bank, fit the monotone map from raw coverage to a "
            "0-100 score on the interviewers' scores, and print how well it agrees with "
            "them: in sample, and leave one prompt out (each prompt's samples predicted by "
            "a map fitted without them). --write saves the map the grader ships with."
        ),
    )
    p.add_argument(
        "--write",
        metavar="FILE",
        nargs="?",
        const="",
        help=f"write the fitted map (default: the package's {SCORE_MAP_FILE})",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_bank_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from designprep.grading.fit import fit_report

    bank = load(args)
    if not any(p.samples for p in bank.prompts.values()):
        raise UserError("no prompt in the bank has graded samples to fit on")
    report = fit_report(bank)
    if args.write is not None:
        target = (
            Path(args.write)
            if args.write
            else Path(str(resources.files("designprep.grading").joinpath(SCORE_MAP_FILE)))
        )
        try:
            target.write_text(report.mapping.to_json())
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    if args.json:
        print_json(
            {
                "map": {"xs": report.mapping.xs, "ys": report.mapping.ys},
                "in_sample": report.in_sample.to_dict(),
                "leave_one_prompt_out": report.cross_validated.to_dict(),
                "by_category": {c: a.to_dict() for c, a in report.by_category.items()},
            }
        )
    else:
        print("\n".join(report.lines()))
        if args.write is not None:
            print(f"wrote {target}")
    return 0
