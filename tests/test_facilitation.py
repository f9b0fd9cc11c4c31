"""The facilitator's changes to a meeting: set-up, moving on, revealing, the group's answer,
attendance and actions; each refused with a plain message when it cannot be done."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from coeval.exceptions import MeetingError
from coeval.meeting.facilitation import (
    NewAction,
    add_action,
    attendance,
    choose_items,
    configure_meeting,
    group_answer,
    move_to,
    record_attendance,
    set_revealed,
    spread,
    summary,
)
from coeval.meeting.meetings import (
    Answer,
    close_meeting,
    find_meeting,
    open_meeting,
    save_answer,
    save_consensus,
)
from tests.conftest import member


@pytest.fixture
def hw6(frameworks):
    return frameworks["healthwatch-six"]


@pytest.fixture
def meeting(store, hw6):
    store.add_project("p1", "Project one", ["healthwatch-six"])
    return open_meeting(store, "p1", "2026Q3", date(2026, 9, 1), mode="consensus", framework=hw6)


def vote(store, meeting, hw6, rater, score, item=None, role="carer"):
    item = item or meeting.items[0]
    person = member(store, meeting, rater, role)
    given = Answer(meeting.code, hw6.id, item, person, role, score, "", uuid.uuid4().hex)
    return save_answer(store, given, hw6)


def test_coverage_is_the_framework_a_section_or_chosen_items_in_order(hw6) -> None:
    assert choose_items(hw6) == [i.id for i in hw6.items]
    section = hw6.sections[1]
    assert choose_items(hw6, section=section.id) == [i.id for i in section.items]
    last, first = hw6.items[-1].id, hw6.items[0].id
    assert choose_items(hw6, items=[last, first]) == [first, last]
    with pytest.raises(MeetingError, match="'nope' is not part of"):
        choose_items(hw6, items=["nope"])
    with pytest.raises(MeetingError, match="no section 'nope'"):
        choose_items(hw6, section="nope")


def test_set_up_is_fixed_once_the_meeting_starts(store, meeting, hw6) -> None:
    items = choose_items(hw6)[:2]
    configured = configure_meeting(store, meeting, hw6, items, date(2026, 9, 2), "Access")
    assert configured.items == tuple(items) and configured.theme == "Access"
    assert not configured.started and configured.current_item is None
    started = move_to(store, configured, 0)
    assert started.current_item == items[0]
    with pytest.raises(MeetingError, match="has started"):
        configure_meeting(store, started, hw6, items, date(2026, 9, 2))
    with pytest.raises(MeetingError, match="there are 2 questions"):
        move_to(store, started, 2)


def test_answers_outside_the_meeting_or_as_the_group_are_refused(store, meeting, hw6) -> None:
    configure_meeting(store, meeting, hw6, [hw6.items[0].id], date(2026, 9, 1), mode="consensus")
    with pytest.raises(MeetingError, match="not part of this meeting"):
        vote(store, meeting, hw6, "C1", 2, item=hw6.items[1].id)
    with pytest.raises(MeetingError, match="choose who you are"):
        vote(store, meeting, hw6, "C1", 2, role="group")
    assert store.count("ratings") == 0


def test_the_spread_counts_each_persons_latest_answer(store, meeting, hw6) -> None:
    move_to(store, meeting, 0)
    vote(store, meeting, hw6, "C1", 1)
    vote(store, meeting, hw6, "C1", 3)  # changed their mind
    vote(store, meeting, hw6, "C2", 3)
    vote(store, meeting, hw6, "S1", None, role="staff")
    table = spread(store, meeting, hw6, meeting.items[0]).set_index("answer")["people"]
    assert table.to_dict() == {
        "Not yet": 0,
        "Starting": 0,
        "Developing": 0,
        "Established": 2,
        "Embedded": 0,
        "Don't know": 1,
    }
    shown = set_revealed(store, meeting, True)
    assert shown.revealed and not move_to(store, shown, 1).revealed  # hidden on the next item


def test_the_group_answer_is_recorded_once_and_only_in_consensus_meetings(
    store, meeting, hw6
) -> None:
    item = meeting.items[0]
    assert save_consensus(store, meeting, hw6, item, 3, "agreed", "k1") is True
    assert save_consensus(store, meeting, hw6, item, 3, "agreed", "k1") is False
    assert group_answer(store, meeting, hw6, item) == "Established"
    votes = open_meeting(store, "p1", "2026Q3", date(2026, 9, 1), framework=hw6)
    with pytest.raises(MeetingError, match="individual answers"):
        save_consensus(store, votes, hw6, item, 3, "", "k2")
    done = summary(store, meeting)
    assert (done.people, done.agreed) == (0, 1)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"boss": 1}, "'boss' is not a role"),
        ({"carer": -1}, "whole number, 0 to 1000"),
        ({"carer": 2.5}, "whole number"),
        ({"group": 1}, "'group' is not a role"),
    ],
)
def test_bad_attendance_is_refused(store, meeting, counts, message) -> None:
    record_attendance(store, meeting, {"carer": 4})
    with pytest.raises(MeetingError, match=message):
        record_attendance(store, meeting, counts)
    assert attendance(store, meeting) == {"carer": 4}


def test_attendance_recorded_again_replaces_the_counts(store, meeting) -> None:
    record_attendance(store, meeting, {"carer": 4, "staff": 1})
    record_attendance(store, meeting, {"carer": 5, "staff": 0})
    assert attendance(store, meeting) == {"carer": 5}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"said": " "}, "what people said"),
        ({"action": ""}, "what will be done"),
        ({"owner_role": "Jane Smith"}, "a role, never a person's name"),
        ({"action": "x" * 2001}, "up to 2000 characters"),
        ({"item": "nope"}, "not part of this meeting"),
    ],
)
def test_bad_actions_are_refused(store, meeting, hw6, change, message) -> None:
    fields = {"said": "Too late", "action": "Send earlier", "owner_role": "staff", **change}
    with pytest.raises(MeetingError, match=message):
        add_action(store, meeting, hw6, NewAction(**fields))
    assert store.count("actions") == 0


def test_a_closed_meeting_refuses_every_change(store, meeting, hw6) -> None:
    move_to(store, meeting, 0)
    close_meeting(store, meeting)
    closed = find_meeting(store, meeting_id=meeting.id)
    assert closed.current_item is None
    attempts = [
        lambda: move_to(store, closed, 1),
        lambda: set_revealed(store, closed, True),
        lambda: record_attendance(store, closed, {"carer": 1}),
        lambda: add_action(store, closed, hw6, NewAction("a", "b", "staff")),
        lambda: save_consensus(store, closed, hw6, closed.items[0], 2, "", "k"),
    ]
    for attempt in attempts:
        with pytest.raises(MeetingError, match="closed"):
            attempt()
    assert store.count("actions") == store.count("attendance") == store.count("ratings") == 0
