"""`coeval` subcommands for data coming in and going out: imports (checked strictly, all rows
or none), the copies of imported files kept as received, and exports for spreadsheets.
Registered on the main command in coeval.cli.main."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from coeval.cli.context import Context, pass_context
from coeval.exceptions import CoevalError
from coeval.html import plural


@click.group("import")
def import_() -> None:
    """Import data from CSV files (checked strictly; all rows or none)."""


@import_.command("ratings")
@click.argument("file", type=click.Path(path_type=Path))
@pass_context
def import_ratings_cmd(obj: Context, file: Path) -> None:
    """Import ratings from FILE (CSV, UTF-8).

    Columns: project, period, framework, item, rater, role, score, note, recorded_at
    (note and recorded_at may be left out). score is 0 to 4 or dont_know.
    """
    from coeval.ingest.pipeline import import_ratings

    _imported(import_ratings(obj.workbook, obj.store, obj.frameworks(), file), file, "ratings")


@import_.command("activities")
@click.argument("file", type=click.Path(path_type=Path))
@pass_context
def import_activities_cmd(obj: Context, file: Path) -> None:
    """Import engagement activities from FILE (CSV, UTF-8).

    Columns: project, date, method, then optionally theme, how many took part in each role
    (carer, person_using_services, family_member, volunteer, staff, partner, commissioner),
    new_participants, groups_reached (the workbook's groups, separated by ;) and notes.
    method is one of: conversation, letter, group_visit, community_event, workshop,
    stakeholder_meeting, survey, consultation_response, meeting.
    """
    from coeval.practice.engagement import import_activities

    _imported(import_activities(obj.workbook, obj.store, file), file, "activities")


@import_.command("evidence")
@click.argument("file", type=click.Path(path_type=Path))
@pass_context
def import_evidence_cmd(obj: Context, file: Path) -> None:
    """Import quotes, letter extracts and notes from FILE (CSV, UTF-8).

    Columns: project, period, item, method, text, consent_to_publish, recorded_at (item and
    recorded_at may be blank; add a framework column if an item id is in two frameworks).
    consent_to_publish is yes or no: text without consent never appears in a public output,
    and published text always has personal details removed.
    """
    from coeval.practice.evidence import import_evidence

    result = import_evidence(obj.workbook, obj.store, obj.frameworks(), file)
    _imported(result, file, "pieces of evidence")


@import_.command("consultation")
@click.argument("file", type=click.Path(path_type=Path))
@pass_context
def import_consultation_cmd(obj: Context, file: Path) -> None:
    """Import views on a consultation's questions from FILE (CSV, UTF-8).

    Columns: consultation, question, project, rater, role, answer, comment, recorded_at
    (project, comment and recorded_at may be blank). answer is agree_strongly, agree, neutral,
    disagree or disagree_strongly, or blank when there is only a comment.
    """
    from coeval.practice.consultations import import_answers

    _imported(import_answers(obj.workbook, obj.store, file), file, "answers")


def _imported(result: Any, file: Path, what: str) -> None:
    if result.already_imported_at is not None:
        when = f"{result.already_imported_at:%Y-%m-%d at %H:%M}"
        click.echo(f"{file} was already imported on {when} UTC; nothing changed.")
        return
    blank = f" ({result.blank_rows} blank rows skipped)" if result.blank_rows else ""
    click.echo(f"Imported {result.stored} {what} from {file}{blank}.")
    click.echo(f"The file as received is kept at {result.kept_as}")


@click.group("imports")
def imports_group() -> None:
    """The files kept as received when they were imported (in data/imports/)."""


@imports_group.command("purge")
@click.option(
    "--before",
    metavar="DATE",
    help="Remove the kept copies of files imported before this date, like 2026-01-31 "
    "(default: the workbook's [imports] keep_days).",
)
@pass_context
def imports_purge(obj: Context, before: str | None) -> None:
    """Remove kept copies of imported files; each removal is recorded in the audit log.

    What was imported stays in the database, and a file imported before is still recognised,
    so it is not imported twice.
    """
    from coeval.ingest.retention import purge_imports, retention_date

    book = obj.workbook
    if before is not None:
        try:
            cutoff = date.fromisoformat(before)
        except ValueError:
            raise CoevalError(f"--before {before!r}: write a date like 2026-01-31") from None
    else:
        found = retention_date(book)
        if found is None:
            raise CoevalError(
                "give --before DATE, or set [imports] keep_days in coeval.toml to keep imported "
                "files for that many days"
            )
        cutoff = found
    say_purged(purge_imports(book, obj.store, cutoff))


def say_purged(result: Any) -> None:
    gone = f" ({result.already_gone} were already gone)" if result.already_gone else ""
    files = plural(len(result.removed), "kept import file")
    click.echo(f"Removed {files} from before {result.before}{gone}.")


@click.group("export")
def export() -> None:
    """Export data for spreadsheets (safe to open in Excel)."""


@export.command("ratings")
@click.option("--project", help="Only this project.")
@click.option("--period", help="Only this period, like 2026Q3.")
@click.option("--latest", is_flag=True, help="Only each rater's latest rating (no history).")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .csv or .xlsx.",
)
@pass_context
def export_ratings_cmd(
    obj: Context, project: str | None, period: str | None, latest: bool, out: Path
) -> None:
    """Export ratings, in the same columns import reads."""
    from coeval.ingest.export import export_frame, write_export
    from coeval.periods import parse_period

    if project is not None:
        obj.store.project(project)
    label = parse_period(period, obj.workbook.settings.period_scheme).label if period else None
    frame = export_frame(obj.store.ratings(project=project, period=label), latest_only=latest)
    write_export(frame, out)
    click.echo(f"Wrote {len(frame)} ratings to {out}")


COMMANDS = (import_, imports_group, export)
