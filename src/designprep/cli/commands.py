"""Every command: the module that implements it, and its one-line summary.

``main`` imports only the module of the command being run, so ``designprep --help``, a
typo and the app's start do not pay for what other commands need (the YAML loader,
pydantic, numpy, the grader). The summaries live here, once, for the top-level help;
each module's ``register`` takes its own from ``summary``.
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    "grade": ("grade_cmd", "grade an answer to a prompt"),
    "list": ("bank_cmds", "list prompts"),
    "show": ("bank_cmds", "show one prompt"),
    "validate": ("bank_cmds", "check prompt and rubric files, then self-test the rubrics"),
    "schema": ("bank_cmds", "print the JSON Schema of prompt or rubric files"),
    "new": ("authoring_cmds", "write a new prompt and rubric to fill in"),
    "draft-rubric": ("authoring_cmds", "propose a rubric from a prompt's model answer"),
    "eval": ("eval_cmd", "measure agreement of grades with human scores in a CSV"),
    "calibrate": (
        "calibrate_cmd",
        "refit the score map on the bank's graded samples and print the fit",
    ),
    "history": ("history_cmds", "list your graded attempts"),
    "stats": ("history_cmds", "scores per category and the most-missed reasoning points"),
    "next": ("history_cmds", "the prompt to practise now, and why"),
    "export": ("history_cmds", "write your attempts to JSON, CSV or Markdown"),
    "import": ("history_cmds", "add attempts from a JSON or CSV export"),
    "schedule": ("schedule_cmd", "the review schedule: suspend, reset, rate, forecast"),
}


def summary(name: str) -> str:
    return COMMANDS[name][1]


def modules() -> list[str]:
    """Every command module, once each, in the order of the table."""
    return list(dict.fromkeys(module for module, _ in COMMANDS.values()))
