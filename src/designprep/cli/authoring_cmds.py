"""``designprep new`` and ``designprep draft-rubric``: write your own prompts."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from designprep.bank import DIFFICULTIES, Bank
from designprep.bank.yaml_source import SourceError, read_yaml
from designprep.cli.bank_cmds import schemas
from designprep.cli.commands import summary
from designprep.cli.common import UserError, add_bank_option, load
from designprep.grading.text import analyze

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # the schema's slug rule

PROMPT_TEMPLATE = """\
# yaml-language-server: $schema=../schema/prompt.schema.json
# A practice prompt. Fill in every TODO, then run: designprep validate --bank {bank}
id: {id}                          # lowercase slug; the file name repeats it
title: {title}
category: {category}              # the folder name repeats it
difficulty: {difficulty}          # easy | medium | hard
tags: [{category}]                # lowercase slugs, used by filters and search
time_limit_minutes: 30
prompt: |
  TODO: the scenario the candidate reads, in Markdown. Give concrete scale and
  constraints (users, requests per second, data size, latency, compliance, budget)
  and say what the answer should cover.
hints:                            # revealed one at a time; each costs hint_penalty points
  - TODO a gentle nudge
  - TODO a more specific hint
  - TODO a hint that nearly gives it away
hint_penalty: 5
follow_ups:                       # what an interviewer asks after the answer
  - TODO a probe on the weakest part of a typical answer
  - TODO a "what happens when this fails?" question
  - TODO a scale-up question
rubrics: [{id}]                   # rubric ids; add interview-structure to grade structure
model_answer: |
  TODO: a strong answer of 250-700 words, as a strong candidate would say it:
  requirements, estimates with numbers, design, a deep dive, bottlenecks and
  trade-offs. Every reasoning point of the rubric should be stated here in a
  sentence. (It must score at least 85: run validate.)
samples:                          # graded example answers: the rubric's self-test
  - score: 90                     # what a careful interviewer would give (0-100)
    note: TODO why a strong answer earns this
    text: |
      TODO: a strong answer in a candidate's own words (not the model answer).
  - score: 50
    note: TODO what a partial answer gets right and misses
    text: |
      TODO: a partial answer.
  - score: 15
    note: TODO what makes this answer weak
    text: |
      TODO: a weak or wrong answer.
"""

RUBRIC_TEMPLATE = """\
# yaml-language-server: $schema=../schema/rubric.schema.json
# The rubric for {id}. Tip: designprep draft-rubric {id} --bank {bank} proposes
# concepts and points from the model answer once it is written.
id: {id}
title: {title}
concepts:                         # key terms; found, missed or rejected ("not X", "instead of X")
  - id: todo-concept              # slug, unique in this rubric
    term: TODO key term
    aliases: [TODO abbreviation, TODO other spelling]
    weight: 1                     # 0 < weight <= 10
points:                           # reasoning the answer must state, in sentences
  - id: todo-point
    text: TODO the reasoning, stated as one sentence
    evidence:                     # several short ways a candidate might say it
      - TODO one phrasing with the key words
      - TODO another phrasing with different words
    requires_any: []              # optional: concept ids that must be in the same sentence
    weight: 2                     # the most important reasoning gets 3
red_flags:                        # claims that cost points when asserted, not when rejected
  - id: todo-red-flag
    text: TODO a wrong claim a weak candidate makes
    evidence:
      - TODO the wrong claim, stated positively
    penalty: 10
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "new",
        help=summary("new"),
        description=(
            "Write a prompt file and its rubric, with every field present and commented, into "
            "a bank folder: DIR/CATEGORY/ID.yaml and DIR/rubrics/ID.yaml (plus the JSON "
            "Schemas in DIR/schema for editor completion). Asks for anything not given as an "
            "option. Existing files are never overwritten."
        ),
    )
    p.add_argument("--id", dest="prompt_id", help="lowercase slug, e.g. design-a-parking-lot")
    p.add_argument("--title", help="e.g. 'Design a parking-lot system'")
    p.add_argument("--category", help="lowercase slug, e.g. system-design")
    p.add_argument("--difficulty", choices=DIFFICULTIES, help="easy, medium or hard")
    p.add_argument("--dir", default="my-bank", help="bank folder to write into (default: my-bank)")
    p.set_defaults(func=run_new)

    p = sub.add_parser(
        "draft-rubric",
        help=summary("draft-rubric"),
        description=(
            "Propose rubric concepts (terms of the model answer that are distinctive against "
            "the rest of the bank, by TF-IDF) and reasoning points (the model answer's "
            "sentences), as YAML to paste into the rubric file and edit."
        ),
    )
    p.add_argument("prompt_id", nargs="?", help="a prompt in the bank")
    p.add_argument("--file", help="a prompt YAML file instead (need not load cleanly yet)")
    p.add_argument("--concepts", type=int, default=10, help="how many concepts (default 10)")
    p.add_argument("--points", type=int, default=8, help="how many points (default 8)")
    add_bank_option(p)
    p.set_defaults(func=run_draft)


def _ask(label: str, value: str | None, check: Any = None) -> str:
    while not value:
        if not sys.stdin.isatty():
            raise UserError(f"missing --{label.split()[0]} (no terminal to ask on)")
        value = input(f"{label}: ").strip()
        if value and check and (problem := check(value)):
            print(problem, file=sys.stderr)
            value = ""
    if check and (problem := check(value)):
        raise UserError(problem)
    return value


def _slug_problem(what: str) -> Any:
    def check(value: str) -> str | None:
        ok = _SLUG_RE.match(value)
        return None if ok else f"{what} '{value}' must be a lowercase slug like 'my-prompt-1'"

    return check


