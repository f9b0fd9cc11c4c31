"""Meetings: open one, join it with a short code, save answers safely, tally, close.

A meeting is many people answering at once, each from their own Voila kernel (a separate
process), all writing to one store. Only an answer from someone who has joined (see
:mod:`coeval.meeting.people`), in the role they joined in, is stored. Every answer carries an
idempotency key made where the answer was given (one per person, item and click), so a double
click or a retried save stores it once; each save is one short write transaction (``BEGIN
IMMEDIATE`` on SQLite), so a busy database makes a save wait its turn rather than fail. Once a
meeting is closed, every write to it is refused.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeGuard

from coeval.exceptions import MeetingError, NotFoundError
from coeval.frameworks import Framework
from coeval.store import Store
from coeval.store.meetings import MeetingWrite
from coeval.text import clean
from coeval.vocabulary import (
    CONSENSUS,
    GROUP_ROLE,
    MEETING_MODES,
    MEETING_OPEN,
    RATER_ID,
    ROLES,
    VOTES,
)

if TYPE_CHECKING:
    import pandas as pd

    from coeval.practice.consultations import Consultation
else:
    from coeval.lazy import pandas as pd

#: Letters and digits that cannot be mistaken for one another when read aloud or copied.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
COMMENT_LIMIT = 1000


@dataclass(frozen=True)
class Meeting:
    id: int
    project: str
    period: str
    held_on: date
    theme: str
    mode: str
    code: str
    status: str
    framework: str | None = None
    items: tuple[str, ...] = ()
    position: int | None = None  # None until the facilitator starts the meeting
    revealed: bool = False
    consultation: str | None = None  # set when the meeting takes a consultation's questions

    @property
    def open(self) -> bool:
        return self.status == MEETING_OPEN

    @property
    def started(self) -> bool:
        return self.position is not None

    @property
    def current_item(self) -> str | None:
        """The item everyone is on now, or None before the start and after the close."""
        if self.position is None or not self.open or not self.items:
            return None
        return self.items[self.position]

    @property
    def group_rater(self) -> str:
        """The rater id a consensus rating is recorded under: the group, not a person."""
        return f"group-m{self.id}"


@dataclass(frozen=True)
class Answer:
    """One person's answer to one item, as given in a meeting."""

    meeting_code: str
    framework: str
    item: str
    rater: str
    role: str
    score: int | None  # None means "Don't know"
    comment: str = ""
    key: str = ""  # the idempotency key: same key, same answer, stored once
    consent: bool = False  # the person agreed their comment may be quoted (consultations)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def spoken_code(code: str) -> str:
    """A meeting code as people read it aloud and type it: ``ABC 234``."""
    return f"{code[:3]} {code[3:]}"


