"""Every kind of file `coeval import` takes, in one list: its subcommand, what it stores, the
help that documents its columns, and the function that imports it (each through the one
strict pipeline, :func:`coeval.ingest.pipeline.import_file`). The command line builds its
`coeval import` subcommands from this list; an importer added here is a command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coeval.config import Workbook
from coeval.frameworks import load_frameworks
from coeval.ingest.pipeline import ImportResult
from coeval.ingest.ratings import import_ratings
from coeval.practice.consultations import import_answers
from coeval.practice.engagement import import_activities
from coeval.practice.evidence import import_evidence
from coeval.store import Store


@dataclass(frozen=True)
class Importer:
    name: str  # coeval import NAME FILE
    noun: str  # what it stores, as a count reads: "12 ratings", "3 pieces of evidence"
    help: str  # the command's help: the columns a file has
    run: Callable[[Workbook, Store, Path], ImportResult]


def _ratings(workbook: Workbook, store: Store, path: Path) -> ImportResult:
    return import_ratings(workbook, store, load_frameworks(workbook.frameworks_dir), path)


def _evidence(workbook: Workbook, store: Store, path: Path) -> ImportResult:
    return import_evidence(workbook, store, load_frameworks(workbook.frameworks_dir), path)


IMPORTERS = (
    Importer(
        "ratings",
        "ratings",
        """Import ratings from FILE (CSV, UTF-8).

        Columns: project, period, framework, item, rater, role, score, note, recorded_at
        (note and recorded_at may be left out). score is a whole number on the framework's
        scale (0 to 4 on the co-production scale) or dont_know.
        """,
        _ratings,
    ),
    Importer(
        "activities",
        "activities",
        """Import engagement activities from FILE (CSV, UTF-8).

        Columns: project, date, method, then optionally theme, how many took part in each role
        (carer, person_using_services, family_member, volunteer, staff, partner, commissioner),
        new_participants, groups_reached (the workbook's groups, separated by ;) and notes.
        method is one of: conversation, letter, group_visit, community_event, workshop,
        stakeholder_meeting, survey, consultation_response, meeting.
        """,
        import_activities,
    ),
    Importer(
        "evidence",
        "pieces of evidence",
        """Import quotes, letter extracts and notes from FILE (CSV, UTF-8).

        Columns: project, period, item, method, text, consent_to_publish, recorded_at (item and
        recorded_at may be blank; add a framework column if an item id is in two frameworks).
        consent_to_publish is yes or no: text without consent never appears in a public output,
        and published text always has personal details removed.
        """,
        _evidence,
    ),
    Importer(
        "consultation",
        "answers",
        """Import views on a consultation's questions from FILE (CSV, UTF-8).

        Columns: consultation, question, project, rater, role, answer, comment, recorded_at
        (project, comment and recorded_at may be blank). answer is agree_strongly, agree,
        neutral, disagree or disagree_strongly, or blank when there is only a comment.
        """,
        import_answers,
    ),
)
