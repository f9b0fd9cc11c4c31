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
from coeval.practice.importers import IMPORTERS, Importer


@click.group("import")
def import_() -> None:
    """Import data from CSV files (checked strictly; all rows or none)."""


def _import_command(importer: Importer) -> click.Command:
    @click.argument("file", type=click.Path(path_type=Path))
    @pass_context
    def command(obj: Context, file: Path) -> None:
        _imported(importer.run(obj.workbook, obj.store, file), file, importer.noun)

    return click.command(importer.name, help=importer.help)(command)


for _importer in IMPORTERS:
    import_.add_command(_import_command(_importer))


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
