"""A survey mapping: how one survey tool's export (Microsoft Forms, Google Forms,
SurveyMonkey, SmartSurvey or any other) becomes ratings, written once per survey in YAML and
checked against ``survey_mapping.schema.json`` (see ``docs/practice.md``).

The tools differ in how many header rows they write, which column holds each response's id
and its time, and which columns identify people; a *preset* gives those defaults, and the
mapping can change each of them.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from coeval import yamlfile
from coeval.exceptions import Problem, ValidationError
from coeval.frameworks import Framework
from coeval.text import shorten
from coeval.vocabulary import DEFAULT_VOICES, DONT_KNOW
from coeval.yamlschema import explain, line_of

#: The respondent column of a preset whose tool puts the response id first, whatever its
#: header says (SmartSurvey).
FIRST_COLUMN = "(the first column)"
#: Columns that identify people: never stored, and removed from the kept copy of the file.
IDENTIFYING = ("Email", "Email Address", "Name", "First Name", "Last Name", "IP Address")
SKIP = "skip"


@dataclass(frozen=True)
class Preset:
    header_rows: int
    respondent: str | None  # None: the tool has none; a stable hash of the row is used
    times: tuple[str, ...]  # the columns that may hold each response's time, first found used


PRESETS: dict[str, Preset] = {
    "msforms": Preset(1, "ID", ("Completion time", "Start time")),
    "googleforms": Preset(1, None, ("Timestamp",)),
    "surveymonkey": Preset(2, "Respondent ID", ("End Date", "Start Date")),
    "smartsurvey": Preset(3, FIRST_COLUMN, ("Ended", "Date Ended", "End Date", "Started")),
    "generic": Preset(1, None, ()),
}


PRESET_NAMES = tuple(PRESETS)


@dataclass(frozen=True)
class Choice:
    """A constant (a project or a role), or the column whose answers choose it."""

    constant: str | None = None
    column: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)  # answer (folded) -> id


@dataclass(frozen=True)
class Comment:
    column: str
    item: str | None
    consent: bool = False  # consent for every comment in the column
    consent_column: str | None = None
    consent_yes: tuple[str, ...] = ()  # answers (folded) that mean yes


@dataclass(frozen=True)
class SurveyMapping:
    source: str
    preset: str
    header_rows: int
    sheet: str | int | None
    project: Choice
    framework: str
    period: str | None
    rater_prefix: str
    respondent: str | None
    times: tuple[str, ...]
    time_given: bool  # the mapping names the time column (else the preset's are looked for)
    time_format: str | None
    role: Choice
    items: Mapping[str, str | re.Pattern[str]]
    answers: Mapping[str, int | None]  # answer (folded) -> score; None: don't know
    blank: str
    comments: tuple[Comment, ...]
    drop: tuple[str, ...]


def fold(text: str) -> str:
    """An answer as it is matched: case and surrounding spaces ignored."""
    return " ".join(str(text).split()).casefold()


@cache
def _validator() -> Any:
    import jsonschema

    text = resources.files("coeval.ingest").joinpath("survey_mapping.schema.json").read_text()
    schema = json.loads(text)
    return jsonschema.validators.validator_for(schema)(schema)


_ONE_OF = {
    "project": "should be a project id, or {column: HEADER, values: {answer: project-id}}",
    "role": "should be a role, or {column: HEADER, values: {answer: role}}",
    "items": "should be the column's header exactly, or {match: REGEX}",
    "answers": "should be a whole number on the framework's scale, or dont_know",
    "comments": "consent should be true, false or {column: HEADER, yes: [answers]}",
}


def _problems(data: Any, root: Any) -> list[Problem]:
    found = []
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    for error in errors:
        path = list(error.absolute_path)
        if error.validator == "oneOf" and path and path[0] in _ONE_OF:
            where = ".".join(str(p) for p in path)
            message = f"{where}: {shorten(error.instance)} {_ONE_OF[str(path[0])]}"
            if error.instance is None:
                message = f"{where}: is blank; fill it in (see the CHECK comment above it)"
            found.append(Problem(line_of(root, path), None, message))
            continue
        message, name = explain(error)
        found.append(Problem(line_of(root, path, name), None, message))
    return found


def _keys_as_written(data: Any, node: Any) -> Any:
    """The data with every mapping key as it was written: YAML reads an unquoted Yes, No,
    On or 1 as a truth value or a number, but in a mapping they are answers (and ``yes:``
    in ``consent``)."""
    if isinstance(data, dict) and isinstance(node, yaml.MappingNode):
        return {
            (key if isinstance(key, str) else str(k_node.value)): _keys_as_written(
                data[key], v_node
            )
            for key, (k_node, v_node) in zip(data, node.value, strict=False)
        }
    if isinstance(data, list) and isinstance(node, yaml.SequenceNode):
        return [_keys_as_written(d, n) for d, n in zip(data, node.value, strict=False)]
    return data


def read_mapping(path: Path, frameworks: Mapping[str, Framework]) -> SurveyMapping:
    """A mapping file, checked; :class:`ValidationError` lists every problem, each with its
    line, the key and the valid values."""
    source = str(path)
    try:
        loaded = yamlfile.load(yamlfile.read_text(path))
    except FileNotFoundError:
        raise ValidationError(source, [Problem(None, None, "not found; check the path")]) from None
    except yamlfile.YamlProblem as exc:
        raise ValidationError(source, [Problem(exc.line, None, exc.message)]) from None
    root = loaded.root
    data = _keys_as_written(loaded.data, root)
    if not isinstance(data, dict):
        raise ValidationError(
            source, [Problem(1, None, "should be a mapping: keys like preset, project, items")]
        )
    problems = _problems(data, root)
    if not problems:
        problems = _meaning_problems(data, root, frameworks)
    if problems:
        raise ValidationError(source, problems)
    data["framework"] = frameworks[data["framework"]].id  # a renamed framework's old id works
    return _build(source, data)


def _meaning_problems(
    data: dict[str, Any], root: Any, frameworks: Mapping[str, Framework]
) -> list[Problem]:
    """What the schema cannot check: the framework, its items and scale, the roles."""
    fw = frameworks.get(data["framework"])
    if fw is None:
        known = ", ".join(sorted(frameworks))
        line = line_of(root, ["framework"])
        return [Problem(line, None, f"framework: {data['framework']!r} is unknown; use: {known}")]
    found = []
    items = [item.id for item in fw.items]
    for item in data["items"]:
        if item not in items:
            line = line_of(root, ["items"], item)
            message = f"items: {item!r} is not an item of {fw.id}; use: {', '.join(items)}"
            found.append(Problem(line, None, message))
    scale = f"whole numbers from {fw.scale_min} to {fw.scale_max}, or {DONT_KNOW}"
    for answer, score in data["answers"].items():
        if score != DONT_KNOW and not fw.on_scale(score):
            line = line_of(root, ["answers", answer])
            found.append(Problem(line, None, f"answers.{answer}: {score} is not on {scale}"))
    role = data["role"]
    roles = [role] if isinstance(role, str) else list(role["values"].values())
    for given in roles:
        if given and given not in DEFAULT_VOICES:
            line = line_of(root, ["role"])
            valid = ", ".join(DEFAULT_VOICES)
            found.append(Problem(line, None, f"role: {given!r} is not a role; use: {valid}"))
    for n, comment in enumerate(data.get("comments", [])):
        if comment.get("item") and comment["item"] not in items:
            line = line_of(root, ["comments", n, "item"])
            message = f"comments[{n}].item: {comment['item']!r} is not an item of {fw.id}"
            found.append(Problem(line, None, message))
    return found


def _choice(value: Any) -> Choice:
    if isinstance(value, str):
        return Choice(constant=value)
    return Choice(column=value["column"], values={fold(k): v for k, v in value["values"].items()})


def _build(source: str, data: dict[str, Any]) -> SurveyMapping:
    preset = PRESETS[data.get("preset", "generic")]
    recorded = data.get("recorded_at") or {}
    comments = []
    for c in data.get("comments", []):
        consent = c.get("consent", False)
        given = consent if isinstance(consent, dict) else {}
        comments.append(
            Comment(
                c["column"],
                c.get("item"),
                consent is True,
                given.get("column"),
                tuple(fold(y) for y in given.get("yes", ())),
            )
        )
    items: dict[str, str | re.Pattern[str]] = {
        item: header if isinstance(header, str) else re.compile(header["match"], re.IGNORECASE)
        for item, header in data["items"].items()
    }
    return SurveyMapping(
        source=source,
        preset=data.get("preset", "generic"),
        header_rows=int(data.get("header_rows", preset.header_rows)),
        sheet=data.get("sheet"),
        project=_choice(data["project"]),
        framework=data["framework"],
        period=data.get("period"),
        rater_prefix=data.get("rater_prefix", ""),
        respondent=data.get("respondent", preset.respondent),
        times=(recorded["column"],) if recorded else preset.times,
        time_given=bool(recorded),
        time_format=recorded.get("format"),
        role=_choice(data["role"]),
        items=items,
        answers={fold(k): (None if v == DONT_KNOW else int(v)) for k, v in data["answers"].items()},
        blank=data.get("blank", SKIP),
        comments=tuple(comments),
        drop=tuple(data.get("drop", ())),
    )


# -- headers ----------------------------------------------------------------------------------


def joined_headers(rows: Sequence[Sequence[str]]) -> list[str]:
    """One header per column from several header rows: a blank cell in any row but the last
    takes the value of the cell to its left; each column's parts are joined with " / ",
    leaving out blank parts."""
    width = max((len(r) for r in rows), default=0)
    filled = []
    for depth, row in enumerate(rows):
        cells = [" ".join(str(c).split()) for c in [*row, *[""] * (width - len(row))]]
        if depth < len(rows) - 1:
            for i in range(1, width):
                cells[i] = cells[i] or cells[i - 1]
        filled.append(cells)
    return [" / ".join(p for p in parts if p) for parts in zip(*filled, strict=True)]


def nearest(wanted: str, headers: Sequence[str], limit: int = 8) -> str:
    """The headers, most like ``wanted`` first, as a message lists them."""
    ranked = sorted(
        (h for h in headers if h),
        key=lambda h: -difflib.SequenceMatcher(None, fold(wanted), fold(h)).ratio(),
    )
    shown = ", ".join(repr(h) for h in ranked[:limit])
    more = len(ranked) - limit
    return shown + (f" (and {more} more)" if more > 0 else "")


def is_identifying(header: str, dropped: Sequence[str] = ()) -> bool:
    """Does this column identify people (by any part of its header), or did the mapping
    list it under ``drop``?"""
    parts = {fold(p) for p in header.split(" / ")} | {fold(header)}
    return bool(parts & {fold(n) for n in (*IDENTIFYING, *dropped)})
