"""The staff screen for answers gathered on paper, by letter, by phone or face to face: one
person at a time, a row of answers, then Save; the form clears for the next person."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.meeting.entry import ENTRY_METHODS, Entry, save_entry
from coeval.meeting.meetings import Meeting, find_meeting
from coeval.store import Store
from coeval.text import escape, plural
from coeval.vocabulary import ROLE_WORDS
from coeval.widgets.common import (
    DONT_KNOW,
    STYLE,
    Notice,
    app_root,
    button,
    heading,
    labelled,
    large_text_option,
    set_enabled,
)

NOT_ANSWERED = -1
DONT_KNOW_CODE = -2


class EntryView:
    def __init__(
        self,
        store: Store,
        frameworks: Mapping[str, Framework],
        meeting: Meeting,
        actor: str | None = None,
        names: Sequence[str] = (),
    ) -> None:
        self.store, self.meeting, self.actor, self.names = store, meeting, actor, names
        project = store.project(meeting.project)
        self.framework = frameworks[meeting.framework or project.frameworks[0]]
        self.notice = Notice()
        self.saved_people = 0
        self._key = uuid.uuid4().hex
        self._saved_key: str | None = None

        self._person_fields()
        self._answer_fields()
        self.count = w.HTML("")
        self.root = app_root()
        self.root.children = [
            w.HTML(STYLE),
            heading(f"Type in answers: {project.name}", 1),
            w.HTML(
                f"<p>Quarter {escape(meeting.period)}, {escape(self.framework.title)}. "
                "One person at a time: their answers from a paper form, letter, email, "
                "phone call or conversation.</p>"
            ),
            large_text_option(self.root),
            self.method,
            self.role,
            self.reference,
            self.received,
            heading("Their answers"),
            *self.answers.values(),
            heading("Their words"),
            self.evidence,
            self.evidence_item,
            self.consent,
            button("Save this person's answers", self.save, main=True),
            self.notice.widget,
            self.count,
        ]

    def _person_fields(self) -> None:
        """Who the answers came from, and how: never a name, only a reference."""
        self.method = labelled(
            w.Dropdown(options=[("Choose how", ""), *[(v, k) for k, v in ENTRY_METHODS.items()]]),
            "How the answers reached us",
        )
        self.role = labelled(
            w.Dropdown(options=[("Choose who", ""), *[(v, k) for k, v in ROLE_WORDS.items()]]),
            "The person is",
        )
        self.reference = labelled(
            w.Text(placeholder="for example L-014"), "Their reference (never their name)"
        )
        self.received = labelled(w.DatePicker(value=date.today()), "Date received")

    def _answer_fields(self) -> None:
        """One box per question on the framework's scale, and the person's own words."""
        fw = self.framework
        scale = [("Not answered", NOT_ANSWERED)]
        scale += [(f"{level.value} {level.label}", level.value) for level in fw.scale]
        scale.append((DONT_KNOW, DONT_KNOW_CODE))
        self.answers = {
            item.id: labelled(w.Dropdown(options=scale, value=NOT_ANSWERED), item.title)
            for item in fw.items
        }
        self.evidence = labelled(
            w.Textarea(),
            "What they said, in their words (optional)",
        )
        self.evidence_item = labelled(
            w.Dropdown(
                options=[("Not about one question", ""), *[(i.title, i.id) for i in fw.items]]
            ),
            "Their words are about",
        )
        self.consent = w.Checkbox(
            description="They agreed that their words may be published (without their name)",
            indent=False,
        )

    def entry(self) -> Entry:
        answers = {
            item: (None if box.value == DONT_KNOW_CODE else int(box.value))
            for item, box in self.answers.items()
            if box.value != NOT_ANSWERED
        }
        received = self.received.value if isinstance(self.received.value, date) else None
        if received is None:
            raise CoevalError("choose the date the answers were received")
        return Entry(
            project=self.meeting.project,
            period=self.meeting.period,
            reference=self.reference.value.strip(),
            role=self.role.value,
            method=self.method.value,
            received_on=received,
            answers=answers,
            evidence=self.evidence.value,
            evidence_item=self.evidence_item.value or None,
            consent_to_publish=bool(self.consent.value),
            key=self._key,
            meeting_id=self.meeting.id,
        )

    def save(self, _button: object = None) -> None:
        if self._saved_key and self._is_clear():
            return  # Save pressed again after the form was cleared
        try:
            entry = self.entry()
            stored = save_entry(self.store, self.framework, entry, self.actor, self.names)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            if not find_meeting(self.store, meeting_id=self.meeting.id).open:
                self._closed()
            return
        except Exception:
            self.notice.show("problem", "the database was busy; press Save again.")
            return
        self.saved_people += 1
        self._saved_key, self._key = self._key, uuid.uuid4().hex
        method = ENTRY_METHODS[entry.method].lower()
        self.notice.show(
            "ok",
            f"{plural(stored, 'answer')} from {entry.reference} ({method}). "
            "The form is clear for the next person.",
        )
        self.count.value = (
            f"<p>Typed in so far: {plural(self.saved_people, 'person', 'people')}.</p>"
        )
        self._clear()

    def _closed(self) -> None:
        """The meeting has closed: nothing more can be typed in on this screen."""
        set_enabled(self.root.children, False)
        self.count.value = (
            "<p class='coeval-info'>The meeting has closed, so this screen no longer saves. "
            "Type in further answers with `coeval import ratings`, or at the next meeting.</p>"
        )

    def _is_clear(self) -> bool:
        return (
            not self.reference.value
            and all(box.value == NOT_ANSWERED for box in self.answers.values())
            and not self.evidence.value
        )

    def _clear(self) -> None:
        self.reference.value = self.evidence.value = self.evidence_item.value = ""
        self.consent.value = False
        for box in self.answers.values():
            box.value = NOT_ANSWERED
