"""Survey tools' exports through a mapping (`coeval import survey`), and Excel for every importer.

Each tool's export is made in its real shape by coeval's demo (coeval/demo/surveys.py: Microsoft
Forms and SurveyMonkey as .xlsx with locale dates and two header rows, Google Forms as CSV with
a grid question, SmartSurvey as CSV with three header rows), then imported the way a person
would, through the command line."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from coeval.config import Workbook
from coeval.demo.surveys import (
    EXAMPLES,
    NAMES,
    PEOPLE,
    ROLE_QUESTION,
    ROLES,
    write_survey_examples,
)
from coeval.store import Store
from tests.conftest import page_words, write

IDENTIFYING = ["example.org", "192.0.2.", "198.51.100.", *(w for n in NAMES for w in n.split())]
ANSWERED = sum(1 for p in PEOPLE for a in p.answers if a)


@pytest.fixture
def examples(workbook: Workbook, store: Store) -> dict[str, tuple[Path, Path]]:
    store.add_project("discharge-workshops", "Discharge workshops", ["healthwatch-six"])
    return write_survey_examples(workbook.root / "examples")


def _everything_kept(workbook: Workbook) -> str:
    """Every value in the database and every kept import file, as one text."""
    conn = sqlite3.connect(workbook.db_url.split("///", 1)[1])
    parts = []
    for (table,) in conn.execute("select name from sqlite_master where type='table'"):
        parts.extend(str(row) for row in conn.execute(f"select * from {table}"))
    conn.close()
    for path in workbook.imports_dir.iterdir():
        parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.mark.parametrize("tool", list(EXAMPLES))
def test_each_tools_export_imports_and_nothing_identifying_is_kept(
    tool, examples, workbook, store, cli
) -> None:
    export, mapping = examples[tool]
    done = cli("import", "survey", str(export), "--mapping", str(mapping))
    assert done.exit_code == 0, done.output
    assert f"Stored {ANSWERED} new or changed ratings and 3 new comments" in done.output
    assert "Never stored (they identify people)" in done.output
    ratings = store.ratings(project="discharge-workshops")
    assert len(ratings) == ANSWERED
    assert set(ratings["role"]) == {"carer", "person_using_services", "staff"}
    assert ratings["dont_know"].sum() == 1
    assert len(ratings["rater"].unique()) == len(PEOPLE)
    evidence = store.evidence("discharge-workshops")
    assert sorted(evidence["consent_to_publish"].tolist()) == [False, True, True]
    kept = _everything_kept(workbook)
    for value in IDENTIFYING:
        assert value not in kept, (tool, value)
    assert "anonymous" not in kept or tool != "msforms"


def test_times_are_read_in_each_tools_shape(examples, store, cli) -> None:
    for tool in EXAMPLES:
        export, mapping = examples[tool]
        assert cli("import", "survey", str(export), "--mapping", str(mapping)).exit_code == 0
    ratings = store.ratings(project="discharge-workshops")
    by_prefix = {
        rater[:4]: t for rater, t in zip(ratings["rater"], ratings["recorded_at"], strict=False)
    }
    assert str(by_prefix["DWF-"])[:7] == "2026-07"  # 16/07/2026 19:06, day first
    assert str(by_prefix["DWG-"])[:7] == "2026-08"  # 2026/08/09 6:15:00 PM GMT+1
    assert str(by_prefix["DWM-"])[:7] == "2026-09"  # 09/07/2026 ... PM, month first
    assert set(ratings["period"]) == {"2026Q3"}


def test_reimport_is_a_no_op_and_a_later_export_adds_only_what_is_new(
    examples, workbook, store, cli
) -> None:
    export, mapping = examples["msforms"]
    cli("import", "survey", str(export), "--mapping", str(mapping))
    again = cli("import", "survey", str(export), "--mapping", str(mapping))
    assert "was already imported" in again.output
    assert len(store.ratings(project="discharge-workshops")) == ANSWERED
    book = openpyxl.load_workbook(export)
    sheet = book.active
    sheet["G2"] = "Embedded"  # person 1 changed one answer (better-outcomes)
    sheet.append(
        [
            7,
            "20/07/2026 10:00",
            "20/07/2026 10:00",
            "anonymous",
            "",
            "I use services",
            "Starting",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    later = workbook.root / "later.xlsx"
    book.save(later)
    done = cli("import", "survey", str(later), "--mapping", str(mapping))
    assert done.exit_code == 0, done.output
    assert "Stored 2 new or changed ratings and 0 new comments" in done.output
    ratings = store.ratings(project="discharge-workshops")
    latest = ratings[(ratings["rater"] == "DWF-1") & (ratings["item"] == "better-outcomes")]
    assert latest["score"].tolist() == [2.0, 4.0]  # history kept; the later answer counts


def test_dry_run_says_what_would_be_stored_and_stores_nothing(examples, workbook, store, cli):
    export, mapping = examples["surveymonkey"]
    done = cli("import", "survey", str(export), "--mapping", str(mapping), "--dry-run")
    assert done.exit_code == 0, done.output
    assert "Would import 6 responses" in done.output and f"{ANSWERED} ratings" in done.output
    assert "better-outcomes, carer: 3" in done.output
    assert "3 comments (2 may be shared, 1 not)" in done.output
    assert "Nothing was stored" in done.output
    assert store.count("ratings") == 0 and store.count("imports") == 0
    assert not any(workbook.imports_dir.iterdir())


def _refused(cli, store, workbook, export: Path, mapping: Path) -> str:
    done = cli("import", "survey", str(export), "--mapping", str(mapping))
    assert done.exit_code != 0
    assert store.count("ratings") == 0 and store.count("evidence") == 0
    assert not any(workbook.imports_dir.iterdir())
    return done.output


def _edit(mapping: Path, old: str, new: str) -> Path:
    text = mapping.read_text()
    assert old in text
    return write(mapping.with_name("edited.yaml"), text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("preset: msforms", "preset: msform", "preset: 'msform' is not valid; use one of: msforms"),
        ("blank: skip", "blanks: skip", "unknown field 'blanks'"),
        ("framework: healthwatch-six", "framework: nope", "framework: 'nope' is unknown"),
        ("  better-outcomes:", "  better-outcome:", "items: 'better-outcome' is not an item"),
        ('"Embedded": 4', '"Embedded": 9', "answers.Embedded: 9 is not on whole numbers from 0"),
        ("staff\n", "boss\n", "role: 'boss' is not a role; use: carer"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_key(
    old, new, expected, examples, workbook, store, cli
) -> None:
    export, mapping = examples["msforms"]
    output = _refused(cli, store, workbook, export, _edit(mapping, old, new))
    assert expected in output, output
    assert "edited.yaml, line" in output


def test_a_missing_header_lists_the_headers_nearest_first(examples, workbook, store, cli):
    export, mapping = examples["msforms"]
    edited = _edit(mapping, "Completion time", "Completed time")
    output = _refused(cli, store, workbook, export, edited)
    assert "column Completed time" in output and "recorded_at.column" in output
    assert "nearest first: 'Completion time'" in output


def test_bad_answers_are_refused_naming_the_row_and_column(examples, workbook, store, cli):
    export, mapping = examples["msforms"]
    book = openpyxl.load_workbook(export)
    sheet = book.active
    sheet["H3"] = "Sometimes"  # not an answer in the mapping
    sheet["F4"] = "I run the place"  # not a role answer
    sheet["A5"] = 1  # the first response's id again
    sheet["C6"] = "01/02/2026 10:00"  # fine with the mapping's format; see below
    bad = workbook.root / "bad.xlsx"
    book.save(bad)
    output = _refused(cli, store, workbook, bad, mapping)
    assert "row 3, column Is there enough time" in output and "'Sometimes'" in output
    assert "row 4, column Which best describes you?" in output
    assert "row 5, column ID: the response '1' appears again (first on row 2)" in output


def test_an_ambiguous_date_needs_a_format(examples, workbook, store, cli) -> None:
    export, mapping = examples["msforms"]
    book = openpyxl.load_workbook(export)
    for row in range(2, book.active.max_row + 1):
        book.active[f"C{row}"] = "01/02/2026 10:00"
    bad = workbook.root / "dates.xlsx"
    book.save(bad)
    edited = _edit(mapping, ', format: "%d/%m/%Y %H:%M"', "")
    output = _refused(cli, store, workbook, bad, edited)
    assert "row 2, column Completion time: '01/02/2026 10:00' could be read day first" in output
    assert "format" in output


def test_an_unknown_project_is_refused(examples, workbook, store, cli) -> None:
    export, mapping = examples["googleforms"]
    edited = _edit(mapping, "project: discharge-workshops", "project: nowhere")
    output = _refused(cli, store, workbook, export, edited)
    assert "project 'nowhere' is not in the workbook" in output


def test_a_draft_mapping_matches_items_and_answers_and_marks_what_is_unsure(
    examples, workbook, store, cli, tmp_path
) -> None:
    export, _mapping = examples["msforms"]
    out = tmp_path / "draft.yaml"
    done = cli(
        "import",
        "survey",
        str(export),
        "--draft-mapping",
        "--framework",
        "healthwatch-six",
        "--project",
        "discharge-workshops",
        "--mapping",
        str(out),
    )
    assert done.exit_code == 0, done.output
    text = out.read_text()
    assert "preset: msforms" in text
    assert 'better-outcomes: "Is this work making things better' in text
    assert '"Embedded": 4' in text and '"Don\'t know": dont_know' in text
    assert "role:" in text and "CHECK" in text
    refused = cli("import", "survey", str(export), "--mapping", str(out))
    assert refused.exit_code != 0 and "role: is blank; fill it in" in refused.output
    filled = write(out, text.replace("\nrole:\n", "\nrole: carer\n"))
    assert cli("import", "survey", str(export), "--mapping", str(filled)).exit_code == 0
    assert len(store.ratings(project="discharge-workshops")) == ANSWERED
    again = cli(
        "import",
        "survey",
        str(export),
        "--draft-mapping",
        "--framework",
        "healthwatch-six",
        "--project",
        "discharge-workshops",
        "--mapping",
        str(out),
    )
    assert again.exit_code != 0 and "exists already" in again.output


# -- Excel for every importer ------------------------------------------------------------------

RATING_HEADER = ["project", "period", "framework", "item", "rater", "role", "score"]


def _sheet(path: Path, rows, number_format: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if number_format:
        sheet["E2"].number_format = number_format
    book.save(path)
    return path


def test_ratings_import_from_excel_reads_cells_as_text(workbook, store, cli, tmp_path) -> None:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    path = _sheet(
        tmp_path / "r.xlsx",
        [
            RATING_HEADER,
            ["p1", "2026Q3", "healthwatch-six", "transparency", 7, "carer", 3.0],
            ["p1", "2026Q3", "healthwatch-six", "built-in", "007", "carer", "dont_know"],
        ],
        number_format="000",
    )
    done = cli("import", "ratings", str(path))
    assert done.exit_code == 0, done.output
    ratings = store.ratings(project="p1")
    assert sorted(ratings["rater"]) == ["007", "007"]  # a number shown as 007 stays 007
    assert ratings["score"].dropna().tolist() == [3.0]


def test_the_sheet_is_chosen_by_number_or_name(workbook, store, cli, tmp_path) -> None:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing to import"])
    data = book.create_sheet("Ratings")
    data.append(RATING_HEADER)
    data.append(["p1", "2026Q3", "healthwatch-six", "transparency", "C1", "carer", 3])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert cli("import", "ratings", str(path), "--sheet", "Ratings").exit_code == 0
    refused = cli("import", "ratings", str(path), "--sheet", "Summary")
    assert "has no sheet named 'Summary'; its sheets are 'Notes', 'Ratings'" in refused.output
    assert "has no sheet 3" in cli("import", "ratings", str(path), "--sheet", "3").output


def _locked() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def _corrupt() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 100


def _not_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"project,period\np1,2026Q3\n", "is named .xlsx but is not an Excel workbook"),
        (_locked(), "locked with a password"),
        (_corrupt(), "is a damaged Excel workbook"),
        (_not_a_workbook(), "is a damaged Excel workbook or not one at all"),
    ],
)
def test_bad_excel_files_are_refused_in_plain_words(
    content, expected, workbook, store, cli, tmp_path
) -> None:
    done = cli("import", "ratings", str(write(tmp_path / "bad.xlsx", content)))
    assert done.exit_code != 0
    assert expected in done.output
    assert "Traceback" not in done.output
    assert store.count("ratings") == 0


def test_an_empty_sheet_merged_header_and_formula_are_refused(workbook, store, cli, tmp_path):
    empty = _sheet(tmp_path / "empty.xlsx", [])
    assert "is empty; choose the sheet with the data" in cli("import", "ratings", str(empty)).output
    merged = _sheet(tmp_path / "merged.xlsx", [RATING_HEADER, ["p1"] * 7])
    book = openpyxl.load_workbook(merged)
    book.active.merge_cells("A1:B1")
    book.save(merged)
    output = cli("import", "ratings", str(merged)).output
    assert "cells A1:B1 are merged in the header row" in output and "Unmerge" in output
    formula = _sheet(
        tmp_path / "formula.xlsx",
        [RATING_HEADER, ["p1", "2026Q3", "healthwatch-six", "built-in", "C1", "carer", "=1+2"]],
    )
    output = cli("import", "ratings", str(formula)).output
    assert "row 2, column G: cell G2 holds a formula" in output
    assert store.count("ratings") == 0


@pytest.mark.parametrize("kind", ["activities", "evidence", "consultation"])
def test_every_importer_reads_excel(kind, workbook, store, cli, tmp_path) -> None:
    store.add_project("p1", "Project one", ["healthwatch-six"])
    rows = {
        "activities": [
            ["project", "date", "method", "carer"],
            ["p1", "2026-07-01", "workshop", 3],
        ],
        "evidence": [
            ["project", "period", "method", "text", "consent_to_publish"],
            ["p1", "2026Q3", "letter", "Clear papers", "yes"],
        ],
        "consultation": [
            ["consultation", "question", "rater", "role", "answer"],
            ["nope", "q1", "C1", "carer", "agree"],
        ],
    }[kind]
    done = cli("import", kind, str(_sheet(tmp_path / f"{kind}.xlsx", rows)))
    if kind == "consultation":  # read from Excel, then checked like a CSV row
        assert "row 2, column consultation: unknown consultation 'nope'" in done.output
    else:
        assert done.exit_code == 0, done.output


def test_the_docs_show_each_tools_mapping_as_the_demo_imports_it() -> None:
    text = (Path(__file__).parents[1] / "docs" / "practice.md").read_text()
    for name, make in EXAMPLES.values():
        assert f"(`{name}`)" in text
        assert f"```yaml\n{make()[1]}```" in text, name


def test_a_surveymonkey_csv_with_a_multi_line_question_imports(examples, workbook, store, cli):
    export, mapping = examples["surveymonkey"]
    sheet = openpyxl.load_workbook(export).active
    rows = [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]
    assert "\n" in rows[0][9] and "," in rows[0][9]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = write(workbook.root / "monkey.csv", out.getvalue())
    done = cli("import", "survey", str(path), "--mapping", str(mapping))
    assert done.exit_code == 0, done.output
    assert len(store.ratings(project="discharge-workshops")) == ANSWERED


@pytest.mark.slow
def test_from_a_microsoft_forms_export_to_a_dashboard(examples, workbook, store, cli, tmp_path):
    """What docs/practice.md shows: draft a mapping, edit it, import, run the review."""
    export, _mapping = examples["msforms"]
    draft = tmp_path / "mapping.yaml"
    cli(
        "import",
        "survey",
        str(export),
        "--draft-mapping",
        "--framework",
        "healthwatch-six",
        "--project",
        "discharge-workshops",
        "--mapping",
        str(draft),
    )
    roles = "\n".join(f"    {answer!r}: {role}" for answer, role in ROLES.items())
    edited = draft.read_text().replace(
        "\nrole:\n", f'\nrole:\n  column: "{ROLE_QUESTION}"\n  values:\n{roles}\n'
    )
    write(draft, edited)
    assert cli("import", "survey", str(export), "--mapping", str(draft)).exit_code == 0
    done = cli("run", "--period", "2026Q3")
    assert done.exit_code == 0, done.output
    page = (workbook.root / "dashboards" / "2026Q3" / "discharge-workshops.html").read_text()
    words = page_words(page)
    assert "Healthwatch North Somerset" in words
    assert "6 people" in words, words[:2000]


def test_a_question_can_choose_the_project(examples, workbook, store, cli) -> None:
    store.add_project("staff-forum", "Staff forum", ["healthwatch-six"])
    export, mapping = examples["googleforms"]
    chooser = (
        f'project:\n  column: "{ROLE_QUESTION}"\n  values:\n'
        '    "I look after someone": discharge-workshops\n'
        '    "I use services": discharge-workshops\n'
        '    "I work for the service": staff-forum\n'
    )
    edited = _edit(mapping, "project: discharge-workshops\n", chooser)
    done = cli("import", "survey", str(export), "--mapping", str(edited))
    assert done.exit_code == 0, done.output
    staff = store.ratings(project="staff-forum")
    assert set(staff["role"]) == {"staff"} and len(staff["rater"].unique()) == 2
    assert "staff" not in set(store.ratings(project="discharge-workshops")["role"])
