"""`coeval` subcommands for paper: forms to print for people who would rather answer on
paper, and spreadsheets to type the answers into. Registered on the main command in
coeval.cli.main."""

from __future__ import annotations

from pathlib import Path

import click

from coeval.cli.context import Context, check_id, chosen_language, language_option, pass_context


@click.command()
@click.option("--project", required=True, help="Project id (see `coeval project list`).")
@click.option("--framework", required=True, help="Framework id: one the project is rated on.")
@click.option(
    "--large-print",
    is_flag=True,
    help="Text of 16 point and more, one tick box to a line, one question to a block.",
)
@click.option(
    "--out",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="Folder to write the form to (made if it does not exist).",
)
@language_option("the form's own words and, where the framework has them, its questions")
@pass_context
def form(
    obj: Context,
    project: str,
    framework: str,
    large_print: bool,
    out: Path,
    language: str | None,
) -> None:
    """A paper form for one project's questions: an A4 page to print and a Word document.

    The questions come in the order of the staff screen for typing answers in, so a returned
    form can be typed in from top to bottom. The form asks for no name: staff write a
    reference in the box for office use.
    """
    from coeval.practice.paper import write_form

    check_id(project, "--project")
    language = chosen_language(obj, language)
    html, docx = write_form(
        obj.store, obj.frameworks(), project, framework, out, large_print, language
    )
    click.echo("Paper form written:")
    click.echo(f"  {html} (print this on A4)")
    click.echo(f"  {docx} (Word, to change before printing)")


@click.group()
def template() -> None:
    """Fill-in spreadsheets: Excel workbooks to type answers into, one row per person."""


@template.command("ratings")
@click.option("--project", required=True, help="Project id (see `coeval project list`).")
@click.option("--framework", required=True, help="Framework id: one the project is rated on.")
@click.option(
    "--out",
    required=True,
    metavar="FILE.xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workbook to write.",
)
@click.option("--force", is_flag=True, help="Replace FILE.xlsx if it is already there.")
@pass_context
def template_ratings(obj: Context, project: str, framework: str, out: Path, force: bool) -> None:
    """An Excel workbook for typing in one project's ratings, one row per person.

    Each row takes the person's reference (never their name), who they are, the day their
    answers came in, and a word from a drop-down list for each question. Import the filled-in
    workbook with `coeval import ratings FILE.xlsx`: it needs no mapping.
    """
    from coeval.exceptions import FrameworkError
    from coeval.ingest.template import write_template

    check_id(project, "--project")
    frameworks = obj.frameworks()
    if framework not in frameworks:
        raise FrameworkError(
            f"--framework {framework!r}: unknown framework; use one of: "
            f"{', '.join(sorted(frameworks))}"
        )
    path = write_template(
        out.expanduser(), obj.store.project(project), frameworks[framework], force=force
    )
    click.echo(f"Ratings template written: {path}")
    click.echo(f"Fill it in, then: coeval import ratings {path}")


COMMANDS = (form, template)
