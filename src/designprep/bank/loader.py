"""Find, parse and validate prompt and rubric files into a ``Bank``.

A broken file is reported as a ``LoadProblem`` and skipped; everything else still
loads. Cross-references (a prompt's rubrics, a point's ``requires_any``) and
duplicate ids are checked after every file is read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from designprep import locations
from designprep.bank.models import Prompt, Rubric
from designprep.bank.problems import LoadProblem, display_path
from designprep.bank.yaml_source import SourceError, YamlSource, read_yaml

Kind = Literal["prompt", "rubric"]
YAML_SUFFIXES = (".yaml", ".yml")


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
        for path in _yaml_files(root):
            parsed += _parse_file(path, root, expected, bank.problems, broken)

    for item in parsed:
        if item.kind == "rubric":
            _add(bank.rubrics, bank.rubric_files, item, bank.problems)
    for item in parsed:
        if item.kind == "prompt":
            _add_prompt(bank, item, broken)
    return bank


def _yaml_files(root: Path) -> Iterable[Path]:
    files = (
        p
        for p in root.rglob("*")
        if p.suffix in YAML_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    return sorted(files)


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
        problems.append(LoadProblem(path, exc.line, None, str(exc)))
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
    model_type: type[Prompt] | type[Rubric] = Prompt if kind == "prompt" else Rubric
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        if kind == "rubric":
            broken.add(str(data.get("id", path.stem)))
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(LoadProblem(path, source.line_of(loc), _field_path(loc), _message(err)))
        return []
    own = _own_problems(model, source, root)
    if own:
        problems += own
        if kind == "rubric":
            broken.add(str(data.get("id", path.stem)))
        return []
    return [_Parsed(kind, model, source, root)]


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
                        _field_path(loc),
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
                        _field_path(loc),
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
                        _field_path(loc),
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
                LoadProblem(item.source.path, item.source.line_of(loc), _field_path(loc), why)
            )
        return
    added = _add(bank.prompts, bank.prompt_files, item, bank.problems)
    if added and item.root != locations.bundled_question_bank():
        bank.prompt_banks[item.model.id] = item.root.resolve()


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


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
