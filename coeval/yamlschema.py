"""Checking a YAML file's data against a JSON Schema, with messages that name the field, list
the valid values and give the line (framework files, survey mappings)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import yaml

from coeval.text import shorten

if TYPE_CHECKING:
    import jsonschema

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "array": "a list",
    "object": "a set of fields",
}


def line_of(node: yaml.Node | None, path: Iterable[Any], key: str | None = None) -> int | None:
    """The 1-based line of the YAML node at ``path`` (or of its field ``key``)."""
    if node is None:
        return None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if k.value == step]
            if not found:
                break
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step]
        else:
            break
    if key is not None and isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if k.value == key:
                return int(k.start_mark.line) + 1
    return int(node.start_mark.line) + 1


def _where(path: Iterable[Any]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def explain(error: jsonschema.ValidationError) -> tuple[str, str | None]:
    """A plain message for one schema error, and the field it is about (if any)."""
    where = _where(error.absolute_path)
    prefix = f"{where}: " if where else ""
    kind = error.validator
    if kind == "enum":
        valid = ", ".join(str(v) for v in error.validator_value)
        return f"{prefix}{shorten(error.instance)} is not valid; use one of: {valid}", None
    if kind == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return f"{prefix}missing field {missing[0]!r}", None
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        valid = f"; use one of: {', '.join(known)}" if known else ""
        return f"{prefix}unknown field {extra[0]!r}{valid}", extra[0]
    if kind == "type":
        wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        return f"{prefix}should be {wanted}, not {shorten(error.instance)}", None
    if kind == "pattern":
        if "description" in error.schema:  # the schema says what the pattern wants, in words
            return (
                f"{prefix}{shorten(error.instance)} should be {error.schema['description']}",
                None,
            )
        if str(error.validator_value).startswith("^https?"):
            return (
                f"{prefix}{shorten(error.instance)} should be a web address starting https://",
                None,
            )
        return (
            f"{prefix}{shorten(error.instance)} should be a short id of lower-case letters, digits "
            "and hyphens (like 'our-principles')",
            None,
        )
    if kind in ("minItems", "minProperties"):
        return f"{prefix}should not be empty", None
    if kind == "minLength":
        return f"{prefix}should not be blank", None
    return f"{prefix}{shorten(error.message, 200)[1:-1]}", None
