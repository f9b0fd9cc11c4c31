"""Engagement activities: how a group reaches people (1:1 conversations, letters, visits to
existing groups, events, workshops...), how many took part by role, how many were new, and
which seldom-heard groups were reached. ``import_activities`` reads them from a CSV file with
the same strict, all-or-nothing checks as ratings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from coeval.config import Workbook
from coeval.ingest.importer import Importer
from coeval.ingest.pipeline import Bad, ImportResult, RowChecks
from coeval.periods import period_of
from coeval.store import Project, Store
from coeval.text import shorten
from coeval.vocabulary import DEFAULT_VOICES

#: Ways of engaging, as stored, and as people read them.
METHODS: dict[str, str] = {
    "conversation": "1:1 conversation",
    "letter": "Letter",
    "group_visit": "Visit to an existing group",
    "community_event": "Community event",
    "workshop": "Workshop",
    "stakeholder_meeting": "Stakeholder meeting",
    "survey": "Survey",
    "consultation_response": "Consultation response",
    "meeting": "Improvement group meeting",
}
#: Other ways people write a method in a spreadsheet.
_METHOD_SPELLINGS = {
    "1:1": "conversation",
    "1:1_conversation": "conversation",
    "one_to_one": "conversation",
    "one_to_one_conversation": "conversation",
    "visit": "group_visit",
    "event": "community_event",
    "improvement_group_meeting": "meeting",
}
ROLE_COLUMNS = tuple(DEFAULT_VOICES)
ACTIVITY_COLUMNS = (
    "project",
    "date",
    "method",
    "theme",
    *ROLE_COLUMNS,
    "new_participants",
    "groups_reached",
    "notes",
)
OPTIONAL_ACTIVITY_COLUMNS = (
    "theme",
    *ROLE_COLUMNS,
    "new_participants",
    "groups_reached",
    "notes",
)
THEME_LIMIT = 200
NOTES_LIMIT = 2000
COUNT_LIMIT = 100_000


def method_id(text: str) -> str | None:
    """The stored id for a method as written (any case, spaces or dashes), or None."""
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    key = _METHOD_SPELLINGS.get(key, key)
    for method, words in METHODS.items():
        if key in (method, re.sub(r"[\s-]+", "_", words.lower())):
            return method
    return None


def method_words(method: str, methods: Mapping[str, str] = METHODS) -> str:
    """How a method is read (from ``methods``), or its id in words if it is not listed."""
    return methods.get(method, str(method).replace("_", " ").capitalize())


class _ActivityChecker(RowChecks):
    def __init__(self, workbook: Workbook, projects: Sequence[Project]):
        super().__init__(workbook, projects)
        self.groups = {g.casefold(): g for g in self.settings.groups}
        self.listed = "; ".join(self.settings.groups)
        self.latest = date.today() + timedelta(days=1)

    required = ("project", "date", "method")
    needs = "every activity needs a {}"

    def value(self, row: Mapping[str, str], bad: Bad) -> Any:
        self.project(row["project"], bad)
        held = None
        if row["date"]:
            try:
                held = date.fromisoformat(row["date"])
                if held > self.latest:
                    bad("date", f"{shorten(row['date'])} is in the future")
            except ValueError:
                bad("date", f"{shorten(row['date'])} is not a date; write it like 2026-07-14")
        method = method_id(row["method"]) if row["method"] else None
        if row["method"] and method is None:
            bad(
                "method",
                f"{shorten(row['method'])} is not a method; use one of: {', '.join(METHODS)}",
            )
        reach = {role: self._count(row, role, bad) for role in ROLE_COLUMNS}
        total = sum(reach.values())
        new = self._count(row, "new_participants", bad)
        readable = all(_is_count(row.get(role, "")) for role in ROLE_COLUMNS)
        if readable and total == 0:
            bad(
                "carer",
                "nobody is counted; give how many took part in the role columns (carer, staff...)",
            )
        if new > total:
            bad("new_participants", f"is {new}, more than the {total} people counted by role")
        groups = []
        for name in filter(None, (g.strip() for g in row["groups_reached"].split(";"))):
            known = self.groups.get(" ".join(name.split()).casefold())
            if known is None:
                bad(
                    "groups_reached",
                    f"{shorten(name)} is not one of the workbook's groups ({self.listed}); add it "
                    "to [engagement] groups in coeval.toml, or fix the spelling",
                )
            else:
                groups.append(known)
        if len(row["theme"]) > THEME_LIMIT:
            bad("theme", f"is {len(row['theme'])} characters; keep it to {THEME_LIMIT}")
        if len(row["notes"]) > NOTES_LIMIT:
            bad("notes", f"is {len(row['notes'])} characters; keep notes to {NOTES_LIMIT}")
        value = {
            "row": {
                "project_id": row["project"],
                "period": period_of(held, self.settings.period_scheme).label if held else None,
                "held_on": held,
                "method": method,
                "theme": row["theme"],
                "participants": total,
                "new_participants": new,
                "notes": row["notes"] or None,
            },
            "reach": {role: n for role, n in reach.items() if n},
            "groups": groups,
        }
        return value

    @staticmethod
    def _count(row: Mapping[str, str], column: str, bad: Bad) -> int:
        text = row.get(column, "")
        if not _is_count(text):
            bad(
                column,
                f"{shorten(text)} is not a count; use a whole number of people, like 4 (or 0)",
            )
            return 0
        return int(text or 0)


def _is_count(text: str) -> bool:
    """Blank (none), or a whole number of people."""
    return not text or (re.fullmatch(r"\d+", text) is not None and int(text) <= COUNT_LIMIT)


def _save_activities(
    store: Store, conn: Connection, values: list[Any], import_id: int, actor: str | None
) -> int:
    for value in values:
        row = {**value["row"], "import_id": import_id}
        store.add_activity(row, value["reach"], actor, conn, value["groups"])
    return len(values)


ACTIVITIES = Importer(
    "activities",
    "activities",
    """Import engagement activities from FILE: CSV (UTF-8) or Excel (.xlsx; --sheet).

    Columns: project, date, method, then optionally theme, how many took part in each role
    (carer, person_using_services, family_member, volunteer, staff, partner, commissioner),
    new_participants, groups_reached (the workbook's groups, separated by ;) and notes.
    method is one of: conversation, letter, group_visit, community_event, workshop,
    stakeholder_meeting, survey, consultation_response, meeting.
    """,
    ACTIVITY_COLUMNS,
    OPTIONAL_ACTIVITY_COLUMNS,
    lambda workbook, store, _frameworks: _ActivityChecker(workbook, store.projects()),
    _save_activities,
)


def import_activities(
    workbook: Workbook, store: Store, path: Path, actor: str | None = None
) -> ImportResult:
    """Check an activities CSV and store every row, or store nothing and raise."""
    return ACTIVITIES.run(workbook, store, path, actor)


def reach_gaps(reached: Sequence[str], groups: Sequence[str]) -> list[str]:
    """The workbook's groups that no activity reached."""
    seen = set(reached)
    return [g for g in groups if g not in seen]
