"""The commands about a workbook's projects, frameworks and scores: `coeval project`,
`coeval frameworks` and `coeval score`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from coeval.cli.context import Context, check_id, pass_context
from coeval.exceptions import CoevalError
from coeval.frameworks import validate_file
from coeval.text import one_line


@click.group()
def project() -> None:
    """Add and list projects."""


@project.command("add")
@click.argument("project_id", metavar="ID")
@click.option("--name", required=True, help="The project's name, as people know it.")
@click.option(
    "--frameworks",
    metavar="A,B",
    help="Frameworks the project is rated against (default: the workbook's default_frameworks, "
    "or the frameworks marked default).",
)
@pass_context
def project_add(obj: Context, project_id: str, name: str, frameworks: str | None) -> None:
    """Add a project with the id ID."""
    check_id(project_id, "ID")
    known = obj.frameworks()
    chosen = (
        [f.strip() for f in frameworks.split(",") if f.strip()]
        if frameworks
        else list(obj.workbook.settings.default_frameworks)
        or [fw.id for fw in sorted(known.values(), key=lambda f: f.order_key) if fw.default]
    )
    unknown = [f for f in chosen if f not in known]
    chosen = [known.canonical(f) for f in chosen]  # a renamed framework's old id still works
    if unknown or not chosen:
        raise CoevalError(
            f"--frameworks: unknown framework {', '.join(unknown) or '(none)'}; use one or more "
            f"of: {', '.join(sorted(known))}"
        )
    added = obj.store.add_project(project_id, name.strip(), chosen)
    click.echo(f"Added project {added.id} ({added.name}) using {', '.join(added.frameworks)}")


@project.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_context
def project_list(obj: Context, fmt: str) -> None:
    """List the workbook's projects."""
    projects = obj.store.projects()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "frameworks": list(p.frameworks),
                        "active": p.active,
                    }
                    for p in projects
                ],
                indent=2,
            )
        )
        return
    if not projects:
        click.echo("No projects yet. Add one with `coeval project add ID --name NAME`.")
        return
    width = max(len(p.id) for p in projects) + 2
    for p in projects:
        state = "" if p.active else " (inactive)"
        click.echo(f"{p.id:<{width}}{one_line(p.name)}{state}  [{', '.join(p.frameworks)}]")


# -- frameworks ----------------------------------------------------------------------------


@click.group()
def frameworks() -> None:
    """List, show and check frameworks."""


@frameworks.command("list")
@pass_context
def frameworks_list(obj: Context) -> None:
    """List the frameworks this workbook can use."""
    for fw in sorted(obj.frameworks().values(), key=lambda f: f.id):
        provisional = f", {len(fw.provisional)} provisional" if fw.provisional else ""
        default = ", default for new projects" if fw.default else ""
        click.echo(
            f"{fw.id:<18}{fw.title} (version {fw.version}; {len(fw.items)} items"
            f"{provisional}{default})"
        )


@frameworks.command("show")
@click.argument("framework_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_context
def frameworks_show(obj: Context, framework_id: str, fmt: str) -> None:
    """Show framework ID: its sections and items."""
    known = obj.frameworks()
    if framework_id not in known:
        raise CoevalError(
            f"unknown framework {framework_id!r}; use one of: {', '.join(sorted(known))}"
        )
    fw = known[framework_id]
    if fmt == "json":
        click.echo(json.dumps(fw.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{fw.title}\nid {fw.id}, version {fw.version}\n{fw.source}\n")
    click.echo("Scale: " + ", ".join(f"{lv.value} {lv.label}" for lv in fw.scale))
    for section in fw.sections:
        click.echo(f"\n{section.title} [{section.id}]")
        for item in section.items:
            mark = " (provisional)" if item.status == "provisional" else ""
            click.echo(f"  {item.id:<22}{item.kind:<14}{item.title}{mark}")
            click.echo(f"  {'':<36}{item.question}")


@frameworks.command("validate")
@click.argument("file", type=click.Path(path_type=Path))
def frameworks_validate(file: Path) -> None:
    """Check a framework (or wording patch) file against the schema."""
    result = validate_file(file)
    if isinstance(result, dict):
        click.echo(
            f"{file}: a valid wording patch for {result['patch']!r} ({len(result['items'])} items)"
        )
        return
    click.echo(
        f"{file}: valid framework {result.id!r} with {len(result.sections)} sections and "
        f"{len(result.items)} items"
    )
    for item in result.provisional:
        click.echo(
            f"warning: item {item.id!r} is provisional: check its wording against the "
            f"source ({item.source or result.source})"
        )


# -- score ---------------------------------------------------------------------------------


@click.command()
@click.option("--project", required=True, help="Project id.")
@click.option("--period", required=True, help="Period, like 2026Q3 (or 2026/27 Q2).")
@click.option("--framework", help="Framework id (default: every framework the project uses).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_context
def score(obj: Context, project: str, period: str, framework: str | None, fmt: str) -> None:
    """Score a project for a period.

    With --framework, JSON output is one score document; without it, a list of documents,
    one per framework the project uses.
    """
    from coeval.report import format_table, score_document

    book = obj.workbook
    chosen: Sequence[str] = [framework] if framework else obj.store.project(project).frameworks
    docs = [
        score_document(
            obj.store,
            obj.frameworks(),
            book.settings.voices,
            project,
            period,
            f,
            book.settings.period_scheme,
        )
        for f in chosen
    ]
    if fmt == "json":
        click.echo(json.dumps(docs[0] if framework else docs, indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(format_table(doc) for doc in docs))


# -- quarterly reviews -----------------------------------------------------------------------


COMMANDS = (project, frameworks, score)
