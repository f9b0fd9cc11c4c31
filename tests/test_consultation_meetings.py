"""A meeting on a consultation's questions: views given on screens are stored once, refused
once closed, counted live, and go into the draft joint response."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from coeval.exceptions import MeetingError
from coeval.meeting.consultation import (
    configure_consultation,
    latest_view,
    save_view,
    view_spread,
    view_tally,
)
from coeval.meeting.facilitation import move_to
from coeval.meeting.meetings import Answer, close_meeting, open_meeting
from coeval.practice.consultations import ANSWER_WORDS, answers, load_consultations
from coeval.practice.response import draft_response
from coeval.widgets.facilitator import FacilitatorView
from coeval.widgets.participant import ParticipantView
from tests.conftest import member, write
from tests.test_consultations import QUESTIONS


@pytest.fixture
def consultations(workbook, store):
    store.add_project("p1", "Carers' network", ["healthwatch-six"])
    folder = workbook.consultations_dir
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "breaks.yaml", QUESTIONS)
    return load_consultations(folder)


def view(store, meeting, rater, score, question="right", comment="", key=None, consent=False):
    key = key or uuid.uuid4().hex
    person = member(store, meeting, rater)
    return Answer(
        meeting.code, "breaks-2026", question, person, "carer", score, comment, key, consent
    )


def test_views_are_stored_once_and_counted(store, consultations) -> None:
    breaks = consultations["breaks-2026"]
    meeting = open_meeting(store, "p1", "2026Q3", date(2026, 9, 1), consultation=breaks)
    assert meeting.consultation == "breaks-2026" and meeting.items == ("right", "online")
    given = view(store, meeting, "C1", 1, key="k1")
    assert save_view(store, given, breaks) is True
    assert save_view(store, given, breaks) is False  # a double click
    changed = view(store, meeting, "C1", 0, comment="Yes, fund cover", consent=True)
    save_view(store, changed, breaks)
    save_view(store, view(store, meeting, "C2", 4), breaks)
    assert view_tally(store, meeting).set_index("item")["answered"].to_dict() == {"right": 2}
    spread = view_spread(store, meeting, "right").set_index("answer")["people"]
    assert spread["Agree strongly"] == 1 and spread["Disagree strongly"] == 1
    c1 = member(store, meeting, "C1")
    assert latest_view(store, meeting, c1, "right") == (0, "Yes, fund cover", True)
    assert answers(store, "breaks-2026")["answer"].tolist() == [
        "agree_strongly",
        "disagree_strongly",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"score": 5}, "not one of the choices"),
        ({"score": None}, "not one of the choices"),
        ({"question": "nope"}, "not part of this meeting"),
        ({"comment": "x" * 1001}, "up to 1000 characters"),
    ],
)
def test_bad_views_are_refused(store, consultations, change, message) -> None:
    breaks = consultations["breaks-2026"]
    meeting = open_meeting(store, "p1", "2026Q3", date(2026, 9, 1), consultation=breaks)
    fields = {"score": 1, "question": "right", "comment": "", **change}
    with pytest.raises(MeetingError, match=message):
        save_view(
            store,
            view(store, meeting, "C1", fields["score"], fields["question"], fields["comment"]),
            breaks,
        )
    assert store.count("consultation_answers") == 0


def test_a_closed_consultation_meeting_refuses_views(store, consultations) -> None:
    breaks = consultations["breaks-2026"]
    meeting = open_meeting(store, "p1", "2026Q3", date(2026, 9, 1), consultation=breaks)
    close_meeting(store, meeting)
    with pytest.raises(MeetingError, match="closed"):
        save_view(store, view(store, meeting, "C1", 1), breaks)
    with pytest.raises(MeetingError, match="closed"):
        configure_consultation(store, meeting, breaks, ["right"], date(2026, 9, 1))


def test_a_consultation_meeting_on_the_screens(workbook, store, frameworks, consultations) -> None:
    meeting = open_meeting(
        store, "p1", "2026Q3", date(2026, 9, 1), framework=frameworks["healthwatch-six"]
    )
    chair = FacilitatorView(store, frameworks, meeting, consultations=consultations)
    chair.framework_pick.value = "consultation:breaks-2026"
    assert chair.mode.disabled and chair.mode.value == "votes"
    assert [label for label, _ in chair.scope.options] == [
        "The whole framework",
        "Questions I choose",
    ]
    chair.start_button.click()
    people = []
    for _n in range(8):  # enough people for the response to show where the group stands
        person = ParticipantView(store, frameworks, meeting.code, consultations)
        person.who.value = "carer"
        person.join_button.click()
        people.append(person)
    quiet = people.pop()  # gives a comment without agreeing to it being quoted
    quiet.comment.value = "My neighbour Mr Jones needs this"
    next(b for b in quiet.choices.children if b.coeval_label == "Agree").click()
    for other in people[1:]:
        next(b for b in other.choices.children if b.coeval_label == "Agree").click()
    person = people[0]
    assert person.consent in person.answer_box.children  # a consultation asks to quote
    person.consent.value = True
    assert "Every carer should have a right to a break." in person.question.value
    labels = [b.coeval_label for b in person.choices.children]
    assert labels == list(ANSWER_WORDS.values())
    person.comment.value = "Only if cover is funded"
    next(b for b in person.choices.children if b.coeval_label == "Agree").click()
    assert person.notice.kind == "ok" and "Agree" in person.notice.text
    chair.refresh()
    assert "8 people have answered" in chair.counts.value
    chair.reveal.click()
    assert "The most common answer was “Agree”" in chair.spread.value
    move_to(store, chair.meeting, 1)
    md, _ = draft_response(workbook, store, "breaks-2026", workbook.root / "out", "p1")
    text = md.read_text()
    assert "We agree." in text and "| Agree | 10 |" in text
    assert "Only if cover is funded" in text and "Jones" not in text
