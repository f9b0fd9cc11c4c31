"""The demo's practice records: engagement activities (with the seldom-heard groups reached),
evidence (some given without consent, some with personal details that must be redacted),
actions that move through every status over the quarters, and one consultation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from coeval.config import DEFAULT_GROUPS
from coeval.frameworks import Framework
from coeval.periods import parse_period
from coeval.practice.actions import review_action, tell_action
from coeval.practice.consultations import read_consultation
from coeval.store import Store
from coeval.vocabulary import CARER, FAMILY_MEMBER, FINISHED, OPEN, PERSON_USING_SERVICES, STAFF

#: Names that appear in the demo's evidence; the demo workbook lists them to be redacted.
DEMO_NAMES = ("Jean Bloggs", "Raj Patel")
EVIDENCE_METHODS = ("meeting", "conversation", "letter", "group_visit", "email", "phone")
ACTIVITY_METHODS = (
    "conversation",
    "letter",
    "group_visit",
    "community_event",
    "workshop",
    "stakeholder_meeting",
    "survey",
)
QUOTES = (
    "Nobody told me who to ring once Mum was home. I found out by accident from the chemist.",
    "Being asked what matters to me, not just what is wrong, made all the difference.",
    "The meeting papers came the night before, which is not enough time when you are caring.",
    "I felt listened to today. The staff changed the leaflet while we were still in the room.",
    "We keep saying the same things about respite and nothing changes.",
    "The online meetings mean I can join while Dad is asleep. Please keep them.",
    "There were too many initials in the report. What is a CHC?",
    "I was paid for my time and my travel, and that told me they value us.",
    "My husband's medicines changed in hospital and nobody explained why.",
    "The group is welcoming but most of us are white and over sixty. Who is missing?",
    "Call me on 07700 900123 if you want to hear more - Jean.",
    "Please write to me at jean.bloggs@example.org rather than phoning, I work shifts.",
    "We live at 12 Park Road, BS21 7XY; the bus to the café stopped last year.",
    "Mr Patel from the ward was brilliant, but R. Patel's number (0117 496 0123) never answers.",
)


@dataclass(frozen=True)
class DemoAction:
    said: str
    action: str
    owner: str
    ends: str  # how it ends up: open, in_progress, done or not_possible
    reason: str = ""
    outcome: str = ""
    origin: str = "meeting"  # where what people said came from
    told: str = ""  # how the group was told the outcome, once there was one


ACTIONS = (
    DemoAction(
        "Nobody knows who to call after discharge.",
        "Print a single contact card for every carer leaving the ward.",
        "staff",
        "done",
        outcome="Every carer now leaves with a card; the group checked the wording.",
        told="meeting",
    ),
    DemoAction(
        "Meeting papers arrive too late to read.",
        "Send papers one week before each meeting, in large print on request.",
        "staff",
        "in_progress",
        origin="letter",
    ),
    DemoAction(
        "Too much jargon in reports.",
        "Add a plain-English glossary to every report and check it with two carers.",
        "volunteer",
        "not_possible",
        reason="The budget for this was withdrawn; we will raise it again in April.",
        origin="survey",
    ),
    DemoAction(
        "People want to be paid fairly for their time.",
        "Adopt the involvement payment policy for all co-production work.",
        "commissioner",
        "open",
        origin="conversation",
    ),
    DemoAction(
        "Respite is hard to find.",
        "Map local respite options with the carers' centre and share the list.",
        "partner",
        "done",
        outcome="The list is on the carers' centre website and in the GP surgeries.",
        told="newsletter",
    ),
    DemoAction(
        "Evening meetings exclude working carers.",
        "Hold every third meeting online in the evening.",
        "staff",
        "in_progress",
        origin="complaint",
    ),
)


def demo_time(day: date, minutes: int) -> datetime:
    """A time on a demo day: minutes after 10 in the morning."""
    return datetime(day.year, day.month, day.day, 10, 0) + timedelta(minutes=minutes)


def add_practice(
    store: Store,
    project: str,
    framework: Framework,
    period: str,
    held: date,
    meeting: int,
    present: list[tuple[str, str]],
    rng: np.random.Generator,
    turn: int,
) -> tuple[int, DemoAction]:
    """One quarter's evidence, action and activities for a demo project; returns the new
    action's id and what becomes of it."""
    items = [item.id for item in framework.items]
    evidence = []
    for n in range(int(rng.integers(2, 5))):
        rater, _ = present[int(rng.integers(len(present)))]
        linked = rng.random() < 0.6
        evidence.append(
            {
                "project_id": project,
                "period": period,
                "framework_id": framework.id if linked else None,
                "item_id": items[int(rng.integers(len(items)))] if linked else None,
                "method": EVIDENCE_METHODS[int(rng.integers(len(EVIDENCE_METHODS)))],
                "text": QUOTES[int(rng.integers(len(QUOTES)))],
                "recorded_at": demo_time(held, 120 + n),
                "consent_to_publish": bool(rng.random() < 0.7),
                "rater_id": rater,
                "meeting_id": meeting,
            }
        )
    store.add_evidence(evidence, actor="demo")
    plan = ACTIONS[turn % len(ACTIONS)]
    (action_id,) = store.add_actions(
        [
            {
                "project_id": project,
                "period": period,
                "framework_id": framework.id,
                "item_id": items[(turn * 7) % len(items)],
                "said": plan.said,
                "action": plan.action,
                "owner_role": plan.owner,
                "due_on": held + timedelta(days=100),
                "status": OPEN,
                "meeting_id": meeting,
                "origin": plan.origin,
            }
        ],
        actor="demo",
    )
    _add_activities(store, project, period, held, rng)
    return action_id, plan


