"""A meeting that takes a consultation's questions: members give their view on each (agree
strongly to disagree strongly) and say why, from their own screens, as they rate in any other
meeting. Views are stored with the consultation's other answers (so the draft joint response
includes them), each exactly once however often it is sent, and refused once the meeting closes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from coeval.exceptions import MeetingError
from coeval.meeting.meetings import (
    Answer,
    Meeting,
    check_member,
    check_person,
    find_meeting,
    is_choice,
    normalise_code,
)
from coeval.practice.consultations import ANSWER_WORDS, Consultation
from coeval.store import Store
from coeval.text import clean
from coeval.vocabulary import DEFAULT_VOICES, VOTES

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

#: The views offered, in order; an answer's ``score`` is its position here.
VIEWS = tuple(ANSWER_WORDS)


def configure_consultation(
    store: Store,
    meeting: Meeting,
    consultation: Consultation,
    questions: Sequence[str],
    held_on: date,
    theme: str = "",
    actor: str | None = None,
) -> Meeting:
    """Set a meeting to take (some of) a consultation's questions; only before it starts."""
    current = find_meeting(store, meeting_id=meeting.id)
    if current.started:
        raise MeetingError("the meeting has started; its questions can no longer be changed")
    if not questions:
        raise MeetingError("choose at least one question to cover")
    known = [q.id for q in consultation.questions]
    unknown = [q for q in questions if q not in known]
    if unknown:
        raise MeetingError(f"{unknown[0]!r} is not a question in {consultation.title}")
    chosen = [q for q in known if q in set(questions)]
    covers = {
        "consultation_id": consultation.id,
        "framework_id": None,
        "items": json.dumps(chosen),
        "held_on": held_on,
        "theme": clean(theme),
        "mode": VOTES,
    }
    with store.meeting_write(meeting_id=meeting.id) as write:
        write.update(covers, actor, detail={"consultation": consultation.id})
    return find_meeting(store, meeting_id=meeting.id)


def save_view(store: Store, answer: Answer, consultation: Consultation) -> bool:
    """Store one person's view on one question (``answer.score`` indexes :data:`VIEWS`);
    True if new, False if this exact answer (its key) was stored already."""
    answer = replace(answer, comment=clean(answer.comment))
    if not is_choice(answer.score, len(VIEWS)):
        raise MeetingError("that answer is not one of the choices; please choose again")
    check_person(answer, tuple(DEFAULT_VOICES))
    with store.meeting_write(code=normalise_code(answer.meeting_code)) as write:
        check_member(write, answer)
        covered = json.loads(write.row["items"] or "[]")
        if write.row["consultation_id"] != consultation.id or answer.item not in covered:
            raise MeetingError("that question is not part of this meeting")
        return write.add_view(
            {
                "consultation_id": consultation.id,
                "question_id": answer.item,
                "rater_id": answer.rater,
                "role": answer.role,
                "answer": VIEWS[answer.score],
                "comment": answer.comment or None,
                "consent_to_publish": bool(answer.consent and answer.comment),
                "idempotency_key": answer.key,
            }
        )


def _latest(store: Store, meeting: Meeting) -> pd.DataFrame:
    frame = store.meeting_views(meeting.id)
    frame.columns = pd.Index(["item", "rater", "answer", "comment", "consent"])
    return frame.drop_duplicates(["item", "rater"], keep="last")


def view_tally(store: Store, meeting: Meeting) -> pd.DataFrame:
    """How many people have given a view on each question so far (same shape as
    :func:`coeval.meeting.meetings.tally`; nobody says "Don't know" here)."""
    latest = _latest(store, meeting)
    counted = latest.groupby("item").size().rename("answered").reset_index()
    counted["dont_know"] = 0
    return counted


def view_spread(store: Store, meeting: Meeting, question: str) -> pd.DataFrame:
    """How many people gave each view on one question (their latest)."""
    return pd.DataFrame(view_spread_rows(store, meeting, question))


def _latest_rows(store: Store, meeting: Meeting) -> dict[tuple[str, str], dict[str, Any]]:
    """Each person's latest view on each question, by (question, rater); no pandas."""
    return {(r["question_id"], r["rater_id"]): r for r in store.meeting_view_rows(meeting.id)}


def view_spread_rows(store: Store, meeting: Meeting, question: str) -> list[dict[str, Any]]:
    """As :func:`view_spread`, as plain rows of ``value``, ``answer`` and ``people``."""
    latest = _latest_rows(store, meeting)
    counts = Counter(row["answer"] for (item, _), row in latest.items() if item == question)
    return [
        {"value": n, "answer": words, "people": counts.get(view, 0)}
        for n, (view, words) in enumerate(ANSWER_WORDS.items())
    ]


def latest_view(
    store: Store, meeting: Meeting, rater: str, question: str
) -> tuple[int | None, str, bool] | None:
    """A person's latest view on a question in this meeting (its index, their comment, and
    whether they agreed it may be quoted), if any."""
    row = _latest_rows(store, meeting).get((question, rater))
    if row is None:
        return None
    return VIEWS.index(row["answer"]), row["comment"] or "", bool(row["consent_to_publish"])
