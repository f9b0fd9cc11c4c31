"""The participant's screen: join with the meeting code, then answer the question the
facilitator is on, one at a time, with large buttons in the scale's own words."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.meeting.meetings import COMMENT_LIMIT, Answer, Meeting, find_meeting
from coeval.meeting.people import Member, join_meeting, rejoin_meeting
from coeval.practice.consultations import Consultation
from coeval.store import Store
from coeval.text import clean, escape
from coeval.vocabulary import ROLE_WORDS
from coeval.widgets.common import (
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

#: Wrong rejoin codes a screen accepts before it stops asking (each new page is a new
#: screen, and the meeting server has a cap on screens, so guessing is slow).
REJOIN_TRIES = 5


@dataclass
class Given:
    """What this person last saved for one item."""

    score: int | None
    comment: str
    consent: bool = False


class ParticipantView:
    """One person's screen: join (or rejoin with the code given at first join), then answer."""

    def __init__(
        self,
        store: Store,
        frameworks: Mapping[str, Framework],
        code: str = "",
        consultations: Mapping[str, Consultation] | None = None,
    ) -> None:
        self.store, self.frameworks = store, frameworks
        self.consultations = consultations or {}
        self.meeting: Meeting | None = None
        self.member: Member | None = None
        self.rater = ""
        self.role = ""
        self.item: str | None = None
        self.given: dict[str, Given] = {}
        self.wrong_codes = 0
        # a save that failed, with its key: retrying the same answer reuses the key
        self._pending: tuple[tuple[str, int | None, str, bool], str] | None = None
        self.notice = Notice()
        self.live = Live(self.refresh, self._marks)

        self.join_box = self._join_panel(code)
        self.rejoin_note = w.HTML("")

        self.where = w.HTML("")
        self.question = w.HTML("")
        self.question.add_class("coeval-live")
        self.choices: w.Box = w.Box()
        self.comment = labelled(
            w.Textarea(placeholder="optional"),
            f"Your comment (optional, up to {COMMENT_LIMIT} characters)",
        )
        self.consent = w.Checkbox(
            description="You may quote my comment, without my name, in the group's response",
            indent=False,
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
            self.notice.widget,
            self.rejoin_note,
            self.answer_box,
        ]

    def _join_panel(self, code: str) -> w.VBox:
        """The first thing a participant sees: the meeting code, who they are taking part
        as, and a rejoin code if they joined before."""
        self.code = labelled(w.Text(value=code, placeholder="for example ABC 234"), "Meeting code")
        self.who = labelled(
            w.Dropdown(options=[("Choose one", ""), *[(v, k) for k, v in ROLE_WORDS.items()]]),
            "I am taking part as",
        )
        self.rejoin = labelled(
            w.Text(placeholder="only if you joined before"),
            "Rejoin code (if you have one)",
        )
        self.join_button = button("Join the meeting", self.join, main=True)
        return w.VBox(
            [
                heading("Join the meeting", 1),
                w.HTML(
                    "<p>Type the code the facilitator gave you and say who you are taking part "
                    "as. Your answers are saved without your name.</p>"
                    "<p>Joined before and lost your page? Type the rejoin code you were given, "
                    "and you carry on where you were.</p>"
                ),
                self.code,
                self.who,
                self.rejoin,
                self.join_button,
            ]
        )

    # -- joining -------------------------------------------------------------------------

    def join(self, _button: object = None) -> None:
        """Join as someone new (with a role), or rejoin with a rejoin code (the role chosen
        at first join is kept, whatever is chosen now)."""
        again = clean(self.rejoin.value)
        try:
            if again:
                if self.wrong_codes >= REJOIN_TRIES:
                    self.notice.show(
                        "problem",
                        "too many wrong rejoin codes on this page. Ask the facilitator, or "
                        "leave the box blank to join as someone new.",
                    )
                    return
                member = rejoin_meeting(self.store, self.code.value, again)
            else:
                if self.who.value not in ROLE_WORDS:
                    self.notice.show("problem", "please choose who you are taking part as.")
                    return
                member = join_meeting(self.store, self.code.value, self.who.value)
        except CoevalError as exc:
            if again and "rejoin code" in str(exc):
                self.wrong_codes += 1
            self.notice.show("problem", f"{exc}.")
            return
        self.member, self.meeting = member, member.meeting
        self.rater, self.role = member.rater, member.role
        self.rejoin.value = ""  # not left on screen for the next person on a shared device
        self.join_box.layout.display = "none"
        self.answer_box.layout.display = None
        self.refresh()  # first: showing a question clears the message area
        joined = "rejoined" if again else "joined"
        self.notice.show("info", f"You have {joined} as {ROLE_WORDS[self.role].lower()}.")
        self.rejoin_note.value = (
            "<p class='coeval-info'>Your rejoin code is "
            f"<strong class='coeval-code'>{escape(member.rejoin_words)}</strong>. If this page "
            "closes, open the join link again and type it in to carry on as yourself. Keep it "
            "to yourself: anyone with it can answer as you.</p>"
        )
        self.live.start()

    # -- following the facilitator -----------------------------------------------------

    def _marks(self) -> object:
        """What this screen watches: the meeting's own changes, and the answers only while
        everyone's answers are shown (the one time a new answer changes this screen)."""
        assert self.meeting is not None
        marks = self.store.meeting_marks(self.meeting.id)
        if marks is None:
            return None
        version, answers = marks
        return (version, answers if self.meeting.revealed else None)

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
        if self.item not in self.given:  # rejoined with their code: show what they gave
            earlier = self.content.latest(self.store, meeting, self.rater, self.item)
            if earlier is not None:
                self.given[self.item] = Given(*earlier)
        given = self.given.get(self.item)
        mark_choice(self.choices, given.score if given else None, given is not None)
        self.comment.value = given.comment if given else ""
        self.consent.value = given.consent if given else False
        self.revealed.value = ""
        quoted = [self.consent] if self.content.quotes_comments else []
        self.answer_box.children = [
            self.where,
            self.question,
            w.HTML("<h2>Your answer</h2>"),
            self.choices,
            self.comment,
            *quoted,
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
        self._save(score, self.comment.value, bool(self.consent.value))

    def save_comment(self, _button: object = None) -> None:
        given = self.given.get(self.item or "")
        if given is None:
            self.notice.show("problem", "choose an answer first, then save your comment.")
            return
        self._save(given.score, self.comment.value, bool(self.consent.value))

    def _save(self, score: int | None, comment: str, consent: bool = False) -> None:
        if self.meeting is None or self.item is None:
            self.notice.show("problem", "there is no question to answer just now.")
            return
        item = self.item
        comment = clean(comment)
        consent = consent and self.content.quotes_comments
        before = self.given.get(item)
        if before and (before.score, before.comment, before.consent) == (score, comment, consent):
            self._saved(score, again=True)  # a double click: already stored
            return
        key = f"{self.rater}:{uuid.uuid4().hex}"
        if self._pending and self._pending[0] == (item, score, comment, consent):
            key = self._pending[1]
        self._pending = ((item, score, comment, consent), key)
        given = Answer(
            self.meeting.code,
            self.content.id,
            item,
            self.rater,
            self.role,
            score,
            comment,
            key,
            consent,
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
        self.given[item] = Given(score, comment, consent)
        mark_choice(self.choices, score, True)
        self._saved(score)

    def _saved(self, score: int | None, again: bool = False) -> None:
        words = self.content.words(score)
        extra = " You can change it while this question is on screen."
        self.notice.show("ok", f"Your answer “{words}” is saved.{'' if again else extra}")
