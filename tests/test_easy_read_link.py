"""The Easy Read join link: `coeval meeting` prints a second join link that starts each
person's screen in Easy Read, and the screen it opens asks the framework's Easy Read questions
(the person can still turn Easy Read off); answers are stored the same either way."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as w

from coeval.config import Workbook
from coeval.frameworks import builtin_frameworks
from coeval.server.meeting import start_meeting
from coeval.store import Store
from coeval.widgets.app import meeting_app
from coeval.widgets.facilitator import FacilitatorView
from coeval.widgets.participant import ParticipantView


def _widgets(root: w.Widget) -> Iterator[w.Widget]:
    yield root
    for child in getattr(root, "children", ()):
        yield from _widgets(child)


def test_the_easy_read_link_opens_a_screen_in_easy_read(workbook: Workbook, store: Store) -> None:
    store.add_project("home", "Oakfield", ["making-it-real"])
    meeting, links, env = start_meeting(workbook, "home", "2026Q4")
    assert links.easy_read == f"{links.join}&read=easy"
    root = meeting_app({**env, "QUERY_STRING": f"code={meeting.code}&read=easy"})
    boxes = [
        x for x in _widgets(root) if isinstance(x, w.Checkbox) and x.description == "Easy Read"
    ]
    assert [box.value for box in boxes] == [True]
    plain = meeting_app({**env, "QUERY_STRING": f"code={meeting.code}"})
    boxes = [
        x for x in _widgets(plain) if isinstance(x, w.Checkbox) and x.description == "Easy Read"
    ]
    assert [box.value for box in boxes] == [False]


def test_an_easy_read_screen_asks_in_easy_read_and_stores_the_same_answer(
    workbook: Workbook, store: Store
) -> None:
    frameworks = builtin_frameworks()
    store.add_project("home", "Oakfield", ["making-it-real"])
    meeting, _links, _env = start_meeting(workbook, "home", "2026Q4")
    chair = FacilitatorView(store, frameworks, meeting)
    chair.start_button.click()
    first = frameworks["making-it-real"].items[0]
    assert first.easy_read is not None
    people = []
    for easy in (True, False):
        person = ParticipantView(store, frameworks, meeting.code, easy_read=easy)
        person.who.value = "carer"
        person.join_button.click()
        people.append(person)
    easy_person, plain_person = people
    assert first.easy_read.question in easy_person.question.value
    assert first.question in plain_person.question.value
    easy_person.reading.easy_read.value = False  # turned off: the usual question
    assert first.question in easy_person.question.value
    for person in people:
        next(b for b in person.choices.children if b.coeval_label == "Established").click()
    saved = store.ratings()
    assert saved["item"].tolist() == [first.id, first.id]
    assert saved["score"].tolist() == [3, 3]
