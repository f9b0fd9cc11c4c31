"""`coeval` subcommands for practice beyond scores: action plans, feedback to the group and
joint consultation responses. Registered on the main command in coeval.cli.main."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click

from coeval.cli.context import (
    Context,
    audience_option,
    chosen_language,
    language_option,
    pass_context,
)
from coeval.practice.consultations import load_consultations
from coeval.text import one_line
from coeval.vocabulary import (
    ACTION_ORIGINS,
    ACTION_STATUSES,
    DEFAULT_VOICES,
    FINISHED,
    INTERNAL,
    TOLD_HOW,
)


@click.group()
def actions() -> None:
    """Action plans: list them, add an action, record each quarter's review of an action and
    how the group was told its outcome."""


@actions.command("list")
@click.option("--project", required=True, help="Project id.")
@click.option("--period", help="As the plan stood at the end of this quarter (default: now).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_context
def actions_list(obj: Context, project: str, period: str | None, fmt: str) -> None:
    """A project's actions: what people said, what will be done, who, by when, status."""
    from datetime import date

    from coeval.periods import parse_period, period_of
    from coeval.practice.actions import STATUS_WORDS, action_plan, told_cell

    scheme = obj.workbook.settings.period_scheme
    this = parse_period(period, scheme) if period else period_of(date.today(), scheme)
    obj.store.project(project)
    plan = action_plan(obj.store, project, this, date.today())
    if fmt == "json":
        columns = ["id", "period", "item_id", "said", "action", "owner_role", "due_on"]
        columns += ["status", "reason", "outcome", "reviewed", "overdue", "carried"]
        columns += ["origin", "told", "told_back"]
        records = plan[columns].to_dict("records")
        click.echo(json.dumps(records, indent=2, default=str, ensure_ascii=False))
        return
    if plan.empty:
        click.echo(f"No actions for {project} up to {this.label}.")
        return
    for row in plan.to_dict("records"):
        due = f", due {row['due_on']:%d %b %Y}" if row["due_on"] else ""
        late = " OVERDUE" if row["overdue"] else ""
        click.echo(
            f"#{row['id']} [{STATUS_WORDS[row['status']]}{late}] raised {row['period']}{due}"
        )
        click.echo(f"    You said: {one_line(row['said'])}")
        click.echo(
            f"    We will:  {one_line(row['action'])} ({row['owner_role'].replace('_', ' ')})"
        )
        if row["reason"]:
            click.echo(f"    Why not:  {one_line(row['reason'])}")
        if row["outcome"]:
            click.echo(f"    Outcome:  {one_line(row['outcome'])}")
        if row["status"] in FINISHED:
            click.echo(f"    Told:     {told_cell(row['status'], row['told'])}")


@actions.command("review")
@click.argument("action_id", metavar="ID", type=int)
@click.option("--period", required=True, help="The quarter of this review, like 2026Q3.")
@click.option(
    "--status",
    required=True,
    type=click.Choice(ACTION_STATUSES),
    help="How the action stands now.",
)
@click.option("--reason", help="Why it is not possible (needed then; fed back to the group).")
@click.option("--outcome", help="What changed as a result.")
@pass_context
def actions_review(
    obj: Context,
    action_id: int,
    period: str,
    status: str,
    reason: str | None,
    outcome: str | None,
) -> None:
    """Record how action ID stands at a quarter's review (its history is kept)."""
    from coeval.practice.actions import STATUS_WORDS, review_action

    scheme = obj.workbook.settings.period_scheme
    review_action(obj.store, action_id, period, status, reason, outcome, scheme=scheme)
    click.echo(f"Action {action_id} is now {STATUS_WORDS[status].lower()} ({period}).")


@actions.command("told")
@click.argument("action_id", metavar="ID", type=int)
@click.option(
    "--how",
    required=True,
    type=click.Choice(TOLD_HOW),
    help="How the group was told: at a meeting, in a newsletter, by email to the "
    "distribution list, or by letter.",
)
@click.option(
    "--date",
    "told_on",
    type=click.DateTime(["%Y-%m-%d"]),
    help="When, as YYYY-MM-DD (default: today).",
)
@pass_context
def actions_told(obj: Context, action_id: int, how: str, told_on: datetime | None) -> None:
    """Record that the group was told the outcome of action ID ("we told you")."""
    from coeval.practice.actions import tell_action, told_words

    day = told_on.date() if told_on else date.today()
    new = tell_action(obj.store, action_id, how, day)
    already = "" if new else " (this was already recorded)"
    click.echo(f"Action {action_id}: the group was told {told_words(how, day)}{already}.")


