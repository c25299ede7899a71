"""Read a YAML file into plain data plus a map back to line numbers.

Only safe loading (the C loader when PyYAML has it). The composed node tree is kept so
a schema error at ``points[2].weight`` can be reported at the line where it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000


class SourceError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class YamlSource:
    path: Path
    data: Any
    root: yaml.Node | None

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """1-based line of the value at ``loc``, or of the nearest parent that exists."""
        node = self.root
        if node is None:
            return None
        line: int = node.start_mark.line + 1
        for key in loc:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode) and isinstance(key, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == key:
                        child = v
                        line = k.start_mark.line + 1
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(key, int)
                and 0 <= key < len(node.value)
            ):
                child = node.value[key]
            if child is None:
                return line
            node = child
            if not isinstance(node, yaml.MappingNode):
                line = node.start_mark.line + 1
        return line


def read_yaml(path: Path) -> YamlSource:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(f"file is larger than {MAX_FILE_BYTES // 1000} kB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})") from exc
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SourceError(f"invalid YAML: {exc.problem or exc.context}", line) from exc
    except yaml.reader.ReaderError as exc:  # its str() is several lines
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line = text.count("\n", 0, exc.position) + 1
        raise SourceError(f"invalid YAML: character U+{char:04X}: {exc.reason}", line) from exc
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return YamlSource(path=path, data=data, root=root)
