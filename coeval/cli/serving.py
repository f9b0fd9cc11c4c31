"""`coeval serve` and `coeval meeting`: the screens coeval serves with Voila. Registered on
the main command in coeval.cli.main."""

from __future__ import annotations

import sys

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
) -> None:
    """Start a meeting: the facilitator's screen and everyone's answer screens, in Voila.

    Prints a facilitator link (keep it to yourself), a join link and a short meeting code
    for everyone else, and a staff link for typing in answers from paper, letters and calls.
    The facilitator's screen shows the join link as a QR code. The app runs on this computer
    only (127.0.0.1) unless --host says otherwise; see docs/deploy.md.
    """
    from coeval.server.meeting import Serving, serve_meeting

    check_id(project, "--project")
    if framework and consultation:
        raise click.UsageError("give --framework or --consultation, not both")
    serving = Serving(port=port, host=host, public_url=public_url, trusted_header=trusted_header)
    book = obj.workbook
    sys.exit(serve_meeting(book, project, period, framework, serving, click.echo, consultation))


COMMANDS = (serve, meeting)
