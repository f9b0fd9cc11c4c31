"""The parts of the facilitator's screen that record what the meeting decided: actions
("You said, we will"), attendance by role, and closing the meeting."""

from __future__ import annotations

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, Words
from coeval.meeting.facilitation import (
    NewAction,
    add_action,
    attendance,
    meeting_actions,
    record_attendance,
    summary,
)
from coeval.meeting.meetings import Meeting, close_meeting
from coeval.store import Store
from coeval.text import escape
from coeval.vocabulary import ROLE_WORDS
from coeval.widgets.common import (
    OWNER_WORDS,
    Notice,
    actions_html,
    button,
    heading,
    labelled,
    set_enabled,
)


class RecordsPanels:
    """Part of :class:`coeval.widgets.facilitator.FacilitatorView`, which sets these."""

    store: Store
    meeting: Meeting
    notice: Notice
    actor: str | None
    running: w.VBox
    actions_box: w.VBox
    attendance_box: w.VBox
    close_box: w.VBox
    _action_saved: bool = False
    words: Words = ENGLISH  # the view sets the workbook's language

    @property
    def framework(self) -> Framework | None:  # pragma: no cover - the view's
        raise NotImplementedError

    def refresh(self) -> bool:  # pragma: no cover - the view's
        raise NotImplementedError

    def _actions_panel(self) -> w.VBox:
        _ = self.words.gettext
        self.said = labelled(w.Textarea(), _("You said (what people told us)"))
        self.action = labelled(w.Textarea(), _("We will (what will be done)"))
        owners = [(_("Choose who"), ""), *[(_(v), k) for k, v in OWNER_WORDS.items()]]
        self.owner = labelled(w.Dropdown(options=owners), _("Who will do it"))
        self.due = labelled(w.DatePicker(), _("By when (optional)"))
        self.link_item = w.Checkbox(value=True, description=_("About the question on screen"))
        done = meeting_actions(self.store, self.meeting)
        self.actions_list = w.HTML(actions_html(done, None, self.words))
        return w.VBox(
            [
                heading(_("Actions: you said, we will")),
                self.said,
                self.action,
                self.owner,
                self.due,
                self.link_item,
                button(_("Add the action"), self.add_action),
                self.actions_list,
            ]
        )

    def add_action(self, _button: object = None) -> None:
        if self._action_saved and not (self.said.value.strip() or self.action.value.strip()):
            return  # a double click after the form was cleared
        linkable = self.framework is not None and self.link_item.value
        item = self.meeting.current_item if linkable else None
        new = NewAction(self.said.value, self.action.value, self.owner.value, self.due.value, item)
        try:
            add_action(self.store, self.meeting, self.framework, new, self.actor)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        self._action_saved = True
        self.said.value = self.action.value = ""
        self.owner.value, self.due.value = "", None
        self.actions_list.value = actions_html(
            meeting_actions(self.store, self.meeting), self.framework, self.words
        )
        self.notice.show("ok", self.words.gettext("The action is added to the list below."))

    def _attendance_panel(self) -> w.VBox:
        _ = self.words.gettext
        known = attendance(self.store, self.meeting)
        self.attending = {
            role: labelled(w.BoundedIntText(value=known.get(role, 0), min=0, max=1000), _(said))
            for role, said in ROLE_WORDS.items()
        }
        lead = _("How many people came, by how they took part. Numbers only.")
        return w.VBox(
            [
                heading(_("Who came")),
                w.HTML(f"<p>{escape(lead, quote=False)}</p>"),
                *self.attending.values(),
                button(_("Save attendance"), self.save_attendance),
            ]
        )

    def save_attendance(self, _button: object = None) -> None:
        counts = {role: int(box.value) for role, box in self.attending.items()}
        try:
            record_attendance(self.store, self.meeting, counts, self.actor)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        total = sum(counts.values())
        self.notice.show("ok", self.words.gettext("Attendance: {n} people in all.", n=total))

    # -- closing ---------------------------------------------------------------------------

    def _close_panel(self) -> w.VBox:
        _ = self.words.gettext
        warning = _("Nobody can answer or add anything once it is closed.")
        self.confirm = w.HBox(
            [
                w.HTML(f"<p>{escape(warning, quote=False)}</p>"),
                button(_("Yes, close the meeting"), self.close, main=True),
                button(_("No, keep it open"), lambda _b: self._ask_close(False)),
            ],
            layout=w.Layout(flex_flow="row wrap", display="none"),
        )
        return w.VBox(
            [
                heading(_("Finish")),
                button(_("Close the meeting"), lambda _b: self._ask_close(True)),
                self.confirm,
            ]
        )

    def _ask_close(self, asking: bool) -> None:
        self.confirm.layout.display = None if asking else "none"

    def close(self, _button: object = None) -> None:
        try:
            close_meeting(self.store, self.meeting, self.actor)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
        self.refresh()

    def _show_closed(self) -> None:
        _ = self.words.gettext
        done = summary(self.store, self.meeting)
        said = _(
            "{people} people gave {answers} answers; the group agreed {agreed} answers "
            "together; {actions} actions were agreed; {attended} people were recorded as "
            "coming.",
            people=done.people,
            answers=done.answers,
            agreed=done.agreed,
            actions=done.actions,
            attended=done.attended,
        )
        after = _(
            "Nothing more can be added to this meeting. Its answers count in the quarter's review."
        )
        self.running.children = [
            heading(_("The meeting has closed")),
            w.HTML(f"<p>{escape(said, quote=False)}</p><p>{escape(after, quote=False)}</p>"),
        ]
        set_enabled([self.actions_box, self.attendance_box, self.close_box], False)
        self.notice.show("info", _("The meeting is closed."))