@actions.command("add")
@click.option("--project", required=True, help="Project id.")
@click.option("--period", required=True, help="The quarter it was raised in, like 2026Q3.")
@click.option("--said", required=True, help="What people said (the insight).")
@click.option("--action", "action_text", required=True, help="What will be done.")
@click.option(
    "--who",
    required=True,
    type=click.Choice(tuple(DEFAULT_VOICES)),
    help="The role that will do it (a role, never a person's name).",
)
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date, as YYYY-MM-DD.")
@click.option(
    "--from",
    "origin",
    required=True,
    type=click.Choice(ACTION_ORIGINS),
    help="Where what people said came from.",
)
@click.option("--framework", help="The framework of the statement it answers (with --item).")
@click.option("--item", help="The statement or principle it answers.")
@pass_context
def actions_add(
    obj: Context,
    project: str,
    period: str,
    said: str,
    action_text: str,
    who: str,
    due: datetime | None,
    origin: str,
    framework: str | None,
    item: str | None,
) -> None:
    """Add an action that came from outside a meeting: a survey, a letter, a conversation
    or a complaint (actions agreed in a meeting are added on its screen)."""
    from coeval.practice.actions import NewAction, add_action

    new = NewAction(said, action_text, who, due.date() if due else None, origin, framework, item)
    scheme = obj.workbook.settings.period_scheme
    action_id = add_action(obj.store, obj.frameworks(), project, period, new, scheme=scheme)
    click.echo(f"Added action {action_id} to {project} ({period}).")


@click.group()
def consultation() -> None:
    """Consultations: the question sets in data/consultations/ and the group's joint responses."""


@consultation.command("list")
@pass_context
def consultation_list(obj: Context) -> None:
    """The workbook's consultations, when they close, and how many have answered."""
    from coeval.practice.consultations import answers

    known = load_consultations(obj.workbook.consultations_dir)
    if not known:
        click.echo("No consultations yet: add a question file to data/consultations/.")
        return
    for c in known.values():
        people = answers(obj.store, c.id)["rater"].nunique()
        click.echo(
            f"{c.id}  {one_line(c.title)} ({one_line(c.consulting)}; closes {c.closes:%-d %b %Y}): "
            f"{len(c.questions)} questions, {people} people have answered"
        )


@consultation.command("respond")
@click.option("--id", "consultation_id", required=True, help="The consultation's id.")
@click.option("--project", help="Only the answers given for this project's group.")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the draft (Markdown and Word).",
)
@pass_context
def consultation_respond(
    obj: Context, consultation_id: str, project: str | None, out: Path
) -> None:
    """Draft the group's joint response: what it agreed, the spread of views, the points
    people made (no names or personal details), as Markdown and a Word document."""
    from coeval.practice.response import draft_response

    md, docx = draft_response(obj.workbook, obj.store, consultation_id, out, project)
    click.echo(f"Draft response written: {md} and {docx}")
    click.echo("Check it with the group before sending it.")


@click.command()
@click.option("--project", required=True, help="Project id.")
@click.option("--period", required=True, help="The quarter, like 2026Q3.")
@audience_option(INTERNAL, "Who the feedback is for.")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the feedback to.",
)
@language_option("the feedback's words (the framework's too, where its file has them)")
@pass_context
def feedback(
    obj: Context, project: str, period: str, audience: str, out: Path, language: str | None
) -> None:
    """Feedback to the group: what you told us, what changed, and "You said, we did".

    Writes an accessible HTML page and a plain-text version for email and print.
    """
    from coeval.review.feedback import write_feedback

    language = chosen_language(obj, language)
    html, text = write_feedback(obj.workbook, project, period, out, audience, language)
    click.echo(f"Feedback written: {html} (web page) and {text} (plain text for email)")


COMMANDS = (actions, consultation, feedback)
