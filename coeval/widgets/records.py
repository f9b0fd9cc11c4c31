"""The parts of the facilitator's screen that record what the meeting decided: actions
("You said, we will"), attendance by role, and closing the meeting."""

from __future__ import annotations

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
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

    @property
    def framework(self) -> Framework | None:  # pragma: no cover - the view's
        raise NotImplementedError

    def refresh(self) -> bool:  # pragma: no cover - the view's
        raise NotImplementedError

    def _actions_panel(self) -> w.VBox:
        self.said = labelled(w.Textarea(), "You said (what people told us)")
        self.action = labelled(w.Textarea(), "We will (what will be done)")
        owners = [("Choose who", ""), *[(v, k) for k, v in OWNER_WORDS.items()]]
        self.owner = labelled(w.Dropdown(options=owners), "Who will do it")
        self.due = labelled(w.DatePicker(), "By when (optional)")
        self.link_item = w.Checkbox(value=True, description="About the question on screen")
        self.actions_list = w.HTML(actions_html(meeting_actions(self.store, self.meeting), None))
        return w.VBox(
            [
                heading("Actions: you said, we will"),
                self.said,
                self.action,
                self.owner,
                self.due,
                self.link_item,
                button("Add the action", self.add_action),
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
            meeting_actions(self.store, self.meeting), self.framework
        )
        self.notice.show("ok", "The action is added to the list below.")

    def _attendance_panel(self) -> w.VBox:
        known = attendance(self.store, self.meeting)
        self.attending = {
            role: labelled(w.BoundedIntText(value=known.get(role, 0), min=0, max=1000), words)
            for role, words in ROLE_WORDS.items()
        }
        return w.VBox(
            [
                heading("Who came"),
                w.HTML("<p>How many people came, by how they took part. Numbers only.</p>"),
                *self.attending.values(),
                button("Save attendance", self.save_attendance),
            ]
        )

    def save_attendance(self, _button: object = None) -> None:
        counts = {role: int(box.value) for role, box in self.attending.items()}
        try:
            record_attendance(self.store, self.meeting, counts, self.actor)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        self.notice.show("ok", f"Attendance: {sum(counts.values())} people in all.")

    # -- closing ---------------------------------------------------------------------------

    def _close_panel(self) -> w.VBox:
        self.confirm = w.HBox(
            [
                w.HTML("<p>Nobody can answer or add anything once it is closed.</p>"),
                button("Yes, close the meeting", self.close, main=True),
                button("No, keep it open", lambda _b: self._ask_close(False)),
            ],
            layout=w.Layout(flex_flow="row wrap", display="none"),
        )
        return w.VBox(
            [
                heading("Finish"),
                button("Close the meeting", lambda _b: self._ask_close(True)),
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
        done = summary(self.store, self.meeting)
        self.running.children = [
            heading("The meeting has closed"),
            w.HTML(
                f"<p>{done.people} people gave {done.answers} answers; the group agreed "
                f"{done.agreed} answers together; {done.actions} actions were agreed; "
                f"{done.attended} people were recorded as coming.</p>"
                "<p>Nothing more can be added to this meeting. Its answers count in the "
                "quarter's review.</p>"
            ),
        ]
        set_enabled([self.actions_box, self.attendance_box, self.close_box], False)
        self.notice.show("info", "The meeting is closed.")
