"""The meeting screens' logic, driven without a browser: widgets are set and buttons clicked
as a person would, and the store is checked after each step."""

from __future__ import annotations

from datetime import date

import ipywidgets as w
import pytest

from coeval.meeting.facilitation import attendance, meeting_actions
from coeval.meeting.meetings import find_meeting, open_meeting
from coeval.store import Store
from coeval.vocabulary import DEFAULT_VOICES, ROLE_WORDS
from coeval.widgets.app import ENV_DIGESTS, ENV_JOIN, ENV_MEETING, key_digest, meeting_app
from coeval.widgets.entry import EntryView
from coeval.widgets.facilitator import FacilitatorView
from coeval.widgets.participant import ParticipantView


@pytest.fixture
def room(store: Store, frameworks):
    store.add_project("p1", "Carers' hub", ["healthwatch-six", "making-it-real"])
    meeting = open_meeting(
        store, "p1", "2026Q3", date(2026, 9, 1), framework=frameworks["healthwatch-six"]
    )
    return meeting


def joined(store, frameworks, meeting, role="carer", rejoin=""):
    person = ParticipantView(store, frameworks, code=meeting.code.lower())
    person.who.value = role
    person.rejoin.value = rejoin
    person.join_button.click()
    return person


def texts(widget) -> str:
    """Every piece of text a screen shows, for checking what a person would read."""
    parts = []
    for attr in ("value", "description"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            parts.append(value)
    for child in getattr(widget, "children", ()):
        parts.append(texts(child))
    return "\n".join(parts)


def html_shown(widget) -> str:
    """The HTML a screen draws (text boxes hold what was typed, as text)."""
    own = widget.value if isinstance(widget, w.HTML) else ""
    return own + "".join(html_shown(c) for c in getattr(widget, "children", ()))


def choice(person: ParticipantView, label: str) -> w.Button:
    return next(b for b in person.choices.children if b.coeval_label == label)


def test_a_whole_meeting_from_setup_to_close(store, frameworks, room) -> None:
    chair = FacilitatorView(store, frameworks, room, "http://127.0.0.1:8867/")
    shown = texts(chair.header)
    assert room.code[:3] in shown and "http://127.0.0.1:8867/" in shown and "<svg" in shown
    ann = joined(store, frameworks, room, "carer")
    bob = joined(store, frameworks, room, "staff")
    assert "Waiting for the facilitator" in texts(ann.answer_box)

    chair.theme.value = "Being heard"
    chair.mode.value = "consensus"
    chair.start_button.click()
    meeting = find_meeting(store, meeting_id=room.id)
    assert meeting.started and meeting.mode == "consensus" and meeting.theme == "Being heard"
    first = meeting.items[0]

    ann.refresh()
    bob.refresh()
    assert frameworks["healthwatch-six"].item(first).question in ann.question.value
    choice(ann, "Developing").click()
    choice(ann, "Developing").click()  # a double click stores it once
    assert ann.notice.kind == "ok" and "Developing" in ann.notice.text
    assert "✓ Developing" in [b.description for b in ann.choices.children]
    ann.comment.value = "<b>Papers</b> come too late"
    ann.comment_button.click()
    choice(bob, "Don't know").click()
    chair.refresh()
    assert "2 people have answered" in chair.counts.value and "1 said" in chair.counts.value

    assert "Everyone's answers" not in ann.revealed.value  # hidden until shown
    chair.reveal.click()
    ann.refresh()
    assert "Everyone's answers" in ann.revealed.value
    assert "<b>Papers" not in html_shown(ann.root)  # typed text is never shown as HTML

    chair.agreed.value = 2
    chair.agreed_note.value = "Agreed after discussion"
    chair.record_consensus()
    chair.record_consensus()  # clicked twice: stored once
    assert "Developing" in chair.agreed_status.value

    chair.said.value = "Papers come the night before"
    chair.action.value = "Send papers a week before, in large print on request"
    chair.owner.value = "staff"
    chair.due.value = date(2026, 10, 1)
    chair.add_action()
    chair.add_action()  # a second click on the cleared form adds nothing
    for role, box in chair.attending.items():
        box.value = {"carer": 6, "staff": 2}.get(role, 0)
    chair.save_attendance()

    chair.next.click()
    ann.refresh()
    assert ann.item == meeting.items[1] and ann.notice.kind == ""

    chair.close()
    assert "The meeting has closed" in texts(chair.running)
    assert all(b.disabled for b in chair.actions_box.children if isinstance(b, w.Button))
    assert ann.refresh() is False and "has closed" in texts(ann.answer_box)

    ratings = store.ratings(project="p1")
    votes = ratings[ratings["role"] != "group"]
    assert len(votes) == 3  # Ann's answer, Ann's comment (a new row), Bob's don't know
    assert votes["note"].dropna().tolist() == ["<b>Papers</b> come too late"]
    group = ratings[ratings["role"] == "group"]
    assert group["score"].tolist() == [2.0] and group["note"].tolist() == [
        "Agreed after discussion"
    ]
    actions = meeting_actions(store, room)
    assert len(actions) == 1 and actions.iloc[0]["item"] == first
    assert attendance(store, room) == {"carer": 6, "staff": 2}


def test_only_a_rejoin_code_brings_a_person_back_as_themselves(store, frameworks, room) -> None:
    first = joined(store, frameworks, room)
    code = first.member.rejoin_code
    assert code and first.member.rejoin_words in first.rejoin_note.value
    assert code not in first.rater and first.rejoin.value == ""  # nothing left on screen
    again = joined(store, frameworks, room, role="", rejoin=code.lower()[:4] + " " + code[4:])
    other = joined(store, frameworks, room)
    assert first.rater == again.rater != other.rater
    assert "rejoined as a carer" in again.notice.text
    # only a digest of the code is kept
    assert code not in store.table("meeting_people").to_csv()


def test_a_rejoin_keeps_the_first_role_and_a_wrong_code_shows_nothing(
    store, frameworks, room
) -> None:
    FacilitatorView(store, frameworks, room).start_button.click()
    ann = joined(store, frameworks, room, "carer")
    ann.comment.value = "My private worry about my mum"
    choice(ann, "Starting").click()
    # someone who guesses: a wrong code shows nobody's answer, and they cannot go on guessing
    guesser = joined(store, frameworks, room, "staff", rejoin="AAAA2222")
    assert guesser.notice.kind == "problem" and "not right" in guesser.notice.text
    assert guesser.member is None and "worry" not in texts(guesser.root)
    for _ in range(5):
        guesser.rejoin.value = "BBBB3333"
        guesser.join_button.click()
    guesser.rejoin.value = ann.member.rejoin_code
    guesser.join_button.click()
    assert "too many wrong rejoin codes" in guesser.notice.text and guesser.member is None
    # the same person, choosing another role, stays a carer
    back = joined(store, frameworks, room, "staff", rejoin=ann.member.rejoin_code)
    assert back.role == "carer" and back.rater == ann.rater
    # a rating in another role than the one joined in is refused by the store itself
    from coeval.meeting.meetings import Answer, save_answer

    forged = Answer(room.code, "healthwatch-six", back.item, ann.rater, "staff", 4, "", "k1")
    with pytest.raises(Exception, match="join the meeting again"):
        save_answer(store, forged, frameworks["healthwatch-six"])
    stranger = Answer(room.code, "healthwatch-six", back.item, "m1-made-up", "carer", 4, "", "k2")
    with pytest.raises(Exception, match="join the meeting again"):
        save_answer(store, stranger, frameworks["healthwatch-six"])


def test_a_rejoining_person_sees_the_answer_they_gave(store, frameworks, room) -> None:
    FacilitatorView(store, frameworks, room).start_button.click()
    before = joined(store, frameworks, room)
    before.comment.value = "Too late"
    choice(before, "Starting").click()
    after = joined(store, frameworks, room, rejoin=before.member.rejoin_code)  # a reload
    assert "✓ Starting" in [b.description for b in after.choices.children]
    assert after.comment.value == "Too late"
    choice(after, "Starting").click()  # the same answer again is not stored again
    assert store.count("ratings") == 1
    stranger = joined(store, frameworks, room)  # a new person sees nothing of Ann's
    assert "Too late" not in texts(stranger.root)
    assert not any(b.description.startswith("✓") for b in stranger.choices.children)


def test_control_characters_typed_on_a_screen_are_removed(store, frameworks, room) -> None:
    FacilitatorView(store, frameworks, room).start_button.click()
    ann = joined(store, frameworks, room)
    ann.comment.value = "late\x01 papers\x1b[31m"
    choice(ann, "Starting").click()
    assert store.ratings(project="p1")["note"].tolist() == ["late papers[31m"]


@pytest.mark.parametrize(
    ("code", "role", "message"),
    [
        ("ZZZZZZ", "carer", "no meeting with that code"),
        (None, "", "choose who you are"),
    ],
)
def test_joining_with_a_wrong_code_or_no_role_is_explained(
    store, frameworks, room, code, role, message
) -> None:
    person = ParticipantView(store, frameworks, code=code or room.code)
    person.who.value = role
    person.join_button.click()
    assert person.notice.kind == "problem" and message in person.notice.text
    assert person.meeting is None and person.join_box.layout.display != "none"


def test_a_closed_meeting_cannot_be_joined_or_answered(store, frameworks, room) -> None:
    chair = FacilitatorView(store, frameworks, room)
    chair.start_button.click()
    ann = joined(store, frameworks, room)
    chair.close()
    before = store.count("ratings")
    choice(ann, "Embedded").click()
    assert ann.notice.kind == "problem" and "closed" in ann.notice.text
    assert store.count("ratings") == before
    late = joined(store, frameworks, room)
    assert "closed" in late.notice.text and late.meeting is None


def test_setup_problems_are_explained_and_change_nothing(store, frameworks, room) -> None:
    chair = FacilitatorView(store, frameworks, room)
    chair.scope.value = "chosen"
    chair.start_button.click()
    assert chair.notice.kind == "problem" and "tick at least one" in chair.notice.text
    assert not find_meeting(store, meeting_id=room.id).started
    chair.item_picks.children[2].value = True
    chair.framework_pick.value = (
        "framework:making-it-real"  # changing the framework resets the ticks
    )
    chair.item_picks.children[0].value = True
    chair.start_button.click()
    meeting = find_meeting(store, meeting_id=room.id)
    assert meeting.framework == "making-it-real" and len(meeting.items) == 1


def test_a_meeting_can_cover_one_theme(store, frameworks, room) -> None:
    chair = FacilitatorView(store, frameworks, room)
    chair.framework_pick.value = "framework:making-it-real"
    chair.scope.value = "section"
    theme = frameworks["making-it-real"].sections[2]
    chair.section_pick.value = theme.id
    chair.start_button.click()
    meeting = find_meeting(store, meeting_id=room.id)
    assert list(meeting.items) == [i.id for i in theme.items]
    assert f"Question 1 of {len(theme.items)}" in html_shown(chair.running)


def test_an_action_needs_what_was_said_done_and_who(store, frameworks, room) -> None:
    chair = FacilitatorView(store, frameworks, room)
    chair.add_action()
    assert "what people said" in chair.notice.text
    chair.said.value = "x"
    chair.action.value = "y"
    chair.add_action()
    assert "who will do it" in chair.notice.text
    assert meeting_actions(store, room).empty


def test_staff_type_in_a_letter_as_fast_as_a_row(store, frameworks, room) -> None:
    entry = EntryView(store, frameworks, room)
    entry.method.value = "letter"
    entry.role.value = "carer"
    entry.reference.value = "L-014"
    entry.received.value = date(2026, 9, 3)
    entry.answers["transparency"].value = 3
    entry.answers["barriers-removed"].value = -2  # don't know
    entry.evidence.value = "Call me on 07700 900123; the papers were late."
    entry.evidence_item.value = "transparency"
    entry.save()
    entry.save()  # pressed again after the form cleared
    assert entry.notice.kind == "ok" and "2 answers from L-014 (a letter)" in entry.notice.text
    assert entry.reference.value == "" and entry.method.value == "letter"  # ready for the next
    ratings = store.ratings(project="p1")
    assert sorted(ratings["source"]) == ["letter", "letter"] and ratings["dont_know"].sum() == 1
    evidence = store.table("evidence")
    assert evidence["method"].tolist() == ["letter"] and not evidence["consent_to_publish"][0]


def test_staff_entry_refuses_to_save_once_the_meeting_has_closed(store, frameworks, room) -> None:
    entry = EntryView(store, frameworks, room)
    FacilitatorView(store, frameworks, room).close()
    entry.method.value, entry.role.value, entry.reference.value = "paper", "carer", "P-1"
    entry.answers["transparency"].value = 1
    entry.save()
    assert entry.notice.kind == "problem" and "closed" in entry.notice.text
    assert store.count("ratings") == 0 and "no longer saves" in entry.count.value


def test_nothing_from_a_file_or_a_person_is_drawn_as_html(store, frameworks, room) -> None:
    """A framework, project, consultation or typed text with markup is shown as text on
    every screen."""
    from dataclasses import replace

    from coeval.practice.consultations import Consultation, Question

    attack = "<img src=x onerror=alert(1)>"
    fw = frameworks["healthwatch-six"]
    item = replace(fw.items[0], title=attack, question=attack, help=attack)
    section = replace(fw.sections[0], title=attack, items=(item, *fw.sections[0].items[1:]))
    hostile = {
        **frameworks,
        fw.id: replace(fw, title=attack, sections=(section, *fw.sections[1:]), _index={}),
    }
    store.add_project("p2", attack, ["healthwatch-six"])
    meeting = open_meeting(store, "p2", "2026Q3", date(2026, 9, 1), attack, framework=fw)
    consultations = {
        "c": Consultation("c", attack, attack, date(2026, 12, 1), "", (Question("q", attack),))
    }
    chair = FacilitatorView(store, hostile, meeting, attack, consultations=consultations)
    entry = EntryView(store, hostile, meeting)
    chair.start_button.click()
    person = ParticipantView(store, hostile, meeting.code, consultations)
    person.who.value = "carer"
    person.join_button.click()
    for screen in (chair.root, entry.root, person.root):
        assert "<img" not in html_shown(screen) and "&lt;img" in html_shown(screen)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reference", "Jane Smith", "never their name"),
        ("reference", "07700900123", "reads as a phone number"),
        ("method", "", "how the answers reached you"),
        ("received", date(2099, 1, 1), "in the future"),
    ],
)
def test_bad_typed_in_answers_are_refused(store, frameworks, room, field, value, message) -> None:
    entry = EntryView(store, frameworks, room)
    entry.method.value, entry.role.value, entry.reference.value = "paper", "carer", "P-1"
    entry.answers["transparency"].value = 1
    getattr(entry, field).value = value
    entry.save()
    assert entry.notice.kind == "problem" and message in entry.notice.text
    assert store.count("ratings") == 0


