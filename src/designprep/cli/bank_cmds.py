"""``designprep list``, ``show``, ``validate`` and ``schema``: browse and check the bank."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import textwrap
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from designprep.bank import DIFFICULTIES, Bank, Prompt, Rubric, UnknownPromptError
from designprep.bank.problems import display_path
from designprep.bank.visible import visible
from designprep.bank.yaml_source import field_path, read_yaml
from designprep.cli.commands import summary
from designprep.cli.common import UserError, add_bank_option, load, print_json
from designprep.grading import AnswerError, GradeResult
from designprep.grading.engine import UnusablePhrase
from designprep.prepared import grader_for

MODEL_ANSWER_MIN = 85
SAMPLE_TOLERANCE = 15


def register(sub: Any) -> None:
    p = sub.add_parser("list", help=summary("list"), description="List the prompts in the bank.")
    p.add_argument("--category", help="only this category")
    p.add_argument("--difficulty", choices=DIFFICULTIES, help="only this difficulty")
    p.add_argument(
        "--tag", action="append", default=[], help="only prompts with this tag (repeatable)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    add_bank_option(p)
    p.set_defaults(func=run_list)

    p = sub.add_parser(
        "show",
        help=summary("show"),
        description=(
            "Print a prompt to answer: in a terminal its Markdown is rendered, into a file or "
            "a pipe it is printed as written."
        ),
    )
    p.add_argument("prompt_id")
    p.add_argument(
        "--hints",
        type=_count,
        default=0,
        metavar="N",
        help="also print the first N hints (grade with --hints-used N: each costs points)",
    )
    p.add_argument("--model-answer", action="store_true", help="also print the model answer")
    p.add_argument(
        "--rubric",
        action="store_true",
        help=(
            "also print the rubric it is graded by: key concepts, reasoning points with "
            "their weights, red flags (disqualifying ones marked)"
        ),
    )
    p.add_argument("--json", action="store_true", help="print the prompt as JSON")
    add_bank_option(p)
    p.set_defaults(func=run_show)

    p = sub.add_parser(
        "validate",
        help=summary("validate"),
        description=(
            "Check every prompt and rubric file (schema, cross-references, duplicate ids), then "
            "self-test each rubric: the prompt's model answer must score >= "
            f"{MODEL_ANSWER_MIN}, and each graded sample should land within {SAMPLE_TOLERANCE} "
            "points of its stated score (a sample that does not is listed with what the grader "
            "saw in it; --strict makes it an error). With --bank, only prompts from those "
            "folders are self-tested. Exit 1 on any error."
        ),
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--strict", action="store_true", help="a sample off its stated score is an error"
    )
    add_bank_option(p)
    p.set_defaults(func=run_validate)

    p = sub.add_parser(
        "schema",
        help=summary("schema"),
        description=(
            "Print the JSON Schema of prompt or rubric YAML files, for editor completion and "
            "checking (yaml-language-server). --write DIR writes both files."
        ),
    )
    p.add_argument("kind", nargs="?", choices=["prompt", "rubric"], default="prompt")
    p.add_argument("--write", metavar="DIR", help="write prompt.schema.json and rubric.schema.json")
    p.set_defaults(func=run_schema)


def prompt_summary(prompt: Prompt) -> dict[str, Any]:
    return {
        "id": prompt.id,
        "title": prompt.title,
        "category": prompt.category,
        "difficulty": prompt.difficulty,
        "tags": prompt.tags,
        "time_limit_minutes": prompt.time_limit_minutes,
    }


def filter_prompts(
    bank: Bank, category: str | None, difficulty: str | None, tags: list[str]
) -> list[Prompt]:
    return [
        p
        for p in sorted(bank.prompts.values(), key=lambda p: (p.category, p.id))
        if (not category or p.category == category)
        and (not difficulty or p.difficulty == difficulty)
        and all(t in p.tags for t in tags)
    ]


def run_list(args: argparse.Namespace) -> int:
    bank = load(args)
    if args.category and args.category not in bank.categories():
        known = ", ".join(bank.categories())
        raise UserError(f"unknown category '{args.category}' (known: {known})")
    prompts = filter_prompts(bank, args.category, args.difficulty, args.tag)
    if args.json:
        print_json([prompt_summary(p) for p in prompts])
        return 0
    width = max((len(p.id) for p in prompts), default=10)
    for p in prompts:
        print(
            f"{p.id:<{width}}  {p.category:<17} {p.difficulty:<6} "
            f"{p.time_limit_minutes:>3} min  {visible(p.title, one_line=True)}"
        )
    print(f"\n{len(prompts)} prompt(s)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    bank = load(args)
    try:
        prompt = bank.prompt(args.prompt_id)
    except UnknownPromptError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        data = prompt.model_dump(mode="json")
        if not args.model_answer:
            data.pop("model_answer")
            data.pop("samples")
        print_json(data)
        return 0
    # in a terminal, Markdown rendered by rich; otherwise as written (a file, a pipe, a script)
    out = Console(width=min(100, Console().width), highlight=False) if sys.stdout.isatty() else None

    def markdown(text: str, indent: int = 0, label: str = "") -> None:
        prefix = " " * indent + (f"{label} " if label else "")
        text = visible(text.strip())
        if out is None:
            pad = " " * len(prefix)  # wrapped lines hang under the text, as in a terminal
            print(prefix + textwrap.indent(text, pad)[len(pad) :])
            return
        # Markdown syntax only: no console markup, no escape sequences from the file
        grid = Table.grid()
        grid.add_column(width=len(prefix) or None)
        grid.add_column()
        grid.add_row(prefix, Markdown(text, hyperlinks=False))
        out.print(grid)

    print(f"{visible(prompt.title, one_line=True)}\n")
    print(
        f"{prompt.category} · {prompt.difficulty} · {prompt.time_limit_minutes} min · "
        f"{visible(', '.join(prompt.tags), one_line=True)}\n"
    )
    markdown(prompt.prompt)
    hints, shown = len(prompt.hints), min(args.hints, len(prompt.hints))
    if shown:
        print(f"\nHints ({shown} of {hints})\n")
        for i, hint in enumerate(prompt.hints[:shown], start=1):
            markdown(hint, 2, f"{i}.")
        print(f"\nGrade with --hints-used {shown}: each hint costs {prompt.hint_penalty} points.")
    if shown < hints:
        more = "the first N" if not shown else "more"
        print(
            f"\n{hints - shown} {'more ' if shown else ''}hint(s) "
            f"(-{prompt.hint_penalty} points each): --hints N shows {more}"
        )
    if args.model_answer:
        print("\nModel answer\n")
        markdown(prompt.model_answer, 2)
    if args.rubric:
        print("\nRubric")
        print(_rubric_text(bank.rubrics_for(prompt)))
    return 0


def _rubric_text(rubrics: list[Rubric]) -> str:
    from designprep.bank.outline import rubric_outline
    from designprep.grading.calibration import CALIBRATION

    lines = []
    for line in rubric_outline(rubrics, CALIBRATION.disqualify_cap):
        text = visible(line.text, one_line=True)
        if line.kind in ("rubric", "heading"):
            lines += ["", text.upper() if line.kind == "rubric" else text]
            continue
        # the weight or cost in a column; wrapped lines hang under the text
        lead = f"  {line.lead:>10}  "
        lines.append(
            textwrap.fill(text, 100, initial_indent=lead, subsequent_indent=" " * len(lead))
        )
    return "\n".join(lines)


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, not '{visible(text)}'")
    return n


def self_test(bank: Bank, prompts: list[Prompt]) -> list[dict[str, Any]]:
    grader = grader_for(bank)
    report = []
    for prompt in prompts:
        file = bank.prompt_files[prompt.id]
        folder = bank.prompt_banks.get(prompt.id)
        bank_arg = f" --bank {shlex.quote(str(folder))}" if folder else ""
        problems = _placeholders(bank, prompt)
        model: int | None = None
        try:
            model = grader.grade(prompt, prompt.model_answer).score
        except AnswerError as exc:  # e.g. over the length limit: this file's problem only
            problems.append(_at(file, ("model_answer",), str(exc)))
        samples = []
        for i, sample in enumerate(prompt.samples):
            try:
                result = grader.grade(prompt, sample.text)
            except AnswerError as exc:
                problems.append(_at(file, ("samples", i, "text"), str(exc)))
                continue
            samples.append(
                {
                    "index": i,
                    "kind": sample.kind,
                    "stated": sample.score,
                    "graded": result.score,
                    "ok": abs(result.score - sample.score) <= SAMPLE_TOLERANCE,
                    "why": _why(result),
                    # what shows it sentence by sentence: each point, flag and contradiction
                    "command": f"designprep grade {prompt.id} --sample {i} --no-save{bank_arg}",
                }
            )
        warnings = [_unusable_problem(bank, u) for u in grader.index(prompt).unusable]
        path = display_path(file)
        if model is not None and model < MODEL_ANSWER_MIN:
            problems.append(f"{path}: model_answer: scores {model}, needs >= {MODEL_ANSWER_MIN}")
        misses = [
            f"{path}: samples[{s['index']}]{_kind_label(s['kind'])}: "
            f"graded {s['graded']}, stated {s['stated']} (more than {SAMPLE_TOLERANCE} apart; "
            f"{s['why']}); see why: {s['command']}"
            for s in samples
            if not s["ok"]
        ]
        report.append(
            {
                "id": prompt.id,
                "model_answer": model,
                "samples": samples,
                "problems": problems,
                "misses": misses,
                "warnings": warnings,
            }
        )
    return report


_PLACEHOLDER_RE = re.compile(r"\bTODO\b")


def _at(file: Path, loc: tuple[str | int, ...], message: str) -> str:
    return f"{display_path(file)}:{read_yaml(file).line_of(loc)}: {field_path(loc)}: {message}"


def _kind_label(kind: object) -> str:
    return f" ({kind})" if kind else ""


def _why(result: GradeResult) -> str:
    """What the grader saw in a sample, for an author whose sample missed its score."""
    covered = sum(1 for p in result.points if p.status == "covered")
    parts = [f"{covered} of {len(result.points)} points covered"]
    wrong = [p.id for p in result.points if p.status == "contradicted"]
    raised = [f.id for f in result.red_flags if f.status == "raised"]
    if wrong:
        parts.append("contradicted: " + ", ".join(wrong))
    if raised:
        parts.append("raised: " + ", ".join(raised))
    return "; ".join(parts)


def _placeholders(bank: Bank, prompt: Prompt) -> list[str]:
    """Every field still holding the TODO that ``designprep new`` writes."""
    files: list[tuple[Path, Any]] = [(bank.prompt_files[prompt.id], prompt)]
    files += [(bank.rubric_files[r.id], r) for r in bank.rubrics_for(prompt)]
    out = []
    for path, model in files:
        for loc, text in _strings(model.model_dump(mode="json"), ()):
            if _PLACEHOLDER_RE.search(text):
                line = read_yaml(path).line_of(loc)
                field = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc)
                out.append(
                    f"{display_path(path)}:{line}: {field.lstrip('.')}: still holds a TODO "
                    "placeholder; write the real text"
                )
    return out


def _strings(data: Any, loc: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        return [(loc, data)]
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in _strings(v, (*loc, k))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _strings(v, (*loc, i))]
    return []


def _unusable_problem(bank: Bank, phrase: UnusablePhrase) -> str:
    """Where a too-short rubric phrase is written, for the author to lengthen it."""
    rubric = bank.rubrics[phrase.rubric]
    path = bank.rubric_files[phrase.rubric]
    for section in ("points", "red_flags"):
        for i, item in enumerate(getattr(rubric, section)):
            if item.id == phrase.item_id:
                loc: tuple[str | int, ...]
                if phrase.field == "contradicted_by":
                    loc = (section, i, "contradicted_by", phrase.index)
                elif phrase.index == 0:
                    loc = (section, i, "text")
                else:
                    loc = (section, i, "evidence", phrase.index - 1)
                line = read_yaml(path).line_of(loc)
                field = f"{section}[{i}]." + (loc[2] if len(loc) == 3 else f"{loc[2]}[{loc[3]}]")
                return (
                    f"{display_path(path)}:{line}: {field}: '{phrase.text}' has fewer than two "
                    "content words, so it is ignored (it would match any sentence naming them)"
                )
    return f"{display_path(path)}: '{phrase.text}' is too short to match"


def run_validate(args: argparse.Namespace) -> int:
    bank = load(args, warn=False)
    problems = [str(p) for p in bank.problems]
    user_dirs = [Path(d).resolve() for d in args.bank]
    prompts = sorted(bank.prompts.values(), key=lambda p: (p.category, p.id))
    if user_dirs:
        prompts = [
            p
            for p in prompts
            if any(d in bank.prompt_files[p.id].resolve().parents for d in user_dirs)
        ]
    report = self_test(bank, prompts)
    problems += [msg for r in report for msg in r["problems"]]
    misses = [msg for r in report for msg in r["misses"]]
    if args.strict:
        problems += misses
    warnings = sorted({msg for r in report for msg in r["warnings"]})
    if args.json:
        print_json(
            {
                "prompts": report,
                "problems": problems,
                "sample_misses": misses,
                "warnings": warnings,
                "ok": not problems,
            }
        )
        return 1 if problems else 0
    width = max((len(r["id"]) for r in report), default=10)
    for r in report:
        mark = "✓" if not r["problems"] else "✗"
        samples = "  ".join(
            f"{s['stated']}→{s['graded']}{'' if s['ok'] else '!'}" for s in r["samples"]
        )
        model = "-" if r["model_answer"] is None else r["model_answer"]
        print(f"{mark} {r['id']:<{width}}  model {model:>3}   samples {samples}")
    print()
    for msg in warnings:
        print(f"warning: {visible(msg, one_line=True)}")
    if not args.strict:
        for msg in misses:
            print(f"sample off: {visible(msg, one_line=True)}")
    for msg in problems:
        print(f"error: {visible(msg, one_line=True)}")
    files = len(bank.prompt_files) + len(bank.rubric_files)
    print(
        f"{len(report)} prompt(s) self-tested, {files} file(s) loaded, "
        f"{len(problems)} problem(s), {len(warnings)} warning(s), "
        f"{len(misses)} sample(s) off their stated score"
    )
    return 1 if problems else 0


def schemas() -> dict[str, dict[str, Any]]:
    return {
        "prompt": Prompt.model_json_schema(),
        "rubric": Rubric.model_json_schema(),
    }


def run_schema(args: argparse.Namespace) -> int:
    all_schemas = schemas()
    if args.write:
        out = Path(args.write)
        try:
            out.mkdir(parents=True, exist_ok=True)
            for kind, schema in all_schemas.items():
                (out / f"{kind}.schema.json").write_text(json.dumps(schema, indent=2) + "\n")
        except OSError as exc:
            raise UserError(f"{out}: cannot write: {exc.strerror or exc}") from None
        print(f"wrote {out / 'prompt.schema.json'} and {out / 'rubric.schema.json'}")
        return 0
    print_json(all_schemas[args.kind])
    return 0
