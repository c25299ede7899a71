"""Entry point: ``designprep`` opens the app; ``designprep COMMAND`` runs a command."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Collection, Sequence

from designprep import __version__
from designprep.cli.commands import COMMANDS, modules
from designprep.cli.common import Parser, UserError


def build_parser(commands: Collection[str] | None = None) -> Parser:
    """The parser, complete for ``commands`` (every command when None); the rest are only
    listed in the help."""
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
    if commands is None or not all(c in COMMANDS for c in commands):
        wanted = modules()  # every command; for a word that is none, the full parser says so
    else:
        wanted = list(dict.fromkeys(COMMANDS[c][0] for c in commands))
    for name in wanted:
        importlib.import_module(f"designprep.cli.{name}").register(sub)
    for name, (_, summary) in COMMANDS.items():
        if name not in sub.choices:  # listed in the help, parsed only when run
            sub.add_parser(name, help=summary, add_help=False)
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv``: the first word that is not an option or its value."""
    words = iter(argv)
    for word in words:
        if word == "--bank":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = command_of(argv)
    # Only the command being run is imported; no command (the app, the top-level help)
    # imports none, and a word that is no command gets the full parser to say so.
    parser = build_parser([] if command is None else [command])
    args = parser.parse_args(argv)
    if not hasattr(args, "bank"):
        args.bank = []
    try:
        if args.command is None:
            from designprep.cli.app_cmd import run_app

            return run_app(args)
        return int(args.func(args))
    except UserError as exc:
        print(f"designprep: error: {_one_line(str(exc))}", file=sys.stderr)
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
        detail = _one_line(f"{type(exc).__name__}: {exc}")
        print(
            f"designprep: internal error: {detail} (set DESIGNPREP_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 2


def _one_line(text: str) -> str:
    """``text`` safe for the terminal, on one line (imported here: errors are rare)."""
    from designprep.bank.visible import visible

    return visible(text, one_line=True)


if __name__ == "__main__":
    raise SystemExit(main())
