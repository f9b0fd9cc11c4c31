"""Meetings: join codes, answers saved once and only while the meeting is open, many writers."""

from __future__ import annotations

import multiprocessing
import uuid
from datetime import date

import pytest

from coeval.config import Workbook
from coeval.exceptions import MeetingError, NotFoundError
from coeval.meeting.meetings import (
    CODE_ALPHABET,
    Answer,
    answers_count,
    close_meeting,
    find_meeting,
    open_meeting,
    save_answer,
    tally,
)
from coeval.meeting.people import join_meeting
from coeval.report import score_project
from coeval.store import Store
from tests.conftest import member


@pytest.fixture
def meeting(store: Store):
    store.add_project("p1", "Project one", ["healthwatch-six", "making-it-real"])
    return open_meeting(store, "p1", "2026Q3", date(2026, 9, 1), "Transparency")


def answer(store, meeting, item="transparency", rater="C1", score=3, key=None, **extra) -> Answer:
    role = extra.pop("role", "carer")
    return Answer(
        meeting.code,
        extra.pop("framework", "healthwatch-six"),
        item,
        member(store, meeting, rater, role),
        role,
        score,
        extra.pop("comment", ""),
        key or uuid.uuid4().hex,
    )


def test_a_meeting_has_a_short_code_people_can_type(store: Store, meeting) -> None:
    assert len(meeting.code) == 6 and set(meeting.code) <= set(CODE_ALPHABET)
    typed = " " + "-".join([meeting.code[:3].lower(), meeting.code[3:]]) + " "
    assert find_meeting(store, code=typed).id == meeting.id
    with pytest.raises(NotFoundError, match="no meeting with that code"):
        find_meeting(store, code="ZZZZZZ")


def test_an_answer_is_stored_once_however_often_it_is_sent(store, meeting, frameworks) -> None:
    hw6 = frameworks["healthwatch-six"]
    given = answer(store, meeting, key="click-1")
    assert save_answer(store, given, hw6) is True
    assert save_answer(store, given, hw6) is False  # a double click or a retried save
    assert answers_count(store, meeting) == 1
    changed = answer(store, meeting, score=1, key="click-2")  # changing one's mind: history kept
    assert save_answer(store, changed, hw6) is True
    ratings = store.ratings(project="p1")
    assert ratings["score"].tolist() == [3.0, 1.0] and ratings["meeting_id"].nunique() == 1
    counted = tally(store, meeting)
    assert counted.set_index("item").loc["transparency", "answered"] == 1


def test_dont_know_and_comments_are_kept_as_given(store, meeting, frameworks) -> None:
    text = '<script>alert("x")</script> & "quotes"'
    save_answer(
        store, answer(store, meeting, score=None, comment=text), frameworks["healthwatch-six"]
    )
    row = store.ratings(project="p1").iloc[0]
    assert row["dont_know"] and row["note"] == text  # stored as text; pages escape it


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"score": 5}, "not one of the choices"),
        ({"score": -1}, "not one of the choices"),
        ({"score": True}, "not one of the choices"),
        ({"item": "nope"}, "not part of this meeting"),
        ({"role": "boss"}, "choose who you are"),
        ({"rater": "Jane Smith"}, "join the meeting again"),
        ({"comment": "x" * 1001}, "up to 1000 characters"),
        ({"key": ""}, "could not be saved"),
        ({"framework": "ladder", "item": "ladder-step"}, "not part of this meeting"),
    ],
)
def test_tampered_or_bad_answers_are_refused_and_change_nothing(
    store, meeting, frameworks, change, message
) -> None:
    fw = frameworks[change.get("framework", "healthwatch-six")]
    joined = member(store, meeting, "C1")
    fields = {"item": "transparency", "rater": joined, "score": 3, "key": "k", **change}
    given = Answer(
        meeting.code,
        fw.id,
        fields["item"],
        fields["rater"],
        fields.get("role", "carer"),
        fields["score"],
        fields.get("comment", ""),
        fields["key"],
    )
    before = (store.count("ratings"), store.count("participants"))
    with pytest.raises(MeetingError, match=message):
        save_answer(store, given, fw)
    assert (store.count("ratings"), store.count("participants")) == before


def test_a_closed_meeting_refuses_every_write(store, meeting, frameworks) -> None:
    save_answer(store, answer(store, meeting), frameworks["healthwatch-six"])
    close_meeting(store, meeting)
    with pytest.raises(MeetingError, match="meeting has closed"):
        save_answer(store, answer(store, meeting, rater="C2"), frameworks["healthwatch-six"])
    with pytest.raises(MeetingError, match="already closed"):
        close_meeting(store, meeting)
    assert answers_count(store, meeting) == 1
    unknown = Answer("QQQQQQ", "healthwatch-six", "transparency", "C3", "carer", 2, "", "k9")
    with pytest.raises(MeetingError, match="no meeting with that code"):
        save_answer(store, unknown, frameworks["healthwatch-six"])


def _participant(url: str, code: str, person: int, items: list[str]) -> None:
    from coeval.frameworks import builtin_frameworks

    mir = builtin_frameworks()["making-it-real"]
    role = "carer" if person % 2 else "staff"
    with Store.open(url) as store:
        rater = join_meeting(store, code, role).rater
        for n, item in enumerate(items):
            given = Answer(
                code,
                "making-it-real",
                item,
                rater,
                role,
                n % 5,
                "",
                f"{code}-{rater}-{item}",
            )
            save_answer(store, given, mir)
            save_answer(store, given, mir)  # the same answer sent again


@pytest.mark.slow
def test_twenty_people_answering_thirty_items_at_once_lose_and_duplicate_nothing(
    workbook: Workbook, store: Store, frameworks
) -> None:
    store.add_project("p1", "Project one", ["making-it-real"])
    meeting = open_meeting(store, "p1", "2026Q3", date(2026, 9, 1))
    items = [item.id for item in frameworks["making-it-real"].items][:30]
    spawn = multiprocessing.get_context("spawn")
    people = [
        spawn.Process(target=_participant, args=(workbook.db_url, meeting.code, p, items))
        for p in range(20)
    ]
    for process in people:
        process.start()
    for process in people:
        process.join(timeout=300)
        assert process.exitcode == 0
    ratings = store.ratings(project="p1")
    assert len(ratings) == 600
    assert not ratings.duplicated(["rater", "item"]).any()
    counted = tally(store, meeting)
    assert counted["answered"].tolist() == [20] * 30
    doc = score_project(workbook, "p1", "2026Q3", "making-it-real")
    scored = [i for s in doc["sections"] for i in s["items"] if i["id"] in items]
    assert all(i["n_raters"] == 20 and not i["one_voice"] for i in scored)
