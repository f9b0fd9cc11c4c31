"""Fill-in spreadsheets: `coeval template ratings` writes a workbook staff fill in, one row
per person, and the importer reads it back with no mapping."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook as Book
from openpyxl import load_workbook

from coeval.config import Workbook
from coeval.exceptions import ConfigError, FrameworkError, Problem
from coeval.frameworks import Framework, Level, builtin_frameworks
from coeval.ingest.template import (
    HIDDEN,
    ROLE_WORDS,
    SHEET,
    is_template,
    template_records,
    write_template,
)
from coeval.store import Project, Store
from tests.conftest import tiny_framework

HW = builtin_frameworks()["healthwatch-six"]
ITEMS = [item.id for item in HW.items]
TITLES = [item.title for item in HW.items]
TODAY = date(2026, 9, 1)
PROJECT = Project("p1", "Project one", ("healthwatch-six",), True)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return write_template(tmp_path / "ratings.xlsx", PROJECT, HW)


def fill(path: Path, rows: dict[int, list[Any]], change: Any = None) -> Any:
    """Fill in rows of the template as a person would (Reference, Role, Date, then one cell
    per item), save it, and open it again as the importer does."""
    book = load_workbook(path)
    ws = book[SHEET]
    for number, cells in rows.items():
        for column, value in enumerate(cells, 1):
            ws.cell(number, column).value = value
    if change is not None:
        change(ws)
    book.save(path)
    return load_workbook(path, read_only=False, data_only=False)


def table(book: Any, first: str, last: str) -> list[list[Any]]:
    """A table on the hidden sheet, below its heading, as the cells hold it."""
    rows = book[HIDDEN][f"{first}2:{last}{book[HIDDEN].max_row}"]
    return [[cell.value for cell in row] for row in rows if row[0].value is not None]


def test_the_visible_sheet_has_the_headings_drop_downs_and_questions(template: Path) -> None:
    book = load_workbook(template)
    ws = book[SHEET]
    assert book.sheetnames == [SHEET, HIDDEN] and book.active.title == SHEET
    assert [cell.value for cell in ws[1]] == ["Reference", "Role", "Date", *TITLES]
    assert ws.freeze_panes == "A2"
    assert all(cell.alignment.wrap_text and cell.font.bold for cell in ws[1])
    assert all(ws.column_dimensions[cell.column_letter].width >= 14 for cell in ws[1])
    for cell, item in zip(ws[1][3:], HW.items, strict=True):
        assert cell.comment.text == item.question
    rules = {str(rule.sqref): rule for rule in ws.data_validations.dataValidation}
    assert set(rules) == {f"{letter}2:{letter}501" for letter in "ABCDEFGHI"}
    for letter in "BDEFGHI":
        rule = rules[f"{letter}2:{letter}501"]
        assert rule.type == "list" and rule.showErrorMessage
        assert rule.formula1.startswith(f"'{HIDDEN}'!$") and '"' not in rule.formula1
        assert rule.showInputMessage and rule.prompt and rule.promptTitle
    assert rules["D2:D501"].formula1 == "'coeval'!$I$2:$I$7"  # five words and Don't know
    assert rules["B2:B501"].formula1 == f"'coeval'!$L$2:$L${len(ROLE_WORDS) + 1}"
    assert HW.items[0].question in rules["D2:D501"].prompt
    assert rules["C2:C501"].type == "date" and rules["C2:C501"].prompt
    assert ws.column_dimensions["C"].number_format == "d mmm yyyy"
    assert ws.column_dimensions["A"].number_format == "@"


def test_the_hidden_sheet_says_how_to_read_the_visible_one(template: Path) -> None:
    book = load_workbook(template)
    assert book[HIDDEN].sheet_state == "hidden"
    settings = dict(table(book, "A", "B"))
    assert settings["template"] == "coeval ratings template" and settings["format"] == 1
    assert settings["project"] == "p1" and settings["framework"] == "healthwatch-six"
    columns = table(book, "D", "G")
    assert columns[:3] == [
        ["A", "reference", None, "Reference"],
        ["B", "role", None, "Role"],
        ["C", "date", None, "Date"],
    ]
    assert [row[0] for row in columns[3:]] == list("DEFGHI")
    assert [row[2] for row in columns[3:]] == ITEMS
    assert table(book, "I", "J") == [
        ["Not yet", 0],
        ["Starting", 1],
        ["Developing", 2],
        ["Established", 3],
        ["Embedded", 4],
        ["Don't know", "dont_know"],
    ]
    assert table(book, "L", "M") == [[word, role] for role, word in ROLE_WORDS.items()]
    assert is_template(book) and not is_template(Book())


def test_a_filled_in_template_reads_as_ratings_records(template: Path) -> None:
    def pad(ws: Any) -> None:
        ws["A4"].number_format = "000"

    book = fill(
        template,
        {
            2: ["007", "A carer", date(2026, 7, 14), "Established", "Don't know", None, "Not yet"],
            3: [None] * 9,  # a blank row is skipped
            4: [7, "Staff", datetime(2026, 5, 2, 9, 30), None, None, None, None, None, "Embedded"],
            5: ["L-020", "A volunteer", date(2026, 8, 1)],  # no answers yet: no records
            6: ["L-014", "a carer", "03/06/2026", "  starting "],  # typed, not picked
        },
        pad,
    )
    header, records, problems = template_records(book, today=TODAY)
    assert problems == []
    assert header == [
        *("project", "period", "framework", "item", "rater", "role", "score", "note"),
        "recorded_at",
    ]
    got = [
        (n, r["rater"], r["role"], r["item"], r["score"], r["period"], r["recorded_at"])
        for n, r in records
    ]
    assert got == [
        (2, "007", "carer", ITEMS[0], "3", "2026Q3", "2026-07-14"),
        (2, "007", "carer", ITEMS[1], "dont_know", "2026Q3", "2026-07-14"),
        (2, "007", "carer", ITEMS[3], "0", "2026Q3", "2026-07-14"),
        (4, "007", "staff", ITEMS[5], "4", "2026Q2", "2026-05-02"),
        (6, "L-014", "carer", ITEMS[0], "1", "2026Q2", "2026-06-03"),
    ]
    for _n, record in records:
        assert set(record) == set(header)
        assert (record["project"], record["framework"], record["note"]) == (
            "p1",
            "healthwatch-six",
            "",
        )


def test_the_period_follows_the_workbooks_scheme(template: Path) -> None:
    book = fill(template, {2: ["L-1", "Staff", date(2026, 5, 10), "Embedded"]})
    assert template_records(book, "financial", today=TODAY)[1][0][1]["period"] == "2026/27 Q1"
    assert template_records(book, "calendar", today=TODAY)[1][0][1]["period"] == "2026Q2"


GOOD = ["L-1", "A carer", date(2026, 7, 1), "Developing", "Embedded"]


@pytest.mark.parametrize(
    ("column", "value", "heading", "says"),
    [
        (4, "Sometimes", TITLES[0], "'Sometimes' is not one of the choices; pick one from"),
        (2, "A doctor", "Role", "'A doctor' is not one of the choices; pick one from the list"),
        (2, None, "Role", "is blank on a row with answers; pick who they are"),
        (5, "=D2", TITLES[1], "cell E2 holds a formula; coeval does not work formulas out"),
        (1, None, "Reference", "is blank on a row with answers; type the person's reference"),
        (1, "Jane Smith", "Reference", "is not a pseudonymous id"),
        (3, date(2026, 9, 2), "Date", "02/09/2026 is in the future"),
        (3, "next Tuesday", "Date", "'next Tuesday' is not a date; type it like 14/07/2026"),
        (3, None, "Date", "is blank on a row with answers; type the day"),
    ],
)
def test_a_bad_cell_is_named_by_its_row_and_heading(
    template: Path, column: int, value: Any, heading: str, says: str
) -> None:
    cells = list(GOOD)
    cells[column - 1] = value
    book = fill(template, {2: cells, 3: GOOD})
    _header, records, problems = template_records(book, today=TODAY)
    assert [(p.row, p.column) for p in problems] == [(2, heading)]
    assert says in problems[0].message
    assert [n for n, _record in records] == [3, 3]  # the good row still reads


def test_a_deleted_column_is_reported_not_misread(template: Path) -> None:
    book = fill(template, {2: GOOD}, lambda ws: ws.delete_cols(5))
    _header, records, problems = template_records(book, today=TODAY)
    assert records == [] and len(problems) == 1
    problem = problems[0]
    assert (problem.row, problem.column) == (1, TITLES[1])
    assert f"column E should be headed {TITLES[1]!r} but is headed {TITLES[2]!r}" in problem.message
    assert "moved or deleted" in problem.message


def test_a_moved_column_and_a_cell_beyond_the_template_are_reported(template: Path) -> None:
    def swap(ws: Any) -> None:
        ws["D1"], ws["E1"] = TITLES[1], TITLES[0]

    _h, records, problems = template_records(fill(template, {2: GOOD}, swap), today=TODAY)
    assert records == [] and [(p.row, p.column) for p in problems] == [(1, TITLES[0])]
    fresh = write_template(template.with_name("fresh.xlsx"), PROJECT, HW)
    beyond = fill(fresh, {2: GOOD}, lambda ws: ws.cell(3, 11, "a note"))
    _h, records, problems = template_records(beyond, today=TODAY)
    assert records == [] and [(p.row, p.column) for p in problems] == [(3, "K")]
    assert "not one of the template's columns" in problems[0].message


def test_a_workbook_that_is_not_a_template_gives_one_problem() -> None:
    header, records, problems = template_records(Book())
    assert header[0] == "project" and records == []
    assert problems == [Problem(None, None, problems[0].message)]
    assert "not a coeval ratings template" in problems[0].message


def test_words_with_commas_and_quotes_and_formula_like_titles_stay_words(tmp_path: Path) -> None:
    base = tiny_framework()
    item = dataclasses.replace(base.sections[1].items[0], title="=SUM(A1)")
    scale = (Level(0, 'No, not "yet"', ""), Level(1, "Yes, mostly", ""))
    sections = (base.sections[0], dataclasses.replace(base.sections[1], items=(item,)))
    framework: Framework = dataclasses.replace(base, sections=sections, scale=scale)
    project = Project("p1", "One", ("fw",), True)
    path = write_template(tmp_path / "t.xlsx", project, framework)
    opened = load_workbook(path)
    assert opened[SHEET]["G1"].value == "=SUM(A1)" and opened[SHEET]["G1"].data_type == "s"
    book = fill(path, {2: ["R1", "Staff", date(2026, 7, 1), "Yes, mostly", 'no, NOT "yet"']})
    _h, records, problems = template_records(book, today=TODAY)
    assert problems == []
    assert [(r["item"], r["score"]) for _n, r in records] == [("i1", "1"), ("i2", "0")]


def test_write_template_refuses_what_it_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="project 'p1' does not use 'ladder'"):
        write_template(tmp_path / "a.xlsx", PROJECT, builtin_frameworks()["ladder"])
    with pytest.raises(ConfigError, match=r"\.xlsx"):
        write_template(tmp_path / "a.csv", PROJECT, HW)
    assert not list(tmp_path.iterdir())


def test_the_command_writes_a_template_and_refuses_to_overwrite_it(
    cli: Any, workbook: Workbook, store: Store, tmp_path: Path
) -> None:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    out = tmp_path / "ratings.xlsx"
    args = ["template", "ratings", "--project", "p1", "--framework", "healthwatch-six"]
    made = cli(*args, "--out", str(out))
    assert made.exit_code == 0, made.output
    assert made.output.splitlines() == [
        f"Ratings template written: {out}",
        f"Fill it in, then: coeval import ratings {out}",
    ]
    assert is_template(load_workbook(out))
    out.write_bytes(b"kept")
    again = cli(*args, "--out", str(out))
    assert again.exit_code == 1 and again.output.count("\n") == 1
    assert "already exists" in again.output and "--force" in again.output
    assert out.read_bytes() == b"kept"
    forced = cli(*args, "--out", str(out), "--force")
    assert forced.exit_code == 0 and is_template(load_workbook(out))


@pytest.mark.parametrize(
    ("project", "framework", "says"),
    [
        ("p9", "healthwatch-six", "coeval: no project 'p9'"),
        ("p1", "nope", "coeval: --framework 'nope': unknown framework; use one of: "),
        ("p1", "ladder", "coeval: project 'p1' does not use 'ladder'; it uses healthwatch-six"),
    ],
)
def test_the_command_refuses_an_unknown_project_or_framework(
    cli: Any, store: Store, tmp_path: Path, project: str, framework: str, says: str
) -> None:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    out = tmp_path / "ratings.xlsx"
    args = ["--project", project, "--framework", framework, "--out", str(out)]
    refused = cli("template", "ratings", *args)
    assert refused.exit_code == 1 and refused.output.startswith(says)
    assert refused.output.count("\n") == 1 and not out.exists()


def test_round_trip_through_the_commands(workbook: Workbook, store: Store, cli, tmp_path) -> None:
    """Make a template, fill it in as staff would, and `coeval import ratings` it with no
    mapping; a wrong word is refused naming the sheet row and the heading, storing nothing."""
    store.add_project("p1", "Project one", ["healthwatch-six"])
    path = tmp_path / "filled.xlsx"
    made = cli(
        "template",
        "ratings",
        "--project",
        "p1",
        "--framework",
        "healthwatch-six",
        "--out",
        str(path),
    )
    assert made.exit_code == 0, made.output
    words = [HW.scale[3].label, "Don't know", None, HW.scale[0].label, None, None]
    fill(path, {2: ["L-014", ROLE_WORDS["carer"], datetime(2026, 8, 3), *words]})
    done = cli("import", "ratings", str(path))
    assert done.exit_code == 0, done.output
    ratings = store.ratings(project="p1")
    assert sorted(ratings["item"]) == sorted([ITEMS[0], ITEMS[1], ITEMS[3]])
    assert set(ratings["rater"]) == {"L-014"} and set(ratings["period"]) == {"2026Q3"}
    assert ratings["dont_know"].sum() == 1
    assert sorted(ratings["score"].dropna()) == [0.0, 3.0]
    wrong = tmp_path / "wrong.xlsx"
    made = cli(
        "template",
        "ratings",
        "--project",
        "p1",
        "--framework",
        "healthwatch-six",
        "--out",
        str(wrong),
    )
    fill(wrong, {2: ["L-015", ROLE_WORDS["staff"], datetime(2026, 8, 3), "Sometimes"]})
    refused = cli("import", "ratings", str(wrong))
    assert refused.exit_code != 0
    assert f"row 2, column {TITLES[0]}" in refused.output
    assert len(store.ratings(project="p1")) == 3
