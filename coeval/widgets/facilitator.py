"""The facilitator's screen: set the meeting up, step through its questions, reveal the
spread of answers when the group is ready, record the group's answer, attendance and actions,
then close the meeting."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import ipywidgets as w

from coeval.exceptions import CoevalError, MeetingError
from coeval.frameworks import Framework
from coeval.i18n import ENGLISH, N_, Words
from coeval.meeting.consultation import configure_consultation
from coeval.meeting.facilitation import (
    choose_items,
    configure_meeting,
    move_to,
    set_revealed,
)
from coeval.meeting.meetings import Meeting, find_meeting
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
from coeval.widgets.consensus import ConsensusPanel
from coeval.widgets.content import (
    ConsultationContent,
    Content,
    FrameworkContent,
    content_for,
)
from coeval.widgets.joining import PackLinks, join_panel
from coeval.widgets.records import RecordsPanels
from coeval.widgets.telling import TellingPanel

SCOPES = [
    (N_("The whole framework"), "all"),
    (N_("One theme or principle"), "section"),
    (N_("Questions I choose"), "chosen"),
]
MODES = [
    (N_("Everyone answers for themselves"), VOTES),
    (N_("Everyone answers, then the group agrees one answer"), CONSENSUS),
]
HIDDEN = N_(
    "The answers stay hidden until you show them, so that early answers do not sway anyone."
)


class FacilitatorView(RecordsPanels, ConsensusPanel):
    def __init__(
        self,
        store: Store,
        frameworks: Mapping[str, Framework],
        meeting: Meeting,
        join_link: str = "",
        actor: str | None = None,
        consultations: Mapping[str, Consultation] | None = None,
        pack: Callable[[bool], tuple[str, bytes, str]] | None = None,
        words: Words = ENGLISH,
    ) -> None:
        """``join_link`` is the address people open to join; ``pack`` makes the group's
        pre-meeting pack (large print or not) for the screen to offer. The screen's own
        words are ``words`` (the workbook's language; ``frameworks`` come worded in it)."""
        self.words = words
        _ = words.gettext
        self.store, self.frameworks, self.actor = store, frameworks, actor
        self.consultations = consultations or {}
        self.meeting = find_meeting(store, meeting_id=meeting.id)
        self.project = store.project(meeting.project)
        self.notice = Notice(words)
        self.live = Live(self.refresh, lambda: store.meeting_marks(meeting.id))
        self._consensus_key: tuple[tuple[object, ...], str] | None = None
        self._action_saved = False
        self._shown_item: str | None = None
        self.counts = w.HTML("")
        self.counts.add_class("coeval-live")
        self.spread = w.HTML("")
        self.previous = button(_("Previous question"), lambda _b: self.go(-1))
        self.next = button(_("Next question"), lambda _b: self.go(1), main=True)
        self.reveal = button(_("Show everyone's answers"), self.toggle_reveal)
        self.header = self._header(join_link)
        self.pack = PackLinks(pack, words) if pack is not None else None
        self.setup = self._setup_panel()
        self.running = w.VBox([])
        self.attendance_box = self._attendance_panel()
        self.actions_box = self._actions_panel()
        self.telling = TellingPanel(store, self.meeting, self.notice, actor, words)
        self.close_box = self._close_panel()
        self.root = app_root()
        self.root.children = [
            w.HTML(STYLE),
            self.header,
            large_text_option(self.root, words),
            self.notice.widget,
            self.setup,
            self.running,
            self.actions_box,
            self.telling.widget,
            self.attendance_box,
            *([self.pack.widget] if self.pack else []),
            self.close_box,
        ]
        self.refresh()

    def _header(self, join_link: str) -> w.VBox:
        """The meeting's name and quarter (under a draft translation's label), and how to join."""
        _, draft = self.words.gettext, self.words.draft_label
        title = _("Meeting: {name}", name=self.project.name)
        quarter = _("Quarter {period}.", period=self.meeting.period)
        said = f"<h1>{escape(title)}</h1><p>{escape(quarter)}</p>"
        draft_html = f"<p class='coeval-info'>{escape(draft)}</p>" if draft else ""
        return w.VBox([w.HTML(draft_html + said), join_panel(self.meeting, join_link, self.words)])

    # -- setting up ------------------------------------------------------------------------

    @property
    def language(self) -> str | None:
        """The language the frameworks are worded in (None: English)."""
        return None if self.words.english else self.words.language

    def _setup_panel(self) -> w.VBox:
        m, _ = self.meeting, self.words.gettext
        self.held_on = labelled(w.DatePicker(value=m.held_on), _("Date of the meeting"))
        self.theme = labelled(w.Text(value=m.theme, placeholder=_("optional")), _("Theme"))
        modes = [(_(said), mode) for said, mode in MODES]
        self.mode = labelled(
            w.RadioButtons(options=modes, value=m.mode), _("How the group answers")
        )
        self.covers: dict[str, Content] = {
            f"framework:{f}": FrameworkContent(self.frameworks[f], self.words, self.language)
            for f in self.project.frameworks
            if f in self.frameworks
        }
        self.covers |= {
            f"consultation:{c.id}": ConsultationContent(c, self.words)
            for c in self.consultations.values()
        }
        now = f"consultation:{m.consultation}" if m.consultation else f"framework:{m.framework}"
        self.framework_pick = labelled(
            w.Dropdown(
                options=[(c.title, key) for key, c in self.covers.items()],
                value=now if now in self.covers else next(iter(self.covers)),
            ),
            _("What the meeting is about"),
        )
        self.scope = labelled(
            w.RadioButtons(options=self._scopes(), value="all"), _("What to cover")
        )
        self.section_pick = labelled(w.Dropdown(options=[]), _("Theme or principle"))
        self.item_picks = w.VBox([])
        self.start_button = button(_("Start the meeting"), self.start, main=True)
        for control in (self.framework_pick, self.scope):
            control.observe(self._coverage_changed, "value")
        self._coverage_changed()
        return w.VBox(
            [
                heading(_("Set up the meeting")),
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
            m = self.meeting
            return content_for(m, self.frameworks, self.consultations, self.words, self.language)
        return self.covers[self.framework_pick.value]

    @property
    def framework(self) -> Framework | None:
        content = self.content
        return content.framework if isinstance(content, FrameworkContent) else None

    @property
    def dont_know(self) -> str:
        """How the meeting says "Don't know", in the words it is read in."""
        content = self.content
        if isinstance(content, FrameworkContent):
            return content.dont_know
        return self.words.gettext(DONT_KNOW)

    def _scopes(self, sections: bool = True) -> list[tuple[str, str]]:
        """What a meeting can cover (a theme or principle only where there are sections)."""
        shown = SCOPES if sections else [SCOPES[0], SCOPES[2]]
        return [(self.words.gettext(said), scope) for said, scope in shown]

    def _coverage_changed(self, _change: object = None) -> None:
        content = self.covers[self.framework_pick.value]
        sections = content.sections()
        self.scope.options = self._scopes(bool(sections))
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
                raise MeetingError(self.words.gettext("tick at least one question to cover"))
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
            self.notice.show("problem", self.words.gettext("choose the date of the meeting."))
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
        said = self.words.ngettext(
            "The meeting has started with {n} question. Everyone who has joined now sees it.",
            "The meeting has started with {n} questions. Everyone who has joined now sees the "
            "first one.",
            len(self.meeting.items),
        )
        self.notice.show("info", said)
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
        said = self.words.gettext(
            "Question {n} of {total}: {title}", n=m.position + 1, total=len(m.items), title=title
        )
        parts: list[w.Widget] = [
            heading(said),
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
        if unsure:
            text = self.words.ngettext(
                "{n} person has answered this question ({unsure} said “{dont_know}”).",
                "{n} people have answered this question ({unsure} said “{dont_know}”).",
                answered,
                unsure=unsure,
                dont_know=self.dont_know,
            )
        else:
            text = self.words.ngettext(
                "{n} person has answered this question.",
                "{n} people have answered this question.",
                answered,
            )
        if self.counts.value != f"<p>{escape(text)}</p>":
            self.counts.value = f"<p>{escape(text)}</p>"

    def _show_spread(self) -> None:
        """Everyone's answers once revealed (kept up to date as more arrive), else a note."""
        m, _ = self.meeting, self.words.gettext
        self.reveal.description = (
            _("Hide the answers") if m.revealed else _("Show everyone's answers")
        )
        if m.revealed and m.current_item is not None:
            title, question, _help, _section = self.content.heading(m.current_item)
            table = self.content.spread(self.store, m, m.current_item)
            caption = _(
                "Answers to “{question}”", question=question if title != question else title
            )
            shown = spread_html(table, caption, self.words)
        else:
            shown = f"<p>{escape(_(HIDDEN), quote=False)}</p>"
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

    # -- actions and attendance ------------------------------------------------------------
