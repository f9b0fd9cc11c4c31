"""Import is strict and all-or-nothing; export is safe to open in a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from coeval import scoring
from coeval.config import Workbook
from coeval.exceptions import ImportError_
from coeval.frameworks import load_frameworks
from coeval.ingest.export import export_frame, neutralise, write_export
from coeval.ingest.ratings import import_ratings
from coeval.store import Store
from tests.conftest import write

HEADER = "project,period,framework,item,rater,role,score,note,recorded_at\n"
GOOD_ROW = "p1,2026Q3,healthwatch-six,transparency,C001,carer,3,Clear papers,2026-07-14T10:30:00\n"


@pytest.fixture
def ready(workbook: Workbook, store: Store):
    store.add_project("p1", "Project one", ["healthwatch-six", "ladder"])
    store.add_project("007", "Project seven", ["healthwatch-six"])
    frameworks = load_frameworks(workbook.frameworks_dir)

    def run(path: Path):
        return import_ratings(workbook, store, frameworks, path)

    return run


def snapshot(store: Store, workbook: Workbook) -> tuple:
    kept = sorted(p.name for p in workbook.imports_dir.iterdir())
    return (
        store.count("ratings"),
        store.count("imports"),
        store.count("participants"),
        store.count("audit"),
        kept,
    )


def refused(ready, store: Store, workbook: Workbook, path: Path) -> list[str]:
    """Import, expect a refusal that changes nothing, and return its lines."""
    before = snapshot(store, workbook)
    with pytest.raises(ImportError_) as caught:
        ready(path)
    assert snapshot(store, workbook) == before
    return caught.value.lines()


def test_a_good_file_is_stored_and_kept_as_received(ready, store, workbook, tmp_path) -> None:
    raw = HEADER + GOOD_ROW + "p1,2026Q3,healthwatch-six,built-in,S001,staff,dont_know,,\n"
    path = write(tmp_path / "ratings.csv", raw.encode("utf-8"))
    result = ready(path)
    assert result.stored == 2
    kept = Path(result.kept_as)
    assert kept.parent == workbook.imports_dir and kept.read_bytes() == raw.encode("utf-8")
    frame = store.ratings()
    assert list(frame["rater"]) == ["S001", "C001"] or set(frame["rater"]) == {"C001", "S001"}
    assert frame.loc[frame["rater"] == "S001", "dont_know"].item()
    imports = store.table("imports")
    assert imports["row_count"].tolist() == [2]


def test_the_same_content_twice_is_a_no_op(ready, store, workbook, tmp_path) -> None:
    first = ready(write(tmp_path / "a.csv", HEADER + GOOD_ROW))
    again = ready(write(tmp_path / "renamed.csv", HEADER + GOOD_ROW))
    assert again.stored == 0 and again.already_imported_at is not None
    assert again.import_id == first.import_id
    assert store.count("ratings") == 1 and store.count("imports") == 1


def test_cells_are_text_007_stays_007(ready, store, tmp_path) -> None:
    path = write(tmp_path / "r.csv", HEADER + "007,2026Q3,healthwatch-six,built-in,007,carer,4,,\n")
    ready(path)
    frame = store.ratings()
    assert frame["project"].tolist() == ["007"] and frame["rater"].tolist() == ["007"]


def test_utf8_with_bom_and_windows_line_endings(ready, store, tmp_path) -> None:
    raw = "\ufeff" + (HEADER + GOOD_ROW).replace("\n", "\r\n")
    ready(write(tmp_path / "bom.csv", raw.encode("utf-8")))
    assert store.count("ratings") == 1


def test_optional_columns_may_be_left_out_and_columns_reordered(ready, store, tmp_path) -> None:
    text = (
        "Score, Rater ,role,item,framework,period,project\n"
        "4,C9,carer,built-in,healthwatch-six,2026Q3,p1\n"
    )
    ready(write(tmp_path / "short.csv", text))
    assert store.ratings()["score"].tolist() == [4.0]


def test_quoted_cells_may_hold_commas_and_new_lines(ready, store, tmp_path) -> None:
    text = (
        HEADER + 'p1,2026Q3,healthwatch-six,built-in,C1,carer,2,"Late papers, again\nand again",\n'
    )
    ready(write(tmp_path / "q.csv", text))
    assert store.ratings()["note"].tolist() == ["Late papers, again\nand again"]


def test_blank_rows_are_skipped_and_counted(ready, tmp_path) -> None:
    result = ready(write(tmp_path / "b.csv", HEADER + GOOD_ROW + ",,,,,,,,\n\n"))
    assert result.stored == 1 and result.blank_rows == 2


def test_times_without_a_zone_are_uk_local_and_stored_as_utc(ready, store, tmp_path) -> None:
    text = (
        HEADER
        + GOOD_ROW
        + GOOD_ROW.replace("C001", "C002").replace("2026-07-14T10:30:00", "2026-07-14T10:30:00Z")
    )
    ready(write(tmp_path / "t.csv", text))
    times = store.ratings().set_index("rater")["recorded_at"]
    assert str(times["C001"]) == "2026-07-14 09:30:00"  # British Summer Time is UTC+1
    assert str(times["C002"]) == "2026-07-14 10:30:00"


# -- the bad-input suite: each refused with its row named, and nothing changed ----------------


def test_cp1252_file(ready, store, workbook, tmp_path) -> None:
    raw = (HEADER + GOOD_ROW.replace("Clear papers", "Café was 5£")).encode("cp1252")
    lines = refused(ready, store, workbook, write(tmp_path / "win.csv", raw))
    assert lines == [
        f"{tmp_path / 'win.csv'}, row 2: is not UTF-8 text (byte 0xe9); the file was "
        "probably saved as Windows or plain 'CSV'. Save it again as 'CSV UTF-8 "
        "(comma delimited)'"
    ]


def test_binary_file(ready, store, workbook, tmp_path) -> None:
    lines = refused(ready, store, workbook, write(tmp_path / "x.csv", bytes(range(256))))
    assert "is not a text file" in lines[0]


def test_spreadsheet_saved_with_a_csv_name(ready, store, workbook, tmp_path) -> None:
    lines = refused(ready, store, workbook, write(tmp_path / "x.csv", b"PK\x03\x04rest-of-zip"))
    assert "is a spreadsheet file, not CSV" in lines[0]


@pytest.mark.parametrize("content", ["", "\ufeff", "\n\n  \n"])
def test_empty_file(ready, store, workbook, tmp_path, content: str) -> None:
    lines = refused(ready, store, workbook, write(tmp_path / "e.csv", content))
    assert "is empty" in lines[0]


def test_header_only(ready, store, workbook, tmp_path) -> None:
    lines = refused(ready, store, workbook, write(tmp_path / "h.csv", HEADER))
    assert "has a header but no rows" in lines[0]


def test_missing_file(ready, store, workbook, tmp_path) -> None:
    assert "file not found" in refused(ready, store, workbook, tmp_path / "nope.csv")[0]


def test_extra_and_missing_columns(ready, store, workbook, tmp_path) -> None:
    text = "project,period,framework,item,rater,role,scor,comments\n"
    lines = refused(ready, store, workbook, write(tmp_path / "c.csv", text + "a,b,c,d,e,f,g,h\n"))
    path = tmp_path / "c.csv"
    assert (
        f"{path}, row 1, column scor: unknown column; the columns are: project, period, "
        "framework, item, rater, role, score, note, recorded_at" in lines
    )
    assert any("column comments: unknown column" in line for line in lines)
    assert f"{path}, row 1, column score: column is missing; add it to the header row" in lines


def test_a_column_twice(ready, store, workbook, tmp_path) -> None:
    text = HEADER.strip() + ",score\n" + GOOD_ROW.strip() + ",4\n"
    assert (
        "column score: column appears twice"
        in refused(ready, store, workbook, write(tmp_path / "d.csv", text))[0]
    )


def test_ragged_rows(ready, store, workbook, tmp_path) -> None:
    text = (
        HEADER
        + GOOD_ROW
        + "p1,2026Q3,healthwatch-six,built-in,C2,carer,3\n"
        + GOOD_ROW.strip()
        + ",extra\n"
    )
    lines = refused(ready, store, workbook, write(tmp_path / "r.csv", text))
    assert lines[0].endswith(
        "row 3: has 7 cells but the header has 9; check for a stray comma or a missing cell"
    )
    assert "row 4: has 10 cells" in lines[1]


def test_a_broken_quote_names_the_row(ready, store, workbook, tmp_path) -> None:
    text = HEADER + GOOD_ROW + 'p1,2026Q3,healthwatch-six,built-in,C2,carer,3,"unclosed,\n'
    lines = refused(ready, store, workbook, write(tmp_path / "q.csv", text))
    assert "row 3" in lines[0] and "quotes" in lines[0]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"score": "NA"},
            "score",
            "'NA' is not a score; use a whole number from 0 to 4, or dont_know",
        ),
        (
            {"score": "5"},
            "score",
            "5 is above the top of the scale; use a whole number from 0 to 4",
        ),
        ({"score": "-1"}, "score", "'-1' is not a score"),
        ({"score": "2.5"}, "score", "'2.5' is not a score"),
        ({"score": "three"}, "score", "'three' is not a score"),
        ({"score": ""}, "score", "is blank; every rating needs a score"),
        (
            {"project": "nope"},
            "project",
            "unknown project 'nope' (known projects: 007, p1); add it "
            "with `coeval project add nope --name NAME`",
        ),
        (
            {"framework": "nope"},
            "framework",
            "unknown framework 'nope'; use one of: carers-space-notts, healthwatch-six, "
            "ladder, making-it-real, scie-four",
        ),
        (
            {"framework": "making-it-real", "item": "workforce-i1"},
            "framework",
            "project 'p1' does not use 'making-it-real'; it uses: healthwatch-six, ladder",
        ),
        (
            {"item": "transparancy"},
            "item",
            "'healthwatch-six' has no item 'transparancy'; did you mean 'transparency'?",
        ),
        (
            {"role": "manager"},
            "role",
            "'manager' is not a role; use one of: carer, "
            "person_using_services, family_member, volunteer, staff, "
            "partner, commissioner, group",
        ),
        ({"rater": "Jane Smith"}, "rater", "'Jane Smith' is not a pseudonymous id"),
        ({"rater": "jane@example.org"}, "rater", "never a name or email address"),
        ({"period": "2026Q5"}, "period", "period '2026Q5' is not a quarter label"),
        ({"period": "2026/27 Q2"}, "period", "this workbook uses calendar quarters"),
        (
            {"recorded_at": "2026-02-30"},
            "recorded_at",
            "'2026-02-30' is not a date; write it like 2026-07-14",
        ),
        ({"recorded_at": "14/07/2026"}, "recorded_at", "is not a date"),
        ({"recorded_at": "2099-01-01"}, "recorded_at", "'2099-01-01' is in the future"),
        ({"note": "x" * 2001}, "note", "is 2001 characters; keep notes to 2000 or fewer"),
    ],
)
def test_one_bad_row_among_many_is_named_and_nothing_is_stored(
    ready, store, workbook, tmp_path, cells: dict[str, str], column: str, message: str
) -> None:
    names = HEADER.strip().split(",")
    good = dict(zip(names, GOOD_ROW.strip().split(","), strict=True))
    rows = [dict(good, rater=f"C{n:03d}") for n in range(40)]
    rows[17] = {**rows[17], **cells}
    text = HEADER + "".join(",".join(row[n] for n in names) + "\n" for row in rows)
    lines = refused(ready, store, workbook, write(tmp_path / "many.csv", text))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{tmp_path / 'many.csv'}, row 19, column {column}: ")
    assert message in lines[0]


def test_a_ladder_step_goes_from_one_to_seven(ready, store, workbook, tmp_path) -> None:
    text = HEADER + "p1,2026Q3,ladder,ladder-step,C1,carer,7,,\n"
    ready(write(tmp_path / "l.csv", text))
    assert store.ratings()["score"].tolist() == [7.0]
    bottom = HEADER + "p1,2026Q3,ladder,ladder-step,C2,carer,0,,\n"
    lines = refused(ready, store, workbook, write(tmp_path / "l0.csv", bottom))
    assert "0 is below the bottom of the scale; use a whole number from 1 to 7" in lines[0]


def test_every_failing_row_is_listed(ready, store, workbook, tmp_path) -> None:
    text = HEADER + GOOD_ROW + GOOD_ROW.replace(",3,", ",NA,") + GOOD_ROW.replace("carer", "boss")
    lines = refused(ready, store, workbook, write(tmp_path / "two.csv", text))
    assert [line.split(": ")[0].split(", ", 1)[1] for line in lines] == [
        "row 3, column score",
        "row 4, column role",
    ]


def test_a_financial_year_workbook_reads_its_own_labels(workbook, store, tmp_path) -> None:
    workbook.config_path.write_text('[workbook]\nperiod_scheme = "financial"\n')
    book = Workbook.open(workbook.root)
    store.add_project("p1", "One", ["healthwatch-six"])
    text = HEADER + GOOD_ROW.replace("2026Q3", "2026-27 q2")
    import_ratings(
        book, store, load_frameworks(book.frameworks_dir), write(tmp_path / "f.csv", text)
    )
    assert store.ratings()["period"].tolist() == ["2026/27 Q2"]


# -- export ---------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised(start: str) -> None:
    assert neutralise(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert neutralise("plain") == "plain" and neutralise(3) == 3


def _export_ready(ready, store, tmp_path) -> pd.DataFrame:
    text = (
        HEADER
        + GOOD_ROW.replace("Clear papers", '=HYPERLINK("http://x")')
        + GOOD_ROW.replace("C001", "C002")
        .replace(",3,", ",dont_know,")
        .replace("Clear papers", "@cmd|' /C calc'!A0")
        + GOOD_ROW.replace("2026-07-14T10:30:00", "2026-07-15T10:30:00")
        .replace(",3,", ",1,")
        .replace("Clear papers", '"-2 points, changed my mind"')
    )
    ready(write(tmp_path / "in.csv", text))
    return store.ratings()


def test_export_to_xlsx_has_no_formulas_and_numeric_scores(ready, store, tmp_path) -> None:
    frame = export_frame(_export_ready(ready, store, tmp_path))
    out = write_export(frame, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(out).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    scores = [row[header.index("score")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(scores, key=str) == [1, 3, "dont_know"]
    notes = {row[header.index("note")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert notes == {
        '\'=HYPERLINK("http://x")',
        "'@cmd|' /C calc'!A0",
        "'-2 points, changed my mind",
    }


def test_export_csv_round_trips_into_a_new_workbook(ready, store, workbook, tmp_path) -> None:
    ratings = _export_ready(ready, store, tmp_path)
    out = write_export(export_frame(ratings), tmp_path / "out.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    other = Workbook.open(Path(str(workbook.root)), db=str(tmp_path / "other.db"))
    with Store.open(other.db_url) as second:
        second.add_project("p1", "Project one", ["healthwatch-six", "ladder"])
        import_ratings(other, second, load_frameworks(other.frameworks_dir), out)
        again = second.ratings()
    cat = scoring.catalogue(load_frameworks(None).values())
    left = scoring.score(ratings, cat).items[["item", "score", "n_raters", "dont_know"]]
    right = scoring.score(again, cat).items[["item", "score", "n_raters", "dont_know"]]
    pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True))
    assert again["recorded_at"].tolist() == ratings["recorded_at"].tolist()


def test_export_latest_only(ready, store, tmp_path) -> None:
    ratings = _export_ready(ready, store, tmp_path)
    assert len(export_frame(ratings)) == 3
    latest = export_frame(ratings, latest_only=True)
    assert sorted(latest["score"], key=str) == [1, "dont_know"]


def test_export_refuses_unknown_types_and_missing_folders(tmp_path) -> None:
    from coeval.exceptions import CoevalError

    with pytest.raises(CoevalError, match=r"ending \.csv or \.xlsx"):
        write_export(pd.DataFrame(), tmp_path / "out.json")
    with pytest.raises(CoevalError, match="does not exist"):
        write_export(pd.DataFrame(), tmp_path / "no" / "out.csv")
