"""Load and validate framework files.

Shipped frameworks and a workbook's own files go through the same loader: a workbook file in
``data/frameworks/`` either defines a whole framework (adding one, or replacing a shipped one
with the same id) or patches the wording of a shipped one, for example to load an
organisation's own official statement texts::

    patch: our-principles
    version: "2018, our wording"
    items:
      communities-we1: {title: ..., question: ..., status: confirmed}
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from coeval import yamlfile
from coeval.exceptions import FrameworkError, Problem, ValidationError
from coeval.frameworks.model import (
    DEFAULT_ORDER,
    DEFAULT_SCALE,
    PLACEMENT,
    STATEMENTS,
    EasyRead,
    Framework,
    FrameworkLanguage,
    Frameworks,
    Item,
    Level,
    Section,
    Wording,
    presentation_of,
)
from coeval.yamlschema import explain, line_of

if TYPE_CHECKING:
    import jsonschema


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("coeval.frameworks").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(which: str) -> jsonschema.protocols.Validator:
    import jsonschema  # imported when first needed: it is slow to import

    schema = {k: v for k, v in _schema().items() if k != "oneOf"}
    schema["$ref"] = f"#/$defs/{which}"
    cls = jsonschema.validators.validator_for(schema)
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


def _semantic_problems(data: dict[str, Any], root: yaml.Node | None) -> list[Problem]:
    problems: list[Problem] = []
    seen_items: set[str] = set()
    seen_sections: set[str] = set()
    for s, section in enumerate(data["sections"]):
        if section["id"] in seen_sections:
            line = line_of(root, ["sections", s, "id"])
            problems.append(Problem(line, None, f"section id {section['id']!r} is used twice"))
        seen_sections.add(section["id"])
        for i, item in enumerate(section["items"]):
            if item["id"] in seen_items:
                line = line_of(root, ["sections", s, "items", i, "id"])
                problems.append(Problem(line, None, f"item id {item['id']!r} is used twice"))
            seen_items.add(item["id"])
    levels = data.get("scale", {}).get("levels")
    if levels:
        values = [level["value"] for level in levels]
        if values != list(range(values[0], values[0] + len(values))):
            line = line_of(root, ["scale", "levels"])
            problems.append(
                Problem(
                    line,
                    None,
                    f"scale values should be whole numbers going up by one, in order (like 0 "
                    f"to 4, or 1 to 5), not {values}",
                )
            )
    kinds = {item["kind"] for section in data["sections"] for item in section["items"]}
    if data.get("presentation") == PLACEMENT and len(seen_items) != 1:
        line = line_of(root, ["presentation"])
        problems.append(
            Problem(line, None, "a placement framework has exactly one item (its one question)")
        )
    if data.get("presentation") == STATEMENTS and not kinds & {"i_statement", "we_statement"}:
        line = line_of(root, ["presentation"])
        problems.append(
            Problem(
                line, None, "a statements framework needs items of kind i_statement or we_statement"
            )
        )
    return problems


def parse_file(text: str, source: str) -> dict[str, Any]:
    """Check a framework or patch file; raise :class:`ValidationError` with every problem."""
    try:
        loaded = yamlfile.load(text)
    except yamlfile.YamlProblem as exc:
        raise ValidationError(source, [Problem(exc.line, None, exc.message)]) from None
    root, data = loaded.root, loaded.data
    if not isinstance(data, dict):
        raise ValidationError(
            source, [Problem(1, None, "should be a framework: fields like id, title, sections")]
        )
    which = "patch" if "patch" in data else "framework"
    problems = []
    for error in sorted(_validator(which).iter_errors(data), key=lambda e: list(e.path)):
        message, field_name = explain(error)
        problems.append(Problem(line_of(root, error.absolute_path, field_name), None, message))
    if not problems and which == "framework":
        problems = _semantic_problems(data, root)
    if problems:
        raise ValidationError(source, problems)
    return data


def build(data: dict[str, Any], origin: str) -> Framework:
    levels = data.get("scale", {}).get("levels")
    scale = tuple(Level(**level) for level in levels) if levels else DEFAULT_SCALE
    sections = tuple(
        Section(
            id=section["id"],
            title=section["title"],
            summary=section.get("summary", ""),
            short_title=section.get("short_title", ""),
            items=tuple(
                Item(section=section["id"], **_item_fields(item)) for item in section["items"]
            ),
            translations=_wordings(section.get("translations")),
        )
        for section in data["sections"]
    )
    return Framework(
        id=data["id"],
        title=data["title"],
        version=str(data["version"]),
        source=data["source"],
        sections=sections,
        scale=scale,
        description=data.get("description", ""),
        notes=data.get("notes", ""),
        origin=origin,
        presentation=data.get("presentation")
        or presentation_of({item.kind for section in sections for item in section.items}),
        order=data.get("order", DEFAULT_ORDER),
        short_title=data.get("short_title", ""),
        default=data.get("default", False),
        renumbered_from=data.get("scale", {}).get("renumbered_from"),
        aliases=tuple(data.get("aliases", ())),
        other_titles=tuple(data.get("other_titles", ())),
        translations={
            code: FrameworkLanguage(
                code=code,
                name=words["name"],
                checked_by=words.get("checked_by"),
                checked_on=words.get("checked_on"),
                title=words.get("title", ""),
                description=words.get("description", ""),
                scale={int(value): label for value, label in words.get("scale", {}).items()},
                dont_know=words.get("dont_know", ""),
            )
            for code, words in data.get("translations", {}).items()
        },
    )


def _easy_read(data: dict[str, str] | None) -> EasyRead | None:
    return EasyRead(data["question"], data.get("help", "")) if data else None


def _wordings(data: dict[str, dict[str, Any]] | None) -> dict[str, Wording]:
    return {
        code: Wording(
            **{k: v for k, v in words.items() if k != "easy_read"},
            easy_read=_easy_read(words.get("easy_read")),
        )
        for code, words in (data or {}).items()
    }


def _item_fields(item: dict[str, Any]) -> dict[str, Any]:
    """An item's fields as the model holds them (Easy Read and translations as objects)."""
    fields = dict(item)
    if "easy_read" in fields:
        fields["easy_read"] = _easy_read(fields["easy_read"])
    if "translations" in fields:
        fields["translations"] = _wordings(fields["translations"])
    return fields