def test_the_app_shows_each_link_its_own_screen(store, frameworks, room, workbook) -> None:
    env = {
        "COEVAL_WORKBOOK": str(workbook.root),
        "COEVAL_DB": workbook.db_url,
        ENV_MEETING: str(room.id),
        ENV_DIGESTS["facilitator"]: key_digest("chair-key"),
        ENV_DIGESTS["entry"]: key_digest("staff-key"),
        ENV_JOIN: "http://127.0.0.1:8867/",
    }
    assert "chair-key" not in str(env) and "staff-key" not in str(env)
    chair = meeting_app({**env, "QUERY_STRING": "view=facilitator&key=chair-key"})
    assert "Set up the meeting" in texts(chair)
    entry = meeting_app({**env, "QUERY_STRING": "view=entry&key=staff-key"})
    assert "Type in answers" in texts(entry)
    for query in (
        "view=facilitator&key=wrong",
        "view=facilitator&key=staff-key",  # the staff key does not open the facilitator's
        "view=entry&key=chair-key",  # and the facilitator's does not open staff entry
        "view=entry&key=",
        f"view=facilitator&key={key_digest('chair-key')}",  # nor does the digest itself
    ):
        guess = meeting_app({**env, "QUERY_STRING": query})
        assert "Join the meeting" in texts(guess) and "for the meeting" in texts(guess), query
        assert "Set up the meeting" not in texts(guess) and "Type in answers" not in texts(guess)
    join = meeting_app({**env, "QUERY_STRING": f"code={room.code}"})
    assert room.code in texts(join)
    lost = meeting_app({})
    assert "coeval meeting --project" in texts(lost)


def test_every_role_is_offered_in_plain_words() -> None:
    assert set(ROLE_WORDS) == set(DEFAULT_VOICES)
