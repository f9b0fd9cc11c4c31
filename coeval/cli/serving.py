"""`coeval serve` and `coeval meeting`: the screens coeval serves with Voila. Registered on
the main command in coeval.cli.main."""

from __future__ import annotations

import sys
from datetime import date, datetime

import click

from coeval.cli.context import Context, check_id, pass_context

TRUSTED_HEADER_HELP = (
    "Only behind a sign-in proxy that sets this header (for example X-Forwarded-Email): "
    "pages for staff are refused unless a request carries it."
)


@click.command()
@click.option("--port", default=8866, show_default=True, help="Port on this computer.")
@click.option("--trusted-header", metavar="NAME", help=TRUSTED_HEADER_HELP)
@pass_context
def serve(obj: Context, port: int, trusted_header: str | None) -> None:
    """Serve the dashboards with Voila, on this computer only (127.0.0.1)."""
    from coeval.server.dashboards import serve as serve_dashboards

    sys.exit(serve_dashboards(obj.workbook, port, say=click.echo, trusted_header=trusted_header))


@click.command()
@click.option("--project", required=True, help="Project id (see `coeval project list`).")
@click.option("--period", help="The quarter the answers count towards (default: this one).")
@click.option("--framework", help="Framework id (default: the project's first framework).")
@click.option("--consultation", help="Take this consultation's questions instead.")
@click.option("--port", default=8867, show_default=True, help="Port to serve the meeting on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address to serve on: 127.0.0.1 is this computer only; give the room's Wi-Fi "
    "address (or 0.0.0.0) to let phones on that network join.",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address people will reach the meeting at (a reverse proxy's, or this "
    "computer's address on the network), used in every link and the QR code.",
)
@click.option("--trusted-header", metavar="NAME", help=TRUSTED_HEADER_HELP)
@click.option(
    "--date",
    "held_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="A day after today sets the meeting up ahead (its code, theme and questions) "
    "without starting it; then run `coeval pack`. Today or no date: start it now.",
)
@click.option("--theme", help="What the meeting is about, in a few words (set up ahead).")
@click.option(
    "--cover",
    metavar="IDS",
    help="The questions to cover (set up ahead): question ids and theme ids of the "
    "framework, separated by commas (default: all of them).",
)
@pass_context
def meeting(
    obj: Context,
    project: str,
    period: str | None,
    framework: str | None,
    consultation: str | None,
    port: int,
    host: str,
    public_url: str | None,
    trusted_header: str | None,
    held_on: datetime | None,
    theme: str | None,
    cover: str | None,
) -> None:
    """Start a meeting: the facilitator's screen and everyone's answer screens, in Voila.

    Prints a facilitator link (keep it to yourself), a join link and a short meeting code
    for everyone else, and a staff link for typing in answers from paper, letters and calls.
    The facilitator's screen shows the join link as a QR code. The app runs on this computer
    only (127.0.0.1) unless --host says otherwise; see docs/deploy.md.

    With --date after today, the meeting is set up ahead instead: its code, theme and
    questions are recorded, the command to write the group's pack is printed, and nothing
    is served until the day (see docs/pack.md).
    """
    if (held_on is not None and held_on.date() > date.today()) or theme or cover:
        from coeval.cli.pack import set_up_ahead

        set_up_ahead(obj, project, period, framework, consultation, held_on, theme, cover)
        return
    from coeval.server.meeting import Serving, serve_meeting

    check_id(project, "--project")
    if framework and consultation:
        raise click.UsageError("give --framework or --consultation, not both")
    serving = Serving(port=port, host=host, public_url=public_url, trusted_header=trusted_header)
    book = obj.workbook
    sys.exit(serve_meeting(book, project, period, framework, serving, click.echo, consultation))


COMMANDS = (serve, meeting)
