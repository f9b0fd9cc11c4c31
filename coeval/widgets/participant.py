"""The participant's screen: join with the meeting code, then answer the question the
facilitator is on, one at a time, with large buttons in the scale's own words."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

import ipywidgets as w

from coeval.consultations import Consultation
from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.meetings import (
    COMMENT_LIMIT,
    Answer,
    Meeting,
    find_meeting,
    pseudonym,
)
from coeval.store import Store
from coeval.widgets.common import (
    ROLE_WORDS,
    STYLE,
    Live,
    Notice,
    app_root,
    button,
    choice_buttons,
    heading,
    labelled,
    large_text_option,
    mark_choice,
    spread_html,
)
from coeval.widgets.content import Content, content_for

NICKNAME_LIMIT = 40


@dataclass
class Given:
    """What this person last saved for one item."""

    score: int | None
    comment: str


class ParticipantView:
    """One person's screen. ``secret`` keys the pseudonym made from a nickname."""

    def __init__(
        self,
        store: Store,
        frameworks: Mapping[str, Framework],
        secret: str,
        code: str = "",
        consultations: Mapping[str, Consultation] | None = None,
    ) -> None:
        self.store, self.frameworks, self.secret = store, frameworks, secret
        self.consultations = consultations or {}
        self.meeting: Meeting | None = None
        self.rater = ""
        self.role = ""
        self.item: str | None = None
        self.given: dict[str, Given] = {}
        # a save that failed, with its key: retrying the same answer reuses the key
        self._pending: tuple[tuple[str, int | None, str], str] | None = None
        self.notice = Notice()
        self.live = Live(self.refresh)

        self.code = labelled(w.Text(value=code, placeholder="for example ABC 234"), "Meeting code")
        self.who = labelled(
            w.Dropdown(options=[("Choose one", ""), *[(v, k) for k, v in ROLE_WORDS.items()]]),
            "I am taking part as",
        )
        self.nickname = labelled(
            w.Text(placeholder="optional"), "Nickname (optional, so you can rejoin; nobody sees it)"
        )
        self.join_button = button("Join the meeting", self.join, main=True)
        self.join_box = w.VBox(
            [
                heading("Join the meeting", 1),
                w.HTML(
                    "<p>Type the code the facilitator gave you. Your answers are saved without "
                    "your name.</p>"
                ),
                self.code,
                self.who,
                self.nickname,
                self.join_button,
            ]
        )

        self.where = w.HTML("")
        self.question = w.HTML("")
        self.question.add_class("coeval-live")
        self.choices: w.Box = w.Box()
        self.comment = labelled(
            w.Textarea(placeholder="optional"),
            f"Your comment (optional, up to {COMMENT_LIMIT} characters)",
        )
        self.comment_button = button("Save my comment", self.save_comment)
        self.revealed = w.HTML("")
        self.answer_box = w.VBox([])
        self.answer_box.layout.display = "none"

        self.root = app_root()
        self.root.children = [
            w.HTML(STYLE),
            large_text_option(self.root),
            self.join_box,
            self.answer_box,
            self.notice.widget,
        ]

    # -- joining -------------------------------------------------------------------------

    def join(self, _button: object = None) -> None:
        try:
            meeting = find_meeting(self.store, code=self.code.value)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            return
        if not meeting.open:
            self.notice.show("problem", "this meeting has closed. Thank you for taking part.")
            return
        if self.who.value not in ROLE_WORDS:
            self.notice.show("problem", "please choose who you are taking part as.")
            return
        if len(self.nickname.value) > NICKNAME_LIMIT:
            self.notice.show("problem", f"a nickname can be up to {NICKNAME_LIMIT} characters.")
            return
        self.meeting, self.role = meeting, self.who.value
        self.rater = pseudonym(meeting, self.nickname.value, self.secret)
        self.nickname.value = ""  # not kept on screen either
        self.join_box.layout.display = "none"
        self.answer_box.layout.display = None
        self.notice.show("info", f"You have joined as {ROLE_WORDS[self.role].lower()}.")
        self.refresh()
        self.live.start()

    # -- following the facilitator -----------------------------------------------------

    @property
    def content(self) -> Content:
        assert self.meeting is not None
        return content_for(self.meeting, self.frameworks, self.consultations)

    def refresh(self) -> bool:
        """Catch up with the meeting; False once it has closed (nothing more to follow)."""
        assert self.meeting is not None
        meeting = self.meeting = find_meeting(self.store, meeting_id=self.meeting.id)
        if not meeting.open:
            self.answer_box.children = [
                heading("The meeting has closed", 1),
                w.HTML("<p>Thank you for taking part. Your answers have been kept.</p>"),
            ]
            self.item = None
            return False
        if meeting.current_item is None:
            if self.item is None and not self.answer_box.children:
                self.answer_box.children = [
                    heading("Waiting for the facilitator", 1),
                    w.HTML("<p>The first question will appear here. Keep this page open.</p>"),
                ]
            return True
        if meeting.current_item != self.item:
            self._show_item(meeting)
        self._show_revealed(meeting)
        return True

    def _show_item(self, meeting: Meeting) -> None:
        assert meeting.current_item is not None and meeting.position is not None
        self.item = meeting.current_item
        title, question, help_text, section = self.content.heading(self.item)
        self.where.value = (
            f"<p>Question {meeting.position + 1} of {len(meeting.items)} · {escape(section)}</p>"
        )
        self.question.value = (
            f"<h1>{escape(title)}</h1><p class='coeval-question'>{escape(question)}</p>"
            f"<p>{escape(help_text)}</p>"
        )
        self.choices = choice_buttons(self.content.options(), self.choose)
        if self.item not in self.given:  # rejoined with a nickname: show what they gave
            earlier = self.content.latest(self.store, meeting, self.rater, self.item)
            if earlier is not None:
                self.given[self.item] = Given(*earlier)
        given = self.given.get(self.item)
        mark_choice(self.choices, given.score if given else None, given is not None)
        self.comment.value = given.comment if given else ""
        self.revealed.value = ""
        self.answer_box.children = [
            self.where,
            self.question,
            w.HTML("<h2>Your answer</h2>"),
            self.choices,
            self.comment,
            self.comment_button,
            self.revealed,
        ]
        self.notice.clear()

    def _show_revealed(self, meeting: Meeting) -> None:
        if not meeting.revealed or self.item is None:
            self.revealed.value = ""
            return
        table = self.content.spread(self.store, meeting, self.item)
        self.revealed.value = "<h2>Everyone's answers</h2>" + spread_html(
            table, "How many people gave each answer"
        )

    # -- answering -------------------------------------------------------------------------

    def choose(self, score: int | None) -> None:
        self._save(score, self.comment.value)

    def save_comment(self, _button: object = None) -> None:
        given = self.given.get(self.item or "")
        if given is None:
            self.notice.show("problem", "choose an answer first, then save your comment.")
            return
        self._save(given.score, self.comment.value)

    def _save(self, score: int | None, comment: str) -> None:
        if self.meeting is None or self.item is None:
            self.notice.show("problem", "there is no question to answer just now.")
            return
        item = self.item
        before = self.given.get(item)
        if before and (before.score, before.comment) == (score, comment):
            self._saved(score, again=True)  # a double click: already stored
            return
        key = f"{self.rater}:{uuid.uuid4().hex}"
        if self._pending and self._pending[0] == (item, score, comment):
            key = self._pending[1]
        self._pending = ((item, score, comment), key)
        given = Answer(
            self.meeting.code, self.content.id, item, self.rater, self.role, score, comment, key
        )
        try:
            self.content.save(self.store, given)
        except CoevalError as exc:
            self.notice.show("problem", f"{exc}.")
            self.refresh()
            return
        except Exception:
            self.notice.show(
                "problem", "the database was busy. Your answer is still chosen; press it again."
            )
            return
        self._pending = None
        self.given[item] = Given(score, comment)
        mark_choice(self.choices, score, True)
        self._saved(score)

    def _saved(self, score: int | None, again: bool = False) -> None:
        words = self.content.words(score)
        extra = " You can change it while this question is on screen."
        self.notice.show("ok", f"Your answer “{words}” is saved.{'' if again else extra}")
