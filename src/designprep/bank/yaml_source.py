"""Read a YAML file into plain data plus a map back to line numbers.

Only safe loading (the C loader when PyYAML has it). The composed node tree is kept so
a schema error at ``points[2].weight`` can be reported at the line where it is written.
Before anything is built from it, the tree is checked: no key twice in a mapping (YAML
would keep the last silently), no alias inside what it refers to, and aliases may not
expand the document beyond a bound (a few lines of "billion laughs" otherwise expand to
gigabytes as soon as anything walks the data).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
# characters plus nodes once every alias is expanded: a file without aliases stays below
# its size in bytes, so twice the largest file leaves room for any sensible reuse
MAX_EXPANDED = 2 * MAX_FILE_BYTES
_MERGE = "tag:yaml.org,2002:merge"


class SourceError(Exception):
    def __init__(self, message: str, line: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.field = field


def field_path(loc: tuple[Any, ...]) -> str:
    """``points[2].weight`` for ``("points", 2, "weight")``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


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
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})") from exc
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check_tree(root)
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
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2024-13-45
        raise SourceError(f"invalid YAML value: {exc}") from exc
    finally:
        loader.dispose()
    return YamlSource(path=path, data=data, root=root)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing anything but a regular file of at most MAX_FILE_BYTES,
    before reading it (O_NONBLOCK: opening a FIFO must not wait for a writer)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise SourceError(f"not a regular file ({file_kind(info.st_mode)})")
            if info.st_size > MAX_FILE_BYTES:
                raise SourceError(f"file is larger than {MAX_FILE_BYTES // 1000} kB")
            raw = fh.read(MAX_FILE_BYTES + 1)  # it may have grown since
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(f"file is larger than {MAX_FILE_BYTES // 1000} kB")
    return raw


def file_kind(mode: int) -> str:
    kinds = [(stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")]
    kinds += [(stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")]
    return next((name for test, name in kinds if test(mode)), "not a file")


def _check_tree(root: yaml.Node) -> None:
    """Refuse duplicate keys, an alias inside the node it refers to, and aliases that
    expand the document beyond MAX_EXPANDED. Each node is visited once (an alias is the
    same node object again), so this costs the size of the file, not of its expansion."""
    size: dict[int, int] = {}  # id(node) -> characters plus nodes, aliases expanded
    open_nodes: set[int] = set()  # the node being measured and its parents
    stack: list[tuple[yaml.Node, tuple[Any, ...], bool]] = [(root, (), False)]
    while stack:
        node, loc, measured = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if measured:
            open_nodes.discard(key)
            if isinstance(node, yaml.ScalarNode):
                total = 1 + len(node.value)
            else:
                total = 1 + sum(size[id(child)] for child in _children(node))
            if total > MAX_EXPANDED:
                raise SourceError(
                    f"aliases expand this to over {MAX_EXPANDED:,} characters (an alias "
                    "bomb?); write the repeated parts out",
                    line,
                    field_path(loc),
                )
            size[key] = total
            continue
        if key in size:
            continue  # an alias of a node measured already
        if key in open_nodes:
            raise SourceError(
                "an alias refers to itself (a recursive structure)", line, field_path(loc)
            )
        open_nodes.add(key)
        stack.append((node, loc, True))
        if isinstance(node, yaml.MappingNode):
            _check_keys(node, loc)
            children = [(v, (*loc, k.value)) for k, v in node.value]
            children += [(k, loc) for k, _ in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = [(v, (*loc, i)) for i, v in enumerate(node.value)]
        else:
            children = []
        stack += [(child, where, False) for child, where in reversed(children)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _check_keys(node: yaml.MappingNode, loc: tuple[Any, ...]) -> None:
    first: dict[tuple[str, str], int] = {}  # (tag, text) of a key -> its line
    for k, _ in node.value:
        if not isinstance(k, yaml.ScalarNode) or k.tag == _MERGE:
            continue
        line = k.start_mark.line + 1
        if (k.tag, k.value) in first:
            raise SourceError(
                f"duplicate key (first at line {first[k.tag, k.value]}); YAML would keep only "
                "the last",
                line,
                field_path((*loc, k.value)),
            )
        first[k.tag, k.value] = line
