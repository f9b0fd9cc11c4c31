"""Reading a workbook's YAML files (frameworks and consultations) safely, once each.

YAML can repeat a value by reference (an anchor ``&a`` and aliases ``*a``): a file of a few
lines can expand to gigabytes ("billion laughs"). coeval's files never need that, so a file
that uses an anchor or an alias is refused with its line, before anything is built from it.
The file is parsed once, by libyaml's C parser where it is installed (PyYAML's own otherwise),
into nodes that keep their line numbers (for error messages) and are then turned into plain
data with YAML's safe constructor (no Python objects).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coeval.exceptions import YamlProblem
from coeval.text import control_characters

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

T = TypeVar("T")
#: A workbook YAML file larger than this is refused (the largest real framework is a few
#: hundred kilobytes; every command reads these files).
MAX_BYTES = 20 * 1024 * 1024
#: Deeper nesting than this is refused (coeval's files are four or five levels deep).
MAX_DEPTH = 32


def read_once(path: Path, build: Callable[[Path], T]) -> T:
    """``build(path)``, worked out once per process while the file is unchanged (the same
    modification time and size): every command loads the workbook's files, some more than
    once. A missing file raises ``FileNotFoundError``; a refused one is not remembered."""
    info = path.stat()
    result: T = _built(build, path, info.st_mtime_ns, info.st_size)
    return result


@lru_cache(maxsize=512)
def _built(build: Callable[[Path], Any], path: Path, _mtime: int, _size: int) -> Any:
    return build(path)


@dataclass(frozen=True)
class Loaded:
    data: Any
    root: Node | None  # the node tree, for the line numbers of later errors


def read_text(path: Path) -> str:
    """A workbook YAML file's text; refused (with the fix) when too big or not UTF-8."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlProblem(
            None,
            f"is {size // (1024 * 1024)} MB; a file of more than {MAX_BYTES // 2**20} MB "
            "is refused (split it, or check that it is the right file)",
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise YamlProblem(None, "is not UTF-8 text; save it as UTF-8") from None


def load(text: str) -> Loaded:
    """Parse YAML text once into data, refusing anchors, aliases, several documents and
    nesting deeper than :data:`MAX_DEPTH`."""
    loader = _Loader(text)
    try:
        try:
            root = _document(loader)
            data = loader.construct_document(root) if root is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            reason = exc.problem or exc.context or "not valid YAML"
            raise YamlProblem(
                mark.line + 1 if mark else None, f"not valid YAML: {reason}"
            ) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(None, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return Loaded(data, root)


def _document(loader: Any) -> Node | None:
    loader.get_event()  # the start of the stream
    if loader.check_event(StreamEndEvent):
        return None
    loader.get_event()  # the start of the document
    root = _node(loader, 0)
    loader.get_event()  # the end of the document
    if not loader.check_event(StreamEndEvent):
        line = loader.peek_event().start_mark.line + 1
        raise YamlProblem(line, "holds a second document (after ---); keep one per file")
    return root


def _node(loader: Any, depth: int) -> Node:
    event: Any = loader.get_event()
    start: Any = event.start_mark
    line = start.line + 1
    if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
        raise YamlProblem(
            line,
            "uses a YAML anchor or alias (& or *), which coeval does not accept in workbook "
            "files; write the value out in full",
        )
    if depth > MAX_DEPTH:
        raise YamlProblem(line, f"is nested more than {MAX_DEPTH} levels deep")
    if isinstance(event, ScalarEvent):
        found = control_characters(event.value)
        if found:
            raise YamlProblem(line, f"contains a control character ({', '.join(found)}); delete it")
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(ScalarNode, event.value, event.implicit)
        end: Any = event.end_mark
        return ScalarNode(tag, event.value, start, end, event.style)
    if isinstance(event, SequenceStartEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(SequenceNode, None, event.implicit)
        items: list[Node] = []
        while not loader.check_event(SequenceEndEvent):
            items.append(_node(loader, depth + 1))
        end = loader.get_event().end_mark
        return SequenceNode(tag, items, start, end, event.flow_style)
    if isinstance(event, MappingStartEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(MappingNode, None, event.implicit)
        pairs: list[tuple[Node, Node]] = []
        while not loader.check_event(MappingEndEvent):
            key = _node(loader, depth + 1)
            pairs.append((key, _node(loader, depth + 1)))
        end = loader.get_event().end_mark
        return MappingNode(tag, pairs, start, end, event.flow_style)
    raise YamlProblem(line, "is not valid YAML here")  # pragma: no cover - libyaml's order
