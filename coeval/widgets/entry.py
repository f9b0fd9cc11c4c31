"""The staff screen for answers gathered on paper, by letter, by phone or face to face: one
person at a time, a row of answers, then Save; the form clears for the next person."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, Words
from coeval.meeting.entry import ENTRY_METHODS, Entry, save_entry
from coeval.meeting.meetings import Meeting, find_meeting
from coeval.store import Store
from coeval.text import escape
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
        words: Words = ENGLISH,
    ) -> None:
        self.store, self.meeting, self.actor, self.names = store, meeting, actor, names
        self.words = words
        _ = words.gettext
        project = store.project(meeting.project)
        self.framework = frameworks[meeting.framework or project.frameworks[0]]
        self.notice = Notice(words)
        self.saved_people = 0
        self._key = uuid.uuid4().hex
        self._saved_key: str | None = None

        self._person_fields()
        self._answer_fields()
        self.count = w.HTML("")
        self.root = app_root()
        self.root.children = [
            w.HTML(STYLE),
            heading(_("Type in answers: {project}", project=project.name), 1),
            w.HTML(
                "<p>"
                + escape(
                    _(
                        "Quarter {period}, {framework}. One person at a time: their answers "
                        "from a paper form, letter, email, phone call or conversation.",
                        period=meeting.period,
                        framework=self.framework.title,
                    ),
                    quote=False,
                )
                + "</p>"
            ),
            large_text_option(self.root, words),
            self.method,
            self.role,
            self.reference,
            self.received,
            heading(_("Their answers")),
            *self.answers.values(),
            heading(_("Their words")),
            self.evidence,
            self.evidence_item,
            self.consent,
            button(_("Save this person's answers"), self.save, main=True),
            self.notice.widget,
            self.count,
        ]

    def _person_fields(self) -> None:
        """Who the answers came from, and how: never a name, only a reference."""
        _ = self.words.gettext
        methods = [(_(v), k) for k, v in ENTRY_METHODS.items()]
        self.method = labelled(
            w.Dropdown(options=[(_("Choose how"), ""), *methods]), _("How the answers reached us")
        )
        roles = [(_(v), k) for k, v in ROLE_WORDS.items()]
        self.role = labelled(
            w.Dropdown(options=[(_("Choose who"), ""), *roles]), _("The person is")
        )
        self.reference = labelled(
            w.Text(placeholder=_("for example L-014")), _("Their reference (never their name)")
        )
        self.received = labelled(w.DatePicker(value=date.today()), _("Date received"))

    def _answer_fields(self) -> None:
        """One box per question on the framework's scale, and the person's own words."""
        _ = self.words.gettext
        fw = self.framework
        scale = [(_("Not answered"), NOT_ANSWERED)]
        scale += [(f"{level.value} {level.label}", level.value) for level in fw.scale]
        own = fw.translation(self.words.language)
        scale.append(((own.dont_know if own else "") or _(DONT_KNOW), DONT_KNOW_CODE))
        self.answers = {
            item.id: labelled(w.Dropdown(options=scale, value=NOT_ANSWERED), item.title)
            for item in fw.items
        }
        self.evidence = labelled(w.Textarea(), _("What they said, in their words (optional)"))
        self.evidence_item = labelled(
            w.Dropdown(
                options=[(_("Not about one question"), ""), *[(i.title, i.id) for i in fw.items]]
            ),
            _("Their words are about"),
        )
        self.consent = w.Checkbox(
            description=_("They agreed that their words may be published (without their name)"),
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
            raise CoevalError(self.words.gettext("choose the date the answers were received"))
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
            self.notice.show(
                "problem", self.words.gettext("the database was busy; press Save again.")
            )
            return
        self.saved_people += 1
        self._saved_key, self._key = self._key, uuid.uuid4().hex
        _ = self.words.gettext
        method = _(ENTRY_METHODS[entry.method]).lower()
        said = self.words.ngettext(
            "{n} answer from {reference} ({method}).",
            "{n} answers from {reference} ({method}).",
            stored,
            reference=entry.reference,
            method=method,
        )
        self.notice.show("ok", said + " " + _("The form is clear for the next person."))
        people = self.words.ngettext("{n} person", "{n} people", self.saved_people)
        typed = _("Typed in so far: {people}.", people=people)
        self.count.value = f"<p>{escape(typed, quote=False)}</p>"
        self._clear()

    def _closed(self) -> None:
        """The meeting has closed: nothing more can be typed in on this screen."""
        set_enabled(self.root.children, False)
        said = self.words.gettext(
            "The meeting has closed, so this screen no longer saves. Type in further answers "
            "with `coeval import ratings`, or at the next meeting."
        )
        self.count.value = f"<p class='coeval-info'>{escape(said, quote=False)}</p>"

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