def normalise_code(text: str) -> str:
    """A code as people type it: any case, spaces or dashes; O and I read as 0 and 1 are
    not in the alphabet, so they are taken as the letters people meant."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def check_member(write: MeetingWrite, answer: Answer) -> None:
    """Refuse an answer from someone who has not joined this meeting (see
    :mod:`coeval.meeting.people`), or in another role than the one they joined in; read
    inside the saving transaction."""
    role = write.member_role(answer.rater)
    if role is None or role != answer.role:
        raise MeetingError("your answer could not be linked to you; please join the meeting again")


def _meeting(row: Mapping[str, Any]) -> Meeting:
    return Meeting(
        row["id"],
        row["project_id"],
        row["period"],
        row["held_on"],
        row["theme"],
        row["mode"],
        row["code"],
        row["status"],
        row["framework_id"],
        tuple(json.loads(row["items"] or "[]")),
        row["position"],
        bool(row["revealed"]),
        row["consultation_id"],
    )


def open_meeting(
    store: Store,
    project: str,
    period: str,
    held_on: date,
    theme: str = "",
    mode: str = VOTES,
    actor: str | None = None,
    framework: Framework | None = None,
    consultation: Consultation | None = None,
) -> Meeting:
    """Open a meeting with a new, unique join code; with a framework (or a consultation),
    it covers all of its items (questions) until the facilitator chooses otherwise."""
    if mode not in MEETING_MODES:
        raise MeetingError(f"mode {mode!r}; use one of: {', '.join(MEETING_MODES)}")
    project_frameworks = store.project(project).frameworks
    if framework is not None and framework.id not in project_frameworks:
        raise MeetingError(
            f"project {project!r} does not use framework {framework.id!r}; it uses "
            f"{', '.join(project_frameworks)}"
        )
    covers: dict[str, Any] = {}
    if framework is not None:
        covers = {
            "framework_id": framework.id,
            "items": json.dumps([item.id for item in framework.items]),
        }
    if consultation is not None:
        covers = {
            "consultation_id": consultation.id,
            "items": json.dumps([q.id for q in consultation.questions]),
        }
    for _ in range(20):
        code = new_code()
        with store.write() as conn:
            if store.meeting_code_taken(conn, code):
                continue
            meeting_id = store.add_meeting(
                project, period, held_on, theme.strip(), mode, code, actor, conn, covers
            )
        return find_meeting(store, meeting_id=meeting_id)
    raise MeetingError("could not find a free meeting code; try again")


def find_meeting(store: Store, code: str | None = None, meeting_id: int | None = None) -> Meeting:
    if meeting_id is not None:
        row = store.meeting_record(meeting_id=meeting_id)
    else:
        row = store.meeting_record(code=normalise_code(code or ""))
    if row is None:
        raise NotFoundError("there is no meeting with that code; check it with the facilitator")
    return _meeting(row)


def check_answer(answer: Answer, framework: Framework) -> None:
    """Refuse a tampered or out-of-range answer, in words a participant understands."""
    if not framework.has_item(answer.item):
        raise MeetingError("that question is not part of this meeting")
    whole = isinstance(answer.score, int) and not isinstance(answer.score, bool)
    if answer.score is not None and not (whole and framework.on_scale(answer.score)):
        raise MeetingError("that answer is not one of the choices; please choose again")
    check_person(answer, ROLES)


def is_choice(score: object, choices: int) -> TypeGuard[int]:
    """Is ``score`` one of the whole numbers 0 to ``choices - 1``?"""
    return isinstance(score, int) and not isinstance(score, bool) and 0 <= score < choices


def check_person(answer: Answer, roles: Sequence[str]) -> None:
    """What every answer needs, whatever it is about: a role from the list, a pseudonymous
    rater id, a comment within the limit, and an idempotency key."""
    if answer.role not in roles:
        raise MeetingError("please choose who you are from the list")
    if not RATER_ID.match(answer.rater):
        raise MeetingError("your answer could not be linked to you; please join the meeting again")
    if len(answer.comment) > COMMENT_LIMIT:
        raise MeetingError(
            f"comments can be up to {COMMENT_LIMIT} characters; please shorten it "
            f"(it has {len(answer.comment)})"
        )
    if not answer.key or len(answer.key) > 128:
        raise MeetingError("your answer could not be saved; please try again")


def save_answer(store: Store, answer: Answer, framework: Framework) -> bool:
    """Store one answer; True if it is new, False if this exact answer (its key) was stored
    already. Refused with :class:`MeetingError` if the meeting is closed or unknown."""
    if answer.role == GROUP_ROLE:
        raise MeetingError("please choose who you are from the list")
    return _save(store, answer, framework)


def save_consensus(
    store: Store,
    meeting: Meeting,
    framework: Framework,
    item: str,
    score: int | None,
    note: str,
    key: str,
) -> bool:
    """Record the rating the group agreed for one item (consensus meetings only). It
    replaces the vote-based item score; the individual answers are kept and still shown."""
    if meeting.mode != CONSENSUS:
        raise MeetingError("this meeting collects individual answers, not a group answer")
    given = Answer(
        meeting.code, framework.id, item, meeting.group_rater, GROUP_ROLE, score, note, key
    )
    return _save(store, given, framework)


def _save(store: Store, answer: Answer, framework: Framework) -> bool:
    answer = replace(answer, comment=clean(answer.comment))
    check_answer(answer, framework)
    with store.meeting_write(code=normalise_code(answer.meeting_code)) as write:
        if answer.role != GROUP_ROLE:
            check_member(write, answer)
        covered = json.loads(write.row["items"] or "[]")
        if framework.id not in write.project_frameworks() or (
            covered and (framework.id != write.row["framework_id"] or answer.item not in covered)
        ):
            raise MeetingError("that question is not part of this meeting")
        return write.add_rating(
            {
                "framework_id": framework.id,
                "item_id": answer.item,
                "rater_id": answer.rater,
                "role": answer.role,
                "score": answer.score,
                "dont_know": answer.score is None,
                "note": answer.comment or None,
                "idempotency_key": answer.key,
            }
        )


def close_meeting(store: Store, meeting: Meeting, actor: str | None = None) -> None:
    if not find_meeting(store, meeting_id=meeting.id).open:
        raise MeetingError("this meeting is already closed")
    store.close_meeting(meeting.id, actor)


def tally(store: Store, meeting: Meeting) -> pd.DataFrame:
    """How many people have answered each item so far (latest answer per person), re-read
    from the store so every screen in the room sees the same count."""
    answers = store.meeting_ratings(meeting.id)
    votes = answers[(answers["role"] != GROUP_ROLE).to_numpy()]
    latest = votes.drop_duplicates(["framework_id", "item_id", "rater_id"], keep="last")
    counted = (
        latest.groupby(["framework_id", "item_id"])
        .agg(answered=("rater_id", "size"), dont_know=("dont_know", "sum"))
        .reset_index()
    )
    return counted.rename(columns={"framework_id": "framework", "item_id": "item"})


def latest_answer(
    store: Store, meeting: Meeting, rater: str, item: str
) -> tuple[int | None, str, bool] | None:
    """A person's latest answer to an item in this meeting (score, comment, and False: an
    answer's comment is never quoted), if any: what a rejoining person's screen shows."""
    answers = store.meeting_answers(meeting.id, item=item, rater=rater)
    if not answers:
        return None
    last = answers[-1]
    score = None if last["score"] is None else int(last["score"])
    return score, last["note"] or "", False


def answers_count(store: Store, meeting: Meeting) -> int:
    return store.meeting_rating_count(meeting.id)
