"""`coeval` subcommands for data coming in and going out: imports (checked strictly, all rows
or none), the copies of imported files kept as received, and exports for spreadsheets.
Registered on the main command in coeval.cli.main."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from coeval.cli.context import Context, audience_option, pass_context
from coeval.exceptions import CoevalError
from coeval.ingest.survey import import_survey
from coeval.ingest.survey_draft import draft_mapping, write_draft
from coeval.ingest.survey_mapping import PRESET_NAMES
from coeval.ingest.survey_report import survey_report
from coeval.practice.importers import IMPORTERS, Importer
from coeval.text import plural, printable
from coeval.vocabulary import INTERNAL


@click.group("import")
def import_() -> None:
    """Import data from CSV or Excel files (checked strictly; all rows or none)."""


SHEET_HELP = "For an Excel file: the sheet's number (from 1) or name (default: the first)."


def _import_command(importer: Importer) -> click.Command:
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option("--sheet", metavar="SHEET", help=SHEET_HELP)
    @pass_context
    def command(obj: Context, file: Path, sheet: str | None) -> None:
        result = importer.run(obj.workbook, obj.store, file, sheet=sheet)
        _imported(result, file, importer.noun)

    return click.command(importer.name, help=importer.help)(command)


for _importer in IMPORTERS:
    import_.add_command(_import_command(_importer))


@import_.command("survey")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    help="The mapping file (YAML) that says which column is which; see docs/practice.md.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be stored; store nothing.")
@click.option("--sheet", metavar="SHEET", help=SHEET_HELP)
@click.option(
    "--draft-mapping",
    is_flag=True,
    help="Write a draft mapping for this export (to --mapping, or FILE-mapping.yaml here) "
    "for you to check; needs --framework and --project.",
)
@click.option("--framework", metavar="ID", help="With --draft-mapping: the framework.")
@click.option("--project", metavar="ID", help="With --draft-mapping: the project.")
@click.option(
    "--preset",
    type=click.Choice(PRESET_NAMES),
    help="With --draft-mapping: the tool that made the export (default: guessed).",
)
@pass_context
def import_survey_command(
    obj: Context,
    file: Path,
    mapping: Path | None,
    dry_run: bool,
    sheet: str | None,
    draft_mapping: bool,
    framework: str | None,
    project: str | None,
    preset: str | None,
) -> None:
    """Import a survey tool's export from FILE (CSV or .xlsx): Microsoft Forms, Google
    Forms, SurveyMonkey, SmartSurvey or any other, through a mapping file.

    Every row is checked before anything is stored. Columns that identify people (email,
    name, IP address, and any the mapping drops) are never stored, not even in the copy of
    the file kept under data/imports/. A later export of the same survey adds only new
    responses and changed answers.
    """
    if draft_mapping:
        _draft(obj, file, mapping, framework, project, preset, sheet)
        return
    if mapping is None:
        raise CoevalError(
            "give --mapping MAP.yaml (or make a draft with --draft-mapping --framework F "
            "--project P)"
        )
    result = import_survey(obj.workbook, obj.store, obj.frameworks(), file, mapping, sheet, dry_run)
    for line in survey_report(result):
        click.echo(line)


def _draft(
    obj: Context,
    file: Path,
    out: Path | None,
    framework: str | None,
    project: str | None,
    preset: str | None,
    sheet: str | None,
) -> None:
    if not framework or not project:
        raise CoevalError("--draft-mapping needs --framework ID and --project ID")
    known = obj.frameworks()
    if framework not in known:
        raise CoevalError(f"--framework {framework!r} is unknown; use: {', '.join(known)}")
    obj.store.project(project)
    text = draft_mapping(file, known[framework], project, preset, sheet)
    written = write_draft(text, out or Path(f"{file.stem}-mapping.yaml"))
    click.echo(f"Wrote a draft mapping to {written}.")
    click.echo("Check every line marked CHECK and fill in the blanks, then try it with:")
    click.echo(f"  coeval import survey {file} --mapping {written} --dry-run")


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


#: Where an export is written: a spreadsheet or a CSV file.
EXPORT_FILE = click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .csv or .xlsx.",
)


@click.group("export")
def export() -> None:
    """Export data for spreadsheets (safe to open in Excel)."""


@export.command("ratings")
@click.option("--project", help="Only this project.")
@click.option("--period", help="Only this period, like 2026Q3.")
@click.option("--latest", is_flag=True, help="Only each rater's latest rating (no history).")
@EXPORT_FILE
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


@export.command("cqc")
@click.option("--project", required=True, help="The project, like oakfield-mir.")
@click.option("--period", required=True, help="The quarter, like 2026Q3.")
@audience_option(INTERNAL, "Who the file is for: the rules for small numbers follow it.")
@EXPORT_FILE
@pass_context
def export_cqc_cmd(obj: Context, project: str, period: str, audience: str, out: Path) -> None:
    """Export the evidence for CQC's quality statements, for an inspection folder.

    One row per item related to each quality statement (its score this quarter, the gap
    between lived experience and the workforce, and comments people agreed to publish, with
    personal details removed), one per statement with no related item, and one per item not
    mapped. See docs/cqc.md.
    """
    from coeval.exceptions import NotFoundError, PeriodError
    from coeval.ingest.export import neutralise, write_export
    from coeval.review.cqc import cqc_view, export_rows
    from coeval.review.data import ReviewData
    from coeval.review.inputs import ReviewInputs

    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CoevalError(f"--out {out}: use a file name ending .csv or .xlsx")
    try:
        obj.store.project(project)
    except NotFoundError as exc:
        raise CoevalError(f"--project {project!r}: {exc}") from None
    try:
        inputs = ReviewInputs.read(obj.workbook, obj.store, project, period)
    except PeriodError as exc:
        raise CoevalError(f"--period: {exc}") from None
    view = cqc_view(ReviewData.build(inputs, audience))
    frame = export_rows(view).map(lambda v: neutralise(printable(v)) if isinstance(v, str) else v)
    write_export(frame, out)
    related = sum(len(s.items) for s in view.statements)
    click.echo(
        f"Wrote {plural(related, 'related item')} for {len(view.statements)} quality statements "
        f"(CQC pages checked {view.crosswalk.checked_words}) to {out}"
    )
    if not view.related:
        click.echo(f"None of {project}'s items is mapped to a quality statement; see docs/cqc.md.")


COMMANDS = (import_, imports_group, export)