def apply_patch(framework: Framework, patch: dict[str, Any], source: str) -> Framework:
    unknown = [item_id for item_id in patch["items"] if not framework.has_item(item_id)]
    if unknown:
        raise ValidationError(
            source,
            [
                Problem(
                    None,
                    None,
                    f"framework {framework.id!r} has no item {item_id!r}; "
                    f"see `coeval frameworks show {framework.id}` for its item ids",
                )
                for item_id in unknown
            ],
        )
    sections = tuple(
        replace(
            section,
            items=tuple(
                replace(item, **_item_fields(patch["items"].get(item.id, {})))
                for item in section.items
            ),
        )
        for section in framework.sections
    )
    return replace(
        framework,
        sections=sections,
        version=str(patch.get("version", framework.version)),
        origin=f"{framework.origin} + {source}",
        _index={},
    )


@cache
def builtin_frameworks() -> Frameworks:
    """The frameworks shipped with coeval, read through the same checks as a workbook's."""
    out = Frameworks()
    folder = resources.files("coeval.frameworks").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = parse_file(entry.read_text("utf-8"), f"coeval/frameworks/data/{entry.name}")
            out[data["id"]] = build(data, "built-in")
    return out


def load_frameworks(local_dir: Path | None = None) -> Frameworks:
    """Shipped frameworks, then a workbook's own files (whole frameworks, then patches). A
    framework's old ids (its ``aliases``) still find it."""
    frameworks = Frameworks(builtin_frameworks())
    if local_dir is None or not local_dir.is_dir():
        return frameworks
    patches: list[tuple[str, dict[str, Any]]] = []
    for path in sorted([*local_dir.glob("*.yaml"), *local_dir.glob("*.yml")]):
        found = read_file(path)
        if isinstance(found, Framework):
            frameworks[found.id] = found
        else:
            patches.append((str(path), found))
    for source, patch in patches:
        target = frameworks.canonical(patch["patch"])
        if target not in frameworks:
            raise FrameworkError(
                f"{source}: patch names framework {target!r}, which is not loaded; "
                f"use one of: {', '.join(sorted(frameworks))}"
            )
        frameworks[target] = apply_patch(frameworks[target], patch, source)
    return frameworks


def read_file(path: Path) -> Framework | dict[str, Any]:
    """One workbook file: the framework it defines, or the wording patch it holds. Each file
    is read and checked once per process while it is unchanged."""
    try:
        return yamlfile.read_once(path, _read_file)
    except FileNotFoundError:
        raise FrameworkError(f"{path} does not exist") from None


def _read_file(path: Path) -> Framework | dict[str, Any]:
    try:
        text = yamlfile.read_text(path)
    except yamlfile.YamlProblem as exc:
        raise FrameworkError(f"{path} {exc.message}") from None
    data = parse_file(text, str(path))
    if "patch" in data:
        return data
    return build(data, str(path))


def validate_file(path: Path) -> Framework | dict[str, Any]:
    """Check one file; returns the framework (or the patch) it defines."""
    return read_file(path)
