"""Example survey exports for the demo, one per tool, made up but in the real shapes the tools
write (see docs/practice.md), each with the mapping that imports it: Microsoft Forms and
SurveyMonkey as .xlsx, Google Forms and SmartSurvey as CSV. The people in them are invented;
their names, emails and IP addresses (from the ranges kept for examples) show what
``coeval import survey`` leaves out."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coeval.files import write_atomic
from coeval.frameworks import builtin_frameworks


def _items() -> list[tuple[str, str, str]]:
    """The survey's questions: the framework's items (id, title, question), as a survey's
    designer would copy them into the tool."""
    return [(i.id, i.title, i.question) for i in builtin_frameworks()[FRAMEWORK].items]


PROJECT = "discharge-workshops"
FRAMEWORK = "healthwatch-six"
WORDS = ("Not yet", "Starting", "Developing", "Established", "Embedded")
ROLE_QUESTION = "Which best describes you?"
ROLES = {
    "I look after someone": "carer",
    "I use services": "person_using_services",
    "I work for the service": "staff",
}
COMMENT = "Anything else you want to tell us?"
CONSENT = "Can we share your words (without your name)?"


@dataclass(frozen=True)
class Person:
    role_answer: str
    answers: tuple[str, ...]
    comment: str
    share: str


PEOPLE = (
    Person(
        "I look after someone",
        ("Developing", "Starting", "Established", "Developing", "Starting", "Not yet"),
        "The papers came the night before.",
        "Yes",
    ),
    Person(
        "I look after someone",
        ("Established", "Developing", "Established", "Don't know", "Developing", "Starting"),
        "",
        "No",
    ),
    Person(
        "I use services",
        ("Developing", "Developing", "Embedded", "Established", "Developing", "Starting"),
        "Being asked properly made a difference.",
        "Yes, without my name",
    ),
    Person(
        "I work for the service",
        ("Established", "Established", "Established", "Established", "Embedded", "Developing"),
        "We need more time for this.",
        "No",
    ),
    Person(
        "I look after someone",
        ("Starting", "Not yet", "Developing", "Starting", "", "Not yet"),
        "",
        "No",
    ),
    Person(
        "I work for the service",
        ("Embedded", "Established", "Developing", "Established", "Established", "Developing"),
        "",
        "Yes",
    ),
)
NAMES = (
    "Ada Quillfeather",
    "Ben Ashgrove",
    "Cara Penhallow",
    "Dov Ruskinby",
    "Eve Marchetti",
    "Fin Oakhurst",
)


def _email(n: int) -> str:
    return f"person{n}@example.org"


def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows: Sequence[Sequence[object]], title: str) -> bytes:
    from openpyxl import Workbook as Book

    book = Book()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def msforms() -> tuple[bytes, str]:
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        ROLE_QUESTION,
        *(q for _i, _t, q in _items()),
        COMMENT,
        CONSENT,
    ]
    rows: list[Sequence[object]] = [header]
    for n, p in enumerate(PEOPLE, start=1):
        done = f"{n + 10:02d}/07/2026 19:{n:02d}"
        rows.append([n, done, done, "anonymous", "", p.role_answer, *p.answers, p.comment, p.share])
    mapping = _mapping(
        "msforms",
        "DWF-",
        items={i: q for i, _t, q in _items()},
        time='recorded_at: {column: Completion time, format: "%d/%m/%Y %H:%M"}',
    )
    return _xlsx(rows, "Form1"), mapping


def googleforms() -> tuple[bytes, str]:
    grid = "How well does the project do on each of these?"
    header = [
        "Timestamp",
        "Email Address",
        ROLE_QUESTION,
        *(f"{grid} [{t}]" for _i, t, _q in _items()),
        COMMENT,
        CONSENT,
    ]
    rows: list[Sequence[object]] = [header]
    for n, p in enumerate(PEOPLE, start=1):
        rows.append(
            [
                f"2026/08/{n + 3:02d} {n}:15:00 PM GMT+1",
                _email(n),
                p.role_answer,
                *p.answers,
                p.comment,
                p.share,
            ]
        )
    items = {i: f'{{match: "\\\\[{_start(t)}"}}' for i, t, _q in _items()}
    return _csv(rows), _mapping("googleforms", "DWG-", items=items, raw=True)


def surveymonkey() -> tuple[bytes, str]:
    matrix = (
        "How well does the project do on each of these?\nThink about the last three months, please."
    )
    lead = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    first = [*lead, matrix, *[""] * (len(_items()) - 1), ROLE_QUESTION, COMMENT, CONSENT]
    second = [
        *[""] * len(lead),
        *(t for _i, t, _q in _items()),
        "Response",
        "Open-Ended Response",
        "Response",
    ]
    rows: list[Sequence[object]] = [first, second]
    for n, (p, name) in enumerate(zip(PEOPLE, NAMES, strict=True), start=1):
        given, family = name.split()
        when = f"09/{n + 1:02d}/2026 0{n}:30:00 PM"
        rows.append(
            [
                11843000 + n,
                4321,
                when,
                when,
                f"192.0.2.{n}",
                _email(n),
                given,
                family,
                "",
                *p.answers,
                p.role_answer,
                p.comment,
                p.share,
            ]
        )
    items = {i: f'{{match: "/ {_start(t)}"}}' for i, t, _q in _items()}
    return _xlsx(rows, "Sheet"), _mapping(
        "surveymonkey",
        "DWM-",
        items=items,
        raw=True,
        role_column=f"{ROLE_QUESTION} / Response",
        comment_column=f"{COMMENT} / Open-Ended Response",
        consent_column=f"{CONSENT} / Response",
        time='recorded_at: {column: End Date, format: "%m/%d/%Y %I:%M:%S %p"}',
    )


def smartsurvey() -> tuple[bytes, str]:
    width = len(_items())
    first = [
        "Response ID",
        "Started",
        "Ended",
        "IP Address",
        "Q1",
        *[""] * (width - 1),
        "Q2",
        "Q3",
        "Q4",
    ]
    second = [
        "",
        "",
        "",
        "",
        "Please rate each principle",
        *[""] * (width - 1),
        ROLE_QUESTION,
        COMMENT,
        CONSENT,
    ]
    third = ["", "", "", "", *(t for _i, t, _q in _items()), "", "", ""]
    rows: list[Sequence[object]] = [first, second, third]
    for n, p in enumerate(PEOPLE, start=1):
        when = f"{n + 14:02d}/09/2026 10:{n:02d}"
        rows.append(
            [
                f"R{5000 + n}",
                when,
                when,
                f"198.51.100.{n}",
                *p.answers,
                p.role_answer,
                p.comment,
                p.share,
            ]
        )
    items = {i: f'{{match: "/ {_start(t)}"}}' for i, t, _q in _items()}
    return _csv(rows), _mapping(
        "smartsurvey",
        "DWS-",
        items=items,
        raw=True,
        role_column=f"Q2 / {ROLE_QUESTION}",
        comment_column=f"Q3 / {COMMENT}",
        consent_column=f"Q4 / {CONSENT}",
        time='recorded_at: {column: Ended, format: "%d/%m/%Y %H:%M"}',
    )


def _start(title: str) -> str:
    """The first three words of an item's title: enough to find its column."""
    return " ".join(title.split()[:3])


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mapping(
    preset: str,
    prefix: str,
    items: dict[str, str],
    raw: bool = False,
    role_column: str = ROLE_QUESTION,
    comment_column: str = COMMENT,
    consent_column: str = CONSENT,
    time: str = "",
) -> str:
    lines = [
        f"preset: {preset}",
        f"project: {PROJECT}",
        f"framework: {FRAMEWORK}",
        f"rater_prefix: {prefix}",
        *([time] if time else []),
        "role:",
        f"  column: {_q(role_column)}",
        "  values:",
        *(f"    {_q(answer)}: {role}" for answer, role in ROLES.items()),
        "items:",
        *(f"  {item}: {header if raw else _q(header)}" for item, header in items.items()),
        "answers:",
        *(f"  {_q(word)}: {score}" for score, word in enumerate(WORDS)),
        '  "Don\'t know": dont_know',
        "blank: skip",
        "comments:",
        f"  - column: {_q(comment_column)}",
        "    item: null",
        f'    consent: {{column: {_q(consent_column)}, yes: ["Yes", "Yes, without my name"]}}',
    ]
    return "\n".join(lines) + "\n"


EXAMPLES = {
    "msforms": ("msforms-export.xlsx", msforms),
    "googleforms": ("googleforms-export.csv", googleforms),
    "surveymonkey": ("surveymonkey-export.xlsx", surveymonkey),
    "smartsurvey": ("smartsurvey-export.csv", smartsurvey),
}


def write_survey_examples(folder: Path) -> dict[str, tuple[Path, Path]]:
    """Write each tool's example export and its mapping; returns their paths by tool."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for tool, (name, make) in EXAMPLES.items():
        data, mapping = make()
        export = folder / name
        write_atomic(export, data)
        rules = folder / f"{tool}-mapping.yaml"
        write_atomic(rules, mapping.encode("utf-8"))
        written[tool] = (export, rules)
    return written
