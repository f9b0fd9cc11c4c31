"""Engagement activities: imported strictly (all or nothing), with reach by role and the
seldom-heard groups reached."""

from __future__ import annotations

import pytest

from coeval.exceptions import ImportError_
from coeval.practice.engagement import import_activities, method_id, reach_gaps
from tests.conftest import write

HEADER = "project,date,method,theme,carer,staff,new_participants,groups_reached,notes\n"


@pytest.fixture
def project(store):
    store.add_project("p1", "Project one", ["healthwatch-six"])


def test_activities_are_imported_with_reach_and_groups(workbook, store, project) -> None:
    path = write(
        workbook.root / "acts.csv",
        HEADER
        + "p1,2026-08-04,1:1 conversation,Discharge,1,,1,,\n"
        + 'p1,2026-09-10,Group visit,Respite,9,2,4,"young carers; Working carers",Met at the hub\n',
    )
    result = import_activities(workbook, store, path)
    assert result.stored == 2
    acts = store.table("activities").sort_values("held_on")
    assert acts["method"].tolist() == ["conversation", "group_visit"]
    assert acts["period"].tolist() == ["2026Q3", "2026Q3"]
    assert acts["participants"].tolist() == [1, 11]
    reach = store.table("activity_reach")
    assert sorted(zip(reach["role"], reach["count"], strict=True)) == [
        ("carer", 1),
        ("carer", 9),
        ("staff", 2),
    ]
    groups = set(store.table("activity_groups")["group_name"])
    assert groups == {"Young carers", "Working carers"}  # as the workbook spells them
    assert import_activities(workbook, store, path).stored == 0  # the same file again


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("p9,2026-08-04,letter,,1,,,,", "project", "unknown project 'p9'"),
        ("p1,04/08/2026,letter,,1,,,,", "date", "write it like 2026-07-14"),
        ("p1,2099-01-01,letter,,1,,,,", "date", "in the future"),
        ("p1,2026-08-04,carrier pigeon,,1,,,,", "method", "use one of: conversation"),
        ("p1,2026-08-04,letter,,two,,,,", "carer", "not a count"),
        ("p1,2026-08-04,letter,,,,,,", "carer", "nobody is counted"),
        ("p1,2026-08-04,letter,,2,,5,,", "new_participants", "more than the 2 people"),
        ("p1,2026-08-04,letter,,2,,,Astronauts,", "groups_reached", "add it to [engagement]"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_stored(
    workbook, store, project, line, column, message
) -> None:
    good = "p1,2026-08-04,letter,,3,,,,\n"
    path = write(workbook.root / "acts.csv", HEADER + good + line + "\n")
    with pytest.raises(ImportError_) as caught:
        import_activities(workbook, store, path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, column) and message in problem.message
    assert store.count("activities") == store.count("activity_reach") == 0


def test_methods_are_read_as_people_write_them() -> None:
    assert method_id("1:1") == method_id("One-to-one conversation") == "conversation"
    assert method_id("Stakeholder Meeting") == "stakeholder_meeting"
    assert method_id("Visit to an existing group") == "group_visit"
    assert method_id("séance") is None


def test_gaps_are_the_groups_nobody_reached() -> None:
    assert reach_gaps(["Young carers"], ["Young carers", "Rural communities"]) == [
        "Rural communities"
    ]
