"""What a facilitator does to a meeting: set it up, step through its items, reveal the spread
of answers, record attendance and actions, and sum it up.

Every change is one short write transaction that re-reads the meeting inside it, so a closed
meeting refuses it whichever screen it comes from. The meeting's position and whether the
answers are revealed live in the store: every participant's screen (its own process) follows
by re-reading it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from coeval.exceptions import MeetingError
from coeval.frameworks import Framework
from coeval.meeting.meetings import Meeting, find_meeting
from coeval.store import Store
from coeval.text import clean
from coeval.vocabulary import DEFAULT_VOICES, GROUP_ROLE, OPEN, VOTES
from coeval.vocabulary import MEETING_MODES as MODES

if TYPE_CHECKING:
    import pandas as pd
else:
    from coeval.lazy import pandas as pd

ACTION_TEXT_LIMIT = 2000
ATTENDANCE_LIMIT = 1000


def choose_items(
    framework: Framework, section: str | None = None, items: Sequence[str] | None = None
) -> list[str]:
    """What a meeting covers: chosen items (in the framework's order), one section, or all."""
    if items:
        unknown = [i for i in items if not framework.has_item(i)]
        if unknown:
            named = ", ".join(repr(i) for i in unknown)
            raise MeetingError(f"{named} is not part of {framework.title}; choose from its list")
        return [i.id for i in framework.items if i.id in set(items)]
    if section:
        try:
            return [i.id for i in framework.section(section).items]
        except Exception:
            raise MeetingError(
                f"{framework.title} has no section {section!r}; choose one from the list"
            ) from None
    return [i.id for i in framework.items]


def _update(store: Store, meeting: Meeting, actor: str | None, **values: Any) -> Meeting:
    with store.meeting_write(meeting_id=meeting.id) as write:
        write.update(values, actor)
    return find_meeting(store, meeting_id=meeting.id)


def configure_meeting(
    store: Store,
    meeting: Meeting,
    framework: Framework,
    items: Sequence[str],
    held_on: date,
    theme: str = "",
    mode: str = VOTES,
    actor: str | None = None,
) -> Meeting:
    """Set the date, theme, mode and coverage; only before the meeting starts."""
    current = find_meeting(store, meeting_id=meeting.id)
    if current.started:
        raise MeetingError("the meeting has started; its questions can no longer be changed")
    if mode not in MODES:
        raise MeetingError("choose how the group answers: individual votes or one agreed answer")
    if framework.id not in store.project(meeting.project).frameworks:
        raise MeetingError(f"{framework.title} is not used by this project")
    if not items:
        raise MeetingError("choose at least one question to cover")
    chosen = choose_items(framework, items=items)
    theme = clean(theme)
    if len(theme) > 200:
        raise MeetingError("the theme can be up to 200 characters; please shorten it")
    return _update(
        store,
        meeting,
        actor,
        framework_id=framework.id,
        items=json.dumps(chosen),
        held_on=held_on,
        theme=theme.strip(),
        mode=mode,
    )


def move_to(store: Store, meeting: Meeting, position: int, actor: str | None = None) -> Meeting:
    """Start the meeting (position 0) or move everyone to another item; the new item's
    answers start hidden."""
    current = find_meeting(store, meeting_id=meeting.id)
    if not current.items:
        raise MeetingError("choose the questions to cover before starting")
    if not 0 <= position < len(current.items):
        raise MeetingError(f"there are {len(current.items)} questions; that one does not exist")
    return _update(store, meeting, actor, position=position, revealed=False)


def set_revealed(store: Store, meeting: Meeting, revealed: bool) -> Meeting:
    """Show (or hide again) the spread of answers to the current item on every screen."""
    if not find_meeting(store, meeting_id=meeting.id).started:
        raise MeetingError("start the meeting first")
    return _update(store, meeting, None, revealed=bool(revealed))


def spread(store: Store, meeting: Meeting, framework: Framework, item: str) -> pd.DataFrame:
    """How many people gave each answer to one item (their latest answer), every scale
    point listed, "Don't know" last (the group's agreed answer, if recorded, is not one)."""
    return pd.DataFrame(spread_rows(store, meeting, framework, item))


def spread_rows(
    store: Store, meeting: Meeting, framework: Framework, item: str
) -> list[dict[str, Any]]:
    """As :func:`spread`, as plain rows of ``value``, ``answer`` and ``people`` (what a
    participant's screen shows, without loading pandas)."""
    rows = store.meeting_answers(meeting.id, framework=framework.id, item=item)
    latest = {row["rater_id"]: row for row in rows if row["role"] != GROUP_ROLE}
    counts = Counter(
        None if row["dont_know"] or row["score"] is None else int(row["score"])
        for row in latest.values()
    )
    table = [
        {"value": level.value, "answer": level.label, "people": counts.get(level.value, 0)}
        for level in framework.scale
    ]
    table.append({"value": None, "answer": "Don't know", "people": counts.get(None, 0)})
    return table


def group_answer(store: Store, meeting: Meeting, framework: Framework, item: str) -> str | None:
    """The words of the group's agreed answer to an item, if one is recorded."""
    found = store.meeting_ratings(
        meeting.id, framework=framework.id, item=item, rater=meeting.group_rater
    )
    if found.empty:
        return None
    score = found["score"].iloc[-1]
    return "Don't know" if pd.isna(score) else framework.label(int(score))


def record_attendance(
    store: Store, meeting: Meeting, counts: Mapping[str, int], actor: str | None = None
) -> None:
    """How many came, by role (counts only). Recording again replaces the earlier counts."""
    for role, count in counts.items():
        if role not in DEFAULT_VOICES:
            raise MeetingError(f"{role!r} is not a role; use one of: {', '.join(DEFAULT_VOICES)}")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 1000:
            raise MeetingError(f"the number of people ({role}) must be a whole number, 0 to 1000")
    with store.meeting_write(meeting_id=meeting.id) as write:
        write.replace_attendance(counts, actor)


def attendance(store: Store, meeting: Meeting) -> dict[str, int]:
    rows = store.attendance([meeting.id])
    return {role: int(count) for role, count in zip(rows["role"], rows["count"], strict=True)}


@dataclass(frozen=True)
class NewAction:
    """An action agreed in a meeting: what people said and what will be done about it."""

    said: str
    action: str
    owner_role: str
    due_on: date | None = None
    item: str | None = None


def add_action(
    store: Store,
    meeting: Meeting,
    framework: Framework | None,
    new: NewAction,
    actor: str | None = None,
) -> int:
    """Store an action linked to the meeting (and to an item of ``framework`` if given);
    refused once closed."""
    said, action = clean(new.said), clean(new.action)
    if not said:
        raise MeetingError("write down what people said")
    if not action:
        raise MeetingError("write down what will be done")
    for label, text in (("what people said", said), ("what will be done", action)):
        if len(text) > ACTION_TEXT_LIMIT:
            raise MeetingError(
                f"{label} can be up to {ACTION_TEXT_LIMIT} characters; please shorten it"
            )
    if new.owner_role not in DEFAULT_VOICES:
        raise MeetingError("choose who will do it (a role, never a person's name)")
    if new.item is not None and (framework is None or not framework.has_item(new.item)):
        raise MeetingError("that question is not part of this meeting")
    row = {
        "project_id": meeting.project,
        "period": meeting.period,
        "framework_id": framework.id if framework and new.item else None,
        "item_id": new.item,
        "said": said,
        "action": action,
        "owner_role": new.owner_role,
        "due_on": new.due_on,
        "status": OPEN,
        "meeting_id": meeting.id,
        "origin": "meeting",
    }
    with store.meeting_write(meeting_id=meeting.id) as write:
        (action_id,) = write.add_actions([row], actor)
    return action_id


def meeting_actions(store: Store, meeting: Meeting) -> pd.DataFrame:
    columns = ["id", "item_id", "said", "action", "owner_role", "due_on", "status"]
    actions = store.actions(meeting=meeting.id)[columns]
    return actions.rename(columns={"item_id": "item"}).reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    people: int  # distinct people who answered
    answers: int  # questions answered, counting each person's latest answer once
    agreed: int
    actions: int
    attended: int


def summary(store: Store, meeting: Meeting) -> Summary:
    """The meeting in numbers, for the facilitator's closing screen."""
    answers = store.meeting_ratings(meeting.id)
    rows = list(zip(answers["rater_id"], answers["role"], answers["item_id"], strict=True))
    votes = {(rater, item) for rater, role, item in rows if role != GROUP_ROLE}
    agreed = {item for _rater, role, item in rows if role == GROUP_ROLE}
    return Summary(
        people=len({rater for rater, _item in votes}),
        answers=len(votes),
        agreed=len(agreed),
        actions=len(meeting_actions(store, meeting)),
        attended=sum(attendance(store, meeting).values()),
    )
