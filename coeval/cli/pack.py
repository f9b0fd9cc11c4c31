"""`coeval pack`: the papers a group should have a week before a meeting; and setting a
meeting up ahead (`coeval meeting --date`, whose branch calls :func:`set_up_ahead`).
Registered on the main command in coeval.cli.main."""

from __future__ import annotations

import shlex
from datetime import date, datetime
from pathlib import Path

import click

from coeval.cli.context import (
    Context,
    audience_option,
    check_id,
    chosen_language,
    language_option,
    pass_context,
)
from coeval.text import one_line
from coeval.vocabulary import INTERNAL


@click.command()
@click.option("--project", required=True, help="Project id (see `coeval project list`).")
@click.option(
    "--period",
    required=True,
    help="The quarter of the meeting, like 2026Q3; the pack reports the quarter before it.",
)
@click.option("--large-print", is_flag=True, help="Text of 16 point and more throughout.")
@audience_option(INTERNAL, "Who the pack is for: public applies the public disclosure rules.")
@click.option(
    "--out",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="Folder to write the pack to (made if it does not exist).",
)
@language_option("the pack's own words and, where the framework has them, its questions")
@pass_context
def pack(
    obj: Context,
    project: str,
    period: str,
    large_print: bool,
    audience: str,
    out: Path,
    language: str | None,
) -> None:
    """The papers to send a group a week before its meeting: a web page and a Word document.

    They give the meeting's date, theme and code (when it was set up ahead with `coeval
    meeting --date`), the questions it will ask, last quarter's results in words, the
    actions due by the meeting, the consultations open for views, and how to take part in
    person or on paper.
    """
    from coeval.pack import pack_documents, write_pack

    check_id(project, "--project")
    documents = pack_documents(
        obj.workbook,
        obj.store,
        project,
        period,
        large_print,
        audience=audience,
        language=chosen_language(obj, language),
    )
    html, docx = write_pack(documents, out)
    click.echo("Pack written:")
    click.echo(f"  {html} (a web page: print it, or attach it to an email)")
    click.echo(f"  {docx} (Word, to change before sending)")


def set_up_ahead(
    obj: Context,
    project: str,
    period: str | None,
    framework: str | None,
    consultation: str | None,
    held_on: datetime | None,
    theme: str | None,
    cover: str | None,
) -> None:
    """`coeval meeting --date` with a day after today: record the meeting (its day, theme,
    questions and code) without serving it, and say what to do next."""
    from coeval.exceptions import MeetingError
    from coeval.meeting.meetings import spoken_code
    from coeval.meeting.planning import set_up_meeting

    check_id(project, "--project")
    if held_on is None or held_on.date() <= date.today():
        raise MeetingError(
            "--theme and --cover are for setting a meeting up ahead: give --date with a day "
            "after today (on the day, choose the questions on the facilitator's screen)"
        )
    if consultation:
        raise MeetingError(
            "--consultation: a consultation meeting cannot be set up ahead; start it on the "
            f"day with `coeval meeting --project {project} --consultation {consultation}`"
        )
    day = held_on.date()
    label = _quarter(obj, period, day)
    frameworks = obj.frameworks()
    meeting = set_up_meeting(
        obj.store, frameworks, project, label, day, theme or "", (cover or "").split(","), framework
    )
    fw = frameworks[meeting.framework or ""]
    click.echo(f"Meeting set up ahead for {project} on {day:%A %-d %B %Y} (quarter {label}).")
    click.echo(f"  Theme:         {one_line(meeting.theme) or '(none given)'}")
    click.echo(f"  Meeting code:  {spoken_code(meeting.code)}")
    click.echo(f"  Questions:     {len(meeting.items)} of {len(fw.items)} from {fw.title}:")
    for item_id in meeting.items:
        click.echo(f"    {item_id}: {one_line(fw.item(item_id).title)}")
    workbook = f"--workbook {shlex.quote(obj.workbook_arg)} " if obj.workbook_arg else ""
    click.echo(
        f"Nothing is served until the day; then `coeval meeting --project {project}` opens it."
    )
    click.echo("Next, write the papers to send the group a week before:")
    click.echo(
        f"  coeval {workbook}pack --project {project} --period {shlex.quote(label)} --out packs"
    )


def _quarter(obj: Context, period: str | None, day: date) -> str:
    """The quarter the meeting's answers count towards: ``period``, or the one ``day`` is in."""
    from coeval.exceptions import PeriodError
    from coeval.periods import parse_period, period_of

    scheme = obj.workbook.settings.period_scheme
    if not period:
        return period_of(day, scheme).label
    try:
        return parse_period(period, scheme).label
    except PeriodError as exc:
        raise PeriodError(f"--period: {exc}") from None


COMMANDS = (pack,)