def run_new(args: argparse.Namespace) -> int:
    prompt_id = _ask("id (lowercase slug)", args.prompt_id, _slug_problem("id"))
    title = _ask("title", args.title)
    category = _ask("category (lowercase slug)", args.category, _slug_problem("category"))
    difficulty = _ask(
        "difficulty (easy/medium/hard)",
        args.difficulty,
        lambda v: None if v in DIFFICULTIES else "difficulty must be easy, medium or hard",
    )
    bank = Path(args.dir)
    prompt_path = bank / category / f"{prompt_id}.yaml"
    rubric_path = bank / "rubrics" / f"{prompt_id}.yaml"
    for path in (prompt_path, rubric_path):
        if path.exists():
            raise UserError(f"{path} already exists; choose another id or edit that file")
    fields = {
        "id": prompt_id,
        "title": _yaml_scalar(title),
        "category": category,
        "difficulty": difficulty,
        "bank": bank,
    }
    try:
        prompt_path.parent.mkdir(parents=True, exist_ok=True)
        rubric_path.parent.mkdir(parents=True, exist_ok=True)
        prompt_path.write_text(PROMPT_TEMPLATE.format(**fields), encoding="utf-8")
        rubric_path.write_text(RUBRIC_TEMPLATE.format(**fields), encoding="utf-8")
        schema_dir = bank / "schema"
        schema_dir.mkdir(exist_ok=True)
        for kind, schema in schemas().items():
            target = schema_dir / f"{kind}.schema.json"
            if not target.exists():
                import json

                target.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write into {bank}: {exc.strerror or exc}") from None
    print(f"wrote {prompt_path}")
    print(f"wrote {rubric_path}")
    print(f"next: fill in the TODOs, then run: designprep validate --bank {bank}")
    return 0


def _yaml_scalar(text: str) -> str:
    """A title as a YAML scalar, quoted only when it must be."""
    dumped = yaml.safe_dump(text, default_flow_style=True, width=1000).strip()
    return dumped.removesuffix("...").strip()


def run_draft(args: argparse.Namespace) -> int:
    if bool(args.prompt_id) == bool(args.file):
        raise UserError("give a PROMPT_ID or --file FILE (one of them)")
    bank = load(args, warn=False)
    if args.file:
        title, text, own_id = _prompt_from_file(Path(args.file))
    else:
        try:
            prompt = bank.prompt(args.prompt_id)
        except KeyError as exc:
            raise UserError(str(exc)) from None
        title, text, own_id = prompt.title, prompt.model_answer, prompt.id
    draft = draft_rubric(bank, own_id, title, text, args.concepts, args.points)
    sys.stdout.write(
        "# Drafted by designprep draft-rubric: edit the terms and phrasings, add aliases,\n"
        "# weights and red flags, then check with designprep validate.\n"
    )
    sys.stdout.write(yaml.safe_dump(draft, sort_keys=False, allow_unicode=True, width=100))
    return 0


def _prompt_from_file(path: Path) -> tuple[str, str, str]:
    try:
        data = read_yaml(path).data
    except SourceError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise UserError(f"{where}: {exc}") from None
    if not isinstance(data, dict) or not str(data.get("model_answer", "")).strip():
        raise UserError(f"{path}: model_answer: needed to draft a rubric")
    return str(data.get("title", "")), str(data["model_answer"]), str(data.get("id", path.stem))


def draft_rubric(
    bank: Bank, prompt_id: str, title: str, model_answer: str, n_concepts: int, n_points: int
) -> dict[str, Any]:
    """Concepts: TF-IDF terms distinctive against the bank; points: the answer's sentences."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from designprep.grading.text import STOPWORDS, stem

    others = [p.model_answer for p in bank.prompts.values() if p.id != prompt_id]
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2), token_pattern=r"(?u)\b[a-zA-Z][\w&/+-]*\b", sublinear_tf=True
    )
    matrix = vectorizer.fit_transform([model_answer, *others])
    row = matrix[0].toarray().ravel()
    terms = vectorizer.get_feature_names_out()
    concepts: list[dict[str, Any]] = []
    seen_words: set[str] = set()
    for col in row.argsort()[::-1]:
        if row[col] <= 0 or len(concepts) >= n_concepts:
            break
        term = str(terms[col])
        words = term.split()
        if words[0] in STOPWORDS or words[-1] in STOPWORDS:
            continue  # "the cache", "cache in": not terms
        if len(words) > 1 and not re.search(
            r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", model_answer.lower()
        ):
            continue  # the vectoriser skipped a number between them: "giving [3.5] trillion"
        stems = {stem(w) for w in words}
        if stems & seen_words:
            continue  # "links" after "link", "store" after "feature store"
        seen_words |= stems
        concepts.append({"id": _slugify(term), "term": term, "aliases": [], "weight": 1})
    sentences = [s for s in analyze(model_answer) if len(s.tokens) >= 8]
    scored = sorted(
        sentences,
        key=lambda s: -sum(row[vectorizer.vocabulary_.get(t.text, 0)] for t in s.tokens),
    )[:n_points]
    points = []
    for s in sorted(scored, key=lambda s: s.index):
        text = " ".join(s.text.split())
        points.append(
            {
                "id": _slugify(" ".join(t.text for t in s.tokens if not t.stop)[:40]),
                "text": text,
                "evidence": [text, "TODO another way a candidate might say it"],
                "weight": 2,
            }
        )
    return {
        "id": prompt_id,
        "title": title,
        "concepts": concepts,
        "points": points,
        "red_flags": [
            {
                "id": "todo-red-flag",
                "text": "TODO a wrong claim",
                "evidence": ["TODO"],
                "penalty": 10,
            }
        ],
    }


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].rstrip("-") or "item"
