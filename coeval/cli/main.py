"""The `coeval` command: a thin layer over the library.

Library code raises :class:`~coeval.exceptions.CoevalError`; this module turns it into one
line on standard error (one line per problem for a refused file) and exit status 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.exc import SQLAlchemyError

from coeval.cli import data as cli_data
from coeval.cli import database as cli_database
from coeval.cli import frameworks as cli_frameworks
from coeval.cli import pack as cli_pack
from coeval.cli import paper as cli_paper
from coeval.cli import practice as cli_practice
from coeval.cli import serving as cli_serving
from coeval.cli.context import Context, audience_option, pass_context
from coeval.config import PASSWORD_FILE
from coeval.exceptions import CoevalError, ImportError_, ValidationError
from coeval.store.address import create_workbook, split_password
from coeval.store.database import database_problem, display_url
from coeval.text import one_line, printable
from coeval.version import VERSION as __version__
from coeval.vocabulary import INTERNAL, PUBLIC

if TYPE_CHECKING:
    from coeval.execute import Outcome
    from coeval.run import RunReport


def _say_error(line: str) -> None:
    click.echo(f"coeval: {printable(line)}", err=True)


class CoevalGroup(click.Group):
    """Every failure ends as one plain line per problem on standard error and exit status
    1, never a traceback: coeval's own errors say what to fix; anything else is named by its
    kind only (its text can hold a person's words), with COEVAL_DEBUG=1 to see the whole of
    it."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ImportError_ as exc:
            for line in exc.lines():
                _say_error(line)
            _say_error(
                f"nothing was imported from {exc.source} ({exc.total} problems); fix them and "
                "import the file again"
            )
            sys.exit(1)
        except ValidationError as exc:
            for line in exc.lines():
                _say_error(line)
            sys.exit(1)
        except CoevalError as exc:
            _say_error(str(exc))
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            _say_error("stopped")
            sys.exit(130)
        except Exception as exc:
            if os.environ.get("COEVAL_DEBUG"):
                raise
            _say_error(_unexpected(exc))
            sys.exit(1)


def _unexpected(exc: Exception) -> str:
    if isinstance(exc, SQLAlchemyError):
        return database_problem(exc, "")
    if isinstance(exc, MemoryError):
        return "the computer ran out of memory; nothing more was changed. Try a smaller file"
    if isinstance(exc, OSError) and exc.strerror:
        name = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{name}; nothing more was changed"
    return (
        f"something unexpected went wrong ({type(exc).__name__}); nothing more was changed. "
        "Run the command again with COEVAL_DEBUG=1 to see the details, and report it"
    )


@click.group(cls=CoevalGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coeval")
@click.option(
    "--workbook",
    envvar="COEVAL_WORKBOOK",
    metavar="DIR",
    help="Workbook folder (default: this folder or the nearest parent with a "
    "coeval.toml). Also COEVAL_WORKBOOK.",
)
@click.option(
    "--db",
    envvar="COEVAL_DB",
    metavar="URL",
    help="Database URL or SQLite file (default: the workbook's [database] url, else "
    "data/coeval.db in the workbook). Also COEVAL_DB.",
)
@click.pass_context
def main(ctx: click.Context, workbook: str | None, db: str | None) -> None:
    """coeval: co-production evaluation for improvement groups.

    Rate projects against co-production principles and Making It Real statements, keep the
    evidence, and score them so lived experience and workforce have an equal voice.
    """
    ctx.obj = Context(workbook, db)
    ctx.call_on_close(ctx.obj.close)


for command in (
    *cli_data.COMMANDS,
    *cli_practice.COMMANDS,
    *cli_frameworks.COMMANDS,
    *cli_paper.COMMANDS,
    *cli_serving.COMMANDS,
    *cli_pack.COMMANDS,
):
    main.add_command(command)
main.add_command(cli_database.database)


# -- init and demo -------------------------------------------------------------------------


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@pass_context
def init(obj: Context, directory: Path) -> None:
    """Create a workbook in DIRECTORY (default: here): settings, data/, dashboards/, database.

    Given a database (`coeval --db URL init`, or COEVAL_DB), such as a shared PostgreSQL
    server, the workbook keeps its data there: the URL is recorded in coeval.toml ([database]
    url) and every later command uses it without being told. A password in the URL is kept
    in data/pgpass, readable by you only, never in coeval.toml. A workbook that already
    keeps data in another database is not switched; `coeval database copy` moves it.
    """
    book = create_workbook(directory, obj.db_arg)
    click.echo(f"Workbook ready in {book.root}")
    click.echo(f"  settings: {book.config_path}")
    click.echo(f"  database: {display_url(book.db_url)}")
    if obj.db_arg and split_password(obj.db_arg)[1]:
        kept = book.data_dir / PASSWORD_FILE
        click.echo(f"  password: kept in {kept} (readable by you only), not in coeval.toml")
    click.echo("Next: add a project with `coeval project add ID --name NAME`.")


@main.command()
@click.argument("directory", default="demo", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=2026, show_default=True, help="Random seed for the demo data.")
def demo(directory: Path, seed: int) -> None:
    """Build a realistic demo workbook in DIRECTORY (default: demo), replacing an old demo."""
    from coeval.demo.workbook import build_demo

    summary = build_demo(directory, seed=seed, progress=click.echo)
    click.echo(summary)


# -- projects ------------------------------------------------------------------------------


@main.command("run")
@click.option("--period", help="The quarter to review, like 2026Q3.")
@click.option(
    "--due",
    is_flag=True,
    help="Review every closed quarter that has ratings and no successful review.",
)
@click.option(
    "--project",
    "projects",
    multiple=True,
    metavar="ID",
    help="Only this project (repeat for more). Default: every active project.",
)
@click.option(
    "--jobs",
    default=2,
    show_default=True,
    help="How many reviews run at once: the workers of the local cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    envvar="DASK_SCHEDULER_ADDRESS",
    default="",
    help="Run the reviews on the existing Dask cluster whose scheduler is at ADDRESS "
    "(tcp://HOST:8786 or tls://HOST:8786; also DASK_SCHEDULER_ADDRESS) instead of a local "
    "cluster. Needs a PostgreSQL workbook; see docs/scale.md.",
)
@click.option("--force", is_flag=True, help="Run even where nothing has changed.")
@audience_option(INTERNAL, "public applies the public disclosure rules.")
@pass_context
def run_cmd(
    obj: Context,
    period: str | None,
    due: bool,
    projects: tuple[str, ...],
    jobs: int,
    scheduler: str,
    force: bool,
    audience: str,
) -> None:
    """Run the quarterly reviews: a dashboard per project, the portfolio and an index.

    The reviews run on Dask: a local cluster of --jobs workers started for the run, or an
    existing cluster (--scheduler). Unchanged reviews are skipped before any cluster starts.
    Safe to call from a scheduler: with --due it finds the work itself, and a second run
    started while one is going (on any machine sharing a PostgreSQL workbook) says so and
    exits 0.
    """
    from coeval.cluster import Where, check_store
    from coeval.exceptions import RunInProgress
    from coeval.ingest.retention import purge_imports, retention_date
    from coeval.run import due_periods, run_reviews

    if bool(period) == due:
        raise CoevalError("give --period QUARTER or --due (one of them)")
    book = obj.workbook
    check_store(book, Where(scheduler, max(jobs, 1)))  # before anything changes
    cutoff = retention_date(book)
    if cutoff is not None:  # the scheduled command keeps the retention period too
        purged = purge_imports(book, obj.store, cutoff)
        if purged.removed:
            cli_data.say_purged(purged)
    bar = sys.stderr.isatty()
    try:
        periods = due_periods(book) if due else [period or ""]
        if due and not periods:
            click.echo("No reviews are due: every closed quarter with ratings has its review.")
        failed = []
        for label in periods:
            report = run_reviews(
                book,
                label,
                list(projects) or None,
                jobs,
                force,
                audience,
                say=click.echo,
                bar=bar,
                scheduler=scheduler,
            )
            failed += _say_report(report)
    except RunInProgress as exc:
        click.echo(f"coeval: {exc}")
        return
    if failed:
        sys.exit(1)


def _say_report(report: RunReport) -> list[Outcome]:
    """One line for a period's run, and one error line for each failed review."""
    done = sum(o.status == "ok" for o in report.outcomes)
    skipped = sum(o.status == "skipped" for o in report.outcomes)
    click.echo(
        f"{report.period}: {done} made, {skipped} unchanged, "
        f"{len(report.failed)} failed. Open {report.folder / 'index.html'}"
    )
    for outcome in report.failed:
        _say_error(
            f"{report.period} {one_line(outcome.name)} failed ({one_line(outcome.error)}); "
            f"see {report.folder / outcome.notebook}"
        )
    return list(report.failed)


@main.command()
@click.option("--period", required=True, help="The quarter, like 2026Q3.")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the site: new, empty, or one published to before (only the pages "
    "coeval wrote there are replaced).",
)
@audience_option(PUBLIC, "Who the site is for.")
@pass_context
def publish(obj: Context, period: str, out: Path, audience: str) -> None:
    """Write a quarter's dashboards as a static site: an index and one page per project.

    The pages are single HTML files that load nothing from the internet: put them on an
    intranet or a file share, or attach them to an email.
    """
    from coeval.publish import publish as publish_site

    folder = publish_site(obj.workbook, period, out, audience, say=click.echo)
    click.echo(f"Published to {folder}; open {folder / 'index.html'}")


def run() -> None:
    """The console entry point."""
    # jsonschema imports rfc3987-syntax, when installed, only to check "iri" formats, which
    # coeval's framework schema does not use; building its grammar costs about 1.5 s on every
    # command. Marking it absent in this process makes jsonschema skip that one format.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    main()


if __name__ == "__main__":  # pragma: no cover
    run()