def _add_activities(
    store: Store, project: str, period: str, held: date, rng: np.random.Generator
) -> None:
    """One to three engagement activities in the weeks before a demo meeting."""
    for _ in range(int(rng.integers(1, 4))):
        reach = {
            role: int(rng.integers(0, 6))
            for role in (CARER, FAMILY_MEMBER, PERSON_USING_SERVICES, STAFF)
        }
        reach[CARER] += 1
        reached = [g for g in DEFAULT_GROUPS if rng.random() < 0.25]
        store.add_activity(
            {
                "project_id": project,
                "period": period,
                "held_on": held - timedelta(days=int(rng.integers(1, 20))),
                "method": ACTIVITY_METHODS[int(rng.integers(len(ACTIVITY_METHODS)))],
                "theme": "",
                "participants": sum(reach.values()),
                "new_participants": int(rng.integers(0, 3)),
            },
            {role: n for role, n in reach.items() if n},
            actor="demo",
            groups=reached,
        )


def review_actions(
    store: Store, raised: list[tuple[int, int, DemoAction]], periods: tuple[str, ...]
) -> None:
    """Take each action towards how it ends: in progress the quarter after it was raised,
    then done or not possible the quarter after that (where the demo's quarters allow), and
    the group told of the outcome six weeks into that quarter, where the action says how
    (the glossary, found not possible but never told back, shows what is still to tell)."""
    for action_id, quarter, plan in raised:
        steps: list[tuple[str, dict[str, Any]]] = []
        if plan.ends in ("in_progress", "done"):
            steps.append(("in_progress", {}))
        if plan.ends == "done":
            steps.append(("done", {"outcome": plan.outcome}))
        if plan.ends == "not_possible":
            steps.append(("not_possible", {"reason": plan.reason}))
        for offset, (status, extra) in enumerate(steps, start=1):
            if quarter + offset < len(periods):
                label = periods[quarter + offset]
                review_action(store, action_id, label, status, actor="demo", **extra)
                told_on = parse_period(label).start + timedelta(weeks=6)
                if status in FINISHED and plan.told and told_on <= date.today():
                    tell_action(store, action_id, plan.told, told_on, actor="demo")


CONSULTATION = """\
# An example consultation for the demo (fictional): the group's views are imported with
# `coeval import consultation`, and `coeval consultation respond` drafts the joint response.
id: carers-strategy-2026
title: Refreshing the carers strategy (example)
consulting: Department of Health and Social Care (example)
closes: 2026-10-31
source: https://www.gov.uk/government/consultations
summary: How carers should be identified, supported and involved over the next five years.
questions:
  - id: identify
    text: GP practices should keep a register of the carers they know about.
  - id: breaks
    text: Every carer should have a right to a break of at least a week each year.
  - id: involve
    text: Carers should be paid for the time they give to improving services.
  - id: digital
    text: Most support for carers should move online.
"""
#: How the demo group leans on each question: the chance of agreeing.
LEANING = {"identify": 0.85, "breaks": 0.9, "involve": 0.75, "digital": 0.3}
CONSULTATION_POINTS = {
    "identify": (
        "Registers only help if someone then rings you. Mine was never used.",
        "Please do not make carers prove they are carers again and again.",
    ),
    "breaks": (
        "A week off means nothing if there is nobody to step in. Fund the replacement care.",
    ),
    "involve": (
        "Paying us shows respect. Raj Patel was paid at the hospital and it made a difference.",
    ),
    "digital": (
        "Online is fine for some of us, but my mother has no internet. Keep the phone line.",
    ),
}


def add_consultation(
    folder: Path,
    store: Store,
    project: str,
    people: list[tuple[str, str]],
    rng: np.random.Generator,
) -> int:
    """The demo's consultation file (written into ``folder``) and the group's answers to it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "carers-strategy-2026.yaml"
    path.write_text(CONSULTATION, encoding="utf-8")
    consultation = read_consultation(path)
    words = ("agree_strongly", "agree", "neutral", "disagree", "disagree_strongly")
    rows = []
    for n, (rater, role) in enumerate(people):
        for question in consultation.questions:
            agree = rng.random() < LEANING[question.id]
            answer = words[int(rng.integers(0, 2))] if agree else words[int(rng.integers(2, 5))]
            comment, consent = None, False
            if rng.random() < 0.15:
                points = CONSULTATION_POINTS[question.id]
                comment = points[int(rng.integers(len(points)))]
                consent = rng.random() < 0.8  # most agree their words may be quoted
            rows.append(
                {
                    "consultation_id": consultation.id,
                    "question_id": question.id,
                    "project_id": project,
                    "rater_id": rater,
                    "role": role,
                    "answer": answer,
                    "comment": comment,
                    "consent_to_publish": consent,
                    "recorded_at": demo_time(date(2026, 9, 15), n),
                }
            )
    with store.write() as conn:
        return store.add_consultation_answers(conn, rows, None)
