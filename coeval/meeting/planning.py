"""Meetings set up ahead: a date, a theme and the questions chosen days before, so the group
can be sent its papers (``coeval pack``) and the meeting code before the day.

A meeting set up ahead is an open meeting that has not started (its position is still
empty). On the day, :func:`planned_meeting` finds it, so the meeting served is that one, with
its code and questions, rather than a new one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from coeval.exceptions import MeetingError, NotFoundError
from coeval.frameworks import Framework
from coeval.meeting.facilitation import choose_items, configure_meeting
from coeval.meeting.meetings import Meeting, find_meeting, open_meeting, spoken_code
from coeval.store import Store
from coeval.text import clean

THEME_LIMIT = 200


def planned_meeting(store: Store, project: str, period: str | None, on: date) -> Meeting | None:
    """The meeting set up ahead for ``project`` (and ``period``, when given) to be held on
    ``on``: open and not started. None when there is none; the earliest set up when there
    are several."""
    found = store.planned_meetings(project, period=period, on=on)
    return find_meeting(store, meeting_id=found[0]["id"]) if found else None


def upcoming_meeting(store: Store, project: str, period: str, today: date) -> Meeting | None:
    """The next meeting set up ahead for ``project`` in ``period``, held today or later."""
    found = store.planned_meetings(project, period=period, since=today)
    return find_meeting(store, meeting_id=found[0]["id"]) if found else None


def covered_items(framework: Framework, cover: Sequence[str]) -> list[str]:
    """The items ``cover`` names (question ids, and theme ids standing for all their
    questions), in the framework's order; every item when ``cover`` is empty."""
    wanted = [c.strip() for c in cover if c.strip()]
    if not wanted:
        return choose_items(framework)
    sections = {section.id for section in framework.sections}
    unknown = [c for c in wanted if c not in sections and not framework.has_item(c)]
    if unknown:
        themes = ", ".join(section.id for section in framework.sections)
        questions = ", ".join(item.id for item in framework.items)
        raise MeetingError(
            f"--cover {', '.join(unknown)}: not a question or theme of {framework.id}; use "
            f"question ids ({questions}) or theme ids ({themes}), separated by commas"
        )
    chosen = set(choose_items(framework, items=[c for c in wanted if framework.has_item(c)]))
    for section in (c for c in wanted if c in sections):
        chosen |= set(choose_items(framework, section=section))
    return [item.id for item in framework.items if item.id in chosen]


def set_up_meeting(
    store: Store,
    frameworks: Mapping[str, Framework],
    project: str,
    period: str,
    held_on: date,
    theme: str = "",
    cover: Sequence[str] = (),
    framework: str | None = None,
) -> Meeting:
    """Set a meeting up ahead: record its day, theme and questions and give it its code,
    without starting it. Everything is checked before anything is stored; a second meeting
    for the same project on the same day is refused."""
    try:
        used = store.project(project).frameworks
    except NotFoundError:
        raise NotFoundError(
            f"--project {project!r}: no such project; see `coeval project list`"
        ) from None
    chosen = framework or (used[0] if used else "")
    if chosen not in used or chosen not in frameworks:
        raise MeetingError(
            f"--framework {chosen or '(none)'}: project {project!r} is not rated against it; "
            f"use one of: {', '.join(used) or '(none: add a framework to the project)'}"
        )
    items = covered_items(frameworks[chosen], cover)
    theme = clean(theme)
    if len(theme) > THEME_LIMIT:
        raise MeetingError(
            f"--theme is {len(theme)} characters; keep it to {THEME_LIMIT} (a few words)"
        )
    taken = store.planned_meetings(project, on=held_on)
    if taken:
        code = str(taken[0]["code"])
        raise MeetingError(
            f"--date {held_on:%Y-%m-%d}: a meeting of {project} is already set up for that day "
            f"(meeting code {spoken_code(code)}); change its questions on the facilitator's "
            "screen before it starts, or choose another day"
        )
    fw = frameworks[chosen]
    meeting = open_meeting(store, project, period, held_on, theme, framework=fw)
    if items != [item.id for item in fw.items]:
        meeting = configure_meeting(store, meeting, fw, items, held_on, theme, meeting.mode)
    return meeting
