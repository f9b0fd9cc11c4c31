"""The part of the facilitator's screen that records the group's agreed answer to the
question on screen, when the meeting agrees one answer together."""

from __future__ import annotations

import uuid

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, Words
from coeval.meeting.facilitation import group_answer
from coeval.meeting.meetings import Meeting, save_consensus
from coeval.store import Store
from coeval.text import escape
from coeval.widgets.common import DONT_KNOW, Notice, button, heading, labelled

NOT_CHOSEN, DONT_KNOW_VALUE = -1, -2


class ConsensusPanel:
    """Part of :class:`coeval.widgets.facilitator.FacilitatorView`, which sets these."""

    store: Store
    meeting: Meeting
    notice: Notice
    words: Words = ENGLISH  # the view sets the workbook's language
    _consensus_key: tuple[tuple[object, ...], str] | None = None

    @property
    def framework(self) -> Framework | None:  # pragma: no cover - the view's
        raise NotImplementedError

    @property
    def dont_know(self) -> str:  # pragma: no cover - the view's
        raise NotImplementedError

    def _consensus_panel(self, fw: Framework, item: str) -> list[w.Widget]:
        _ = self.words.gettext
        options = [(_("Choose the agreed answer"), NOT_CHOSEN)]
        options += [(level.label, level.value) for level in fw.scale]
        options.append((self.dont_know, DONT_KNOW_VALUE))
        self.agreed = labelled(
            w.Dropdown(options=options, value=NOT_CHOSEN), _("The group's answer")
        )
        self.agreed_note = labelled(
            w.Textarea(placeholder=_("why the group agreed this")),
            _("Note"),
        )
        recorded = group_answer(self.store, self.meeting, fw, item)
        recorded = self.dont_know if recorded == DONT_KNOW else recorded
        self.agreed_status = w.HTML(self._recorded(recorded) if recorded else "")
        return [
            heading(_("The group's answer")),
            self.agreed_status,
            self.agreed,
            self.agreed_note,
            button(_("Record the group's answer"), self.record_consensus, main=True),
        ]

    def _recorded(self, answer: str) -> str:
        said = self.words.gettext("Recorded so far: “{words}”.", words=answer)
        return f"<p>{escape(said)}</p>"

    def record_consensus(self, _button: object = None) -> None:
        _ = self.words.gettext
        m, fw = self.meeting, self.framework
        if fw is None or self.agreed.value == NOT_CHOSEN or m.current_item is None:
            self.notice.show("problem", _("choose the answer the group agreed."))
            return
        score = None if self.agreed.value == DONT_KNOW_VALUE else int(self.agreed.value)
        content = (m.current_item, score, self.agreed_note.value)
        if self._consensus_key and self._consensus_key[0] == content:
            key = self._consensus_key[1]  # the same answer clicked again: stored once
        else:
            key = f"consensus:{m.id}:{uuid.uuid4().hex}"
            self._consensus_key = (content, key)
        try:
            save_consensus(self.store, m, fw, m.current_item, score, self.agreed_note.value, key)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        words = self.dont_know if score is None else fw.label(score)
        self.agreed_status.value = self._recorded(words)
        self.notice.show("ok", _("The group's answer “{words}” is recorded.", words=words))
