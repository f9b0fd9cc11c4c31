"""The facilitator's "we told you" panel: the outcomes of finished actions the group has not
yet been told, ticked off as they are read out at the meeting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.i18n import ENGLISH, Words
from coeval.meeting.meetings import Meeting, find_meeting
from coeval.periods import parse_period
from coeval.practice.actions import action_plan, tell_action
from coeval.store import Store
from coeval.text import escape, one_line
from coeval.vocabulary import DONE, FINISHED
from coeval.widgets.common import Notice, button, heading

TOLD_AT_MEETING = "meeting"


class TellingPanel:
    """Finished actions whose outcome the group has not been told; ticking them and pressing
    the button records that they were told at this meeting, on its date."""

    def __init__(
        self,
        store: Store,
        meeting: Meeting,
        notice: Notice,
        actor: str | None = None,
        words: Words = ENGLISH,
    ) -> None:
        self.store, self.meeting, self.notice, self.actor = store, meeting, notice, actor
        self.words = words
        _ = words.gettext
        self.ticks: dict[int, w.Checkbox] = {}
        self.listing = w.VBox([])
        lead = _(
            "These actions are finished but the group has not yet been told how they ended. "
            "Read each one out, tick it, then press the button."
        )
        self.widget = w.VBox(
            [
                heading(_("We told you: outcomes to tell the group")),
                w.HTML(f"<p>{escape(lead, quote=False)}</p>"),
                self.listing,
                button(_("The group has been told the ticked outcomes"), self.tell),
            ]
        )
        self.show()

    def show(self) -> None:
        period = parse_period(self.meeting.period)  # as stored, in the workbook's scheme
        plan = action_plan(self.store, self.meeting.project, period, date.today())
        waiting = plan[plan["status"].isin(FINISHED) & ~plan["told_back"].astype(bool)]
        self.ticks = {
            int(row["id"]): w.Checkbox(
                value=False,
                description=_outcome(row, self.words),
                indent=False,
                layout=w.Layout(width="auto"),
            )
            for row in waiting.to_dict("records")
        }
        if not self.ticks:
            said = self.words.gettext("Every finished action has been told back.")
            self.listing.children = [w.HTML(f"<p>{escape(said, quote=False)}</p>")]
            return
        self.listing.children = list(self.ticks.values())

    def tell(self, _button: object = None) -> None:
        chosen = [action_id for action_id, tick in self.ticks.items() if tick.value]
        if not chosen:
            said = self.words.gettext("Tick the outcomes you have told the group first.")
            self.notice.show("problem", said)
            return
        # the meeting's date as set now (the facilitator may have changed it since)
        self.meeting = find_meeting(self.store, meeting_id=self.meeting.id)
        day = min(self.meeting.held_on, date.today())
        try:
            for action_id in chosen:
                tell_action(self.store, action_id, TOLD_AT_MEETING, day, self.actor)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        self.show()
        said = self.words.ngettext(
            "Recorded: the group was told {n} outcome at this meeting.",
            "Recorded: the group was told {n} outcomes at this meeting.",
            len(chosen),
        )
        self.notice.show("ok", said)


def _outcome(row: Mapping[Any, Any], words: Words = ENGLISH) -> str:
    action = one_line(row["action"])
    if row["status"] == DONE:
        return words.gettext("We did: {action}", action=action)
    return words.gettext("We could not: {action}", action=action)
