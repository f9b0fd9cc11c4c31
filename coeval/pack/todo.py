"""What a pack lists as still to do: the actions due by the meeting, and the consultations
that will still be open for views on its day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coeval.config import Workbook
from coeval.disclosure import Audience
from coeval.periods import Period, period_of
from coeval.practice.actions import STATUS_WORDS, plan_as_of
from coeval.practice.consultations import load_consultations
from coeval.review.data import ACTION_TEXT
from coeval.store import Store
from coeval.vocabulary import FINISHED, ROLE_WORDS


@dataclass(frozen=True)
class PackAction:
    """An action that is due by the meeting (or already late) and not finished."""

    said: str
    action: str
    who: str
    due_on: date
    status: str  # in words: "Open", "In progress"
    overdue: bool  # its due date has passed already (before the pack was made)

    @property
    def standing(self) -> str:
        return f"{self.status}, overdue" if self.overdue else self.status


@dataclass(frozen=True)
class PackConsultation:
    title: str
    consulting: str
    closes: date
    summary: str
    questions: tuple[tuple[str, str], ...]  # (question, its help)


def due_actions(
    store: Store, project: str, period: Period, by: date, today: date, shown: Audience
) -> tuple[PackAction, ...]:
    """Every action not yet finished whose due date is ``by`` or earlier, as it stands at its
    latest review, soonest due first."""
    latest = max(period, period_of(max(by, today), period.scheme))
    actions = store.actions(project)
    plan = plan_as_of(actions, store.action_updates(actions["id"]), latest)
    plan = shown.texts(plan, ACTION_TEXT)
    out = []
    for row in plan.to_dict("records"):
        due = row["due_on"]
        if row["status"] in FINISHED or not isinstance(due, date) or due > by:
            continue
        out.append(
            PackAction(
                said=str(row["said"] or ""),
                action=str(row["action"] or ""),
                who=ROLE_WORDS.get(str(row["owner_role"]), str(row["owner_role"])),
                due_on=due,
                status=STATUS_WORDS[row["status"]],
                overdue=due < today,
            )
        )
    return tuple(sorted(out, key=lambda a: a.due_on))


def open_consultations(workbook: Workbook, on: date) -> tuple[PackConsultation, ...]:
    """The workbook's consultations still open for views on ``on`` (closing that day or
    later), closing soonest first."""
    known = load_consultations(workbook.consultations_dir).values()
    return tuple(
        PackConsultation(
            c.title,
            c.consulting,
            c.closes,
            c.summary,
            tuple((q.text, q.help) for q in c.questions),
        )
        for c in sorted(known, key=lambda c: (c.closes, c.id))
        if c.closes >= on
    )
