"""Find, parse and validate prompt and rubric files into a ``Bank``.

A broken file is reported as a ``LoadProblem`` and skipped; everything else still
loads. Cross-references (a prompt's rubrics, a point's ``requires_any``) and
duplicate ids are checked after every file is read.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from designprep import locations
from designprep.bank.models import Prompt, Rubric
from designprep.bank.problems import LoadProblem, display_path
from designprep.bank.yaml_source import (
    SourceError,
    YamlSource,
    field_path,
    file_kind,
    read_yaml,
)

Kind = Literal["prompt", "rubric"]
YAML_SUFFIXES = (".yaml", ".yml")
# The most items a list in a file may hold, and phrasings (text, evidence, contradicted_by)
# a rubric may hold in all: grading costs grow with them, and real files stay far below
# (the largest bundled rubric: 20 concepts, 13 points, 21 phrasings of a flag, 161 in all).
MAX_ITEMS = {
    "concepts": 100,
    "points": 60,
    "red_flags": 40,
    "aliases": 40,
    "evidence": 40,
    "contradicted_by": 40,
    "tags": 30,
    "hints": 20,
    "follow_ups": 40,
    "rubrics": 10,
    "samples": 40,
}
MAX_PHRASINGS = 1000


class UnknownPromptError(KeyError):
    def __init__(self, prompt_id: str, suggestion: str | None) -> None:
        super().__init__(prompt_id)
        self.prompt_id = prompt_id
        self.suggestion = suggestion

    def __str__(self) -> str:
        hint = f" (did you mean '{self.suggestion}'?)" if self.suggestion else ""
        return f"unknown prompt id '{self.prompt_id}'{hint}; 'designprep list' shows them"


@dataclass
class Bank:
    prompts: dict[str, Prompt] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    prompt_files: dict[str, Path] = field(default_factory=dict)
    rubric_files: dict[str, Path] = field(default_factory=dict)
    # the bank folder (--bank DIR) of each prompt not from the built-in bank
    prompt_banks: dict[str, Path] = field(default_factory=dict)

    def prompt(self, prompt_id: str) -> Prompt:
        try:
            return self.prompts[prompt_id]
        except KeyError:
            from rapidfuzz import process

            best = process.extractOne(prompt_id, list(self.prompts), score_cutoff=60)
            raise UnknownPromptError(prompt_id, best[0] if best else None) from None

    def rubrics_for(self, prompt: Prompt) -> list[Rubric]:
        return [self.rubrics[r] for r in prompt.rubrics]

    def content_hash(self, prompt: Prompt) -> str:
        """Changes whenever the prompt or any of its rubrics is edited."""
        payload = [prompt.model_dump(mode="json")]
        payload += [r.model_dump(mode="json") for r in self.rubrics_for(prompt)]
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def categories(self) -> list[str]:
        return sorted({p.category for p in self.prompts.values()})


@dataclass(frozen=True)
class _Parsed:
    kind: Kind
    model: Prompt | Rubric
    source: YamlSource
    root: Path


def load_bank(extra_dirs: Sequence[Path] = (), *, include_bundled: bool = True) -> Bank:
    """Load the bundled bank (unless told not to) and every extra bank folder."""
    roots: list[tuple[Path, Kind | None]] = []
    if include_bundled:
        roots.append((locations.bundled_question_bank(), "prompt"))
        roots.append((locations.bundled_rubrics(), "rubric"))
    roots += [(Path(d), None) for d in extra_dirs]

    bank = Bank()
    parsed: list[_Parsed] = []
    broken: set[str] = set()  # ids of rubric files that failed, so prompts can say why
    for root, expected in roots:
        if not root.is_dir():
            bank.problems.append(LoadProblem(root, None, None, "bank folder not found"))
            continue
        for path in _yaml_files(root, bank.problems):
            parsed += _parse_file(path, root, expected, bank.problems, broken)

    for item in parsed:
        if item.kind == "rubric":
            _add(bank.rubrics, bank.rubric_files, item, bank.problems)
    for item in parsed:
        if item.kind == "prompt":
            _add_prompt(bank, item, broken)
    return bank


def _yaml_files(root: Path, problems: list[LoadProblem]) -> list[Path]:
    """Every YAML file under ``root`` but in dot-folders. What cannot be read, or is not
    what it seems, is a problem naming it, never skipped in silence: a folder that cannot
    be listed, a broken or looping symlink, a FIFO or device named *.yaml, and a symlink to
    a folder (not followed, as a link back to a parent would loop)."""
    found: list[Path] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append(
                LoadProblem(folder, None, None, f"cannot read the folder ({exc.strerror or exc})")
            )
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            why = _not_loadable(path, entry.is_symlink())
            if why:
                problems.append(LoadProblem(path, None, None, why))
            elif path.is_dir():
                folders.append(path)
            elif path.suffix in YAML_SUFFIXES:
                found.append(path)
    return sorted(found)


def _not_loadable(path: Path, is_link: bool) -> str | None:
    """Why an entry of a bank folder cannot be loaded, or None (a YAML file, a folder, or
    any other file, which is not bank content)."""
    try:
        info = path.stat()
    except OSError as exc:
        if not is_link:
            return f"cannot read ({exc.strerror or exc})"
        if exc.errno == errno.ELOOP:
            return "symlink loop (it leads back to itself)"
        return f"broken symlink (to {os.readlink(path)})"
    if stat.S_ISDIR(info.st_mode):
        if not is_link:
            return None
        target = path.resolve()
        if target == path.parent.resolve() or target in path.parent.resolve().parents:
            return f"symlink loop (it leads back to {display_path(target)})"
        return f"a symlink to a folder is not followed; add {display_path(target)} with --bank"
    if path.suffix in YAML_SUFFIXES and not stat.S_ISREG(info.st_mode):
        return f"not a regular file ({file_kind(info.st_mode)})"
    return None


def _parse_file(
    path: Path,
    root: Path,
    expected: Kind | None,
    problems: list[LoadProblem],
    broken: set[str],
) -> list[_Parsed]:
    try:
        source = read_yaml(path)
    except SourceError as exc:
        problems.append(LoadProblem(path, exc.line, exc.field, str(exc)))
        return []
    data = source.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        problems.append(LoadProblem(path, source.line_of(()), None, f"file is {what}"))
        return []
    kind = expected or _guess_kind(data)
    if kind is None:
        problems.append(
            LoadProblem(
                path,
                1,
                None,
                "neither a prompt (has 'prompt:') nor a rubric (has 'points:')",
            )
        )
        return []
    raw_id = data.get("id")
    own_id = raw_id if isinstance(raw_id, str) else path.stem  # never str() of a structure
    too_many = _too_many(data, source)
    if too_many:
        problems += too_many
        if kind == "rubric":
            broken.add(own_id)
        return []
    model_type: type[Prompt] | type[Rubric] = Prompt if kind == "prompt" else Rubric
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        if kind == "rubric":
            broken.add(own_id)
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(LoadProblem(path, source.line_of(loc), field_path(loc), _message(err)))
        return []
    own = _own_problems(model, source, root)
    if own:
        problems += own
        if kind == "rubric":
            broken.add(own_id)
        return []
    return [_Parsed(kind, model, source, root)]


def _too_many(data: dict[str, Any], source: YamlSource) -> list[LoadProblem]:
    """Lists over MAX_ITEMS (top level, and in each item of a list), and a rubric with over
    MAX_PHRASINGS phrasings: refused before validation, which would cost as much."""
    found: list[LoadProblem] = []
    phrasings = 0

    def check(value: Any, loc: tuple[str | int, ...]) -> bool:
        cap = MAX_ITEMS.get(str(loc[-1]))
        if not isinstance(value, list) or cap is None or len(value) <= cap:
            return True
        found.append(
            LoadProblem(
                source.path,
                source.line_of(loc),
                field_path(loc),
                f"{len(value):,} items; at most {cap}",
            )
        )
        return False

    for key, value in data.items():
        if not check(value, (key,)) or not isinstance(value, list):
            continue
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            for sub, inner in item.items():
                check(inner, (key, i, sub))
            if key in ("points", "red_flags"):
                lists = [item.get(k) for k in ("evidence", "contradicted_by")]
                phrasings += 1 + sum(len(v) for v in lists if isinstance(v, list))
    if phrasings > MAX_PHRASINGS and not found:
        loc = ("points",)
        found.append(
            LoadProblem(
                source.path,
                source.line_of(loc),
                None,
                f"{phrasings:,} phrasings (text, evidence, contradicted_by) in points and "
                f"red_flags; at most {MAX_PHRASINGS:,}",
            )
        )
    return found


def _guess_kind(data: dict[str, Any]) -> Kind | None:
    if "prompt" in data or "model_answer" in data:
        return "prompt"
    if "points" in data or "concepts" in data:
        return "rubric"
    return None


def _own_problems(model: BaseModel, source: YamlSource, root: Path) -> list[LoadProblem]:
    path = source.path
    found: list[LoadProblem] = []
    model_id = getattr(model, "id", "")
    if path.stem != model_id:
        found.append(
            LoadProblem(
                path,
                source.line_of(("id",)),
                "id",
                f"'{model_id}' must match the file name '{path.stem}'",
            )
        )
    if isinstance(model, Prompt) and path.parent != root and path.parent.name != model.category:
        found.append(
            LoadProblem(
                path,
                source.line_of(("category",)),
                "category",
                f"'{model.category}' must match its folder '{path.parent.name}'",
            )
        )
    if isinstance(model, Rubric):
        found += _rubric_problems(model, source)
    return found


def _rubric_problems(rubric: Rubric, source: YamlSource) -> list[LoadProblem]:
    found: list[LoadProblem] = []
    loc: tuple[str | int, ...]
    for section in ("concepts", "points", "red_flags"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(rubric, section)):
            if item.id in seen:
                loc = (section, i, "id")
                found.append(
                    LoadProblem(
                        source.path,
                        source.line_of(loc),
                        field_path(loc),
                        f"duplicate id '{item.id}'",
                    )
                )
            seen.add(item.id)
    owner_of: dict[str, str] = {}
    for i, concept in enumerate(rubric.concepts):
        for j, form in enumerate((concept.term, *concept.aliases)):
            key = "".join(ch for ch in form.casefold() if ch.isalnum())
            other = owner_of.setdefault(key, concept.id)
            if other != concept.id:
                loc = ("concepts", i, "term") if j == 0 else ("concepts", i, "aliases", j - 1)
                found.append(
                    LoadProblem(
                        source.path,
                        source.line_of(loc),
                        field_path(loc),
                        f"'{form}' already names concept '{other}'",
                    )
                )
    concept_ids = {c.id for c in rubric.concepts}
    for i, point in enumerate(rubric.points):
        for j, ref in enumerate(point.requires_any):
            if ref not in concept_ids:
                loc = ("points", i, "requires_any", j)
                found.append(
                    LoadProblem(
                        source.path,
                        source.line_of(loc),
                        field_path(loc),
                        f"unknown concept id '{ref}'",
                    )
                )
    return found


def _add(
    into: dict[str, Any], files: dict[str, Path], item: _Parsed, problems: list[LoadProblem]
) -> bool:
    model_id = item.model.id
    if model_id in files:
        problems.append(
            LoadProblem(
                item.source.path,
                item.source.line_of(("id",)),
                "id",
                f"duplicate {item.kind} id '{model_id}', already defined in "
                f"{display_path(files[model_id])}",
            )
        )
        return False
    into[model_id] = item.model
    files[model_id] = item.source.path
    return True


def _add_prompt(bank: Bank, item: _Parsed, broken: set[str]) -> None:
    assert isinstance(item.model, Prompt)
    missing = [(i, r) for i, r in enumerate(item.model.rubrics) if r not in bank.rubrics]
    if missing:
        for i, rubric_id in missing:
            loc = ("rubrics", i)
            why = (
                f"rubric '{rubric_id}' has errors (reported for its file)"
                if rubric_id in broken
                else f"unknown rubric id '{rubric_id}'"
            )
            bank.problems.append(
                LoadProblem(item.source.path, item.source.line_of(loc), field_path(loc), why)
            )
        return
    added = _add(bank.prompts, bank.prompt_files, item, bank.problems)
    if added and item.root != locations.bundled_question_bank():
        bank.prompt_banks[item.model.id] = item.root.resolve()


_MESSAGES = {
    "greater_than": "must be > {gt}",
    "greater_than_equal": "must be >= {ge}",
    "less_than": "must be < {lt}",
    "less_than_equal": "must be <= {le}",
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling; 'designprep schema' lists fields)",
    "string_pattern_mismatch": "must be a lowercase slug like 'my-prompt-1'",
    "string_too_short": "must not be empty",
    "too_short": "must have at least {min_length} item(s)",
}


def _message(err: Any) -> str:
    template = _MESSAGES.get(err["type"])
    ctx = {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in (err.get("ctx") or {}).items()
    }
    if template:
        try:
            return template.format(**ctx)
        except (KeyError, IndexError):
            pass
    msg = str(err["msg"])
    return msg[0].lower() + msg[1:] if msg else msg
