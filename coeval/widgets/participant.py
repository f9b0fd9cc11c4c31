"""The participant's screen: join with the meeting code, then answer the question the
facilitator is on, one at a time, with large buttons in the scale's own words. Each person
may read it in Easy Read and, where there are words for it, in another language
(:mod:`coeval.widgets.reading`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as w

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.i18n import N_, Words
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
from coeval.widgets.reading import Reading

#: Wrong rejoin codes a screen accepts before it stops asking (each new page is a new
#: screen, and the meeting server has a cap on screens, so guessing is slow).
REJOIN_TRIES = 5
REJOIN_NOTE = N_(
    "Your rejoin code is {code}. If this page closes, open the join link again and type it "
    "in to carry on as yourself. Keep it to yourself: anyone with it can answer as you."
)


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
        easy_read: bool = False,
    ) -> None:
        """``easy_read`` starts the screen in Easy Read (the join link ends ``&read=easy``);
        the person can still turn it off."""
        self.store, self.frameworks = store, frameworks
        self.consultations = consultations or {}
        self.meeting: Meeting | None = None
        self.member: Member | None = None
        self.rater = ""
        self.role = ""
        self.item: str | None = None
        self.given: dict[str, Given] = {}
        self.wrong_codes = 0
        self.rejoin_words = ""
        # a save that failed, with its key: retrying the same answer reuses the key
        self._pending: tuple[tuple[str, int | None, str, bool], str] | None = None
        self.notice = Notice()
        self.live = Live(self.refresh, self._marks)
        self.reading = Reading(frameworks, self._reread, easy_read)

        self.join_box = self._join_panel(code)
        self.rejoin_note = w.HTML("")

        self.where = w.HTML("")
        self.question = w.HTML("")
        self.question.add_class("coeval-live")
        self.choices: w.Box = w.Box()
        self.comment = labelled(w.Textarea(), "")
        self.consent = w.Checkbox(indent=False)
        self.comment_button = button("", self.save_comment)
        self.revealed = w.HTML("")
        self.answer_box = w.VBox([])
        self.answer_box.layout.display = "none"

        self.root = app_root()
        self.large_text = large_text_option(self.root)
        self.root.children = [
            w.HTML(STYLE),
            self.large_text,
            self.reading.widget,
            self.join_box,
            self.notice.widget,
            self.rejoin_note,
            self.answer_box,
        ]
        self._label()

    @property
    def words(self) -> Words:
        """The interface's words in the language this person chose."""
        return self.reading.words

    def _join_panel(self, code: str) -> w.VBox:
        """The first thing a participant sees: the meeting code, who they are taking part
        as, and a rejoin code if they joined before."""
        self.code = labelled(w.Text(value=code), "")
        self.who = labelled(w.Dropdown(options=[("", "")]), "")
        self.rejoin = labelled(w.Text(), "")
        self.join_button = button("", self.join, main=True)
        self.join_heading, self.join_help = w.HTML(""), w.HTML("")
        return w.VBox(
            [self.join_heading, self.join_help, self.code, self.who, self.rejoin, self.join_button]
        )

    def _label(self) -> None:
        """Put the words of the chosen language on everything this screen always shows."""
        _ = self.words.gettext
        self.notice.words = self.words
        self.large_text.description = _("Large text")
        self.join_heading.value = heading(_("Join the meeting"), 1).value
        self.join_help.value = _paragraphs(
            _(
                "Type the code the facilitator gave you and say who you are taking part as. "
                "Your answers are saved without your name."
            ),
            _(
                "Joined before and lost your page? Type the rejoin code you were given, and "
                "you carry on where you were."
            ),
        )
        self.code.description = _("Meeting code")
        self.code.placeholder = _("for example ABC 234")
        chosen = self.who.value
        roles = [(_(words), role) for role, words in ROLE_WORDS.items()]
        self.who.options = [(_("Choose one"), ""), *roles]
        self.who.value = chosen
        self.who.description = _("I am taking part as")
        self.rejoin.description = _("Rejoin code (if you have one)")
        self.rejoin.placeholder = _("only if you joined before")
        self.join_button.description = _("Join the meeting")
        self.comment.description = _(
            "Your comment (optional, up to {limit} characters)", limit=COMMENT_LIMIT
        )
        self.comment.placeholder = _("optional")
        self.consent.description = _(
            "You may quote my comment, without my name, in the group's response"
        )
        self.comment_button.description = _("Save my comment")
        self._rejoin_note()

    def _reread(self) -> None:
        """The person chose another language or Easy Read: draw the screen again in it."""
        self._label()
        if self.meeting is None:
            return
        self.item = None
        self.answer_box.children = []
        self.refresh()

    def _rejoin_note(self) -> None:
        if not self.rejoin_words:
            self.rejoin_note.value = ""
            return
        code = f"<strong class='coeval-code'>{escape(self.rejoin_words)}</strong>"
        said = escape(self.words.gettext(REJOIN_NOTE), quote=False).replace("{code}", code)
        self.rejoin_note.value = f"<p class='coeval-info'>{said}</p>"

    # -- joining -------------------------------------------------------------------------

    def join(self, _button: object = None) -> None:
        """Join as someone new (with a role), or rejoin with a rejoin code (the role chosen
        at first join is kept, whatever is chosen now)."""
        _ = self.words.gettext
        again = clean(self.rejoin.value)
        try:
            if again:
                if self.wrong_codes >= REJOIN_TRIES:
                    self.notice.show(
                        "problem",
                        _(
                            "too many wrong rejoin codes on this page. Ask the facilitator, or "
                            "leave the box blank to join as someone new."
                        ),
                    )
                    return
                member = rejoin_meeting(self.store, self.code.value, again)
            else:
                if self.who.value not in ROLE_WORDS:
                    self.notice.show("problem", _("please choose who you are taking part as."))
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
        role = _(ROLE_WORDS[self.role]).lower()
        joined = _("You have rejoined as {role}.") if again else _("You have joined as {role}.")
        self.notice.show("info", joined.replace("{role}", role))
        self.rejoin_words = member.rejoin_words
        self._rejoin_note()
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
        """What the meeting asks, in the words this person chose to read it in."""
        meeting = self.meeting
        assert meeting is not None
        chosen = self.reading
        frameworks = (
            {meeting.framework: chosen.framework(meeting.framework)} if meeting.framework else {}
        )
        language = None if chosen.english else chosen.language
        return content_for(meeting, frameworks, self.consultations, self.words, language)

    def refresh(self) -> bool:
        """Catch up with the meeting; False once it has closed (nothing more to follow)."""
        assert self.meeting is not None
        _ = self.words.gettext
        meeting = self.meeting = find_meeting(self.store, meeting_id=self.meeting.id)
        if not meeting.open:
            self.answer_box.children = [
                heading(_("The meeting has closed"), 1),
                w.HTML(_paragraphs(_("Thank you for taking part. Your answers have been kept."))),
            ]
            self.item = None
            return False
        if meeting.current_item is None:
            if self.item is None and not self.answer_box.children:
                self.answer_box.children = [
                    heading(_("Waiting for the facilitator"), 1),
                    w.HTML(
                        _paragraphs(_("The first question will appear here. Keep this page open."))
                    ),
                ]
            return True
        if meeting.current_item != self.item:
            self._show_item(meeting)
        self._show_revealed(meeting)
        return True

    def _show_item(self, meeting: Meeting) -> None:
        assert meeting.current_item is not None and meeting.position is not None
        _ = self.words.gettext
        self.item = meeting.current_item
        title, question, help_text, section = self.content.heading(self.item)
        where = _("Question {n} of {total}", n=meeting.position + 1, total=len(meeting.items))
        self.where.value = f"<p>{escape(where)} · {escape(section)}</p>"
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
            heading(_("Your answer")),
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
        _ = self.words.gettext
        table = self.content.spread(self.store, meeting, self.item)
        title = _("How many people gave each answer")
        everyone = escape(_("Everyone's answers"), quote=False)
        self.revealed.value = f"<h2>{everyone}</h2>" + spread_html(table, title, self.words)

    # -- answering -------------------------------------------------------------------------

    def choose(self, score: int | None) -> None:
        self._save(score, self.comment.value, bool(self.consent.value))

    def save_comment(self, _button: object = None) -> None:
        given = self.given.get(self.item or "")
        if given is None:
            self.notice.show(
                "problem", self.words.gettext("choose an answer first, then save your comment.")
            )
            return
        self._save(given.score, self.comment.value, bool(self.consent.value))

    def _save(self, score: int | None, comment: str, consent: bool = False) -> None:
        if self.meeting is None or self.item is None:
            self.notice.show(
                "problem", self.words.gettext("there is no question to answer just now.")
            )
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
                "problem",
                self.words.gettext(
                    "the database was busy. Your answer is still chosen; press it again."
                ),
            )
            return
        self._pending = None
        self.given[item] = Given(score, comment, consent)
        mark_choice(self.choices, score, True)
        self._saved(score)

    def _saved(self, score: int | None, again: bool = False) -> None:
        _ = self.words.gettext
        said = _("Your answer “{words}” is saved.", words=self.content.answer_words(score))
        extra = " " + _("You can change it while this question is on screen.")
        self.notice.show("ok", said + ("" if again else extra))


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{escape(text, quote=False)}</p>" for text in texts)
