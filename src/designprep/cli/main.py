"""Entry point: ``designprep`` opens the app; ``designprep COMMAND`` runs a command."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from designprep import __version__
from designprep.bank.visible import visible
from designprep.cli import (
    authoring_cmds,
    bank_cmds,
    calibrate_cmd,
    eval_cmd,
    grade_cmd,
    history_cmds,
)
from designprep.cli.common import Parser, UserError

COMMANDS = [grade_cmd, bank_cmds, authoring_cmds, eval_cmd, calibrate_cmd, history_cmds]


def build_parser() -> Parser:
    parser = Parser(
        prog="designprep",
        description=(
            "Practise system-design and ML-platform interview questions, graded offline. "
            "With no command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"designprep {__version__}")
    parser.add_argument(
        "--bank",
        dest="bank_top",
        metavar="DIR",
        action="append",
        default=[],
        help="extra folder of prompt and rubric YAML files (repeatable; also DESIGNPREP_BANK)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "bank"):
        args.bank = []
    try:
        if args.command is None:
            from designprep.cli.app_cmd import run_app

            return run_app(args)
        return int(args.func(args))
    except UserError as exc:
        print(f"designprep: error: {visible(str(exc), one_line=True)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("designprep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # last resort: one line, never a traceback
        if os.environ.get("DESIGNPREP_DEBUG"):
            raise
        detail = visible(f"{type(exc).__name__}: {exc}", one_line=True)
        print(
            f"designprep: internal error: {detail} (set DESIGNPREP_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
