"""The facilitator's screen: set the meeting up, step through its questions, reveal the
spread of answers when the group is ready, record the group's answer, attendance and actions,
then close the meeting."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date

import ipywidgets as w

from coeval.exceptions import CoevalError, MeetingError
from coeval.frameworks import Framework
from coeval.meeting.consultation import configure_consultation
from coeval.meeting.facilitation import (
    choose_items,
    configure_meeting,
    group_answer,
    move_to,
    set_revealed,
)
from coeval.meeting.meetings import Meeting, find_meeting, save_consensus
from coeval.practice.consultations import Consultation
from coeval.store import Store
from coeval.text import escape
from coeval.vocabulary import CONSENSUS, VOTES
from coeval.widgets.common import (
    DONT_KNOW,
    STYLE,
    Live,
    Notice,
    app_root,
    button,
    heading,
    labelled,
    large_text_option,
    spread_html,
)
from coeval.widgets.content import (
    ConsultationContent,
    Content,
    FrameworkContent,
    content_for,
)
from coeval.widgets.joining import PackLinks, join_panel
from coeval.widgets.records import RecordsPanels

SCOPES = [
    ("The whole framework", "all"),
    ("One theme or principle", "section"),
    ("Questions I choose", "chosen"),
]


class FacilitatorView(RecordsPanels):
    def __init__(
        self,
        store: Store,
        frameworks: Mapping[str, Framework],
        meeting: Meeting,
        join_link: str = "",
        actor: str | None = None,
        consultations: Mapping[str, Consultation] | None = None,
        pack: Callable[[bool], tuple[str, bytes, str]] | None = None,
    ) -> None:
        """``join_link`` is the address people open to join; ``pack`` makes the group's
        pre-meeting pack (large print or not) for the screen to offer."""
        self.store, self.frameworks, self.actor = store, frameworks, actor
        self.consultations = consultations or {}
        self.meeting = find_meeting(store, meeting_id=meeting.id)
        self.project = store.project(meeting.project)
        self.notice = Notice()
        self.live = Live(self.refresh, lambda: store.meeting_marks(meeting.id))
        self._consensus_key: tuple[tuple[object, ...], str] | None = None
        self._action_saved = False
        self._shown_item: str | None = None
        self.counts = w.HTML("")
        self.counts.add_class("coeval-live")
        self.spread = w.HTML("")
        self.previous = button("Previous question", lambda _b: self.go(-1))
        self.next = button("Next question", lambda _b: self.go(1), main=True)
        self.reveal = button("Show everyone's answers", self.toggle_reveal)

        self.header = w.VBox(
            [
                w.HTML(
                    f"<h1>Meeting: {escape(self.project.name)}</h1>"
                    f"<p>Quarter {escape(meeting.period)}.</p>"
                ),
                join_panel(meeting, join_link),
            ]
        )
        self.pack = PackLinks(pack) if pack is not None else None
        self.setup = self._setup_panel()
        self.running = w.VBox([])
        self.attendance_box = self._attendance_panel()
        self.actions_box = self._actions_panel()
        self.close_box = self._close_panel()
        self.root = app_root()
        self.root.children = [
            w.HTML(STYLE),
            self.header,
            large_text_option(self.root),
            self.notice.widget,
            self.setup,
            self.running,
            self.actions_box,
            self.attendance_box,
            *([self.pack.widget] if self.pack else []),
            self.close_box,
        ]
        self.refresh()

    # -- setting up ------------------------------------------------------------------------

    def _setup_panel(self) -> w.VBox:
        m = self.meeting
        self.held_on = labelled(w.DatePicker(value=m.held_on), "Date of the meeting")
        self.theme = labelled(w.Text(value=m.theme, placeholder="optional"), "Theme")
        self.mode = labelled(
            w.RadioButtons(
                options=[
                    ("Everyone answers for themselves", VOTES),
                    ("Everyone answers, then the group agrees one answer", CONSENSUS),
                ],
                value=m.mode,
            ),
            "How the group answers",
        )
        self.covers: dict[str, Content] = {
            f"framework:{f}": FrameworkContent(self.frameworks[f])
            for f in self.project.frameworks
            if f in self.frameworks
        }
        self.covers |= {
            f"consultation:{c.id}": ConsultationContent(c) for c in self.consultations.values()
        }
        now = f"consultation:{m.consultation}" if m.consultation else f"framework:{m.framework}"
        self.framework_pick = labelled(
            w.Dropdown(
                options=[(c.title, key) for key, c in self.covers.items()],
                value=now if now in self.covers else next(iter(self.covers)),
            ),
            "What the meeting is about",
        )
        self.scope = labelled(w.RadioButtons(options=SCOPES, value="all"), "What to cover")
        self.section_pick = labelled(w.Dropdown(options=[]), "Theme or principle")
        self.item_picks = w.VBox([])
        self.start_button = button("Start the meeting", self.start, main=True)
        for control in (self.framework_pick, self.scope):
            control.observe(self._coverage_changed, "value")
        self._coverage_changed()
        return w.VBox(
            [
                heading("Set up the meeting"),
                self.held_on,
                self.theme,
                self.mode,
                self.framework_pick,
                self.scope,
                self.section_pick,
                self.item_picks,
                self.start_button,
            ]
        )

    @property
    def content(self) -> Content:
        """What the meeting asks about: as set up, or as being chosen before the start."""
        if self.meeting.started:
            return content_for(self.meeting, self.frameworks, self.consultations)
        return self.covers[self.framework_pick.value]

    @property
    def framework(self) -> Framework | None:
        content = self.content
        return content.framework if isinstance(content, FrameworkContent) else None

    def _coverage_changed(self, _change: object = None) -> None:
        content = self.covers[self.framework_pick.value]
        sections = content.sections()
        self.scope.options = SCOPES if sections else [SCOPES[0], SCOPES[2]]
        self.section_pick.options = sections
        self.section_pick.layout.display = None if self.scope.value == "section" else "none"
        self.item_picks.children = [
            w.Checkbox(description=label, indent=False) for _id, label in content.items()
        ]
        for box, (item, _label) in zip(self.item_picks.children, content.items(), strict=True):
            box.coeval_item = item
        self.item_picks.layout.display = None if self.scope.value == "chosen" else "none"
        if not content.consensus:
            self.mode.value = VOTES
        self.mode.disabled = not content.consensus

    def chosen_items(self) -> list[str]:
        content = self.covers[self.framework_pick.value]
        if self.scope.value == "chosen":
            picked = [b.coeval_item for b in self.item_picks.children if b.value]
            if not picked:
                raise MeetingError("tick at least one question to cover")
        elif self.scope.value == "section" and isinstance(content, FrameworkContent):
            return choose_items(content.framework, section=self.section_pick.value)
        else:
            picked = [item for item, _label in content.items()]
        if isinstance(content, FrameworkContent):
            return choose_items(content.framework, items=picked)
        return picked

    def start(self, _button: object = None) -> None:
        if self.meeting.started:
            return  # a second click on Start
        if not isinstance(self.held_on.value, date):
            self.notice.show("problem", "choose the date of the meeting.")
            return
        try:
            content = self.covers[self.framework_pick.value]
            if isinstance(content, FrameworkContent):
                self.meeting = configure_meeting(
                    self.store,
                    self.meeting,
                    content.framework,
                    self.chosen_items(),
                    self.held_on.value,
                    self.theme.value,
                    self.mode.value,
                    self.actor,
                )
            else:
                self.meeting = configure_consultation(
                    self.store,
                    self.meeting,
                    content.consultation,
                    self.chosen_items(),
                    self.held_on.value,
                    self.theme.value,
                    self.actor,
                )
            self.meeting = move_to(self.store, self.meeting, 0, self.actor)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        self.notice.show(
            "info",
            f"The meeting has started with {len(self.meeting.items)} "
            "questions. Everyone who has joined now sees the first one.",
        )
        self.refresh()

    # -- running ---------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Re-read the meeting and the answers; False once the meeting has closed."""
        self.meeting = find_meeting(self.store, meeting_id=self.meeting.id)
        m = self.meeting
        self.setup.layout.display = "none" if m.started or not m.open else None
        if not m.open:
            self._show_closed()
            return False
        if m.current_item is None:
            return True
        if self._shown_item != m.current_item:
            self._show_item()
        self._show_counts()
        self._show_spread()
        return True

    def _show_item(self) -> None:
        m, content = self.meeting, self.content
        assert m.current_item is not None and m.position is not None
        title, question, help_text, _section = content.heading(m.current_item)
        self._shown_item = m.current_item
        self.previous.disabled = m.position == 0
        self.next.disabled = m.position == len(m.items) - 1
        parts: list[w.Widget] = [
            heading(f"Question {m.position + 1} of {len(m.items)}: {title}"),
            w.HTML(f"<p class='coeval-question'>{escape(question)}</p><p>{escape(help_text)}</p>"),
            self.counts,
            w.HBox([self.previous, self.next, self.reveal], layout=w.Layout(flex_flow="row wrap")),
            self.spread,
        ]
        self.link_item.layout.display = None if self.framework is not None else "none"
        if m.mode == CONSENSUS and isinstance(content, FrameworkContent):
            parts += self._consensus_panel(content.framework, m.current_item)
        self.running.children = parts

    def _show_counts(self) -> None:
        m = self.meeting
        counted = self.content.tally(self.store, m)
        row = counted[(counted["item"] == m.current_item).to_numpy()]
        answered = int(row["answered"].sum())
        unsure = int(row["dont_know"].sum())
        who = "person has" if answered == 1 else "people have"
        text = f"{answered} {who} answered this question"
        text += f" ({unsure} said “{DONT_KNOW}”)." if unsure else "."
        if self.counts.value != f"<p>{escape(text)}</p>":
            self.counts.value = f"<p>{escape(text)}</p>"

    def _show_spread(self) -> None:
        """Everyone's answers once revealed (kept up to date as more arrive), else a note."""
        m = self.meeting
        self.reveal.description = "Hide the answers" if m.revealed else "Show everyone's answers"
        if m.revealed and m.current_item is not None:
            title, question, _help, _section = self.content.heading(m.current_item)
            table = self.content.spread(self.store, m, m.current_item)
            shown = spread_html(table, f"Answers to “{question if title != question else title}”")
        else:
            shown = (
                "<p>The answers stay hidden until you show them, so that early answers do not "
                "sway anyone.</p>"
            )
        if self.spread.value != shown:
            self.spread.value = shown

    def go(self, step: int) -> None:
        assert self.meeting.position is not None
        try:
            self.meeting = move_to(self.store, self.meeting, self.meeting.position + step)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        self.notice.clear()
        self.refresh()

    def toggle_reveal(self, _button: object = None) -> None:
        try:
            self.meeting = set_revealed(self.store, self.meeting, not self.meeting.revealed)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        self.refresh()

    # -- the group's answer ----------------------------------------------------------------

    def _consensus_panel(self, fw: Framework, item: str) -> list[w.Widget]:
        options = [("Choose the agreed answer", -1)]
        options += [(level.label, level.value) for level in fw.scale]
        options.append((DONT_KNOW, -2))
        self.agreed = labelled(w.Dropdown(options=options, value=-1), "The group's answer")
        self.agreed_note = labelled(
            w.Textarea(placeholder="why the group agreed this"),
            "Note",
        )
        recorded = group_answer(self.store, self.meeting, fw, item)
        self.agreed_status = w.HTML(
            f"<p>Recorded so far: “{escape(recorded)}”.</p>" if recorded else ""
        )
        return [
            heading("The group's answer"),
            self.agreed_status,
            self.agreed,
            self.agreed_note,
            button("Record the group's answer", self.record_consensus, main=True),
        ]

    def record_consensus(self, _button: object = None) -> None:
        m, fw = self.meeting, self.framework
        if fw is None or self.agreed.value == -1 or m.current_item is None:
            self.notice.show("problem", "choose the answer the group agreed.")
            return
        score = None if self.agreed.value == -2 else int(self.agreed.value)
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
        words = DONT_KNOW if score is None else fw.label(score)
        self.agreed_status.value = f"<p>Recorded so far: “{escape(words)}”.</p>"
        self.notice.show("ok", f"The group's answer “{words}” is recorded.")

    # -- actions and attendance ------------------------------------------------------------
