"""The evidence library: imported strictly, linked to items, shown only with consent."""

from __future__ import annotations

import pytest

from coeval.exceptions import ImportError_
from coeval.practice.evidence import import_evidence, shown_text
from tests.conftest import write

HEADER = "project,period,item,method,text,consent_to_publish,recorded_at\n"


@pytest.fixture
def project(store):
    store.add_project("p1", "Project one", ["healthwatch-six", "making-it-real"])


def test_evidence_is_imported_and_linked_to_its_framework(
    workbook, store, frameworks, project
) -> None:
    path = write(
        workbook.root / "ev.csv",
        HEADER
        + 'p1,2026Q3,transparency,letter,"The papers came late, again.",yes,2026-08-01\n'
        + "p1,2026Q3,,1:1 conversation,Call me on 07700 900123,No,\n",
    )
    assert import_evidence(workbook, store, frameworks, path).stored == 2
    ev = store.table("evidence").sort_values("id")
    assert ev["framework_id"].tolist()[0] == "healthwatch-six"
    assert ev["method"].tolist() == ["letter", "conversation"]
    assert ev["consent_to_publish"].tolist() == [True, False]
    assert ev["text"].tolist()[1] == "Call me on 07700 900123"  # kept as given


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("p1,2026Q3,nope,letter,x,yes,", "item", "has an item 'nope'"),
        ("p1,2026Q3,,letter,x,maybe,", "consent_to_publish", "write yes or no"),
        ("p1,2026Q3,,letter,,yes,", "text", "is blank"),
        ("p1,2026Q9,,letter,x,yes,", "period", "2026Q9"),
        ("p1,2026Q3,,smoke signal,x,yes,", "method", "use one of"),
        ("p2,2026Q3,,letter,x,yes,", "project", "unknown project"),
        ("p1,2026Q3,,letter,x,yes,2099-01-01", "recorded_at", "in the future"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_stored(
    workbook, store, frameworks, project, line, column, message
) -> None:
    path = write(workbook.root / "ev.csv", HEADER + "p1,2026Q3,,letter,fine,yes,\n" + line + "\n")
    with pytest.raises(ImportError_) as caught:
        import_evidence(workbook, store, frameworks, path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, column) and message in problem.message
    assert store.count("evidence") == 0


def test_text_is_shown_only_with_consent_and_redacted() -> None:
    assert shown_text("Ring Jean on 07700 900123", False, ["Jean Smith"]) is None
    assert shown_text("Ring Jean on 07700 900123", True, ["Jean Smith"]) == (
        "Ring [name removed] on [phone removed]"
    )
